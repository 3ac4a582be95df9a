//! A deliberately simple, independent reference oracle for the diff's recall on real
//! vendor history: every fact a value can have at every location of every operation
//! (`flatten`), the differences of those facts between two versions classified for the
//! consumer (`classify`), and whether `apidrift::diff::compare` reported a change that
//! covers each of them at a level consistent with its risk (`cover`).
//!
//! Owns: the corpus and fixture runs, the report (stderr and `target/oracle-report.md`)
//! and the exceptions table. Must not: share code with `apidrift::diff` or
//! `apidrift::impact` beyond the model and the output types (`compare`, `Change`,
//! `DiffOptions`, `Level`, `Section`), memoize, count hops, or special-case a fixture,
//! file, vendor or path. An exception matches a category of semantics and says why.
//!
//! Run: `cargo test --test shared oracle -- --nocapture`.

mod classify;
mod cover;
mod flatten;
#[cfg(test)]
mod tests;

use apidrift::diff::{self, Change, DiffOptions};
use apidrift::model::{Api, OpKey, Operation};
use apidrift::spec::{self, LoadOptions};
use classify::{FactDiff, Kind, Risk};
use cover::{Coverage, Index, Scope, SiteNames};
use flatten::{Dir, Flat, Site};
use std::collections::BTreeMap;
use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Misses listed per pair in the report.
const LISTED_PER_PAIR: usize = 30;

/// One miss or level miss, with what the report shows of it.
#[derive(Debug, Clone)]
pub struct Finding {
    pub op: String,
    pub site: String,
    pub diff: FactDiff,
    pub coverage: Coverage,
    /// Distinct named components on the way to the location.
    pub components: usize,
    /// The revision operation's `x-stability-level`.
    pub stability: Option<String>,
    /// Filled only for the findings the report lists (`None`: not computed).
    pub closest: Option<Vec<String>>,
    key: OpKey,
    /// The site's names as written in the base and the revision (parameters, headers).
    names: (Option<String>, Option<String>),
    /// The exception that accepts it, if any.
    pub exception: Option<&'static str>,
    /// A component-relative path of the location is the tail of a property path the diff
    /// reported elsewhere (see `Suffixes`): a hint that the change was found, but not
    /// at this location.
    pub hint: Option<&'static str>,
}

/// Every tail (from the start or after a `.`) of every property path the diff reported
/// in section `paths`, per direction, with where it was reported.
struct Suffixes<'c>(HashMap<(Dir, String), Vec<(&'c OpKey, &'c Scope)>>);

impl<'c> Suffixes<'c> {
    fn new(index: &'c Index<'_>) -> Suffixes<'c> {
        let mut m: HashMap<(Dir, String), Vec<(&OpKey, &Scope)>> = HashMap::new();
        for (op, cs) in &index.by_op {
            for (_, s) in cs {
                let p = cover::scope_path(s);
                let Some(dir) = cover::scope_dir(s) else {
                    continue;
                };
                if p.is_empty() {
                    continue;
                }
                let starts = std::iter::once(0).chain(p.match_indices('.').map(|(i, _)| i + 1));
                for i in starts {
                    m.entry((dir, p[i..].to_string()))
                        .or_default()
                        .push((op, s));
                }
            }
        }
        Suffixes(m)
    }

    /// Is a component-relative path of `d`'s location reported by the diff at another
    /// path in the same direction: at this site, or only at other sites or operations?
    fn hint(&self, op: &OpKey, d: &FactDiff, names: &SiteNames<'_>) -> Option<&'static str> {
        let mut other = false;
        let rels = d
            .comps
            .iter()
            .filter(|(_, r)| !r.is_empty() && *r != d.path)
            .flat_map(|(_, r)| {
                // The path and its ancestors: a change there covers it too.
                let cuts = r.match_indices(['.', '[']).map(|(i, _)| i);
                cuts.chain(std::iter::once(r.len())).map(move |i| &r[..i])
            })
            .filter(|r| !r.is_empty());
        for rel in rels {
            let Some(at) = self.0.get(&(d.site.dir(), rel.to_string())) else {
                continue;
            };
            if at.iter().any(|(o, s)| {
                *o == op && cover::scope_covers(&cover::root_of(s), &d.site, names, "")
            }) {
                return Some("its component path is reported at another path of this site");
            }
            other = true;
        }
        other.then_some("its component path is reported only at other sites or operations")
    }
}

/// A documented exception: a category of semantics the diff does not report on
/// purpose, with the reason.
struct Exception {
    name: &'static str,
    reason: &'static str,
    applies: fn(&Finding) -> bool,
}

/// The exceptions. Each matches a category of semantics, never a fixture, file, vendor
/// or path.
const EXCEPTIONS: &[Exception] = &[
    Exception {
        name: "removal after deprecation",
        reason: "the base marked the removed parameter, header or property deprecated: the \
                 removal was announced, and the diff reports it as an INFO \
                 `*-removed-with-deprecation` (or judges it by x-sunset), as oasdiff does",
        applies: |f| {
            matches!(f.diff.kind, Kind::Removed)
                && f.diff.deprecated
                && f.coverage == Coverage::LevelMiss
        },
    },
    Exception {
        name: "operation below the stability threshold",
        reason: "the revision marks the operation x-stability-level draft or alpha, which \
             promises nothing: the diff then reports only its lifecycle, as oasdiff does \
             with its default stability threshold (documented in diff::compare)",
        applies: |f| {
            f.stability
                .as_deref()
                .is_some_and(|s| s.eq_ignore_ascii_case("draft") || s.eq_ignore_ascii_case("alpha"))
        },
    },
];

/// The measurements of one pair of specs.
#[derive(Debug, Default)]
pub struct PairStats {
    pub name: String,
    pub ops: usize,
    pub ops_truncated: usize,
    pub variants_capped: usize,
    pub cycle_stops: usize,
    pub depth_stops: usize,
    pub changes: usize,
    pub risky: usize,
    pub benign: usize,
    pub covered: usize,
    pub level_misses: usize,
    pub misses: usize,
    pub excepted: usize,
    /// Misses and level misses whose change the diff reported at another path or
    /// operation (`Finding::hint`).
    pub elsewhere: usize,
    pub findings: Vec<Finding>,
    pub time: Duration,
    /// Of `time`, what `diff::compare` took.
    pub diff_time: Duration,
}

impl PairStats {
    fn total(&self) -> usize {
        self.risky + self.benign
    }

    fn recall(&self) -> f64 {
        if self.total() == 0 {
            1.0
        } else {
            self.covered as f64 / self.total() as f64
        }
    }

    /// Recall when a change reported at another path or operation counts as found.
    fn recall_elsewhere(&self) -> f64 {
        if self.total() == 0 {
            1.0
        } else {
            (self.covered + self.elsewhere) as f64 / self.total() as f64
        }
    }

    fn add(&mut self, o: &PairStats) {
        self.ops += o.ops;
        self.ops_truncated += o.ops_truncated;
        self.variants_capped += o.variants_capped;
        self.cycle_stops += o.cycle_stops;
        self.depth_stops += o.depth_stops;
        self.changes += o.changes;
        self.risky += o.risky;
        self.benign += o.benign;
        self.covered += o.covered;
        self.level_misses += o.level_misses;
        self.misses += o.misses;
        self.excepted += o.excepted;
        self.elsewhere += o.elsewhere;
        self.time += o.time;
        self.diff_time += o.diff_time;
    }
}

fn site_str(site: &Site, names: &BTreeMap<Site, String>) -> String {
    match site {
        Site::Param { location, key } => format!(
            "parameter {} {}",
            location.as_str(),
            names.get(site).map_or(key.as_str(), String::as_str)
        ),
        Site::RequestBody { media_type } => format!("request body {media_type}"),
        Site::ResponseBody { status, media_type } => format!("response {status} {media_type}"),
        Site::ResponseHeader { status, name } => format!("response {status} header {name}"),
    }
}

pub fn change_str(c: &Change) -> String {
    format!("{} {} [{}]", c.level, c.id, c.args.join(", "))
}

fn diff_options() -> DiffOptions {
    DiffOptions {
        today: Some("2026-01-01".into()),
        ..Default::default()
    }
}

/// Runs the oracle on one pair: every operation on both sides, flattened, diffed and
/// checked against `diff::compare`.
pub fn run_pair(name: &str, base: &Api, rev: &Api) -> PairStats {
    let start = Instant::now();
    let changes = diff::compare(base, rev, &diff_options());
    let diff_time = start.elapsed();
    let index = Index::new(&changes);
    let suffixes = Suffixes::new(&index);
    let mut st = PairStats {
        name: name.to_string(),
        changes: changes.len(),
        diff_time,
        ..PairStats::default()
    };
    for (key, bop) in &base.operations {
        let Some(rop) = rev.operations.get(key) else {
            continue;
        };
        st.ops += 1;
        let (bf, rf) = (flatten::flatten(base, bop), flatten::flatten(rev, rop));
        for f in [&bf, &rf] {
            st.variants_capped += f.variants_capped;
            st.cycle_stops += f.cycle_stops;
            st.depth_stops += f.depth_stops;
        }
        st.ops_truncated += usize::from(bf.truncated || rf.truncated);
        check_op(&mut st, &index, &suffixes, key, (bop, rop), (&bf, &rf));
    }
    verify_beyond_hop_limit(&mut st, base, rev);
    // The closest changes, for the findings the report will list.
    for i in pick(&st.findings, LISTED_PER_PAIR) {
        let f = &st.findings[i];
        let names = SiteNames {
            base: f.names.0.as_deref(),
            rev: f.names.1.as_deref(),
        };
        let c = index.closest(&f.key, &f.diff, &names);
        st.findings[i].closest = Some(c.into_iter().map(change_str).collect());
    }
    st.time = start.elapsed();
    st
}

fn check_op(
    st: &mut PairStats,
    index: &Index<'_>,
    suffixes: &Suffixes<'_>,
    key: &OpKey,
    (bop, rop): (&Operation, &Operation),
    (bf, rf): (&Flat, &Flat),
) {
    let diffs = classify::diff_locations(bf, rf, bop.request_body.is_some());
    for d in diffs {
        match d.risk {
            Risk::Risky => st.risky += 1,
            Risk::Benign => st.benign += 1,
        }
        let names = SiteNames {
            base: bf.names.get(&d.site).map(String::as_str),
            rev: rf.names.get(&d.site).map(String::as_str),
        };
        let coverage = index.cover(key, &d, &names);
        if coverage == Coverage::Covered {
            st.covered += 1;
            continue;
        }
        let mut all_names = bf.names.clone();
        all_names.extend(rf.names.clone());
        let mut f = Finding {
            op: format!("{} {}", rop.method, rop.path),
            site: site_str(&d.site, &all_names),
            components: d
                .comps
                .iter()
                .map(|(c, _)| c.as_str())
                .collect::<std::collections::BTreeSet<_>>()
                .len(),
            stability: rop.stability.clone(),
            closest: None,
            key: key.clone(),
            names: (
                names.base.map(str::to_string),
                names.rev.map(str::to_string),
            ),
            hint: suffixes.hint(key, &d, &names),
            diff: d,
            coverage,
            exception: None,
        };
        f.exception = EXCEPTIONS.iter().find(|e| (e.applies)(&f)).map(|e| e.name);
        if f.exception.is_some() {
            st.excepted += 1;
        } else if f.hint.is_some() {
            st.elsewhere += 1;
        }
        if f.exception.is_some() {
        } else if coverage == Coverage::LevelMiss {
            st.level_misses += 1;
        } else {
            st.misses += 1;
        }
        st.findings.push(f);
    }
}

/// The exception the diff's deduplication earns, checked per finding, never assumed: the
/// operations with findings left are compared again with no hop limit (`max_ref_hops:
/// 0`, what `apidrift diff --max-ref-hops 0` runs) and, for a response body, the
/// finding's path watched (what a consumes contract naming it does); a finding that
/// comparison covers, at a level its risk needs, is accepted as [`DEDUPLICATED`].
const DEDUPLICATED: &str = "reported once, not at every path";

const DEDUPLICATED_REASON: &str = "the difference lies in a component more than \
     `max_ref_hops` (2) component hops below the operation, or one the site already \
     reported at its first 4 paths (Stripe's expandable objects recur at hundreds): by \
     design the diff reports it at those paths, at other operations or once in section \
     `components`, and at this path when a consumes contract reads it. Checked per \
     finding: the same operations compared again with no hop limit and the finding's \
     path watched report it here";

fn verify_beyond_hop_limit(st: &mut PairStats, base: &Api, rev: &Api) {
    let ops: std::collections::BTreeSet<OpKey> = st
        .findings
        .iter()
        .filter(|f| f.exception.is_none())
        .map(|f| f.key.clone())
        .collect();
    if ops.is_empty() {
        return;
    }
    // Only the operations with findings: the rest cannot cover them (an operation's
    // own changes are reported at it) and would only cost time.
    let keep = |api: &Api| {
        let mut a = api.clone();
        a.operations.retain(|k, _| ops.contains(k));
        a
    };
    let (b, r) = (keep(base), keep(rev));
    let mut watched: BTreeMap<OpKey, Vec<String>> = BTreeMap::new();
    for f in st.findings.iter().filter(|f| f.exception.is_none()) {
        if matches!(f.diff.site, Site::ResponseBody { .. }) && !f.diff.path.is_empty() {
            watched
                .entry(f.key.clone())
                .or_default()
                .push(f.diff.path.clone());
        }
    }
    let opts = DiffOptions {
        max_ref_hops: 0,
        watched,
        ..diff_options()
    };
    let changes = diff::compare(&b, &r, &opts);
    let index = Index::new(&changes);
    for f in st.findings.iter_mut().filter(|f| f.exception.is_none()) {
        let names = SiteNames {
            base: f.names.0.as_deref(),
            rev: f.names.1.as_deref(),
        };
        if index.cover(&f.key, &f.diff, &names) != Coverage::Covered {
            continue;
        }
        f.exception = Some(DEDUPLICATED);
        st.excepted += 1;
        if f.hint.is_some() {
            st.elsewhere -= 1;
        }
        match f.coverage {
            Coverage::LevelMiss => st.level_misses -= 1,
            _ => st.misses -= 1,
        }
    }
}

/// The category of a finding: what kind of semantics the diff missed.
pub fn category(f: &Finding) -> String {
    let d = &f.diff;
    let at = match (&d.site, d.path.is_empty()) {
        (Site::Param { .. }, true) => "parameter",
        (Site::Param { .. }, false) => "parameter property",
        (Site::RequestBody { .. }, true) => "request body",
        (Site::RequestBody { .. }, false) => "request property",
        (Site::ResponseBody { .. }, true) => "response body",
        (Site::ResponseBody { .. }, false) => "response property",
        (Site::ResponseHeader { .. }, _) => "response header",
    };
    let what = match d.kind {
        Kind::Removed | Kind::RemovedWithBranch | Kind::Added => d.kind.name().to_string(),
        k => format!("{} {}", k.name(), d.effect.word()),
    };
    let mut s = format!(
        "{}{at}: {what}",
        if f.coverage == Coverage::LevelMiss {
            "[level] "
        } else {
            ""
        }
    );
    if d.alt {
        s.push_str(" via oneOf/anyOf");
    }
    if f.components > 2 {
        s.push_str(" (>2 components deep)");
    }
    if let Some(h) = f.hint {
        let _ = write!(s, " [{h}]");
    }
    s
}

fn finding_line(f: &Finding) -> String {
    let d = &f.diff;
    let risk = match d.risk {
        Risk::Risky => "risky",
        Risk::Benign => "benign",
    };
    let closest = match &f.closest {
        None => "(not computed)".to_string(),
        Some(c) if c.is_empty() => "none".to_string(),
        Some(c) => c.join("; "),
    };
    format!(
        "| {} | {} | `{}` | {} {} ({risk}) | `{}` → `{}` | {} / {} | {} |",
        esc(&f.op),
        esc(&f.site),
        esc(if d.path.is_empty() { "(root)" } else { &d.path }),
        d.kind.name(),
        d.effect.word(),
        esc(&d.base),
        esc(&d.rev),
        d.depth,
        f.components,
        esc(&closest),
    )
}

fn esc(s: &str) -> String {
    let s = s.replace('|', "\\|").replace('\n', " ");
    if s.len() > 300 {
        let mut end = 300;
        while !s.is_char_boundary(end) {
            end -= 1;
        }
        format!("{}…", &s[..end])
    } else {
        s
    }
}

fn table_row(st: &PairStats) -> String {
    format!(
        "| {} | {} | {} | {} / {} | {} | {} | {} | {} | {:.4} | {} | {:.4} | {} / {} / {} / {} | {:.1}s |",
        st.name,
        st.ops,
        st.changes,
        st.risky,
        st.benign,
        st.covered,
        st.level_misses,
        st.misses,
        st.excepted,
        st.recall(),
        st.elsewhere,
        st.recall_elsewhere(),
        st.ops_truncated,
        st.variants_capped,
        st.cycle_stops,
        st.depth_stops,
        st.time.as_secs_f64(),
    )
}

const TABLE_HEAD: &str = "| pair | ops | changes | fact diffs risky / benign | covered | level misses | misses | excepted | recall | of the misses: reported elsewhere | recall counting those | truncated ops / variant caps / cycle stops / depth stops | time |\n|---|---|---|---|---|---|---|---|---|---|---|---|---|";

/// Picks up to `n` findings (indexes), round-robin over categories (so the list shows
/// each).
fn pick(findings: &[Finding], n: usize) -> Vec<usize> {
    let mut by_cat: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, f) in findings
        .iter()
        .enumerate()
        .filter(|(_, f)| f.exception.is_none())
    {
        by_cat.entry(category(f)).or_default().push(i);
    }
    let mut out = Vec::new();
    let mut round = 0;
    while out.len() < n {
        let before = out.len();
        for v in by_cat.values() {
            if let Some(&i) = v.get(round)
                && out.len() < n
            {
                out.push(i);
            }
        }
        if out.len() == before {
            break;
        }
        round += 1;
    }
    out
}

fn render(pairs: &[PairStats], fixtures: &PairStats, total_time: Duration) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "# Oracle report: recall of `apidrift diff` on fact differences\n"
    );
    let _ = writeln!(
        s,
        "Depth cap {} steps, {} locations per operation and side, {} variants per location. \
         Total time {:.1}s.\n",
        flatten::MAX_DEPTH,
        flatten::MAX_LOCATIONS_PER_OP,
        flatten::MAX_VARIANTS,
        total_time.as_secs_f64()
    );
    let _ = writeln!(s, "{TABLE_HEAD}");
    let mut corpus = PairStats {
        name: "**corpus total**".into(),
        ..PairStats::default()
    };
    for p in pairs {
        let _ = writeln!(s, "{}", table_row(p));
        corpus.add(p);
    }
    let _ = writeln!(s, "{}", table_row(&corpus));
    let _ = writeln!(s, "{}", table_row(fixtures));

    // Categories over everything.
    /// Per category: count, first example (pair name, finding).
    type Cats<'p> = BTreeMap<String, (usize, Option<(&'p str, &'p Finding)>)>;
    let mut cats: Cats<'_> = BTreeMap::new();
    for p in pairs.iter().chain(std::iter::once(fixtures)) {
        for f in &p.findings {
            let key = match f.exception {
                Some(e) => format!("(excepted: {e}) {}", category(f)),
                None => category(f),
            };
            let e = cats.entry(key).or_insert((0, None));
            e.0 += 1;
            e.1.get_or_insert((&p.name, f));
        }
    }
    let mut cats: Vec<_> = cats.into_iter().collect();
    cats.sort_by(|a, b| b.1.0.cmp(&a.1.0).then_with(|| a.0.cmp(&b.0)));
    let _ = writeln!(s, "\n## Miss categories\n");
    let _ = writeln!(
        s,
        "| count | category | example (pair: operation, site, path, base → revision) |\n|---|---|---|"
    );
    for (cat, (n, ex)) in &cats {
        let ex = ex.map_or(String::new(), |(pair, f)| {
            format!(
                "{pair}: {} {} `{}` `{}` → `{}`",
                f.op,
                f.site,
                if f.diff.path.is_empty() {
                    "(root)"
                } else {
                    &f.diff.path
                },
                f.diff.base,
                f.diff.rev
            )
        });
        let _ = writeln!(s, "| {n} | {} | {} |", esc(cat), esc(&ex));
    }
    let _ = writeln!(
        s,
        "\n## Classification\n\nInside a readOnly request property or a writeOnly response property \
         everything is benign; a scalar/string swap where the value travels as text (form, \
         multipart, text/*, XML bodies, parameters in the safe direction; response headers) \
         is benign, and so are `explode` on a scalar parameter and a scalar parameter \
         becoming an exploded array; a removed 4xx status or media type, and a response media \
         type replaced by one of the same type/subtype or a more specific one, are benign. A \
         fact that differs only through parent variants that existed but did not declare the \
         property before (a branch gaining a field another branch had) is benign: the reader \
         met its absence in those objects. Formats are compared per type, bounds only where \
         both sides have a type they apply to; an absent `additionalProperties` is \
         \"any value\"; a location whose variants were cut at the variant cap is not \
         compared.\n\n{}",
        classify::table_markdown()
    );
    let _ = writeln!(s, "\n## Exceptions\n");
    for e in EXCEPTIONS {
        let _ = writeln!(s, "- **{}**: {}", e.name, e.reason);
    }
    let _ = writeln!(s, "- **{DEDUPLICATED}**: {DEDUPLICATED_REASON}");
    for p in pairs.iter().chain(std::iter::once(fixtures)) {
        let listed = pick(&p.findings, LISTED_PER_PAIR);
        if listed.is_empty() {
            continue;
        }
        let _ = writeln!(
            s,
            "\n## {}: {} misses, {} level misses (up to {LISTED_PER_PAIR} listed)\n",
            p.name, p.misses, p.level_misses
        );
        let _ = writeln!(
            s,
            "| operation | site | path | what differed | base → revision | depth / components | closest changes at the site |\n|---|---|---|---|---|---|---|"
        );
        for i in listed {
            let _ = writeln!(s, "{}", finding_line(&p.findings[i]));
        }
    }
    s
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn load(path: &Path) -> Result<Api, String> {
    let p = path.to_str().ok_or("non-UTF-8 path")?;
    spec::load(p, &LoadOptions::default())
        .map(|l| l.api)
        .map_err(|e| e.to_string())
}

/// Consecutive pairs of each vendor of the corpus, by date: (name, older, newer).
fn corpus_pairs() -> Vec<(String, PathBuf, PathBuf)> {
    let dir = root().join("../shared/corpus");
    let manifest = std::fs::read_to_string(dir.join("MANIFEST.tsv")).unwrap_or_else(|e| {
        panic!(
            "{}: {e}: the oracle needs ../shared/corpus beside the project root",
            dir.display()
        )
    });
    let mut by_vendor: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
    for line in manifest.lines().skip(1) {
        let cols: Vec<&str> = line.split('\t').collect();
        if cols.len() > 5 {
            by_vendor
                .entry(cols[0].to_string())
                .or_default()
                .push((cols[5].to_string(), cols[1].to_string()));
        }
    }
    let mut out = Vec::new();
    for files in by_vendor.values_mut() {
        files.sort();
        for w in files.windows(2) {
            let short = |f: &str| {
                Path::new(f)
                    .file_stem()
                    .map_or(f.to_string(), |s| s.to_string_lossy().into_owned())
            };
            out.push((
                format!("{} → {}", short(&w[0].1), short(&w[1].1)),
                dir.join(&w[0].1),
                dir.join(&w[1].1),
            ));
        }
    }
    out
}

/// Every fixture pair: `tests/fixtures/{rules,schema}/*/{base,revision}.yaml`.
fn fixture_pairs() -> Vec<(String, PathBuf, PathBuf)> {
    let mut out = Vec::new();
    for area in ["rules", "schema"] {
        let dir = root().join("tests/fixtures").join(area);
        let Ok(rd) = std::fs::read_dir(&dir) else {
            continue;
        };
        let mut dirs: Vec<PathBuf> = rd.filter_map(|e| e.ok().map(|e| e.path())).collect();
        dirs.sort();
        for d in dirs {
            let (b, r) = (d.join("base.yaml"), d.join("revision.yaml"));
            if b.is_file() && r.is_file() {
                let name = format!(
                    "{area}/{}",
                    d.file_name()
                        .map_or(String::new(), |n| n.to_string_lossy().into_owned())
                );
                out.push((name, b, r));
            }
        }
    }
    out
}

#[test]
fn oracle_recall_on_corpus_and_fixtures() {
    let start = Instant::now();
    let mut pairs = corpus_pairs();
    assert_eq!(pairs.len(), 24, "12 vendors x 2 consecutive pairs");
    // `APIDRIFT_ORACLE_PAIRS=stripe` runs only the corpus pairs whose name contains it
    // (and no fixtures): for iterating on one vendor. The assertion then covers those.
    let only = std::env::var("APIDRIFT_ORACLE_PAIRS").ok();
    if let Some(o) = &only {
        pairs.retain(|(n, _, _)| n.contains(o.as_str()));
    }
    let mut results = Vec::new();
    // Each file is loaded once: the newer side of one pair is the older of the next.
    let mut cached: Option<(PathBuf, Api)> = None;
    for (name, older, newer) in &pairs {
        let t = Instant::now();
        let base = match cached.take() {
            Some((p, api)) if &p == older => api,
            _ => load(older).unwrap_or_else(|e| panic!("{}: {e}", older.display())),
        };
        let rev = load(newer).unwrap_or_else(|e| panic!("{}: {e}", newer.display()));
        let load_time = t.elapsed();
        let st = run_pair(name, &base, &rev);
        eprintln!(
            "oracle: {name}: load {:.1}s, diff {:.1}s, oracle {:.1}s, {} fact diffs, recall {:.4}",
            load_time.as_secs_f64(),
            st.diff_time.as_secs_f64(),
            (st.time - st.diff_time).as_secs_f64(),
            st.total(),
            st.recall()
        );
        results.push(st);
        cached = Some((newer.clone(), rev));
    }
    drop(cached);

    let mut fixtures = PairStats {
        name: "**fixtures total** (both directions)".into(),
        ..PairStats::default()
    };
    let mut fixture_count = 0;
    let fixture_list = if only.is_some() {
        Vec::new()
    } else {
        fixture_pairs()
    };
    for (name, b, r) in fixture_list {
        let (Ok(base), Ok(rev)) = (load(&b), load(&r)) else {
            panic!("{name}: a fixture pair does not load");
        };
        for (label, x, y) in [
            (name.clone(), &base, &rev),
            (format!("{name} (reversed)"), &rev, &base),
        ] {
            let mut st = run_pair(&label, x, y);
            fixture_count += 1;
            for f in &mut st.findings {
                f.op = format!("{label}: {}", f.op);
            }
            fixtures.add(&st);
            fixtures.findings.append(&mut st.findings);
        }
    }
    assert!(
        only.is_some() || fixture_count > 200,
        "fixture pairs run (both directions): {fixture_count}"
    );

    let total_time = start.elapsed();
    let report = render(&results, &fixtures, total_time);
    eprintln!("{report}");
    let out = root().join("target/oracle-report.md");
    if let Some(dir) = out.parent() {
        let _ = std::fs::create_dir_all(dir);
    }
    std::fs::write(&out, &report).unwrap_or_else(|e| panic!("{}: {e}", out.display()));
    // Every finding, one per line, for grepping beyond the ~30 the report lists.
    let all = out.with_file_name("oracle-findings.tsv");
    let mut tsv =
        String::from("pair\tcategory\toperation\tsite\tpath\tkind\teffect\trisk\tbase\trevision\n");
    for p in results.iter().chain(std::iter::once(&fixtures)) {
        for f in &p.findings {
            let d = &f.diff;
            let _ = writeln!(
                tsv,
                "{}\t{}{}\t{}\t{}\t{}\t{}\t{}\t{:?}\t{}\t{}",
                p.name,
                f.exception
                    .map_or(String::new(), |e| format!("(excepted: {e}) ")),
                category(f),
                f.op,
                f.site,
                d.path,
                d.kind.name(),
                d.effect.word(),
                d.risk,
                d.base.replace('\t', " "),
                d.rev.replace('\t', " ")
            );
        }
    }
    std::fs::write(&all, tsv).unwrap_or_else(|e| panic!("{}: {e}", all.display()));
    eprintln!(
        "oracle: report written to {} (every finding in {}) ({:.1}s)",
        out.display(),
        all.display(),
        total_time.as_secs_f64()
    );

    let (misses, level): (usize, usize) = results
        .iter()
        .chain(std::iter::once(&fixtures))
        .fold((0, 0), |(m, l), p| (m + p.misses, l + p.level_misses));
    assert!(
        misses == 0 && level == 0,
        "the diff misses {misses} fact differences and reports {level} risky ones only at INFO \
         (see {} for the categories and examples)",
        out.display()
    );
}
