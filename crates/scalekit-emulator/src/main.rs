//! `scalekit-emulator [--host H] [--port N] [--client-id ID] [--client-secret S] [--token-ttl SECONDS] [--max-page-size N]`

use std::time::Duration;

use scalekit_emulator::{Emulator, EmulatorConfig};

fn main() {
    let mut config = EmulatorConfig::default();
    let mut host = "127.0.0.1".to_owned();
    let mut port = 0u16;
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let mut value = || args.next().unwrap_or_else(|| usage(&format!("{flag} needs a value")));
        match flag.as_str() {
            "--host" => host = value(),
            "--port" => port = value().parse().unwrap_or_else(|_| usage("--port takes a number")),
            "--client-id" => config.client_id = value(),
            "--client-secret" => config.client_secret = value(),
            "--max-page-size" => config.max_page_size = value().parse().unwrap_or_else(|_| usage("--max-page-size takes a number")),
            "--token-ttl" => config.token_ttl = Duration::from_secs(value().parse().unwrap_or_else(|_| usage("--token-ttl takes seconds"))),
            "-h" | "--help" => usage(""),
            other => usage(&format!("unknown argument {other}")),
        }
    }
    let client_id = config.client_id.clone();
    let client_secret = config.client_secret.clone();
    let emulator = Emulator::start(&host, port, config).unwrap_or_else(|e| {
        eprintln!("scalekit-emulator: cannot listen on {host}:{port}: {e}");
        std::process::exit(1)
    });
    // One JSON line first, so that scripts can read where it listens.
    println!("{}", serde_json::json!({ "url": emulator.url(), "clientId": client_id, "clientSecret": client_secret }));
    eprintln!("scalekit-emulator listening on {} (Ctrl-C to stop)", emulator.url());
    loop {
        std::thread::park();
    }
}

fn usage(problem: &str) -> ! {
    if !problem.is_empty() {
        eprintln!("scalekit-emulator: {problem}");
    }
    eprintln!("usage: scalekit-emulator [--host H] [--port N] [--client-id ID] [--client-secret S] [--token-ttl SECONDS] [--max-page-size N]");
    std::process::exit(if problem.is_empty() { 0 } else { 2 })
}
