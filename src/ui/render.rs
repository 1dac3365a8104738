//! Text for people: the question screen, the prompt, the review list and the report.
//! Pure functions returning strings, so they are tested without a terminal. Bank text
//! always goes through `printable`: it is untrusted.

use crate::bank::{Blueprint, Kind, Question};
use crate::exam::assemble::PaperItem;
use crate::exam::clock::{Millis, format_countdown, format_duration};
use crate::exam::command::ReviewFilter;
use crate::exam::score::{MEETS, Score, weakest_domain};
use crate::exam::session::{EndReason, Session, letter, letters};
use crate::text::{printable, wrap, wrap_hanging};

const NUMBERS: [&str; 9] = ["ONE", "TWO", "THREE", "FOUR", "FIVE", "SIX", "SEVEN", "EIGHT", "NINE"];

/// "(Select TWO.)" for multiple response; `None` for multiple choice.
pub fn select_hint(question: &Question) -> Option<String> {
    match question.kind {
        Kind::MultipleChoice => None,
        Kind::MultipleResponse => {
            let n = question.select_count();
            let word = NUMBERS.get(n.wrapping_sub(1)).map_or_else(|| n.to_string(), |w| (*w).to_string());
            Some(format!("(Select {word}.)"))
        }
    }
}

pub struct ScreenContext<'a> {
    pub blueprint: &'a Blueprint,
    pub hide_domain: bool,
    pub width: usize,
    /// On a terminal, struck-out options are drawn dim and crossed out (our own escape
    /// codes around text that has been made printable); elsewhere they are marked in words.
    pub styled: bool,
}

/// The screen for the question at `position`.
pub fn question_screen(
    ctx: &ScreenContext,
    session: &Session,
    item: &PaperItem,
    question: &Question,
) -> String {
    let position = session.position;
    let state = &session.items[position];
    let rule = "-".repeat(ctx.width.min(100));
    let mut out = format!("{rule}\nQuestion {} of {}", position + 1, session.len());
    if !ctx.hide_domain {
        let name = ctx.blueprint.domain(&item.domain).map_or(item.domain.as_str(), |d| d.name.as_str());
        out.push_str(&format!("  |  {}", printable(name)));
    }
    if state.flagged {
        out.push_str("  |  [flagged]");
    }
    out.push_str(&format!("\n{rule}\n"));
    out.push_str(&wrap(&printable(&question.stem), ctx.width, 0));
    out.push('\n');
    if let Some(hint) = select_hint(question) {
        out.push_str(&format!("{hint}\n"));
    }
    out.push('\n');
    for (shown, &bank) in item.option_order.iter().enumerate() {
        let text = question.options.get(bank).map_or("", |o| o.text.as_str());
        let struck = state.struck.contains(&shown);
        let chosen = state.response.contains(&shown);
        // '*' marks your answer, 'x' an option you struck out (visible even without styles).
        let marker = if chosen {
            '*'
        } else if struck {
            'x'
        } else {
            ' '
        };
        let label = if struck && !ctx.styled { "[struck out] " } else { "" };
        let line = wrap_hanging(&format!("{}. {label}{}", letter(shown), printable(text)), ctx.width, "", 6);
        if struck && ctx.styled {
            out.push_str(&format!(" {marker} \u{1b}[2;9m{line}\u{1b}[0m\n"));
        } else {
            out.push_str(&format!(" {marker} {line}\n"));
        }
    }
    out.push('\n');
    if state.answered() {
        out.push_str(&format!("Your answer: {}\n", letters(&state.response)));
    }
    out
}

/// Immediate feedback after an answer (drill, review): right or wrong, the key, why each
/// option is right or wrong, the explanation and the references.
pub fn feedback(item: &PaperItem, question: &Question, response: &[usize], width: usize) -> String {
    let key = item.shown_key(question);
    let mut out = if response == key.as_slice() {
        format!("Correct: {}.\n", letters(&key))
    } else {
        format!("Incorrect: the answer is {}; you chose {}.\n", letters(&key), letters(response))
    };
    for (shown, &bank) in item.option_order.iter().enumerate() {
        let Some(option) = question.options.get(bank) else { continue };
        let verdict = if option.correct { "right" } else { "wrong" };
        let chosen = if response.contains(&shown) { " (your choice)" } else { "" };
        let why =
            if option.rationale.is_empty() { "(no rationale given)" } else { option.rationale.as_str() };
        let text = format!("{}. {verdict}{chosen}: {}", letter(shown), printable(why));
        out.push_str(&wrap_hanging(&text, width, "  ", 5));
        out.push('\n');
    }
    if !question.explanation.is_empty() {
        out.push_str(&format!("\n{}\n", wrap(&printable(&question.explanation), width, 0)));
    }
    for reference in &question.references {
        out.push_str(&format!("See: {}\n", printable(reference)));
    }
    out
}

/// The prompt: position, progress and time left.
pub fn prompt(session: &Session, now: Millis) -> String {
    let time =
        session.remaining(now).map_or_else(String::new, |r| format!(" | {} left", format_countdown(r)));
    format!(
        "[{}/{} | answered {} | flagged {}{}] > ",
        session.position + 1,
        session.len(),
        session.answered_count(),
        session.flagged_count(),
        time
    )
}

/// The review screen: every question (or the unanswered or flagged ones) with its state.
pub fn review(session: &Session, filter: ReviewFilter, width: usize) -> String {
    // A grid, so a 65-question exam fits on one screen: "12 AC" answered, "13 --"
    // unanswered, "!" flagged, ">" the current question.
    const CELL: usize = 10;
    let per_row = (width / CELL).max(1);
    let mut out = String::new();
    let mut shown = 0;
    for (i, item) in session.items.iter().enumerate() {
        let keep = match filter {
            ReviewFilter::All => true,
            ReviewFilter::Unanswered => !item.answered(),
            ReviewFilter::Flagged => item.flagged,
        };
        if !keep {
            continue;
        }
        let answer = if item.answered() { letters(&item.response) } else { "--".into() };
        let flag = if item.flagged { "!" } else { "" };
        let here = if i == session.position { ">" } else { " " };
        let cell = format!("{here}{:>3} {answer}{flag}", i + 1);
        out.push_str(&format!("{cell:<CELL$}"));
        shown += 1;
        if shown % per_row == 0 {
            out.truncate(out.trim_end_matches(' ').len());
            out.push('\n');
        }
    }
    if shown % per_row != 0 {
        out.truncate(out.trim_end_matches(' ').len());
        out.push('\n');
    }
    let what = match filter {
        ReviewFilter::All => "questions",
        ReviewFilter::Unanswered => "unanswered",
        ReviewFilter::Flagged => "flagged",
    };
    let head = format!(
        "Review ({shown} {what}): {} answered, {} unanswered, {} flagged.\n\
         -- unanswered, ! flagged, > current. Move with `goto N`, `nu` or `nf`.\n",
        session.answered_count(),
        session.len() - session.answered_count(),
        session.flagged_count()
    );
    head + &out
}

/// Sorted numbers as compact ranges: 1, 3-5, 9.
pub fn ranges(numbers: &[usize]) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut i = 0;
    while i < numbers.len() {
        let start = numbers[i];
        while i + 1 < numbers.len() && numbers[i + 1] == numbers[i] + 1 {
            i += 1;
        }
        parts.push(if numbers[i] == start { start.to_string() } else { format!("{start}-{}", numbers[i]) });
        i += 1;
    }
    parts.join(", ")
}

/// A bar of `width` cells for `percent`.
pub fn bar(percent: f64, width: usize) -> String {
    let filled = ((percent.clamp(0.0, 100.0) / 100.0) * width as f64).round() as usize;
    format!("{}{}", "#".repeat(filled), ".".repeat(width - filled))
}

pub struct ReportContext<'a> {
    pub blueprint: &'a Blueprint,
    /// `exam`, `drill` or `review`: only an exam has a scaled score and a verdict.
    pub mode: &'a str,
    pub attempt: i64,
    pub seed: u64,
    pub used: Millis,
    pub limit: Option<Millis>,
    pub reason: EndReason,
    pub unscored: usize,
    pub width: usize,
}

/// The end-of-exam report.
pub fn report(ctx: &ReportContext, score: &Score) -> String {
    let b = ctx.blueprint;
    let mut out = String::new();
    let rule = "=".repeat(ctx.width.min(100));
    let what = match ctx.mode {
        "exam" => "mock exam",
        "drill" => "drill",
        _ => "review",
    };
    out.push_str(&format!(
        "{rule}\n{} {what}: attempt {} (seed {})\n",
        printable(&b.code),
        ctx.attempt,
        ctx.seed
    ));
    if ctx.reason == EndReason::TimeUp {
        out.push_str("Time is up: the attempt was submitted automatically at the deadline.\n");
    }
    out.push_str(&format!("{rule}\n"));
    let exam_mode = ctx.mode == "exam";
    if exam_mode {
        let verdict = if score.passed { "PASS" } else { "FAIL" };
        out.push_str(&format!(
            "Result: {verdict}   estimated scaled score {} (pass mark {}, scale 100-1000)\n",
            score.scaled_score, score.passing_score
        ));
    }
    out.push_str(&format!(
        "Correct: {} of {} scored questions ({:.1}%)",
        score.correct, score.total, score.percent
    ));
    if ctx.unscored > 0 {
        out.push_str(&format!(", plus {} unscored", ctx.unscored));
    }
    out.push('\n');
    let limit = ctx.limit.map_or_else(String::new, |l| format!(" of {}", format_duration(l)));
    out.push_str(&format!("Time used: {}{limit}\n", format_duration(ctx.used)));
    if exam_mode {
        out.push_str("The scaled score is our estimate, not AWS's scoring\n(docs/scoring.md explains it).\n");
    }
    out.push('\n');
    // Two lines a domain, so long domain names never push the line past 80 columns.
    for d in score.domains.iter().filter(|d| exam_mode || d.total > 0) {
        out.push_str(&format!("  {}\n", printable(&d.name)));
        out.push_str(&format!(
            "    {}  {:>3}/{:<3} {:>5.1}%  {}\n",
            bar(d.percent, 30),
            d.correct,
            d.total,
            d.percent,
            d.classification
        ));
    }
    out.push('\n');
    if let Some(weak) = weakest_domain(score, b) {
        // Only the domains this attempt had questions in count.
        if score.domains.iter().filter(|d| d.total > 0).all(|d| d.classification == MEETS) {
            out.push_str(&format!(
                "Every domain meets competencies; the lowest is {} ({:.1}%).\n",
                printable(&weak.name),
                weak.percent
            ));
        } else {
            out.push_str(&format!(
                "Drill next: {} ({:.1}%)\n  proctor drill {} --domain {}\n",
                printable(&weak.name),
                weak.percent,
                printable(&b.id),
                printable(&weak.id)
            ));
        }
    }
    let missed: Vec<usize> =
        score.questions.iter().filter(|q| q.scored && !q.correct).map(|q| q.position).collect();
    if missed.is_empty() {
        out.push_str("Nothing missed.\n");
    } else {
        let list = format!("Missed {}: questions {}.", missed.len(), ranges(&missed));
        out.push_str(&crate::text::wrap_lines(&list, ctx.width));
        out.push('\n');
        out.push_str(&format!("Walk through them:    proctor show {} --only missed\n", ctx.attempt));
        out.push_str(&format!("Review (spaced repetition):  proctor review {}\n", printable(&b.id)));
    }
    if exam_mode {
        out.push_str(&format!("`--seed {}` reproduces this exam.\n", ctx.seed));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bank::Choice;

    #[test]
    fn select_hint_comes_from_the_key() {
        let mut q = Question {
            id: "q".into(),
            domain: "d".into(),
            kind: Kind::MultipleResponse,
            difficulty: None,
            tags: vec![],
            stem: "s".into(),
            explanation: String::new(),
            references: vec![],
            options: (0..6)
                .map(|i| Choice { text: "o".into(), correct: i < 3, rationale: String::new() })
                .collect(),
        };
        assert_eq!(select_hint(&q).as_deref(), Some("(Select THREE.)"));
        q.kind = Kind::MultipleChoice;
        assert_eq!(select_hint(&q), None);
    }

    #[test]
    fn ranges_compress_runs() {
        assert_eq!(ranges(&[1, 3, 4, 5, 9]), "1, 3-5, 9");
        assert_eq!(ranges(&[]), "");
    }

    #[test]
    fn bars_fill_in_proportion() {
        assert_eq!(bar(50.0, 10), "#####.....");
        assert_eq!(bar(0.0, 4), "....");
        assert_eq!(bar(140.0, 4), "####");
    }
}
