//! Text for people: the question screen, the prompt, feedback, the review list and the
//! report, drawn from the application layer's views. Pure functions returning strings, so
//! they are tested without a terminal. Bank text always goes through `printable`: it is
//! untrusted.

use crate::app::view::{
    BodyView, FeedbackBody, FeedbackView, QuestionView, ReportView, ReviewGrid, ReviewState, StatusView,
};
use crate::exam::clock::{format_countdown, format_duration};
use crate::exam::item::AnswerError;
use crate::exam::session::Refusal;
use crate::model::{Confidence, EndReason, Mode, ReviewFilter};
use crate::text::{printable, wrap, wrap_hanging, wrap_labelled};

const NUMBERS: [&str; 9] = ["ONE", "TWO", "THREE", "FOUR", "FIVE", "SIX", "SEVEN", "EIGHT", "NINE"];

/// "(Select TWO.)" for multiple response; `None` for multiple choice.
pub fn select_hint(multiple: bool, select: usize) -> Option<String> {
    if !multiple {
        return None;
    }
    let word = NUMBERS.get(select.wrapping_sub(1)).map_or_else(|| select.to_string(), |w| (*w).to_string());
    Some(format!("(Select {word}.)"))
}

pub struct ScreenContext {
    pub width: usize,
    /// Draw the "Question N of M" header (scripts, `show`); at an interactive terminal the
    /// status line carries it instead.
    pub header: bool,
    /// On a terminal, struck-out options are drawn dim and crossed out (our own escape
    /// codes around text that has been made printable); elsewhere they are marked in words.
    pub styled: bool,
}

/// The screen for one question.
pub fn question_screen(ctx: &ScreenContext, view: &QuestionView) -> String {
    let rule = "-".repeat(ctx.width.min(100));
    let mut out = String::new();
    if ctx.header {
        out.push_str(&format!("{rule}\nQuestion {} of {}", view.number, view.total));
        if let Some(name) = &view.domain {
            out.push_str(&format!("  |  {}", printable(name)));
        }
        if view.flagged {
            out.push_str("  |  [flagged]");
        }
        out.push_str(&format!("\n{rule}\n"));
    } else if let Some(name) = &view.domain {
        out.push_str(&format!("Domain: {}\n\n", printable(name)));
    }
    if let Some(scenario) = &view.scenario {
        out.push_str(&format!(
            "Case study: {} (question {} of {})\n",
            printable(&scenario.title),
            scenario.part,
            scenario.of
        ));
        out.push_str(&wrap(&printable(&scenario.text), ctx.width, 0));
        out.push_str("\n\n");
    }
    out.push_str(&wrap(&printable(&view.stem), ctx.width, 0));
    out.push('\n');
    let option_line = |out: &mut String, marker: char, letter: char, text: &str, struck: bool| {
        let label = if struck && !ctx.styled { "[struck out] " } else { "" };
        let line = wrap_labelled(&format!("{letter}. {label}"), &printable(text), ctx.width, "", 6);
        if struck && ctx.styled {
            out.push_str(&format!(" {marker} \u{1b}[2;9m{line}\u{1b}[0m\n"));
        } else {
            out.push_str(&format!(" {marker} {line}\n"));
        }
    };
    match &view.body {
        BodyView::Choice { select, multiple, options } => {
            if let Some(hint) = select_hint(*multiple, *select) {
                out.push_str(&format!("{hint}\n"));
            }
            out.push('\n');
            for option in options {
                // '*' marks your answer, 'x' an option you struck out (visible without styles).
                let marker = if option.chosen {
                    '*'
                } else if option.struck {
                    'x'
                } else {
                    ' '
                };
                option_line(&mut out, marker, option.letter, &option.text, option.struck);
            }
        }
        BodyView::Ordering { need, steps, chosen } => {
            let some =
                if *need < steps.len() { format!("{need} of these steps") } else { "these steps".into() };
            out.push_str(&wrap(
                &format!("(Put {some} in order: type their letters, e.g. `{}`.)", example_order(*need)),
                ctx.width,
                0,
            ));
            out.push_str("\n\n");
            for step in steps {
                // The step's place in your order so far, or 'x' when struck out.
                let marker = match chosen.iter().position(|c| *c == step.letter) {
                    Some(place) if place < 9 => char::from(b'1' + place as u8),
                    Some(_) => '*',
                    None if step.struck => 'x',
                    None => ' ',
                };
                option_line(&mut out, marker, step.letter, &step.text, step.struck);
            }
        }
        BodyView::Matching { prompts, responses } => {
            out.push_str(&wrap(
                "(Match each prompt with a response: type pairs, e.g. `1b 2d 3a`; a response may fit more than one prompt.)",
                ctx.width,
                0,
            ));
            out.push_str("\n\n");
            for prompt in prompts {
                let matched = prompt.matched.map_or_else(String::new, |m| format!("  -> {m}"));
                let line = wrap_hanging(
                    &format!("{}. {}{matched}", prompt.number, printable(&prompt.text)),
                    ctx.width,
                    "   ",
                    6,
                );
                out.push_str(&format!("{line}\n"));
            }
            out.push('\n');
            for response in responses {
                let marker = if response.struck { 'x' } else { ' ' };
                option_line(&mut out, marker, response.letter, &response.text, response.struck);
            }
        }
    }
    out.push('\n');
    if let Some(answer) = &view.answer {
        let mark = confidence_mark(view.confidence);
        out.push_str(&format!("Your answer: {}{mark}\n", spaced(&view.body, answer)));
    }
    out
}

/// A screen cut into pages of at most `rows` lines, at line ends (never inside a line).
pub fn pages(screen: &str, rows: usize) -> Vec<String> {
    let lines: Vec<&str> = screen.lines().collect();
    if lines.len() <= rows + 1 {
        return vec![screen.to_string()];
    }
    lines.chunks(rows.max(1)).map(|chunk| chunk.join("\n") + "\n").collect()
}

/// "c a b" for three steps, "c a d b" for four...: an example that is not the answer's
/// pattern (it only shows the syntax).
fn example_order(steps: usize) -> &'static str {
    match steps {
        0..=3 => "c a b",
        4 => "c a d b",
        _ => "c a e d b",
    }
}

/// " (sure)" or " (guessing)" after an answer the candidate marked; "" otherwise.
pub fn confidence_mark(confidence: Option<Confidence>) -> &'static str {
    match confidence {
        Some(Confidence::Sure) => " (sure)",
        Some(Confidence::Unsure) => " (guessing)",
        None => "",
    }
}

/// An ordering answer reads better spaced ("C A D B"); others as they are.
fn spaced(body: &BodyView, answer: &str) -> String {
    match body {
        BodyView::Ordering { .. } => answer.chars().map(String::from).collect::<Vec<_>>().join(" "),
        BodyView::Choice { .. } | BodyView::Matching { .. } => answer.to_string(),
    }
}

/// Immediate feedback after an answer (drill, review), and the key in `show`: right or
/// wrong, the key, why each option is right or wrong, the explanation and the references.
pub fn feedback(view: &FeedbackView, width: usize) -> String {
    let ordering = matches!(view.body, FeedbackBody::Ordering { .. });
    let show = |letters: &str| {
        if ordering {
            letters.chars().map(String::from).collect::<Vec<_>>().join(" ")
        } else {
            letters.to_string()
        }
    };
    let key = show(&view.key);
    let mut out = match (&view.answer, view.correct) {
        (_, true) => format!("Correct: {key}.\n"),
        (Some(answer), false) => format!("Incorrect: the answer is {key}; you chose {}.\n", show(answer)),
        (None, false) => format!("Not answered. The answer is {key}.\n"),
    };
    match &view.body {
        FeedbackBody::Choice { options } => {
            for option in options {
                let verdict = if option.correct { "right" } else { "wrong" };
                let chosen = if option.chosen { " (your choice)" } else { "" };
                let why = if option.rationale.is_empty() {
                    "(no rationale given)"
                } else {
                    option.rationale.as_str()
                };
                let label = format!("{}. {verdict}{chosen}: ", option.letter);
                out.push_str(&wrap_labelled(&label, &printable(why), width, "  ", 5));
                out.push('\n');
            }
        }
        FeedbackBody::Ordering { steps } => {
            let mut steps: Vec<_> = steps.iter().collect();
            // The right sequence first, then the steps that do not belong.
            steps.sort_by_key(|s| s.position.unwrap_or(usize::MAX));
            for step in steps {
                let place = step.position.map_or_else(|| "not a step".to_string(), |p| format!("step {p}"));
                let yours = match (step.chosen_at, step.position) {
                    (Some(at), Some(p)) if at == p => String::new(),
                    (Some(at), _) => format!(" (you had it at {at})"),
                    (None, Some(_)) => " (you left it out)".into(),
                    (None, None) => String::new(),
                };
                let why =
                    if step.rationale.is_empty() { "(no rationale given)" } else { step.rationale.as_str() };
                let label = format!("{}. {place}{yours}: ", step.letter);
                out.push_str(&wrap_labelled(&label, &printable(why), width, "  ", 5));
                out.push('\n');
            }
        }
        FeedbackBody::Matching { pairs } => {
            for pair in pairs {
                let yours = match pair.given {
                    Some(given) if given == pair.key => String::new(),
                    Some(given) => format!(" (you chose {given})"),
                    None => " (not matched)".into(),
                };
                let head = format!(
                    "{}. {} -> {}: {}{yours}",
                    pair.number,
                    printable(&pair.prompt),
                    pair.key,
                    printable(&pair.key_text)
                );
                out.push_str(&wrap_hanging(&head, width, "  ", 5));
                out.push('\n');
                if !pair.rationale.is_empty() {
                    out.push_str(&wrap_hanging(&printable(&pair.rationale), width, "     ", 5));
                    out.push('\n');
                }
            }
        }
    }
    if !view.explanation.is_empty() {
        out.push_str(&format!("\n{}\n", wrap(&printable(&view.explanation), width, 0)));
    }
    for reference in &view.references {
        out.push_str(&format!("See: {}\n", printable(reference)));
    }
    out
}

/// The prompt: position, progress and (`with_time`, when no status line shows the live
/// clock) the time left.
pub fn prompt(status: &StatusView, with_time: bool) -> String {
    let time = status
        .remaining
        .filter(|_| with_time)
        .map_or_else(String::new, |r| format!(" | {} left", format_countdown(r)));
    format!(
        "[{}/{} | answered {} | flagged {}{}] > ",
        status.number, status.total, status.answered, status.flagged, time
    )
}

/// Why an action was refused, in words.
pub fn refusal(refusal: &Refusal) -> String {
    match refusal {
        Refusal::TimeUp => "time is up".into(),
        Refusal::Finished => "this attempt is already finished".into(),
        Refusal::NoQuestions => "this attempt has no questions".into(),
        Refusal::Answer(AnswerError::NoSuchOption { letter, options }) => {
            format!("there is no option {letter}; this question has {options}")
        }
        Refusal::Answer(AnswerError::WrongCount { need: 1, gave }) => {
            format!("choose one option, not {gave}")
        }
        Refusal::Answer(AnswerError::WrongCount { need, gave }) => {
            format!("this question needs exactly {need} options; you gave {gave}")
        }
        Refusal::Answer(AnswerError::Empty) => "give at least one option letter".into(),
        Refusal::Answer(AnswerError::RepeatedStep { letter }) => {
            format!("step {letter} is in your order twice; give each step once")
        }
        Refusal::Answer(AnswerError::NoSuchPrompt { number, prompts }) => {
            format!("there is no prompt {number}; this question has {prompts}")
        }
        Refusal::Answer(AnswerError::TooManySteps { need, gave }) => {
            format!("the order has {need} steps; you gave {gave} (some of the listed steps do not belong)")
        }
        Refusal::Answer(AnswerError::WrongKind) => {
            "that answer does not fit this kind of question; `help` shows how to answer".into()
        }
        Refusal::NoSuchOption { letter, .. } => format!("there is no option {letter}"),
        Refusal::Locked => "this question is answered and its feedback given; `next` to go on".into(),
        Refusal::AtLastQuestion => "this is the last question; `submit` when you are done".into(),
        Refusal::AtFirstQuestion => "this is the first question".into(),
        Refusal::NoSuchQuestion { number, total } => {
            format!("there is no question {number}; questions are 1 to {total}")
        }
        Refusal::NoneLeft(ReviewFilter::Flagged) => "no flagged question left".into(),
        Refusal::NoneLeft(_) => "no question left that is not complete".into(),
    }
}

/// The review screen, with the real exam's states: every question (or those of one
/// state) as a cell of a grid, so a 65-question exam fits on one screen. "12 AC" complete,
/// "13 --" incomplete (seen; a partial answer shows as "13 part"), "14 .." unseen, "!"
/// flagged, ">" the current question.
pub fn review(grid: &ReviewGrid, width: usize) -> String {
    const CELL: usize = 10;
    let per_row = (width / CELL).max(1);
    let mut out = String::new();
    for (shown, entry) in grid.entries.iter().enumerate() {
        let answer = match (entry.state, &entry.answer) {
            (ReviewState::Complete, Some(answer)) => answer.replace(' ', ""),
            (ReviewState::Incomplete, Some(_)) => "part".to_string(),
            (ReviewState::Unseen, _) => "..".to_string(),
            (_, None) => "--".to_string(),
        };
        let answer: String = answer.chars().take(5).collect();
        let flag = if entry.flagged { "!" } else { "" };
        let here = if entry.current { ">" } else { " " };
        let cell = format!("{here}{:>3} {answer}{flag}", entry.number);
        out.push_str(&format!("{cell:<CELL$}"));
        if (shown + 1).is_multiple_of(per_row) {
            out.truncate(out.trim_end_matches(' ').len());
            out.push('\n');
        }
    }
    if !grid.entries.len().is_multiple_of(per_row) {
        out.truncate(out.trim_end_matches(' ').len());
        out.push('\n');
    }
    let what = match grid.filter {
        ReviewFilter::All => "all questions",
        ReviewFilter::Unanswered => "not complete",
        ReviewFilter::Complete => "complete",
        ReviewFilter::Incomplete => "incomplete",
        ReviewFilter::Unseen => "unseen",
        ReviewFilter::Flagged => "flagged",
    };
    let head = format!(
        "Review ({what}: {}): {} complete, {} incomplete, {} unseen, {} flagged.\n\
         AC complete, -- incomplete, part partial, .. unseen, ! flagged, > current.\n\
         Open: `N`. Flag: `flag N`. Next incomplete / flagged: `nu` / `nf`.\n\
         Filter: `review incomplete` (or unseen, flagged, complete). End: `end review`.\n",
        grid.entries.len(),
        grid.complete,
        grid.incomplete,
        grid.unseen,
        grid.flagged
    );
    crate::text::wrap_lines(&head, width) + "\n" + &out
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

/// The end-of-attempt report.
pub fn report(report: &ReportView, width: usize) -> String {
    let score = &report.score;
    let mut out = String::new();
    let rule = "=".repeat(width.min(100));
    let what = match report.mode {
        Mode::Exam => "mock exam",
        Mode::Drill => "drill",
        Mode::Review => "review",
    };
    out.push_str(&format!(
        "{rule}\n{} {what}: attempt {} (seed {})\n",
        printable(&report.code),
        report.attempt,
        report.seed
    ));
    if report.reason == EndReason::TimeUp {
        out.push_str("Time is up: the attempt was submitted automatically at the deadline.\n");
    }
    out.push_str(&format!("{rule}\n"));
    let exam_mode = report.mode == Mode::Exam;
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
    if report.unscored > 0 {
        out.push_str(&format!(", plus {} unscored", report.unscored));
    }
    out.push('\n');
    let limit = report.limit.map_or_else(String::new, |l| format!(" of {}", format_duration(l)));
    out.push_str(&format!("Time used: {}{limit}\n", format_duration(report.used)));
    if exam_mode {
        out.push_str("The scaled score is our estimate, not AWS's scoring\n(docs/scoring.md explains it).\n");
    }
    out.push('\n');
    // Two lines a domain, so long domain names never push the line past 80 columns.
    for d in score.domains.iter().filter(|d| exam_mode || d.total > 0) {
        let pace = domain_pace(score, &d.id).map_or_else(String::new, |p| format!("  ({p} a question)"));
        out.push_str(&format!("  {}{pace}\n", printable(&d.name)));
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
    out.push_str(&pace_lines(report, width));
    if let Some(weak) = &report.weakest {
        if report.all_meet {
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
                printable(&report.exam_id),
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
        out.push_str(&crate::text::wrap_lines(&list, width));
        out.push('\n');
        out.push_str(&format!("Walk through them:    proctor show {} --only missed\n", report.attempt));
        out.push_str(&format!(
            "Review (spaced repetition):  proctor review {}\n",
            printable(&report.exam_id)
        ));
    }
    out.push_str(&confidence_lines(score, width));
    match (exam_mode, report.seen_before) {
        // A retake's paper is the misses of another attempt, not the seed's.
        (true, _) if report.retake_of.is_some() => {
            let source = report.retake_of.unwrap_or_default();
            out.push_str(&format!("A retake of the questions missed in attempt {source}.\n"));
        }
        (true, None) => out.push_str(&format!("`--seed {}` reproduces this exam.\n", report.seed)),
        // The paper also depended on the history: say how to get the seed's own.
        (true, Some(seen)) => {
            let line = format!(
                "Seed {}, drawn with the {seen} questions you had seen put last; `--seed {} \
                 --include-seen` draws by the seed alone.",
                report.seed, report.seed
            );
            out.push_str(&crate::text::wrap_lines(&line, width));
            out.push('\n');
        }
        (false, _) => {}
    }
    out
}

/// Seconds as M:SS (or H:MM:SS past an hour): a time per question.
fn short_time(seconds: f64) -> String {
    let secs = seconds.round() as u64;
    if secs >= 3600 { format_duration(secs * 1000) } else { format!("{}:{:02}", secs / 60, secs % 60) }
}

/// The average time on the domain's questions that took any time; `None` when none did.
fn domain_pace(score: &crate::exam::score::Score, domain: &str) -> Option<String> {
    let times: Vec<f64> =
        score.questions.iter().filter(|q| q.domain == domain && q.seconds > 0.0).map(|q| q.seconds).collect();
    (!times.is_empty()).then(|| short_time(times.iter().sum::<f64>() / times.len() as f64))
}

/// The pace: the average time per question against the exam's (its limit over its
/// questions), and the three slowest questions. Nothing when no time was spent.
fn pace_lines(report: &ReportView, width: usize) -> String {
    let timed: Vec<&crate::exam::score::QuestionResult> =
        report.score.questions.iter().filter(|q| q.seconds > 0.0).collect();
    if timed.is_empty() {
        return String::new();
    }
    let average = timed.iter().map(|q| q.seconds).sum::<f64>() / timed.len() as f64;
    let mut line = format!("Pace: {} a question", short_time(average));
    let count = report.score.questions.len();
    if let Some(limit) = report.limit.filter(|_| count > 0) {
        let allowed = limit as f64 / 1000.0 / count as f64;
        let verdict = if average > allowed { "behind" } else { "within" };
        line.push_str(&format!(", {verdict} the {} this paper allows", short_time(allowed)));
    }
    let mut slowest = timed.clone();
    slowest.sort_by(|a, b| b.seconds.total_cmp(&a.seconds).then(a.position.cmp(&b.position)));
    let named: Vec<String> =
        slowest.iter().take(3).map(|q| format!("{} ({})", q.position, short_time(q.seconds))).collect();
    line.push_str(&format!(". Slowest: {}.", named.join(", ")));
    let mut out = crate::text::wrap_lines(&line, width);
    out.push_str("\n\n");
    out
}

/// What the candidate's `!` and `?` marks say: right answers they were unsure of (lucky
/// guesses, reviewed like misses) and wrong answers they were sure of (misconceptions,
/// asked first in review). Nothing when no answer was marked.
fn confidence_lines(score: &crate::exam::score::Score, width: usize) -> String {
    let positions = |keep: &dyn Fn(&crate::exam::score::QuestionResult) -> bool| -> Vec<usize> {
        score.questions.iter().filter(|q| q.scored && keep(q)).map(|q| q.position).collect()
    };
    let rated = positions(&|q| q.confidence.is_some());
    if rated.is_empty() {
        return String::new();
    }
    let mut out = String::new();
    let lucky = positions(&|q| q.correct && q.confidence == Some(Confidence::Unsure));
    let confident = positions(&|q| !q.correct && q.confidence == Some(Confidence::Sure));
    let sure = positions(&|q| q.confidence == Some(Confidence::Sure));
    let sure_right = sure.len() - confident.len();
    out.push_str(&format!("Marked sure: {} ({sure_right} right).", sure.len()));
    out.push_str(&format!(" Marked unsure: {} ({} right).\n", rated.len() - sure.len(), lucky.len()));
    if !lucky.is_empty() {
        let line = format!(
            "Right but unsure {}: questions {} (they go to review too).",
            lucky.len(),
            ranges(&lucky)
        );
        out.push_str(&crate::text::wrap_lines(&line, width));
        out.push('\n');
    }
    if !confident.is_empty() {
        let line = format!(
            "Wrong but sure {}: questions {} (asked first in review).",
            confident.len(),
            ranges(&confident)
        );
        out.push_str(&crate::text::wrap_lines(&line, width));
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn select_hint_comes_from_the_key() {
        assert_eq!(select_hint(true, 3).as_deref(), Some("(Select THREE.)"));
        assert_eq!(select_hint(false, 1), None);
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

    // Snapshots of the screens at 80 columns: a change of layout fails here and shows the
    // difference (`cargo insta review`, or INSTA_UPDATE=always to accept).
    use crate::app::view::{OptionView, ReviewEntry};
    use crate::exam::score::{DomainResult, NEEDS, QuestionResult, Score};

    fn sample_question() -> QuestionView {
        let options = [
            "Store the objects in S3 Intelligent-Tiering.",
            "Add a lifecycle rule to Standard-IA after 30 days.",
            "Move cold data to Glacier Deep Archive every night, restoring on demand within 48 hours.",
            "Review Storage Class Analysis monthly.",
        ];
        QuestionView {
            number: 29,
            total: 65,
            flagged: true,
            domain: Some("Design Cost-Optimized Architectures".into()),
            scenario: None,
            stem: "A media analytics startup stores 400 TB of customer datasets in Amazon S3 Standard. Objects range from 50 MB to 2 GB. Some datasets are queried daily for a few weeks and then ignored.\n\nWhich storage approach meets these requirements MOST cost-effectively?".into(),
            body: BodyView::Choice {
                select: 2,
                multiple: true,
                options: options
                    .iter()
                    .enumerate()
                    .map(|(i, t)| OptionView { letter: (b'A' + i as u8) as char, text: (*t).into(), struck: i == 2, chosen: i == 0 })
                    .collect(),
            },
            answer: Some("A".into()),
            confidence: Some(crate::model::Confidence::Unsure),
        }
    }

    #[test]
    fn snapshot_question_screen_at_80_columns() {
        let ctx = ScreenContext { width: 80, styled: false, header: true };
        insta::assert_snapshot!(question_screen(&ctx, &sample_question()));
    }

    #[test]
    fn snapshot_review_grid_at_80_columns() {
        let entries = (1..=23)
            .map(|n| ReviewEntry {
                number: n,
                answer: (n % 3 != 0).then(|| if n % 5 == 0 { "AC".to_string() } else { "B".to_string() }),
                state: if n > 20 {
                    ReviewState::Unseen
                } else if n % 3 == 0 {
                    ReviewState::Incomplete
                } else {
                    ReviewState::Complete
                },
                flagged: n % 7 == 0,
                current: n == 12,
            })
            .collect();
        let grid = ReviewGrid {
            filter: ReviewFilter::All,
            entries,
            total: 23,
            complete: 14,
            incomplete: 6,
            unseen: 3,
            flagged: 3,
        };
        insta::assert_snapshot!(review(&grid, 80));
    }

    #[test]
    fn snapshot_report_at_80_columns() {
        let domain = |id: &str, name: &str, correct: u32, total: u32| DomainResult {
            id: id.into(),
            name: name.into(),
            correct,
            total,
            percent: f64::from(correct) * 100.0 / f64::from(total),
            classification: if correct * 100 >= total * 72 { crate::exam::score::MEETS } else { NEEDS },
        };
        let domains = vec![
            domain("secure", "Design Secure Architectures", 12, 15),
            domain("resilient", "Design Resilient Architectures", 8, 13),
            domain("performant", "Design High-Performing Architectures", 10, 12),
            domain("cost", "Design Cost-Optimized Architectures", 6, 10),
        ];
        let questions = (1..=50)
            .map(|n| QuestionResult {
                position: n,
                id: format!("q{n}"),
                domain: ["secure", "resilient", "performant", "cost"][n % 4].into(),
                response: "A".into(),
                correct_response: "A".into(),
                correct: n % 4 != 0,
                flagged: false,
                scored: true,
                seconds: (n * 7 % 50) as f64 * 3.0 + 20.0,
                // 3 and 5 are lucky guesses, 4 and 8 sure mistakes, 9 sure and right.
                confidence: match n {
                    3 | 5 => Some(Confidence::Unsure),
                    4 | 8 | 9 => Some(Confidence::Sure),
                    _ => None,
                },
            })
            .collect();
        let score = Score {
            total: 50,
            correct: 36,
            percent: 72.0,
            scaled_score: 720,
            passing_score: 720,
            passed: true,
            domains: domains.clone(),
            questions,
        };
        let report_view = ReportView {
            exam_id: "saa-c03".into(),
            code: "SAA-C03".into(),
            mode: Mode::Exam,
            attempt: 7,
            seed: 42,
            used: 137_000,
            limit: Some(7_800_000),
            reason: EndReason::Submitted,
            unscored: 15,
            seen_before: Some(130),
            retake_of: None,
            score,
            weakest: Some(domains[3].clone()),
            all_meet: false,
        };
        insta::assert_snapshot!(report(&report_view, 80));
    }

    #[test]
    fn snapshot_code_block_wider_than_80_columns() {
        let mut view = sample_question();
        view.stem = "A Lambda function returns an error. Its handler, deployed last week by a team that has since moved on to other work, is:\n```python\nimport json\n\ndef handler(event, context):\n    body = {\"message\": \"hello\", \"items\": [item.upper() for item in event.get(\"items\", [])]}\n    return {\"statusCode\": 200, \"body\": body}\n```\nWhich change fixes it?".into();
        if let BodyView::Choice { options, .. } = &mut view.body {
            options[1].text =
                "```python\nreturn {\"statusCode\": 200, \"body\": json.dumps(body)}\n```".into();
            options[3].text = "Wrap the body:\n```\njson.dumps(body)\n```".into();
        }
        let ctx = ScreenContext { width: 80, styled: false, header: true };
        let screen = question_screen(&ctx, &view);
        assert!(screen.lines().any(|l| l.chars().count() > 80), "{screen}");
        insta::assert_snapshot!(screen);
    }
}
