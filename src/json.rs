//! Results cross to JS as camelCase JSON parsed by V8's `JSON.parse`: one
//! N-API string and one call, instead of one N-API call per property. The JSON
//! is transcoded from the wire on the Tokio worker (`scalekit_core::wire`), so
//! the JS thread only parses it.

use napi::bindgen_prelude::{Function, JsObjectValue, Object, ToNapiValue, TypeName, Unknown};
use napi::{sys, Env, JsValue, ValueType};
use scalekit_core::wire::{CamelJson, TopArray};

/// A result already encoded as camelCase JSON text.
pub struct Json {
    text: String,
    /// A big page's items, parsed in slices (see `scalekit_core::wire::TopArray`).
    array: Option<TopArray>,
}

impl Json {
    pub fn new(text: String) -> Json {
        Json { text, array: None }
    }

    /// Encodes a value with its own serde names (the emulator's JS helpers).
    pub fn encode<T: serde::Serialize>(value: &T) -> napi::Result<Json> {
        serde_json::to_string(value).map(Json::new).map_err(|e| napi::Error::from_reason(format!("cannot encode the result: {e}")))
    }
}

impl From<CamelJson> for Json {
    fn from(json: CamelJson) -> Json {
        Json { text: json.text, array: json.array }
    }
}

impl TypeName for Json {
    fn type_name() -> &'static str {
        "Json"
    }
    fn value_type() -> ValueType {
        ValueType::Object
    }
}

impl ToNapiValue for Json {
    unsafe fn to_napi_value(raw_env: sys::napi_env, value: Self) -> napi::Result<sys::napi_value> {
        let env = Env::from_raw(raw_env);
        let json: Object = env.get_global()?.get_named_property("JSON")?;
        let parse: Function<Unknown, Unknown> = json.get_named_property("parse")?;
        let parse_text = |text: &[u8]| -> napi::Result<Unknown> {
            let string = unsafe { js_string(raw_env, text)? };
            parse.call(unsafe { Unknown::from_raw_unchecked(raw_env, string) })
        };
        let Json { mut text, array } = value;
        let Some(array) = array else {
            return Ok(parse_text(text.as_bytes())?.raw());
        };
        // The page without its items, then the items in slices of up to SLICE_BYTES, joined with `concat`.
        let mut rest = Vec::with_capacity(text.len() - (array.close - array.open) + 1);
        rest.extend_from_slice(&text.as_bytes()[..array.open]);
        rest.extend_from_slice(b"[]");
        rest.extend_from_slice(&text.as_bytes()[array.close + 1..]);
        let mut page = Object::from_raw(raw_env, parse_text(&rest)?.raw());
        // SAFETY: only the ASCII bytes around slices are rewritten (`,` ↔ `[`/`]`), so the text stays UTF-8.
        let bytes = unsafe { text.as_mut_vec() };
        let mut slices: Vec<sys::napi_value> = Vec::new();
        let mut first = 0;
        while first < array.elements.len() {
            let start = array.elements[first].0;
            let mut last = first;
            while last + 1 < array.elements.len() && array.elements[last + 1].1 - start <= SLICE_BYTES {
                last += 1;
            }
            let end = array.elements[last].1;
            let (before, after) = (bytes[start - 1], bytes[end]);
            bytes[start - 1] = b'[';
            bytes[end] = b']';
            slices.push(parse_text(&bytes[start - 1..=end])?.raw());
            bytes[start - 1] = before;
            bytes[end] = after;
            first = last + 1;
        }
        // `first.concat(second, third, …)`: one array of every item.
        let head = Object::from_raw(raw_env, slices[0]);
        let concat: Unknown = head.get_named_property("concat")?;
        let mut items = std::ptr::null_mut();
        napi::check_status!(unsafe { sys::napi_call_function(raw_env, slices[0], concat.raw(), slices.len() - 1, slices[1..].as_ptr(), &mut items) })?;
        page.set_named_property(array.key, Unknown::from_raw_unchecked(raw_env, items))?;
        Ok(page.raw())
    }
}

/// Slices of a big page stay under V8's large-object threshold (128 kB): a string above it lands in freshly
/// mapped memory, whose page faults cost more than parsing it in pieces.
const SLICE_BYTES: usize = 64 * 1024;

/// A JS string of JSON text: almost always ASCII, which V8 copies as a one-byte string without decoding UTF-8.
unsafe fn js_string(env: sys::napi_env, text: &[u8]) -> napi::Result<sys::napi_value> {
    let mut raw = std::ptr::null_mut();
    if text.is_ascii() {
        napi::check_status!(unsafe { sys::napi_create_string_latin1(env, text.as_ptr().cast(), text.len() as isize, &mut raw) })?;
    } else {
        napi::check_status!(unsafe { sys::napi_create_string_utf8(env, text.as_ptr().cast(), text.len() as isize, &mut raw) })?;
    }
    Ok(raw)
}
