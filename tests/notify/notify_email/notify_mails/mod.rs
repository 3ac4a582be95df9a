//! What each kind of email says and how it looks: every kind delivered to the real SMTP
//! server of `notify_email`, its HTML part rendered by headless Chromium (screenshots
//! at 1000 px and 360 px into the test's temp dir; `APIDRIFT_MAIL_SHOTS=DIR` keeps
//! them), the CSS-stripped HTML dumped by Chromium and compared with the text part, the
//! order (lost fields before any change), the absence of unconsumed changes, escaping,
//! a golden text part, and the mails shown in `docs/runbook.md`.
//!
//! Chromium is Debian's `chromium` (`.ci/run` installs it; `APIDRIFT_CHROMIUM`
//! overrides the path); a missing one fails with the command that installs it.

use super::{header, mailer, part, serve};
use crate::notify_fixture::*;
use apidrift::diff::Level;
use apidrift::model::Method;
use apidrift::notify::email::{Links, render};
use apidrift::notify::event::Failure;
use apidrift::notify::{ChangeTouch, Event, EventChange, Notice, NoticeKind};
use chrono::{DateTime, Duration as CDuration, Utc};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

const KINDS: [NoticeKind; 5] = [
    NoticeKind::DriftConfirmed,
    NoticeKind::DriftReminder,
    NoticeKind::DriftResolved,
    NoticeKind::CheckFailing,
    NoticeKind::CheckRecovered,
];

fn slug(kind: NoticeKind) -> &'static str {
    match kind {
        NoticeKind::DriftConfirmed => "confirmed",
        NoticeKind::DriftReminder => "reminder",
        NoticeKind::DriftResolved => "resolved",
        NoticeKind::CheckFailing => "failing",
        NoticeKind::CheckRecovered => "recovered",
    }
}

/// A fixed "now", so the golden files do not move.
fn t0() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-12-01T09:30:00Z")
        .unwrap()
        .with_timezone(&Utc)
}

fn links() -> Links {
    Links {
        page_base: Some("https://apidrift.example.com/ops".into()),
    }
}

/// The fixture drift as each kind of mail carries it: a reminder 2 d 3 h after the
/// confirmation, a resolution a day after it, a failure for 3 h (`http_status`), a
/// recovery after 5 h.
fn event_of(kind: NoticeKind) -> Event {
    let now = t0();
    let id = match kind {
        NoticeKind::DriftConfirmed | NoticeKind::DriftReminder => {
            "evt_5f0c2a9e3b7d41c8a6e2f0b9d3c7a1e4"
        }
        NoticeKind::DriftResolved => "evt_9a3e7c1b5d2f48a0b6c4e8d2f1a7b3c5",
        NoticeKind::CheckFailing => "evt_2b8d4f6a0c1e43b5a7d9f2c4e6b8a0d1",
        NoticeKind::CheckRecovered => "evt_7c1e5a9d3b2f40c6a8e4b2d6f0c8a2e3",
    };
    let drift_since = match kind {
        NoticeKind::DriftConfirmed => Some(now),
        NoticeKind::DriftReminder => Some(now - CDuration::hours(51)),
        NoticeKind::DriftResolved => Some(now - CDuration::hours(26)),
        _ => None,
    };
    let failing_since = match kind {
        NoticeKind::CheckFailing => Some(now - CDuration::hours(3)),
        NoticeKind::CheckRecovered => Some(now - CDuration::hours(5)),
        _ => None,
    };
    let notice = Notice {
        kind,
        event_id: id.into(),
        message_id: id.into(),
        fingerprints: Default::default(),
        failing_since,
        drift_since,
    };
    let mut e = event_for(&notice, now);
    match kind {
        NoticeKind::CheckFailing | NoticeKind::CheckRecovered => {
            e.changes.clear();
            e.operations.clear();
            e.sample_differences.clear();
            e.failure = Some(Failure {
                reason: "http_status".into(),
                since: failing_since.unwrap(),
            });
        }
        NoticeKind::DriftResolved => {
            // The verdict of the clean spec: every consumed field is seen again.
            e.verdict =
                serde_json::json!({"visibility": 1.0, "fields": {"lost": [], "at_risk": []}});
        }
        _ => {}
    }
    e
}

/// The HTML with every `style` attribute removed: what a client that strips CSS shows.
fn strip_css(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(i) = rest.find(" style=\"") {
        out.push_str(&rest[..i]);
        let after = &rest[i + 8..];
        let end = after.find('"').expect("closed style attribute");
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    out
}

/// The text a reader sees in `dom` (tags dropped, entities decoded, whitespace
/// collapsed).
fn visible_text(dom: &str) -> String {
    let body = dom.find("<body").map_or(dom, |i| &dom[i..]);
    // Inline elements join their neighbours; every other tag separates words.
    const INLINE: &[&str] = &["a", "code", "strong", "span", "em", "b"];
    let mut text = String::new();
    let mut tag = String::new();
    let mut in_tag = false;
    for c in body.chars() {
        match c {
            '<' => {
                in_tag = true;
                tag.clear();
            }
            '>' if in_tag => {
                in_tag = false;
                let name: String = tag
                    .trim_start_matches('/')
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric())
                    .collect();
                if !INLINE.contains(&name.as_str()) {
                    text.push(' ');
                }
            }
            c if in_tag => tag.push(c),
            c => text.push(c),
        }
    }
    let text = text
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&nbsp;", " ")
        .replace("&amp;", "&");
    collapse(&text)
}

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn chromium() -> PathBuf {
    let p = std::env::var_os("APIDRIFT_CHROMIUM")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"));
    assert!(
        p.exists(),
        "{} not found: the email rendering tests need Debian's chromium \
         (`apt-get install -y chromium fonts-dejavu-core`, what .ci/run does), or \
         APIDRIFT_CHROMIUM pointing at one",
        p.display()
    );
    p
}

/// Runs headless Chromium on `file` with `args`; its stdout. Fails after 90 s.
fn run_chromium(profile: &Path, file: &Path, args: &[String]) -> String {
    let out_path = profile.with_extension("out");
    let mut child = Command::new(chromium())
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args)
        .arg(format!("file://{}", file.display()))
        .stdout(std::fs::File::create(&out_path).unwrap())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("chromium starts");
    let deadline = Instant::now() + Duration::from_secs(90);
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            assert!(status.success(), "chromium {args:?} failed: {status}");
            break;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("chromium {args:?} did not finish in 90 s");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    std::fs::read_to_string(&out_path).unwrap_or_default()
}

/// Width and height of a PNG (its IHDR chunk).
fn png_size(path: &Path) -> (u32, u32) {
    let b = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    assert!(
        b.len() > 24 && &b[1..4] == b"PNG",
        "{} is a PNG",
        path.display()
    );
    let n = |i: usize| u32::from_be_bytes([b[i], b[i + 1], b[i + 2], b[i + 3]]);
    (n(16), n(20))
}

/// Facts each kind must state, in the text part and in the CSS-stripped HTML alike.
fn facts(kind: NoticeKind) -> Vec<&'static str> {
    let mut v = vec!["okta-users", "identity-oncall@example.com", "Runbook:"];
    match kind {
        NoticeKind::DriftConfirmed | NoticeKind::DriftReminder => v.extend([
            "okta-users lost 1 consumed field: GET /api/v1/users lastLogin; 1 more at risk: GET /api/v1/users status.",
            "66.7% of the consumed fields are still seen",
            "removed the response property `lastLogin`",
            "lastLoginAt",
            "added the enum value `<script>alert(1)</script>` to the response property `status`",
            "regenerate the fetcher",
            "1 other change touches nothing the fetcher reads (1 INFO)",
            "apidrift baseline accept okta-users \\ --reason \"...\"",
            "apidrift history okta-users",
            "https://apidrift.example.com/ops/integrations/okta-users",
        ]),
        NoticeKind::DriftResolved => v.extend([
            "The drift of okta-users is resolved",
            "It was open for 1 d 2 h.",
            "removed the response property `lastLogin`",
        ]),
        NoticeKind::CheckFailing => v.extend([
            "every check has failed for 3 h 0 min (http_status)",
            "2026-12-01 06:30 UTC",
            "the token in the monitor's auth expired or lost scopes",
            "apidrift check okta-users",
        ]),
        NoticeKind::CheckRecovered => v.extend([
            "apidrift sees the vendor of okta-users again",
            "Checks had failed for 5 h 0 min.",
            "2026-12-01 04:30 UTC",
        ]),
    }
    if kind == NoticeKind::DriftReminder {
        v.push("Still open after 2 d 3 h, not accepted:");
    }
    v
}

#[tokio::test]
async fn every_kind_is_delivered_and_reads_the_same_in_chromium_with_and_without_css() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let inbox = serve(listener);
    let tmp = tempfile::tempdir().unwrap();
    let shots = match std::env::var_os("APIDRIFT_MAIL_SHOTS") {
        Some(d) => PathBuf::from(d),
        None => tmp.path().to_path_buf(),
    };
    std::fs::create_dir_all(&shots).unwrap();
    let m = mailer(port);
    let to = vec!["oncall@example.com".to_string()];
    for (i, kind) in KINDS.into_iter().enumerate() {
        m.send_event(
            kind,
            &event_of(kind),
            &to,
            &format!("<mail-{i}@apidrift.invalid>"),
            &links(),
        )
        .await
        .unwrap_or_else(|e| panic!("{kind:?} delivered: {e:?}"));
    }
    let msgs = inbox.lock().unwrap().clone();
    assert_eq!(msgs.len(), KINDS.len());
    chromium();
    eprintln!("screenshots of the emails: {}", shots.display());
    for (kind, (_, msg)) in KINDS.into_iter().zip(&msgs) {
        let name = slug(kind);
        let subject = header(msg, "Subject");
        let text = part(msg, "text/plain").replace("\r\n", "\n");
        let html = part(msg, "text/html");
        assert_no_canary(name, msg);
        for body in [&text, &html] {
            assert!(
                !body.contains("127.0.0.1") && !body.contains("curl"),
                "{name}: {body}"
            );
        }
        assert!(
            !html.contains("<style") && !html.contains("<img") && !html.contains("<script"),
            "{name}: {html}"
        );
        assert!(!html.contains("url("), "{name}: no remote resource in CSS");
        for l in text.lines() {
            assert!(
                l.chars().count() <= 80,
                "{name}: text line over 80 columns: {l:?}"
            );
        }

        let styled = shots.join(format!("{name}.html"));
        std::fs::write(&styled, &html).unwrap();
        for width in [1000, 360] {
            let png = shots.join(format!("{name}-{width}.png"));
            run_chromium(
                &tmp.path().join(format!("profile-{name}-{width}")),
                &styled,
                &[
                    format!("--screenshot={}", png.display()),
                    format!("--window-size={width},2000"),
                ],
            );
            assert_eq!(png_size(&png), (width, 2000), "{}", png.display());
        }
        let bare = shots.join(format!("{name}-nocss.html"));
        std::fs::write(&bare, strip_css(&html)).unwrap();
        // How a client that strips CSS shows it, on a phone.
        let png = shots.join(format!("{name}-nocss-360.png"));
        run_chromium(
            &tmp.path().join(format!("profile-{name}-nocss")),
            &bare,
            &[
                format!("--screenshot={}", png.display()),
                "--window-size=360,2000".to_string(),
            ],
        );
        assert_eq!(png_size(&png), (360, 2000), "{}", png.display());
        let dom = run_chromium(
            &tmp.path().join(format!("profile-{name}-dom")),
            &bare,
            &["--dump-dom".to_string()],
        );
        assert!(
            dom.contains("</body>"),
            "{name}: chromium dumped the DOM: {dom}"
        );
        assert!(!dom.contains("style="), "{name}: CSS stripped");
        assert!(
            !dom.contains("<script"),
            "{name}: spec text stays text: {dom}"
        );
        let seen = visible_text(&dom);
        let plain = collapse(&text);
        // The verdict sentence comes first in both parts (after the header line).
        let verdict = collapse(text.split("\n\n").nth(1).expect("a verdict paragraph"));
        assert!(seen.contains(&verdict), "{name}: {verdict:?} not in {seen}");
        for fact in facts(kind) {
            assert!(plain.contains(fact), "{name}: text lacks {fact:?}:\n{text}");
            assert!(
                seen.contains(fact),
                "{name}: HTML without CSS lacks {fact:?}:\n{seen}"
            );
        }
        match kind {
            NoticeKind::DriftConfirmed | NoticeKind::DriftReminder => {
                for body in [&seen, &plain] {
                    let table = body
                        .find("Consumed fields lost or at risk (2)")
                        .expect("the table");
                    let list = body
                        .find("Changes to what the fetcher reads (2)")
                        .expect("the list");
                    let first_change = body
                        .find("[ERR]")
                        .or_else(|| body.find("ERR removed"))
                        .expect("a change");
                    assert!(
                        table < list && table < first_change,
                        "{name}: lost fields first: {body}"
                    );
                    assert!(
                        !body.contains("added the optional response property"),
                        "{name}: an unconsumed change is listed: {body}"
                    );
                }
                assert!(
                    html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
                    "{name}: escaped"
                );
                assert!(html.contains("Open in apidrift</a>"), "{name}: the button");
                assert!(
                    text.contains("<script>alert(1)</script>"),
                    "text shows spec text as is"
                );
            }
            _ => assert!(
                !plain.contains("baseline accept"),
                "{name}: nothing to accept"
            ),
        }
        eprintln!("{name}: {subject}");
    }
    let subjects: Vec<String> = msgs.iter().map(|(_, m)| header(m, "Subject")).collect();
    assert_eq!(
        subjects,
        [
            "[apidrift] okta-users: 1 consumed field lost, 1 at risk",
            "[apidrift] okta-users: 1 consumed field lost, 1 at risk (reminder, open 2 d 3 h)",
            "[apidrift] okta-users: drift resolved",
            "[apidrift] okta-users: cannot see the vendor (http_status)",
            "[apidrift] okta-users: vendor reachable again",
        ]
    );
}

/// A monitor without a consumes contract and a long drift: every change is listed,
/// ERR first, capped with an "N more" line; without `external_url`, CLI commands.
#[test]
fn without_a_contract_every_change_is_listed_err_first_and_capped() {
    let notice = Notice {
        kind: NoticeKind::DriftConfirmed,
        event_id: "evt_nocontract".into(),
        message_id: "evt_nocontract".into(),
        fingerprints: Default::default(),
        failing_since: None,
        drift_since: Some(t0()),
    };
    let mut e = event_for(&notice, t0());
    e.consumes = serde_json::Value::Null;
    e.verdict = serde_json::Value::Null;
    e.changes = (0..30)
        .map(|i| {
            let level = if i == 29 { Level::Err } else { Level::Info };
            let c = change(
                "response-optional-property-added",
                level,
                Method::Get,
                &format!("/api/v1/things{i}"),
                &[&format!("p{i}")],
                &format!("added the optional response property `p{i}`"),
            );
            EventChange::new(c, ChangeTouch::Unknown)
        })
        .collect();
    let r = render(NoticeKind::DriftConfirmed, &e, &Links::default());
    assert_eq!(r.subject, "[apidrift] okta-users: 1 breaking change");
    let text = &r.text;
    assert!(text.contains("Changes (30), ERR first"), "{text}");
    let err = text.find("[ERR]").expect("the ERR change");
    let info = text.find("[INFO]").expect("an INFO change");
    assert!(err < info, "ERR first:\n{text}");
    assert!(
        text.contains("... and 5 more. `apidrift check okta-users` lists them all."),
        "{text}"
    );
    assert!(
        collapse(text).contains("It has no consumes contract"),
        "{text}"
    );
    assert!(!text.contains("Open in apidrift") && !r.html.contains("Open in apidrift"));
    assert!(!text.contains("Consumed fields"), "{text}");
    assert!(
        text.contains("apidrift check okta-users") && text.contains("apidrift history okta-users")
    );
    assert!(!text.contains("127.0.0.1") && !r.html.contains("127.0.0.1"));
    assert_eq!(
        r.html
            .matches("added the optional response property")
            .count(),
        25
    );
}

#[test]
fn golden_text_part_of_a_confirmed_drift() {
    let r = render(
        NoticeKind::DriftConfirmed,
        &event_of(NoticeKind::DriftConfirmed),
        &links(),
    );
    insta::assert_snapshot!("confirmed_drift_text", r.text);
}

const BEGIN: &str = "<!-- mails:begin (generated by `cargo test --test notify runbook`; APIDRIFT_BLESS=1 rewrites) -->";
const END: &str = "<!-- mails:end -->";

/// `docs/runbook.md` shows the text part of every kind as rendered now.
#[test]
fn runbook_shows_one_rendered_mail_of_each_kind() {
    let mut block = String::new();
    block.push_str(BEGIN);
    block.push('\n');
    for kind in KINDS {
        let r = render(kind, &event_of(kind), &links());
        block.push_str(&format!(
            "\n### {}\n\n```text\nSubject: {}\n\n{}```\n",
            slug(kind),
            r.subject,
            r.text
        ));
    }
    block.push('\n');
    block.push_str(END);
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/runbook.md");
    let doc = std::fs::read_to_string(&path).unwrap();
    let start = doc
        .find(BEGIN)
        .expect("docs/runbook.md has the mails block");
    let end = doc[start..].find(END).expect("the block ends") + start + END.len();
    let current = &doc[start..end];
    if current != block {
        if std::env::var_os("APIDRIFT_BLESS").is_some() {
            std::fs::write(&path, format!("{}{block}{}", &doc[..start], &doc[end..])).unwrap();
        } else {
            panic!(
                "docs/runbook.md shows other mails than the renderer writes; run \
                 `APIDRIFT_BLESS=1 cargo test --test notify runbook` and commit.\nexpected:\n{block}"
            );
        }
    }
}

/// A drift a human acknowledged says so in every later mail: who, when, why, until when.
#[test]
fn an_acknowledged_drift_says_who_handled_it() {
    use apidrift::state::history::Acknowledgement;
    let mut e = event_of(NoticeKind::DriftReminder);
    e.acknowledged = Some(Acknowledgement {
        at: t0() - CDuration::hours(30),
        by: "oncall@example.com".into(),
        note: Some("regenerating the fetcher".into()),
        until: Some(t0() - CDuration::hours(1)),
        cleared_at: None,
        cleared_by: None,
    });
    let r = render(NoticeKind::DriftReminder, &e, &links());
    for part in [collapse(&r.text), collapse(&r.html)] {
        assert!(part.contains("Acknowledged"), "{part}");
        assert!(part.contains("oncall@example.com"), "{part}");
        assert!(part.contains("regenerating the fetcher"), "{part}");
        assert!(part.contains("(ended)"), "{part}");
    }
    assert!(
        r.text.lines().all(|l| l.chars().count() <= 80),
        "{}",
        r.text
    );
    let plain = render(
        NoticeKind::DriftReminder,
        &event_of(NoticeKind::DriftReminder),
        &links(),
    );
    assert!(!plain.text.contains("Acknowledged"), "{}", plain.text);
    // In the webhook event too, and it reads back.
    let json = serde_json::to_string(&e).unwrap();
    let back: Event = serde_json::from_str(&json).unwrap();
    assert_eq!(back.acknowledged, e.acknowledged);
}
