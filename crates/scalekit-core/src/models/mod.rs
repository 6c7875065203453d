//! Models of the REST wire. Each model is defined once: serde reads and writes
//! the wire in snake_case, and the JS side sees camelCase (serde's `serialize`
//! rename for results, napi's field names for options and generated types).

mod common;
mod connected_account;
mod connection;
mod directory;
mod domain;
mod events;
mod m2m;
mod organization;
mod passwordless;
mod platform;
mod role;
mod session;
mod token;
mod tools;
mod user;
mod webauthn;

pub use common::*;
pub use connected_account::*;
pub use connection::*;
pub use directory::*;
pub use domain::*;
pub use events::*;
pub use m2m::*;
pub use organization::*;
pub use passwordless::*;
pub use platform::*;
pub use role::*;
pub use session::*;
pub use token::*;
pub use tools::*;
pub use user::*;
pub use webauthn::*;

use serde::{Deserialize, Deserializer};

/// proto3 JSON may send `null` for an empty list or map: read it as empty.
pub(crate) fn null_as_default<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(deserializer)?.unwrap_or_default())
}

/// 32-bit counters are JSON numbers, but proto3 JSON allows them as strings too; null is zero.
pub(crate) fn lenient_u32<'de, D: Deserializer<'de>>(deserializer: D) -> Result<u32, D::Error> {
    Ok(lenient_integer(deserializer)?.unwrap_or(0))
}

/// An optional 32-bit counter (an `Int32Value` wrapper): a number, a numeric string, or null/absent for unset.
pub(crate) fn lenient_opt_u32<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<u32>, D::Error> {
    lenient_integer(deserializer)
}

/// A 64-bit integer: proto3 JSON writes int64 as a string (`"42"`), and may send a number; null is zero.
pub(crate) fn lenient_i64<'de, D: Deserializer<'de>>(deserializer: D) -> Result<i64, D::Error> {
    Ok(lenient_integer(deserializer)?.unwrap_or(0))
}

/// An optional 64-bit integer: a number, a numeric string, or null/absent for unset.
pub(crate) fn lenient_opt_i64<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<i64>, D::Error> {
    lenient_integer(deserializer)
}

/// An integer as a number or a numeric string; `null` is `None`, and (as the transcoder reads it) `""` is zero.
fn lenient_integer<'de, D, N>(deserializer: D) -> Result<Option<N>, D::Error>
where
    D: Deserializer<'de>,
    N: Deserialize<'de> + std::str::FromStr + Default,
    N::Err: std::fmt::Display,
{
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum NumberOrString<N> {
        Number(N),
        String(String),
        Null(()),
    }
    match NumberOrString::<N>::deserialize(deserializer)? {
        NumberOrString::Number(n) => Ok(Some(n)),
        NumberOrString::String(s) if s.is_empty() => Ok(Some(N::default())),
        NumberOrString::String(s) => s.parse().map(Some).map_err(serde::de::Error::custom),
        NumberOrString::Null(()) => Ok(None),
    }
}
