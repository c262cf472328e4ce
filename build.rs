//! Generates the C header from `src/ffi` with cbindgen. The shared library's soname is
//! set by the Makefile, which builds the C libraries.
//!
//! The header is written to `OUT_DIR`, never into the source tree, so the crate also
//! builds from a read-only or copied source tree (as a dependency, for example). The
//! `c_abi` tests compare the committed `include/sectigo_revoke.h` with it. Set
//! `SECTIGO_REVOKE_UPDATE_HEADER=1` to copy the generated header over the committed one.

use std::env;
use std::path::{Path, PathBuf};

/// File name of the generated header, in `OUT_DIR` and in `include/`.
const HEADER_NAME: &str = "sectigo_revoke.h";

fn main() {
    let crate_dir = PathBuf::from(env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let out_dir = PathBuf::from(env::var("OUT_DIR").expect("cargo sets OUT_DIR"));

    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=cbindgen.toml");
    println!("cargo:rerun-if-changed=src/ffi");
    println!("cargo:rerun-if-env-changed=SECTIGO_REVOKE_UPDATE_HEADER");

    let generated = out_dir.join(HEADER_NAME);
    generate_header(&crate_dir, &generated);
    // Integration tests read this to compare the committed header with the generated one.
    println!("cargo:rustc-env=SECTIGO_REVOKE_GENERATED_HEADER={}", generated.display());

    if env::var_os("SECTIGO_REVOKE_UPDATE_HEADER").is_some_and(|value| value == "1") {
        let committed = crate_dir.join("include").join(HEADER_NAME);
        std::fs::copy(&generated, &committed)
            .unwrap_or_else(|error| panic!("cannot update {}: {error}", committed.display()));
    }
}

/// Runs cbindgen over `src/ffi` with `cbindgen.toml`, filling in the version macros.
fn generate_header(crate_dir: &Path, output: &Path) {
    let config_path = crate_dir.join("cbindgen.toml");
    let mut config = cbindgen::Config::from_file(&config_path)
        .unwrap_or_else(|error| panic!("cannot read {}: {error}", config_path.display()));
    config.after_includes = config.after_includes.map(|text| fill_version(&text));

    // Parsing from src/ffi/mod.rs keeps the core's public constants out of the header
    // and needs no `cargo metadata` call.
    let bindings = cbindgen::Builder::new()
        .with_config(config)
        .with_src(crate_dir.join("src").join("ffi").join("mod.rs"))
        .generate()
        .unwrap_or_else(|error| panic!("cbindgen cannot generate the C header: {error}"));
    bindings.write_to_file(output);
}

/// Replaces `{version}`, `{major}`, `{minor}` and `{patch}` with this package's version.
fn fill_version(text: &str) -> String {
    let part = |name: &str| env::var(name).unwrap_or_else(|_| panic!("cargo sets {name}"));
    text.replace("{version}", &part("CARGO_PKG_VERSION"))
        .replace("{major}", &part("CARGO_PKG_VERSION_MAJOR"))
        .replace("{minor}", &part("CARGO_PKG_VERSION_MINOR"))
        .replace("{patch}", &part("CARGO_PKG_VERSION_PATCH"))
}
