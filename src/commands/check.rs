//! `proctor check [PATH]...`: every problem in the banks at once, as path:line:col.

use std::io::Write;
use std::path::PathBuf;

use crate::bank::diagnostic::Severity;
use crate::bank::source::{self, ExamFolder};
use crate::error::Result;

/// Exit status of a finished check: 0 clean (warnings allowed), 1 with errors.
pub fn run(paths: &[PathBuf], out: &mut dyn Write) -> Result<i32> {
    let folders: Vec<ExamFolder> = if paths.is_empty() {
        source::shipped_folders()
    } else {
        let mut folders = Vec::new();
        for path in paths {
            folders.extend(source::folders_at(path)?);
        }
        folders
    };
    let diagnostics = source::check_folders(&folders);
    for d in &diagnostics {
        writeln!(out, "{d}")?;
    }
    let errors = diagnostics.iter().filter(|d| d.severity == Severity::Error).count();
    let warnings = diagnostics.len() - errors;
    writeln!(out, "checked {} exam(s): {} error(s), {} warning(s)", folders.len(), errors, warnings)?;
    Ok(if errors > 0 { 1 } else { 0 })
}
