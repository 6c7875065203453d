//! Opaque cursor page tokens over a list kept in creation order.

use std::collections::HashMap;

use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde::ser::{Serialize, SerializeMap, Serializer};

use crate::error::{ApiError, ApiResult};

pub struct Page {
    pub start: usize,
    pub end: usize,
    pub next_page_token: String,
    pub prev_page_token: String,
}

fn encode(offset: usize) -> String {
    URL_SAFE_NO_PAD.encode(format!("offset:{offset}"))
}

fn decode(token: &str) -> Option<usize> {
    let bytes = URL_SAFE_NO_PAD.decode(token).ok()?;
    std::str::from_utf8(&bytes).ok()?.strip_prefix("offset:")?.parse().ok()
}

/// Cuts `[start, end)` out of `total` items. `page_size` 0 means the default;
/// otherwise it must lie in `min..=max`.
pub fn paginate(total: usize, page_size: u32, page_token: &str, min: u32, max: u32, default: u32) -> ApiResult<Page> {
    let size = match page_size {
        0 => default,
        n if (min..=max).contains(&n) => n,
        _ => {
            return Err(ApiError::field(
                "page_size",
                &format!("value must be greater than or equal to {min} and less than or equal to {max}"),
                "uint32.gte_lte",
            ))
        }
    } as usize;
    let start = if page_token.is_empty() {
        0
    } else {
        decode(page_token).filter(|&o| o <= total).ok_or_else(|| ApiError::invalid("Invalid page token"))?
    };
    let end = (start + size).min(total);
    Ok(Page {
        start,
        end,
        next_page_token: if end < total { encode(end) } else { String::new() },
        prev_page_token: if start > 0 { encode(start.saturating_sub(size)) } else { String::new() },
    })
}

/// Page-size bounds of one list: accepted `min..=max`, and the size used when none is asked.
#[derive(Clone, Copy)]
pub struct Bounds {
    pub min: u32,
    pub max: u32,
    pub default: u32,
}

/// Which count a list answer carries, under which name.
#[derive(Clone, Copy)]
pub enum Total {
    /// `total_size`, as most lists.
    Size,
    /// `total_count`, as API tokens.
    Count,
    /// None, as events.
    Omitted,
}

struct PageBody<'a, T> {
    key: &'a str,
    items: &'a [T],
    page: &'a Page,
    total: (Total, usize),
}

impl<T: Serialize> Serialize for PageBody<'_, T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry(self.key, &self.items[self.page.start..self.page.end])?;
        map.serialize_entry("next_page_token", &self.page.next_page_token)?;
        map.serialize_entry("prev_page_token", &self.page.prev_page_token)?;
        match self.total {
            (Total::Size, n) => map.serialize_entry("total_size", &n)?,
            (Total::Count, n) => map.serialize_entry("total_count", &n)?,
            (Total::Omitted, _) => {}
        }
        map.end()
    }
}

/// One page of `items` as Scalekit answers a list, reading `page_size` and
/// `page_token` from the query. Written straight to JSON, with no copy of the items.
pub fn page_response<T: Serialize>(key: &str, items: &[T], query: &HashMap<String, String>, bounds: Bounds, total: Total) -> ApiResult<Response> {
    let page_size = crate::query_u32(query, "page_size")?;
    let page_token = query.get("page_token").map(String::as_str).unwrap_or("");
    let page = paginate(items.len(), page_size, page_token, bounds.min, bounds.max, bounds.default)?;
    let body = serde_json::to_vec(&PageBody { key, items, page: &page, total: (total, items.len()) }).expect("JSON values serialize");
    Ok(([(CONTENT_TYPE, "application/json")], body).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_walk_forward_and_back() {
        let first = paginate(25, 10, "", 10, 100, 10).unwrap();
        assert_eq!((first.start, first.end, first.prev_page_token.as_str()), (0, 10, ""));
        let second = paginate(25, 10, &first.next_page_token, 10, 100, 10).unwrap();
        assert_eq!((second.start, second.end), (10, 20));
        let third = paginate(25, 10, &second.next_page_token, 10, 100, 10).unwrap();
        assert_eq!((third.start, third.end, third.next_page_token.as_str()), (20, 25, ""));
        let back = paginate(25, 10, &third.prev_page_token, 10, 100, 10).unwrap();
        assert_eq!(back.start, 10);
    }

    #[test]
    fn rejects_bad_sizes_and_tokens() {
        assert!(paginate(5, 5, "", 10, 100, 10).is_err());
        assert!(paginate(5, 101, "", 10, 100, 10).is_err());
        assert!(paginate(5, 10, "garbage", 10, 100, 10).is_err());
    }
}
