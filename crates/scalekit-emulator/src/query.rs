//! Query strings with repeated keys (`filter.tool_name=a&filter.tool_name=b`), as grpc-gateway reads them.

use std::collections::HashMap;

use crate::error::{ApiError, ApiResult};

pub struct Params(pub Vec<(String, String)>);

impl Params {
    /// The first non-empty value of `key`, trimmed.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.0.iter().filter(|(k, _)| k == key).map(|(_, v)| v.trim()).find(|v| !v.is_empty())
    }

    /// Every non-empty value of `key`, in order.
    pub fn all(&self, key: &str) -> Vec<&str> {
        self.0.iter().filter(|(k, _)| k == key).map(|(_, v)| v.trim()).filter(|v| !v.is_empty()).collect()
    }

    pub fn bool(&self, key: &str) -> ApiResult<Option<bool>> {
        match self.get(key) {
            None => Ok(None),
            Some("true" | "1") => Ok(Some(true)),
            Some("false" | "0") => Ok(Some(false)),
            Some(_) => Err(ApiError::field(key, "value must be a boolean", "bool")),
        }
    }

    /// As a map (the first value of each key), for `page_response`.
    pub fn map(&self) -> HashMap<String, String> {
        let mut map = HashMap::new();
        for (k, v) in &self.0 {
            map.entry(k.clone()).or_insert_with(|| v.clone());
        }
        map
    }
}
