//! Opaque cursor page tokens over a list kept in creation order.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;

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
