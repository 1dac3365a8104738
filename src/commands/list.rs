//! `proctor list`: the exams available, for people or as JSON.

use std::io::Write;

use crate::bank::source::{BankError, Catalog};
use crate::cli::ListArgs;
use crate::error::{Error, Result};
use crate::json::{self, ExamEntry, ListAll, PathEntry};
use crate::program::{Program, Tier};
use crate::text::{printable, wrap_hanging};

const WIDTH: usize = 80;

/// Lists every exam that loads, then the rest of the AWS program; then, if a bank could
/// not load, fails (exit 2) naming the problems.
pub fn run(catalog: &Catalog, args: &ListArgs, out: &mut dyn Write) -> Result<()> {
    let json = args.json;
    let mut broken = catalog.broken.clone();
    let mut summaries: Vec<ExamEntry> = Vec::new();
    for entry in &catalog.entries {
        // Without the questions when the exam is prebuilt or cached.
        match catalog.summary(entry) {
            Ok(summary) => summaries.push(ExamEntry::summarise(&summary.blueprint, &summary.counts)),
            Err(BankError::Invalid { diagnostics }) => broken.extend(diagnostics),
            Err(other) => return Err(other.into()),
        }
    }
    let program = Program::shipped().map_err(Error::Usage)?;
    let has_bank = |id: &str| catalog.find(id).is_ok();
    if json && args.all {
        json::write(out, &ListAll::new(summaries, &program, &has_bank))?;
    } else if json {
        json::write(out, &summaries)?;
    } else {
        write!(out, "{}", render(&summaries))?;
        write!(out, "{}", render_program(&program, &has_bank))?;
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

/// The rest of the AWS program: every certification without a bank here, by tier.
fn render_program(program: &Program, has_bank: &dyn Fn(&str) -> bool) -> String {
    let mut out = format!(
        "\nThe rest of the AWS Certification program (as of {}; `proctor paths` for the paths by role):\n",
        program.verified_on
    );
    for tier in Tier::ALL {
        let exams: Vec<_> = program.in_tier(tier).into_iter().filter(|e| !has_bank(&e.id())).collect();
        if exams.is_empty() {
            continue;
        }
        out.push_str(&format!("\n{}\n", tier.title()));
        for exam in exams {
            let mut line = format!("{} - {}: {}", exam.code, exam.title, exam.status_phrase());
            if let Some(successor) = &exam.successor {
                line.push_str(&format!("; successor {successor}"));
            }
            out.push_str(&wrap_hanging(&printable(&line), WIDTH, "  ", 4));
            out.push('\n');
        }
    }
    out.push_str("\nNo bank yet for these; `proctor list --all --json` has their facts.\n");
    out
}

/// `proctor paths`: the certification paths by role, marking the exams proctor can run.
pub fn paths(catalog: &Catalog, json: bool, out: &mut dyn Write) -> Result<()> {
    let program = Program::shipped().map_err(Error::Usage)?;
    let has_bank = |id: &str| catalog.find(id).is_ok();
    if json {
        let entries: Vec<PathEntry> = program.paths.iter().map(|p| PathEntry::new(p, &has_bank)).collect();
        json::write(out, &entries)?;
        return Ok(());
    }
    for path in &program.paths {
        writeln!(out, "{}", printable(&path.title))?;
        writeln!(out, "{}", wrap_hanging(&printable(&path.description), WIDTH, "  ", 2))?;
        for code in &path.exams {
            let Some(exam) = program.find(code) else { continue };
            let (mark, how) = if has_bank(&exam.id()) {
                ("*", format!(": `proctor exam {}`", exam.id()))
            } else {
                (" ", " (no bank yet)".to_string())
            };
            let line = format!("{mark} {} - {}{how}", exam.code, exam.title);
            writeln!(out, "{}", wrap_hanging(&printable(&line), WIDTH, "  ", 6))?;
        }
        writeln!(out)?;
    }
    writeln!(out, "* proctor has a bank for this exam.")?;
    Ok(())
}
