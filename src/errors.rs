//! Core errors become a JS `Error` whose message carries the fields as JSON;
//! `errors.js` rebuilds the exported exception classes from them.

use scalekit_core::Error;
use serde_json::json;

/// Prefix that tells `errors.js` the message is our JSON payload.
pub const MARKER: &str = "\u{1}scalekit:";

pub fn to_napi(error: Error) -> napi::Error {
    let name = error.class_name();
    let payload = match &error {
        Error::InvalidInput { field, message } => json!({ "name": name, "message": message, "field": field }),
        Error::Transport(transport) => named(serde_json::to_value(transport), name),
        Error::Server(server) => named(serde_json::to_value(server), name),
        Error::Webhook { reason, message } | Error::TokenInvalid { reason, message } => json!({ "name": name, "message": message, "reason": reason }),
    };
    napi::Error::new(napi::Status::GenericFailure, format!("{MARKER}{payload}"))
}

fn named(value: serde_json::Result<serde_json::Value>, name: &str) -> serde_json::Value {
    let mut value = value.unwrap_or_default();
    value["name"] = name.into();
    value
}

pub trait IntoNapi<T> {
    fn into_napi(self) -> napi::Result<T>;
}

impl<T> IntoNapi<T> for scalekit_core::Result<T> {
    fn into_napi(self) -> napi::Result<T> {
        self.map_err(to_napi)
    }
}
