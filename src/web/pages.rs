//! The pages, as maud templates: every text from a bank or the store is inserted as an
//! escaped string (maud escapes `&<>"` in text and attributes), so a stem holding
//! `<script>` shows as text. No inline script or style: the Content-Security-Policy
//! forbids both, so bars are SVG rectangles whose width is an attribute.

use maud::{DOCTYPE, Markup, html};

use crate::app::notes::MAX_NOTE_CHARS;
use crate::app::past::PastAttempt;
use crate::app::room::{PassEstimate, Stats, TrendPoint};
use crate::app::view::{
    BodyView, FeedbackBody, FeedbackView, QuestionView, ReportView, ReviewGrid, ReviewState, StatusView,
};
use crate::bank::Blueprint;
use crate::error::NextStep;
use crate::exam::clock::{Millis, behind_pace, format_duration, format_timestamp, human_duration};
use crate::exam::item::AnswerError;
use crate::exam::session::Refusal;
use crate::model::{AttemptSummary, Confidence, EndReason, Mode, ReviewFilter};
use crate::text::{self, Block};

pub struct Ctx {
    /// `/TOKEN`: every link starts with it.
    pub prefix: String,
}

fn layout(ctx: &Ctx, title: &str, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " - proctor" }
                link rel="stylesheet" href={ (ctx.prefix) "/static/style.css" };
                script src={ (ctx.prefix) "/static/app.js" } defer {}
            }
            body { (body) }
        }
    }
}

fn plain(ctx: &Ctx, title: &str, content: Markup) -> Markup {
    layout(
        ctx,
        title,
        html! {
            header.bar {
                a.brand href={ (ctx.prefix) "/" } { "proctor" }
                nav aria-label="Main" { a href={ (ctx.prefix) "/" } { "Exams" } " " a href={ (ctx.prefix) "/history" } { "History" } }
            }
            main.page { (content) }
        },
    )
}

pub fn message(ctx: &Ctx, title: &str, text: &str) -> Markup {
    plain(
        ctx,
        title,
        html! { h1 { (title) } p.message role="alert" { (text) } p { a href={ (ctx.prefix) "/" } { "Back to the exams" } } },
    )
}

/// An error whose remedy is a step to take first (`Error::NeedsFirst`): said, with the
/// button or link that takes it.
pub fn needs_first(ctx: &Ctx, text: &str, step: &NextStep) -> Markup {
    plain(
        ctx,
        "Not yet",
        html! {
            h1 { "Not yet" }
            p.message role="alert" { (text) }
            @match step {
                NextStep::Resume(id) => {
                    form method="post" action={ (ctx.prefix) "/resume/" (id) } { button type="submit" { "Resume attempt " (id) } }
                }
                NextStep::Exam(exam) => {
                    p { a href={ (ctx.prefix) "/exam/" (exam) } { "Start a mock exam of " (exam) } }
                }
            }
            p { a href={ (ctx.prefix) "/" } { "Back to the exams" } }
        },
    )
}

/// Words for a refusal, for the browser (the terminal's mention typed commands).
pub fn refusal(refusal: &Refusal) -> String {
    match refusal {
        Refusal::TimeUp => "Time is up.".into(),
        Refusal::Finished => "This attempt is finished.".into(),
        Refusal::NoQuestions => "This attempt has no questions.".into(),
        Refusal::Answer(AnswerError::WrongCount { need: 1, .. }) => "choose one option.".into(),
        Refusal::Answer(AnswerError::WrongCount { need, gave }) => {
            format!(
                "select {} options (you selected {gave}); the answer is not saved until you do.",
                count_word(*need)
            )
        }
        Refusal::Answer(AnswerError::RepeatedStep { letter }) => {
            format!("Step {letter} is in your order twice; use each step once.")
        }
        Refusal::Answer(AnswerError::TooManySteps { need, .. }) => {
            format!("The order has {need} steps; some of the listed steps do not belong.")
        }
        Refusal::Answer(_) | Refusal::NoSuchOption { .. } => "That answer does not fit this question.".into(),
        Refusal::Locked => "This question is answered and its feedback shown.".into(),
        Refusal::AtLastQuestion => "This is the last question: Review or End when you are done.".into(),
        Refusal::AtFirstQuestion => "This is the first question.".into(),
        Refusal::NoSuchQuestion { number, total } => format!("There is no question {number} of {total}."),
        Refusal::NoneLeft(_) => "No such question left.".into(),
    }
}

fn count_word(n: usize) -> String {
    match n {
        1 => "ONE".into(),
        2 => "TWO".into(),
        3 => "THREE".into(),
        4 => "FOUR".into(),
        5 => "FIVE".into(),
        n => n.to_string(),
    }
}

pub fn home(ctx: &Ctx, exams: &[&Blueprint], unfinished: &[AttemptSummary]) -> Markup {
    plain(
        ctx,
        "Exams",
        html! {
            h1 { "Practice exams" }
            @if !unfinished.is_empty() {
                section.unfinished {
                    h2 { "Unfinished" }
                    ul {
                        @for a in unfinished {
                            li {
                                form method="post" action={ (ctx.prefix) "/resume/" (a.id) } {
                                    "Attempt " (a.id) ": " (a.exam) " " (a.mode.as_str()) ", " (a.answered) " of " (a.questions) " answered "
                                    button type="submit" { "Resume" span.sr-only { " attempt " (a.id) } }
                                }
                            }
                        }
                    }
                }
            }
            form.review method="post" action={ (ctx.prefix) "/review" } {
                button type="submit" #begin-review { "Review missed questions that are due" }
            }
            div.table-scroll {
                table.exams {
                    thead { tr { th { "Exam" } th { "Title" } th { "Questions" } th { "Minutes" } th { "Pass" } th { span.sr-only { "Start" } } } }
                    tbody {
                        @for b in exams {
                            tr {
                                td { (b.code) }
                                td { (b.title) }
                                td.num { (b.exam_questions) }
                                td.num { (b.minutes) }
                                td.num { (b.passing_score) }
                                td { a.button href={ (ctx.prefix) "/exam/" (b.id) } { "Start" span.sr-only { " " (b.code) } } }
                            }
                        }
                    }
                }
            }
        },
    )
}

/// A start form the server refused, shown again with its values and what was wrong.
pub struct FormProblem<'a> {
    /// Which form: `exam`, `drill` or `review`.
    pub form: &'a str,
    /// The one field that is wrong, when it is one.
    pub field: Option<&'a str>,
    pub message: String,
    pub values: &'a [(String, String)],
}

/// The start screen's forms: empty, or one of them as it was sent with its problem.
struct Filled<'a> {
    problem: Option<&'a FormProblem<'a>>,
}

impl Filled<'_> {
    fn of(&self, form: &str) -> Option<&FormProblem<'_>> {
        self.problem.filter(|p| p.form == form)
    }

    /// The value sent for `name` in `form`, or `default` (a fresh form).
    fn value(&self, form: &str, name: &str, default: &str) -> String {
        match self.of(form) {
            Some(p) => p.values.iter().find(|(k, _)| k == name).map_or("", |(_, v)| v.as_str()).to_string(),
            None => default.to_string(),
        }
    }

    /// A checkbox or radio of `form` sent as `name=value` (or, fresh, `default`).
    fn checked(&self, form: &str, name: &str, value: &str, default: bool) -> bool {
        match self.of(form) {
            Some(p) => p.values.iter().any(|(k, v)| k == name && v == value),
            None => default,
        }
    }

    /// `aria-invalid` of field `name` of `form`.
    fn invalid(&self, form: &str, name: &str) -> Option<&'static str> {
        self.of(form).filter(|p| p.field == Some(name)).map(|_| "true")
    }

    /// `aria-describedby` of field `name` of `form`: the message that says what is wrong.
    fn described(&self, form: &str, name: &str) -> Option<String> {
        self.invalid(form, name).map(|_| format!("{form}-error"))
    }

    fn error(&self, form: &str) -> Markup {
        html! {
            @if let Some(p) = self.of(form) {
                p.message role="alert" id={ (form) "-error" } { (p.message) }
            }
        }
    }
}

pub fn start(ctx: &Ctx, b: &Blueprint, problem: Option<&FormProblem>) -> Markup {
    let f = Filled { problem };
    let paper_fresh = f.checked("exam", "paper", "fresh", true);
    plain(
        ctx,
        &b.code,
        html! {
            h1 { (b.code) " - " (b.title) }
            p { a href={ (ctx.prefix) "/stats/" (b.id) } #stats-link { "Your statistics for " (b.code) } }
            section.card aria-labelledby="exam-heading" {
                h2 #exam-heading { "Mock exam" }
                p { (b.exam_questions) " questions, " (b.minutes) " minutes, pass mark " (b.passing_score) " on a scale of 100-1000. "
                    "As on the real exam, some questions are unscored and domains are not shown. The clock starts when you begin and keeps running if you close the tab." }
                (f.error("exam"))
                form method="post" action={ (ctx.prefix) "/exam/" (b.id) } {
                    fieldset {
                        legend { "Questions" }
                        label.line { input type="radio" name="paper" value="fresh" checked[paper_fresh]; " A fresh paper by the exam guide's weights (questions you have not seen first)" }
                        label.line { input type="radio" name="paper" value="missed" checked[f.checked("exam", "paper", "missed", false)];
                            " Only the scored questions I missed in a mock exam, at the real exam's pace per question" }
                        label.line.indent { "Mock exam to retake (attempt number; empty: the latest finished) "
                            input type="text" inputmode="numeric" name="missed_attempt" id="exam-missed" size="8" value=(f.value("exam", "missed_attempt", "")) aria-invalid=[f.invalid("exam", "missed_attempt")] aria-describedby=[f.described("exam", "missed_attempt")]; }
                    }
                    details open[f.of("exam").is_some()] {
                        summary { "More options" }
                        label.line { "Seed (the same seed gives the same paper; empty: a new one) "
                            input type="text" inputmode="numeric" name="seed" id="exam-seed" size="22" value=(f.value("exam", "seed", "")) aria-invalid=[f.invalid("exam", "seed")] aria-describedby=[f.described("exam", "seed")]; }
                        label.line { "Time limit (e.g. 90m or 2h10m; empty: the real " (b.minutes) " minutes) "
                            input type="text" name="time_limit" id="exam-time-limit" size="10" value=(f.value("exam", "time_limit", "")) aria-invalid=[f.invalid("exam", "time_limit")] aria-describedby=[f.described("exam", "time_limit")]; }
                        label.line { input type="checkbox" name="include_seen" value="1" id="exam-include-seen" checked[f.checked("exam", "include_seen", "1", false)];
                            " Include questions seen before (draw by the seed alone)" }
                        label.line { input type="checkbox" name="pace" value="1" id="exam-pace" checked[f.checked("exam", "pace", "1", false)];
                            " Show \"Behind pace\" beside the clock (the real exam has no such cue)" }
                        label.line { input type="checkbox" name="all_scored" value="1" checked[f.checked("exam", "all_scored", "1", false)];
                            " Score every question (no unscored ones)" }
                        label.line { input type="checkbox" name="show_domain" value="1" checked[f.checked("exam", "show_domain", "1", false)];
                            " Show each question's domain" }
                    }
                    button.primary type="submit" id="begin-exam" { "Begin the exam" }
                }
            }
            section.card aria-labelledby="drill-heading" {
                h2 #drill-heading { "Drill" }
                p { "Untimed practice with feedback after each answer: never-seen questions first, then recent misses." }
                (f.error("drill"))
                form method="post" action={ (ctx.prefix) "/drill/" (b.id) } {
                    fieldset {
                        legend { "Domains (none chosen: all)" }
                        @for d in &b.domains {
                            label.line { input type="checkbox" name="domain" value=(d.id) checked[f.checked("drill", "domain", &d.id, false)]; " " (d.name) " (" (d.weight) "%)" }
                        }
                    }
                    label.line { "Questions " input type="number" name="count" id="drill-count" value=(f.value("drill", "count", "10")) min="1" max="1000"
                        aria-invalid=[f.invalid("drill", "count")] aria-describedby=[f.described("drill", "count")]; }
                    details open[f.of("drill").is_some()] {
                        summary { "More options" }
                        label.line { "Tags (comma-separated; any of them; empty: all) "
                            input type="text" name="tags" id="drill-tags" size="30" value=(f.value("drill", "tags", "")); }
                        label.line { "Seed (empty: a new one) "
                            input type="text" inputmode="numeric" name="seed" id="drill-seed" size="22" value=(f.value("drill", "seed", "")) aria-invalid=[f.invalid("drill", "seed")] aria-describedby=[f.described("drill", "seed")]; }
                        label.line { "Time limit (e.g. 15m; empty: untimed) "
                            input type="text" name="time_limit" id="drill-time-limit" size="10" value=(f.value("drill", "time_limit", "")) aria-invalid=[f.invalid("drill", "time_limit")] aria-describedby=[f.described("drill", "time_limit")]; }
                    }
                    button type="submit" id="begin-drill" { "Begin the drill" }
                }
            }
            section.card aria-labelledby="review-heading" {
                h2 #review-heading { "Review" }
                p { "The questions of this exam you missed that are due again (spaced repetition)." }
                (f.error("review"))
                form method="post" action={ (ctx.prefix) "/review" } {
                    input type="hidden" name="exam" value=(b.id);
                    label.line { input type="checkbox" name="all" value="1" id="review-all" checked[f.checked("review", "all", "1", false)];
                        " Every question still being learned, due or not" }
                    details open[f.of("review").is_some()] {
                        summary { "More options" }
                        label.line { "Seed for the order and option letters (empty: a new one) "
                            input type="text" inputmode="numeric" name="seed" id="review-seed" size="22" value=(f.value("review", "seed", "")) aria-invalid=[f.invalid("review", "seed")] aria-describedby=[f.described("review", "seed")]; }
                    }
                    button type="submit" #begin-exam-review { "Review " (b.code) }
                }
            }
        },
    )
}

/// The clock. `role="timer"` is not a live region: a screen reader reads it when asked and
/// does not announce every second; the warnings below it are announced.
fn time_left(status: &StatusView) -> Markup {
    html! {
        @if let Some(left) = status.remaining {
            span #timer data-remaining-ms=(left) role="timer" {
                "Time remaining " span #clock { (format_duration(left)) }
            }
        }
    }
}

/// The live regions for the clock's warnings: the 30-minute one is polite, the 5- and
/// 1-minute ones assertive (they interrupt, as the real exam's do).
fn warnings() -> Markup {
    html! {
        p #notice.warning aria-live="polite" {}
        p #warning.warning aria-live="assertive" {}
    }
}

/// With the pace cue on: whether the time left covers the questions not yet complete.
/// `pace` is the paper's (incomplete questions, time per question); the page recounts it
/// each second, and announces only a change.
fn pace_cue(status: &StatusView, pace: Option<(usize, Millis)>) -> Markup {
    html! {
        @if let (Some(left), Some((incomplete, per))) = (status.remaining, pace) {
            span #pace aria-live="polite" data-incomplete=(incomplete) data-per-question-ms=(per) {
                @if behind_pace(left, incomplete, per) { "Behind pace" } @else { "On pace" }
            }
        }
    }
}

fn exam_bar(code: &str, status: &StatusView, mode: Mode, pace: Option<(usize, Millis)>) -> Markup {
    html! {
        header.bar.exam {
            span.brand { (code) " " (mode_name(mode)) }
            span #position { "Question " (status.number) " of " (status.total) }
            span.clock { (time_left(status)) " " (pace_cue(status, pace)) }
        }
        (warnings())
    }
}

/// Bank text with its fenced code blocks as `<pre><code>` (the language, if any, as a
/// `language-` class), everything escaped; prose is left to the page's `white-space`.
/// Containers of such text are `div`s: a `<pre>` may not sit inside a `<p>`.
fn rich(text: &str) -> Markup {
    if !text::has_code(text) {
        return lists(text);
    }
    html! {
        @for block in text::blocks(text) {
            @match block {
                Block::Prose(prose) => {
                    @let prose = prose.trim_matches('\n');
                    @if !prose.trim().is_empty() { span.prose { (lists(prose)) } }
                }
                Block::Code { lang, lines } => {
                    pre.code { code class=[lang.map(|l| format!("language-{l}"))] { (lines.join("\n")) } }
                }
            }
        }
    }
}

/// Prose with its list items (`text::list_marker`: `- `, `* `, `1. `, `2) `) as blocks
/// with a hanging indent, as at the prompt: an item's lines run together and wrap under
/// its first word. The other lines keep their breaks (the container's `pre-wrap`), and
/// text without a list item is unchanged. Everything is escaped.
fn lists(prose: &str) -> Markup {
    let lines: Vec<&str> = prose.split('\n').map(|l| l.strip_suffix('\r').unwrap_or(l)).collect();
    if !lines.iter().any(|l| text::list_marker(l.trim()).is_some()) {
        return html! { (prose) };
    }
    // Runs of plain lines (kept as written) and list items (marker, words).
    enum Piece {
        Lines(String),
        Item(String, String),
    }
    let mut pieces: Vec<Piece> = Vec::new();
    for line in lines {
        let trimmed = line.trim();
        if let Some(marker) = text::list_marker(trimmed) {
            let words = trimmed[marker.len()..].trim().to_string();
            pieces.push(Piece::Item(marker.trim_end().to_string(), words));
            continue;
        }
        match pieces.last_mut() {
            // A line under an item continues it, up to a blank line.
            Some(Piece::Item(_, words)) if !trimmed.is_empty() => {
                words.push(' ');
                words.push_str(trimmed);
            }
            Some(Piece::Lines(text)) => {
                text.push('\n');
                text.push_str(line);
            }
            // After an item (a block box) a new run starts on its own line, so only a blank
            // line comes here, and it shows as one.
            _ => pieces.push(Piece::Lines(line.to_string())),
        }
    }
    html! {
        @for piece in &pieces {
            @match piece {
                Piece::Lines(text) => { (text) }
                Piece::Item(marker, words) => { span.li { span.marker { (marker) " " } (words) } }
            }
        }
    }
}

fn mode_name(mode: Mode) -> &'static str {
    match mode {
        Mode::Exam => "mock exam",
        Mode::Drill => "drill",
        Mode::Review => "review",
    }
}

#[allow(clippy::too_many_arguments)]
pub fn question(
    ctx: &Ctx,
    base: &str,
    code: &str,
    mode: Mode,
    view: &QuestionView,
    status: &StatusView,
    feedback: Option<&FeedbackView>,
    note: Option<&str>,
    pace: Option<(usize, Millis)>,
    draft: Option<&str>,
) -> Markup {
    let locked = feedback.is_some();
    layout(
        ctx,
        &format!("Question {} of {}", view.number, view.total),
        html! {
            (exam_bar(code, status, mode, pace))
            main.question {
                h1.sr-only { "Question " (view.number) " of " (view.total) }
                form #question method="post" action=(base) {
                    @if !locked { input type="hidden" name="answering" value="1"; }
                    button.hidden type="submit" name="do" value="save" #save tabindex="-1" aria-hidden="true" { "Save" }
                    div.tools {
                        button type="submit" name="do" value="flag" #flag aria-pressed=(view.flagged) {
                            @if view.flagged { "Flagged for review" } @else { "Flag for review" }
                        }
                    }
                    @if let Some(note) = note { p.note role="alert" { (note) } }
                    @if let Some(domain) = &view.domain { p.domain { (domain) } }
                    @if let Some(s) = &view.scenario {
                        section.scenario {
                            h2 { (s.title) " (question " (s.part) " of " (s.of) ")" }
                            div.text { (rich(&s.text)) }
                        }
                    }
                    div.stem #stem { (rich(&view.stem)) }
                    (body(&view.body, locked))
                    @if !locked {
                        fieldset.confidence {
                            legend { "How sure are you? (optional)" }
                            label { input type="radio" name="sure" value="" checked[view.confidence.is_none()]; " Not saying" }
                            label { input type="radio" name="sure" value="sure" checked[view.confidence == Some(Confidence::Sure)]; " Sure" }
                            label { input type="radio" name="sure" value="unsure" checked[view.confidence == Some(Confidence::Unsure)]; " Guessing" }
                        }
                    } @else if let Some(c) = view.confidence {
                        p.confidence { @if c == Confidence::Sure { "You were sure." } @else { "You were guessing." } }
                    }
                    @if let Some(f) = feedback { (feedback_panel(f)) }
                    nav.actions aria-label="Question navigation" {
                        button type="submit" name="do" value="prev" #prev disabled[view.number == 1] { "Previous" }
                        button type="submit" name="do" value="next" #next disabled[view.number == view.total] { "Next" }
                        button type="submit" name="do" value="review" #review { "Review" }
                        @if mode == Mode::Exam {
                            button.end type="submit" name="do" value="end" #end { "End Exam" }
                        } @else {
                            button.end type="submit" name="do" value="end" #end { "End" }
                        }
                        button.quiet type="submit" name="do" value="quit" #quit { "Save and leave" }
                    }
                    // Part of the question's form, so the answer on screen is saved with it.
                    details.report #report open[draft.is_some()] {
                        summary { "Report a problem with this question" }
                        label for="report-text" { "What is wrong (a wrong key, a typo, an outdated fact)? The note is kept for the bank's authors; your answers are not affected." }
                        textarea #report-text name="report" rows="3" maxlength=(MAX_NOTE_CHARS) { (draft.unwrap_or("")) }
                        button type="submit" name="do" value="report" #send-report { "Send the note" }
                    }
                }
                p.keys { "Keys: a letter chooses its option (or adds its step to an order; matches the chosen item), Left and Right move, Shift+F flags." }
            }
        },
    )
}

fn body(body: &BodyView, locked: bool) -> Markup {
    match body {
        BodyView::Choice { select, multiple, options } => html! {
            fieldset.options data-select=(select) {
                legend.select {
                    @if *multiple { "(Select " (count_word(*select)) ".)" } @else { "Choose one answer." }
                }
                @for o in options {
                    div.option.struck[o.struck] {
                        label #{ "option-" (o.letter) } {
                            @if *multiple {
                                input type="checkbox" name="choice" value=(o.letter) checked[o.chosen] disabled[locked];
                            } @else {
                                input type="radio" name="choice" value=(o.letter) checked[o.chosen] disabled[locked];
                            }
                            span.letter { (o.letter) "." }
                            span.text { (rich(&o.text)) }
                            @if o.struck { span.sr-only { " (struck out)" } }
                        }
                        @if !locked {
                            // A toggle: pressed while the option is struck out.
                            button.strike type="submit" name="do" value={ "strike:" (o.letter) } #{ "strike-" (o.letter) }
                                aria-pressed=(o.struck) aria-label={ "Strike out option " (o.letter) } {
                                "Strike"
                            }
                        }
                    }
                }
                // app.js says here when the boxes ticked are not yet the number asked for.
                @if *multiple { p.select-status role="status" {} }
            }
        },
        // The selects are the form without JavaScript; app.js builds the drag-and-drop and
        // keyboard widget from this markup and keeps the selects as the fields it posts.
        BodyView::Ordering { need, steps, chosen } => html! {
            fieldset.options.ordering data-need=(need) {
                legend.select { "Put " (need) " of these steps in order." }
                ul.steps { @for s in steps { li data-letter=(s.letter) { span.letter { (s.letter) "." } " " span.text { (rich(&s.text)) } } } }
                div.fallback {
                    @for n in 1..=*need {
                        label.line {
                            "Step " (n) " "
                            select name={ "step" (n) } disabled[locked] {
                                option value="" { "-" }
                                @for s in steps {
                                    option value=(s.letter) selected[chosen.get(n - 1) == Some(&s.letter)] { (s.letter) }
                                }
                            }
                        }
                    }
                }
            }
        },
        BodyView::Matching { prompts, responses } => html! {
            fieldset.options.matching {
                legend.select { "Match each item to one response." }
                ul.steps { @for r in responses { li data-letter=(r.letter) { span.letter { (r.letter) "." } " " span.text { (r.text) } } } }
                div.fallback {
                @for p in prompts {
                    label.line data-number=(p.number) {
                        (p.number) ". " span.text { (p.text) } " "
                        select name={ "match" (p.number) } disabled[locked] {
                            option value="" { "-" }
                            @for r in responses {
                                option value=(r.letter) selected[p.matched == Some(r.letter)] { (r.letter) }
                            }
                        }
                    }
                }
                }
            }
        },
    }
}

fn feedback_panel(f: &FeedbackView) -> Markup {
    html! {
        section.feedback.right[f.correct].wrong[!f.correct] #feedback aria-live="polite" {
            h2 { @if f.correct { "Correct" } @else { "Not correct" } }
            p { "Your answer: " (f.answer.as_deref().unwrap_or("none")) ". The key: " (f.key) "." }
            @match &f.body {
                FeedbackBody::Choice { options } => {
                    ul.rationales {
                        @for o in options {
                            li.right[o.correct] {
                                strong { (o.letter) @if o.correct { " (correct)" } @if o.chosen { " (your choice)" } ": " }
                                (rich(&o.rationale))
                            }
                        }
                    }
                }
                FeedbackBody::Ordering { steps } => {
                    ul.rationales {
                        @for s in steps {
                            li {
                                strong { (s.letter) @if let Some(p) = s.position { " (step " (p) ")" } @else { " (not a step)" } ": " }
                                (rich(&s.rationale))
                            }
                        }
                    }
                }
                FeedbackBody::Matching { pairs } => {
                    ul.rationales {
                        @for p in pairs {
                            li { strong { (p.number) " -> " (p.key) ": " } (p.prompt) " - " (p.key_text) ". " (rich(&p.rationale)) }
                        }
                    }
                }
            }
            div.explanation { (rich(&f.explanation)) }
            @if !f.references.is_empty() {
                // One link per line: two run together read as one address.
                p.read-more { "Read more:" }
                ul.references {
                    @for r in &f.references {
                        li {
                            @if r.starts_with("https://") || r.starts_with("http://") {
                                a href=(r) rel="noreferrer noopener" target="_blank" { (r) }
                            } @else { (r) }
                        }
                    }
                }
            }
        }
    }
}

fn filter_name(f: ReviewFilter) -> &'static str {
    match f {
        ReviewFilter::All | ReviewFilter::Unanswered => "all",
        ReviewFilter::Complete => "complete",
        ReviewFilter::Incomplete => "incomplete",
        ReviewFilter::Unseen => "unseen",
        ReviewFilter::Flagged => "flagged",
    }
}

pub fn review(
    ctx: &Ctx,
    base: &str,
    code: &str,
    mode: Mode,
    grid: &ReviewGrid,
    status: &StatusView,
    note: Option<&str>,
) -> Markup {
    let filters = [
        (ReviewFilter::All, "All", grid.total),
        (ReviewFilter::Complete, "Complete", grid.complete),
        (ReviewFilter::Incomplete, "Incomplete", grid.incomplete),
        (ReviewFilter::Unseen, "Unseen", grid.unseen),
        (ReviewFilter::Flagged, "Flagged", grid.flagged),
    ];
    layout(
        ctx,
        "Review",
        html! {
            header.bar.exam {
                span.brand { (code) }
                span { "Review" }
                (time_left(status))
            }
            (warnings())
            main.review {
                h1 { "Review" }
                // What the last button could not save (two of three boxes, say), said here too.
                @if let Some(note) = note { p.note role="alert" { (note) } }
                // Real buttons with their pressed state; a GET form, so they work without
                // JavaScript and the address says which list is shown.
                form.filters method="get" action=(base) aria-label="Show questions" {
                    @for (f, name, n) in filters {
                        button.current[f == grid.filter] type="submit" name="review" value=(filter_name(f)) #{ "filter-" (filter_name(f)) }
                            aria-pressed=(f == grid.filter) { (name) " (" (n) ")" }
                    }
                }
                form method="post" action=(base) {
                    input type="hidden" name="filter" value=(filter_name(grid.filter));
                    @if grid.entries.is_empty() { p #no-entries { "No questions in this list." } }
                    div.table-scroll {
                        table.grid {
                            thead { tr { th { "Question" } th { "State" } th { "Answer" } th { "Flag" } } }
                            tbody {
                                @for e in &grid.entries {
                                    tr.current[e.current] {
                                        td { button type="submit" name="do" value={ "goto:" (e.number) } { "Question " (e.number) } }
                                        td.state { (state_name(e.state)) }
                                        td { (e.answer.as_deref().unwrap_or("")) }
                                        // A toggle: its state is aria-pressed (and the highlight), so its name stays.
                                        td { button type="submit" name="do" value={ "flagat:" (e.number) } aria-pressed=(e.flagged) {
                                            "Flag" span.sr-only { " question " (e.number) } } }
                                    }
                                }
                            }
                        }
                    }
                    nav.actions {
                        button type="submit" name="do" value={ "goto:" (status.number) } #back { "Return to question " (status.number) }
                        button.end type="submit" name="do" value="end" #end {
                            @if mode == Mode::Exam { "End Exam" } @else { "End" }
                        }
                    }
                }
            }
        },
    )
}

fn state_name(state: ReviewState) -> &'static str {
    match state {
        ReviewState::Complete => "Complete",
        ReviewState::Incomplete => "Incomplete",
        ReviewState::Unseen => "Unseen",
    }
}

pub fn confirm_end(
    ctx: &Ctx,
    base: &str,
    code: &str,
    status: &StatusView,
    unanswered: usize,
    mode: Mode,
    note: Option<&str>,
) -> Markup {
    layout(
        ctx,
        "End exam?",
        html! {
            header.bar.exam { span.brand { (code) } span { "End " (mode_name(mode)) "?" } (time_left(status)) }
            (warnings())
            main.page {
                h1 { "End the " (mode_name(mode)) "?" }
                @if let Some(note) = note { p.note role="alert" { (note) } }
                p { (status.answered) " of " (status.total) " answered, " (unanswered) " not answered, " (status.flagged) " flagged." }
                @if unanswered > 0 { p.note { "Unanswered questions count as wrong." } }
                p { "Once you end, you cannot change your answers." }
                form method="post" action=(base) {
                    button.end type="submit" name="do" value="submit" #confirm-end { "Yes, end now" }
                    " "
                    button type="submit" name="do" value="review" #cancel-end { "No, go back to the review" }
                }
            }
        },
    )
}

/// A horizontal bar of `percent` (0-100), drawn as SVG.
fn bar(percent: f64, label: &str) -> Markup {
    let width = (percent.clamp(0.0, 100.0) * 3.0).round();
    html! {
        svg.meter width="300" height="18" viewBox="0 0 300 18" role="img" aria-label=(label) {
            rect.track x="0" y="0" width="300" height="18" {}
            rect.fill x="0" y="0" width=(width) height="18" {}
        }
    }
}

pub fn report(ctx: &Ctx, b: &Blueprint, r: &ReportView, last: Option<&FeedbackView>) -> Markup {
    let s = &r.score;
    plain(
        ctx,
        "Report",
        html! {
            @if let Some(f) = last { (feedback_panel(f)) }
            h1 #result { (r.code) " " (mode_name(r.mode)) ": "
                @if r.mode == Mode::Exam { @if s.passed { "PASS" } @else { "FAIL" } } @else { (s.correct) " of " (s.total) " correct" } }
            @if r.reason == EndReason::TimeUp { p.note { "Time ran out: the exam was submitted at the deadline." } }
            p.score {
                // A scaled score is a mock exam's, as in the terminal: a drill or a review
                // (a few questions, chosen by domain or by misses) has no pass mark to meet.
                @if r.mode == Mode::Exam {
                    "Estimated scaled score " strong #scaled { (s.scaled_score) } " (pass mark " (s.passing_score) ", scale 100-1000). "
                }
                (s.correct) " of " (s.total) " scored questions correct (" (format!("{:.0}", s.percent)) "%). "
                @if r.unscored > 0 { (r.unscored) " unscored questions are not counted. " }
                "Time used " (human_duration(r.used)) @if let Some(l) = r.limit { " of " (human_duration(l)) } "."
            }
            @if r.mode == Mode::Exam {
                p.small { "The scaled score is proctor's estimate; AWS does not publish how raw scores map to the scale." }
            }
            h2 { "Domains" }
            div.table-scroll {
                table.domains #domains {
                    thead { tr { th { "Domain" } th { "Correct" } th { span.sr-only { "Bar" } } th { "Result" } } }
                    tbody {
                        @for d in &s.domains {
                            @if d.total > 0 {
                                tr {
                                    td { (d.name) }
                                    td.num { (d.correct) "/" (d.total) " (" (format!("{:.0}", d.percent)) "%)" }
                                    td { (bar(d.percent, &format!("{}: {:.0}%", d.name, d.percent))) }
                                    td { (d.classification) }
                                }
                            }
                        }
                    }
                }
            }
            @if let Some(w) = &r.weakest {
                @if !r.all_meet {
                    p { "Weakest: " (w.name) ". " }
                    form method="post" action={ (ctx.prefix) "/drill/" (b.id) } {
                        input type="hidden" name="domain" value=(w.id);
                        button type="submit" { "Drill " (w.name) }
                    }
                }
            }
            @if s.correct < s.total {
                form method="post" action={ (ctx.prefix) "/review" } {
                    input type="hidden" name="attempt" value=(r.attempt);
                    button type="submit" #review-missed { "Review what I missed, with feedback" }
                }
                @if r.mode == Mode::Exam {
                    // `proctor exam EXAM --missed ATTEMPT`: the scored misses as a timed set.
                    form method="post" action={ (ctx.prefix) "/exam/" (b.id) } {
                        input type="hidden" name="paper" value="missed";
                        input type="hidden" name="missed_attempt" value=(r.attempt);
                        button type="submit" #retake-timed { "Retake the missed questions as a timed exam" }
                    }
                }
            }
            p { a.button href={ (ctx.prefix) "/show/" (r.attempt) } #show { "Walk through the answers" } " "
                a href={ (ctx.prefix) "/" } { "Back to the exams" } }
        },
    )
}

/// How many attempts the history page lists unless asked for every one.
pub const HISTORY_PAGE: usize = 50;

/// The newest `attempts` of `total`, with a link to every one when some are left out.
pub fn history(ctx: &Ctx, attempts: &[AttemptSummary], total: usize) -> Markup {
    plain(
        ctx,
        "History",
        html! {
            h1 { "History" }
            @if attempts.is_empty() { p { "No attempts yet." } }
            @if total > attempts.len() {
                p #history-more {
                    "The newest " (attempts.len()) " of " (total) " attempts. "
                    a href={ (ctx.prefix) "/history?all=1" } { "Show all " (total) }
                }
            }
            div.table-scroll {
                table.history {
                    thead { tr { th { "Attempt" } th { "Started (UTC)" } th { "Exam" } th { "Mode" } th { "Score" } th { span.sr-only { "Show or resume" } } } }
                    tbody {
                        @for a in attempts {
                            tr {
                                td.num { (a.id) }
                                td { (format_timestamp(a.started_at)) }
                                td { (a.exam) }
                                td { (a.mode.as_str()) }
                                td { @if a.finished_at.is_some() { (a.correct) "/" (a.scored) } @else { (a.answered) "/" (a.questions) " answered" } }
                                td {
                                    @if a.finished_at.is_some() {
                                        a href={ (ctx.prefix) "/show/" (a.id) } { "Show" span.sr-only { " attempt " (a.id) } }
                                    } @else {
                                        form method="post" action={ (ctx.prefix) "/resume/" (a.id) } { button type="submit" { "Resume" span.sr-only { " attempt " (a.id) } } }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        },
    )
}

pub fn show(ctx: &Ctx, past: &PastAttempt) -> Markup {
    plain(
        ctx,
        &format!("Attempt {}", past.id),
        html! {
            h1 { "Attempt " (past.id) ": " (past.code) " " (mode_name(past.mode)) }
            p { (past.score.correct) " of " (past.score.total) " scored questions correct; estimated scaled score " (past.score.scaled_score) "." }
            @for item in &past.items {
                section.past {
                    h2 { "Question " (item.view.number) @if !item.seen { " (never reached)" } }
                    div.stem { (rich(&item.view.stem)) }
                    (body(&item.view.body, true))
                    (feedback_panel(&item.feedback))
                }
            }
        },
    )
}

/// The trend of mock-exam scaled scores (100-1000) with the pass mark, as SVG.
fn trend_chart(points: &[TrendPoint], passing: u32, total: u32) -> Markup {
    const W: f64 = 600.0;
    const H: f64 = 200.0;
    let y = |scaled: u32| H - 10.0 - (f64::from(scaled.clamp(100, 1000)) - 100.0) / 900.0 * (H - 20.0);
    let x = |i: usize| {
        if points.len() < 2 { W / 2.0 } else { 40.0 + i as f64 * (W - 60.0) / (points.len() - 1) as f64 }
    };
    let line: Vec<String> =
        points.iter().enumerate().map(|(i, p)| format!("{:.1},{:.1}", x(i), y(p.scaled_score))).collect();
    let which = if total as usize > points.len() {
        format!("the latest {} of {}", points.len(), total)
    } else {
        points.len().to_string()
    };
    let label = format!(
        "Estimated scaled scores of {which} mock exams, oldest first: {}",
        points.iter().map(|p| p.scaled_score.to_string()).collect::<Vec<_>>().join(", ")
    );
    html! {
        svg.trend width=(W) height=(H) viewBox={ "0 0 " (W) " " (H) } role="img" aria-label=(label) {
            rect.track x="0" y="0" width=(W) height=(H) {}
            line.pass x1="30" x2=(W - 10.0) y1=(format!("{:.1}", y(passing))) y2=(format!("{:.1}", y(passing))) {}
            text.axis x="2" y=(format!("{:.1}", y(passing) - 4.0)) { (passing) }
            text.axis x="2" y=(format!("{:.1}", y(1000) + 10.0)) { "1000" }
            text.axis x="2" y=(format!("{:.1}", y(100))) { "100" }
            polyline.score points=(line.join(" ")) {}
            @for (i, p) in points.iter().enumerate() {
                circle.score cx=(format!("{:.1}", x(i))) cy=(format!("{:.1}", y(p.scaled_score))) r="4" {
                    title { "Attempt " (p.attempt) ", " (p.started_at) ": " (p.scaled_score) }
                }
            }
        }
    }
}

pub fn stats(ctx: &Ctx, s: &Stats, b: &Blueprint, pass: Option<&PassEstimate>) -> Markup {
    let pct = |p: Option<f64>| p.map_or_else(|| "-".to_string(), |p| format!("{p:.0}%"));
    plain(
        ctx,
        &format!("{} statistics", b.code),
        html! {
            h1 { (b.code) " statistics" }
            @if s.attempts == 0 { p #no-stats { "No finished attempts of this exam yet." } }
            @else {
                p { (s.attempts) @if s.attempts == 1 { " finished attempt. " } @else { " finished attempts. " }
                    @if let Some(rolling) = s.readiness.rolling_scaled {
                        "Recent mock exams average an estimated " strong #rolling { (rolling) } " (pass mark " (s.readiness.passing_score) ")."
                    } @else { "No mock exam yet: take one for a readiness estimate." }
                }
                @if let Some(p) = pass {
                    p #pass-probability {
                        "Estimated chance of passing a fresh form now: " strong { (format!("{:.0}%", p.probability * 100.0)) }
                        @let (low, high) = (format!("{:.0}%", p.low * 100.0), format!("{:.0}%", p.high * 100.0));
                        @if low == high { " (" (low) " at both ends of the likely range; see docs/readiness.md)." }
                        @else { " (likely between " (low) " and " (high) "; see docs/readiness.md)." }
                    }
                }
                h2 { "Domains" }
                div.table-scroll {
                    table.domains #stats-domains {
                        thead { tr { th { "Domain" } th { "Weight" } th { "Answered" } th { "Correct" } th { span.sr-only { "Bar" } } th { "Recent" } th { "Never seen" } } }
                        tbody {
                            @for d in &s.domains {
                                tr {
                                    td { (d.name) }
                                    td.num { (d.weight) "%" }
                                    td.num { (d.answered) }
                                    td.num { (pct(d.percent)) }
                                    td { (bar(d.percent.unwrap_or(0.0), &format!("{}: {}", d.name, pct(d.percent)))) }
                                    td.num { (pct(d.recent_percent)) }
                                    td.num { (d.never_seen) " of " (d.questions) }
                                }
                            }
                        }
                    }
                }
                @if !s.trend.is_empty() {
                    h2 { "Mock exams" }
                    @if s.exams as usize > s.trend.len() {
                        p #trend-latest { "The latest " (s.trend.len()) " of " (s.exams) " mock exams." }
                    }
                    (trend_chart(&s.trend, s.readiness.passing_score, s.exams))
                }
                @if !s.most_missed.is_empty() {
                    h2 { "Most missed" }
                    ul { @for m in &s.most_missed { li { (m.id) " (" (m.domain) "): missed " (m.missed) " of " (m.answered) } } }
                }
            }
            p { a href={ (ctx.prefix) "/exam/" (b.id) } { "Back to " (b.code) } }
        },
    )
}

pub fn nothing_due(ctx: &Ctx, learning: usize, next: Option<crate::exam::clock::Millis>) -> Markup {
    plain(
        ctx,
        "Nothing due",
        html! {
            h1 { "Nothing is due for review" }
            p #nothing-due {
                @if learning == 0 { "No missed question is waiting: take a mock exam or a drill first." }
                @else { (learning) " questions are being learned; the next is due " (next.map(format_timestamp).unwrap_or_default()) " (UTC)." }
            }
            p { a href={ (ctx.prefix) "/" } { "Back to the exams" } }
        },
    )
}

pub fn other_tab(ctx: &Ctx, id: i64) -> Markup {
    plain(
        ctx,
        "Open in another tab",
        html! {
            h1 { "This attempt is open in another tab" }
            p.message role="alert" #other-tab { "Attempt " (id) " is open in another browser tab or window. Carry on there, or move it to this tab (the other tab will then stop)." }
            form method="post" action={ (ctx.prefix) "/resume/" (id) } { button type="submit" { "Move it to this tab" } }
        },
    )
}

/// An unfinished attempt that this server does not hold (saved and left, or the server
/// was restarted).
pub fn not_open(ctx: &Ctx, id: i64) -> Markup {
    plain(
        ctx,
        "Not open",
        html! {
            h1 { "Attempt " (id) " is not open here" }
            p.message #not-open { "It was saved and left, or the server was restarted. It is unfinished: you can resume it." }
            form method="post" action={ (ctx.prefix) "/resume/" (id) } { button type="submit" { "Resume attempt " (id) } }
            p { a href={ (ctx.prefix) "/history" } { "History" } }
        },
    )
}

/// An attempt asked for by its old address after it was finished (here or in a terminal).
pub fn finished_elsewhere(ctx: &Ctx, id: i64) -> Markup {
    plain(
        ctx,
        "Finished",
        html! {
            h1 { "Attempt " (id) " is finished" }
            p.message #finished { "Its report and answers are on its page." }
            p { a href={ (ctx.prefix) "/show/" (id) } { "Attempt " (id) } " · " a href={ (ctx.prefix) "/history" } { "History" } }
        },
    )
}

/// An attempt number the store does not have (mistyped, or discarded).
pub fn no_attempt(ctx: &Ctx, id: i64) -> Markup {
    plain(
        ctx,
        "No such attempt",
        html! {
            h1 { "There is no attempt " (id) }
            p.message #no-attempt { "It was never started here, or it was discarded." }
            p { a href={ (ctx.prefix) "/" } { "Home" } " · " a href={ (ctx.prefix) "/history" } { "History" } }
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::view::OptionView;

    #[test]
    fn every_bank_text_is_escaped_and_nothing_is_inline() {
        let hostile = "<script>alert(1)</script>\"'&";
        let view = QuestionView {
            number: 1,
            total: 2,
            flagged: false,
            domain: Some(hostile.into()),
            scenario: None,
            stem: hostile.into(),
            body: BodyView::Choice {
                select: 1,
                multiple: false,
                options: vec![OptionView { letter: 'A', text: hostile.into(), struck: false, chosen: false }],
            },
            answer: None,
            confidence: None,
        };
        let status = StatusView { number: 1, total: 2, answered: 0, flagged: 0, remaining: Some(60_000) };
        let ctx = Ctx { prefix: "/t".into() };
        // The hostile text as bank text, as a message and as a note typed but not sent.
        let page = question(
            &ctx,
            "/t/a/1/s",
            hostile,
            Mode::Exam,
            &view,
            &status,
            None,
            Some(hostile),
            None,
            Some(hostile),
        )
        .into_string();
        assert!(!page.contains("<script>alert"), "{page}");
        assert_eq!(page.matches("&lt;script&gt;alert(1)&lt;/script&gt;&quot;").count(), 6, "{page}");
        // The CSP forbids inline code: no style attribute, no inline script, no handler.
        assert!(!page.contains("style="), "{page}");
        assert!(!["onclick=", "onload=", "onerror=", "onchange="].iter().any(|h| page.contains(h)), "{page}");
        assert_eq!(page.matches("<script").count(), 1, "{page}");
        assert!(page.contains(r#"<script src="/t/static/app.js" defer></script>"#), "{page}");
    }

    #[test]
    fn code_blocks_are_escaped_pre_and_prose_stays_text() {
        let markup = rich("Look:\n```html\n<script>alert(1)</script>\n  <b>x</b>\n```\nThen?").into_string();
        assert_eq!(
            markup,
            "<span class=\"prose\">Look:</span><pre class=\"code\"><code class=\"language-html\">\
             &lt;script&gt;alert(1)&lt;/script&gt;\n  &lt;b&gt;x&lt;/b&gt;</code></pre><span class=\"prose\">Then?</span>"
        );
        // A hostile language tag is escaped in its attribute; text without code is as before.
        let markup = rich("```a\"><script>\nx\n```").into_string();
        assert!(markup.contains("class=\"language-a&quot;&gt;&lt;script&gt;\""), "{markup}");
        assert_eq!(rich("plain <i>").into_string(), "plain &lt;i&gt;");
    }

    #[test]
    fn list_items_are_blocks_with_their_lines_joined_and_escaped() {
        let text = "Three sets:\n1. Processed <b>images</b> that\ncan be regenerated.\n2) Scans.\n- a bullet\n\nWhich?";
        assert_eq!(
            rich(text).into_string(),
            "Three sets:<span class=\"li\"><span class=\"marker\">1. </span>Processed &lt;b&gt;images&lt;/b&gt; that \
             can be regenerated.</span><span class=\"li\"><span class=\"marker\">2) </span>Scans.</span>\
             <span class=\"li\"><span class=\"marker\">- </span>a bullet</span>\nWhich?"
        );
        // Without a list item, and in the prose around code, as before or listed the same.
        assert_eq!(rich("one\ntwo\n\nthree").into_string(), "one\ntwo\n\nthree");
        let markup = rich("Steps:\n- one\n```\nx\n```").into_string();
        assert!(markup.starts_with("<span class=\"prose\">Steps:<span class=\"li\">"), "{markup}");
    }
}
