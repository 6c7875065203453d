//! Big byte buffers kept for reuse: joined response bodies and transcoded results.
//!
//! Once glibc has trimmed its heap, a fresh 600 kB buffer is fresh memory from the kernel: about 150 page faults
//! (~150 µs of system time) each time a big page is read or transcoded. The few buffers kept here are reused
//! instead; calls beyond them allocate as before.

use std::sync::{Mutex, PoisonError};

/// Smaller buffers are not kept: the allocator serves them from its free lists.
pub const MIN_KEPT: usize = 64 * 1024;
/// Nor bigger ones: memory held for a rare huge page.
pub const MAX_KEPT: usize = 4 * 1024 * 1024;
/// How many are kept.
const KEPT: usize = 4;

static KEPT_BUFFERS: Kept = Kept(Mutex::new(Vec::new()));

/// An empty buffer with room for `capacity` bytes: a kept one when one is free.
pub fn take(capacity: usize) -> Vec<u8> {
    KEPT_BUFFERS.take(capacity)
}

/// Hands a buffer back once its contents are no longer needed.
pub fn give(buffer: Vec<u8>) {
    KEPT_BUFFERS.give(buffer)
}

struct Kept(Mutex<Vec<Vec<u8>>>);

impl Kept {
    fn take(&self, capacity: usize) -> Vec<u8> {
        if (MIN_KEPT..=MAX_KEPT).contains(&capacity) {
            let reused = {
                let mut kept = self.0.lock().unwrap_or_else(PoisonError::into_inner);
                // The smallest that fits, else the largest (grown below).
                let fits = (0..kept.len()).filter(|&i| kept[i].capacity() >= capacity).min_by_key(|&i| kept[i].capacity());
                let index = fits.or_else(|| (0..kept.len()).max_by_key(|&i| kept[i].capacity()));
                index.map(|i| kept.swap_remove(i))
            };
            if let Some(mut buffer) = reused {
                buffer.reserve(capacity);
                return buffer;
            }
        }
        Vec::with_capacity(capacity)
    }

    fn give(&self, mut buffer: Vec<u8>) {
        if !(MIN_KEPT..=MAX_KEPT).contains(&buffer.capacity()) {
            return;
        }
        buffer.clear();
        let mut kept = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        if kept.len() < KEPT {
            kept.push(buffer);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn big_buffers_are_reused_and_small_ones_are_not() {
        let pool = Kept(Mutex::new(Vec::new()));
        let (take, give) = (|n| pool.take(n), |b| pool.give(b));
        let buffer = take(100_000);
        let address = buffer.as_ptr();
        give(buffer);
        give(Vec::with_capacity(2_000_000));
        let again = take(90_000);
        assert_eq!(again.as_ptr(), address, "the smallest kept buffer that fits is handed out again");
        assert!(again.is_empty() && again.capacity() >= 100_000);
        give(again);
        let grown = take(3_000_000);
        assert!(grown.capacity() >= 3_000_000);
        give(grown);
        let small = take(1000);
        assert!(small.capacity() >= 1000);
        give(small);
        give(Vec::with_capacity(MAX_KEPT * 2));
        for _ in 0..KEPT + 2 {
            give(Vec::with_capacity(MIN_KEPT));
        }
        let kept = pool.0.lock().unwrap();
        assert_eq!(kept.len(), KEPT);
        assert!(kept.iter().all(|b| (MIN_KEPT..=MAX_KEPT).contains(&b.capacity()) && b.is_empty()));
    }
}
