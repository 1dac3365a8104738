//! `proctor list`: the exams available, for people or as JSON.

use std::io::Write;

use crate::bank::Exam;
use crate::bank::source::{BankError, Catalog};
use crate::error::Result;
use crate::json::{self, ExamEntry};

/// Lists every exam that loads; then, if any could not, fails (exit 2) naming the problems.
pub fn run(catalog: &Catalog, json: bool, out: &mut dyn Write) -> Result<()> {
    let mut broken = catalog.broken.clone();
    let mut exams: Vec<Exam> = Vec::new();
    for entry in &catalog.entries {
        match catalog.load(entry) {
            Ok(exam) => exams.push(exam),
            Err(BankError::Invalid { diagnostics }) => broken.extend(diagnostics),
            Err(other) => return Err(other.into()),
        }
    }
    let summaries: Vec<ExamEntry> = exams.iter().map(ExamEntry::of).collect();
    if json {
        json::write(out, &summaries)?;
    } else {
        write!(out, "{}", render(&summaries))?;
    }
    if broken.iter().any(|d| d.is_error()) {
        out.flush()?;
        return Err(BankError::Invalid { diagnostics: broken }.into());
    }
    Ok(())
}

/// The list for people: a few lines per exam, wrapped to 80 columns. Bank text is passed
/// through `printable` (it is untrusted).
pub fn render(summaries: &[ExamEntry]) -> String {
    use crate::text::{printable, wrap_hanging};
    const WIDTH: usize = 80;
    let mut out = String::new();
    if summaries.is_empty() {
        out.push_str("No exams found.\n");
        return out;
    }
    let id_width = summaries.iter().map(|s| s.id.chars().count()).max().unwrap_or(2).clamp(2, 16);
    let pad = " ".repeat(id_width + 2);
    for s in summaries {
        let head = format!("{} ({})", printable(&s.title), printable(&s.code));
        out.push_str(&wrap_hanging(
            &head,
            WIDTH,
            &format!("{:<id_width$}  ", printable(&s.id)),
            id_width + 2,
        ));
        out.push('\n');
        let since = match s.status {
            "retiring" => "retiring on",
            "retired" => "retired on",
            _ => "since",
        };
        let facts = format!(
            "{} {since} {} | exam: {} questions, {} min, pass {}",
            s.status, s.status_date, s.exam_questions, s.minutes, s.passing_score
        );
        out.push_str(&wrap_hanging(&facts, WIDTH, &pad, id_width + 2));
        out.push('\n');
        let domains: Vec<String> = s
            .domains
            .iter()
            .map(|d| format!("{} {}% ({}q)", printable(&d.id), d.weight, d.questions))
            .collect();
        let bank = format!("bank: {} questions, by domain: {}", s.questions, domains.join(", "));
        out.push_str(&wrap_hanging(&bank, WIDTH, &pad, id_width + 4));
        out.push_str("\n\n");
    }
    out.push_str("Start a timed mock exam with `proctor exam ID`.\n");
    out
}
