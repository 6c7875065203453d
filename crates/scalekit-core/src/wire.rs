//! Wire JSON (snake_case) → result JSON (camelCase) without building the model.
//!
//! The addon hands results to JS as JSON text for `JSON.parse`. Decoding a page
//! of 1 000 organizations into structs and encoding it again costs ~1.2 ms on
//! our 2-core VM (`examples/model_cost.rs`), and serde_json's own transcoding
//! visitors did not do much better (~0.9 ms): string handling dominates. This
//! module makes one pass over the bytes instead (~0.42 ms): it checks the JSON
//! as it goes, copies string values exactly as they are (escapes included),
//! renames keys, and predicts each next key from the order seen in the
//! previous sibling. It follows the model's `Shape`, derived from the same
//! struct by `scalekit-derive`, so the result is what
//! `serde_json::to_string(&serde_json::from_slice::<Model>(wire)?)` gives, once
//! parsed: unknown fields dropped, missing fields defaulted, `null` accepted
//! where the model accepts it, `None` left out, counters as numbers. (The text
//! differs: keys keep the wire's order, defaults come last, and string escapes
//! are kept as sent.) Tests hold it to the typed path on generated, shuffled
//! and damaged documents, both in what it accepts and in what it gives.

use std::collections::HashMap;
use std::fmt;

/// How one model's JSON is read and written.
#[derive(Debug)]
pub enum Shape {
    Str,
    Bool,
    /// A 32-bit counter: a number, or a string holding one (proto3 JSON).
    U32,
    /// A 64-bit integer (proto3 JSON writes it as a string): written as a number.
    I64,
    /// Any JSON (SCIM attributes, `google.protobuf.Struct`, custom attributes):
    /// checked and copied as it is, keys unchanged.
    Json,
    Option(&'static Shape),
    Array(&'static Shape),
    /// A map with string keys, kept as they are.
    Map(&'static Shape),
    Object(&'static [Field]),
}

#[derive(Debug)]
pub struct Field {
    pub wire: &'static str,
    pub js: &'static str,
    pub shape: &'static Shape,
    /// `skip_serializing_if = "Option::is_none"`.
    pub omit_none: bool,
    /// `null` reads as the default (`null_as_default`, `lenient_u32`); elsewhere it is
    /// an error unless the field is an `Option`, as with serde.
    pub null_as_default: bool,
}

/// Implemented by `#[derive(WireShape)]` for models and here for their field types.
pub trait WireShape {
    const SHAPE: Shape;
}

impl WireShape for String {
    const SHAPE: Shape = Shape::Str;
}
impl WireShape for bool {
    const SHAPE: Shape = Shape::Bool;
}
impl WireShape for u32 {
    const SHAPE: Shape = Shape::U32;
}
impl WireShape for i64 {
    const SHAPE: Shape = Shape::I64;
}
impl WireShape for serde_json::Value {
    const SHAPE: Shape = Shape::Json;
}
impl WireShape for serde_json::Map<String, serde_json::Value> {
    const SHAPE: Shape = Shape::Map(&Shape::Json);
}
impl<T: WireShape> WireShape for Option<T> {
    const SHAPE: Shape = Shape::Option(&T::SHAPE);
}
impl<T: WireShape> WireShape for Vec<T> {
    const SHAPE: Shape = Shape::Array(&T::SHAPE);
}
impl<V: WireShape, S> WireShape for HashMap<String, V, S> {
    const SHAPE: Shape = Shape::Map(&V::SHAPE);
}

/// A result as camelCase JSON text, ready for `JSON.parse`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CamelJson {
    pub text: String,
    /// For a big text: where its largest top-level array's elements lie (two or more), so that the JS thread can
    /// parse it in pieces (see `TopArray`).
    pub array: Option<TopArray>,
}

impl CamelJson {
    pub fn new(text: String) -> Self {
        CamelJson { text, array: None }
    }
}

/// The largest array that is a field of a big result's top-level object (a page's items), for when the
/// bindings must copy the text into V8 rather than parse it from reused memory (past 64 calls in flight, a
/// replaced `JSON.parse`, a Node.js without external strings; see `src/json.rs`). V8 puts a string over
/// 128 kB in its large-object space, in freshly mapped memory: one for a 600 kB page costs ~250 µs of page
/// faults, against ~11 µs for the same text in ten strings of 60 kB. So such a page is copied and parsed as
/// its other fields plus its items in slices, which are then joined. Recording it costs the worker one
/// `Vec` push per item, whichever way the page is then parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TopArray {
    /// The field's camelCase name.
    pub key: &'static str,
    /// Offsets of its `[` and `]` in the text.
    pub open: usize,
    pub close: usize,
    /// Each element's start and end (exclusive); they are separated by single commas.
    pub elements: Vec<(usize, usize)>,
}

/// Texts from this size on record their `TopArray` (V8's large-object threshold is 128 kB).
pub const SPLIT_MIN_BYTES: usize = 96 * 1024;

/// Why a response body could not be read as the expected model.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError(String);

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for DecodeError {}

/// What a response body can be decoded into: the model itself, or `CamelJson` of it.
pub trait FromWire<M>: Sized {
    fn from_wire(body: &[u8]) -> Result<Self, DecodeError>;
    /// A result the client built itself (a composite call, a normalised answer).
    fn from_model(model: M) -> Self;
}

impl<M: serde::de::DeserializeOwned> FromWire<M> for M {
    fn from_wire(body: &[u8]) -> Result<M, DecodeError> {
        // Invalid UTF-8 anywhere rejects the body, as the transcoder rejects it: serde_json alone would
        // accept it inside a value the model skips.
        let text = std::str::from_utf8(body).map_err(|e| DecodeError(format!("the body is not UTF-8: {e}")))?;
        serde_json::from_str(text).map_err(|e| DecodeError(e.to_string()))
    }
    fn from_model(model: M) -> M {
        model
    }
}

impl<M: WireShape + serde::Serialize> FromWire<M> for CamelJson {
    fn from_wire(body: &[u8]) -> Result<CamelJson, DecodeError> {
        transcode(&M::SHAPE, body)
    }
    fn from_model(model: M) -> CamelJson {
        // Models serialize to camelCase.
        CamelJson::new(serde_json::to_string(&model).expect("models serialize"))
    }
}

/// Transcodes one wire document of `shape`.
pub fn to_camel_json(shape: &Shape, wire: &[u8]) -> Result<String, DecodeError> {
    transcode(shape, wire).map(|json| json.text)
}

/// As [`to_camel_json`], with the `TopArray` of a big text.
pub fn transcode(shape: &Shape, wire: &[u8]) -> Result<CamelJson, DecodeError> {
    // Checking UTF-8 once up front is far cheaper than per string; the scanner
    // only cuts at ASCII bytes, so every copied piece stays valid UTF-8.
    let text = std::str::from_utf8(wire).map_err(|e| DecodeError(format!("the body is not UTF-8: {e}")))?;
    // camelCase keys are shorter than snake_case ones; defaults rarely outweigh that.
    let mut out = crate::buffers::take(wire.len() + 64);
    let record = wire.len() >= SPLIT_MIN_BYTES;
    let mut scanner = Scanner { bytes: text.as_bytes(), pos: 0, orders: Vec::new(), depth: 0, key: "", array: None, record };
    scanner.value(shape, &mut out, false)?;
    scanner.skip_whitespace();
    if scanner.pos != scanner.bytes.len() {
        return Err(scanner.error("trailing characters"));
    }
    let array = scanner.array.filter(|a| a.elements.len() > 1);
    debug_assert!(std::str::from_utf8(&out).is_ok());
    // SAFETY: `out` is pieces of `text` cut at ASCII bytes, and ASCII; checking it again cost 2.5 % of a transcode.
    let text = unsafe { String::from_utf8_unchecked(out) };
    Ok(CamelJson { text, array })
}

/// Writes the default of `shape`, as serde serializes `Default::default()`.
fn write_default(shape: &Shape, out: &mut Vec<u8>) {
    match shape {
        Shape::Str => out.extend_from_slice(b"\"\""),
        Shape::Bool => out.extend_from_slice(b"false"),
        Shape::U32 | Shape::I64 => out.push(b'0'),
        Shape::Option(_) | Shape::Json => out.extend_from_slice(b"null"),
        Shape::Array(_) => out.extend_from_slice(b"[]"),
        Shape::Map(_) => out.extend_from_slice(b"{}"),
        Shape::Object(fields) => {
            out.push(b'{');
            let mut first = true;
            for field in fields.iter().filter(|f| !f.omit_none) {
                write_key(field.js.as_bytes(), &mut first, out);
                write_default(field.shape, out);
            }
            out.push(b'}');
        }
    }
}

#[inline]
fn write_key(key: &[u8], first: &mut bool, out: &mut Vec<u8>) {
    if !std::mem::take(first) {
        out.push(b',');
    }
    out.push(b'"');
    out.extend_from_slice(key);
    out.extend_from_slice(b"\":");
}

/// What a value turned out to be, so that an object can leave out a `None`.
#[derive(PartialEq)]
enum Written {
    Value,
    Null,
}

/// serde_json's recursion limit: the 128th container open at once is refused in what is decoded (model
/// fields and free-form JSON alike, counted from the top of the document). What is skipped may nest at
/// any depth, on both paths.
const MAX_DEPTH: usize = 128;

/// A JSON reader over a UTF-8 document, strict as serde_json.
struct Scanner<'a> {
    bytes: &'a [u8],
    pos: usize,
    /// Field order learned per object shape, to predict each next key.
    orders: Vec<KeyOrder>,
    /// Open objects and arrays.
    depth: usize,
    /// The camelCase name of the top-level object's field being read (empty when the document is not an object).
    key: &'static str,
    /// With `record`: the largest top-level array so far.
    array: Option<TopArray>,
    record: bool,
}

/// The order in which one object shape's fields last arrived: lists repeat it
/// element after element, so the next key is usually predicted right.
struct KeyOrder {
    fields: (*const Field, usize),
    /// `after[0]`: the first field's index; `after[i + 1]`: the field after field `i`.
    after: [u8; 65],
}

impl<'a> Scanner<'a> {
    fn error(&self, what: &str) -> DecodeError {
        DecodeError(format!("{what} at byte {}", self.pos))
    }

    #[inline]
    fn skip_whitespace(&mut self) {
        while let Some(b' ' | b'\n' | b'\r' | b'\t') = self.bytes.get(self.pos) {
            self.pos += 1;
        }
    }

    /// The next significant byte, not consumed.
    #[inline]
    fn peek(&mut self) -> Result<u8, DecodeError> {
        self.skip_whitespace();
        self.bytes.get(self.pos).copied().ok_or_else(|| self.error("unexpected end of the document"))
    }

    fn expect(&mut self, byte: u8, what: &str) -> Result<(), DecodeError> {
        if self.peek()? != byte {
            return Err(self.error(what));
        }
        self.pos += 1;
        Ok(())
    }

    fn literal(&mut self, word: &[u8]) -> Result<(), DecodeError> {
        if !self.bytes[self.pos..].starts_with(word) {
            return Err(self.error("invalid literal"));
        }
        self.pos += word.len();
        Ok(())
    }

    /// A string at the cursor: its raw text with the quotes, and whether it has escapes.
    /// `pair_surrogates`: `\u` surrogates must pair up, as when serde_json decodes a
    /// string; it does not check them in the values it skips.
    fn string(&mut self, pair_surrogates: bool) -> Result<(&'a [u8], bool), DecodeError> {
        let start = self.pos;
        self.pos += 1;
        let mut escaped = false;
        loop {
            self.pos += plain_run(&self.bytes[self.pos..]);
            let Some(&byte) = self.bytes.get(self.pos) else {
                return Err(self.error("unterminated string"));
            };
            match byte {
                b'"' => {
                    self.pos += 1;
                    return Ok((&self.bytes[start..self.pos], escaped));
                }
                b'\\' => {
                    self.pos += 1;
                    escaped = true;
                    self.escape(pair_surrogates)?;
                }
                0..=0x1f => return Err(self.error("control character in a string")),
                _ => self.pos += 1,
            }
        }
    }

    /// One escape after its backslash. `\u` surrogates must pair up, as serde_json requires.
    fn escape(&mut self, pair_surrogates: bool) -> Result<(), DecodeError> {
        let Some(&kind) = self.bytes.get(self.pos) else {
            return Err(self.error("unterminated string"));
        };
        self.pos += 1;
        match kind {
            b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' => Ok(()),
            b'u' => {
                let unit = self.hex4()?;
                if !pair_surrogates {
                    return Ok(());
                }
                if (0xDC00..0xE000).contains(&unit) {
                    return Err(self.error("lone trailing surrogate in an escape"));
                }
                if (0xD800..0xDC00).contains(&unit) {
                    if !self.bytes[self.pos..].starts_with(b"\\u") {
                        return Err(self.error("lone leading surrogate in an escape"));
                    }
                    self.pos += 2;
                    if !(0xDC00..0xE000).contains(&self.hex4()?) {
                        return Err(self.error("lone leading surrogate in an escape"));
                    }
                }
                Ok(())
            }
            _ => Err(self.error("invalid escape")),
        }
    }

    fn hex4(&mut self) -> Result<u32, DecodeError> {
        let digits = self.bytes.get(self.pos..self.pos + 4).ok_or_else(|| self.error("unterminated escape"))?;
        let mut value = 0;
        for &d in digits {
            let digit = (d as char).to_digit(16).ok_or_else(|| self.error("invalid escape"))?;
            value = value * 16 + digit;
        }
        self.pos += 4;
        Ok(value)
    }

    /// A number at the cursor, by JSON's grammar: its text.
    fn number(&mut self) -> Result<&'a [u8], DecodeError> {
        let start = self.pos;
        let digits = |s: &mut Self| {
            let from = s.pos;
            while s.bytes.get(s.pos).is_some_and(u8::is_ascii_digit) {
                s.pos += 1;
            }
            s.pos - from
        };
        if self.bytes[self.pos] == b'-' {
            self.pos += 1;
        }
        match self.bytes.get(self.pos) {
            Some(b'0') => self.pos += 1,
            Some(b'1'..=b'9') => {
                digits(self);
            }
            _ => return Err(self.error("invalid number")),
        }
        if self.bytes.get(self.pos) == Some(&b'.') {
            self.pos += 1;
            if digits(self) == 0 {
                return Err(self.error("invalid number"));
            }
        }
        if let Some(b'e' | b'E') = self.bytes.get(self.pos) {
            self.pos += 1;
            if let Some(b'+' | b'-') = self.bytes.get(self.pos) {
                self.pos += 1;
            }
            if digits(self) == 0 {
                return Err(self.error("invalid number"));
            }
        }
        Ok(&self.bytes[start..self.pos])
    }

    /// A JSON number at the cursor read as an integer by `parse`, or a type error.
    fn integer<N>(&mut self, shape: &Shape, parse: impl Fn(&str) -> Option<N>) -> Result<N, DecodeError> {
        let at = self.pos;
        let number = self.number()?;
        std::str::from_utf8(number).ok().and_then(parse).ok_or_else(|| {
            self.pos = at;
            self.type_error(shape)
        })
    }

    /// A string holding an integer (proto3 JSON's int64), `""` being zero.
    fn quoted_integer<N: Default>(&mut self, shape: &Shape, parse: impl Fn(&str) -> Option<N>) -> Result<N, DecodeError> {
        let at = self.pos;
        let (raw, escaped) = self.string(true)?;
        let text = unquote(raw, escaped);
        let n = if text.is_empty() { Some(N::default()) } else { parse(&text) };
        n.ok_or_else(|| {
            self.pos = at;
            self.type_error(shape)
        })
    }

    /// Checks and skips arbitrary JSON that the model keeps (a `Json` field), as serde_json decodes it
    /// into a `Value`: surrogates must pair up, numbers must fit an `f64`, and nesting counts from the top
    /// of the document (`depth` containers are open around it): the 128th open container is refused, as
    /// serde_json's recursion limit refuses it.
    fn skip_decoded(&mut self, depth: usize) -> Result<(), DecodeError> {
        match self.peek()? {
            b'"' => self.string(true).map(drop),
            b'n' => self.literal(b"null"),
            b't' => self.literal(b"true"),
            b'f' => self.literal(b"false"),
            b'-' | b'0'..=b'9' => {
                let at = self.pos;
                let number = self.number()?;
                // Integers that fit 64 bits are exact; the rest become an f64, which must be finite.
                let in_range = |text: &str| text.parse::<i64>().is_ok() || text.parse::<u64>().is_ok() || text.parse::<f64>().is_ok_and(f64::is_finite);
                if !in_range(std::str::from_utf8(number).expect("ASCII digits")) {
                    self.pos = at;
                    return Err(self.error("number out of range"));
                }
                Ok(())
            }
            open @ (b'[' | b'{') => {
                if depth + 1 >= MAX_DEPTH {
                    return Err(self.error("nesting too deep"));
                }
                let close = if open == b'[' { b']' } else { b'}' };
                if !self.open(close)? {
                    loop {
                        if open == b'{' {
                            self.key(true)?;
                        }
                        self.skip_decoded(depth + 1)?;
                        if self.comma_or_close(close)? {
                            break;
                        }
                    }
                }
                Ok(())
            }
            _ => Err(self.error("expected a value")),
        }
    }

    /// Checks and skips an unknown field's value, as serde_json ignores one: its syntax is checked, but
    /// not its numbers' range or its surrogates, and it may nest at any depth (an explicit stack, not
    /// recursion, so hostile nesting cannot exhaust ours).
    fn skip_ignored(&mut self) -> Result<(), DecodeError> {
        let mut closers: Vec<u8> = Vec::new();
        loop {
            match self.peek()? {
                b'"' => drop(self.string(false)?),
                b'n' => self.literal(b"null")?,
                b't' => self.literal(b"true")?,
                b'f' => self.literal(b"false")?,
                b'-' | b'0'..=b'9' => drop(self.number()?),
                open @ (b'[' | b'{') => {
                    let close = if open == b'[' { b']' } else { b'}' };
                    if !self.open(close)? {
                        closers.push(close);
                        if close == b'}' {
                            self.key(false)?;
                        }
                        continue;
                    }
                }
                _ => return Err(self.error("expected a value")),
            }
            // A value is complete: close what it completes, then go on to the next one.
            loop {
                let Some(&close) = closers.last() else { return Ok(()) };
                if self.comma_or_close(close)? {
                    closers.pop();
                } else {
                    if close == b'}' {
                        self.key(false)?;
                    }
                    break;
                }
            }
        }
    }

    /// After an element: `,` (more follow) or `close` (done).
    #[inline]
    fn comma_or_close(&mut self, close: u8) -> Result<bool, DecodeError> {
        match self.peek()? {
            b',' => {
                self.pos += 1;
                Ok(false)
            }
            b if b == close => {
                self.pos += 1;
                Ok(true)
            }
            _ => Err(self.error(if close == b']' { "expected `,` or `]`" } else { "expected `,` or `}`" })),
        }
    }

    /// An object key and its colon: the raw key with quotes, and whether it has escapes.
    fn key(&mut self, pair_surrogates: bool) -> Result<(&'a [u8], bool), DecodeError> {
        if self.peek()? != b'"' {
            return Err(self.error("expected a key"));
        }
        let key = self.string(pair_surrogates)?;
        self.expect(b':', "expected `:`")?;
        Ok(key)
    }

    /// Opens an object or array; `Ok(true)` when it is empty (and already closed).
    #[inline]
    fn open(&mut self, close: u8) -> Result<bool, DecodeError> {
        self.pos += 1;
        if self.peek()? == close {
            self.pos += 1;
            return Ok(true);
        }
        Ok(false)
    }

    fn type_error(&mut self, shape: &Shape) -> DecodeError {
        let expected = match shape {
            Shape::Str => "a string",
            Shape::Bool => "a boolean",
            Shape::U32 => "a 32-bit unsigned integer",
            Shape::I64 => "a 64-bit integer",
            Shape::Json => "a JSON value",
            Shape::Option(_) => "a value or null",
            Shape::Array(_) => "an array",
            Shape::Map(_) | Shape::Object(_) => "an object",
        };
        self.error(&format!("expected {expected}"))
    }

    /// One value of `shape`, written to `out` in camelCase. `null_as_default`:
    /// the field's helper reads `null` as its default.
    fn value(&mut self, shape: &Shape, out: &mut Vec<u8>, null_as_default: bool) -> Result<Written, DecodeError> {
        let byte = self.peek()?;
        // `null` is a value of its own in arbitrary JSON.
        if byte == b'n' && !matches!(shape, Shape::Json) {
            let is_option = matches!(shape, Shape::Option(_));
            if !is_option && !null_as_default {
                return Err(self.type_error(shape));
            }
            self.literal(b"null")?;
            write_default(shape, out);
            return Ok(if is_option { Written::Null } else { Written::Value });
        }
        match (shape, byte) {
            (Shape::Option(inner), _) => return self.value(inner, out, false),
            (Shape::Str, b'"') => out.extend_from_slice(self.string(true)?.0),
            (Shape::Bool, b't') => {
                self.literal(b"true")?;
                out.extend_from_slice(b"true");
            }
            (Shape::Bool, b'f') => {
                self.literal(b"false")?;
                out.extend_from_slice(b"false");
            }
            (Shape::U32, b'-' | b'0'..=b'9') => {
                // Negative numbers (`-0` included: serde_json reads it as a float),
                // fractions and exponents are not counters.
                let n = self.integer(shape, |n| n.parse::<u32>().ok().filter(|_| !n.starts_with('-')))?;
                out.extend_from_slice(n.to_string().as_bytes());
            }
            (Shape::I64, b'-' | b'0'..=b'9') => {
                let n = self.integer(shape, |n| n.parse::<i64>().ok().filter(|_| n != "-0"))?;
                out.extend_from_slice(n.to_string().as_bytes());
            }
            (Shape::U32, b'"') => {
                let n = self.quoted_integer(shape, |n| n.parse::<u32>().ok())?;
                out.extend_from_slice(n.to_string().as_bytes());
            }
            (Shape::I64, b'"') => {
                let n = self.quoted_integer(shape, |n| n.parse::<i64>().ok())?;
                out.extend_from_slice(n.to_string().as_bytes());
            }
            (Shape::Json, _) => {
                let start = self.pos;
                self.skip_decoded(self.depth)?;
                out.extend_from_slice(&self.bytes[start..self.pos]);
            }
            (Shape::Array(element), b'[') => {
                // A field of the top-level object, in a big text: where its elements lie.
                let mut elements = (self.record && self.depth == 1 && !self.key.is_empty()).then(Vec::new);
                let open = out.len();
                out.push(b'[');
                self.depth += 1;
                if !self.open(b']')? {
                    loop {
                        let start = out.len();
                        self.value(element, out, false)?;
                        if let Some(elements) = &mut elements {
                            elements.push((start, out.len()));
                        }
                        if self.comma_or_close(b']')? {
                            break;
                        }
                        out.push(b',');
                    }
                }
                self.depth -= 1;
                if let Some(elements) = elements {
                    let close = out.len();
                    if self.array.as_ref().is_none_or(|a| a.close - a.open < close - open) {
                        self.array = Some(TopArray { key: self.key, open, close, elements });
                    }
                }
                out.push(b']');
            }
            (Shape::Map(value), b'{') => {
                out.push(b'{');
                self.depth += 1;
                if !self.open(b'}')? {
                    loop {
                        out.extend_from_slice(self.key(true)?.0);
                        out.push(b':');
                        self.value(value, out, false)?;
                        if self.comma_or_close(b'}')? {
                            break;
                        }
                        out.push(b',');
                    }
                }
                self.depth -= 1;
                out.push(b'}');
            }
            (Shape::Object(fields), b'{') => self.object(fields, out)?,
            _ => return Err(self.type_error(shape)),
        }
        Ok(Written::Value)
    }

    /// Whether the cursor is at the key `"name":` (plain names need no escapes).
    #[inline]
    fn at_key(&mut self, name: &str) -> bool {
        self.skip_whitespace();
        let start = self.pos;
        let rest = &self.bytes[start..];
        let end = name.len() + 1;
        if rest.len() > end && rest[0] == b'"' && rest[end] == b'"' && same_bytes(&rest[1..end], name.as_bytes()) {
            self.pos += end + 1;
            if self.peek().ok() == Some(b':') {
                self.pos += 1;
                return true;
            }
            self.pos = start;
        }
        false
    }

    /// The value of a known field, after its key.
    fn field(&mut self, index: usize, field: &Field, seen: &mut u64, first: &mut bool, out: &mut Vec<u8>) -> Result<(), DecodeError> {
        if *seen & (1 << index) != 0 {
            return Err(self.error(&format!("duplicate field `{}`", field.wire)));
        }
        *seen |= 1 << index;
        let mark = out.len();
        let was_first = *first;
        if self.depth == 1 {
            // Fields at depth 1 are the document's own: `object` is the only container that has fields.
            self.key = field.js;
        }
        write_key(field.js.as_bytes(), first, out);
        if self.value(field.shape, out, field.null_as_default)? == Written::Null && field.omit_none {
            out.truncate(mark);
            *first = was_first;
        }
        Ok(())
    }

    fn object(&mut self, fields: &[Field], out: &mut Vec<u8>) -> Result<(), DecodeError> {
        self.depth += 1;
        let result = self.object_fields(fields, out);
        self.depth -= 1;
        result
    }

    fn object_fields(&mut self, fields: &[Field], out: &mut Vec<u8>) -> Result<(), DecodeError> {
        out.push(b'{');
        let mut first = true;
        let mut seen = 0u64;
        let order = self.key_order(fields);
        let mut previous = 0;
        if !self.open(b'}')? {
            loop {
                let predicted = self.orders[order].after[previous] as usize;
                let index = if fields.get(predicted).is_some_and(|f| self.at_key(f.wire)) {
                    // Matched on the raw bytes: no key scan, no lookup.
                    Some(predicted)
                } else {
                    let (raw, escaped) = self.key(true)?;
                    let found = if escaped {
                        let name = unquote(raw, true);
                        fields.iter().position(|f| f.wire == name)
                    } else {
                        let name = &raw[1..raw.len() - 1];
                        fields.iter().position(|f| same_bytes(f.wire.as_bytes(), name))
                    };
                    if let Some(index) = found {
                        self.orders[order].after[previous] = index as u8;
                    }
                    found
                };
                match index {
                    None => self.skip_ignored()?,
                    Some(index) => {
                        previous = index + 1;
                        self.field(index, &fields[index], &mut seen, &mut first, out)?;
                    }
                }
                if self.comma_or_close(b'}')? {
                    break;
                }
            }
        }
        for (index, field) in fields.iter().enumerate() {
            if seen & (1 << index) == 0 && !field.omit_none {
                write_key(field.js.as_bytes(), &mut first, out);
                write_default(field.shape, out);
            }
        }
        out.push(b'}');
        Ok(())
    }

    /// The learned order of `fields` (declaration order until keys say otherwise).
    fn key_order(&mut self, fields: &[Field]) -> usize {
        assert!(fields.len() <= 64, "a Shape::Object has at most 64 fields (checked by derive(WireShape))");
        let id = (fields.as_ptr(), fields.len());
        if let Some(found) = self.orders.iter().position(|o| o.fields == id) {
            return found;
        }
        let mut after = [u8::MAX; 65];
        for (i, slot) in after.iter_mut().enumerate().take(fields.len() + 1) {
            *slot = i as u8;
        }
        self.orders.push(KeyOrder { fields: id, after });
        self.orders.len() - 1
    }
}

/// How many bytes at the start of `rest` are plain string text (not `"`, `\\` or a control character), up to the
/// last 16- (or 8-)byte block that fits; the caller looks at the byte there. Most of a document is this loop.
#[inline]
fn plain_run(rest: &[u8]) -> usize {
    let mut at = 0;
    #[cfg(target_arch = "x86_64")]
    {
        use std::arch::x86_64::{__m128i, _mm_cmpeq_epi8, _mm_loadu_si128, _mm_max_epu8, _mm_movemask_epi8, _mm_or_si128, _mm_set1_epi8};
        // SSE2 is part of x86_64. Flags `"`, `\\` and bytes up to 0x1f (those whose unsigned max with 0x1f is 0x1f).
        while at + 16 <= rest.len() {
            // SAFETY: 16 bytes from `at` are in `rest`; unaligned loads are allowed.
            let special = unsafe {
                let block = _mm_loadu_si128(rest.as_ptr().add(at).cast::<__m128i>());
                let quote = _mm_cmpeq_epi8(block, _mm_set1_epi8(b'"' as i8));
                let backslash = _mm_cmpeq_epi8(block, _mm_set1_epi8(b'\\' as i8));
                let control = _mm_cmpeq_epi8(_mm_max_epu8(block, _mm_set1_epi8(0x1f)), _mm_set1_epi8(0x1f));
                _mm_movemask_epi8(_mm_or_si128(_mm_or_si128(quote, backslash), control))
            };
            if special != 0 {
                return at + special.trailing_zeros() as usize;
            }
            at += 16;
        }
    }
    while let Some(chunk) = rest.get(at..at + 8) {
        let special = special_bytes(u64::from_le_bytes(chunk.try_into().expect("8 bytes")));
        if special != 0 {
            // The lowest flagged byte is always a real one.
            return at + special.trailing_zeros() as usize / 8;
        }
        at += 8;
    }
    at
}

/// Flags (high bit per byte) the bytes that end plain string text: `"`, `\\`
/// and control characters. Flags above the first real one may be spurious.
#[inline]
const fn special_bytes(word: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // The classic SWAR "byte below n" test (n <= 128).
    const fn below(x: u64, n: u8) -> u64 {
        x.wrapping_sub(ONES * n as u64) & !x & HIGH
    }
    let quote = word ^ (ONES * b'"' as u64);
    let backslash = word ^ (ONES * b'\\' as u64);
    below(quote, 1) | below(backslash, 1) | below(word, 0x20)
}

/// Byte equality for short keys, without a `memcmp` call per comparison.
#[inline]
fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let word = |s: &[u8], at: usize| u64::from_le_bytes(s[at..at + 8].try_into().expect("8 bytes"));
    match a.len() {
        0..=7 => a.iter().zip(b).fold(0, |acc, (x, y)| acc | (x ^ y)) == 0,
        n => {
            // 8-byte words, the last one overlapping the one before.
            let mut at = 0;
            while at + 8 < n {
                if word(a, at) != word(b, at) {
                    return false;
                }
                at += 8;
            }
            word(a, n - 8) == word(b, n - 8)
        }
    }
}

/// The text of a checked string literal (quotes included in `raw`).
fn unquote(raw: &[u8], escaped: bool) -> std::borrow::Cow<'_, str> {
    let inner = std::str::from_utf8(&raw[1..raw.len() - 1]).expect("checked UTF-8");
    if escaped {
        // Rare (keys and counters have no escapes in practice); the scanner already checked it.
        serde_json::from_slice::<String>(raw).expect("a checked JSON string").into()
    } else {
        inner.into()
    }
}

#[cfg(test)]
mod tests {
    use serde::de::DeserializeOwned;
    use serde::Serialize;
    use serde_json::{json, Map, Value as Json};

    use super::*;
    use crate::models::{
        ConnectionResponse, CreateUserAndMembershipResponse, ErrorInfo, ListConnectionsResponse, ListDirectoryGroupsResponse, ListDirectoryUsersResponse,
        ListOrganizationsResponse, ListPermissionsResponse, Organization, RoleResponse, RoleUsersCountResponse, ScalekitUser,
    };

    /// What the typed path gives: decode into the model, encode as camelCase.
    fn typed<M: DeserializeOwned + Serialize>(wire: &str) -> Option<Json> {
        typed_bytes::<M>(wire.as_bytes())
    }

    /// The serde path as the client takes it (`FromWire` for the model itself).
    fn typed_bytes<M: DeserializeOwned + Serialize>(wire: &[u8]) -> Option<Json> {
        <M as FromWire<M>>::from_wire(wire).ok().map(|m| serde_json::to_value(m).unwrap())
    }

    fn transcoded_bytes<M: WireShape>(wire: &[u8]) -> Result<Json, DecodeError> {
        Ok(serde_json::from_str(&to_camel_json(&M::SHAPE, wire)?).unwrap())
    }

    /// One rule on both paths (found by the differential fuzzer): invalid UTF-8 anywhere rejects the
    /// body; what is decoded may nest 127 containers deep counted from the top of the document, free-form
    /// JSON included; what is skipped may nest at any depth.
    #[test]
    fn one_rule_for_utf8_and_nesting_on_both_paths() {
        fn agree<M: WireShape + DeserializeOwned + Serialize>(wire: &[u8]) -> bool {
            let (typed, transcoded) = (typed_bytes::<M>(wire), transcoded_bytes::<M>(wire).ok());
            assert_eq!(typed, transcoded, "the paths disagree on {}", String::from_utf8_lossy(wire));
            typed.is_some()
        }
        // Invalid UTF-8 in a value the model skips, in a kept value, in a key.
        assert!(!agree::<Organization>(b"{\"\":[{\"\":\"\x82\"}]}"));
        assert!(!agree::<Organization>(b"{\"future\":\"\xff\xfe\"}"));
        assert!(!agree::<Organization>(b"{\"id\":\"\xc3\"}"));
        assert!(!agree::<Organization>(b"{\"\xff\":1}"));
        let nested = |depth: usize, inner: &str| format!("{}{inner}{}", "[".repeat(depth), "]".repeat(depth));
        // An unknown field: any depth, as serde_json skips it.
        for depth in [1, 126, 127, 128, 129, 10_000, 100_000] {
            assert!(agree::<Organization>(format!(r#"{{"id":"o","future":{}}}"#, nested(depth, "1")).as_bytes()), "{depth}");
        }
        // Free-form JSON counts from the top: the organization is one container, `metadata`'s own values
        // are strings, so probe with a directory user's `user_detail` under `users[]` (three containers).
        for depth in [1, 120, 123, 124, 125, 126, 127, 128, 129, 200] {
            let wire = format!(r#"{{"users":[{{"id":"u","user_detail":{{"x":{}}}}}]}}"#, nested(depth, "1"));
            let accepted = agree::<ListDirectoryUsersResponse>(wire.as_bytes());
            assert_eq!(accepted, depth + 4 < 128, "user_detail nested {depth} deep under three containers");
        }
        // An event's `data`, one container below the top.
        for depth in [125, 126, 127] {
            let wire = format!(r#"{{"events":[{{"id":"e","type":"t","data":{{"x":{}}}}}]}}"#, nested(depth, "1"));
            agree::<crate::models::ListEventsResponse>(wire.as_bytes());
        }
    }

    #[test]
    fn plain_runs_stop_at_the_first_quote_backslash_or_control_character() {
        let naive = |rest: &[u8]| rest.iter().position(|&b| b == b'"' || b == b'\\' || b < 0x20).unwrap_or(rest.len());
        for len in 0..48 {
            for special in [b'"', b'\\', 0x00, 0x1f, b'\n'] {
                for at in 0..=len {
                    let mut text: Vec<u8> = (0..len).map(|i| [b'a', 0x7f, 0x80, 0xff, b' ', 0x20][i % 6]).collect();
                    if at < len {
                        text[at] = special;
                    }
                    let run = plain_run(&text);
                    // Blocks are whole: the run may stop short of a plain tail, never past a special byte.
                    assert!(run <= naive(&text) && naive(&text) - run < 8, "len {len}, special {special} at {at}: {run}");
                    if at < len && at < len / 8 * 8 {
                        assert_eq!(run, at, "len {len}, special {special} at {at}");
                    }
                }
            }
        }
    }

    #[test]
    fn big_pages_record_where_their_items_lie() {
        let org = |i: usize| format!(r#"{{"id":"org_{i}","display_name":"Organization {i}","metadata":{{"a":"b"}},"settings":{{"features":[{{"name":"sso","enabled":true}}]}}}}"#);
        let page = |n: usize| format!(r#"{{"organizations":[{}],"next_page_token":"t","total_size":{n}}}"#, (0..n).map(org).collect::<Vec<_>>().join(","));
        let big = page(2000);
        assert!(big.len() >= SPLIT_MIN_BYTES);
        let json = transcode(&ListOrganizationsResponse::SHAPE, big.as_bytes()).unwrap();
        let array = json.array.as_ref().expect("a big page records its items");
        assert_eq!(array.key, "organizations");
        assert_eq!(array.elements.len(), 2000);
        let text = json.text.as_bytes();
        assert_eq!((text[array.open], text[array.close]), (b'[', b']'));
        // The elements tile the array, one comma apart, and each is one organization.
        assert_eq!(array.elements[0].0, array.open + 1);
        assert_eq!(array.elements.last().unwrap().1, array.close);
        for pair in array.elements.windows(2) {
            assert_eq!(pair[1].0, pair[0].1 + 1);
            assert_eq!(text[pair[0].1], b',');
        }
        let whole: Json = serde_json::from_str(&json.text).unwrap();
        for (i, (start, end)) in array.elements.iter().enumerate() {
            let item: Json = serde_json::from_slice(&text[*start..*end]).unwrap();
            assert_eq!(item, whole["organizations"][i]);
        }
        // Small texts, and arrays below the top level (features), record nothing.
        assert_eq!(transcode(&ListOrganizationsResponse::SHAPE, page(3).as_bytes()).unwrap().array, None);
        let nested = format!(r#"{{"organization":{{"id":"o","settings":{{"features":[{}]}}}}}}"#, vec![r#"{"name":"sso","enabled":true}"#; 5000].join(","));
        assert_eq!(transcode(&crate::models::OrganizationResponse::SHAPE, nested.as_bytes()).unwrap().array, None);
    }

    fn transcoded<M: WireShape>(wire: &str) -> Result<Json, DecodeError> {
        Ok(serde_json::from_str(&to_camel_json(&M::SHAPE, wire.as_bytes())?).unwrap())
    }

    /// A small deterministic generator (xorshift), so failures replay.
    struct Gen(u64);
    impl Gen {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }
        fn below(&mut self, n: u64) -> u64 {
            self.next() % n
        }
        fn string(&mut self) -> String {
            const PIECES: [&str; 10] = ["a", "Zé", "\"", "\\", "\n", "\u{1F600}", "org_123", " ", "\u{7f}", "\t"];
            (0..self.below(6)).map(|_| PIECES[self.below(PIECES.len() as u64) as usize]).collect()
        }
        fn junk(&mut self, depth: u32) -> Json {
            match self.below(if depth > 2 { 4 } else { 6 }) {
                0 => Json::Null,
                1 => json!(self.below(2) == 0),
                2 => json!(self.next() as f64 / 7.0),
                3 => json!(self.string()),
                4 => Json::Array((0..self.below(3)).map(|_| self.junk(depth + 1)).collect()),
                _ => Json::Object((0..self.below(3)).map(|_| (self.string(), self.junk(depth + 1))).collect()),
            }
        }
        /// Arbitrary user JSON whose keys look like the ones a transcoder could wrongly rename.
        fn user_json(&mut self, depth: u32) -> Json {
            const KEYS: [&str; 8] = ["first_name", "lastName", "urn:ietf:params:scim:schemas:core:2.0:User", "display_name", "_x", "a_b_c", "Zé_é", ""];
            match self.below(if depth > 3 { 5 } else { 7 }) {
                0 => Json::Null,
                1 => json!(self.below(2) == 0),
                2 => json!(self.next() as i64),
                3 => json!(self.next() as f64 / 3.0),
                4 => json!(self.string()),
                5 => Json::Array((0..self.below(3)).map(|_| self.user_json(depth + 1)).collect()),
                _ => Json::Object((0..self.below(4)).map(|_| (KEYS[self.below(8) as usize].to_owned() + &self.string(), self.user_json(depth + 1))).collect()),
            }
        }
        /// A valid wire value of `shape`, sometimes `null`.
        fn value(&mut self, shape: &Shape, depth: u32) -> Json {
            if self.below(8) == 0 {
                return Json::Null;
            }
            match shape {
                Shape::Str => json!(self.string()),
                Shape::Bool => json!(self.below(2) == 0),
                Shape::U32 => match self.below(3) {
                    0 => json!(self.next() as u32),
                    1 => json!((self.next() as u32).to_string()),
                    _ => json!(""),
                },
                Shape::I64 => match self.below(4) {
                    0 => json!(self.next() as i64),
                    1 => json!((self.next() as i64).to_string()),
                    2 => json!(-((self.next() >> 40) as i64)),
                    _ => json!(""),
                },
                // Any JSON: SCIM-like keys (snake_case, camelCase, URNs) and every kind of value.
                Shape::Json => self.user_json(depth),
                Shape::Option(inner) => self.value(inner, depth),
                Shape::Array(element) => {
                    let n = if depth > 3 { 0 } else { self.below(4) };
                    Json::Array((0..n).map(|_| self.value(element, depth + 1)).collect())
                }
                Shape::Map(value) => Json::Object((0..self.below(3)).map(|_| (self.string(), self.value(value, depth + 1))).collect()),
                Shape::Object(fields) => {
                    let mut object = Map::new();
                    for field in fields.iter() {
                        if self.below(5) != 0 {
                            object.insert(field.wire.to_owned(), self.value(field.shape, depth + 1));
                        }
                        if self.below(6) == 0 {
                            object.insert(format!("unknown_{}", self.below(1000)), self.junk(0));
                        }
                    }
                    Json::Object(object)
                }
            }
        }
    }

    /// JSON text with each object's keys in a random order (serde_json's own maps sort them).
    fn shuffled(value: &Json, gen: &mut Gen) -> String {
        match value {
            Json::Object(map) => {
                let mut entries: Vec<_> = map.iter().collect();
                for i in (1..entries.len()).rev() {
                    entries.swap(i, gen.below(i as u64 + 1) as usize);
                }
                let body: Vec<String> = entries.iter().map(|(k, v)| format!("{}:{}", Json::from(k.as_str()), shuffled(v, gen))).collect();
                format!("{{{}}}", body.join(","))
            }
            Json::Array(items) => format!("[{}]", items.iter().map(|v| shuffled(v, gen)).collect::<Vec<_>>().join(",")),
            other => other.to_string(),
        }
    }

    /// The transcoder gives the typed path's result on every document the typed path accepts.
    /// The transcoder accepts exactly the generated documents the typed path accepts, and gives its result.
    fn equivalent_on_generated<M: WireShape + DeserializeOwned + Serialize>(seed: u64) {
        let mut gen = Gen(seed);
        let (mut accepted, mut rejected) = (0, 0);
        for round in 0..2000 {
            let value = gen.value(&M::SHAPE, 0);
            // Half the documents keep one key order throughout (as servers do), half mix orders.
            let wire = if round % 2 == 0 { value.to_string() } else { shuffled(&value, &mut gen) };
            match (typed::<M>(&wire), transcoded::<M>(&wire)) {
                (Some(expected), Ok(actual)) => {
                    accepted += 1;
                    assert_eq!(actual, expected, "on {wire}");
                }
                (None, Err(_)) => rejected += 1,
                (Some(_), Err(e)) => panic!("transcoder rejects ({e}) what the typed path reads: {wire}"),
                (None, Ok(out)) => panic!("transcoder accepts what the typed path rejects: {wire} → {out}"),
            }
        }
        // Both kinds must be well represented for the test to mean something.
        assert!(accepted > 300 && rejected > 100, "{accepted} documents accepted, {rejected} rejected");
    }

    #[test]
    fn matches_the_typed_path_for_every_response_model() {
        equivalent_on_generated::<ListOrganizationsResponse>(0x9E37_79B9_7F4A_7C15);
        equivalent_on_generated::<CreateUserAndMembershipResponse>(0xD1B5_4A32_D192_ED03);
        equivalent_on_generated::<ScalekitUser>(0x2545_F491_4F6C_DD1D);
        equivalent_on_generated::<ErrorInfo>(0x5851_F42D_4C95_7F2D);
        equivalent_on_generated::<ListDirectoryUsersResponse>(0x1405_7B7E_F767_814F);
        equivalent_on_generated::<ListDirectoryGroupsResponse>(0x6C07_8965_4C5B_2B1D);
        equivalent_on_generated::<ConnectionResponse>(0x3C6E_F372_FE94_F82B);
        equivalent_on_generated::<ListConnectionsResponse>(0xBB67_AE85_84CA_A73B);
        equivalent_on_generated::<RoleResponse>(0x510E_527F_ADE6_82D1);
        equivalent_on_generated::<RoleUsersCountResponse>(0x9B05_688C_2B3E_6C1F);
        equivalent_on_generated::<ListPermissionsResponse>(0x1F83_D9AB_FB41_BD6B);
    }

    /// Arbitrary JSON (SCIM resources, `Struct`s) comes out byte for byte as it came in:
    /// keys unchanged, escapes, numbers, nulls and key order kept.
    #[test]
    fn arbitrary_json_passes_through_unchanged() {
        let detail = r#"{"first_name":"Zoë","userName":"a\u00e9\"b","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"employee_number":"7","manager":null},"emails":[{"value":"a@b.co","primary":true}],"n":-1.50e+3,"big":123456789012345678901234567890,"empty":{},"list":[]}"#;
        let wire = format!(r#"{{"users":[{{"id":"diruser_1","given_name":"Z","user_detail":{detail}}}],"total_size":"1"}}"#);
        let out = to_camel_json(&ListDirectoryUsersResponse::SHAPE, wire.as_bytes()).unwrap();
        assert!(out.contains(&format!(r#""userDetail":{detail}"#)), "{out}");
        assert!(out.contains(r#""givenName":"Z""#) && out.contains(r#""totalSize":1"#), "{out}");
        // The typed path keeps the keys too.
        let typed_result = typed::<ListDirectoryUsersResponse>(&wire).unwrap();
        assert_eq!(typed_result["users"][0]["userDetail"]["first_name"], "Zoë");
        assert_eq!(typed_result["users"][0]["userDetail"]["urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"]["employee_number"], "7");
        // Invalid JSON inside is still an error, as it is for serde_json's `Value`.
        for bad in [r#"{"a":1e400}"#, r#"{"a":"\ud800"}"#, r#"{"a":[1,]}"#, r#"{"a":}"#, "[1]", "\"text\""] {
            let wire = format!(r#"{{"users":[{{"id":"x","user_detail":{bad}}}]}}"#);
            assert!(typed::<ListDirectoryUsersResponse>(&wire).is_none(), "typed path accepts {bad}");
            assert!(transcoded::<ListDirectoryUsersResponse>(&wire).is_err(), "transcoder accepts {bad}");
        }
    }

    #[test]
    fn int64_values_are_numbers() {
        for (wire, count) in [(r#"{"count":"42"}"#, 42i64), (r#"{"count":42}"#, 42), (r#"{"count":"-9007199254740993"}"#, -9007199254740993), (r#"{"count":""}"#, 0), ("{}", 0)] {
            assert_eq!(transcoded::<RoleUsersCountResponse>(wire).unwrap(), json!({ "count": count }), "{wire}");
            assert_eq!(typed::<RoleUsersCountResponse>(wire).unwrap(), json!({ "count": count }), "{wire}");
        }
        for wire in [r#"{"count":"1.5"}"#, r#"{"count":1.5}"#, r#"{"count":"9223372036854775808"}"#, r#"{"count":-0}"#, r#"{"count":true}"#] {
            assert!(typed::<RoleUsersCountResponse>(wire).is_none(), "typed path accepts {wire}");
            assert!(transcoded::<RoleUsersCountResponse>(wire).is_err(), "transcoder accepts {wire}");
        }
    }

    /// Damaged documents: accepted by both paths with the same result, or by neither.
    #[test]
    fn damaged_documents_are_rejected_or_read_like_the_typed_path() {
        damaged::<ListOrganizationsResponse>(0xA076_1D64_78BD_642F);
        // Arbitrary JSON inside (SCIM resources) is checked as strictly as the rest.
        damaged::<ListDirectoryUsersResponse>(0xE703_7ED1_A0B4_28DB);
    }

    fn damaged<M: WireShape + DeserializeOwned + Serialize>(seed: u64) {
        let mut gen = Gen(seed);
        const NOISE: &[u8] = b"{}[]\",:\"\\ nul0-1e.tuf\x01";
        for _ in 0..20_000 {
            let mut wire = gen.value(&M::SHAPE, 0).to_string().into_bytes();
            for _ in 0..=gen.below(2) {
                let at = gen.below(wire.len() as u64 + 1) as usize;
                let noise = NOISE[gen.below(NOISE.len() as u64) as usize];
                match gen.below(3) {
                    0 if at < wire.len() => wire[at] = noise,
                    1 if at < wire.len() => drop(wire.remove(at)),
                    _ => wire.insert(at, noise),
                }
            }
            let Ok(wire) = String::from_utf8(wire) else { continue };
            match (typed::<M>(&wire), to_camel_json(&M::SHAPE, wire.as_bytes())) {
                (Some(expected), Ok(out)) => assert_eq!(serde_json::from_str::<Json>(&out).unwrap(), expected, "on {wire}"),
                (Some(_), Err(e)) => panic!("transcoder rejects ({e}) what the typed path reads: {wire}"),
                (None, Ok(out)) => panic!("transcoder accepts what the typed path rejects: {wire} → {out}"),
                (None, Err(_)) => {}
            }
        }
    }

    #[test]
    fn rejects_invalid_json_anywhere() {
        let deep = format!("{}1{}", "[".repeat(200), "]".repeat(200));
        let bad = ["01", "1.", ".5", "1e", "-", "+1", "\"\\x\"", "\"\\u12\"", "\"\t\"", "tru", "nul", "[1,]", "[,1]",
            "{\"a\":1,}", "{,}", "{\"a\" 1}", "{1:2}", "[1 2]", "\"abc", &deep];
        for value in bad {
            for wire in [format!(r#"{{"unknown": {value}}}"#), format!(r#"{{"display_name": {value}}}"#), format!(r#"{{"metadata": {{"k": {value}}}}}"#)] {
                // Deep nesting is only refused where it is decoded (see one_rule_for_utf8_and_nesting_on_both_paths).
                if value == deep && wire.starts_with(r#"{"unknown""#) {
                    assert!(typed::<Organization>(&wire).is_some() && transcoded::<Organization>(&wire).is_ok(), "{wire}");
                    continue;
                }
                assert!(serde_json::from_str::<Json>(&wire).is_err(), "serde_json accepts {wire}");
                assert!(transcoded::<Organization>(&wire).is_err(), "transcoder accepts {wire}");
            }
        }
        // A key matched on its raw bytes still needs its colon, whatever the whitespace.
        for wire in [r#"{"id"    "display_name":"Acme"}"#, r#"{"id"   ":null}"#, r#"{"id" ,"x":1}"#] {
            assert!(typed::<Organization>(wire).is_none() && transcoded::<Organization>(wire).is_err(), "accepted {wire}");
        }
        // Lone surrogates: an error in a decoded string, as with serde; skipped unchecked, as serde skips.
        for lone in [r"\ud800", r"\udc00", r"\ud800\u0041"] {
            let decoded = format!(r#"{{"display_name": "{lone}"}}"#);
            assert!(typed::<Organization>(&decoded).is_none() && transcoded::<Organization>(&decoded).is_err(), "accepted {decoded}");
            let skipped = format!(r#"{{"future": ["{lone}", {{"{lone}": 1}}], "id": "a"}}"#);
            assert!(typed::<Organization>(&skipped).is_some(), "typed path rejects {skipped}");
            assert_eq!(transcoded::<Organization>(&skipped).unwrap()["id"], "a");
        }
        assert!(to_camel_json(&Organization::SHAPE, b"{\"id\": \"\xff\"}").is_err(), "not UTF-8");
        // Valid JSON in unknown fields is skipped, whatever it is.
        let good = r#"{"unknown": [1, -0.5e+3, "\u00e9\ud83d\ude00\n", {"a": [true, false, null, {}]}, []], "id": "a"}"#;
        assert_eq!(transcoded::<Organization>(good).unwrap()["id"], "a");
    }

    /// Missing fields get what serde writes for the model's `Default`.
    #[test]
    fn defaults_are_the_models_defaults() {
        fn check<M: WireShape + Default + Serialize>() {
            let mut out = Vec::new();
            write_default(&M::SHAPE, &mut out);
            assert_eq!(serde_json::from_slice::<Json>(&out).unwrap(), serde_json::to_value(M::default()).unwrap());
            assert_eq!(transcoded::<M>("{}").unwrap(), serde_json::to_value(M::default()).unwrap());
        }
        check::<ListOrganizationsResponse>();
        check::<Organization>();
        check::<CreateUserAndMembershipResponse>();
        check::<ScalekitUser>();
        check::<ErrorInfo>();
        check::<ConnectionResponse>();
        check::<ListDirectoryUsersResponse>();
        check::<RoleResponse>();
        check::<RoleUsersCountResponse>();
    }

    #[test]
    fn null_is_read_as_the_default_of_any_field_and_nowhere_else() {
        // proto3 JSON: null is allowed for every field and means its default…
        let wire = r#"{"organizations": null, "total_size": null, "next_page_token": null, "prev_page_token": "p"}"#;
        assert_eq!(transcoded::<ListOrganizationsResponse>(wire).unwrap(), typed::<ListOrganizationsResponse>(wire).unwrap());
        let wire = r#"{"id": null, "display_name": null, "settings": null, "metadata": null, "external_id": null}"#;
        assert_eq!(transcoded::<Organization>(wire).unwrap(), typed::<Organization>(wire).unwrap());
        let wire = r#"{"settings": {"features": [{"name": null, "enabled": null}]}}"#;
        assert_eq!(transcoded::<Organization>(wire).unwrap(), typed::<Organization>(wire).unwrap());
        // …but not for list items, map values or the document itself.
        for wire in [r#"{"organizations": [null]}"#, "null"] {
            assert!(typed::<ListOrganizationsResponse>(wire).is_none(), "typed path accepts {wire}");
            assert!(transcoded::<ListOrganizationsResponse>(wire).is_err(), "transcoder accepts {wire}");
        }
        for wire in [r#"{"metadata": {"k": null}}"#, r#"{"settings": {"features": [null]}}"#] {
            assert!(typed::<Organization>(wire).is_none() && transcoded::<Organization>(wire).is_err(), "accepted {wire}");
        }
    }

    #[test]
    fn renames_keys_keeps_metadata_keys_and_fills_defaults() {
        let wire = r#"{"organizations":[{"id":"org_1","display_name":"A\"cme","external_id":null,
            "metadata":{"snake_key":"v"},"settings":{"features":[{"name":"sso"}]},"future_field":{"x":[1]}}],"total_size":"7"}"#;
        let out = to_camel_json(&ListOrganizationsResponse::SHAPE, wire.as_bytes()).unwrap();
        assert_eq!(
            out,
            r#"{"organizations":[{"id":"org_1","displayName":"A\"cme","metadata":{"snake_key":"v"},"settings":{"features":[{"name":"sso","enabled":false}]},"createTime":""}],"totalSize":7,"nextPageToken":"","prevPageToken":""}"#
        );
    }

    #[test]
    fn rejects_what_the_typed_path_rejects() {
        for wire in [
            r#"{"id": 5}"#,
            r#"{"id": "a", "id": "b"}"#,
            r#"{"metadata": []}"#,
            r#"{"settings": {"features": {}}}"#,
            r#"{"display_name": true}"#,
            r#"{"id": "a"} trailing"#,
            r#"{"id": "a""#,
        ] {
            assert!(typed::<Organization>(wire).is_none(), "typed path accepts {wire}");
            assert!(transcoded::<Organization>(wire).is_err(), "transcoder accepts {wire}");
        }
        for wire in [r#"{"total_size": -1}"#, r#"{"total_size": 4294967296}"#, r#"{"total_size": "x"}"#, r#"{"total_size": 1.5}"#] {
            assert!(typed::<ListOrganizationsResponse>(wire).is_none(), "typed path accepts {wire}");
            assert!(transcoded::<ListOrganizationsResponse>(wire).is_err(), "transcoder accepts {wire}");
        }
        // serde also reads a struct from a positional array; no Scalekit answer is one.
        assert!(transcoded::<Organization>(r#"["org_1"]"#).is_err());
    }
}
