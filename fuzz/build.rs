//! Reads the lists the targets must cover from the sources themselves, so that a new model or a new
//! route is fuzzed without anyone remembering to add it here:
//! - `models.rs`: `models!(A, B, …)`, every struct of `scalekit_core::models` with a `WireShape`
//!   (`#[model]` or a derive that names it), in file and declaration order;
//! - `routes.rs`: `ROUTES`, every path the emulator's router declares (`.route("…")`), with
//!   `/api/v1` in front of those of the nested API router.

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let out = std::env::var("OUT_DIR").expect("OUT_DIR");

    let models_dir = root.join("crates/scalekit-core/src/models");
    println!("cargo:rerun-if-changed={}", models_dir.display());
    let mut files: Vec<_> = std::fs::read_dir(&models_dir).expect("the models directory").map(|e| e.expect("an entry").path()).collect();
    files.retain(|p| p.extension().is_some_and(|e| e == "rs"));
    files.sort();
    let mut models = Vec::new();
    for file in &files {
        println!("cargo:rerun-if-changed={}", file.display());
        let text = std::fs::read_to_string(file).expect("a model file");
        let mut marked = false;
        for line in text.lines().map(str::trim) {
            if line == "#[model]" || line == "#[scalekit_derive::model]" || (line.starts_with("#[derive(") && line.contains("WireShape")) {
                marked = true;
            } else if marked && (line.starts_with("pub struct ") || line.starts_with("pub enum ") || line.starts_with("struct ") || line.starts_with("pub(")) {
                if let Some(rest) = line.strip_prefix("pub struct ") {
                    let name: String = rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
                    models.push(name);
                }
                marked = false;
            }
        }
    }
    assert!(models.len() > 100, "found only {} models with a WireShape: has the models' layout changed?", models.len());
    std::fs::write(Path::new(&out).join("models.rs"), format!("models!({});\n", models.join(", "))).expect("write models.rs");

    let lib = root.join("crates/scalekit-emulator/src/lib.rs");
    println!("cargo:rerun-if-changed={}", lib.display());
    let text = std::fs::read_to_string(&lib).expect("the emulator's lib.rs");
    // The API router is `let api = Router::new()…;`, the outer one starts on a line of its own.
    let api_start = text.find("let api = Router::new()").expect("the API router");
    let outer_start = api_start + text[api_start..].find("\n    Router::new()\n").expect("the outer router");
    let mut routes = String::from("pub const ROUTES: &[&str] = &[\n");
    let mut count = 0;
    for (at, _) in text.match_indices(".route(\"") {
        let path = &text[at + 8..];
        let path = &path[..path.find('"').expect("a closing quote")];
        let prefix = if at > api_start && at < outer_start { "/api/v1" } else { "" };
        writeln!(routes, "    {:?},", format!("{prefix}{path}")).unwrap();
        count += 1;
    }
    routes.push_str("];\n");
    assert!(count > 50, "found only {count} routes: has the router's layout changed?");
    std::fs::write(Path::new(&out).join("routes.rs"), routes).expect("write routes.rs");
}
