//! `proctor review [EXAM]`: re-asks missed questions that are due, on the FSRS schedule
//! (study::schedule), with immediate feedback.

use std::io::Write;

use super::attempt::run_attempt;
use crate::app::start::{self, ReviewRequest, ReviewScope, ReviewStart};
use crate::cli::ReviewArgs;
use crate::config::Config;
use crate::error::Result;
use crate::exam::clock::format_timestamp;
use crate::json::{self, NothingDue};
use crate::model::Card;
use crate::store::Store;
use crate::text::printable;

pub fn run(config: &Config, args: &ReviewArgs) -> Result<i32> {
    let clock = config.clock()?;
    let store = Store::open_for_writing(&config.data_dir()?)?;
    let now = clock.now();
    let catalog = config.catalog()?;
    let request =
        ReviewRequest { exam: args.exam.as_deref(), all: args.all, attempt: args.attempt, seed: args.seed };
    let (mut attempt, scope, gone, unfinished) = match start::start_review(&catalog, store, &request, now)? {
        ReviewStart::Started { attempt, scope, gone, unfinished } => (attempt, scope, gone, unfinished),
        ReviewStart::NothingDue { cards, exam } => {
            return nothing_due(&cards, now, exam.as_deref(), args.json);
        }
    };
    let note = match &scope {
        ReviewScope::Attempt(id) => format!("the questions missed in attempt {id}"),
        ReviewScope::Queue { all, others } => {
            let mut note = if *all {
                "every question still being learned".to_string()
            } else {
                "the missed questions due for review".to_string()
            };
            for (other, n) in others {
                let other = printable(other);
                note.push_str(&format!("; also {n} in {other}: `proctor review {other}`"));
            }
            note
        }
    };
    let mut intro = format!(
        "{} review, seed {}: {} question(s), {note}.\n",
        printable(&attempt.exam().blueprint.code),
        attempt.seed(),
        attempt.len()
    );
    if gone > 0 {
        intro.push_str(&format!("{gone} question(s) are no longer in the bank and are skipped.\n"));
    }
    if let Some(open) = unfinished {
        intro.push_str(&format!(
            "Note: review attempt {open} is unfinished; `proctor resume {open}` continues it.\n"
        ));
    }
    intro.push_str("Answer with letters; feedback follows each answer.\n");
    run_attempt(&mut attempt, &intro, args.json, &*clock, false, false)
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

/// Nothing to review: say when the next one is due. With `--json`, the result object with
/// `total` 0.
fn nothing_due(cards: &[Card], now: u64, exam: Option<&str>, json: bool) -> Result<i32> {
    let next = cards.iter().filter(|c| !c.learned && c.due_at > now).min_by_key(|c| c.due_at);
    let learning = cards.iter().filter(|c| !c.learned).count();
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    if json {
        json::write(&mut out, &NothingDue::new(cards, now, exam))?;
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
