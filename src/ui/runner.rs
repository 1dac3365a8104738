//! The line-prompt front end of an attempt: reads commands (a script or the interactive
//! prompt), turns them into application actions, and renders what comes back. Every rule
//! (what an answer must be, when feedback is given, when an attempt ends, what is saved)
//! is the application layer's; this only draws and asks.

use std::io::Write;
use std::time::Duration;

use super::WARNING_MINUTES;
use super::command::{self, Command};
use super::input::{Input, LineSource};
use super::render::{self, ScreenContext};
use crate::app::attempt::{Attempt, Finished, Outcome, Quit};
use crate::error::Result;
use crate::exam::clock::{Clock, Millis, format_countdown, format_duration};
use crate::exam::item::{AnswerError, Response, Shape};
use crate::exam::session::{Action, Refusal};

/// How an attempt left the prompt.
pub enum Ended {
    Finished(Box<Finished>),
    /// Saved for `proctor resume` (or, a drill with no answer, forgotten).
    Saved,
}

pub struct Runner<'a> {
    pub attempt: &'a mut Attempt,
    pub clock: &'a dyn Clock,
    pub out: &'a mut dyn Write,
    /// Styles allowed on the screen (struck-out options drawn crossed out).
    pub styled: bool,
    pub width: usize,
    /// Warnings (minutes left) already given, for scripted sessions.
    pub warned: Vec<u64>,
    /// The current question's screen in pages (interactive: one screenful each), and
    /// the page on screen.
    pages: Vec<String>,
    page: usize,
    /// The review screen is showing (Enter goes back to the question).
    on_review: bool,
    /// `--pace`: a "behind pace" cue on the status line and in `time`.
    pub pace_cue: bool,
}

impl<'a> Runner<'a> {
    pub fn new(
        attempt: &'a mut Attempt,
        clock: &'a dyn Clock,
        out: &'a mut dyn Write,
        styled: bool,
        width: usize,
    ) -> Self {
        Runner {
            attempt,
            clock,
            out,
            styled,
            width,
            warned: Vec::new(),
            pages: Vec::new(),
            page: 0,
            on_review: false,
            pace_cue: false,
        }
    }
}

impl Runner<'_> {
    /// Puts the current question on screen (the attempt records that it was shown). At a
    /// terminal the screen is cleared below the status line, which names the question,
    /// its flag and the time left; a question taller than the terminal is shown a page at
    /// a time, so its first lines are always what appears first.
    fn show(&mut self, input: &mut dyn LineSource) -> Result<()> {
        let view = self.attempt.present(self.clock.now())?;
        let interactive = input.is_interactive();
        // Wrapped to the terminal's width now: a resized terminal gets a fitting screen.
        let width = if interactive { super::text_width() } else { self.width };
        self.width = width;
        let ctx = ScreenContext { width, styled: self.styled, header: !interactive };
        let screen = render::question_screen(&ctx, &view);
        if !interactive {
            write!(self.out, "\n{screen}")?;
            self.out.flush()?;
            return Ok(());
        }
        let flag = if view.flagged { "   [Flagged]" } else { "" };
        input.set_status(&format!("Question {} of {}{flag}", view.number, view.total));
        // Rows for text: all but the status line, the "more" line and the prompt.
        let rows = input.rows().unwrap_or(24).saturating_sub(4).max(5);
        self.pages = render::pages(&screen, rows);
        self.page = 0;
        self.on_review = false;
        self.draw_page(input)
    }

    /// Draws page `self.page` of the current question.
    fn draw_page(&mut self, input: &mut dyn LineSource) -> Result<()> {
        input.clear_screen();
        let total = self.pages.len();
        let text = self.pages.get(self.page).cloned().unwrap_or_default();
        write!(self.out, "{text}")?;
        if total > 1 {
            let cue = if self.page + 1 < total {
                format!("-- page {} of {}: Enter for more --", self.page + 1, total)
            } else {
                format!("-- page {total} of {total}: Enter for the first page --")
            };
            writeln!(self.out, "{cue}")?;
        }
        self.out.flush()?;
        Ok(())
    }

    /// Prints a message wrapped to the screen width (a word is never cut in two).
    fn say(&mut self, text: &str) -> Result<()> {
        let lead = text.len() - text.trim_start_matches('\n').len();
        writeln!(self.out, "{}{}", "\n".repeat(lead), crate::text::wrap_lines(text, self.width))?;
        self.out.flush()?;
        Ok(())
    }

    fn real_timeout(&self, now: Millis) -> Option<Duration> {
        self.attempt.remaining(now).map(Duration::from_millis)
    }

    /// At a terminal, waits for Enter so the feedback just printed can be read before
    /// the next screen pushes it away. `Some` when the attempt ended meanwhile.
    fn pause_for_reader(&mut self, input: &mut dyn LineSource) -> Result<Option<Ended>> {
        if !input.is_interactive() {
            return Ok(None);
        }
        let timeout = self.real_timeout(self.clock.now());
        match input.read("Press Enter for the next question > ", timeout) {
            Input::Line(_) => Ok(None),
            Input::Deadline => self.end_at_deadline().map(Some),
            Input::Eof => self.quit().map(Some),
            Input::Interrupted => self.ask_to_quit(input),
        }
    }

    /// After Ctrl-C: save and leave, or carry on. `Some` when the attempt was left (or the
    /// deadline passed while asking).
    fn ask_to_quit(&mut self, input: &mut dyn LineSource) -> Result<Option<Ended>> {
        let timeout = self.real_timeout(self.clock.now());
        match input.confirm("Save and quit? (resume later with `proctor resume`)", timeout) {
            Some(true) => self.quit().map(Some),
            Some(false) => Ok(None),
            None => self.end_at_deadline().map(Some),
        }
    }

    /// Scripted sessions print the 30/5/1-minute warnings as they pass.
    fn scripted_warnings(&mut self, now: Millis) -> Result<()> {
        let Some(left) = self.attempt.remaining(now) else { return Ok(()) };
        let passed: Vec<u64> =
            WARNING_MINUTES.into_iter().filter(|m| left <= m * 60_000 && !self.warned.contains(m)).collect();
        // Several marks passed at once (a long pause) are worth one warning.
        if !passed.is_empty() {
            self.warned.extend(passed);
            self.say(&format!("*** {} left ***", format_duration(left)))?;
        }
        Ok(())
    }

    pub fn run(&mut self, input: &mut dyn LineSource) -> Result<Ended> {
        // Marks already behind us when starting are not warnings.
        if let Some(left) = self.attempt.remaining(self.clock.now()) {
            self.warned = WARNING_MINUTES.into_iter().filter(|m| left <= m * 60_000).collect();
        }
        // Resumed past the deadline: score at once, without showing a question first.
        if !self.attempt.is_over_time(self.clock.now()) {
            self.show(input)?;
        }
        loop {
            let now = self.clock.now();
            if self.attempt.is_over_time(now) {
                return self.end_at_deadline();
            }
            if !input.is_interactive() {
                self.scripted_warnings(now)?;
            }
            // At a terminal the status line shows the live clock; a script's prompt is not shown.
            let prompt = render::prompt(&self.attempt.status(now), !input.is_interactive());
            input.set_shape(self.attempt.current_shape());
            if self.pace_cue {
                input.set_pace(self.attempt.pace_budget());
            }
            match input.read(&prompt, self.real_timeout(now)) {
                Input::Line(line) => {
                    if let Some(ended) = self.handle(&line, input)? {
                        return Ok(ended);
                    }
                }
                Input::Eof => return self.quit(),
                Input::Deadline => return self.end_at_deadline(),
                Input::Interrupted => match self.ask_to_quit(input)? {
                    Some(ended) => return Ok(ended),
                    None => self.show(input)?,
                },
            }
        }
    }

    fn end_at_deadline(&mut self) -> Result<Ended> {
        let finished = self.attempt.end_at_deadline(self.clock.now())?;
        self.say("\nTime is up.")?;
        Ok(Ended::Finished(Box::new(finished)))
    }

    /// Handles one line; `Some` when the attempt is over or saved.
    fn handle(&mut self, line: &str, input: &mut dyn LineSource) -> Result<Option<Ended>> {
        let shape = self.attempt.current_shape();
        let command = match command::parse(line, shape) {
            Ok(command) => command,
            Err(message) => {
                // The message quotes what was typed (or piped in): never raw to the terminal.
                self.say(&crate::text::printable_line(&message))?;
                return Ok(None);
            }
        };
        // `b!` / `b?`: the answer, with how sure the candidate is.
        let (command, confidence) = match command {
            Command::Rated(answer, confidence) => (*answer, Some(confidence)),
            command => (command, None),
        };
        let action = match command {
            Command::Rated(..) => unreachable!("the parser never nests a rated answer"),
            Command::Answer(letters) => Action::Answer(Response::Choice(letters)),
            Command::Order(steps) => Action::Answer(Response::Ordering(steps)),
            Command::Match(typed) => {
                let Shape::Matching { prompts, .. } = shape else {
                    unreachable!("pairs are only parsed for matching questions")
                };
                // Pairs left out keep the match they had: a matching answer is built up.
                let mut pairs = match self.attempt.current_response() {
                    Some(Response::Matching(pairs)) => pairs.clone(),
                    _ => Vec::new(),
                };
                pairs.resize(prompts, None);
                if let Some(&(number, _)) = typed.iter().find(|(n, _)| *n > prompts) {
                    let refusal = Refusal::Answer(AnswerError::NoSuchPrompt { number, prompts });
                    self.say(&render::refusal(&refusal))?;
                    return Ok(None);
                }
                for (number, response) in typed {
                    pairs[number - 1] = Some(response);
                }
                Action::Answer(Response::Matching(pairs))
            }
            Command::Clear => Action::Clear,
            Command::Next => Action::Next,
            Command::NextOf(filter) => Action::NextOf(filter),
            Command::Prev => Action::Prev,
            Command::Goto(n) => Action::Goto(n),
            Command::Flag => Action::Flag,
            Command::FlagAt(n) => Action::FlagAt(n),
            Command::Strike(letters) => Action::Strike(letters),
            Command::Submit => {
                let unanswered = self.attempt.unanswered_count();
                let flagged = self.attempt.flagged_count();
                // At a terminal, ending always asks, as the real exam does.
                if input.is_interactive() {
                    let question = if unanswered > 0 || flagged > 0 {
                        format!("{unanswered} not complete and {flagged} flagged. End the exam and score it?")
                    } else {
                        "Every question is complete. End the exam and score it?".to_string()
                    };
                    match input.confirm(&question, self.real_timeout(self.clock.now())) {
                        Some(true) => {}
                        Some(false) => {
                            self.say("Not submitted.")?;
                            return Ok(None);
                        }
                        None => return self.end_at_deadline().map(Some),
                    }
                }
                Action::Submit
            }
            Command::Review(filter) => {
                if input.is_interactive() {
                    input.clear_screen();
                    self.width = super::text_width();
                    self.on_review = true;
                }
                let text = render::review(&self.attempt.review_grid(filter), self.width);
                write!(self.out, "{text}")?;
                if input.is_interactive() {
                    writeln!(self.out, "\nEnter goes back to question {}.", self.attempt.position() + 1)?;
                }
                return Ok(None);
            }
            Command::Time => {
                let text = match self.attempt.remaining(self.clock.now()) {
                    Some(left) if self.pace_cue => {
                        let behind = self.attempt.pace_budget().is_some_and(|(incomplete, per)| {
                            crate::exam::clock::behind_pace(left, incomplete, per)
                        });
                        let pace = if behind { "behind pace" } else { "on pace" };
                        format!("{} left; {pace}.", format_countdown(left))
                    }
                    Some(left) => format!("{} left.", format_countdown(left)),
                    None => "Untimed.".to_string(),
                };
                self.say(&text)?;
                return Ok(None);
            }
            Command::Help => {
                write!(self.out, "{}", command::help_text())?;
                return Ok(None);
            }
            Command::Show => {
                // Enter: the next page of a long question at a terminal, else the question again.
                if self.on_review {
                    self.show(input)?;
                } else if input.is_interactive() && self.pages.len() > 1 {
                    self.page = (self.page + 1) % self.pages.len();
                    self.draw_page(input)?;
                } else {
                    self.show(input)?;
                }
                return Ok(None);
            }
            Command::Report(text) => {
                let said = match self.attempt.report(&text, self.clock.now())? {
                    Ok(saved) => format!(
                        "Question {}: note saved for the bank's authors (`proctor notes` lists them).",
                        saved.position + 1
                    ),
                    Err(refusal) => refusal.to_string(),
                };
                self.say(&said)?;
                return Ok(None);
            }
            Command::Quit => return self.quit().map(Some),
        };
        let action = match (action, confidence) {
            (Action::Answer(response), Some(confidence)) => Action::RatedAnswer(response, confidence),
            (action, _) => action,
        };
        match self.attempt.apply(action, self.clock.now())? {
            Outcome::Finished(finished) => {
                if finished.reason == crate::model::EndReason::TimeUp {
                    self.say("\nTime is up.")?;
                }
                Ok(Some(Ended::Finished(finished)))
            }
            Outcome::Refused(refusal) => {
                self.say(&render::refusal(&refusal))?;
                Ok(None)
            }
            Outcome::Answered { advanced, feedback: Some(feedback), finished, .. } => {
                write!(self.out, "\n{}", render::feedback(&feedback, self.width))?;
                if let Some(finished) = finished {
                    // Every answer is in: the report follows whatever the key.
                    if input.is_interactive() {
                        let _ = input.read("Press Enter for the summary > ", None);
                    }
                    return Ok(Some(Ended::Finished(finished)));
                }
                if let Some(ended) = self.pause_for_reader(input)? {
                    return Ok(Some(ended));
                }
                if advanced {
                    self.show(input)?;
                } else {
                    let open: Vec<usize> = self
                        .attempt
                        .review_grid(crate::model::ReviewFilter::Unanswered)
                        .entries
                        .iter()
                        .map(|e| e.number)
                        .collect();
                    self.say(&format!(
                        "Still unanswered: {}. `goto N` to answer one.",
                        render::ranges(&open)
                    ))?;
                }
                Ok(None)
            }
            Outcome::Answered { position, advanced, answer, feedback: None, .. } => {
                let mark = render::confidence_mark(confidence);
                let saved = format!("Question {}: answer {answer}{mark} saved.", position + 1);
                if advanced && input.is_interactive() {
                    // The next question clears the screen: say it below the new one.
                    self.show(input)?;
                    self.say(&saved)?;
                    return Ok(None);
                }
                self.say(&saved)?;
                if advanced {
                    self.show(input)?;
                } else if !self.attempt.is_complete(position) {
                    self.say("Not complete yet: add the rest, or `next` to come back to it later.")?;
                } else {
                    self.say("That was the last question. `review` to check, `submit` to finish.")?;
                }
                Ok(None)
            }
            Outcome::Cleared { position } => {
                self.say(&format!("Question {}: no answer now.", position + 1))?;
                Ok(None)
            }
            Outcome::Flagged { position, on } => {
                let what = if on { "flagged for review" } else { "unflagged" };
                if input.is_interactive() && position == self.attempt.position() && !self.on_review {
                    // The status line shows the flag.
                    let flag = if on { "   [Flagged]" } else { "" };
                    input.set_status(&format!("Question {} of {}{flag}", position + 1, self.attempt.len()));
                }
                self.say(&format!("Question {} {what}.", position + 1))?;
                Ok(None)
            }
            Outcome::Struck { struck, .. } => {
                self.show(input)?;
                let text = if struck.is_empty() {
                    "No option is struck out.".to_string()
                } else {
                    let struck: String = struck.into_iter().collect();
                    format!("Struck out: {struck} (strike a letter again to restore it).")
                };
                self.say(&text)?;
                Ok(None)
            }
            Outcome::Moved => {
                self.show(input)?;
                Ok(None)
            }
        }
    }

    fn quit(&mut self) -> Result<Ended> {
        match self.attempt.quit(self.clock.now())? {
            Quit::Discarded if self.attempt.notes_saved() > 0 => {
                self.say("\nNothing answered, so the attempt was not kept; your notes are.")?
            }
            Quit::Discarded => self.say("\nNothing answered, so nothing was saved.")?,
            Quit::Saved { id, answered, total } => {
                let clock = if self.attempt.is_timed() { " (the clock keeps running)" } else { "" };
                self.say(&format!(
                    "\nSaved attempt {id}: {answered} of {total} answered. Continue with `proctor resume {id}`{clock}."
                ))?;
            }
        }
        Ok(Ended::Saved)
    }
}
