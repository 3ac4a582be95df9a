//! JSON Pointer → 1-based line:column in the text of a loaded document.
//!
//! Owns: a compact position index of every node (object members at their key, array
//! items at their value), built in one pass over the text on the first lookup and reused
//! after. The index is one flat `Vec` of 16-byte `Copy` nodes whose children are
//! contiguous, so a lookup step scans a run of siblings comparing key hashes, and no node
//! owns a heap allocation. JSON is scanned by hand: a node keeps a byte offset, member
//! keys are read back from the text only to confirm a hash match, and line:column comes
//! from a table with one entry per 512 bytes of text. YAML goes through `saphyr-parser`'s
//! event stream, whose events carry line and column; its keys are decoded by the parser,
//! so they are kept in one shared string.
//! Must not: run during load (reports only need a few pointers, and load speed matters),
//! recurse (nesting depth is only bounded by the text), or fail loudly: a pointer that
//! cannot be found (through a YAML alias, into another document) is simply `None`, and
//! so is every pointer into a text of 4 GiB or more.

use super::Format;
use std::borrow::Cow;
use std::sync::OnceLock;

/// The lazily built index of one document. Cloning a `Loaded` clones the built index.
#[derive(Default, Clone)]
pub struct Locator {
    index: OnceLock<Option<Index>>,
}

impl std::fmt::Debug for Locator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self.index.get() {
            Some(_) => "Locator(built)",
            None => "Locator(lazy)",
        })
    }
}

impl Locator {
    pub fn locate(&self, format: Format, text: &str, pointer: &str) -> Option<(u32, u32)> {
        let index = self
            .index
            .get_or_init(|| {
                // Offsets, lines and node ids are u32; `u32::MAX` itself is kept free so
                // that a line count (newlines + 1) cannot overflow either.
                if text.len() >= u32::MAX as usize {
                    return None;
                }
                match format {
                    Format::Json => build_json(text),
                    Format::Yaml => build_yaml(text),
                }
            })
            .as_ref()?;
        match index {
            Index::Json { tree, lines } => {
                let node = tree.find(pointer, |_, c, seg| json_key(text, c.at as usize) == seg)?;
                Some(lines.line_col(text.as_bytes(), tree.nodes[node].at as usize))
            }
            Index::Yaml { tree, keys } => {
                let node = tree.find(pointer, |id, _, seg| {
                    let e = &tree.extra[id];
                    let end = (e.key as usize).checked_add(e.key_len as usize);
                    end.and_then(|end| keys.get(e.key as usize..end)) == Some(seg)
                })?;
                Some((tree.nodes[node].at, tree.extra[node].col))
            }
        }
    }
}

#[derive(Clone)]
enum Index {
    Json {
        tree: Tree<()>,
        lines: Lines,
    },
    /// `keys` holds every mapping key, back to back; nodes refer to spans of it.
    Yaml {
        tree: Tree<YamlExtra>,
        keys: String,
    },
}

/// Set in `Node::len` for a mapping (the rest is the number of children).
const MAP_BIT: u32 = 1 << 31;
const LEN_MASK: u32 = MAP_BIT - 1;

#[derive(Clone, Copy)]
struct Node {
    /// JSON: byte offset of the member's key (its opening quote) or of the item's value.
    /// YAML: line (1-based) of the same.
    at: u32,
    /// Index in `Tree::nodes` of the first child; the children are contiguous.
    first: u32,
    /// Number of children, with `MAP_BIT` set when this node is a mapping.
    len: u32,
    /// `fnv1a` of the member's key (decoded); unused for array items.
    key_hash: u32,
}

/// What a YAML node keeps beside its `Node` (the key cannot be read back from the text).
#[derive(Clone, Copy)]
struct YamlExtra {
    /// Column (1-based) of the key or value `Node::at` points at.
    col: u32,
    /// The member's key: `keys[key..key + key_len]` (empty for items; `key_len` is
    /// `u32::MAX` for a key no pointer can name, such as a collection).
    key: u32,
    key_len: u32,
}

/// Nodes with their children in contiguous runs, built bottom-up (a container's run is
/// written when it closes), plus one `E` per node (`()` for JSON: no memory).
#[derive(Clone)]
struct Tree<E> {
    nodes: Vec<Node>,
    extra: Vec<E>,
    root: u32,
}

impl<E> Tree<E> {
    /// The index of the node at `pointer`; `key_eq(id, node, segment)` confirms that a
    /// member whose key hash matches has the segment (unescaped) as its key.
    fn find(&self, pointer: &str, key_eq: impl Fn(usize, &Node, &str) -> bool) -> Option<usize> {
        let mut at = self.root as usize;
        if pointer.is_empty() {
            return Some(at);
        }
        let rest = pointer.strip_prefix('/')?;
        for raw in rest.split('/') {
            let seg = unescape(raw);
            let node = self.nodes.get(at)?;
            let first = node.first as usize;
            let len = (node.len & LEN_MASK) as usize;
            at = if node.len & MAP_BIT == 0 {
                let i: usize = seg.parse().ok()?;
                if i >= len {
                    return None;
                }
                first + i
            } else {
                let hash = fnv1a(seg.as_bytes());
                let run = self.nodes.get(first..first + len)?;
                // The last duplicate wins, as in the parsed value (serde_json keeps the
                // value of the last occurrence).
                let i = run
                    .iter()
                    .enumerate()
                    .rposition(|(i, c)| c.key_hash == hash && key_eq(first + i, c, &seg))?;
                first + i
            };
        }
        Some(at)
    }
}

/// RFC 6901 segment unescaping: `~1` is `/`, then `~0` is `~`.
fn unescape(seg: &str) -> Cow<'_, str> {
    if seg.contains('~') {
        seg.replace("~1", "/").replace("~0", "~").into()
    } else {
        seg.into()
    }
}

/// 32-bit FNV-1a: a cheap filter before comparing keys, never trusted alone.
fn fnv1a(bytes: &[u8]) -> u32 {
    bytes.iter().fold(0x811c_9dc5, |h: u32, &b| {
        (h ^ u32::from(b)).wrapping_mul(0x0100_0193)
    })
}

/// Builds a `Tree` from open/key/value/close calls made in document order, with an
/// explicit stack (no recursion) and one scratch run of the open containers' children.
struct Builder<E> {
    nodes: Vec<Node>,
    extra: Vec<E>,
    /// Children of the open containers, in document order; a container's children are
    /// `pending[frame.start..]` while it is the innermost one.
    pending: Vec<(Node, E)>,
    stack: Vec<Frame<E>>,
    root: Option<u32>,
    /// A count passed what a u32 can hold: the index is dropped.
    overflow: bool,
}

struct Frame<E> {
    /// The container itself (its `first` and `len` are set when it closes).
    node: Node,
    extra: E,
    start: usize,
    /// A mapping's key read and waiting for its value: (position, hash, extra).
    key: Option<(u32, u32, E)>,
    /// This collection is itself a mapping key (YAML `? [a, b]`): once closed, its
    /// parent waits for the value, which gets the same key.
    is_key: bool,
}

impl<E: Copy> Builder<E> {
    fn new() -> Builder<E> {
        Builder {
            nodes: Vec::new(),
            extra: Vec::new(),
            pending: Vec::new(),
            stack: Vec::new(),
            root: None,
            overflow: false,
        }
    }

    /// True when the next scalar in the innermost open container is a mapping key.
    fn expecting_key(&self) -> bool {
        self.stack
            .last()
            .is_some_and(|f| f.node.len & MAP_BIT != 0 && f.key.is_none())
    }

    fn key(&mut self, at: u32, hash: u32, extra: E) {
        if let Some(f) = self.stack.last_mut() {
            f.key = Some((at, hash, extra));
        }
    }

    /// The node for a value at `at`: a member takes its key's position, hash and extra
    /// (a member without a key, in a malformed text, has the empty key at its value).
    fn attach(&mut self, at: u32, extra: E) -> (Node, E) {
        let mut node = Node {
            at,
            first: 0,
            len: 0,
            key_hash: 0,
        };
        let mut extra = extra;
        if let Some(f) = self.stack.last_mut()
            && f.node.len & MAP_BIT != 0
        {
            node.key_hash = fnv1a(b"");
            if let Some((kat, hash, kextra)) = f.key.take() {
                (node.at, node.key_hash, extra) = (kat, hash, kextra);
            }
        }
        (node, extra)
    }

    /// Places a finished node: into its parent's run, or as the root (the first
    /// top-level value; any later one is ignored).
    fn place(&mut self, node: Node, extra: E) {
        if self.stack.is_empty() {
            if self.root.is_none() {
                self.root = Some(self.nodes.len() as u32);
                self.nodes.push(node);
                self.extra.push(extra);
            }
        } else {
            self.pending.push((node, extra));
        }
    }

    fn value(&mut self, at: u32, extra: E) {
        let (node, extra) = self.attach(at, extra);
        self.place(node, extra);
    }

    fn open(&mut self, at: u32, extra: E, is_map: bool) {
        let (mut node, extra) = self.attach(at, extra);
        if is_map {
            node.len = MAP_BIT;
        }
        let start = self.pending.len();
        self.stack.push(Frame {
            node,
            extra,
            start,
            key: None,
            is_key: false,
        });
    }

    /// Opens a collection in a mapping key's place, as a member under `key` (a key no
    /// pointer can name); the value that follows it gets the same key.
    fn open_key(&mut self, at: u32, key: E, is_map: bool) {
        self.key(at, 0, key);
        self.open(at, key, is_map);
        if let Some(f) = self.stack.last_mut() {
            f.is_key = true;
        }
    }

    fn close(&mut self) {
        let Some(f) = self.stack.pop() else {
            return;
        };
        let run = &self.pending[f.start..];
        let first = self.nodes.len();
        if run.len() > LEN_MASK as usize || first + run.len() >= u32::MAX as usize {
            self.overflow = true;
        } else {
            self.nodes.extend(run.iter().map(|c| c.0));
            self.extra.extend(run.iter().map(|c| c.1));
        }
        let node = Node {
            first: first as u32,
            len: f.node.len | run.len() as u32 & LEN_MASK,
            ..f.node
        };
        self.pending.truncate(f.start);
        self.place(node, f.extra);
        if f.is_key {
            self.key(f.node.at, f.node.key_hash, f.extra);
        }
    }

    /// Closes what the text left open and returns the tree (None when empty or too big).
    fn finish(mut self) -> Option<Tree<E>> {
        while !self.stack.is_empty() {
            self.close();
        }
        if self.overflow {
            return None;
        }
        let mut nodes = self.nodes;
        let mut extra = self.extra;
        nodes.shrink_to_fit();
        extra.shrink_to_fit();
        Some(Tree {
            nodes,
            extra,
            root: self.root?,
        })
    }
}

/// Line and column at every `LINE_BLOCK` bytes of a JSON text, so that turning an offset
/// into line:column counts at most one block.
#[derive(Clone)]
struct Lines {
    /// (line, characters since the line's start) at byte `k * LINE_BLOCK`.
    marks: Vec<(u32, u32)>,
}

/// 512 bytes: a lookup counts at most that much, for 8 bytes per 512 of text.
const LINE_BLOCK: usize = 512;

/// How many bytes of `bytes` satisfy `pred`, counted in u8 lanes (vectorizes well).
fn count(bytes: &[u8], pred: impl Fn(u8) -> bool + Copy) -> u32 {
    bytes
        .chunks(255)
        .map(|c| u32::from(c.iter().fold(0u8, |n, &b| n + u8::from(pred(b)))))
        .sum()
}

/// (line, column) after `span`, starting from (line, column): the column counts the
/// characters since the last line start. Counts fit: texts are under u32::MAX bytes.
fn advance((line, col): (u32, u32), span: &[u8]) -> (u32, u32) {
    let is_char_start = |b: u8| b & 0xC0 != 0x80;
    match span.iter().rposition(|&b| b == b'\n') {
        Some(last) => (
            line + count(&span[..=last], |b| b == b'\n'),
            count(&span[last + 1..], is_char_start),
        ),
        None => (line, col + count(span, is_char_start)),
    }
}

impl Lines {
    fn new(bytes: &[u8]) -> Lines {
        let mut marks = Vec::with_capacity(bytes.len() / LINE_BLOCK + 1);
        let mut at = (1, 0);
        for block in bytes.chunks(LINE_BLOCK) {
            marks.push(at);
            at = advance(at, block);
        }
        Lines { marks }
    }

    /// 1-based line and column (in characters) of a byte offset on a character boundary.
    fn line_col(&self, bytes: &[u8], offset: usize) -> (u32, u32) {
        let offset = offset.min(bytes.len());
        let k = (offset / LINE_BLOCK).min(self.marks.len().saturating_sub(1));
        let mark = self.marks.get(k).copied().unwrap_or((1, 0));
        let span = bytes.get(k * LINE_BLOCK..offset).unwrap_or_default();
        let (line, col) = advance(mark, span);
        (line, col + 1)
    }
}

/// End (one past the closing quote, or the end of the text) of the string starting at
/// `start`, and whether it holds a backslash escape.
fn scan_string(bytes: &[u8], start: usize) -> (usize, bool) {
    let mut j = start + 1;
    let mut escaped = false;
    while j < bytes.len() && bytes[j] != b'"' {
        if bytes[j] == b'\\' {
            escaped = true;
            j += 2;
        } else {
            j += 1;
        }
    }
    ((j + 1).min(bytes.len()), escaped)
}

/// The decoded key of the string `text[start..end]` (quotes included); borrowed unless it
/// has escapes. An invalid escape decodes to the empty key.
fn decode_key(text: &str, start: usize, end: usize, escaped: bool) -> Cow<'_, str> {
    let raw = text.get(start..end).unwrap_or_default();
    if escaped {
        serde_json::from_str::<String>(raw)
            .unwrap_or_default()
            .into()
    } else {
        raw.get(1..raw.len().saturating_sub(1))
            .unwrap_or_default()
            .into()
    }
}

/// The key of the member whose node is at byte `at` (empty for a member without a key).
fn json_key(text: &str, at: usize) -> Cow<'_, str> {
    if text.as_bytes().get(at) != Some(&b'"') {
        return "".into();
    }
    let (end, escaped) = scan_string(text.as_bytes(), at);
    decode_key(text, at, end, escaped)
}

fn build_json(text: &str) -> Option<Index> {
    let bytes = text.as_bytes();
    let mut b = Builder::<()>::new();
    // Offsets fit in u32: `locate` refuses longer texts.
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        match c {
            b'{' | b'[' => {
                b.open(i as u32, (), c == b'{');
                i += 1;
            }
            b'}' | b']' => {
                b.close();
                i += 1;
            }
            b'"' => {
                let (end, escaped) = scan_string(bytes, i);
                if b.expecting_key() {
                    let hash = fnv1a(decode_key(text, i, end, escaped).as_bytes());
                    b.key(i as u32, hash, ());
                } else {
                    b.value(i as u32, ());
                }
                i = end;
            }
            b' ' | b'\t' | b'\r' | b'\n' | b',' | b':' => i += 1,
            _ => {
                b.value(i as u32, ());
                while i < bytes.len()
                    && !matches!(bytes[i], b',' | b'}' | b']' | b' ' | b'\n' | b'\r' | b'\t')
                {
                    i += 1;
                }
            }
        }
    }
    Some(Index::Json {
        tree: b.finish()?,
        lines: Lines::new(bytes),
    })
}

fn build_yaml(text: &str) -> Option<Index> {
    use saphyr_parser::{Event, Parser};
    let mut b = Builder::<YamlExtra>::new();
    let mut keys = String::new();
    let u32_of = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
    for item in Parser::new_from_str(text) {
        let (event, span) = item.ok()?;
        let line = u32_of(span.start.line());
        let plain = YamlExtra {
            col: u32_of(span.start.col()).saturating_add(1),
            key: 0,
            key_len: 0,
        };
        match event {
            Event::MappingStart(..) | Event::SequenceStart(..) => {
                let is_map = matches!(event, Event::MappingStart(..));
                if b.expecting_key() {
                    // A collection as a key: no pointer can name it or its value.
                    let unnamed = YamlExtra {
                        key_len: u32::MAX,
                        ..plain
                    };
                    b.open_key(line, unnamed, is_map);
                } else {
                    b.open(line, plain, is_map);
                }
            }
            Event::MappingEnd | Event::SequenceEnd => b.close(),
            Event::Scalar(value, ..) => {
                if b.expecting_key() {
                    let key = keys.len();
                    keys.push_str(&value);
                    if keys.len() >= u32::MAX as usize {
                        return None;
                    }
                    let extra = YamlExtra {
                        key: key as u32,
                        key_len: value.len() as u32,
                        ..plain
                    };
                    b.key(line, fnv1a(value.as_bytes()), extra);
                } else {
                    b.value(line, plain);
                }
            }
            Event::Alias(_) => {
                if b.expecting_key() {
                    b.key(line, fnv1a(b""), plain);
                } else {
                    b.value(line, plain);
                }
            }
            Event::DocumentEnd => break,
            _ => {}
        }
    }
    keys.shrink_to_fit();
    Some(Index::Yaml {
        tree: b.finish()?,
        keys,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_members_point_at_their_key() {
        let text = "{\n  \"a\": {\"b~/\": [10, {\"c\": true}]},\n  \"d\\\"e\": 1\n}";
        let l = Locator::default();
        assert_eq!(l.locate(Format::Json, text, ""), Some((1, 1)));
        assert_eq!(l.locate(Format::Json, text, "/a"), Some((2, 3)));
        assert_eq!(l.locate(Format::Json, text, "/a/b~0~1/1/c"), Some((2, 22)));
        assert_eq!(l.locate(Format::Json, text, "/a/b~0~1/0"), Some((2, 17)));
        assert_eq!(l.locate(Format::Json, text, "/d\"e"), Some((3, 3)));
        assert_eq!(l.locate(Format::Json, text, "/zz"), None);
    }

    #[test]
    fn yaml_members_point_at_their_key() {
        let text = "openapi: 3.0.0\npaths:\n  /users/{id}:\n    get:\n      responses:\n        200:\n          description: ok\n    parameters:\n      - name: id\n        in: path\n";
        let l = Locator::default();
        assert_eq!(
            l.locate(Format::Yaml, text, "/paths/~1users~1{id}/get"),
            Some((4, 5))
        );
        assert_eq!(
            l.locate(
                Format::Yaml,
                text,
                "/paths/~1users~1{id}/get/responses/200/description"
            ),
            Some((7, 11))
        );
        assert_eq!(
            l.locate(Format::Yaml, text, "/paths/~1users~1{id}/parameters/0/in"),
            Some((10, 9))
        );
        assert_eq!(l.locate(Format::Yaml, text, "/nope"), None);
    }

    fn json(text: &str, pointer: &str) -> Option<(u32, u32)> {
        Locator::default().locate(Format::Json, text, pointer)
    }

    #[test]
    fn escaped_keys_are_unescaped_on_both_sides() {
        let text = "{\"a/b\": 1, \"m~n\": 2, \"~1\": 3,\n \"q\\\"r\": 4, \"caf\\u00e9\": 5, \"na\u{ef}ve\": 6, \"x\": 7,\n \"\\ud83d\\ude00\": {\"\\/\": 8}}";
        let l = Locator::default();
        let at = |p| l.locate(Format::Json, text, p);
        assert_eq!(at("/a~1b"), Some((1, 2)));
        assert_eq!(at("/m~0n"), Some((1, 12)));
        assert_eq!(at("/~01"), Some((1, 22)));
        assert_eq!(at("/~1"), None, "~1 is a slash, not the key \"~1\"");
        assert_eq!(at("/q\"r"), Some((2, 2)));
        assert_eq!(at("/caf\u{e9}"), Some((2, 13)));
        assert_eq!(at("/caf\\u00e9"), None, "keys compare decoded");
        assert_eq!(at("/na\u{ef}ve"), Some((2, 29)));
        // Columns count characters, not bytes: "ï" is two bytes.
        assert_eq!(at("/x"), Some((2, 41)));
        assert_eq!(at("/\u{1f600}"), Some((3, 2)));
        assert_eq!(at("/\u{1f600}/~1"), Some((3, 19)));
    }

    #[test]
    fn array_items_point_at_their_value() {
        let text = "[1, [2,  3], {\"b\": [4]},\n  \"s\"]";
        assert_eq!(json(text, "/0"), Some((1, 2)));
        assert_eq!(json(text, "/1"), Some((1, 5)));
        assert_eq!(json(text, "/1/1"), Some((1, 10)));
        assert_eq!(json(text, "/2/b/0"), Some((1, 21)));
        assert_eq!(json(text, "/3"), Some((2, 3)));
        assert_eq!(json(text, "/4"), None);
        assert_eq!(json(text, "/-"), None);
        assert_eq!(json(text, "/b"), None);
        assert_eq!(json(text, "/0/0"), None, "a scalar has no children");
        assert_eq!(json(text, "1"), None, "a pointer starts with a slash");
    }

    #[test]
    fn empty_containers_and_empty_keys() {
        let text = "{\"o\": {}, \"a\": [ ], \"\": {\"\": 1}}";
        assert_eq!(json(text, "/o"), Some((1, 2)));
        assert_eq!(json(text, "/o/x"), None);
        assert_eq!(json(text, "/o/"), None);
        assert_eq!(json(text, "/a"), Some((1, 11)));
        assert_eq!(json(text, "/a/0"), None);
        assert_eq!(json(text, "/"), Some((1, 21)));
        assert_eq!(json(text, "//"), Some((1, 26)));
        assert_eq!(json("", ""), None);
        assert_eq!(json("  ", "/a"), None);
        assert_eq!(json("{}", ""), Some((1, 1)));
        assert_eq!(json("7", ""), Some((1, 1)));
    }

    #[test]
    fn duplicate_keys_resolve_to_the_last_like_serde_json() {
        let text = "{\"k\": 1,\n \"k\": {\"z\": 2}, \"j\": 0}";
        let value: serde_json::Value = serde_json::from_str(text).unwrap_or_default();
        assert_eq!(
            value["k"],
            serde_json::json!({"z": 2}),
            "serde_json keeps the last"
        );
        assert_eq!(json(text, "/k"), Some((2, 2)));
        assert_eq!(json(text, "/k/z"), Some((2, 8)));
    }

    #[test]
    fn truncated_and_stray_brackets_are_safe() {
        assert_eq!(json("{\"a\": [1, {\"b\": 2", "/a/1/b"), Some((1, 12)));
        assert_eq!(json("]]}{\"a\": 1}", "/a"), Some((1, 5)));
        assert_eq!(json("{\"a", "/a"), None);
        assert_eq!(json("{\"a\": \"unterminated", "/a"), Some((1, 2)));
    }

    #[test]
    fn deep_nesting_is_iterative() {
        let n = 100_000;
        let start = std::time::Instant::now();
        let text = format!("{}{}", "[".repeat(n), "]".repeat(n));
        let pointer = "/0".repeat(n - 1);
        assert_eq!(json(&text, &pointer), Some((1, n as u32)));
        assert_eq!(json(&text, &format!("{pointer}/0")), None);
        let text = format!("{}1{}", "{\"a\":".repeat(n), "}".repeat(n));
        assert_eq!(json(&text, &"/a".repeat(n)), Some((1, 5 * n as u32 - 3)));
        // Never closed: the open containers are closed at the end of the text.
        let text = "[".repeat(n);
        assert_eq!(json(&text, &"/0".repeat(n - 1)), Some((1, n as u32)));
        // YAML: block sequences nest on one line; flow ones past the parser's limit
        // (255 levels) are a parse error, hence no index.
        let text = format!("{}1", "- ".repeat(n));
        let yaml = Locator::default().locate(Format::Yaml, &text, &"/0".repeat(n));
        assert_eq!(yaml, Some((1, 2 * n as u32 + 1)));
        let text = format!("{}{}", "[".repeat(n), "]".repeat(n));
        let yaml = Locator::default().locate(Format::Yaml, &text, &"/0".repeat(n - 1));
        assert_eq!(yaml, None);
        assert!(start.elapsed() < std::time::Duration::from_secs(10));
    }

    #[test]
    fn line_table_matches_a_plain_count_across_blocks() {
        // Lines of every length around the block size, multibyte characters straddling
        // block boundaries, and CRLF line ends.
        let mut text = String::new();
        for i in 0..40 {
            let line: String = (0..i * 37)
                .map(|j| ['a', '\u{e9}', '\u{1f600}', '\r'][(i + j) % 4])
                .collect();
            text.push_str(&line);
            text.push('\n');
        }
        let lines = Lines::new(text.as_bytes());
        let mut expected = (1, 1);
        for (offset, c) in text.char_indices() {
            assert_eq!(
                lines.line_col(text.as_bytes(), offset),
                expected,
                "offset {offset}"
            );
            expected = if c == '\n' {
                (expected.0 + 1, 1)
            } else {
                (expected.0, expected.1 + 1)
            };
        }
    }

    #[test]
    fn yaml_aliases_and_documents() {
        let text = "a: &x\n  b: 1\nc: *x\n? [k]\n: v\nd: [1, {e: 2}]\n'q~/': 3\n---\nz: 1\n";
        let l = Locator::default();
        let at = |p| l.locate(Format::Yaml, text, p);
        assert_eq!(at(""), Some((1, 1)));
        assert_eq!(at("/a/b"), Some((2, 3)));
        assert_eq!(at("/c"), Some((3, 1)));
        assert_eq!(
            at("/c/b"),
            None,
            "pointers through an alias are not followed"
        );
        // A collection as a key: neither it nor its value can be named, and the keys
        // after it keep their places.
        assert_eq!(at("/"), None);
        assert_eq!(at("/d/1/e"), Some((6, 9)));
        assert_eq!(at("/q~0~1"), Some((7, 1)));
        assert_eq!(at("/z"), None, "only the first document is indexed");
        assert_eq!(
            Locator::default().locate(Format::Yaml, "a: [", "/a"),
            None,
            "a text the parser rejects has no index"
        );
    }

    /// A JSON value for the property test; members may repeat a key.
    #[derive(Debug, Clone)]
    enum J {
        Scalar(&'static str),
        Str(String),
        Arr(Vec<J>),
        Obj(Vec<(String, J)>),
    }

    fn escape_segment(key: &str) -> String {
        key.replace('~', "~0").replace('/', "~1")
    }

    /// Writes `j` as JSON into `out`, tracking line and column (in characters), and
    /// records where every pointer the parsed value has should be located.
    struct Writer<'a> {
        out: String,
        line: u32,
        col: u32,
        /// Picks whitespace and escape styles.
        rng: u64,
        expected: &'a mut std::collections::HashMap<String, (u32, u32)>,
    }

    impl Writer<'_> {
        fn next(&mut self) -> u64 {
            self.rng ^= self.rng << 13;
            self.rng ^= self.rng >> 7;
            self.rng ^= self.rng << 17;
            self.rng
        }
        fn push(&mut self, s: &str) {
            for c in s.chars() {
                if c == '\n' {
                    (self.line, self.col) = (self.line + 1, 1);
                } else {
                    self.col += 1;
                }
            }
            self.out.push_str(s);
        }
        fn space(&mut self) {
            let ws = ["", "", " ", "\n", "\n  ", "\t", "\r\n "];
            let i = (self.next() % ws.len() as u64) as usize;
            self.push(ws[i]);
        }
        fn string(&mut self, s: &str) {
            let mut q = String::from("\"");
            for c in s.chars() {
                let style = self.next() % 3;
                match c {
                    '"' => q.push_str("\\\""),
                    '\\' => q.push_str("\\\\"),
                    '/' if style == 0 => q.push_str("\\/"),
                    c if (c as u32) < 0x20 || (!c.is_ascii() && style == 0) => {
                        for unit in c.encode_utf16(&mut [0; 2]) {
                            q.push_str(&format!("\\u{unit:04x}"));
                        }
                    }
                    c => q.push(c),
                }
            }
            q.push('"');
            self.push(&q);
        }
        fn value(&mut self, j: &J, pointer: &str, record: bool) {
            match j {
                J::Scalar(s) => self.push(s),
                J::Str(s) => self.string(s),
                J::Arr(items) => {
                    self.push("[");
                    for (i, item) in items.iter().enumerate() {
                        if i > 0 {
                            self.push(",");
                        }
                        self.space();
                        let p = format!("{pointer}/{i}");
                        if record {
                            self.expected.insert(p.clone(), (self.line, self.col));
                        }
                        self.value(item, &p, record);
                        self.space();
                    }
                    self.push("]");
                }
                J::Obj(members) => {
                    self.push("{");
                    for (i, (key, item)) in members.iter().enumerate() {
                        if i > 0 {
                            self.push(",");
                        }
                        self.space();
                        // Only the last of duplicate keys is in the parsed value.
                        let last = !members[i + 1..].iter().any(|(k, _)| k == key);
                        let p = format!("{pointer}/{}", escape_segment(key));
                        if record && last {
                            self.expected.insert(p.clone(), (self.line, self.col));
                        }
                        self.string(key);
                        self.space();
                        self.push(":");
                        self.space();
                        self.value(item, &p, record && last);
                        self.space();
                    }
                    self.push("}");
                }
            }
        }
    }

    fn pointers_of(v: &serde_json::Value, pointer: String, out: &mut Vec<String>) {
        match v {
            serde_json::Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    pointers_of(item, format!("{pointer}/{i}"), out);
                }
            }
            serde_json::Value::Object(members) => {
                for (k, item) in members {
                    pointers_of(item, format!("{pointer}/{}", escape_segment(k)), out);
                }
            }
            _ => {}
        }
        out.push(pointer);
    }

    fn json_doc() -> impl proptest::strategy::Strategy<Value = J> {
        use proptest::prelude::*;
        let key = "[ab~/\"\\\\ \u{e9}\u{1f600}\n]{0,3}";
        let leaf = prop_oneof![
            prop_oneof![Just("null"), Just("true"), Just("-1.5e3"), Just("42")].prop_map(J::Scalar),
            key.prop_map(J::Str),
        ];
        leaf.prop_recursive(6, 80, 6, move |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..6).prop_map(J::Arr),
                proptest::collection::vec((key, inner), 0..6).prop_map(J::Obj),
            ]
        })
    }

    proptest::proptest! {
        #[test]
        fn every_pointer_locates_at_its_key_or_item(doc in json_doc(), seed in 1..u64::MAX) {
            let mut expected = std::collections::HashMap::new();
            let mut w = Writer { out: String::new(), line: 1, col: 1, rng: seed, expected: &mut expected };
            w.space();
            let root = (w.line, w.col);
            w.value(&doc, "", true);
            w.space();
            let text = w.out;
            expected.insert(String::new(), root);
            let value: serde_json::Value = serde_json::from_str(&text)
                .map_err(|e| proptest::test_runner::TestCaseError::fail(format!("{e}: {text}")))?;
            let mut pointers = Vec::new();
            pointers_of(&value, String::new(), &mut pointers);
            proptest::prop_assert_eq!(pointers.len(), expected.len());
            let l = Locator::default();
            for p in &pointers {
                proptest::prop_assert_eq!(
                    l.locate(Format::Json, &text, p),
                    expected.get(p).copied(),
                    "pointer {:?} in {:?}", p, text
                );
            }
        }
    }
}
