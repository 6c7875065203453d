//! Rust-side cost of one list response: wire JSON → typed models → camelCase JSON,
//! against the one-pass transcoder the addon uses.
//! `cargo run --release -p scalekit-core --example model_cost [organizations] [step] [realistic]`
//! (`step`: run only the steps whose name contains it, e.g. under `perf record`)
//! Reports the fastest of 300 rounds per step (the machine is noisy; the minimum is stable).

use std::time::Instant;

use scalekit_core::models::ListOrganizationsResponse;
use scalekit_core::wire::{to_camel_json, WireShape};

const ROUNDS: usize = 300;

fn fastest(rounds: usize, mut f: impl FnMut()) -> f64 {
    (0..rounds)
        .map(|_| {
            let t0 = Instant::now();
            f();
            t0.elapsed().as_secs_f64() * 1e6
        })
        .fold(f64::INFINITY, f64::min)
}

fn run(only: &str, name: &str, step: impl FnMut()) {
    if name.contains(only) {
        println!("  {name:<28} {:>7.0} µs", fastest(ROUNDS, step));
    }
}

fn main() {
    let count: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(1000);
    let realistic = std::env::args().any(|a| a == "realistic");
    let organizations: Vec<serde_json::Value> = (0..count)
        .map(|i| {
            if realistic {
                // As bench/fixtures.js: every optional field, 3 metadata entries, 4 feature flags.
                return serde_json::json!({
                    "id": format!("org_{}", 70000000000000000u64 + i as u64), "environment_id": "env_59615193906282001",
                    "display_name": format!("Customer Organization {i} Holdings, Inc."), "external_id": format!("crm-account-{}", 100000 + i),
                    "region_code": "EU", "slug": format!("customer-organization-{i}"), "logo_url": format!("https://cdn.example.com/logos/customer-{i}.png"),
                    "create_time": "2025-01-01T09:30:00.123456Z", "update_time": "2025-01-01T09:30:42.123456Z",
                    "metadata": { "salesforce_account_id": format!("0015g00000{i:08}"), "plan": "enterprise", "billing_region": "emea" },
                    "settings": { "features": [ { "name": "sso", "enabled": true }, { "name": "dir_sync", "enabled": false }, { "name": "mfa", "enabled": true }, { "name": "audit_logs", "enabled": false } ] },
                });
            }
            serde_json::json!({
                "id": format!("org_{}", 59615193906282001u64 + i as u64),
                "display_name": format!("Organization {}", i + 1),
                "external_id": null, "region_code": "US", "logo_url": null, "slug": null, "metadata": {},
                "settings": { "features": [ { "name": "sso", "enabled": false }, { "name": "dir_sync", "enabled": false } ] },
                "create_time": "2026-11-27T18:41:31.123456789Z", "update_time": "2026-11-27T18:41:31.123456789Z",
            })
        })
        .collect();
    let wire = serde_json::to_vec(&serde_json::json!({
        "organizations": organizations, "next_page_token": "", "prev_page_token": "", "total_size": count,
    }))
    .unwrap();
    let parsed: ListOrganizationsResponse = serde_json::from_slice(&wire).unwrap();
    println!("{count} organizations, wire {} bytes, camelCase {} bytes", wire.len(), serde_json::to_string(&parsed).unwrap().len());
    let only = std::env::args().nth(2).unwrap_or_default();
    run(&only, "serde_json typed decode", || {
        std::hint::black_box(serde_json::from_slice::<ListOrganizationsResponse>(&wire).unwrap());
    });
    run(&only, "serde_json encode", || {
        std::hint::black_box(serde_json::to_string(&parsed).unwrap());
    });
    run(&only, "transcode (the addon's path)", || {
        std::hint::black_box(to_camel_json(&ListOrganizationsResponse::SHAPE, &wire).unwrap());
    });
    run(&only, "serde_json Value decode", || {
        std::hint::black_box(serde_json::from_slice::<serde_json::Value>(&wire).unwrap());
    });
}
