//! `auth::verify_signature` (webhooks and interceptors) on any secrets, headers, body and clock.
//!
//! Input: a flags byte, then `\0`-separated strings — secrets (a count byte first), `webhook-id`,
//! `webhook-timestamp`, `webhook-signature`, the body — and a clock. Flags make the input
//! valid where random bytes rarely are: a timestamp near the clock, a signature computed here, a
//! `whsec_` secret.
//!
//! Invariants: never panics; its verdict is the one this target computes on its own (Standard
//! Webhooks as the official SDK reads it: Node's base64, the i64 timestamp in exact arithmetic, a
//! second HMAC-SHA256 from `ring`), whichever it is; and an `Ok` has a signature that matches that
//! HMAC and a timestamp inside the window.

#![no_main]

use std::time::{Duration, UNIX_EPOCH};

use base64::Engine;
use libfuzzer_sys::fuzz_target;
use scalekit_core::auth::{verify_signature, WebhookFailure, WEBHOOK_TOLERANCE};
use scalekit_fuzz::{escaped, Source};

/// `Buffer.from(text, 'base64')`, written here from Node's description rather than from `auth.rs`:
/// each UTF-16 unit is read as its low byte, `=` ends the data, both alphabets count, anything else
/// is skipped, and bits that do not make a whole byte are dropped.
fn node_base64(text: &str) -> Vec<u8> {
    let mut out = Vec::new();
    let (mut bits, mut count) = (0u32, 0u32);
    for unit in text.encode_utf16() {
        let sextet = match unit as u8 {
            b'=' => break,
            c @ b'A'..=b'Z' => c - b'A',
            c @ b'a'..=b'z' => c - b'a' + 26,
            c @ b'0'..=b'9' => c - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            _ => continue,
        };
        bits = (bits << 6) | u32::from(sextet);
        count += 6;
        if count >= 8 {
            count -= 8;
            out.push((bits >> count) as u8);
            bits &= (1 << count) - 1;
        }
    }
    out
}

/// `i64::from_str` after trimming Unicode white space, done by hand in i128: the timestamp, or `None`.
fn parse_timestamp(text: &str) -> Option<i128> {
    let text = text.trim_matches(char::is_whitespace);
    let (negative, digits) = match text.as_bytes().first()? {
        b'-' => (true, &text[1..]),
        b'+' => (false, &text[1..]),
        _ => (false, text),
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let mut value: i128 = 0;
    for b in digits.bytes() {
        value = value * 10 + i128::from(b - b'0');
        if value > 1 << 70 {
            return None;
        }
    }
    let value = if negative { -value } else { value };
    (i128::from(i64::MIN)..=i128::from(i64::MAX)).contains(&value).then_some(value)
}

/// The key of a `whsec_<base64>` secret: the base64 between the first `_` and the next one.
fn secret_key(secret: &str) -> Option<Vec<u8>> {
    let (_, after) = secret.split_once('_')?;
    Some(node_base64(after.split('_').next().unwrap_or_default()))
}

fn hmac(key: &[u8], id: &str, seconds: i128, payload: &[u8]) -> Vec<u8> {
    let key = ring::hmac::Key::new(ring::hmac::HMAC_SHA256, key);
    let mut context = ring::hmac::Context::with_key(&key);
    context.update(id.as_bytes());
    context.update(b".");
    context.update(seconds.to_string().as_bytes());
    context.update(b".");
    context.update(payload);
    context.sign().as_ref().to_vec()
}

/// The verdict, reached independently of `auth.rs`, in the official SDK's order of checks.
fn expected(secrets: &[String], id: &str, timestamp: &str, signatures: &str, payload: &[u8], now_nanos: i128) -> Result<(), WebhookFailure> {
    if id.is_empty() || timestamp.is_empty() || signatures.is_empty() {
        return Err(WebhookFailure::MissingHeader);
    }
    let keys: Vec<Vec<u8>> = secrets.iter().map(|s| secret_key(s)).collect::<Option<_>>().ok_or(WebhookFailure::InvalidSecret)?;
    if keys.is_empty() {
        return Err(WebhookFailure::InvalidSecret);
    }
    let seconds = parse_timestamp(timestamp).ok_or(WebhookFailure::InvalidTimestamp)?;
    // Whole seconds since the epoch, 0 before it.
    let now = now_nanos.max(0) / 1_000_000_000;
    let tolerance = i128::from(WEBHOOK_TOLERANCE.as_secs());
    if now - seconds > tolerance {
        return Err(WebhookFailure::TooOld);
    }
    if seconds - now > tolerance {
        return Err(WebhookFailure::TooNew);
    }
    let received: Vec<Vec<u8>> = signatures.split(' ').filter_map(|e| e.strip_prefix("v1,")).map(node_base64).collect();
    let matched = keys.iter().any(|key| {
        let mac = hmac(key, id, seconds, payload);
        received.contains(&mac)
    });
    if matched {
        Ok(())
    } else {
        Err(WebhookFailure::BadSignature)
    }
}

/// Characters Node decodes as something else than they look: their low byte is an alphabet
/// character (`Ł` is U+0141: `A`), or they are skipped.
const NOISE: &[&str] = &["Ł", "ł", "=", " ", ".", "!", "\u{3d}", "é", "\u{ff0b}", "\t", "\u{12b}", "%", "\u{143d}"];

fn encode_signature(src: &mut Source, mac: &[u8]) -> String {
    let mut sig = match src.below(4) {
        0 => base64::engine::general_purpose::STANDARD.encode(mac),
        1 => base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(mac),
        2 => base64::engine::general_purpose::STANDARD_NO_PAD.encode(mac),
        _ => base64::engine::general_purpose::URL_SAFE.encode(mac),
    };
    // Damage it: noise inserted, a character changed or dropped, or junk after the padding.
    for _ in 0..src.below(3) {
        let at = src.below(sig.len() + 1);
        let at = (0..=at).rev().find(|&i| sig.is_char_boundary(i)).unwrap_or(0);
        match src.below(4) {
            0 => sig.insert_str(at, src.pick(NOISE)),
            1 if at < sig.len() => {
                let c = sig[at..].chars().next().unwrap();
                sig.replace_range(at..at + c.len_utf8(), src.pick(&["A", "B", "+", "/", "-", "_", "a"]));
            }
            2 if at < sig.len() => {
                let c = sig[at..].chars().next().unwrap();
                sig.replace_range(at..at + c.len_utf8(), "");
            }
            _ => sig.push_str(src.pick(&["=", "==", "=AAAA", "A", "AA"])),
        }
    }
    sig
}

fuzz_target!(|data: &[u8]| {
    let mut src = Source::new(data);
    let flags = src.byte();
    let count = src.below(4);
    let mut secrets: Vec<String> = (0..count).map(|_| src.string()).collect();
    let id = src.string();
    let mut timestamp = src.string();
    let mut signatures = src.string();
    let payload = src.text();
    // The clock: realistic, or any i64 of seconds (before the epoch too), with nanoseconds.
    let seconds = if flags & 0x20 != 0 { 1_700_000_000 + i64::from(src.u32() >> 2) } else { src.i64() };
    let nanos = src.u32() % 1_000_000_000;
    let now_nanos = i128::from(seconds) * 1_000_000_000 + i128::from(nanos);
    let now = if seconds >= 0 {
        UNIX_EPOCH.checked_add(Duration::new(seconds as u64, nanos))
    } else {
        UNIX_EPOCH.checked_sub(Duration::from_secs(seconds.unsigned_abs())).and_then(|t| t.checked_add(Duration::from_nanos(u64::from(nanos))))
    };
    let Some(now) = now else { return };
    let now_secs = now_nanos.max(0) / 1_000_000_000;

    // A `whsec_` secret with a key from the input.
    if flags & 0x10 != 0 || (flags & 0x02 != 0 && secrets.is_empty()) {
        let key = src.text();
        let encoded = match src.below(3) {
            0 => base64::engine::general_purpose::STANDARD.encode(key),
            1 => base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(key),
            _ => String::from_utf8_lossy(key).into_owned(),
        };
        let secret = format!("{}_{encoded}", src.pick(&["whsec", "", "whsec_x", "sk"]));
        let at = src.below(secrets.len() + 1);
        secrets.insert(at, secret);
    }
    // A timestamp near the clock, written as it may come.
    if flags & 0x01 != 0 {
        let at = now_secs + i128::from(src.delta(400));
        timestamp = match src.below(6) {
            0 => at.to_string(),
            1 => format!("+{at}"),
            2 => format!("000{at}"),
            3 => format!(" {at}\t"),
            4 => format!("\u{3000}{at}\u{a0}"),
            _ => format!("{at}\n"),
        };
    }
    // A signature made here with one of the secrets, among others.
    if flags & 0x02 != 0 && !secrets.is_empty() {
        let secret = src.pick(&secrets).clone();
        if let (Some(key), Some(seconds)) = (secret_key(&secret), parse_timestamp(&timestamp)) {
            let mut mac = hmac(&key, &id, seconds, payload);
            if flags & 0x04 != 0 {
                // Off by one bit, or truncated.
                let at = src.below(mac.len());
                if src.bool() {
                    mac[at] ^= 1 << src.below(8);
                } else {
                    mac.truncate(at);
                }
            }
            let entry = format!("v1,{}", encode_signature(&mut src, &mac));
            signatures = match src.below(3) {
                0 => entry,
                1 => format!("{signatures} {entry}"),
                _ => format!("{entry} {signatures}"),
            };
        }
    }

    let secret_refs: Vec<&str> = secrets.iter().map(String::as_str).collect();
    let actual = verify_signature(&secret_refs, &id, &timestamp, &signatures, payload, now);
    let wanted = expected(&secrets, &id, &timestamp, &signatures, payload, now_nanos);
    assert_eq!(
        actual,
        wanted,
        "verify_signature disagrees with the independent check\n secrets {secrets:?}\n id {id:?}\n timestamp {timestamp:?}\n signatures {signatures:?}\n now {now_nanos} ns\n payload b\"{}\"",
        escaped(payload)
    );
    scalekit_fuzz::tally(actual.map_or_else(|e| e.reason(), |()| "ok"));
    if actual.is_ok() {
        // Spelled out: a valid result is a matching HMAC inside the window, in exact arithmetic.
        let seconds = parse_timestamp(&timestamp).expect("a valid webhook has a timestamp");
        let tolerance = i128::from(WEBHOOK_TOLERANCE.as_secs());
        assert!((now_secs - seconds).abs() <= tolerance, "accepted outside the window: {seconds} at {now_secs}");
        let received: Vec<Vec<u8>> = signatures.split(' ').filter_map(|e| e.strip_prefix("v1,")).map(node_base64).collect();
        assert!(
            secrets.iter().filter_map(|s| secret_key(s)).any(|key| received.contains(&hmac(&key, &id, seconds, payload))),
            "accepted without a matching HMAC"
        );
    }
});
