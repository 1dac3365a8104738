//! `proctor review [EXAM]`: re-asks missed questions that are due, on the FSRS schedule
//! (study::schedule), with immediate feedback.

use std::io::Write;

use super::attempt::{RunOptions, begin, fresh_seed};
use crate::config::Config;
use crate::error::{Error, Result};
use crate::exam::assemble::assemble_set;
use crate::exam::clock::format_timestamp;
use crate::store::Store;
use crate::study::schedule::Card;

pub struct ReviewOptions {
    pub exam: Option<String>,
    pub all: bool,
    pub attempt: Option<i64>,
    pub seed: Option<u64>,
    pub json: bool,
}

pub fn run(config: &Config, options: &ReviewOptions) -> Result<i32> {
    let clock = config.clock()?;
    let mut store = Store::open(&config.data_dir()?)?;
    let now = clock.now();
    let catalog = config.catalog()?;

    // Which exam, and which of its questions.
    let (exam_id, ids, note) = if let Some(attempt) = options.attempt {
        let stored = store.load(attempt)?;
        if stored.finished.is_none() {
            return Err(Error::Usage(format!(
                "attempt {attempt} is not finished: `proctor resume {attempt}` first"
            )));
        }
        (stored.exam, store.attempt_missed(attempt)?, format!("the questions missed in attempt {attempt}"))
    } else {
        let exam_filter = options.exam.as_ref().map(|e| e.to_ascii_lowercase());
        if let Some(id) = &exam_filter {
            catalog.find(id)?;
        }
        let cards = store.cards(exam_filter.as_deref())?;
        let wanted: Vec<&Card> =
            cards.iter().filter(|c| !c.learned && (options.all || c.due_at <= now)).collect();
        // Without EXAM, review the exam with the most due questions; name the others.
        let mut per_exam: Vec<(String, usize)> = Vec::new();
        for card in &wanted {
            match per_exam.iter_mut().find(|(e, _)| *e == card.exam) {
                Some((_, n)) => *n += 1,
                None => per_exam.push((card.exam.clone(), 1)),
            }
        }
        per_exam.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        let Some((exam_id, _)) = per_exam.first().cloned() else {
            return nothing_due(&cards, now, exam_filter.as_deref(), options.json);
        };
        let ids = wanted.iter().filter(|c| c.exam == exam_id).map(|c| c.question_id.clone()).collect();
        let mut note = if options.all {
            "every question still being learned".to_string()
        } else {
            "the missed questions due for review".to_string()
        };
        for (other, n) in per_exam.iter().skip(1) {
            note.push_str(&format!("; also {n} in {other}: `proctor review {other}`"));
        }
        (exam_id, ids, note)
    };
    if catalog.find(&exam_id).is_err() {
        return Err(Error::Usage(format!(
            "the questions to review are from exam {exam_id:?}, which is not loaded; pass the --bank-dir it came from"
        )));
    }
    let exam = catalog.load_by_id(&exam_id)?;
    let seed = options.seed.unwrap_or_else(|| fresh_seed(now));
    let paper = assemble_set(&exam, &ids, seed);
    let gone = ids.len() - paper.items.len();
    if paper.items.is_empty() {
        return nothing_due(&[], now, Some(&exam_id), options.json);
    }
    let mut intro = format!(
        "{} review, seed {seed}: {} question(s), {note}.\n",
        crate::text::printable(&exam.blueprint.code),
        paper.items.len()
    );
    if gone > 0 {
        intro.push_str(&format!("{gone} question(s) are no longer in the bank and are skipped.\n"));
    }
    intro.push_str("Answer with letters; feedback follows each answer.\n");
    let run = RunOptions { intro: &intro, hide_domain: false, json: options.json };
    begin(&exam, &mut store, &*clock, "review", seed, &paper.items, None, &run)
}

/// "in 5 hours", "in 3 days": how far away a due date is.
fn in_words(millis: u64) -> String {
    let minutes = millis / 60_000;
    match minutes {
        0 => "in under a minute".into(),
        m if m < 60 => format!("in {}", plural(m as usize, "minute")),
        m if m < 48 * 60 => format!("in {}", plural((m / 60) as usize, "hour")),
        m => format!("in {}", plural((m / (24 * 60)) as usize, "day")),
    }
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 { format!("1 {word}") } else { format!("{n} {word}s") }
}

/// The result object (docs/json.md) of a review with nothing due: the same fields in the
/// same order as any attempt's, empty, plus when the next review is due.
#[derive(serde::Serialize)]
struct NothingDue<'a> {
    attempt: Option<i64>,
    exam: Option<&'a str>,
    mode: &'a str,
    seed: Option<u64>,
    started_at: Option<String>,
    finished_at: Option<String>,
    end_reason: Option<&'a str>,
    seconds_used: f64,
    total: u32,
    correct: u32,
    percent: f64,
    scaled_score: Option<u32>,
    passing_score: Option<u32>,
    passed: Option<bool>,
    domains: [(); 0],
    questions: [(); 0],
    next_due: Option<String>,
    learning: usize,
}

/// Nothing to review: say when the next one is due. With `--json`, the result object with
/// `total` 0.
fn nothing_due(cards: &[Card], now: u64, exam: Option<&str>, json: bool) -> Result<i32> {
    let next = cards.iter().filter(|c| !c.learned && c.due_at > now).min_by_key(|c| c.due_at);
    let learning = cards.iter().filter(|c| !c.learned).count();
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    if json {
        let value = NothingDue {
            attempt: None,
            exam,
            mode: "review",
            seed: None,
            started_at: None,
            finished_at: None,
            end_reason: None,
            seconds_used: 0.0,
            total: 0,
            correct: 0,
            percent: 0.0,
            scaled_score: None,
            passing_score: None,
            passed: None,
            domains: [],
            questions: [],
            next_due: next.map(|c| format_timestamp(c.due_at)),
            learning,
        };
        serde_json::to_writer_pretty(&mut out, &value).map_err(std::io::Error::from)?;
        writeln!(out)?;
        return Ok(0);
    }
    match next {
        Some(card) => writeln!(
            out,
            "Nothing is due for review. The next is due {} ({} UTC); {} still being learned.",
            in_words(card.due_at.saturating_sub(now)),
            format_timestamp(card.due_at).replace('T', " ").trim_end_matches('Z'),
            plural(learning, "question")
        )?,
        None if learning == 0 => writeln!(
            out,
            "Nothing to review: no missed questions are being learned. Take an exam or a drill first."
        )?,
        None => writeln!(out, "Nothing is due for review.")?,
    }
    Ok(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn due_dates_in_words() {
        assert_eq!(in_words(30_000), "in under a minute");
        assert_eq!(in_words(60_000), "in 1 minute");
        assert_eq!(in_words(5 * 3_600_000 + 1), "in 5 hours");
        assert_eq!(in_words(3 * 86_400_000), "in 3 days");
    }
}
