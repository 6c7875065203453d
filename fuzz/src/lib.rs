//! What the fuzz targets share: a reader that turns libFuzzer's bytes into choices and strings.
//!
//! Strings are runs of bytes up to a `\0` (or the end), so that dictionary words and readable seed
//! files land in the input as whole strings; a choice is one byte (or a few, little-endian). Past the
//! end of the input every choice is 0 and every string empty, so any input is a complete one.

pub struct Source<'a> {
    data: &'a [u8],
    pos: usize,
}

impl<'a> Source<'a> {
    pub fn new(data: &'a [u8]) -> Self {
        Source { data, pos: 0 }
    }

    pub fn is_empty(&self) -> bool {
        self.pos >= self.data.len()
    }

    pub fn byte(&mut self) -> u8 {
        let byte = self.data.get(self.pos).copied().unwrap_or(0);
        self.pos += 1;
        byte
    }

    /// A choice in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        match n {
            0 | 1 => 0,
            2..=256 => self.byte() as usize % n,
            257..=65_536 => self.u16() as usize % n,
            _ => self.u32() as usize % n,
        }
    }

    /// True once in `n` (on a uniform byte); false past the end of the input, so that the common
    /// case is what an input of zeros gives.
    pub fn one_in(&mut self, n: u8) -> bool {
        let n = n.max(1);
        self.byte() % n == n - 1
    }

    pub fn bool(&mut self) -> bool {
        self.byte() & 1 == 1
    }

    pub fn u16(&mut self) -> u16 {
        u16::from_le_bytes([self.byte(), self.byte()])
    }

    pub fn u32(&mut self) -> u32 {
        u32::from_le_bytes([self.byte(), self.byte(), self.byte(), self.byte()])
    }

    pub fn u64(&mut self) -> u64 {
        u64::from(self.u32()) | u64::from(self.u32()) << 32
    }

    pub fn i64(&mut self) -> i64 {
        self.u64() as i64
    }

    /// A signed delta in `-range..=range`.
    pub fn delta(&mut self, range: i64) -> i64 {
        i64::from(self.u16() as i16) % (range + 1)
    }

    pub fn pick<'t, T>(&mut self, items: &'t [T]) -> &'t T {
        &items[self.below(items.len())]
    }

    /// The bytes up to the next `\0` (consumed, not returned), at most 4 kB.
    pub fn text(&mut self) -> &'a [u8] {
        let rest = self.data.get(self.pos..).unwrap_or_default();
        let len = rest.iter().take(4096).position(|&b| b == 0).unwrap_or(rest.len().min(4096));
        self.pos += len + 1;
        &rest[..len]
    }

    /// [`text`](Self::text) as a string (invalid UTF-8 replaced, as a JS string would hold it).
    pub fn string(&mut self) -> String {
        String::from_utf8_lossy(self.text()).into_owned()
    }

    /// Everything not read yet.
    pub fn rest(&mut self) -> &'a [u8] {
        let rest = self.data.get(self.pos..).unwrap_or_default();
        self.pos = self.data.len();
        rest
    }
}

/// Bytes as a Rust byte-string literal body, for reproducers in panic messages.
pub fn escaped(bytes: &[u8]) -> String {
    bytes.escape_ascii().to_string()
}

/// Counts outcomes when `SCALEKIT_FUZZ_TALLY` is set, and prints the counts to stderr at every power
/// of two: a way to see that a target reaches what it is meant to (valid webhooks, accepted tokens,
/// documents both paths accept), e.g. `SCALEKIT_FUZZ_TALLY=1 cargo +nightly fuzz run token corpus/token -- -runs=0`.
pub fn tally(outcome: &str) {
    use std::collections::BTreeMap;
    use std::sync::Mutex;
    static COUNTS: Mutex<(u64, BTreeMap<String, u64>)> = Mutex::new((0, BTreeMap::new()));
    if !tallying() {
        return;
    }
    let mut counts = COUNTS.lock().unwrap();
    counts.0 += 1;
    *counts.1.entry(outcome.to_owned()).or_default() += 1;
    if counts.0.is_power_of_two() {
        eprintln!("tally after {}: {:?}", counts.0, counts.1);
    }
}

/// Whether `SCALEKIT_FUZZ_STRICT` is set: the targets then fail on the deviations they otherwise
/// tolerate and tally (each target lists its own; they are known and reported, not yet fixed).
pub fn strict() -> bool {
    use std::sync::OnceLock;
    static STRICT: OnceLock<bool> = OnceLock::new();
    *STRICT.get_or_init(|| std::env::var_os("SCALEKIT_FUZZ_STRICT").is_some())
}

/// Whether [`tally`] counts (to skip building a costly outcome name when it does not).
pub fn tallying() -> bool {
    use std::sync::OnceLock;
    static ON: OnceLock<bool> = OnceLock::new();
    *ON.get_or_init(|| std::env::var_os("SCALEKIT_FUZZ_TALLY").is_some())
}

