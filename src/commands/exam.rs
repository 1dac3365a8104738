//! `proctor exam` and `proctor resume`: a timed mock exam, from the first question or
//! from where an attempt was left.

use super::attempt::run_attempt;
use crate::app::start::{self, ExamRequest};
use crate::cli::{ExamArgs, ResumeArgs};
use crate::config::Config;
use crate::error::Result;
use crate::exam::clock::{format_countdown, human_duration};
use crate::store::Store;
use crate::text::printable;

pub fn start(config: &Config, args: &ExamArgs) -> Result<i32> {
    let clock = config.clock()?;
    let data_dir = config.data_dir()?;
    // A damaged store is reported before an unknown exam. (Opening the store on a second
    // thread while this one decoded the bank saved time until both got short: the thread's
    // start and its own malloc arena now cost more than the overlap gave.)
    let store = Store::open_for_writing(&data_dir)?;
    let catalog = config.catalog()?;
    let exam = std::sync::Arc::new(start::load_exam(&catalog, &args.exam, "exam")?);
    // As on the real exam: domains hidden and unscored items mixed in, unless asked.
    let request = ExamRequest {
        exam: &args.exam,
        seed: args.seed,
        time_limit_ms: args.time_limit.map(|s| s * 1000),
        unscored: !args.all_scored,
        hide_domain: !args.show_domain,
        missed: args.missed,
        include_seen: args.include_seen,
    };
    let now = clock.now();
    let prepared = start::prepare_loaded_exam(exam, store, &request, now)?;
    let blueprint = &prepared.exam.blueprint;
    let mut intro = format!(
        "{} - {}\nMock exam, seed {}: {} questions, {}, pass mark {} (scale 100-1000).\n",
        printable(&blueprint.code),
        printable(&blueprint.title),
        prepared.seed(),
        prepared.questions(),
        human_duration(prepared.time_limit_ms),
        blueprint.passing_score,
    );
    if let Some(source) = prepared.retaken() {
        intro.push_str(&format!(
            "A retake of the questions missed in attempt {source}, at the real exam's pace.\n"
        ));
    }
    if prepared.repeated > 0 {
        intro.push_str(&format!(
            "Note: {} of these questions you have seen before: the bank has too few unseen ones \
             left for a fresh form.\n",
            prepared.repeated
        ));
    }
    if let Some(note) = start::retirement_note(&prepared.exam) {
        intro.push_str(&format!("Note: {note}\n"));
    }
    if let Some(note) = &prepared.shortfall {
        intro.push_str(&format!("Note: {note}\n"));
    }
    // Starting afresh is fine, but an interrupted exam should not be forgotten.
    if let Some(open) = prepared.unfinished {
        intro.push_str(&format!(
            "Note: exam attempt {open} is unfinished; `proctor resume {open}` continues it.\n"
        ));
    }
    if prepared.unscored() > 0 {
        intro.push_str(&format!(
            "{} of them are unscored, as on the real exam; you will not know which.\n",
            prepared.unscored()
        ));
    }
    intro.push_str(
        "Answer with letters (b, or ac); `flag` marks a question for review, `review` shows them all, \
         `submit` ends the exam; `help` lists every command; `quit` saves and leaves.\n",
    );
    // At a terminal the clock starts when the candidate is ready, as on the real exam.
    let interactive = super::attempt::is_interactive(args.json);
    // A domain without questions (a --bank-dir bank still being written): said once, on
    // stderr for a script, and on the start screen at a terminal (which clears the screen).
    if let Some(warning) = empty_domains_warning(&prepared) {
        if interactive {
            intro.push_str(&format!("Warning: {warning}\n"));
        } else {
            eprintln!("{}", crate::text::wrap_lines(&format!("warning: {warning}"), crate::ui::text_width()));
        }
    }
    if interactive && !super::attempt::start_screen(&intro, args.json)? {
        return Ok(0);
    }
    // The clock starts now: after the start screen at a terminal, at once for a script.
    let begin_at = if interactive { clock.now() } else { now };
    let mut attempt = prepared.begin_on_screen(begin_at)?;
    let code = run_attempt(&mut attempt, &intro, args.json, &*clock, true, args.pace)?;
    leave_attempt(attempt);
    Ok(code)
}

/// Leaves the attempt, its store and its bank to the operating system: the process ends
/// right after this, every change is already committed and synced, and the kernel drops
/// the store's locks and maps as closing it would (no checkpoint runs at close either:
/// `Store::prepare`). Closing SQLite and freeing the bank's strings one by one cost about
/// 0.3 M instructions of an exam's start.
fn leave_attempt(attempt: crate::app::attempt::Attempt) {
    std::mem::forget(attempt);
}

/// The warning for a paper drawn by the blueprint from a bank with no question in one of
/// its domains (`None` for a retake, which is not drawn by weights).
fn empty_domains_warning(prepared: &start::PreparedExam) -> Option<String> {
    let empty = prepared.exam.empty_domains();
    if empty.is_empty() || prepared.retaken().is_some() {
        return None;
    }
    let named: Vec<String> = empty
        .iter()
        .map(|d| format!("{} ({}, weight {}%)", printable(&d.id), printable(&d.name), d.weight))
        .collect();
    let (which, them) = if empty.len() == 1 { ("domain", "its") } else { ("domains", "their") };
    Some(format!(
        "the bank of exam {} has no question in {which} {}, so this paper cannot meet the blueprint's \
         domain weights: {them} places are drawn from the other domains. `proctor check FOLDER` lists \
         the bank's problems.",
        printable(&prepared.exam.blueprint.id),
        named.join(" and ")
    ))
}

pub fn resume(config: &Config, args: &ResumeArgs) -> Result<i32> {
    let clock = config.clock()?;
    let store = Store::open_for_writing(&config.data_dir()?)?;
    let catalog = config.catalog()?;
    let mut attempt = start::resume(&catalog, store, args.attempt, args.take_over, clock.now())?;
    if args.hide_domain {
        attempt.set_hide_domain(true);
    }
    let mut intro = format!(
        "Resuming attempt {} ({} {}), seed {}.\n",
        attempt.recorded_id()?,
        printable(&attempt.exam().blueprint.id),
        attempt.mode().as_str(),
        attempt.seed()
    );
    // The deadline is absolute: say what is left of it before the candidate starts again.
    match (attempt.remaining(clock.now()), attempt.time_limit()) {
        (Some(0), _) => intro.push_str(
            "The time ran out while the attempt was closed (the clock keeps running): it is scored now, \
             with the answers saved before the deadline.\n",
        ),
        (Some(left), limit) => {
            let of = limit.map_or_else(String::new, |l| format!(" of {}", format_countdown(l)));
            intro.push_str(&format!(
                "Time left: {}{of}. The clock kept running while the attempt was closed, and it runs on now.\n",
                format_countdown(left)
            ));
        }
        (None, _) => {}
    }
    let changed = attempt.edited_count();
    if changed > 0 {
        intro.push_str(&format!(
            "Note: {changed} question(s) were edited in the bank since this attempt began.\n"
        ));
    }
    let code = run_attempt(&mut attempt, &intro, args.json, &*clock, false, args.pace)?;
    leave_attempt(attempt);
    Ok(code)
}
