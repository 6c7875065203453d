fn main() {
    // napi-derive writes TypeScript definitions while this crate compiles. When
    // `napi build` points it at a new folder, recompile so the types are written there too.
    println!("cargo:rerun-if-env-changed=NAPI_TYPE_DEF_TMP_FOLDER");
    println!("cargo:rustc-env=SCALEKIT_NAPI_TYPE_DEF_FOLDER={}", std::env::var("NAPI_TYPE_DEF_TMP_FOLDER").unwrap_or_default());
}
