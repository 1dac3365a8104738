//! `proctor export FORMAT EXAM [--out FILE]`: an exam's bank in another tool's format.
//! Questions a format cannot hold are named on stderr, one line each.

use std::fs;
use std::io::Write;

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
            let (text, left_out) = gift::write(&exam);
            skipped = left_out;
            text
        }
        ExportFormat::Anki => tabular::anki(&exam),
        ExportFormat::Csv => tabular::csv(&exam),
        ExportFormat::Markdown => tabular::markdown(&exam),
        ExportFormat::Qti => {
            let Some(dir) = &args.out else {
                return Err(Error::Usage("qti export writes a package folder: give --out DIR".into()));
            };
            if dir.exists() && fs::read_dir(dir).map(|mut d| d.next().is_some()).unwrap_or(true) {
                return Err(Error::Usage(format!(
                    "{} exists and is not an empty folder: choose a new --out",
                    printable_line(&dir.display().to_string())
                )));
            }
            let (files, left_out) = qti::write(&exam);
            fs::create_dir_all(dir.join("items"))?;
            for (path, xml) in &files {
                fs::write(dir.join(path), xml)?;
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

/// Questions left out, on stderr, so stdout stays the export itself.
fn report(skipped: &[(String, String)]) -> Result<()> {
    let mut err = std::io::stderr().lock();
    for (id, reason) in skipped {
        writeln!(err, "skipped {}: {}", printable_line(id), printable_line(reason))?;
    }
    Ok(())
}
