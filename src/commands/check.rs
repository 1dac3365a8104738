//! `proctor check [PATH]...`: every problem in the banks at once, as path:line:col, then a
//! summary by kind; `--quiet` for errors only, `--format json` for editors and CI;
//! `--coverage [EXAM]`, the questions per domain and task statement.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::PathBuf;

use crate::bank::coverage::Coverage;
use crate::bank::diagnostic::{Check, Diagnostic, Severity};
use crate::bank::source::{self, ExamFolder};
use crate::cli::{CheckArgs, CheckFormat};
use crate::config::Config;
use crate::error::{Error, Result};
use crate::json::{self, CheckDiagnostic, CheckReport};
use crate::text::{printable, printable_line};

/// Exit status of a finished check: 0 clean (warnings allowed), 1 with errors.
///
/// Without paths: the shipped banks and every bank folder of `--bank-dir` and
/// `PROCTOR_BANK_DIR`, as `list` and `exam` see them together.
pub fn run(config: &Config, args: &CheckArgs, out: &mut dyn Write) -> Result<i32> {
    let mut paths: Vec<PathBuf> = args.paths.clone();
    // `--coverage DIR` reads as a folder to check, `--coverage EXAM` as the exam to show.
    let only = match &args.coverage {
        Some(Some(value)) if std::path::Path::new(value).exists() => {
            paths.push(PathBuf::from(value));
            None
        }
        Some(Some(exam)) => Some(exam.as_str()),
        _ => None,
    };
    let (folders, what) = if paths.is_empty() {
        let mut folders = source::shipped_folders();
        let shipped = folders.len();
        for dir in &config.bank_dirs {
            folders.extend(source::folders_at(dir)?);
        }
        let what = if config.bank_dirs.is_empty() {
            String::new()
        } else {
            let dirs: Vec<String> =
                config.bank_dirs.iter().map(|d| printable_line(&d.display().to_string())).collect();
            format!(" ({shipped} shipped, {} from {})", folders.len() - shipped, dirs.join(", "))
        };
        (folders, what)
    } else {
        let mut folders: Vec<ExamFolder> = Vec::new();
        for path in &paths {
            folders.extend(source::folders_at(path)?);
        }
        (folders, String::new())
    };
    let (diagnostics, coverages) = source::check_with_coverage(&folders);
    if let Some(exam) = only
        && !coverages.iter().any(|c| c.exam == exam)
    {
        let ids: Vec<String> = coverages.iter().map(|c| printable_line(&c.exam)).collect();
        return Err(Error::Usage(format!(
            "--coverage {}: no such exam among those checked ({}); give its folder as a PATH",
            printable_line(exam),
            ids.join(", ")
        )));
    }
    let errors = diagnostics.iter().filter(|d| d.severity == Severity::Error).count();
    let warnings = diagnostics.len() - errors;
    match args.format {
        CheckFormat::Json => {
            let shown = diagnostics.iter().filter(|d| !args.quiet || d.is_error());
            let report = CheckReport {
                exams: folders.len(),
                errors,
                warnings,
                diagnostics: shown.map(CheckDiagnostic::of).collect(),
            };
            json::write(out, &report)?;
        }
        CheckFormat::Text => {
            // One write for many lines (stdout is line-buffered): a large bank has thousands.
            let mut out = std::io::BufWriter::with_capacity(64 * 1024, &mut *out);
            for d in diagnostics.iter().filter(|d| !args.quiet || d.is_error()) {
                writeln!(out, "{d}")?;
            }
            if args.coverage.is_some() {
                for c in coverages.iter().filter(|c| only.is_none_or(|exam| c.exam == exam)) {
                    out.write_all(coverage_text(c).as_bytes())?;
                }
            }
            writeln!(out, "checked {} exam(s){what}: {}", folders.len(), summary(&diagnostics))?;
            out.flush()?;
        }
    }
    Ok(if errors > 0 { 1 } else { 0 })
}

/// One exam's coverage for people: a line per domain, then a line per task statement
/// (its question count first), `<- none` on the task statements without a question.
pub fn coverage_text(c: &Coverage) -> String {
    let mut out =
        format!("coverage of {} ({}): {} question(s)\n", printable(&c.exam), printable(&c.code), c.questions);
    for d in &c.domains {
        out.push_str(&format!(
            "  {} ({}, {}%): {} question(s)",
            printable(&d.name),
            printable(&d.id),
            d.weight,
            d.questions
        ));
        if d.tasks.is_empty() {
            out.push_str("; no task statements listed\n");
            continue;
        }
        let empty = d.tasks.iter().filter(|t| t.questions == 0).count();
        if empty > 0 {
            out.push_str(&format!("; {empty} task statement(s) without questions"));
        }
        out.push('\n');
        for t in &d.tasks {
            let none = if t.questions == 0 { "  <- none" } else { "" };
            // One line each (a task text is one line): the counts stay in a column.
            out.push_str(&format!(
                "  {:>5}  {}  {}{none}\n",
                t.questions,
                printable(&t.id),
                printable(&t.text)
            ));
        }
        out.push_str(&format!("  {:>5}  without a task\n", d.untagged));
    }
    out
}

/// `2 error(s), 5 warning(s) (3 same-key-position, 2 letter-in-explanation)`: the warnings
/// by kind (`format` for the bank format's own warnings).
pub fn summary(diagnostics: &[Diagnostic]) -> String {
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    let mut kinds: BTreeMap<Check, usize> = BTreeMap::new();
    for d in diagnostics.iter().filter(|d| !d.is_error()) {
        *kinds.entry(d.check).or_default() += 1;
    }
    let warnings: usize = kinds.values().sum();
    let mut line = format!("{errors} error(s), {warnings} warning(s)");
    if !kinds.is_empty() {
        let parts: Vec<String> = kinds.iter().map(|(check, n)| format!("{n} {}", check.as_str())).collect();
        line.push_str(&format!(" ({})", parts.join(", ")));
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bank::diagnostic::Location;

    #[test]
    fn the_summary_counts_warnings_by_kind() {
        let at = || Location::file("f");
        let diagnostics = vec![
            Diagnostic::error(at(), "e"),
            Diagnostic::authoring(Check::LetterInExplanation, at(), "l"),
            Diagnostic::authoring(Check::SameKeyPosition, at(), "s"),
            Diagnostic::warning(at(), "w"),
            Diagnostic::authoring(Check::SameKeyPosition, at(), "s"),
        ];
        assert_eq!(
            summary(&diagnostics),
            "1 error(s), 4 warning(s) (1 format, 2 same-key-position, 1 letter-in-explanation)"
        );
        assert_eq!(summary(&[]), "0 error(s), 0 warning(s)");
    }
}
