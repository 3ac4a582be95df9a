//! Turns the bytes of one document into a `serde_json::Value`: size, UTF-8 and nesting
//! checks, JSON-or-YAML detection from the content (never the name), and the mapping of
//! parser failures (alias bombs, recursion limits, syntax errors) to `SpecError`s that
//! carry line and column.
//!
//! Must not: interpret the document as OpenAPI (that is `reader`) or read any source.

use super::{Format, Limits, SpecError};
use serde_json::Value;

/// Hard ceiling of both parsers' recursion (serde_json refuses the 128th nested
/// container, yaml_serde a little later); `Limits::max_depth` can only lower it.
pub const PARSER_DEPTH_CEILING: usize = 128;

/// A document parsed into a value, with its text kept for locating nodes later.
pub struct Parsed {
    pub value: Value,
    pub format: Format,
    pub text: String,
}

/// 1-based line and column of a byte offset in `text` (column counted in characters).
pub fn line_col(text: &[u8], offset: usize) -> (u32, u32) {
    let offset = offset.min(text.len());
    let before = &text[..offset];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |p| p + 1);
    let col = String::from_utf8_lossy(&before[line_start..])
        .chars()
        .count()
        + 1;
    (line as u32, col as u32)
}

/// JSON when the first non-whitespace character is `{` or `[`, otherwise YAML.
pub fn detect(text: &str) -> Format {
    match text.trim_start().as_bytes().first() {
        Some(b'{') | Some(b'[') => Format::Json,
        _ => Format::Yaml,
    }
}

/// Checks the size, decodes UTF-8, detects the format, bounds the nesting and parses.
pub fn parse(name: &str, bytes: Vec<u8>, limits: &Limits) -> Result<Parsed, SpecError> {
    if bytes.len() as u64 > limits.max_bytes {
        return Err(SpecError::TooLarge {
            file: name.to_string(),
            size: Some(bytes.len() as u64),
            limit: limits.max_bytes,
        });
    }
    let mut text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let offset = e.utf8_error().valid_up_to();
            let (line, column) = line_col(e.as_bytes(), offset);
            return Err(SpecError::InvalidUtf8 {
                file: name.to_string(),
                line,
                column,
            });
        }
    };
    if text.starts_with('\u{feff}') {
        text.drain(..3);
    }
    let format = detect(&text);
    let max_depth = limits.max_depth.min(PARSER_DEPTH_CEILING);
    let value = match format {
        Format::Json => {
            // serde_json stops at 128 by itself (with line and column); the scan is only
            // needed for a lower limit, so the default costs nothing.
            if max_depth < PARSER_DEPTH_CEILING
                && let Some(offset) = json_too_deep(text.as_bytes(), max_depth)
            {
                let (line, column) = line_col(text.as_bytes(), offset);
                return Err(too_deep(name, limits, Some((line, column))));
            }
            serde_json::from_str::<Value>(&text).map_err(|e| {
                let line = e.line() as u32;
                let column = e.column() as u32;
                if e.to_string().contains("recursion limit") {
                    too_deep(name, limits, Some((line, column)))
                } else {
                    SpecError::Parse {
                        file: name.to_string(),
                        format: Format::Json,
                        message: strip_position(&e.to_string()),
                        line: Some(line),
                        column: Some(column),
                    }
                }
            })?
        }
        Format::Yaml => parse_yaml(name, &text, limits)?,
    };
    Ok(Parsed {
        value,
        format,
        text,
    })
}

fn too_deep(name: &str, limits: &Limits, at: Option<(u32, u32)>) -> SpecError {
    SpecError::TooDeep {
        file: name.to_string(),
        limit: limits.max_depth.min(PARSER_DEPTH_CEILING),
        line: at.map(|a| a.0),
        column: at.map(|a| a.1),
    }
}

/// Flow nesting above which YAML is refused before libyaml sees it: its scanner is
/// quadratic in flow depth (100,000 nested `{a: ` took minutes), while its own recursion
/// limit only applies after the whole stream is scanned. Far above any real spec, so a
/// rough scan cannot misfire on one.
const YAML_FLOW_GUARD: usize = 1000;

fn parse_yaml(name: &str, text: &str, limits: &Limits) -> Result<Value, SpecError> {
    if let Some(offset) = yaml_flow_too_deep(text.as_bytes(), YAML_FLOW_GUARD) {
        let (line, column) = line_col(text.as_bytes(), offset);
        return Err(too_deep(name, limits, Some((line, column))));
    }
    let value: Value = serde_yaml::from_str::<YamlValue>(text)
        .map(|v| v.0)
        .map_err(|e| {
            let loc = e.location().map(|l| (l.line() as u32, l.column() as u32));
            let message = e.to_string();
            if message.contains("recursion limit exceeded") {
                too_deep(name, limits, loc)
            } else if message.contains("repetition limit exceeded") {
                SpecError::AliasLimit {
                    file: name.to_string(),
                }
            } else {
                SpecError::Parse {
                    file: name.to_string(),
                    format: Format::Yaml,
                    message: strip_position(&message),
                    line: loc.map(|l| l.0),
                    column: loc.map(|l| l.1),
                }
            }
        })?;
    // yaml_serde stops at its own ceiling (128) while parsing, quickly and without deep
    // recursion; a lower `max_depth` is checked on the (already bounded) value.
    if value_depth_exceeds(&value, limits.max_depth.min(PARSER_DEPTH_CEILING)) {
        return Err(too_deep(name, limits, None));
    }
    Ok(value)
}

/// A YAML node read straight into a `serde_json::Value`, tolerating what JSON cannot
/// hold: integers beyond 64 bits become floats (OpenAI writes `minimum:
/// -9223372036854776000`), non-finite floats become strings, and non-string keys
/// (`200:`, `true:`, `~:`) become their string form.
struct YamlValue(Value);

impl<'de> serde::Deserialize<'de> for YamlValue {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(YamlVisitor).map(YamlValue)
    }
}

struct YamlVisitor;

fn float(f: f64) -> Value {
    serde_json::Number::from_f64(f).map_or_else(|| Value::String(f.to_string()), Value::Number)
}

impl<'de> serde::de::Visitor<'de> for YamlVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }
    fn visit_i128<E>(self, v: i128) -> Result<Value, E> {
        Ok(match i64::try_from(v) {
            Ok(i) => Value::Number(i.into()),
            Err(_) => match u64::try_from(v) {
                Ok(u) => Value::Number(u.into()),
                Err(_) => float(v as f64),
            },
        })
    }
    fn visit_u128<E>(self, v: u128) -> Result<Value, E> {
        Ok(match u64::try_from(v) {
            Ok(u) => Value::Number(u.into()),
            Err(_) => float(v as f64),
        })
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(float(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_string()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(YamlVisitor)
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
        while let Some(YamlValue(v)) = seq.next_element()? {
            out.push(v);
        }
        Ok(Value::Array(out))
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = serde_json::Map::new();
        while let Some(YamlValue(k)) = map.next_key()? {
            let key = match k {
                Value::String(s) => s,
                Value::Null => "null".to_string(),
                other => other.to_string(),
            };
            let YamlValue(v) = map.next_value()?;
            out.insert(key, v);
        }
        Ok(Value::Object(out))
    }
    fn visit_enum<A: serde::de::EnumAccess<'de>>(self, data: A) -> Result<Value, A::Error> {
        // A tagged node (`!Tag value`): keep the value, drop the tag.
        use serde::de::VariantAccess;
        let (YamlValue(_tag), variant) = data.variant::<YamlValue>()?;
        variant.newtype_variant::<YamlValue>().map(|v| v.0)
    }
}

/// Removes the " at line N column M" suffix both parsers add (we report it separately).
fn strip_position(message: &str) -> String {
    match message.find(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message.to_string(),
    }
}

/// Scans JSON bytes for nesting deeper than `max`, skipping strings. Returns the offset
/// of the first bracket over the limit. Linear, no recursion.
fn json_too_deep(bytes: &[u8], max: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    for (i, &b) in bytes.iter().enumerate() {
        if in_string {
            if escaped {
                escaped = false;
            } else if b == b'\\' {
                escaped = true;
            } else if b == b'"' {
                in_string = false;
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'{' | b'[' => {
                depth += 1;
                if depth > max {
                    return Some(i);
                }
            }
            b'}' | b']' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

/// A rough, linear scan for YAML flow collections (`[`, `{`) nested deeper than `max`.
/// Openers count where a flow collection can start (inside a flow collection, or after
/// `: `, `- `, `? ` or indentation); quoted scalars inside flow collections and comments
/// are skipped. Returns the offset of the first opener over `max`.
fn yaml_flow_too_deep(bytes: &[u8], max: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut quote: Option<u8> = None;
    let mut comment = false;
    // The last non-space byte on this line (b'\n' at line start).
    let mut last = b'\n';
    let mut prev = b'\n';
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'\n' {
            comment = false;
            last = b'\n';
            prev = b;
            continue;
        }
        if comment {
            continue;
        }
        if let Some(q) = quote {
            if b == q && !(q == b'"' && prev == b'\\') {
                quote = None;
            }
            prev = if prev == b'\\' && b == b'\\' { 0 } else { b };
            continue;
        }
        match b {
            b' ' | b'\t' | b'\r' => {
                prev = b;
                continue;
            }
            b'#' if matches!(prev, b' ' | b'\t' | b'\n') => comment = true,
            b'"' | b'\'' if depth > 0 && matches!(last, b'[' | b'{' | b',' | b':' | b'?') => {
                quote = Some(b)
            }
            b'[' | b'{' => {
                let can_start = depth > 0 && matches!(last, b'[' | b'{' | b',' | b':' | b'?')
                    || depth == 0
                        && (last == b'\n' || matches!(last, b':' | b'-' | b'?') && prev == b' ');
                if can_start {
                    depth += 1;
                    if depth > max {
                        return Some(i);
                    }
                }
            }
            b']' | b'}' if depth > 0 => depth -= 1,
            _ => {}
        }
        last = b;
        prev = b;
    }
    None
}

/// True when `value` nests deeper than `max`, checked with an explicit stack.
fn value_depth_exceeds(value: &Value, max: usize) -> bool {
    let mut stack: Vec<(&Value, usize)> = vec![(value, 0)];
    while let Some((v, d)) = stack.pop() {
        let children: Box<dyn Iterator<Item = &Value>> = match v {
            Value::Array(a) => Box::new(a.iter()),
            Value::Object(o) => Box::new(o.values()),
            _ => continue,
        };
        if d + 1 > max {
            return true;
        }
        for c in children {
            if matches!(c, Value::Array(_) | Value::Object(_)) {
                stack.push((c, d + 1));
            }
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_from_one() {
        assert_eq!(line_col(b"ab\ncd", 0), (1, 1));
        assert_eq!(line_col(b"ab\ncd", 4), (2, 2));
    }

    #[test]
    fn format_comes_from_content() {
        assert_eq!(detect("  \n{\"a\":1}"), Format::Json);
        assert_eq!(detect("openapi: 3.0.0"), Format::Yaml);
    }

    #[test]
    fn yaml_flow_scan_counts_only_flow_collections() {
        assert_eq!(yaml_flow_too_deep(b"a: [[[1]]]", 3), None);
        assert_eq!(yaml_flow_too_deep(b"a: [[[[1]]]]", 3), Some(6));
        assert_eq!(
            yaml_flow_too_deep(b"a: '[[[[['\nb: x[[[[[[ # [[[[[\n", 3),
            None
        );
        assert_eq!(yaml_flow_too_deep(b"a: {b: \"[[[[[\", c: [1]}", 3), None);
    }

    #[test]
    fn json_depth_scan_ignores_brackets_in_strings() {
        assert_eq!(json_too_deep(br#"{"a":"[[[[[[["}"#, 2), None);
        assert_eq!(json_too_deep(b"[[[", 2), Some(2));
    }
}
