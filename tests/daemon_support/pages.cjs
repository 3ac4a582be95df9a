// Drives Debian's Chromium (headless, through playwright-core) against a running
// apidrift daemon and checks its pages as a person and a screen reader would meet them.
// Run by tests/daemon/daemon_run.rs (the `browser` module), which starts the daemon, then reads
// the JSON this prints on its last line. Environment:
//   APIDRIFT_BASE        http://127.0.0.1:PORT of the daemon
//   APIDRIFT_EXPECT      JSON: {rows: {name: status}, drifted, failing, accept, at_risk_field}
//   APIDRIFT_SHOTS       directory for the screenshots
//   APIDRIFT_NODE_MODULES directory holding playwright-core and axe-core
//   APIDRIFT_CHROMIUM    the browser binary (default /usr/bin/chromium)
'use strict';
const path = require('path');
const fs = require('fs');
const modules = process.env.APIDRIFT_NODE_MODULES;
const { chromium } = require(path.join(modules, 'playwright-core'));
const axeSource = fs.readFileSync(path.join(modules, 'axe-core', 'axe.min.js'), 'utf8');

const base = process.env.APIDRIFT_BASE;
const expect = JSON.parse(process.env.APIDRIFT_EXPECT);
const shots = process.env.APIDRIFT_SHOTS;
const failures = [];
const notes = [];
const fail = (what) => failures.push(what);
const check = (cond, what) => { if (!cond) fail(what); };

function watch(page, label) {
  const errors = [];
  page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') errors.push(`${label}: console ${m.type()}: ${m.text()}`); });
  page.on('pageerror', (e) => errors.push(`${label}: page error: ${e.message}`));
  page.on('dialog', async (d) => { errors.push(`${label}: a dialog opened: ${d.message()}`); await d.dismiss(); });
  page.on('requestfailed', (r) => errors.push(`${label}: request failed: ${r.url()}`));
  page.on('request', (r) => { if (!r.url().startsWith(base)) errors.push(`${label}: request outside the daemon: ${r.url()}`); });
  return errors;
}

// Nothing from a spec may become markup: no script, no handler attribute, no link out.
async function noActiveContent(page, label) {
  const found = await page.evaluate(() => {
    const out = [];
    if (document.querySelectorAll('script').length) out.push('a <script> element');
    for (const el of document.querySelectorAll('*')) {
      for (const a of el.attributes) {
        if (a.name.startsWith('on')) out.push(`attribute ${a.name} on <${el.tagName.toLowerCase()}>`);
      }
    }
    for (const a of document.querySelectorAll('[href]')) {
      const h = a.getAttribute('href');
      if (!(h.startsWith('/') || h.startsWith('#') || h.startsWith('?'))) out.push(`a link to ${h}`);
    }
    if (window.__pwned) out.push(`window.__pwned = ${window.__pwned}`);
    return out;
  });
  for (const f of found) fail(`${label}: ${f}`);
}

async function rows(page) {
  return page.$$eval('#integrations tbody tr', (trs) => trs.map((tr) => ({
    name: tr.querySelector('td a').textContent.trim(),
    status: tr.getAttribute('data-status'),
  })));
}

async function axe(browser, url, label) {
  // axe is injected by the test: a context that bypasses the page's CSP (which would
  // rightly refuse it), so the page itself is what it is for everyone else.
  const ctx = await browser.newContext({ bypassCSP: true });
  const page = await ctx.newPage();
  await page.goto(url);
  await page.evaluate(axeSource);
  const res = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  const bad = res.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  for (const v of bad) {
    fail(`${label}: axe ${v.impact} ${v.id}: ${v.help} (${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join('; ')})`);
  }
  notes.push(`${label}: axe ${res.violations.length} violation(s), ${bad.length} serious or critical`);
  await ctx.close();
}

(async () => {
  const browser = await chromium.launch({
    executablePath: process.env.APIDRIFT_CHROMIUM || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-quic'],
  });
  const errors = [];
  try {
    // 1. The status page on a desktop screen.
    const desk = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    let page = await desk.newPage();
    errors.push(...watch(page, 'status'));
    const resp = await page.goto(`${base}/`);
    const csp = resp.headers()['content-security-policy'] || '';
    check(csp.includes("default-src 'none'") && !csp.includes('unsafe-inline') && !csp.includes('script-src'),
      `status: weak Content-Security-Policy: ${csp}`);
    let got = await rows(page);
    const want = expect.rows;
    check(got.length === Object.keys(want).length, `status: ${got.length} rows, expected ${Object.keys(want).length}: ${JSON.stringify(got)}`);
    for (const [name, status] of Object.entries(want)) {
      const r = got.find((x) => x.name === name);
      check(r && r.status === status, `status: ${name} shows ${r ? r.status : 'no row'}, expected ${status}`);
    }
    // Worst first by default.
    check(got.length > 0 && got[0].status === 'failing', `status: first row is ${JSON.stringify(got[0])}, expected a failing one`);
    await noActiveContent(page, 'status');
    await page.screenshot({ path: path.join(shots, 'status-desktop.png'), fullPage: true });

    // Sorting by name with links: ascending, then descending.
    await page.click('#integrations thead a:text-is("Integration")');
    got = await rows(page);
    const names = got.map((r) => r.name);
    check(JSON.stringify(names) === JSON.stringify([...names].sort()), `status: sorted by name: ${names}`);
    check(page.url().includes('sort=name'), `status: sort link went to ${page.url()}`);
    await page.click('#integrations thead a:has-text("Integration")');
    const desc = (await rows(page)).map((r) => r.name);
    check(JSON.stringify(desc) === JSON.stringify([...names].sort().reverse()), `status: sorted by name, descending: ${desc}`);

    // Filtering: the totals are links; the form filters by name or owner.
    await page.goto(`${base}/`);
    await page.click(`ul.summary a:has(.badge:text-is("failing"))`);
    got = await rows(page);
    check(got.length > 0 && got.every((r) => r.status === 'failing'), `status: failing filter shows ${JSON.stringify(got)}`);
    await page.goto(`${base}/`);
    await page.fill('#q', expect.drifted);
    await page.selectOption('#status', 'drifted');
    await page.click('form.filter button[type=submit]');
    got = await rows(page);
    check(got.length === 1 && got[0].name === expect.drifted, `status: form filter shows ${JSON.stringify(got)}`);
    check(page.url().includes('status=drifted'), `status: form went to ${page.url()}`);

    // 2. The drifted integration's page.
    page = await desk.newPage();
    errors.push(...watch(page, 'drifted page'));
    await page.goto(`${base}/`);
    await page.click(`#integrations a:text-is("${expect.drifted}")`);
    check(page.url().endsWith(`/integrations/${expect.drifted}`), `drifted page: link went to ${page.url()}`);
    const accept = (await page.textContent('#accept-command') || '').trim();
    check(accept === expect.accept, `drifted page: accept command is ${JSON.stringify(accept)}, expected ${JSON.stringify(expect.accept)}`);
    const verdict = await page.textContent('#verdict + p');
    check(/Visibility/.test(verdict || ''), `drifted page: no verdict line: ${verdict}`);
    const field = await page.$$eval('table.stack tbody tr', (trs) => trs.map((t) => t.textContent));
    check(field.some((t) => t.includes(expect.at_risk_field) && t.includes('at_risk')),
      `drifted page: ${expect.at_risk_field} is not shown at_risk`);
    const ruleLinks = await page.$$eval('a[href^="#rule-"]', (as) => as.map((a) => a.getAttribute('href')));
    check(ruleLinks.length > 0, 'drifted page: no rule is linked to its explanation');
    for (const h of new Set(ruleLinks)) {
      check(await page.$(h) !== null, `drifted page: ${h} has no target`);
    }
    const history = await page.textContent('#history ~ ol.timeline');
    check(/First seen/.test(history || '') && /Confirmed/.test(history || ''), `drifted page: the timeline lacks the episode: ${history}`);
    check(/not ok since|ok again/.test(await page.textContent('main')), 'drifted page: no blind duration');
    await noActiveContent(page, 'drifted page');
    await page.screenshot({ path: path.join(shots, 'drifted-desktop.png'), fullPage: true });

    // 3. The failing one.
    page = await desk.newPage();
    errors.push(...watch(page, 'failing page'));
    await page.goto(`${base}/integrations/${expect.failing}`);
    const alert = await page.textContent('.note.alert');
    check(/Cannot see the vendor/.test(alert || '') && /http_status/.test(alert || ''), `failing page: ${alert}`);
    check(await page.$('#accept-command') === null, 'failing page: offers to accept a baseline with no drift');
    await noActiveContent(page, 'failing page');
    await page.screenshot({ path: path.join(shots, 'failing-desktop.png'), fullPage: true });

    // 4. Hostile spec text, rendered on its page.
    page = await desk.newPage();
    errors.push(...watch(page, 'hostile page'));
    await page.goto(`${base}/integrations/${expect.hostile}`);
    const text = await page.textContent('main');
    check(text.includes('<script>'), 'hostile page: the spec text is not shown as text');
    // Every element gets the events a pointer would send: a handler smuggled in as an
    // attribute would run now.
    await page.$$eval('*', (els) => els.forEach((el) => {
      for (const t of ['mouseover', 'mouseenter', 'mousedown', 'focus']) el.dispatchEvent(new Event(t, { bubbles: true }));
    }));
    await noActiveContent(page, 'hostile page');
    await page.screenshot({ path: path.join(shots, 'hostile-desktop.png'), fullPage: true });
    await desk.close();

    // 5. A phone: no sideways scrolling, the table stacks.
    const phone = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
    for (const [label, url, file] of [['status (phone)', '/', 'status-phone.png'],
      ['drifted page (phone)', `/integrations/${expect.drifted}`, 'drifted-phone.png']]) {
      page = await phone.newPage();
      errors.push(...watch(page, label));
      await page.goto(`${base}${url}`);
      const [sw, iw] = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
      check(sw <= iw + 1, `${label}: the page is ${sw}px wide on a ${iw}px screen`);
      await page.screenshot({ path: path.join(shots, file), fullPage: true });
    }
    await phone.close();

    // 6. JavaScript off: the same rows, sorting by link still works.
    const nojs = await browser.newContext({ javaScriptEnabled: false });
    page = await nojs.newPage();
    errors.push(...watch(page, 'status (no JavaScript)'));
    await page.goto(`${base}/?sort=name&dir=desc`);
    const html = await page.content();
    const order = [...html.matchAll(/<tr data-status="[a-z_]+"><td[^>]* data-label="Integration"><a href="[^"]+">([^<]+)<\/a>/g)].map((m) => m[1]);
    check(order.length === Object.keys(want).length && JSON.stringify(order) === JSON.stringify([...order].sort().reverse()),
      `status (no JavaScript): rows ${order}`);
    await nojs.close();

    // 7. Accessibility of both pages.
    await axe(browser, `${base}/`, 'status');
    await axe(browser, `${base}/integrations/${expect.drifted}`, 'drifted page');
    await axe(browser, `${base}/integrations/${expect.failing}`, 'failing page');
  } catch (e) {
    fail(`script error: ${e.stack || e}`);
  } finally {
    await browser.close();
  }
  for (const e of errors) fail(e);
  process.stdout.write(`${JSON.stringify({ failures, notes })}\n`);
  process.exit(failures.length ? 1 : 0);
})();
