//! napi-rs bindings: marshaling and error mapping only. Everything else lives
//! in `scalekit-core` (client) and `scalekit-emulator` (test server).

mod client;
mod errors;
mod json;
mod organization;
mod testing;
mod user;

/// mimalloc measured cheaper than glibc's malloc for the many small allocations of
/// decoding (bench/run.js: list100 0.71-0.88x against 0.93-1.02x of undici's CPU).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// One small runtime for every client in the process: the work per call is
/// tiny, and extra workers only add thread hand-offs.
#[napi_derive::module_init]
fn init() {
    scalekit_core::install_crypto_provider();
    let workers = std::env::var("SCALEKIT_NATIVE_THREADS").ok().and_then(|v| v.parse().ok()).filter(|&n: &usize| n > 0).unwrap_or(1);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(workers)
        .thread_name("scalekit-native")
        .enable_all()
        .build()
        .expect("scalekit-native: cannot start the Tokio runtime");
    napi::bindgen_prelude::create_custom_tokio_runtime(runtime);
}
