//! Results cross to JS as camelCase JSON parsed by V8's `JSON.parse`: one
//! N-API string and one call, instead of one N-API call per property. The JSON
//! is transcoded from the wire on the Tokio worker (`scalekit_core::wire`), so
//! the JS thread only parses it.

use napi::bindgen_prelude::{Function, JsObjectValue, Object, ToNapiValue, TypeName, Unknown};
use napi::{sys, Env, JsValue, ValueType};
use scalekit_core::wire::{CamelJson, TopArray};

/// A result already encoded as camelCase JSON text.
pub struct Json {
    text: String,
    /// A big page's items, parsed in slices (see `scalekit_core::wire::TopArray`).
    array: Option<TopArray>,
}

impl Json {
    pub fn new(text: String) -> Json {
        Json { text, array: None }
    }

    /// The length of the text.
    pub fn len(&self) -> usize {
        self.text.len()
    }

    /// Encodes a value with its own serde names (the emulator's JS helpers).
    pub fn encode<T: serde::Serialize>(value: &T) -> napi::Result<Json> {
        serde_json::to_string(value).map(Json::new).map_err(|e| napi::Error::from_reason(format!("cannot encode the result: {e}")))
    }
}

// The emulator's addon, which shares this file, settles no calls of its own and reports no counts.
#[allow(unused_imports)]
pub use external::{parsed_big_texts, set_calls_in_flight};

impl From<CamelJson> for Json {
    fn from(json: CamelJson) -> Json {
        Json { text: json.text, array: json.array }
    }
}

impl TypeName for Json {
    fn type_name() -> &'static str {
        "Json"
    }
    fn value_type() -> ValueType {
        ValueType::Object
    }
}

impl ToNapiValue for Json {
    unsafe fn to_napi_value(raw_env: sys::napi_env, value: Self) -> napi::Result<sys::napi_value> {
        let Json { mut text, array } = value;
        let parsed = unsafe { parse(raw_env, &mut text, array) };
        // The transcoder's buffer, for the next big result (`scalekit_core::buffers`).
        scalekit_core::buffers::give(text.into_bytes());
        parsed
    }
}

/// `JSON.parse` of `text`: from reused memory when it is big, else from a copy, a big page in slices.
unsafe fn parse(raw_env: sys::napi_env, text: &mut String, array: Option<TopArray>) -> napi::Result<sys::napi_value> {
    let env = Env::from_raw(raw_env);
    let json: Object = env.get_global()?.get_named_property("JSON")?;
    let parse: Function<Unknown, Unknown> = json.get_named_property("parse")?;
    let parse_text = |text: &[u8]| -> napi::Result<Unknown> {
        let string = unsafe { js_string(raw_env, text)? };
        parse.call(unsafe { Unknown::from_raw_unchecked(raw_env, string) })
    };
    if let Some(parsed) = unsafe { external::parse(raw_env, &parse, text) } {
        return parsed;
    }
    let Some(array) = array else {
        return Ok(parse_text(text.as_bytes())?.raw());
    };
    // The page without its items, then the items in slices of up to SLICE_BYTES, joined with `concat`.
    let mut rest = Vec::with_capacity(text.len() - (array.close - array.open) + 1);
    rest.extend_from_slice(&text.as_bytes()[..array.open]);
    rest.extend_from_slice(b"[]");
    rest.extend_from_slice(&text.as_bytes()[array.close + 1..]);
    let mut page = Object::from_raw(raw_env, parse_text(&rest)?.raw());
    // SAFETY: only the ASCII bytes around slices are rewritten (`,` ↔ `[`/`]`), so the text stays UTF-8.
    let bytes = unsafe { text.as_mut_vec() };
    let mut slices: Vec<sys::napi_value> = Vec::new();
    let mut first = 0;
    while first < array.elements.len() {
        let start = array.elements[first].0;
        let mut last = first;
        while last + 1 < array.elements.len() && array.elements[last + 1].1 - start <= SLICE_BYTES {
            last += 1;
        }
        let end = array.elements[last].1;
        let (before, after) = (bytes[start - 1], bytes[end]);
        bytes[start - 1] = b'[';
        bytes[end] = b']';
        slices.push(parse_text(&bytes[start - 1..=end])?.raw());
        bytes[start - 1] = before;
        bytes[end] = after;
        first = last + 1;
    }
    // `first.concat(second, third, …)`: one array of every item.
    let head = Object::from_raw(raw_env, slices[0]);
    let concat: Unknown = head.get_named_property("concat")?;
    let mut items = std::ptr::null_mut();
    napi::check_status!(unsafe { sys::napi_call_function(raw_env, slices[0], concat.raw(), slices.len() - 1, slices[1..].as_ptr(), &mut items) })?;
    page.set_named_property(array.key, Unknown::from_raw_unchecked(raw_env, items))?;
    Ok(page.raw())
}

/// Slices of a big page stay under V8's large-object threshold (128 kB): a string above it lands in freshly
/// mapped memory, whose page faults cost more than parsing it in pieces.
const SLICE_BYTES: usize = 64 * 1024;

/// A JS string of JSON text: almost always ASCII, which V8 copies as a one-byte string without decoding UTF-8.
unsafe fn js_string(env: sys::napi_env, text: &[u8]) -> napi::Result<sys::napi_value> {
    let mut raw = std::ptr::null_mut();
    if text.is_ascii() {
        napi::check_status!(unsafe { sys::napi_create_string_latin1(env, text.as_ptr().cast(), text.len() as isize, &mut raw) })?;
    } else {
        napi::check_status!(unsafe { sys::napi_create_string_utf8(env, text.as_ptr().cast(), text.len() as isize, &mut raw) })?;
    }
    Ok(raw)
}

/// Big texts parsed from an external one-byte string over memory this JS thread reuses.
///
/// A string V8 copies (`napi_create_string_latin1`) puts the whole text in the young generation: for a page of
/// organizations that is a third to a half of what parsing it allocates there, so scavenges come that much more
/// often, and with calls in flight each one can promote a half-parsed page. An external string's text stays
/// outside V8's heap. V8 reads it only while `JSON.parse` runs (without a reviver
/// it copies every string it makes) and nothing keeps the string afterwards, so the next text reuses the same
/// memory, which is freed only once V8 has finalized every string made over it. A `JSON.parse` that is not V8's
/// own could keep its argument: then the text is copied as before.
mod external {
    use std::cell::{Cell, RefCell, UnsafeCell};
    use std::ffi::c_void;
    use std::sync::{Arc, OnceLock};

    use napi::bindgen_prelude::{Function, Unknown};
    use napi::{sys, JsValue};

    /// Texts from this size on (smaller ones copy faster than an external string is made and finalized).
    const MIN_BYTES: usize = 16 * 1024;
    /// Memory a JS thread keeps for reuse; a bigger text is copied by V8 as before.
    const MAX_BYTES: usize = 4 * 1024 * 1024;
    /// With more calls than this still in flight on the thread, texts are copied. Their promises are old by the
    /// time they settle, so every page survives to old space whichever way it is parsed, and external strings only
    /// made V8 grow its young generation: at 128 calls in flight, peak RSS +10–15 % and CPU +1–4 %.
    const MAX_IN_FLIGHT: usize = 64;

    thread_local! {
        static IN_FLIGHT: Cell<usize> = const { Cell::new(0) };
        static ARENA: RefCell<Option<Arc<Arena>>> = const { RefCell::new(None) };
        /// Big texts (from MIN_BYTES on) this thread parsed from the arena, and those it copied.
        static COUNTS: Cell<(u32, u32)> = const { Cell::new((0, 0)) };
    }

    /// How many big texts this JS thread parsed from reused memory, and how many it copied (for the tests).
    #[allow(dead_code)]
    pub fn parsed_big_texts() -> (u32, u32) {
        COUNTS.with(Cell::get)
    }

    /// How many other calls of this JS thread are in flight while a result is parsed.
    #[allow(dead_code)]
    pub fn set_calls_in_flight(calls: usize) {
        IN_FLIGHT.with(|cell| cell.set(calls));
    }

    type CreateExternal = unsafe extern "C" fn(sys::napi_env, *mut std::ffi::c_char, isize, Option<unsafe extern "C" fn(sys::napi_env, *mut c_void, *mut c_void)>, *mut c_void, *mut sys::napi_value, *mut bool) -> sys::napi_status;

    /// `node_api_create_external_string_latin1` (Node.js 20.4, 18.18), looked up at run time so that older
    /// versions still load the addon.
    fn create_external() -> Option<CreateExternal> {
        static CREATE: OnceLock<Option<CreateExternal>> = OnceLock::new();
        *CREATE.get_or_init(|| {
            #[cfg(unix)]
            {
                let symbol = unsafe { libc::dlsym(libc::RTLD_DEFAULT, c"node_api_create_external_string_latin1".as_ptr()) };
                (!symbol.is_null()).then(|| unsafe { std::mem::transmute::<*mut c_void, CreateExternal>(symbol) })
            }
            #[cfg(not(unix))]
            None
        })
    }

    struct Arena(UnsafeCell<Box<[u8]>>);

    // SAFETY: only the JS thread that owns the arena writes it, while its thread-local keeps it alive; finalizers
    // only drop their reference.
    unsafe impl Send for Arena {}
    unsafe impl Sync for Arena {}

    unsafe extern "C" fn release(_env: sys::napi_env, _data: *mut c_void, hint: *mut c_void) {
        drop(unsafe { Arc::from_raw(hint as *const Arena) });
    }

    /// `JSON.parse(text)` from an external string, or `None` when that cannot be done here.
    pub unsafe fn parse(env: sys::napi_env, parse: &Function<Unknown, Unknown>, text: &str) -> Option<napi::Result<sys::napi_value>> {
        if text.len() < MIN_BYTES {
            return None;
        }
        let parsed = unsafe { parse_external(env, parse, text) };
        COUNTS.with(|counts| {
            let (external, copied) = counts.get();
            counts.set(if parsed.is_some() { (external.wrapping_add(1), copied) } else { (external, copied.wrapping_add(1)) });
        });
        parsed
    }

    unsafe fn parse_external(env: sys::napi_env, parse: &Function<Unknown, Unknown>, text: &str) -> Option<napi::Result<sys::napi_value>> {
        if IN_FLIGHT.with(|cell| cell.get()) > MAX_IN_FLIGHT {
            return None;
        }
        let len = ascii_len(text.as_bytes());
        if len > MAX_BYTES {
            return None;
        }
        let create = create_external()?;
        if !unsafe { is_builtin(env, parse.raw()) } {
            return None;
        }
        ARENA.with(|cell| {
            // Busy: a parse on this thread is still running (V8's own never calls back into JS; this is a guard).
            let mut arena = cell.try_borrow_mut().ok()?;
            if arena.as_ref().is_none_or(|a| unsafe { (&*a.0.get()).len() } < len) {
                *arena = Some(Arc::new(Arena(UnsafeCell::new(vec![0; len.next_power_of_two().min(MAX_BYTES)].into_boxed_slice()))));
            }
            let arena = arena.as_ref().expect("set above");
            let bytes = unsafe { &mut *arena.0.get() };
            write_ascii(text, &mut bytes[..len]);
            let hint = Arc::into_raw(arena.clone());
            let mut string = std::ptr::null_mut();
            let mut copied = false;
            let status = unsafe { create(env, bytes.as_mut_ptr().cast(), len as isize, Some(release), hint as *mut c_void, &mut string, &mut copied) };
            if status != sys::Status::napi_ok {
                // Whether the finalizer ran is not said: keep the reference rather than risk dropping it twice.
                return None;
            }
            let parsed = parse.call(unsafe { Unknown::from_raw_unchecked(env, string) }).map(|value| value.raw());
            if parsed.is_err() {
                // V8 keeps the source of a failed parse (for the error's location and the inspector): leave it its bytes.
                *cell.borrow_mut() = None;
            }
            Some(parsed)
        })
    }

    /// Whether `parse` is V8's own `JSON.parse`: a replacement could keep the string it is given. Its source is read
    /// with `Function.prototype.toString` called on it, not through its own `toString`, which a wrapper could set.
    unsafe fn is_builtin(env: sys::napi_env, parse: sys::napi_value) -> bool {
        const BUILTIN: &[u8] = b"function parse() { [native code] }";
        let mut global = std::ptr::null_mut();
        let mut function = std::ptr::null_mut();
        let mut prototype = std::ptr::null_mut();
        let mut to_string = std::ptr::null_mut();
        let mut source = std::ptr::null_mut();
        let mut buffer = [0u8; 64];
        let mut len = 0;
        let ok = |status| status == sys::Status::napi_ok;
        unsafe {
            let read = ok(sys::napi_get_global(env, &mut global))
                && ok(sys::napi_get_named_property(env, global, c"Function".as_ptr(), &mut function))
                && ok(sys::napi_get_named_property(env, function, c"prototype".as_ptr(), &mut prototype))
                && ok(sys::napi_get_named_property(env, prototype, c"toString".as_ptr(), &mut to_string))
                && ok(sys::napi_call_function(env, parse, to_string, 0, std::ptr::null(), &mut source));
            if !read {
                // Something threw (not a function, a getter): not the built-in, and the exception is not the caller's.
                let mut exception = std::ptr::null_mut();
                sys::napi_get_and_clear_last_exception(env, &mut exception);
                return false;
            }
            ok(sys::napi_get_value_string_latin1(env, source, buffer.as_mut_ptr().cast(), buffer.len(), &mut len)) && &buffer[..len] == BUILTIN
        }
    }

    /// The length of `json` with every non-ASCII character written as `\u` escapes, which one-byte
    /// strings need. Outside strings valid JSON is ASCII, so only string contents change, to the same text.
    fn ascii_len(json: &[u8]) -> usize {
        if json.is_ascii() {
            return json.len();
        }
        json.iter().map(|&b| match b {
            0xC0..=0xDF => 4, // 2 bytes → \uXXXX
            0xE0..=0xEF => 3, // 3 bytes → \uXXXX
            0xF0..=0xF7 => 8, // 4 bytes → a surrogate pair, 12 bytes
            _ => 0,
        }).sum::<usize>() + json.len()
    }

    /// Writes `text` into `out`, exactly `ascii_len(text)` bytes long, escaping non-ASCII.
    fn write_ascii(text: &str, out: &mut [u8]) {
        let json = text.as_bytes();
        if json.len() == out.len() {
            out.copy_from_slice(json);
            return;
        }
        let mut at = 0;
        let mut put = |bytes: &[u8]| {
            out[at..at + bytes.len()].copy_from_slice(bytes);
            at += bytes.len();
        };
        let mut plain = 0;
        for (index, ch) in text.char_indices().filter(|(_, c)| !c.is_ascii()) {
            put(&json[plain..index]);
            plain = index + ch.len_utf8();
            for unit in ch.encode_utf16(&mut [0; 2]) {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                let digit = |shift: u16| HEX[(*unit >> shift & 0xF) as usize];
                put(&[b'\\', b'u', digit(12), digit(8), digit(4), digit(0)]);
            }
        }
        put(&json[plain..]);
        debug_assert_eq!(at, out.len());
    }
}
