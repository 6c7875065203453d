//! The one-pass transcoder (`wire::transcode`) against the serde path (`FromWire` for the model
//! itself, then `serde_json::to_value`), for every model with a `WireShape`.
//!
//! Input: the first byte picks the model (in `MODELS`' order, which `build.rs` reads from the
//! sources); the second picks the mode. With `mode % 4 == 0` the rest of the input is the document
//! as it is; otherwise it is the random source of a document generated from the model's `Shape` —
//! shuffled keys, duplicates, unknown fields, escaped keys, nulls, quoted and out-of-range integers,
//! deep nesting, wrong types — damaged afterwards when `mode & 0x80`, and with `mode % 32 == 1` a
//! page of more than `wire::SPLIT_MIN_BYTES`, to reach the page-splitting code.
//!
//! Invariants: never panics; both paths accept with equal values, or both refuse (one known
//! exception, tallied, and failed with `SCALEKIT_FUZZ_STRICT=1`: serde reads a struct from an array,
//! positionally — `["org_1"]`, or `[]` for any struct-typed field — which no Scalekit answer is, and
//! the transcoder refuses it); a recorded `TopArray` names a top-level array field of the model, its
//! elements tile that array in the text one comma apart, and each element is that item.

#![no_main]

use libfuzzer_sys::fuzz_target;
use scalekit_core::wire::{transcode, Shape, WireShape, SPLIT_MIN_BYTES};
use scalekit_core::FromWire;
use scalekit_fuzz::{escaped, Source};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

type Check = fn(&[u8]);

macro_rules! models {
    ($($model:ident),* $(,)?) => {
        const MODELS: &[(&str, Check, fn() -> &'static Shape)] = &[$((
            stringify!($model),
            differential::<scalekit_core::models::$model>,
            || { const SHAPE: &Shape = &<scalekit_core::models::$model as WireShape>::SHAPE; SHAPE },
        )),*];
    };
}
include!(concat!(env!("OUT_DIR"), "/models.rs"));

fn differential<M: WireShape + DeserializeOwned + Serialize>(wire: &[u8]) {
    let typed = <M as FromWire<M>>::from_wire(wire).map(|m| serde_json::to_value(m).expect("a model serializes"));
    let transcoded = transcode(&M::SHAPE, wire);
    match (&typed, &transcoded) {
        (Ok(expected), Ok(json)) => {
            let actual: Value = serde_json::from_str(&json.text).unwrap_or_else(|e| panic!("the transcoder wrote invalid JSON ({e}): {}", json.text));
            assert_eq!(&actual, expected, "the paths give other values for b\"{}\"", escaped(wire));
            check_top_array::<M>(wire, json, &actual);
            scalekit_fuzz::tally(if json.array.is_some() { "both accept, a recorded page" } else { "both accept" });
        }
        (Err(error), Err(_)) => {
            if scalekit_fuzz::tallying() {
                // What serde says, without its position: which rules the refused documents broke.
                let text = error.to_string();
                let reason: String = text.split(" at ").next().unwrap_or_default().chars().filter(|c| !c.is_ascii_digit()).take(60).collect();
                scalekit_fuzz::tally(&format!("both refuse: {reason}"));
            }
        }
        (Ok(_), Err(error)) if positional(wire, &error.to_string()) && !scalekit_fuzz::strict() => scalekit_fuzz::tally("positional struct (serde only)"),
        _ => panic!("the paths disagree on b\"{}\":\n serde: {typed:?}\n transcoder: {:?}", escaped(wire), transcoded.as_ref().map(|j| &j.text)),
    }
}

/// Whether the transcoder stopped at an array where the model has a struct: serde reads a struct
/// from a positional array (`["org_1"]`), the transcoder refuses it (see wire.rs's tests).
fn positional(wire: &[u8], error: &str) -> bool {
    let Some(at) = error.strip_prefix("expected an object at byte ").and_then(|n| n.parse::<usize>().ok()) else { return false };
    wire.get(at) == Some(&b'[')
}

fn check_top_array<M: WireShape>(wire: &[u8], json: &scalekit_core::CamelJson, whole: &Value) {
    let Some(array) = &json.array else { return };
    assert!(wire.len() >= SPLIT_MIN_BYTES, "a TopArray for a body of {} bytes", wire.len());
    let Shape::Object(fields) = &M::SHAPE else { panic!("a TopArray for a model that is not an object") };
    let field = fields.iter().find(|f| f.js == array.key).unwrap_or_else(|| panic!("a TopArray for {:?}, not a field", array.key));
    assert!(matches!(field.shape, Shape::Array(_) | Shape::Option(Shape::Array(_))), "a TopArray for {:?}, not an array field", array.key);
    let text = json.text.as_bytes();
    assert_eq!((text[array.open], text[array.close]), (b'[', b']'), "the TopArray's brackets");
    let items = whole[array.key].as_array().expect("the TopArray's field is an array");
    assert!(array.elements.len() >= 2, "a TopArray of {} elements", array.elements.len());
    assert_eq!(array.elements.len(), items.len(), "the TopArray's elements are not the field's items");
    assert_eq!(array.elements[0].0, array.open + 1, "the first element does not start the array");
    assert_eq!(array.elements.last().unwrap().1, array.close, "the last element does not end the array");
    for pair in array.elements.windows(2) {
        assert!(pair[0].0 < pair[0].1, "an empty element");
        assert_eq!((pair[1].0, text[pair[0].1]), (pair[0].1 + 1, b','), "elements are not one comma apart");
    }
    for ((start, end), item) in array.elements.iter().zip(items) {
        let parsed: Value = serde_json::from_slice(&text[*start..*end]).expect("an element is JSON");
        assert_eq!(&parsed, item, "an element is not its item");
    }
}

/// Writes documents following a `Shape`, with the damage the target is after.
struct Gen<'a, 'b> {
    src: &'b mut Source<'a>,
    out: Vec<u8>,
    /// Soft size limit (big pages raise it).
    budget: usize,
    /// Open containers, counted from the top of the document.
    depth: usize,
}

/// Pieces of strings: valid ones, and now and then (`BAD_PIECES`) one that neither path accepts where
/// the string is decoded (a lone surrogate, a bad escape, a raw control character).
const PIECES: &[&str] = &["a", "org_1", "Zé", "\u{1F600}", " ", "\\\"", "\\\\", "\\/", "\\n", "\\u00e9", "\\ud83d\\ude00", "\\u0000", "\u{7f}", "snake_case", "\\u005f"];
const BAD_PIECES: &[&str] = &["\\ud800", "\\udc00", "\\ud800\\u0041", "\\x", "\t", "\\u12"];

impl Gen<'_, '_> {
    fn put(&mut self, text: &str) {
        self.out.extend_from_slice(text.as_bytes());
    }

    fn space(&mut self) {
        if self.src.one_in(16) {
            // JSON's four white space characters, and rarely one that is not JSON's.
            let ws = if self.src.one_in(64) { *self.src.pick(&["\u{a0}", "\x0c", "\u{2028}"]) } else { *self.src.pick(&[" ", "\n", "\t", "\r\n  "]) };
            self.put(ws);
        }
    }

    fn over(&self) -> bool {
        self.out.len() > self.budget
    }

    fn string(&mut self) {
        self.out.push(b'"');
        for _ in 0..self.src.below(5) {
            if self.src.one_in(6) {
                // Text from the input, as characters a JSON string may hold unescaped.
                let text: String = String::from_utf8_lossy(self.src.text()).chars().filter(|&c| c >= ' ' && c != '"' && c != '\\').collect();
                self.put(&text);
            } else {
                let piece = if self.src.one_in(128) { *self.src.pick(BAD_PIECES) } else { *self.src.pick(PIECES) };
                self.put(piece);
            }
        }
        self.out.push(b'"');
    }

    /// A key: the name as is, with an escape that still spells it, or a near miss.
    fn key(&mut self, name: &str) {
        match self.src.below(12) {
            0 if !name.is_empty() => {
                let at = self.src.below(name.len());
                let c = name.as_bytes()[at];
                self.put(&format!("\"{}\\u{:04x}{}\"", &name[..at], c, &name[at + 1..]));
            }
            1 => self.put(&format!("\"{}\"", name.to_uppercase())),
            2 => self.put(&format!("\"{name} \"")),
            _ => self.put(&format!("\"{name}\"")),
        }
        self.space();
        self.out.push(b':');
        self.space();
    }

    fn number(&mut self) {
        let n = match self.src.below(6) {
            0 => self.src.u32().to_string(),
            1 => (self.src.u64() as i64).to_string(),
            2 => format!("{}.{}e{}", self.src.byte(), self.src.byte(), self.src.byte() as i8),
            _ => {
                self.src
                    .pick(&[
                        "0", "-0", "1", "-1", "4294967295", "4294967296", "9223372036854775807", "9223372036854775808", "-9223372036854775808", "-9223372036854775809",
                        "18446744073709551615", "18446744073709551616", "1e400", "-1e400", "1.5", "1e2", "0.0", "1E+2", "2.5e-400", "123456789012345678901234567890",
                    ])
                    .to_string()
            }
        };
        self.put(&n);
    }

    /// Any JSON, nested up to `levels` more; sometimes a deep run of arrays around the limit.
    fn junk(&mut self, levels: usize) {
        match self.src.below(if levels == 0 || self.over() { 5 } else { 8 }) {
            0 => self.put("null"),
            1 => {
                let word = if self.src.bool() { "true" } else { "false" };
                self.put(word)
            }
            2 | 3 => self.number(),
            4 => self.string(),
            5 => {
                // Deep nesting near serde_json's limit, counted from the top, or far past it.
                let room = 128usize.saturating_sub(self.depth);
                let depth = match self.src.below(4) {
                    0 => room.saturating_sub(2),
                    1 => room.saturating_sub(1),
                    2 => room,
                    _ => *self.src.pick(&[room + 1, 1000, 20_000]),
                };
                self.put(&"[".repeat(depth));
                self.number();
                self.put(&"]".repeat(depth));
            }
            6 => {
                self.out.push(b'[');
                self.depth += 1;
                for i in 0..self.src.below(4) {
                    if i > 0 {
                        self.out.push(b',');
                    }
                    self.space();
                    self.junk(levels - 1);
                }
                self.depth -= 1;
                self.out.push(b']');
            }
            _ => {
                self.out.push(b'{');
                self.depth += 1;
                for i in 0..self.src.below(4) {
                    if i > 0 {
                        self.out.push(b',');
                    }
                    let name = *self.src.pick(&["first_name", "lastName", "urn:ietf:params:scim:schemas:core:2.0:User", "id", "", "a_b"]);
                    self.key(name);
                    self.junk(levels - 1);
                }
                self.depth -= 1;
                self.out.push(b'}');
            }
        }
    }

    fn integer(&mut self, quoted: bool) {
        match (quoted, self.src.below(4)) {
            (true, 0) => {
                let text = *self.src.pick(&["", "+7", "-7", " 7", "07", "1.0", "1e3", "x", "-0", "4294967296", "9223372036854775808", "-9223372036854775808", "\\u0037"]);
                self.put(&format!("\"{text}\""));
            }
            (true, _) => {
                let n = self.src.u32();
                self.put(&format!("\"{n}\""));
            }
            (false, 0) => self.number(),
            (false, _) => {
                let n = self.src.u32();
                self.put(&n.to_string());
            }
        }
    }

    fn value(&mut self, shape: &Shape, big: bool) {
        self.space();
        // Now and then null, or a value of another type (not for the document itself: both refuse those).
        if self.depth > 0 && self.src.one_in(12) {
            self.put("null");
            return;
        }
        if self.depth > 0 && self.src.one_in(64) {
            self.junk(2);
            return;
        }
        match shape {
            Shape::Str => self.string(),
            Shape::Bool => {
                let word = if self.src.bool() { "true" } else { "false" };
                self.put(word)
            }
            Shape::U32 | Shape::I64 => {
                let quoted = self.src.bool();
                self.integer(quoted)
            }
            Shape::Json => self.junk(3),
            Shape::Option(inner) => self.value(inner, big),
            Shape::Array(element) => {
                self.out.push(b'[');
                self.depth += 1;
                if big {
                    // One or a few items, repeated past the size where pages are recorded.
                    let mut items = Vec::new();
                    for _ in 0..=self.src.below(3) {
                        let mark = self.out.len();
                        self.value(element, false);
                        items.push(self.out.split_off(mark));
                    }
                    let mut i = 0;
                    while self.out.len() < SPLIT_MIN_BYTES + 4096 {
                        if i > 0 {
                            self.out.push(b',');
                        }
                        self.out.extend_from_slice(&items[i % items.len()]);
                        i += 1;
                        if items.iter().all(|i| i.len() < 2) && i > 200_000 {
                            break;
                        }
                    }
                } else {
                    let n = if self.over() || self.depth > 6 { 0 } else { self.src.below(4) };
                    for i in 0..n {
                        if i > 0 {
                            self.out.push(b',');
                        }
                        self.value(element, false);
                    }
                }
                self.depth -= 1;
                self.space();
                self.out.push(b']');
            }
            Shape::Map(value) => {
                self.out.push(b'{');
                self.depth += 1;
                let n = if self.over() { 0 } else { self.src.below(4) };
                let mut keys = Vec::new();
                for i in 0..n {
                    if i > 0 {
                        self.out.push(b',');
                    }
                    // Sometimes a key twice.
                    let key = if !keys.is_empty() && self.src.one_in(4) { keys[0] } else { *self.src.pick(&["k", "snake_key", "camelKey", "", "a\\u0062"]) };
                    keys.push(key);
                    self.key(key);
                    self.value(value, false);
                }
                self.depth -= 1;
                self.out.push(b'}');
            }
            Shape::Object(fields) => {
                self.out.push(b'{');
                self.depth += 1;
                let mut order: Vec<usize> = (0..fields.len()).filter(|_| !self.src.one_in(4)).collect();
                for i in (1..order.len()).rev() {
                    let j = self.src.below(i + 1);
                    order.swap(i, j);
                }
                // A field twice, now and then.
                if !order.is_empty() && self.src.one_in(20) {
                    let again = order[self.src.below(order.len())];
                    order.push(again);
                }
                let mut first = true;
                let big_field = if big { order.iter().position(|&i| matches!(fields[i].shape, Shape::Array(_) | Shape::Option(Shape::Array(_)))) } else { None };
                for (n, &index) in order.iter().enumerate() {
                    if !first {
                        self.out.push(b',');
                    }
                    first = false;
                    if self.src.one_in(8) {
                        // An unknown field first.
                        let name = *self.src.pick(&["future_field", "unknown", "x", "ID"]);
                        self.key(name);
                        self.junk(3);
                        self.out.push(b',');
                    }
                    self.space();
                    self.key(fields[index].wire);
                    if self.over() && !matches!(fields[index].shape, Shape::Str | Shape::Bool | Shape::U32 | Shape::I64) {
                        self.put("null");
                    } else {
                        self.value(fields[index].shape, big_field == Some(n));
                    }
                }
                self.depth -= 1;
                self.space();
                self.out.push(b'}');
            }
        }
    }
}

/// Byte damage: a few bytes replaced, dropped or added, invalid UTF-8 included.
fn damage(src: &mut Source, wire: &mut Vec<u8>) {
    const NOISE: &[u8] = b"{}[]\",:\\ nul0-1e.tuf\x01\x80\xff\xc3";
    for _ in 0..src.below(4).saturating_sub(1) {
        let at = src.below(wire.len() + 1);
        let noise = *src.pick(NOISE);
        match src.below(3) {
            0 if at < wire.len() => wire[at] = noise,
            1 if at < wire.len() => drop(wire.remove(at)),
            _ => wire.insert(at, noise),
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let mut src = Source::new(data);
    let (_, check, shape) = MODELS[src.below(MODELS.len())];
    let mode = src.byte();
    if mode.is_multiple_of(4) {
        return check(src.rest());
    }
    let big = mode % 32 == 1;
    let mut generator = Gen { src: &mut src, out: Vec::new(), budget: 4096, depth: 0 };
    generator.value(shape(), big);
    let mut wire = generator.out;
    if mode & 0x80 != 0 {
        damage(&mut src, &mut wire);
    }
    check(&wire);
});
