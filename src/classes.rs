//! `classes!`, shared with the emulator's addon (`crates/scalekit-native-testing`).

/// The exported classes whose methods `errors.js` wraps: one line per class.
macro_rules! classes {
    ($($class:path),* $(,)?) => {
        /// `{ Class: { method: ["name: a string", "options?: an object", …] } }` for
        /// every exported class, so that `errors.js` can name the argument napi-rs
        /// could not convert (napi-rs names no argument, and echoes a string value).
        /// Not part of the API.
        #[napi_derive::napi(skip_typescript, js_name = "__jsParameters")]
        pub fn js_parameters() -> std::collections::HashMap<&'static str, std::collections::HashMap<&'static str, Vec<&'static str>>> {
            std::collections::HashMap::from([$(($crate::classes::short_name(stringify!($class)), <$class>::JS_PARAMETERS.iter().map(|(m, p)| (*m, p.to_vec())).collect())),*])
        }

        /// `{ Class: [names of the methods that return a promise] }`, so that `errors.js` turns a bad
        /// argument of those into a rejection, as every other failure of the call is. Not part of the API.
        #[napi_derive::napi(skip_typescript, js_name = "__jsAsyncMethods")]
        pub fn js_async_methods() -> std::collections::HashMap<&'static str, Vec<&'static str>> {
            std::collections::HashMap::from([$(($crate::classes::short_name(stringify!($class)), <$class>::JS_ASYNC.to_vec())),*])
        }
    };
}

/// `client :: ScalekitClient` → `ScalekitClient` (`stringify!` spaces the path).
pub(crate) fn short_name(path: &'static str) -> &'static str {
    path.rsplit("::").next().unwrap_or(path).trim()
}
