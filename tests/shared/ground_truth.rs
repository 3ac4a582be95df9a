//! Ground truth for consumes verdicts on real vendor history. `ground_truth/contracts/`
//! holds what identity fetchers read from 12 vendors of the corpus; for each consumed
//! field and each consecutive pair of corpus versions, `ground_truth/expectations.yaml`
//! holds the state a person judged by reading both spec files (committed before apidrift
//! was run on them). This module runs every contract through the library exactly as
//! `apidrift diff --consumes` does (load, resolve against the base, diff with the
//! resolved fields watched, assess), prints one table row per field and pair, and one
//! (`(risks)`) comparing the kinds of the verdict's operation-level risks with the judged
//! ones, and fails on any difference the file does not record as a known disagreement,
//! and on a recorded one that no longer happens. It also checks that the CLI path gives
//! the library's verdict. Must not: decide a state itself, or read anything but
//! `../shared` and its own data files.

use apidrift::diff::{self, DiffOptions};
use apidrift::impact::{
    self, ConsumedOperation, Consumes, FieldState, OperationVerdict, Resolved, RiskKind, Verdict,
};
use apidrift::spec::{self, LoadOptions, Loaded};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// The date the sunset rules are judged against, so results do not depend on the day.
const TODAY: &str = "2026-01-01";

/// The table's field column for a contract operation's resolution against the base.
const RESOLVE: &str = "(resolve)";

/// The table's field column for an operation's operation-level risks (`risks` in the
/// verdict: what may need to change about the call, not about a field).
const RISKS: &str = "(risks)";

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Truth {
    vendors: Vec<VendorTruth>,
    known_disagreements: Vec<Known>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct VendorTruth {
    vendor: String,
    /// Corpus-relative files, oldest first.
    files: Vec<String>,
    /// Path relative to `ground_truth/`.
    contract: String,
    operations: Vec<OperationTruth>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OperationTruth {
    operation: String,
    /// `v1->v2`, `v2->v3`.
    pairs: BTreeMap<String, PairTruth>,
}

/// A judged state and the reading it came from.
type Judged = (FieldState, String);

/// A judged operation-level risk and the reading it came from.
type JudgedRisk = (RiskKind, String);

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PairTruth {
    /// The state of every field not listed in `fields`.
    #[serde(default)]
    default: Option<Judged>,
    #[serde(default)]
    fields: BTreeMap<String, Judged>,
    /// The operation-level risks of the pair's verdict, one per kind; absent: none.
    #[serde(default)]
    risks: Vec<JudgedRisk>,
    /// Set when the contract must not resolve against this pair's base; why.
    #[serde(default)]
    refused: Option<String>,
}

/// A recorded difference between this file and apidrift: every (pair, field) listed
/// must show exactly `expected` against `got`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Known {
    vendor: String,
    operation: String,
    pairs: Vec<String>,
    /// Field paths, `(resolve)` for the resolution of the operation, or `(risks)` for
    /// its operation-level risk kinds (`none`, `credential`).
    fields: Vec<String>,
    expected: String,
    got: String,
    reason: String,
}

/// One row of the table.
struct Row {
    vendor: String,
    operation: String,
    pair: String,
    field: String,
    expected: String,
    got: String,
    /// What apidrift said, for a reader of a disagreement (rule ids, diagnostics).
    detail: String,
}

fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/shared/ground_truth")
}

fn corpus_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    assert!(
        dir.join("MANIFEST.tsv").is_file(),
        "the shared corpus is missing at {}: this test needs ../shared beside the project root",
        dir.display()
    );
    dir
}

fn read_truth() -> Truth {
    let path = data_dir().join("expectations.yaml");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn load(rel: &str) -> Loaded {
    let path = corpus_dir().join(rel);
    let source = path.to_str().unwrap_or_else(|| panic!("{rel}: not UTF-8"));
    spec::load(source, &LoadOptions::default()).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// A contract file as `apidrift diff --consumes` reads it: a `consumes:` list.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ContractFile {
    consumes: Vec<ConsumedOperation>,
}

/// Reads a contract file into the library's contract type, every key (`item:`
/// included) as written.
fn read_contract(rel: &str) -> Vec<ConsumedOperation> {
    let path = data_dir().join(rel);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let file: ContractFile =
        serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    file.consumes
}

/// What one pair gives: per contract operation, the resolution failure or the verdict
/// of its fields.
struct PairRun {
    refused: BTreeMap<String, String>,
    verdict: Verdict,
}

/// Resolves each contract operation against `base` on its own (so one refusal does not
/// hide the others), then diffs and assesses the resolved ones together, the way
/// `cli::diff` does for `--consumes` (its severity overrides are empty without
/// `--severity-levels`, so they are left out).
fn run_pair(ops: &[ConsumedOperation], base: &Loaded, rev: &Loaded) -> PairRun {
    let mut refused = BTreeMap::new();
    let mut resolved = Resolved::default();
    for op in ops {
        match impact::resolve(&Consumes(vec![op.clone()]), &base.api) {
            Ok(r) => resolved.operations.extend(r.operations),
            Err(diags) => {
                let text: Vec<String> = diags
                    .iter()
                    .map(|d| format!("{}: {}", d.code, d.message))
                    .collect();
                refused.insert(op.operation.clone(), text.join("; "));
            }
        }
    }
    let verdict = judge(base, rev, &resolved);
    PairRun { refused, verdict }
}

/// The diff and the assessment of `diff --consumes`, through the public library API.
fn judge(base: &Loaded, rev: &Loaded, resolved: &Resolved) -> Verdict {
    let opts = DiffOptions {
        today: Some(TODAY.into()),
        watched: resolved.watched(),
        ..Default::default()
    };
    let changes = diff::compare(&base.api, &rev.api, &opts);
    impact::assess(&changes, resolved, Some(&rev.api))
}

fn expected_state<'a>(pair: &'a PairTruth, field: &str) -> Option<&'a Judged> {
    pair.fields.get(field).or(pair.default.as_ref())
}

/// Risk kinds as a table cell: `credential`, several joined by `,`, or `none`.
fn risk_cell(kinds: &[RiskKind]) -> String {
    if kinds.is_empty() {
        return "none".to_string();
    }
    kinds
        .iter()
        .map(|k| k.as_str())
        .collect::<Vec<_>>()
        .join(",")
}

/// The `(risks)` cells of one operation: expected kinds, got kinds, and the rule ids
/// behind the risks apidrift gave.
fn risk_cells(truth: &PairTruth, got: &OperationVerdict) -> (String, String, String) {
    let mut expected: Vec<RiskKind> = truth.risks.iter().map(|(k, _)| *k).collect();
    expected.sort();
    let kinds: Vec<RiskKind> = got.risks.iter().map(|r| r.kind).collect();
    let mut ids: Vec<&str> = got
        .risks
        .iter()
        .flat_map(|r| r.reasons.iter().map(|x| x.id.as_str()))
        .collect();
    ids.dedup();
    (risk_cell(&expected), risk_cell(&kinds), ids.join(" "))
}

/// The table rows of one vendor: both pairs of every contract operation.
fn vendor_rows(v: &VendorTruth) -> Vec<Row> {
    let ops = read_contract(&v.contract);
    for o in &v.operations {
        assert!(
            ops.iter().any(|c| c.operation == o.operation),
            "{}: expectations name {} that the contract does not consume",
            v.vendor,
            o.operation
        );
    }
    assert!(v.files.len() >= 2, "{}: needs two files or more", v.vendor);
    let mut rows = Vec::new();
    let mut base = load(&v.files[0]);
    for i in 1..v.files.len() {
        let rev = load(&v.files[i]);
        let pair = format!("v{}->v{}", i, i + 1);
        let run = run_pair(&ops, &base, &rev);
        for c in &ops {
            let name = &c.operation;
            let truth = v
                .operations
                .iter()
                .find(|o| &o.operation == name)
                .and_then(|o| o.pairs.get(&pair))
                .unwrap_or_else(|| panic!("{}: no expectation for {name} {pair}", v.vendor));
            let row = |field: &str, expected: String, got: String, detail: String| Row {
                vendor: v.vendor.clone(),
                operation: name.clone(),
                pair: pair.clone(),
                field: field.to_string(),
                expected,
                got,
                detail,
            };
            let expected_resolution = if truth.refused.is_some() {
                "refused"
            } else {
                "resolves"
            };
            match run.refused.get(name) {
                Some(why) => {
                    rows.push(row(
                        RESOLVE,
                        expected_resolution.into(),
                        "refused".into(),
                        why.clone(),
                    ));
                    continue;
                }
                None => rows.push(row(
                    RESOLVE,
                    expected_resolution.into(),
                    "resolves".into(),
                    String::new(),
                )),
            }
            if truth.refused.is_some() {
                assert!(
                    truth.risks.is_empty(),
                    "{}: {name} {pair}: a refused pair has no verdict, so no risks",
                    v.vendor
                );
                continue;
            }
            let got = run
                .verdict
                .operations
                .iter()
                .find(|o| &o.operation == name)
                .unwrap_or_else(|| panic!("{}: {name} resolved but has no verdict", v.vendor));
            let (expected, kinds, ids) = risk_cells(truth, got);
            rows.push(row(RISKS, expected, kinds, ids));
            for f in &got.fields {
                let (state, _) = expected_state(truth, &f.field).unwrap_or_else(|| {
                    panic!(
                        "{}: {name} {pair}: no expectation for `{}`",
                        v.vendor, f.field
                    )
                });
                let mut ids: Vec<&str> = f.reasons.iter().map(|r| r.id.as_str()).collect();
                ids.dedup();
                rows.push(row(
                    &f.field,
                    state.as_str().into(),
                    f.state.as_str().into(),
                    ids.join(" "),
                ));
            }
        }
        base = rev;
    }
    rows
}

/// Matches rows against the recorded disagreements: returns the unexplained rows and the
/// recorded (vendor, operation, pair, field) cases that did not happen as recorded.
fn reconcile<'a>(rows: &'a [Row], known: &[Known]) -> (Vec<&'a Row>, Vec<String>) {
    let mut used = vec![false; known.len()];
    let mut unexplained = Vec::new();
    for r in rows {
        if r.expected == r.got {
            continue;
        }
        let hit = known.iter().position(|k| {
            k.vendor == r.vendor
                && k.operation == r.operation
                && k.pairs.contains(&r.pair)
                && k.fields.contains(&r.field)
                && k.expected == r.expected
                && k.got == r.got
        });
        match hit {
            Some(i) => used[i] = true,
            None => unexplained.push(r),
        }
    }
    let mut stale = Vec::new();
    for (k, used) in known.iter().zip(&used) {
        assert!(
            k.reason.starts_with("apidrift bug:") || k.reason.starts_with("doc:"),
            "known disagreement {} {}: the reason must start with `apidrift bug:` or `doc:`",
            k.vendor,
            k.operation
        );
        for pair in &k.pairs {
            for field in &k.fields {
                let happened = rows.iter().any(|r| {
                    r.vendor == k.vendor
                        && r.operation == k.operation
                        && &r.pair == pair
                        && &r.field == field
                        && r.expected == k.expected
                        && r.got == k.got
                });
                if !happened {
                    stale.push(format!(
                        "{} {} {pair} {field}: recorded {} vs {}, not what happens now",
                        k.vendor, k.operation, k.expected, k.got
                    ));
                }
            }
        }
        if !used {
            stale.push(format!(
                "{} {}: recorded but never seen",
                k.vendor, k.operation
            ));
        }
    }
    (unexplained, stale)
}

fn table(rows: &[Row], known: &[Known]) -> String {
    let is_known = |r: &Row| {
        known.iter().any(|k| {
            k.vendor == r.vendor
                && k.operation == r.operation
                && k.pairs.contains(&r.pair)
                && k.fields.contains(&r.field)
                && k.got == r.got
        })
    };
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{:<11} {:<42} {:<7} {:<40} {:<10} {:<10} agree",
        "vendor", "operation", "pair", "field", "expected", "got"
    );
    for r in rows {
        let agree = if r.expected == r.got {
            "yes"
        } else if is_known(r) {
            "KNOWN"
        } else {
            "NO"
        };
        let _ = write!(
            out,
            "{:<11} {:<42} {:<7} {:<40} {:<10} {:<10} {agree}",
            r.vendor, r.operation, r.pair, r.field, r.expected, r.got
        );
        // What apidrift based a state on is shown for every row it did not call ok (or
        // gave a risk), so an agreement for the wrong reason is visible too.
        if (agree != "yes" || (r.got != "ok" && r.got != "none")) && !r.detail.is_empty() {
            let _ = write!(out, "  [{}]", r.detail);
        }
        out.push('\n');
    }
    out
}

#[test]
fn consumes_verdicts_on_real_vendor_history_match_the_ground_truth() {
    let started = Instant::now();
    let truth = read_truth();
    let mut notes = Vec::new();
    let mut rows = Vec::new();
    for v in &truth.vendors {
        let t = Instant::now();
        rows.extend(vendor_rows(v));
        notes.push(format!("{}: {:.1} s", v.vendor, t.elapsed().as_secs_f64()));
    }
    println!("{}", table(&rows, &truth.known_disagreements));
    for n in &notes {
        println!("note: {n}");
    }
    let count = |f: &dyn Fn(&Row) -> bool| rows.iter().filter(|r| f(r)).count();
    let resolutions = count(&|r| r.field == RESOLVE);
    let risks = count(&|r| r.field == RISKS);
    let fields = rows.len() - resolutions - risks;
    let agree = count(&|r| r.expected == r.got);
    let fields_agree = count(&|r| r.field != RESOLVE && r.field != RISKS && r.expected == r.got);
    println!(
        "{} rows ({fields} field states, {fields_agree} agree; {resolutions} resolutions; \
         {risks} operation risk sets), {agree} agree, {:.1} s",
        rows.len(),
        started.elapsed().as_secs_f64()
    );
    // The data must keep its promise: at least 14 operations of 7 vendors, both pairs.
    let ops: usize = truth.vendors.iter().map(|v| v.operations.len()).sum();
    assert!(
        truth.vendors.len() >= 7 && ops >= 14,
        "too little ground truth"
    );
    let (unexplained, stale) = reconcile(&rows, &truth.known_disagreements);
    let mut problems: Vec<String> = unexplained
        .iter()
        .map(|r| {
            format!(
                "{} {} {} {}: expected {}, apidrift says {} [{}]",
                r.vendor, r.operation, r.pair, r.field, r.expected, r.got, r.detail
            )
        })
        .collect();
    problems.extend(stale);
    assert!(
        problems.is_empty(),
        "{} disagreement(s) not recorded in expectations.yaml, or recorded and gone:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

/// Runs `apidrift diff BASE REV --consumes FILE --format json` on the first pair of
/// `vendor` with its contract file as written, checks that the CLI gives the verdict
/// the library path computes (operations field for field with reasons, and counts),
/// and returns the contract and the library's run.
fn cli_gives_library_verdict(truth: &Truth, vendor: &str) -> (Vec<ConsumedOperation>, PairRun) {
    let v = truth
        .vendors
        .iter()
        .find(|v| v.vendor == vendor)
        .unwrap_or_else(|| panic!("expectations.yaml has no {vendor}"));
    let ops = read_contract(&v.contract);
    let (base, rev) = (load(&v.files[0]), load(&v.files[1]));
    let lib = run_pair(&ops, &base, &rev);
    assert!(
        lib.refused.is_empty(),
        "{vendor}'s contract must resolve: {:?}",
        lib.refused
    );
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_apidrift"))
        .arg("diff")
        .arg(corpus_dir().join(&v.files[0]))
        .arg(corpus_dir().join(&v.files[1]))
        .arg("--consumes")
        .arg(data_dir().join(&v.contract))
        .args(["--format", "json", "--color", "never"])
        .output()
        .unwrap_or_else(|e| panic!("running apidrift: {e}"));
    assert!(
        out.status.success(),
        "{vendor}: apidrift diff --consumes failed ({}): {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{vendor}: apidrift's JSON output: {e}"));
    let cli_ops = &json["verdict"]["operations"];
    let lib_ops = serde_json::to_value(&lib.verdict.operations)
        .unwrap_or_else(|e| panic!("verdict to JSON: {e}"));
    assert_eq!(
        cli_ops, &lib_ops,
        "{vendor}: the CLI's verdict differs from the library path's"
    );
    let counts = serde_json::to_value(lib.verdict.counts).unwrap_or_default();
    assert_eq!(json["verdict"]["counts"], counts, "{vendor}: counts");
    (ops, lib)
}

/// The CLI path gives the library's verdict, on the contract files as written. Clerk:
/// both of its operations resolve against the base and the pair has fields in more
/// than one state. Datadog: an operation whose contract entry says `item: /` (a
/// single JSON:API resource with a side-loaded list) resolves on both paths alike, and
/// the pair's security changes give operation-level risks on both.
#[test]
fn diff_cli_with_consumes_gives_the_library_verdict() {
    let truth = read_truth();
    let (_, clerk) = cli_gives_library_verdict(&truth, "clerk");
    assert!(
        clerk.verdict.counts.ok > 0 && clerk.verdict.counts.at_risk > 0,
        "clerk: the pair should show more than one state: {:?}",
        clerk.verdict.counts
    );
    let (ops, datadog) = cli_gives_library_verdict(&truth, "datadog");
    let with_item = ops.iter().filter(|o| o.item.is_some()).count();
    assert!(
        with_item > 0 && datadog.verdict.counts.total > 0,
        "datadog: the contract should use `item:` ({with_item} entries do) and resolve \
         fields ({:?})",
        datadog.verdict.counts
    );
    assert!(
        datadog.verdict.counts.operation_risks > 0,
        "datadog: the pair should carry operation-level risks: {:?}",
        datadog.verdict.counts
    );
}
