//! napi-rs bindings: marshaling and error mapping only. Everything else lives
//! in `scalekit-core` (client) and `scalekit-emulator` (test server).

use std::collections::HashMap;

mod actions;
mod auth;
mod call;
mod client;
mod connected_accounts;
mod connection;
mod directory;
mod domain;
mod enums;
mod errors;
mod events;
mod json;
mod m2m;
mod organization;
mod passwordless;
mod permission;
mod platform;
mod role;
mod session;
mod testing;
mod token;
mod tools;
mod user;
mod webauthn;

/// One small runtime for every client in the process: the work per call is
/// tiny, and extra workers only add thread hand-offs.
#[napi_derive::module_init]
fn init() {
    scalekit_core::install_crypto_provider();
    let workers = std::env::var("SCALEKIT_NATIVE_THREADS").ok().and_then(|v| v.parse().ok()).filter(|&n: &usize| n > 0).unwrap_or(1);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(workers)
        .thread_name("scalekit-native")
        .on_thread_start(yield_to_javascript)
        .enable_all()
        .build()
        .expect("scalekit-native: cannot start the Tokio runtime");
    napi::bindgen_prelude::create_custom_tokio_runtime(runtime);
}

/// Our worker only moves bytes for the JS thread, so it should not preempt it
/// when both share a core: as SCHED_BATCH it runs when JS waits, instead of
/// switching back and forth on every wake-up (context switches per call at
/// concurrency 1: 5.8 → 3.1, measured from /proc; see the README). Best effort.
fn yield_to_javascript() {
    #[cfg(target_os = "linux")]
    {
        let param = libc::sched_param { sched_priority: 0 };
        // SAFETY: plain syscall on the calling thread with a valid parameter.
        unsafe { libc::sched_setscheduler(0, libc::SCHED_BATCH, &param) };
    }
}

/// The exported classes whose methods `errors.js` wraps: one line per class.
macro_rules! classes {
    ($($class:path),* $(,)?) => {
        /// `{ Class: { method: ["name: a string", "options?: an object", …] } }` for
        /// every exported class, so that `errors.js` can name the argument napi-rs
        /// could not convert (napi-rs names no argument, and echoes a string value).
        /// Not part of the API.
        #[napi_derive::napi(skip_typescript, js_name = "__jsParameters")]
        pub fn js_parameters() -> HashMap<&'static str, HashMap<&'static str, Vec<&'static str>>> {
            HashMap::from([$((short_name(stringify!($class)), <$class>::JS_PARAMETERS.iter().map(|(m, p)| (*m, p.to_vec())).collect())),*])
        }

        /// `{ Class: [names of the methods that return a promise] }`, so that `errors.js` turns a bad
        /// argument of those into a rejection, as every other failure of the call is. Not part of the API.
        #[napi_derive::napi(skip_typescript, js_name = "__jsAsyncMethods")]
        pub fn js_async_methods() -> HashMap<&'static str, Vec<&'static str>> {
            HashMap::from([$((short_name(stringify!($class)), <$class>::JS_ASYNC.to_vec())),*])
        }
    };
}

/// `client :: ScalekitClient` → `ScalekitClient` (`stringify!` spaces the path).
fn short_name(path: &'static str) -> &'static str {
    path.rsplit("::").next().unwrap_or(path).trim()
}

classes!(
    client::ScalekitClient,
    organization::OrganizationClient,
    user::UserClient,
    domain::DomainClient,
    session::SessionClient,
    connection::ConnectionClient,
    directory::DirectoryClient,
    role::RoleClient,
    permission::PermissionClient,
    passwordless::PasswordlessClient,
    webauthn::WebAuthnClient,
    token::TokenClient,
    m2m::M2MClient,
    auth::AuthClient,
    events::EventsClient,
    tools::ToolsClient,
    connected_accounts::ConnectedAccountsClient,
    actions::ActionsClient,
    platform::ProvidersClient,
    platform::AuditLogsClient,
    platform::McpClient,
    testing::ScalekitEmulator,
);
