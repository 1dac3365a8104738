//! `proctor export FORMAT EXAM [--out FILE]`: an exam's bank in another tool's format
//! (QTI packages as a folder or a zip). Questions a format cannot hold are named on
//! stderr, one line each.

use std::fs;
use std::io::Write;
use std::path::Path;

use crate::bank::Exam;
use crate::cli::{ExportArgs, ExportFormat};
use crate::config::Config;
use crate::error::{Error, Result};
use crate::interop::{gift, qti, tabular};
use crate::text::printable_line;

pub fn run(config: &Config, args: &ExportArgs, out: &mut dyn Write) -> Result<i32> {
    let catalog = config.catalog()?;
    let exam = catalog.load_by_id(&args.exam)?;
    let mut skipped: Vec<(String, String)> = Vec::new();
    let text = match args.format {
        ExportFormat::Gift => {
            not_carried("GIFT", &exam)?;
            let (text, left_out) = gift::write(&exam);
            skipped = left_out;
            text
        }
        ExportFormat::Anki => tabular::anki(&exam),
        ExportFormat::Csv => tabular::csv(&exam),
        ExportFormat::Markdown => tabular::markdown(&exam),
        ExportFormat::Qti12 => {
            not_carried("QTI 1.2", &exam)?;
            let (xml, left_out) = qti::write_12(&exam);
            if let Some(path) = args.out.as_deref().filter(|p| is_zip(p)) {
                let file = format!("{}.xml", exam.blueprint.id);
                let manifest = qti::manifest_12(&exam, &file);
                write_zip(path, &[("imsmanifest.xml".into(), manifest), (file, xml)])?;
                report(&left_out)?;
                writeln!(
                    out,
                    "wrote {} item(s) in a QTI 1.2 package to {}",
                    exam.questions().len() - left_out.len(),
                    printable_line(&path.display().to_string())
                )?;
                return Ok(0);
            }
            skipped = left_out;
            xml
        }
        ExportFormat::Qti => {
            let Some(dir) = &args.out else {
                return Err(Error::Usage(
                    "qti export writes a package: give --out DIR (a folder) or --out FILE.zip".into(),
                ));
            };
            let zipped = is_zip(dir);
            if !zipped && dir.exists() && fs::read_dir(dir).map(|mut d| d.next().is_some()).unwrap_or(true) {
                return Err(Error::Usage(format!(
                    "{} exists and is not an empty folder: choose a new --out",
                    printable_line(&dir.display().to_string())
                )));
            }
            not_carried("QTI 2.1", &exam)?;
            let (files, left_out) = qti::write(&exam);
            if zipped {
                write_zip(dir, &files)?;
            } else {
                fs::create_dir_all(dir.join("items"))?;
                for (path, xml) in &files {
                    fs::write(dir.join(path), xml)?;
                }
            }
            report(&left_out)?;
            writeln!(
                out,
                "wrote {} item(s) and imsmanifest.xml to {}",
                files.len() - 1,
                printable_line(&dir.display().to_string())
            )?;
            return Ok(0);
        }
    };
    match &args.out {
        Some(path) => fs::write(path, text)?,
        None => out.write_all(text.as_bytes())?,
    }
    report(&skipped)?;
    Ok(0)
}

fn is_zip(path: &Path) -> bool {
    path.extension().is_some_and(|e| e.eq_ignore_ascii_case("zip"))
}

/// A zip package of (path inside, text) files, deflated. Written beside the target and
/// renamed into place, so a failed export leaves no half-written package; an existing file
/// is not replaced.
fn write_zip(path: &Path, files: &[(String, String)]) -> Result<()> {
    let shown = || printable_line(&path.display().to_string());
    if path.exists() {
        return Err(Error::Usage(format!("{} exists: choose a new --out", shown())));
    }
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let partial = path.with_file_name(format!(".{name}.partial"));
    let written = (|| -> std::result::Result<(), String> {
        let file = fs::File::create_new(&partial).map_err(|e| e.to_string())?;
        let mut zip = zip::ZipWriter::new(file);
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            // A fixed time: the same bank gives the same bytes.
            .last_modified_time(zip::DateTime::default());
        for (inside, text) in files {
            zip.start_file(inside.as_str(), options).map_err(|e| e.to_string())?;
            zip.write_all(text.as_bytes()).map_err(|e| e.to_string())?;
        }
        let file = zip.finish().map_err(|e| e.to_string())?;
        file.sync_all().map_err(|e| e.to_string())?;
        fs::rename(&partial, path).map_err(|e| e.to_string())
    })();
    written.map_err(|e| {
        let _ = fs::remove_file(&partial);
        Error::Usage(format!("cannot write {}: {e}", shown()))
    })
}

/// What a format has no place for, said once on stderr: the references (the links that
/// settle each key) are the one part a round trip would otherwise lose without a word.
fn not_carried(format: &str, exam: &Exam) -> Result<()> {
    let with_links = exam.questions().iter().filter(|q| !q.references.is_empty()).count();
    if with_links > 0 {
        writeln!(
            std::io::stderr().lock(),
            "note: {format} has no place for references: the links of {with_links} question(s) are not in \
             the export (export markdown, csv or anki keeps them)"
        )?;
    }
    Ok(())
}

/// Questions left out, on stderr, so stdout stays the export itself.
fn report(skipped: &[(String, String)]) -> Result<()> {
    let mut err = std::io::stderr().lock();
    for (id, reason) in skipped {
        writeln!(err, "skipped {}: {}", printable_line(id), printable_line(reason))?;
    }
    Ok(())
}
