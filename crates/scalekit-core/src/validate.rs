//! Argument checks shared by the sub-clients; each fails before any I/O.

use crate::error::{Error, Result};

/// A path id: non-empty after trimming; returned trimmed.
pub fn required_id<'a>(field: &str, value: &'a str) -> Result<&'a str> {
    let trimmed = value.trim();
    if trimmed.is_empty() {
        // The official SDK's wording, so that code matching on it keeps working.
        return Err(Error::invalid(field, format!("{field} is required")));
    }
    Ok(trimmed)
}

/// Free text that must not be blank (a search query); returned trimmed.
pub fn required_text<'a>(field: &str, value: &'a str) -> Result<&'a str> {
    required_id(field, value)
}

/// A plausible email address: one `@`, a non-empty local part, a dotted domain, no spaces.
pub fn email(field: &str, value: &str) -> Result<()> {
    let value = value.trim();
    if value.is_empty() {
        return Err(Error::invalid(field, format!("{field} is required")));
    }
    let valid = value.len() <= 254
        && !value.chars().any(|c| c.is_whitespace() || c.is_control())
        && match value.split_once('@') {
            Some((local, domain)) => {
                !local.is_empty()
                    && local.len() <= 64
                    && !domain.contains('@')
                    && domain.contains('.')
                    && !domain.starts_with('.')
                    && !domain.ends_with('.')
                    && !domain.contains("..")
            }
            None => false,
        };
    if valid {
        Ok(())
    } else {
        Err(Error::invalid(field, format!("{field} is not a valid email address")))
    }
}

/// A whole number from JS, 0 to u32::MAX.
pub fn whole(field: &str, value: f64) -> Result<u32> {
    if value.fract() == 0.0 && (0.0..=u32::MAX as f64).contains(&value) {
        Ok(value as u32)
    } else {
        Err(Error::invalid(field, format!("{field} must be a whole number from 0, got {value}")))
    }
}

/// A page size from JS: a positive whole number. The server enforces its own
/// bounds (10 to 100 for most lists today), so they are not duplicated here.
pub fn page_size(field: &str, value: Option<f64>) -> Result<Option<u32>> {
    match value {
        None => Ok(None),
        Some(v) if v.fract() == 0.0 && v >= 1.0 && v <= u32::MAX as f64 => Ok(Some(v as u32)),
        Some(v) => Err(Error::invalid(field, format!("{field} must be a positive whole number, got {v}"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails() {
        for ok in ["user@example.com", "a.b+c@sub.example.co", " user@example.com "] {
            assert!(email("email", ok).is_ok(), "{ok}");
        }
        for bad in ["", "user", "user@", "@example.com", "us er@example.com", "user@example", "a@b@c.com", "user@.com", "user@example..com"] {
            assert!(email("email", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn page_sizes() {
        assert_eq!(page_size("pageSize", None).unwrap(), None);
        assert_eq!(page_size("pageSize", Some(10.0)).unwrap(), Some(10));
        assert_eq!(page_size("pageSize", Some(1000.0)).unwrap(), Some(1000));
        for bad in [0.0, -1.0, 1.5, 1e12, f64::NAN, f64::INFINITY] {
            assert!(page_size("pageSize", Some(bad)).is_err(), "{bad}");
        }
    }

    #[test]
    fn ids() {
        assert_eq!(required_id("organizationId", " org_1 ").unwrap(), "org_1");
        assert!(required_id("organizationId", "  ").is_err());
    }
}
