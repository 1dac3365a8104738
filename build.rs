//! Embeds every file under `question-banks/` into the binary, so `cargo install proctor`
//! gives a `proctor list` that works from any folder, and checks each shipped exam with the
//! bank loader itself (compiled into this script from src/bank and src/text.rs): an exam
//! that passes is also embedded encoded (see src/bank/prebuilt.rs), so starting it decodes
//! bytes instead of parsing TOML. An exam with errors is embedded as TOML only and a
//! warning says so; at run time it fails as any broken bank does, and `proctor check`
//! (and CI) list its problems. Writes `$OUT_DIR/embedded_banks.rs`.

// The loader's run-time-only parts (catalog, diagnostics output) are unused here.
#![allow(dead_code)]

#[path = "src/text.rs"]
mod text;

#[path = "src/bank/mod.rs"]
mod bank;

#[path = "src/program.rs"]
mod program;

/// What `bank::source` reads at run time from the generated file; empty while the script
/// itself is compiled (it embeds the files it finds instead).
mod shipped {
    pub static EMBEDDED_FILES: crate::bank::source::EmbeddedFiles = &[];
    pub static PREBUILT_EXAMS: crate::bank::source::PrebuiltExams = &[];
    pub static PREBUILT_PROGRAM: &[u8] = &[];
    pub static RETIREMENT_NOTES: &[(&str, &str)] = &[];
}

use std::env;
use std::fs;
use std::path::{Path, PathBuf};

use bank::source::{self, SHIPPED_ROOT};

fn main() {
    let manifest = PathBuf::from(env::var("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let root = manifest.join("question-banks");
    let out_dir = PathBuf::from(env::var("OUT_DIR").expect("set by cargo"));
    println!("cargo:rerun-if-changed={}", root.display());
    // The loader is part of what is built into the prebuilt exams.
    println!("cargo:rerun-if-changed={}", manifest.join("src/bank").display());
    println!("cargo:rerun-if-changed={}", manifest.join("src/text.rs").display());
    println!("cargo:rerun-if-changed={}", manifest.join("src/program.rs").display());
    println!("cargo:rerun-if-changed={}", manifest.join("catalog").display());
    loader_fingerprint(&manifest);
    hot_text_layout(&manifest);
    let mut files = Vec::new();
    if root.is_dir() {
        collect(&root, &mut files);
    }
    files.sort();

    // The files as the binary will hold them, so the folders are found exactly as at run time.
    let mut embedded: Vec<(&'static str, &'static [u8])> = Vec::new();
    for path in &files {
        let relative = path.strip_prefix(&root).expect("under root").to_string_lossy().replace('\\', "/");
        let bytes = fs::read(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
        embedded.push((Box::leak(relative.into_boxed_str()), Box::leak(bytes.into_boxed_slice())));
    }
    let embedded: source::EmbeddedFiles = Box::leak(embedded.into_boxed_slice());

    let prebuilt_dir = out_dir.join("prebuilt");
    fs::create_dir_all(&prebuilt_dir).expect("create OUT_DIR/prebuilt");
    let mut prebuilt = Vec::new();
    for (n, folder) in source::embedded_folders(embedded, &[]).iter().enumerate() {
        let name =
            folder.label.strip_prefix(&format!("{SHIPPED_ROOT}/")).unwrap_or(&folder.label).to_string();
        match source::load_from_toml(folder) {
            Ok(exam) => {
                let (summary, contents) = bank::prebuilt::encode(&exam, bank::prebuilt::Hashes::Included)
                    .expect("encode a checked exam");
                // An exam decodes each question when it is first asked for: every record
                // is decoded here once (and checked against its index entry: id, domain,
                // scenario, shape), so the binary never embeds one that does not.
                let decoded = bank::prebuilt::decode_exam_whole(exam.blueprint.clone(), &contents)
                    .expect("the encoded exam decodes");
                assert!(
                    decoded.questions() == exam.questions(),
                    "{}: the encoding round-trips",
                    folder.label
                );
                let summary_path = prebuilt_dir.join(format!("{n}.summary"));
                let contents_path = prebuilt_dir.join(format!("{n}.contents"));
                fs::write(&summary_path, summary).expect("write a prebuilt summary");
                fs::write(&contents_path, contents).expect("write prebuilt contents");
                prebuilt.push((name, summary_path, contents_path));
            }
            Err(error) => {
                for line in error.to_string().lines() {
                    println!("cargo:warning={}: {line}", folder.label);
                }
                println!(
                    "cargo:warning={} is embedded unchecked: `proctor check {}` lists its problems",
                    folder.label, folder.label
                );
            }
        }
    }

    // Each kind of data is one blob, the tables that slice it apart: the names and summaries
    // that every start reads sit together, away from the bytes it never reads. (Interleaved,
    // each name read faulted in the page cache folio around it: 3 MB of TOML were resident in
    // every exam for nothing, see docs/performance.md.)
    let mut out = String::new();
    let mut toml = Vec::new();
    let mut table = String::new();
    for (relative, bytes) in embedded {
        table.push_str(&format!("    ({relative:?}, part(TOML, {}, {})),\n", toml.len(), bytes.len()));
        toml.extend_from_slice(bytes);
    }
    let (mut summaries, mut contents) = (Vec::new(), Vec::new());
    let mut prebuilt_table = String::new();
    for (name, summary, content) in &prebuilt {
        let summary = fs::read(summary).expect("read a prebuilt summary");
        let content = fs::read(content).expect("read prebuilt contents");
        prebuilt_table.push_str(&format!(
            "    ({name:?}, part(SUMMARIES, {}, {}), part(CONTENTS, {}, {})),\n",
            summaries.len(),
            summary.len(),
            contents.len(),
            content.len()
        ));
        summaries.extend_from_slice(&summary);
        contents.extend_from_slice(&content);
    }
    for (file, bytes) in [("toml", &toml), ("summaries", &summaries), ("contents", &contents)] {
        let path = prebuilt_dir.join(file);
        fs::write(&path, bytes).expect("write an embedded blob");
        out.push_str(&format!(
            "const {}: &[u8] = include_bytes!({:?});\n",
            file.to_uppercase(),
            path.display().to_string()
        ));
    }
    out.push_str(
        "/// `len` bytes of `blob` from `at` (a const fn: the tables below are built at compile time).\n\
         const fn part(blob: &'static [u8], at: usize, len: usize) -> &'static [u8] {\n\
         \x20   blob.split_at(at).1.split_at(len).0\n\
         }\n",
    );
    out.push_str("pub static EMBEDDED_FILES: crate::bank::source::EmbeddedFiles = &[\n");
    out.push_str(&table);
    out.push_str("];\n");
    out.push_str("pub static PREBUILT_EXAMS: crate::bank::source::PrebuiltExams = &[\n");
    out.push_str(&prebuilt_table);
    out.push_str("];\n");
    // The AWS program catalogue, checked and encoded the same way (empty when it does not
    // check: the TOML is parsed at run time and its error reported there).
    let (program, notes) = match program::Program::shipped() {
        Ok(program) => {
            // Each retiring or retired exam's start-screen note, worked out now: an exam's
            // start looks its own up instead of decoding the whole catalogue.
            let notes: Vec<(String, String)> = program
                .exams
                .iter()
                .filter_map(|exam| {
                    program::retirement_note(&program, &exam.code).map(|note| (exam.code.clone(), note))
                })
                .collect();
            (postcard::to_allocvec(&program).expect("encode the program catalogue"), notes)
        }
        Err(error) => {
            println!("cargo:warning=catalog/aws.toml: {error}");
            (Vec::new(), Vec::new())
        }
    };
    out.push_str("/// `program::retirement_note` of each exam that has one, by exam code.\n");
    out.push_str("pub static RETIREMENT_NOTES: &[(&str, &str)] = &[\n");
    for (code, note) in &notes {
        out.push_str(&format!("    ({code:?}, {note:?}),\n"));
    }
    out.push_str("];\n");
    let program_path = prebuilt_dir.join("program");
    fs::write(&program_path, program).expect("write the prebuilt program catalogue");
    out.push_str(&format!(
        "pub static PREBUILT_PROGRAM: &[u8] = include_bytes!({:?});\n",
        program_path.display().to_string()
    ));
    fs::write(out_dir.join("embedded_banks.rs"), out).expect("write embedded_banks.rs");
}

/// Release builds of the binary on x86_64 Linux lay out the functions an exam runs
/// together (link/hot-text.ld, written by scripts/hot-text.py): the kernel maps code 64 KiB
/// around each page touched, so scattered hot functions kept most of `.text` resident.
/// The script only adds an output section (`INSERT BEFORE .text`); lld and GNU ld take it,
/// gold and mold do not (tested: GNU ld places a listed C function in `.text.hot`).
fn hot_text_layout(manifest: &Path) {
    let script = manifest.join("link/hot-text.ld");
    println!("cargo:rerun-if-changed={}", script.display());
    println!("cargo:rerun-if-env-changed=PROCTOR_NO_HOT_TEXT");
    let release = env::var("PROFILE").is_ok_and(|p| p == "release");
    let target = |key: &str, value: &str| env::var(key).is_ok_and(|v| v == value);
    let linux_x86_64 = target("CARGO_CFG_TARGET_OS", "linux") && target("CARGO_CFG_TARGET_ARCH", "x86_64");
    // gold and mold do not take `INSERT` scripts: with either chosen in RUSTFLAGS (or a
    // linker of one's own), link as before.
    let flags = env::var("CARGO_ENCODED_RUSTFLAGS").unwrap_or_default();
    let other_linker = ["gold", "mold", "linker="].iter().any(|name| flags.contains(name));
    println!("cargo:rerun-if-env-changed=CARGO_ENCODED_RUSTFLAGS");
    if release
        && linux_x86_64
        && !other_linker
        && script.is_file()
        && env::var_os("PROCTOR_NO_HOT_TEXT").is_none()
    {
        println!("cargo:rustc-link-arg-bin=proctor=-Wl,-T,{}", script.display());
    }
}

/// A hash of the loader's source (src/bank, src/text.rs) for the `--bank-dir` cache key
/// (src/bank/cache.rs): a binary whose checks or model changed never takes an entry an
/// older build wrote, even under the same version number.
fn loader_fingerprint(manifest: &Path) {
    let mut files = Vec::new();
    let mut dirs = vec![manifest.join("src/bank")];
    while let Some(dir) = dirs.pop() {
        for entry in fs::read_dir(&dir).unwrap_or_else(|e| panic!("read {}: {e}", dir.display())).flatten() {
            let path = entry.path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                files.push(path);
            }
        }
    }
    files.push(manifest.join("src/text.rs"));
    files.sort();
    let mut hasher = blake3::Hasher::new();
    for path in &files {
        let bytes = fs::read(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
        let relative = path.strip_prefix(manifest).unwrap_or(path).to_string_lossy().replace('\\', "/");
        hasher.update(&(relative.len() as u64).to_le_bytes());
        hasher.update(relative.as_bytes());
        hasher.update(&(bytes.len() as u64).to_le_bytes());
        hasher.update(&bytes);
    }
    println!("cargo:rustc-env=PROCTOR_LOADER_FINGERPRINT={}", hasher.finalize().to_hex());
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
