//! JSON Pointer → 1-based line:column in the text of a loaded document.
//!
//! Owns: a position index of every node (object members at their key, array items at
//! their value), built in one pass over the text on the first lookup and reused after.
//! JSON is scanned by hand (byte offsets, turned into line:column at lookup); YAML goes
//! through `saphyr-parser`'s event stream, whose events carry line and column.
//! Must not: run during load (reports only need a few pointers, and load speed matters),
//! or fail loudly: a pointer that cannot be found (through a YAML alias, into another
//! document) is simply `None`.

use super::Format;
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
            .get_or_init(|| match format {
                Format::Json => Some(build_json(text)),
                Format::Yaml => build_yaml(text),
            })
            .as_ref()?;
        let node = index.find(pointer)?;
        let pos = index.nodes[node as usize].pos;
        Some(match index.kind {
            Format::Json => offset_to_line_col(text, &index.line_starts, pos.0 as usize),
            Format::Yaml => pos,
        })
    }
}

#[derive(Clone)]
struct Node {
    /// JSON: (byte offset, 0). YAML: (line, column), both 1-based.
    pos: (u32, u32),
    /// Members: `Some(key)` for objects, `None` for array items, in document order.
    children: Vec<(Option<Box<str>>, u32)>,
}

#[derive(Clone)]
struct Index {
    kind: Format,
    nodes: Vec<Node>,
    /// Byte offsets where lines start (JSON only).
    line_starts: Vec<usize>,
}

impl Index {
    fn find(&self, pointer: &str) -> Option<u32> {
        if self.nodes.is_empty() {
            return None;
        }
        let mut at = 0u32;
        if pointer.is_empty() {
            return Some(0);
        }
        let rest = pointer.strip_prefix('/')?;
        for raw in rest.split('/') {
            let seg = unescape(raw);
            let node = &self.nodes[at as usize];
            let is_array = node.children.first().is_some_and(|c| c.0.is_none());
            at = if is_array {
                let i: usize = seg.parse().ok()?;
                node.children.get(i)?.1
            } else {
                // The last duplicate wins, as in the parsed value.
                node.children
                    .iter()
                    .rev()
                    .find(|(k, _)| k.as_deref() == Some(seg.as_ref()))?
                    .1
            };
        }
        Some(at)
    }
}

fn unescape(seg: &str) -> std::borrow::Cow<'_, str> {
    if seg.contains('~') {
        seg.replace("~1", "/").replace("~0", "~").into()
    } else {
        seg.into()
    }
}

fn offset_to_line_col(text: &str, line_starts: &[usize], offset: usize) -> (u32, u32) {
    let line = line_starts.partition_point(|&s| s <= offset).max(1);
    let start = line_starts[line - 1];
    let col = text
        .get(start..offset)
        .map_or(offset - start, |s| s.chars().count());
    (line as u32, col as u32 + 1)
}

/// Builds the tree of nodes from open/leaf/close calls made in document order.
struct Builder {
    nodes: Vec<Node>,
    /// Open containers: (node, expecting a key next, pending key and its position).
    stack: Vec<Frame>,
}

struct Frame {
    node: u32,
    is_map: bool,
    key: Option<(Box<str>, (u32, u32))>,
}

impl Builder {
    fn new() -> Builder {
        Builder {
            nodes: Vec::new(),
            stack: Vec::new(),
        }
    }

    /// True when the next scalar in the innermost open container is a mapping key.
    fn expecting_key(&self) -> bool {
        self.stack
            .last()
            .is_some_and(|f| f.is_map && f.key.is_none())
    }

    fn key(&mut self, key: Box<str>, pos: (u32, u32)) {
        if let Some(f) = self.stack.last_mut() {
            f.key = Some((key, pos));
        }
    }

    /// Adds a node at `pos` (a member takes its key's position) and returns its id.
    fn value(&mut self, pos: (u32, u32)) -> u32 {
        let id = self.nodes.len() as u32;
        let mut node_pos = pos;
        if let Some(f) = self.stack.last_mut() {
            let key = if f.is_map {
                let (k, kpos) = f.key.take().unwrap_or_else(|| ("".into(), pos));
                node_pos = kpos;
                Some(k)
            } else {
                None
            };
            let parent = f.node as usize;
            self.nodes[parent].children.push((key, id));
        }
        self.nodes.push(Node {
            pos: node_pos,
            children: Vec::new(),
        });
        id
    }

    fn open(&mut self, pos: (u32, u32), is_map: bool) {
        let node = self.value(pos);
        self.stack.push(Frame {
            node,
            is_map,
            key: None,
        });
    }

    fn close(&mut self) {
        self.stack.pop();
    }
}

fn build_json(text: &str) -> Index {
    let bytes = text.as_bytes();
    let mut line_starts = vec![0usize];
    line_starts.extend(
        bytes
            .iter()
            .enumerate()
            .filter(|(_, b)| **b == b'\n')
            .map(|(i, _)| i + 1),
    );
    let mut b = Builder::new();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        match c {
            b'{' | b'[' => {
                b.open((i as u32, 0), c == b'{');
                i += 1;
            }
            b'}' | b']' => {
                b.close();
                i += 1;
            }
            b'"' => {
                let start = i;
                let mut j = i + 1;
                let mut escaped = false;
                while j < bytes.len() && bytes[j] != b'"' {
                    if bytes[j] == b'\\' {
                        escaped = true;
                        j += 2;
                    } else {
                        j += 1;
                    }
                }
                let end = (j + 1).min(bytes.len());
                if b.expecting_key() {
                    let raw = &text[start..end];
                    let key: Box<str> = if escaped {
                        serde_json::from_str::<String>(raw)
                            .unwrap_or_default()
                            .into_boxed_str()
                    } else {
                        raw.get(1..raw.len().saturating_sub(1))
                            .unwrap_or_default()
                            .into()
                    };
                    b.key(key, (start as u32, 0));
                } else {
                    b.value((start as u32, 0));
                }
                i = end;
            }
            b' ' | b'\t' | b'\r' | b'\n' | b',' | b':' => i += 1,
            _ => {
                b.value((i as u32, 0));
                while i < bytes.len()
                    && !matches!(bytes[i], b',' | b'}' | b']' | b' ' | b'\n' | b'\r' | b'\t')
                {
                    i += 1;
                }
            }
        }
    }
    Index {
        kind: Format::Json,
        nodes: b.nodes,
        line_starts,
    }
}

fn build_yaml(text: &str) -> Option<Index> {
    use saphyr_parser::{Event, Parser};
    let mut b = Builder::new();
    // Keys that are themselves collections cannot be addressed by a pointer; their
    // nodes are built but attached under an empty key.
    for item in Parser::new_from_str(text) {
        let (event, span) = item.ok()?;
        let pos = (span.start.line() as u32, span.start.col() as u32 + 1);
        match event {
            Event::MappingStart(..) => b.open(pos, true),
            Event::SequenceStart(..) => b.open(pos, false),
            Event::MappingEnd | Event::SequenceEnd => b.close(),
            Event::Scalar(value, ..) => {
                if b.expecting_key() {
                    b.key(value.as_ref().into(), pos);
                } else {
                    b.value(pos);
                }
            }
            Event::Alias(_) => {
                if b.expecting_key() {
                    b.key("".into(), pos);
                } else {
                    b.value(pos);
                }
            }
            Event::DocumentEnd => break,
            _ => {}
        }
    }
    Some(Index {
        kind: Format::Yaml,
        nodes: b.nodes,
        line_starts: Vec::new(),
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
}
