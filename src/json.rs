//! Results cross to JS as camelCase JSON parsed by V8's `JSON.parse`: one
//! N-API string and one call, instead of one N-API call per property. The JSON
//! is transcoded from the wire on the Tokio worker (`scalekit_core::wire`), so
//! the JS thread only parses it.

use napi::bindgen_prelude::{Function, JsObjectValue, Object, ToNapiValue, TypeName, Unknown};
use napi::{sys, Env, JsValue, ValueType};

/// A result already encoded as camelCase JSON text.
pub struct Json(pub(crate) String);

impl Json {
    /// Encodes a value with its own serde names (the emulator's JS helpers).
    pub fn encode<T: serde::Serialize>(value: &T) -> napi::Result<Json> {
        serde_json::to_string(value).map(Json).map_err(|e| napi::Error::from_reason(format!("cannot encode the result: {e}")))
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
        // Our JSON is almost always ASCII: then V8 can copy it as a one-byte string without decoding UTF-8.
        let text = if value.0.is_ascii() {
            let mut raw = std::ptr::null_mut();
            napi::check_status!(sys::napi_create_string_latin1(raw_env, value.0.as_ptr().cast(), value.0.len() as isize, &mut raw))?;
            raw
        } else {
            String::to_napi_value(raw_env, value.0)?
        };
        let json: Object = env.get_global()?.get_named_property("JSON")?;
        let parse: Function<Unknown, Unknown> = json.get_named_property("parse")?;
        let parsed = parse.call(Unknown::from_raw_unchecked(raw_env, text))?;
        Ok(parsed.raw())
    }
}
