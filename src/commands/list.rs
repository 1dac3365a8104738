//! `proctor list`: the exams available, for people or as JSON.

use std::io::Write;

use serde::Serialize;

use crate::bank::source::{BankError, Catalog};
use crate::bank::{Blueprint, Exam};
use crate::error::Result;

/// One exam as `list --json` prints it (documented in docs/json.md).
#[derive(Debug, Serialize)]
pub struct ExamSummary {
    pub id: String,
    pub code: String,
    pub title: String,
    pub vendor: String,
    pub level: &'static str,
    pub status: &'static str,
    pub status_date: String,
    /// Questions in the bank.
    pub questions: usize,
    /// Questions on the real exam.
    pub exam_questions: u32,
    pub scored_questions: u32,
    pub minutes: u32,
    pub passing_score: u32,
    pub domains: Vec<DomainSummary>,
}

#[derive(Debug, Serialize)]
pub struct DomainSummary {
    pub id: String,
    pub name: String,
    pub weight: u32,
    /// Questions in the bank for this domain.
    pub questions: usize,
}

pub fn summarize(exam: &Exam) -> ExamSummary {
    let b: &Blueprint = &exam.blueprint;
    ExamSummary {
        id: b.id.clone(),
        code: b.code.clone(),
        title: b.title.clone(),
        vendor: b.vendor.clone(),
        level: b.level.as_str(),
        status: b.status.state.as_str(),
        status_date: b.status.date.clone(),
        questions: exam.questions.len(),
        exam_questions: b.exam_questions,
        scored_questions: b.scored_questions,
        minutes: b.minutes,
        passing_score: b.passing_score,
        domains: b
            .domains
            .iter()
            .map(|d| DomainSummary {
                id: d.id.clone(),
                name: d.name.clone(),
                weight: d.weight,
                questions: exam.count_in_domain(&d.id),
            })
            .collect(),
    }
}

pub fn run(catalog: &Catalog, json: bool, out: &mut dyn Write) -> Result<()> {
    let exams = catalog.entries.iter().map(|e| catalog.load(e)).collect::<Result<Vec<Exam>, BankError>>()?;
    let summaries: Vec<ExamSummary> = exams.iter().map(summarize).collect();
    if json {
        serde_json::to_writer_pretty(&mut *out, &summaries).map_err(std::io::Error::from)?;
        writeln!(out)?;
        return Ok(());
    }
    write!(out, "{}", render(&summaries))?;
    Ok(())
}

/// The table for people. Bank text is passed through `printable` (it is untrusted).
pub fn render(summaries: &[ExamSummary]) -> String {
    use crate::text::printable;
    let mut out = String::new();
    if summaries.is_empty() {
        out.push_str("No exams found.\n");
        return out;
    }
    let id_width = summaries.iter().map(|s| s.id.len()).max().unwrap_or(2).max(2);
    out.push_str(&format!(
        "{:<id_width$}  {:<9}  {:>9}  {:>9}  {:>4}  TITLE\n",
        "ID", "STATUS", "QUESTIONS", "EXAM", "PASS"
    ));
    for s in summaries {
        out.push_str(&format!(
            "{:<id_width$}  {:<9}  {:>9}  {:>9}  {:>4}  {}\n",
            printable(&s.id),
            s.status,
            s.questions,
            format!("{}q/{}m", s.exam_questions, s.minutes),
            s.passing_score,
            printable(&s.title),
        ));
        let domains: Vec<String> = s
            .domains
            .iter()
            .map(|d| format!("{} {}% ({} q)", printable(&d.id), d.weight, d.questions))
            .collect();
        out.push_str(&format!("{:<id_width$}  domains: {}\n", "", domains.join(", ")));
    }
    out.push_str("\nStart a timed mock exam with `proctor exam ID`.\n");
    out
}
