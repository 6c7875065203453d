//! The emulator's addon, loaded only by `scalekit-native/testing`: production code
//! that requires `scalekit-native` never maps the test server into memory, and the
//! client's binary stays small. It shares the bindings' JSON results, error payloads
//! and class tables with the client's addon, from the same files.

#[path = "../../../src/classes.rs"]
#[macro_use]
mod classes;
mod emulator;
mod mcp;
#[path = "../../../src/errors.rs"]
#[allow(dead_code)] // the emulator raises only input errors
mod errors;
#[path = "../../../src/json.rs"]
mod json;

/// The emulator serves from its own thread; this runtime only runs `start`.
#[napi_derive::module_init]
fn init() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .thread_name("scalekit-testing") // 15 characters show: not the client's "scalekit-native"
        .enable_all()
        .build()
        .expect("scalekit-native/testing: cannot start the Tokio runtime");
    napi::bindgen_prelude::create_custom_tokio_runtime(runtime);
}

classes!(emulator::ScalekitEmulator, mcp::McpEmulator);
