//! Embeds every file under `question-banks/` into the binary, so `cargo install proctor`
//! gives a `proctor list` that works from any folder. Writes `$OUT_DIR/embedded_banks.rs`:
//! a sorted slice of (path relative to question-banks/, bytes).

use std::env;
use std::fs;
use std::path::{Path, PathBuf};

fn main() {
    let root = PathBuf::from(env::var("CARGO_MANIFEST_DIR").expect("set by cargo")).join("question-banks");
    println!("cargo:rerun-if-changed={}", root.display());
    let mut files = Vec::new();
    if root.is_dir() {
        collect(&root, &mut files);
    }
    files.sort();
    let mut out = String::from("pub static EMBEDDED_FILES: &[(&str, &[u8])] = &[\n");
    for path in &files {
        let relative = path.strip_prefix(&root).expect("under root");
        let relative = relative.to_string_lossy().replace('\\', "/");
        out.push_str(&format!("    ({relative:?}, include_bytes!({:?})),\n", path.display().to_string()));
    }
    out.push_str("];\n");
    let dest = PathBuf::from(env::var("OUT_DIR").expect("set by cargo")).join("embedded_banks.rs");
    fs::write(dest, out).expect("write embedded_banks.rs");
}

/// Every `.toml` file below `dir`; each folder is also watched for new files.
fn collect(dir: &Path, files: &mut Vec<PathBuf>) {
    println!("cargo:rerun-if-changed={}", dir.display());
    let Ok(entries) = fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, files);
        } else if path.extension().is_some_and(|e| e == "toml") {
            println!("cargo:rerun-if-changed={}", path.display());
            files.push(path);
        }
    }
}
