//! `proctor import FORMAT SRC... --exam ID --out DIR [--blueprint FILE]`: reads the
//! sources, lets `interop::draft::build` decide what each item becomes, writes the exam
//! folder, prints the report item by item, then checks the folder as `proctor check` does.

use std::fs;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use crate::bank::diagnostic::Severity;
use crate::bank::parse;
use crate::bank::source::{self, Catalog, MAX_FILE_BYTES};
use crate::cli::{ImportArgs, ImportFormat};
use crate::config::Config;
use crate::error::{Error, Result};
use crate::exam::clock::format_timestamp;
use crate::interop::draft::{self, BuildError, Outcome, ReportLine, Target};
use crate::interop::{self, ReadError};
use crate::text::printable_line;

fn label(path: &Path) -> String {
    printable_line(&path.display().to_string())
}

/// A source file's text: a regular file, at most 256 MiB, UTF-8.
pub fn read_source(path: &Path) -> Result<String> {
    let fail = |e: std::io::Error| Error::Usage(format!("cannot read {}: {e}", label(path)));
    if !fs::metadata(path).map_err(fail)?.is_file() {
        return Err(Error::Usage(format!("{} is not a regular file", label(path))));
    }
    let mut bytes = Vec::new();
    fs::File::open(path).map_err(fail)?.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes).map_err(fail)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(Error::Usage(format!("{} is larger than {} MiB", label(path), MAX_FILE_BYTES >> 20)));
    }
    String::from_utf8(bytes).map_err(|e| {
        Error::Usage(format!(
            "{}: not UTF-8 (first bad byte at offset {})",
            label(path),
            e.utf8_error().valid_up_to()
        ))
    })
}

fn is_zip(path: &Path) -> bool {
    path.extension().is_some_and(|e| e.eq_ignore_ascii_case("zip"))
}

/// At most this many entries in a package (a real one has one per question).
const MAX_ZIP_ENTRIES: usize = 100_000;

/// The `*.xml` files of a QTI zip package but the manifest, in name order, as text: each
/// entry at most 256 MiB and UTF-8, 512 MiB in all once unpacked (so a zip bomb stops at
/// the bound, never fills memory).
fn read_zip(path: &Path) -> Result<Vec<(String, String)>> {
    let fail =
        |e: &dyn std::fmt::Display| Error::Usage(format!("{}: not a readable zip package: {e}", label(path)));
    if !fs::metadata(path).map_err(|e| fail(&e))?.is_file() {
        return Err(Error::Usage(format!("{} is not a regular file", label(path))));
    }
    let file = fs::File::open(path).map_err(|e| fail(&e))?;
    let mut archive = zip::ZipArchive::new(file).map_err(|e| fail(&e))?;
    if archive.len() > MAX_ZIP_ENTRIES {
        return Err(fail(&format!("{} entries, more than {MAX_ZIP_ENTRIES}", archive.len())));
    }
    let mut entries = Vec::new();
    let mut total: u64 = 0;
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).map_err(|e| fail(&e))?;
        let inside = entry.name().map_err(|e| fail(&e))?.into_owned();
        let base = inside.rsplit('/').next().unwrap_or("");
        let wanted = entry.is_file()
            && base.to_ascii_lowercase().ends_with(".xml")
            && !base.eq_ignore_ascii_case("imsmanifest.xml");
        if !wanted {
            continue;
        }
        let mut bytes = Vec::new();
        let limit = MAX_FILE_BYTES.min((MAX_FILE_BYTES * 2).saturating_sub(total));
        entry.by_ref().take(limit + 1).read_to_end(&mut bytes).map_err(|e| fail(&e))?;
        if bytes.len() as u64 > limit {
            return Err(fail(&format!("{} unpacks to more than the bound", printable_line(&inside))));
        }
        total += bytes.len() as u64;
        let text = String::from_utf8(bytes).map_err(|e| {
            Error::Usage(format!(
                "{}:{}: not UTF-8 (first bad byte at offset {})",
                label(path),
                printable_line(&inside),
                e.utf8_error().valid_up_to()
            ))
        })?;
        entries.push((inside, text));
    }
    entries.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(entries)
}

/// The files to read: each SRC; a QTI package folder gives its *.xml files but the manifest.
fn source_files(args: &ImportArgs) -> Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for src in &args.sources {
        if args.format == ImportFormat::Qti && src.is_dir() {
            let mut found = Vec::new();
            collect_xml(src, &mut found, 0)?;
            found.sort();
            if found.is_empty() {
                return Err(Error::Usage(format!("{} holds no *.xml item files", label(src))));
            }
            files.extend(found);
        } else {
            files.push(src.clone());
        }
    }
    Ok(files)
}

fn collect_xml(dir: &Path, found: &mut Vec<PathBuf>, depth: usize) -> Result<()> {
    if depth > 8 {
        return Ok(());
    }
    let fail = |e: std::io::Error| Error::Usage(format!("cannot read {}: {e}", label(dir)));
    for entry in fs::read_dir(dir).map_err(fail)? {
        let entry = entry.map_err(fail)?;
        let path = entry.path();
        let kind = entry.file_type().map_err(fail)?;
        if kind.is_dir() {
            collect_xml(&path, found, depth + 1)?;
        } else if path.extension().is_some_and(|e| e.eq_ignore_ascii_case("xml"))
            && !path.file_name().is_some_and(|n| n.eq_ignore_ascii_case("imsmanifest.xml"))
        {
            found.push(path);
        }
    }
    Ok(())
}

fn print_report(report: &[ReportLine], out: &mut dyn Write) -> Result<()> {
    for line in report {
        writeln!(
            out,
            "{:<8} {}  {}  {}",
            line.outcome.as_str(),
            printable_line(&line.loc.to_string()),
            printable_line(&line.item),
            printable_line(&line.reason)
        )?;
    }
    Ok(())
}

pub fn run(config: &Config, args: &ImportArgs, out: &mut dyn Write) -> Result<i32> {
    let format = match args.format {
        ImportFormat::Gift => interop::ImportFormat::Gift,
        ImportFormat::Aiken => interop::ImportFormat::Aiken,
        ImportFormat::MoodleXml => interop::ImportFormat::MoodleXml,
        ImportFormat::Qti => interop::ImportFormat::Qti,
        ImportFormat::Markdown => interop::ImportFormat::Markdown,
    };
    // The blueprint first: a bad one stops before anything is read or written.
    let blueprint_text = args.blueprint.as_deref().map(read_source).transpose()?;
    let parsed = match (&args.blueprint, &blueprint_text) {
        (Some(path), Some(text)) => {
            let name = label(path);
            let (parsed, diagnostics) = parse::parse_blueprint(&name, text.as_bytes());
            let errors: Vec<String> =
                diagnostics.iter().filter(|d| d.is_error()).map(|d| d.to_string()).collect();
            match parsed {
                Some(parsed) if errors.is_empty() => Some(parsed),
                _ => return Err(Error::Usage(format!("the blueprint has errors:\n{}", errors.join("\n")))),
            }
        }
        _ => None,
    };
    let exam_id = match (&args.exam, &parsed) {
        (Some(id), Some(p)) if *id != p.blueprint.id => {
            return Err(Error::Usage(format!(
                "--exam {} differs from the blueprint's id {}",
                printable_line(id),
                printable_line(&p.blueprint.id)
            )));
        }
        (Some(id), _) => id.clone(),
        (None, Some(p)) => p.blueprint.id.clone(),
        (None, None) => return Err(Error::Usage("give --exam ID or --blueprint FILE".into())),
    };
    if !parse::is_slug(&exam_id) {
        return Err(Error::Usage(format!(
            "exam id {} must be lower-case letters, digits and '-'",
            printable_line(&exam_id)
        )));
    }
    // The shipped exams always load: a bank with one of their ids would be refused by
    // `list` and `exam` once it is added with --bank-dir.
    if Catalog::open(&[])?.find(&exam_id).is_ok() {
        return Err(Error::Usage(format!(
            "exam id {} is a shipped exam's: choose another --exam",
            printable_line(&exam_id)
        )));
    }
    if args.out.exists() && fs::read_dir(&args.out).map(|mut d| d.next().is_some()).unwrap_or(true) {
        return Err(Error::Usage(format!(
            "{} exists and is not an empty folder: choose a new --out",
            label(&args.out)
        )));
    }
    let files = source_files(args)?;
    let mut drafts = Vec::new();
    let mut names = Vec::new();
    for path in &files {
        let name = label(path);
        let file_name =
            path.file_name().map_or_else(|| name.clone(), |n| printable_line(&n.to_string_lossy()));
        if args.format == ImportFormat::Qti && is_zip(path) {
            let entries = read_zip(path)?;
            if entries.is_empty() {
                return Err(Error::Usage(format!("{name} holds no *.xml item files")));
            }
            for (inside, text) in entries {
                let entry = format!("{name}:{}", printable_line(&inside));
                drafts.extend(interop::read(format, &entry, &text).map_err(|e: ReadError| Error::from(e))?);
            }
            names.push(file_name);
            continue;
        }
        let text = read_source(path)?;
        drafts.extend(interop::read(format, &name, &text).map_err(|e: ReadError| Error::from(e))?);
        names.push(file_name);
    }
    let today = format_timestamp(config.clock()?.now())[..10].to_string();
    let target = Target {
        exam_id: &exam_id,
        blueprint: blueprint_text.as_deref().zip(parsed.as_ref().map(|p| &p.blueprint)),
        today: &today,
        sources: &names,
    };
    let total = drafts.len();
    let built = match draft::build(drafts, &target) {
        Ok(built) => built,
        Err(BuildError::Nothing { total, report }) => {
            print_report(&report, out)?;
            return Err(BuildError::Nothing { total, report: Vec::new() }.into());
        }
        Err(e) => return Err(e.into()),
    };
    fs::create_dir_all(&args.out)?;
    fs::write(args.out.join("exam.toml"), &built.blueprint)?;
    for (name, text) in &built.files {
        fs::write(args.out.join(name), text)?;
    }
    print_report(&built.report, out)?;
    let count = |o: Outcome| built.report.iter().filter(|r| r.outcome == o).count();
    let changed: std::collections::BTreeSet<&str> =
        built.report.iter().filter(|r| r.outcome == Outcome::Changed).map(|r| r.item.as_str()).collect();
    writeln!(
        out,
        "imported {} of {total} item(s) from {} file(s) into {} (exam {exam_id}): {} changed, {} skipped",
        built.imported,
        files.len(),
        label(&args.out),
        changed.len(),
        count(Outcome::Skipped),
    )?;
    let folders = source::folders_at(&args.out)?;
    let diagnostics = source::check_folders(&folders);
    let errors = diagnostics.iter().filter(|d| d.severity == Severity::Error).count();
    writeln!(
        out,
        "check: {errors} error(s), {} warning(s); `proctor check {}` lists them",
        diagnostics.len() - errors,
        label(&args.out)
    )?;
    Ok(if errors > 0 { 1 } else { 0 })
}
