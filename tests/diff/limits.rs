//! Resource limits under attack, through the real binary: each hostile input ends within
//! a generous time bound, under a generous peak-memory bound (GNU time's `%M`), and with
//! an error that names the limit and, where one exists, the flag that raises it.
//!
//! The bounds are far above what was measured (see each test) because CI machines are
//! noisy; they catch a hang or an unbounded allocation, not a slowdown.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// The unoptimized test binary is ~10x slower than release: the worst case here
/// (2,000 paths sharing one changed schema) takes 2.1 s in release and 18 s in debug
/// on a loaded 2-core machine. Speed is measured by BENCHMARKS.md and SECURITY.md with
/// the release binary; this bound only has to catch a hang.
const TIME_BOUND: Duration = if cfg!(debug_assertions) {
    Duration::from_secs(90)
} else {
    Duration::from_secs(20)
};
const RSS_BOUND_KIB: u64 = 1024 * 1024;
const EXIT_INPUT_ERROR: i32 = 3;

const GNU_TIME: &str = "/usr/bin/time";

/// What one run of the binary cost and said.
#[derive(Debug)]
struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
    elapsed: Duration,
    peak_rss_kib: u64,
}

/// Runs `apidrift <args>` under GNU time and returns its exit code, output, wall time
/// and peak RSS. Fails with a clear message when GNU time is missing.
fn run(args: &[&str]) -> Run {
    assert!(
        Path::new(GNU_TIME).exists(),
        "{GNU_TIME} (GNU time) is missing: install the `time` package to run the limit tests"
    );
    let dir = tempfile::tempdir().expect("temp dir");
    let rss_file = dir.path().join("rss");
    let start = Instant::now();
    let out = Command::new(GNU_TIME)
        .arg("-f")
        .arg("%M")
        .arg("-o")
        .arg(&rss_file)
        .arg(env!("CARGO_BIN_EXE_apidrift"))
        .args(args)
        .output()
        .expect("run apidrift under GNU time");
    let elapsed = start.elapsed();
    let rss = std::fs::read_to_string(&rss_file).expect("GNU time wrote its report");
    // With a non-zero exit GNU time writes "Command exited with non-zero status N"
    // first; the figure is the last line.
    let peak_rss_kib = rss
        .lines()
        .last()
        .and_then(|l| l.trim().parse().ok())
        .unwrap_or_else(|| panic!("GNU time's %M is not a number: {rss:?}"));
    let r = Run {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        elapsed,
        peak_rss_kib,
    };
    eprintln!(
        "apidrift {}: exit {:?}, {:.2?}, peak RSS {} KiB",
        args.join(" "),
        r.code,
        r.elapsed,
        r.peak_rss_kib
    );
    r
}

fn assert_bounded(r: &Run) {
    assert!(
        r.elapsed < TIME_BOUND,
        "took {:?} (bound {TIME_BOUND:?})",
        r.elapsed
    );
    assert!(
        r.peak_rss_kib < RSS_BOUND_KIB,
        "peak RSS {} KiB (bound {RSS_BOUND_KIB} KiB)",
        r.peak_rss_kib
    );
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).expect("write input");
    p
}

fn s(p: &Path) -> &str {
    p.to_str().expect("temp paths are UTF-8")
}

const SMALL: &str = r#"{"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {}}"#;

#[test]
fn a_200_mb_file_is_refused_by_size_before_it_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("big.json");
    // Sparse: the loader checks the size from metadata before reading a byte.
    let f = std::fs::File::create(&big).unwrap();
    f.set_len(200 * 1024 * 1024).unwrap();
    drop(f);
    let small = write(dir.path(), "small.json", SMALL.as_bytes());

    for args in [[s(&big), s(&small)], [s(&small), s(&big)]] {
        let r = run(&["diff", args[0], args[1]]);
        assert_eq!(r.code, Some(EXIT_INPUT_ERROR), "{}", r.stderr);
        assert!(r.stderr.contains("--max-spec-bytes"), "{}", r.stderr);
        assert!(
            r.stderr.contains("209715200"),
            "names the size: {}",
            r.stderr
        );
        assert!(
            r.stderr.contains("67108864"),
            "names the limit: {}",
            r.stderr
        );
        assert_bounded(&r);
        // Measured: a few ms and under 20 MiB; the file is never read.
        assert!(r.peak_rss_kib < 200 * 1024, "the file was read into memory");
    }

    // The flag raises the limit: with it the same file gets past the size check and
    // fails later, as a document of NUL bytes.
    let r = run(&["diff", "--max-spec-bytes", "1", s(&small), s(&small)]);
    assert_eq!(r.code, Some(EXIT_INPUT_ERROR), "1 byte is below any spec");
    assert!(r.stderr.contains("--max-spec-bytes"), "{}", r.stderr);
}

#[test]
fn a_200_mb_stream_on_stdin_is_cut_at_the_limit() {
    let dir = tempfile::tempdir().unwrap();
    let small = write(dir.path(), "small.json", SMALL.as_bytes());
    let mut child = Command::new(GNU_TIME)
        .args(["-f", "%M", "-o"])
        .arg(dir.path().join("rss"))
        .arg(env!("CARGO_BIN_EXE_apidrift"))
        .args(["diff", "-", s(&small)])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn apidrift under GNU time");
    let start = Instant::now();
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || {
        let chunk = vec![b' '; 1024 * 1024];
        for _ in 0..200 {
            // The reader stops at the limit and exits: a broken pipe ends the writer.
            if stdin.write_all(&chunk).is_err() {
                break;
            }
        }
    });
    let out = child.wait_with_output().unwrap();
    let _ = writer.join();
    let elapsed = start.elapsed();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(EXIT_INPUT_ERROR), "{stderr}");
    assert!(stderr.contains("--max-spec-bytes"), "{stderr}");
    assert!(elapsed < TIME_BOUND, "{elapsed:?}");
    let rss = std::fs::read_to_string(dir.path().join("rss")).unwrap();
    let kib: u64 = rss.lines().last().unwrap().trim().parse().unwrap();
    eprintln!("200 MB on stdin: {elapsed:.2?}, peak RSS {kib} KiB");
    // At most the limit (64 MiB) plus the process itself.
    assert!(kib < 512 * 1024, "peak RSS {kib} KiB");
}

/// A spec with `paths` operations that all use one schema of `props` properties, each
/// an object of five fields; `variant` changes a few properties so a diff has work.
fn shared_schema_spec(paths: usize, props: usize, variant: bool) -> String {
    let mut big = Vec::new();
    for i in 0..props {
        let ty = if variant && i % 97 == 0 {
            "integer"
        } else {
            "string"
        };
        if variant && i % 101 == 1 {
            continue;
        }
        big.push(format!(
            r##""p{i}": {{"type": "object", "required": ["a"], "properties": {{"a": {{"type": "{ty}"}}, "b": {{"type": "integer", "maximum": 10}}, "c": {{"type": "string", "enum": ["x", "y"]}}, "d": {{"type": "boolean"}}, "e": {{"type": "array", "items": {{"$ref": "#/components/schemas/Big"}}}}}}}}"##
        ));
    }
    let mut ops = Vec::new();
    for i in 0..paths {
        ops.push(format!(
            r##""/r{i}/{{id}}": {{"parameters": [{{"name": "id", "in": "path", "required": true, "schema": {{"type": "string"}}}}], "get": {{"responses": {{"200": {{"description": "ok", "content": {{"application/json": {{"schema": {{"$ref": "#/components/schemas/Big"}}}}}}}}}}}}, "post": {{"requestBody": {{"content": {{"application/json": {{"schema": {{"$ref": "#/components/schemas/Big"}}}}}}}}, "responses": {{"201": {{"description": "ok"}}}}}}}}"##
        ));
    }
    format!(
        r#"{{"openapi": "3.0.3", "info": {{"title": "big", "version": "1"}}, "paths": {{{}}}, "components": {{"schemas": {{"Big": {{"type": "object", "properties": {{{}}}}}}}}}}}"#,
        ops.join(","),
        big.join(",")
    )
}

/// Paths sharing the one huge schema (each with a GET and a POST).
const PATHS: usize = 2000;

#[test]
fn thousands_of_paths_sharing_one_huge_schema_diff_in_bounded_time_and_memory() {
    let dir = tempfile::tempdir().unwrap();
    let base = write(
        dir.path(),
        "base.json",
        shared_schema_spec(PATHS, 300, false).as_bytes(),
    );
    let rev = write(
        dir.path(),
        "rev.json",
        shared_schema_spec(PATHS, 300, true).as_bytes(),
    );
    let r = run(&["diff", "--format", "json", s(&base), s(&rev)]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let changes: serde_json::Value = serde_json::from_str(&r.stdout).expect("json output");
    let n = changes.as_array().expect("an array").len();
    // Every operation (two per path) sees the changed shared schema: at least one
    // change each.
    assert!(n >= 2 * PATHS, "{n} changes");
    assert_bounded(&r);

    // Same document on both sides: nothing to report, and the same bounds.
    let r = run(&["diff", "--format", "json", s(&base), s(&base)]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert_eq!(r.stdout.trim(), "[]");
    assert_bounded(&r);
}

#[test]
fn cyclic_refs_in_both_specs_diff_and_end() {
    // Base: A → allOf B → items C → properties.a A; plus a self-referencing D and a
    // ref → ref loop. Revision: the same cycle turned the other way round, with a
    // changed type and a new required property on the way, and D pointing into it.
    let base = r##"{"openapi": "3.0.3", "info": {"title": "c", "version": "1"},
      "paths": {"/a": {"post": {
        "requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/A"}}}},
        "responses": {"200": {"description": "x",
          "content": {"application/json": {"schema": {"$ref": "#/components/schemas/D"}}}}}}}},
      "components": {"schemas": {
        "A": {"allOf": [{"$ref": "#/components/schemas/B"}], "properties": {"n": {"type": "string"}}},
        "B": {"type": "array", "items": {"$ref": "#/components/schemas/C"}},
        "C": {"type": "object", "properties": {"a": {"$ref": "#/components/schemas/A"}}},
        "D": {"type": "object", "properties": {"self": {"$ref": "#/components/schemas/D"},
              "list": {"type": "array", "items": {"$ref": "#/components/schemas/D"}}}},
        "L1": {"$ref": "#/components/schemas/L2"},
        "L2": {"$ref": "#/components/schemas/L1"}}}}"##;
    let rev = r##"{"openapi": "3.0.3", "info": {"title": "c", "version": "2"},
      "paths": {"/a": {"post": {
        "requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/A"}}}},
        "responses": {"200": {"description": "x",
          "content": {"application/json": {"schema": {"$ref": "#/components/schemas/D"}}}}}}}},
      "components": {"schemas": {
        "A": {"type": "object", "required": ["c"], "properties": {"c": {"$ref": "#/components/schemas/C"}, "n": {"type": "integer"}}},
        "C": {"type": "array", "items": {"$ref": "#/components/schemas/B"}},
        "B": {"allOf": [{"$ref": "#/components/schemas/A"}]},
        "D": {"type": "object", "properties": {"self": {"$ref": "#/components/schemas/A"},
              "list": {"type": "array", "items": {"$ref": "#/components/schemas/B"}}}},
        "L1": {"$ref": "#/components/schemas/L2"},
        "L2": {"$ref": "#/components/schemas/L1"}}}}"##;
    let dir = tempfile::tempdir().unwrap();
    let b = write(dir.path(), "base.json", base.as_bytes());
    let r = write(dir.path(), "rev.json", rev.as_bytes());
    for (x, y) in [(&b, &r), (&r, &b), (&b, &b), (&r, &r)] {
        let out = run(&["diff", "--format", "json", s(x), s(y)]);
        assert_eq!(out.code, Some(0), "{}", out.stderr);
        let v: serde_json::Value = serde_json::from_str(&out.stdout).expect("json output");
        let n = v.as_array().expect("an array").len();
        if x == y {
            assert_eq!(n, 0, "a cyclic spec against itself: {}", out.stdout);
        } else {
            assert!(n > 0, "the cycles differ, so there are changes");
        }
        assert_bounded(&out);
    }
}

#[test]
fn invalid_utf8_is_refused_with_its_place() {
    let dir = tempfile::tempdir().unwrap();
    let mut bytes = b"openapi: 3.0.3\ninfo:\n  title: \"".to_vec();
    bytes.extend_from_slice(&[0xff, 0xfe, 0x80]);
    bytes.extend_from_slice(b"\"\n");
    let bad = write(dir.path(), "bad.yaml", &bytes);
    let small = write(dir.path(), "small.json", SMALL.as_bytes());
    let r = run(&["diff", s(&bad), s(&small)]);
    assert_eq!(r.code, Some(EXIT_INPUT_ERROR), "{}", r.stderr);
    assert!(r.stderr.contains("not valid UTF-8"), "{}", r.stderr);
    assert!(
        r.stderr.contains("bad.yaml:3:11"),
        "names the place: {}",
        r.stderr
    );
    assert_bounded(&r);
}

#[test]
fn valid_json_that_is_not_an_object_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let small = write(dir.path(), "small.json", SMALL.as_bytes());
    for (doc, found) in [
        ("[1, 2, 3]", "an array"),
        ("42", "a number"),
        ("\"openapi\"", "a string"),
        ("null", "null"),
    ] {
        let p = write(dir.path(), "x.json", doc.as_bytes());
        let r = run(&["diff", s(&small), s(&p)]);
        assert_eq!(r.code, Some(EXIT_INPUT_ERROR), "{doc}: {}", r.stderr);
        assert!(r.stderr.contains("not an object"), "{doc}: {}", r.stderr);
        assert!(r.stderr.contains(found), "{doc}: {}", r.stderr);
        assert_bounded(&r);
    }
}

/// The library-level hostile inputs (tests/spec_load.rs) once more through the binary,
/// for their peak memory: alias bomb, 100,000-deep JSON and YAML.
#[test]
fn alias_bomb_and_deep_nesting_stay_small_through_the_binary() {
    let dir = tempfile::tempdir().unwrap();
    let small = write(dir.path(), "small.json", SMALL.as_bytes());
    let mut bomb = String::from(
        "openapi: 3.0.3\na0: &a0 [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    for i in 1..10 {
        let p = i - 1;
        bomb.push_str(&format!(
            "a{i}: &a{i} [*a{p},*a{p},*a{p},*a{p},*a{p},*a{p},*a{p},*a{p},*a{p}]\n"
        ));
    }
    let n = 100_000;
    let deep_json = format!("{}{}", "[".repeat(n), "]".repeat(n));
    let deep_yaml = format!("{}{}", "- ".repeat(n), "x");
    // A key first, so the document is read as YAML (a leading `{` means JSON).
    let deep_flow = format!("x: {}{}", "{a: ".repeat(n), "}".repeat(n));
    for (name, doc, expect) in [
        ("bomb.yaml", bomb.as_str(), "alias"),
        ("deep.json", deep_json.as_str(), "--max-depth"),
        ("deep.yaml", deep_yaml.as_str(), "--max-depth"),
        ("flow.yaml", deep_flow.as_str(), "--max-depth"),
    ] {
        let p = write(dir.path(), name, doc.as_bytes());
        let r = run(&["diff", s(&p), s(&small)]);
        assert_eq!(r.code, Some(EXIT_INPUT_ERROR), "{name}: {}", r.stderr);
        assert!(r.stderr.contains(expect), "{name}: {}", r.stderr);
        assert_bounded(&r);
    }
}
