//! Rust-side cost of validating one access token against cached keys (what `validateAccessToken`
//! runs on the JS thread), over distinct tokens minted by an in-process emulator.
//! `cargo run --release -p scalekit-core --example token_cost [tokens] [rounds]`
//! Reports the fastest round over all the tokens (20 by default), per validation.

use std::time::{Duration, Instant};

use scalekit_core::jwt::{TokenChecks, TokenValidator};

#[tokio::main(flavor = "current_thread")]
async fn main() {
    scalekit_core::install_crypto_provider();
    let count: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(10_000);
    let emulator = scalekit_emulator::Emulator::start("127.0.0.1", 0, Default::default()).expect("emulator");
    let tokens: Vec<String> = (0..count).map(|i| scalekit_emulator::mint_token(emulator.state(), serde_json::json!({ "sub": format!("usr_{i}") }).as_object().unwrap().clone(), 3600, true)).collect();
    let validator = TokenValidator::new(reqwest::Client::new(), &emulator.url(), Duration::from_secs(5));
    let checks = TokenChecks::default();
    validator.validate(&tokens[0], &checks).await.expect("a valid token"); // fetches the keys
    let mut best = f64::INFINITY;
    let rounds: usize = std::env::args().nth(2).and_then(|a| a.parse().ok()).unwrap_or(20);
    for _ in 0..rounds {
        let started = Instant::now();
        for token in &tokens {
            assert!(validator.validate_cached(token, &checks).expect("cached").is_ok());
        }
        best = best.min(started.elapsed().as_secs_f64() * 1e6 / count as f64);
    }
    println!("validate_cached (claims): {best:.2} µs per token ({count} tokens)");
    let mut best = f64::INFINITY;
    for _ in 0..rounds {
        let started = Instant::now();
        for token in &tokens {
            assert!(validator.is_valid_cached(token, &checks).expect("cached"));
        }
        best = best.min(started.elapsed().as_secs_f64() * 1e6 / count as f64);
    }
    println!("is_valid_cached (verdict): {best:.2} µs per token ({count} tokens)");
}
