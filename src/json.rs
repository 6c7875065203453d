//! Results cross to JS as camelCase JSON parsed by V8's `JSON.parse`: one
//! N-API string and one call, instead of one N-API call per property.

use napi::bindgen_prelude::{Function, JsObjectValue, Object, ToNapiValue, TypeName, Unknown};
use napi::JsValue;
use napi::{sys, Env, ValueType};
use serde::Serialize;

pub struct Json<T>(pub T);

impl<T> TypeName for Json<T> {
    fn type_name() -> &'static str {
        "Json"
    }
    fn value_type() -> ValueType {
        ValueType::Object
    }
}

impl<T: Serialize> ToNapiValue for Json<T> {
    unsafe fn to_napi_value(raw_env: sys::napi_env, value: Self) -> napi::Result<sys::napi_value> {
        let text = serde_json::to_string(&value.0).map_err(|e| napi::Error::from_reason(format!("cannot encode the result: {e}")))?;
        let env = Env::from_raw(raw_env);
        let json: Object = env.get_global()?.get_named_property("JSON")?;
        let parse: Function<String, Unknown> = json.get_named_property("parse")?;
        let parsed = parse.call(text)?;
        Ok(parsed.raw())
    }
}
