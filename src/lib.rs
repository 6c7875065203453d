//! napi-rs bindings: marshaling and error mapping only. Everything else lives
//! in `scalekit-core`. The emulator has its own addon (`crates/scalekit-native-testing`),
//! so that it adds nothing to the binary production code loads.

mod actions;
mod auth;
mod call;
#[macro_use]
mod classes;
mod client;
mod completion;
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
mod resource_server;
mod sealer;
mod role;
mod session;
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
        .on_thread_park(completion::flush_held)
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
    resource_server::McpResourceServerCore,
    sealer::SessionSealer,
);

/// For the tests: how many big results this JS thread parsed from reused memory, and how many it copied
/// (`src/json.rs`).
#[napi_derive::napi(skip_typescript, js_name = "__parsedBigTexts")]
pub fn parsed_big_texts() -> Vec<u32> {
    let (external, copied) = json::parsed_big_texts();
    vec![external, copied]
}
