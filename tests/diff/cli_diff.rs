//! Runs the real `apidrift` binary on the tiny specs in `tests/fixtures/cli/` and checks
//! exit statuses, filters, override files and what goes to stdout versus stderr.
//!
//! Tests that need particular changes read them from the binary's own JSON output
//! (ids, levels, fingerprints) instead of hard-coding rule ids, so they test the CLI's
//! plumbing, not the diff engine's vocabulary.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/cli")
}

/// Runs apidrift in the fixture directory (so file names in output are relative and
/// stable) with colour and logging settings from the environment removed.
fn apidrift(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_apidrift"))
        .args(args)
        .current_dir(fixtures())
        .env_remove("NO_COLOR")
        .env_remove("APIDRIFT_LOG")
        .env_remove("RUST_LOG")
        .output()
        .expect("the apidrift binary runs")
}

fn code(o: &Output) -> i32 {
    o.status.code().expect("exited, not killed")
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).expect("stdout is UTF-8")
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).expect("stderr is UTF-8")
}

/// Asserts the exit status, showing both streams when it is wrong.
fn expect_code(o: &Output, want: i32) {
    assert_eq!(
        code(o),
        want,
        "stdout:\n{}\nstderr:\n{}",
        stdout(o),
        stderr(o)
    );
}

/// The changes of `base.yaml` → `revision.yaml` as JSON, with extra flags.
fn changes(extra: &[&str]) -> Vec<Value> {
    let mut args = vec!["diff", "base.yaml", "revision.yaml", "--format", "json"];
    args.extend_from_slice(extra);
    let o = apidrift(&args);
    expect_code(&o, 0);
    match serde_json::from_str(&stdout(&o)) {
        Ok(Value::Array(v)) => v,
        other => panic!("expected a JSON array, got {other:?}"),
    }
}

fn field<'a>(c: &'a Value, name: &str) -> &'a str {
    c[name].as_str().unwrap_or("")
}

/// The fixture pair removes two operations (DELETE /pets/{petId}, GET /admin/stats),
/// which must show up as ERR changes.
fn err_changes() -> Vec<Value> {
    let all = changes(&[]);
    let errs: Vec<Value> = all.into_iter().filter(|c| c["level"] == 3).collect();
    assert!(
        errs.iter().any(|c| field(c, "path") == "/pets/{petId}")
            && errs.iter().any(|c| field(c, "path") == "/admin/stats"),
        "expected ERR changes for both removed operations, got {errs:#?}"
    );
    errs
}

fn write_temp(dir: &tempfile::TempDir, name: &str, text: &str) -> String {
    let p = dir.path().join(name);
    std::fs::write(&p, text).expect("write temp file");
    p.to_str().expect("temp paths are UTF-8").to_string()
}

#[test]
fn identical_specs_exit_0_and_say_no_changes() {
    let o = apidrift(&["diff", "base.yaml", "base.yaml", "--fail-on", "INFO"]);
    expect_code(&o, 0);
    assert_eq!(stdout(&o), "no changes\n");
}

#[test]
fn diff_without_fail_on_exits_0_even_with_errors() {
    let o = apidrift(&["diff", "base.yaml", "revision.yaml"]);
    expect_code(&o, 0);
    let out = stdout(&o);
    assert!(out.contains("DELETE /pets/{petId}\n"), "{out}");
    assert!(out.contains("  error   ["), "{out}");
    assert!(
        !out.contains('\x1b'),
        "no colour when stdout is not a terminal"
    );
}

#[test]
fn fail_on_err_exits_1_and_is_case_insensitive() {
    for v in ["ERR", "err", "Err"] {
        let o = apidrift(&["diff", "base.yaml", "revision.yaml", "--fail-on", v]);
        expect_code(&o, 1);
    }
}

#[test]
fn breaking_fails_on_err_and_hides_info() {
    let o = apidrift(&["breaking", "base.yaml", "revision.yaml", "--format", "json"]);
    expect_code(&o, 1);
    let v: Vec<Value> = serde_json::from_str(&stdout(&o)).expect("JSON");
    assert!(!v.is_empty());
    assert!(v.iter().all(|c| c["level"].as_u64() >= Some(2)), "{v:#?}");
}

#[test]
fn level_filters_lower_levels() {
    let all = changes(&[]);
    assert!(
        all.iter().any(|c| c["level"] == 1),
        "the added operation POST /pets should be an INFO change: {all:#?}"
    );
    let errs = changes(&["--level", "err"]);
    assert!(!errs.is_empty() && errs.iter().all(|c| c["level"] == 3));
}

#[test]
fn severity_levels_none_drops_and_downgrade_passes_breaking() {
    let errs = err_changes();
    let dir = tempfile::tempdir().expect("tempdir");
    let mut ids: Vec<&str> = errs.iter().map(|c| field(c, "id")).collect();
    ids.dedup();
    let none: String = ids
        .iter()
        .map(|id| format!("{id} none # accepted\n"))
        .collect();
    let file = write_temp(&dir, "sev.txt", &format!("# drop every ERR rule\n{none}"));
    let o = apidrift(&[
        "breaking",
        "base.yaml",
        "revision.yaml",
        "--severity-levels",
        &file,
        "-f",
        "json",
    ]);
    expect_code(&o, 0);
    let left: Vec<Value> = serde_json::from_str(&stdout(&o)).expect("JSON");
    assert!(
        left.iter().all(|c| !ids.contains(&field(c, "id"))),
        "{left:#?}"
    );

    let info: String = ids.iter().map(|id| format!("{id}\tINFO\n")).collect();
    let file = write_temp(&dir, "sev2.txt", &info);
    let o = apidrift(&[
        "diff",
        "base.yaml",
        "revision.yaml",
        "--severity-levels",
        &file,
        "-f",
        "json",
        "--fail-on",
        "warn",
    ]);
    expect_code(&o, 0);
    let v: Vec<Value> = serde_json::from_str(&stdout(&o)).expect("JSON");
    for c in v.iter().filter(|c| ids.contains(&field(c, "id"))) {
        assert_eq!(c["level"], 1, "override to INFO shows as level 1: {c}");
    }
}

#[test]
fn severity_levels_bad_line_exits_5_with_location() {
    let o = apidrift(&[
        "diff",
        "base.yaml",
        "revision.yaml",
        "--severity-levels",
        "severity-bad.txt",
    ]);
    expect_code(&o, 5);
    let err = stderr(&o);
    assert!(
        err.contains("error[severity-bad-level]: `loud` is not a level"),
        "{err}"
    );
    assert!(err.contains(" --> severity-bad.txt:2:38"), "{err}");
    assert!(stdout(&o).is_empty());
}

#[test]
fn severity_levels_unknown_rule_suggests_the_near_miss() {
    let o = apidrift(&["rules", "--format", "json"]);
    expect_code(&o, 0);
    let rules: Vec<Value> = serde_json::from_str(&stdout(&o)).expect("JSON");
    let id = rules
        .iter()
        .map(|r| field(r, "id"))
        .find(|id| id.len() > 8)
        .expect("the catalog has rules");
    // Drop one character: a typical typo.
    let typo = format!("{}{}", &id[..3], &id[4..]);
    let dir = tempfile::tempdir().expect("tempdir");
    let file = write_temp(&dir, "sev.txt", &format!("\n{typo} warn\n"));
    let o = apidrift(&[
        "diff",
        "base.yaml",
        "revision.yaml",
        "--severity-levels",
        &file,
    ]);
    expect_code(&o, 5);
    let err = stderr(&o);
    assert!(err.contains(&format!("unknown rule id `{typo}`")), "{err}");
    assert!(err.contains(":2:1\n"), "{err}");
    assert!(err.contains(&format!("did you mean `{id}`?")), "{err}");
}

#[test]
fn ignore_file_drops_listed_fingerprints() {
    let errs = err_changes();
    let dir = tempfile::tempdir().expect("tempdir");
    let lines: String = errs
        .iter()
        .map(|c| {
            format!(
                "{} {} {} accepted\n",
                field(c, "fingerprint").to_uppercase(),
                field(c, "operation"),
                field(c, "path")
            )
        })
        .collect();
    let file = write_temp(&dir, "ignore.txt", &format!("# reviewed\n{lines}"));
    let o = apidrift(&[
        "breaking",
        "base.yaml",
        "revision.yaml",
        "--ignore",
        &file,
        "-f",
        "json",
    ]);
    expect_code(&o, 0);
    let left: Vec<Value> = serde_json::from_str(&stdout(&o)).expect("JSON");
    for c in &errs {
        assert!(
            left.iter().all(|l| l["fingerprint"] != c["fingerprint"]),
            "{left:#?}"
        );
    }
}

#[test]
fn ignore_bad_line_exits_5() {
    let o = apidrift(&[
        "diff",
        "base.yaml",
        "revision.yaml",
        "--ignore",
        "ignore-bad.txt",
    ]);
    expect_code(&o, 5);
    assert!(
        stderr(&o).contains(" --> ignore-bad.txt:3:1"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn match_and_unmatch_path_filter_changes() {
    let pets = changes(&["--match-path", "^/pets"]);
    assert!(!pets.is_empty());
    assert!(
        pets.iter()
            .all(|c| c["path"].is_null() || field(c, "path").starts_with("/pets")),
        "{pets:#?}"
    );
    let no_admin = changes(&["--unmatch-path", "admin"]);
    assert!(no_admin.iter().all(|c| !field(c, "path").contains("admin")));
    assert!(no_admin.len() < changes(&[]).len());
}

#[test]
fn output_is_byte_identical_across_runs() {
    for f in [
        "text",
        "json",
        "yaml",
        "markdown",
        "junit",
        "githubactions",
        "sarif",
    ] {
        let a = apidrift(&["diff", "base.yaml", "revision.yaml", "-f", f]);
        let b = apidrift(&["diff", "base.yaml", "revision.yaml", "-f", f]);
        expect_code(&a, 0);
        assert!(!a.stdout.is_empty(), "{f}");
        assert_eq!(a.stdout, b.stdout, "{f} differs between runs");
    }
}

#[test]
fn json_carries_sources_resolved_to_lines() {
    let errs = err_changes();
    let removed = errs
        .iter()
        .find(|c| field(c, "path") == "/pets/{petId}" && field(c, "operation") == "DELETE")
        .expect("DELETE /pets/{petId} removed");
    assert_eq!(removed["baseSource"]["file"], "base.yaml");
    // `delete:` is on line 24 and its value starts on line 25; either is a fair place.
    let line = removed["baseSource"]["line"].as_u64();
    assert!(matches!(line, Some(24 | 25)), "{removed}");
}

#[test]
fn loader_warnings_go_to_stderr_not_stdout() {
    let o = apidrift(&["diff", "dangling.yaml", "dangling.yaml", "-f", "json"]);
    expect_code(&o, 0);
    let err = stderr(&o);
    assert!(err.contains("warning["), "{err}");
    assert!(err.contains(" --> dangling.yaml:15:17\n"), "located: {err}");
    let out = stdout(&o);
    assert!(!out.contains("warning["), "{out}");
    let v: Value = serde_json::from_str(&out).expect("stdout stays pure JSON");
    assert_eq!(v, Value::Array(vec![]));
}

#[test]
fn unloadable_spec_exits_3_naming_the_file() {
    let o = apidrift(&["diff", "base.yaml", "no-such-file.yaml"]);
    expect_code(&o, 3);
    assert!(stderr(&o).contains("no-such-file.yaml"), "{}", stderr(&o));
    assert!(stdout(&o).is_empty());
}

#[test]
fn usage_errors_exit_2() {
    for args in [
        &["diff", "base.yaml"][..],
        &["diff", "base.yaml", "revision.yaml", "--format", "pdf"],
        &["diff", "base.yaml", "revision.yaml", "--level", "none"],
        &["diff", "base.yaml", "revision.yaml", "--match-path", "("],
        &[
            "diff",
            "base.yaml",
            "revision.yaml",
            "--exclude-elements",
            "description,bogus",
        ],
        &["diff", "-", "-"],
        &["rules", "no-such-rule-id"],
    ] {
        let o = apidrift(args);
        expect_code(&o, 2);
        assert!(stdout(&o).is_empty(), "{args:?}: {}", stdout(&o));
    }
}

#[test]
fn help_lines_fit_79_columns() {
    for cmd in ["diff", "breaking", "rules"] {
        for flag in ["-h", "--help"] {
            let o = apidrift(&[cmd, flag]);
            expect_code(&o, 0);
            for line in stdout(&o).lines() {
                assert!(line.chars().count() <= 79, "{cmd} {flag}: {line:?}");
            }
        }
    }
}

#[test]
fn rules_lists_the_catalog_in_text_and_json() {
    let o = apidrift(&["rules", "--format", "JSON"]);
    expect_code(&o, 0);
    let rules: Vec<Value> = serde_json::from_str(&stdout(&o)).expect("JSON");
    assert!(!rules.is_empty(), "the catalog has rules");
    for r in &rules {
        for f in ["id", "level", "direction", "description"] {
            assert!(r[f].is_string(), "{f} in {r}");
        }
        assert!(r["ours"].is_boolean());
    }
    let text = stdout(&apidrift(&["rules"]));
    assert_eq!(
        text.lines().count(),
        rules.len() + 3,
        "header, one line per rule, blank, count"
    );
    let id = field(&rules[0], "id");
    let o = apidrift(&["rules", id]);
    expect_code(&o, 0);
    assert!(stdout(&o).starts_with(&format!("{id}\n")));
    assert!(stdout(&o).contains("template:"));
}

#[test]
fn color_always_colours_text_and_never_other_formats() {
    let o = apidrift(&["diff", "base.yaml", "revision.yaml", "--color", "ALWAYS"]);
    expect_code(&o, 0);
    assert!(stdout(&o).contains("\x1b["), "{}", stdout(&o));
    let o = apidrift(&[
        "diff",
        "base.yaml",
        "revision.yaml",
        "--color",
        "always",
        "-f",
        "json",
    ]);
    assert!(!stdout(&o).contains('\x1b'));
    let o = apidrift(&["diff", "base.yaml", "revision.yaml", "--color", "never"]);
    assert!(!stdout(&o).contains('\x1b'));
}

/// A loopback HTTP/1.1 server on its own thread: `routes` maps a path to a status, the
/// extra headers and a body. Counts requests per path, so a test can see what the
/// client asked for.
struct Served {
    base: String,
    hits: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
}

/// One route of `serve`: path, status, extra headers, body.
type Route = (&'static str, u16, Vec<(String, String)>, Vec<u8>);

fn serve(routes: Vec<Route>) -> Served {
    use std::io::{BufRead, BufReader, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind loopback");
    let base = format!("http://{}", listener.local_addr().unwrap());
    let hits = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let seen = hits.clone();
    std::thread::spawn(move || {
        for conn in listener.incoming() {
            let Ok(mut conn) = conn else { continue };
            let mut reader = BufReader::new(conn.try_clone().unwrap());
            let mut line = String::new();
            if reader.read_line(&mut line).is_err() {
                continue;
            }
            // Headers up to the blank line.
            let mut h = String::new();
            while reader.read_line(&mut h).is_ok_and(|n| n > 2) {
                h.clear();
            }
            let path = line.split(' ').nth(1).unwrap_or("/").to_string();
            seen.lock().unwrap().push(path.clone());
            let (status, headers, body) = routes
                .iter()
                .find(|r| r.0 == path)
                .map(|r| (r.1, r.2.clone(), r.3.clone()))
                .unwrap_or((404, Vec::new(), b"not found".to_vec()));
            let mut head = format!(
                "HTTP/1.1 {status} X\r\nContent-Length: {}\r\nConnection: close\r\n",
                body.len()
            );
            for (k, v) in headers {
                head.push_str(&format!("{k}: {v}\r\n"));
            }
            head.push_str("\r\n");
            let _ = conn.write_all(head.as_bytes());
            let _ = conn.write_all(&body);
        }
    });
    Served { base, hits }
}

fn fixture_bytes(name: &str) -> Vec<u8> {
    std::fs::read(fixtures().join(name)).unwrap()
}

/// `apidrift diff URL URL` reads both through `fetch` (the client a check uses): a
/// redirect chain within its limit is followed; one past it fails with a message that
/// says so, and the diff is not run on a partial read.
#[test]
fn urls_are_read_through_fetch_with_its_redirect_limit() {
    let mut routes = vec![
        ("/base.yaml", 200, Vec::new(), fixture_bytes("base.yaml")),
        (
            "/revision.yaml",
            200,
            Vec::new(),
            fixture_bytes("revision.yaml"),
        ),
    ];
    // /hop/0 → /hop/1 → ... → /hop/7 → /revision.yaml: eight redirects.
    const HOPS: [&str; 8] = [
        "/hop/0", "/hop/1", "/hop/2", "/hop/3", "/hop/4", "/hop/5", "/hop/6", "/hop/7",
    ];
    for (i, p) in HOPS.iter().enumerate() {
        let next = HOPS.get(i + 1).copied().unwrap_or("/revision.yaml");
        routes.push((p, 302, vec![("Location".into(), next.into())], Vec::new()));
    }
    let s = serve(routes);
    let direct = apidrift(&["diff", "base.yaml", "revision.yaml", "--format", "json"]);
    let o = apidrift(&[
        "diff",
        &format!("{}/base.yaml", s.base),
        &format!("{}/hop/5", s.base),
        "--format",
        "json",
    ]);
    assert_eq!(code(&o), code(&direct), "{}", stderr(&o));
    let ids = |o: &Output| -> Vec<String> {
        let v: Value = serde_json::from_str(&stdout(o)).unwrap();
        v.as_array()
            .unwrap()
            .iter()
            .map(|c| c["id"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(
        ids(&o),
        ids(&direct),
        "three redirects: the same changes as the files"
    );

    let before = s.hits.lock().unwrap().len();
    let o = apidrift(&[
        "diff",
        &format!("{}/base.yaml", s.base),
        &format!("{}/hop/0", s.base),
    ]);
    let err = stderr(&o);
    assert_ne!(code(&o), 0, "{err}");
    assert!(
        stdout(&o).is_empty(),
        "no report on a failed read: {}",
        stdout(&o)
    );
    assert!(err.contains("redirect"), "{err}");
    let second: Vec<String> = s.hits.lock().unwrap()[before..].to_vec();
    let hops = second.iter().filter(|p| p.starts_with("/hop/")).count();
    // fetch follows five redirects, once: no retry walks the chain again.
    assert!(
        (5..=6).contains(&hops),
        "the client asked for {hops} hops: {second:?}"
    );
    assert!(
        !second.iter().any(|p| p == "/revision.yaml"),
        "past the limit: {second:?}"
    );
}

/// A remote `$ref` (with `--allow-remote-refs`) is read under what is left of the size
/// limit: an oversize one is refused with the limit named, never read whole.
#[test]
fn an_oversize_remote_ref_is_refused_with_the_limit_named() {
    let big = format!(
        "components:\n  schemas:\n    Pet:\n      type: object\n      description: \"{}\"\n",
        "x".repeat(400_000)
    );
    let small = "components:\n  schemas:\n    Pet:\n      type: object\n      properties:\n        id: {type: string}\n";
    let s = serve(vec![
        ("/big.yaml", 200, Vec::new(), big.into_bytes()),
        ("/small.yaml", 200, Vec::new(), small.as_bytes().to_vec()),
    ]);
    let dir = tempfile::tempdir().unwrap();
    let spec = |target: &str| {
        format!(
            "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths:\n  /pets:\n    get:\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {{$ref: '{}/{target}#/components/schemas/Pet'}}\n",
            s.base
        )
    };
    std::fs::write(dir.path().join("small.yaml"), spec("small.yaml")).unwrap();
    std::fs::write(dir.path().join("big.yaml"), spec("big.yaml")).unwrap();
    let run = |a: &str, b: &str| {
        Command::new(env!("CARGO_BIN_EXE_apidrift"))
            .args([
                "diff",
                a,
                b,
                "--allow-remote-refs",
                "--max-spec-bytes",
                "100000",
                "--format",
                "json",
            ])
            .current_dir(dir.path())
            .env_remove("APIDRIFT_LOG")
            .output()
            .unwrap()
    };
    let o = run("small.yaml", "small.yaml");
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let o = run("small.yaml", "big.yaml");
    let err = stderr(&o);
    // The limit left after the document itself was read, named with its flag.
    assert!(
        err.contains("big.yaml")
            && err.contains("over the limit of")
            && err.contains("--max-spec-bytes"),
        "the refused ref names the limit: {err}"
    );
    assert!(s.hits.lock().unwrap().iter().any(|p| p == "/big.yaml"));
}
