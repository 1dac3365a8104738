//! Drives one attempt: reads commands, applies them to the session, saves every change
//! before the next prompt, and ends the attempt on `submit` or at the deadline.

use std::io::Write;
use std::time::Duration;

use crate::bank::{Exam, Question};
use crate::error::{Error, Result};
use crate::exam::assemble::PaperItem;
use crate::exam::clock::{Clock, Millis, format_countdown, format_duration};
use crate::exam::command::{self, Command};
use crate::exam::score::{self, Score};
use crate::exam::session::{Action, Change, EndReason, Refusal, Session, letters};
use crate::store::Store;
use crate::study::schedule::{self, Card};
use crate::ui::WARNING_MINUTES;
use crate::ui::input::{Input, LineSource};
use crate::ui::render::{self, ScreenContext};

/// How an attempt left the runner.
pub enum Outcome {
    Finished {
        score: Score,
        reason: EndReason,
        finished_at: Millis,
    },
    /// Saved for `proctor resume`.
    Saved,
}

pub struct Runner<'a> {
    pub exam: &'a Exam,
    pub paper: &'a [PaperItem],
    pub questions: Vec<&'a Question>,
    pub session: Session,
    pub attempt: i64,
    pub store: &'a mut Store,
    pub clock: &'a dyn Clock,
    pub out: &'a mut dyn Write,
    pub hide_domain: bool,
    /// Drill and review: feedback after each answer, and the attempt ends when every
    /// question is answered.
    pub feedback: bool,
    /// The screen is an interactive terminal (styles allowed).
    pub styled: bool,
    pub width: usize,
    /// Warnings (minutes left) already given, for scripted sessions.
    pub warned: Vec<u64>,
}

/// Look up every paper question in the bank.
pub fn questions_of<'a>(exam: &'a Exam, paper: &[PaperItem]) -> Result<Vec<&'a Question>> {
    paper
        .iter()
        .map(|item| {
            exam.question(&item.question_id).ok_or_else(|| {
                Error::Usage(format!(
                    "question {} is no longer in the {} bank, so this attempt cannot continue",
                    item.question_id, exam.blueprint.id
                ))
            })
        })
        .collect()
}

impl Runner<'_> {
    fn show(&mut self) -> Result<()> {
        let ctx = ScreenContext {
            blueprint: &self.exam.blueprint,
            hide_domain: self.hide_domain,
            width: self.width,
            styled: self.styled,
        };
        let position = self.session.position;
        let screen =
            render::question_screen(&ctx, &self.session, &self.paper[position], self.questions[position]);
        write!(self.out, "\n{screen}")?;
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

    /// At a terminal, waits for Enter so the feedback just printed can be read before
    /// the next screen pushes it away. `Some` when the attempt ended meanwhile.
    fn pause_for_reader(&mut self, input: &mut dyn LineSource) -> Result<Option<Outcome>> {
        if !input.is_interactive() {
            return Ok(None);
        }
        let timeout = self.real_timeout(self.clock.now());
        match input.read("Press Enter for the next question > ", timeout) {
            Input::Line(_) => Ok(None),
            Input::Deadline => self.end_at_deadline(self.clock.now()).map(Some),
            Input::Eof => self.quit().map(Some),
            Input::Interrupted => self.ask_to_quit(input),
        }
    }

    /// After Ctrl-C: save and leave, or carry on. `Some` when the attempt was left (or the
    /// deadline passed while asking).
    fn ask_to_quit(&mut self, input: &mut dyn LineSource) -> Result<Option<Outcome>> {
        let timeout = self.real_timeout(self.clock.now());
        match input.confirm("Save and quit? (resume later with `proctor resume`)", timeout) {
            Some(true) => self.quit().map(Some),
            Some(false) => Ok(None),
            None => self.end_at_deadline(self.clock.now()).map(Some),
        }
    }

    /// Saves the position and the questions a change touched, durably.
    fn save(&mut self, touched: &[usize]) -> Result<()> {
        let mut touched = touched.to_vec();
        touched.sort_unstable();
        touched.dedup();
        let items: Vec<(usize, &crate::exam::session::ItemState)> =
            touched.iter().map(|&i| (i, &self.session.items[i])).collect();
        self.store.save_progress(self.attempt, self.session.position, self.session.last_tick, &items)?;
        Ok(())
    }

    fn real_timeout(&self, now: Millis) -> Option<Duration> {
        self.session.remaining(now).map(Duration::from_millis)
    }

    /// Scripted sessions print the 30/5/1-minute warnings as they pass.
    fn scripted_warnings(&mut self, now: Millis) -> Result<()> {
        let Some(left) = self.session.remaining(now) else { return Ok(()) };
        let passed: Vec<u64> =
            WARNING_MINUTES.into_iter().filter(|m| left <= m * 60_000 && !self.warned.contains(m)).collect();
        // Several marks passed at once (a long pause) are worth one warning.
        if !passed.is_empty() {
            self.warned.extend(passed);
            self.say(&format!("*** {} left ***", format_duration(left)))?;
        }
        Ok(())
    }

    pub fn run(&mut self, input: &mut dyn LineSource) -> Result<Outcome> {
        // Marks already behind us when starting are not warnings.
        if let Some(left) = self.session.remaining(self.clock.now()) {
            self.warned = WARNING_MINUTES.into_iter().filter(|m| left <= m * 60_000).collect();
        }
        // Resumed past the deadline: score at once, without showing a question first.
        if !self.session.is_over_time(self.clock.now()) {
            self.show()?;
        }
        loop {
            let now = self.clock.now();
            if self.session.is_over_time(now) {
                return self.end_at_deadline(now);
            }
            if !input.is_interactive() {
                self.scripted_warnings(now)?;
            }
            let prompt = render::prompt(&self.session, now);
            match input.read(&prompt, self.real_timeout(now)) {
                Input::Line(line) => {
                    if let Some(outcome) = self.handle(&line, input)? {
                        return Ok(outcome);
                    }
                }
                Input::Eof => return self.quit(),
                Input::Deadline => return self.end_at_deadline(self.clock.now()),
                Input::Interrupted => match self.ask_to_quit(input)? {
                    Some(outcome) => return Ok(outcome),
                    None => self.show()?,
                },
            }
        }
    }

    fn end_at_deadline(&mut self, now: Millis) -> Result<Outcome> {
        self.session.end_at_deadline(now);
        self.say("\nTime is up.")?;
        self.finish()
    }

    fn finish(&mut self) -> Result<Outcome> {
        let (finished_at, reason) = self.session.ended.unwrap_or((self.clock.now(), EndReason::Submitted));
        let score = score::score(&self.exam.blueprint, self.paper, &self.questions, &self.session.items);
        let items: Vec<_> =
            self.session.items.iter().zip(&score.questions).map(|(s, r)| (s, r.correct)).collect();
        let cards = self.review_updates(&score, finished_at)?;
        self.store.finish(self.attempt, finished_at, reason, &items, &cards)?;
        Ok(Outcome::Finished { score, reason, finished_at })
    }

    /// The review-queue cards this attempt's answers change: every miss, and every answer
    /// to a question already in the queue. A question never put on screen (time ran out
    /// first) is not a miss to review.
    fn review_updates(&self, score: &Score, now: Millis) -> Result<Vec<Card>> {
        let exam = &self.exam.blueprint.id;
        let existing = self.store.cards(Some(exam))?;
        let mut updates: Vec<Card> = Vec::new();
        for (result, state) in score.questions.iter().zip(&self.session.items) {
            if !state.answered() && state.millis == 0 {
                continue;
            }
            let current = updates
                .iter()
                .rev()
                .find(|c| c.question_id == result.id)
                .or_else(|| existing.iter().find(|c| c.question_id == result.id));
            if let Some(card) = schedule::after_answer(current, exam, &result.id, result.correct, now) {
                updates.push(card);
            }
        }
        Ok(updates)
    }

    /// Handles one line; `Some` when the attempt is over or saved.
    fn handle(&mut self, line: &str, input: &mut dyn LineSource) -> Result<Option<Outcome>> {
        let options = self.paper[self.session.position].option_order.len();
        let command = match command::parse(line, options) {
            Ok(command) => command,
            Err(message) => {
                self.say(&message)?;
                return Ok(None);
            }
        };
        let action = match command {
            Command::Answer(letters) => Action::Answer(letters),
            Command::Clear => Action::Clear,
            Command::Next => Action::Next,
            Command::NextOf(filter) => Action::NextOf(filter),
            Command::Prev => Action::Prev,
            Command::Goto(n) => Action::Goto(n),
            Command::Flag => Action::Flag,
            Command::Strike(letters) => Action::Strike(letters),
            Command::Submit => {
                let unanswered = self.session.len() - self.session.answered_count();
                let flagged = self.session.flagged_count();
                if input.is_interactive() && (unanswered > 0 || flagged > 0) {
                    let question = format!("{unanswered} unanswered and {flagged} flagged. Submit now?");
                    match input.confirm(&question, self.real_timeout(self.clock.now())) {
                        Some(true) => {}
                        Some(false) => {
                            self.say("Not submitted.")?;
                            return Ok(None);
                        }
                        None => return self.end_at_deadline(self.clock.now()).map(Some),
                    }
                }
                Action::Submit
            }
            Command::Review(filter) => {
                let text = render::review(&self.session, filter, self.width);
                write!(self.out, "{text}")?;
                return Ok(None);
            }
            Command::Time => {
                let now = self.clock.now();
                let text = match self.session.remaining(now) {
                    Some(left) => format!("{} left.", format_countdown(left)),
                    None => "Untimed.".to_string(),
                };
                self.say(&text)?;
                return Ok(None);
            }
            Command::Help => {
                let text = command::help_text();
                write!(self.out, "{text}")?;
                return Ok(None);
            }
            Command::Show => {
                self.show()?;
                return Ok(None);
            }
            Command::Quit => {
                return self.quit().map(Some);
            }
        };
        let before = self.session.position;
        match self.session.apply(&action, self.clock.now()) {
            Ok(Change::Ended(_)) => self.finish().map(Some),
            Ok(change) => {
                self.save(&[before, self.session.position])?;
                match change {
                    Change::Answered { position, advanced } if self.feedback => {
                        return self.give_feedback(position, advanced, input);
                    }
                    Change::Answered { position, advanced } => {
                        let answer = letters(&self.session.items[position].response);
                        self.say(&format!("Question {}: answer {answer} saved.", position + 1))?;
                        if advanced {
                            self.show()?;
                        } else {
                            self.say("That was the last question. `review` to check, `submit` to finish.")?;
                        }
                    }
                    Change::Cleared => self.say(&format!("Question {}: no answer now.", before + 1))?,
                    Change::Flagged(on) => {
                        let what = if on { "flagged for review" } else { "unflagged" };
                        self.say(&format!("Question {} {what}.", before + 1))?;
                    }
                    Change::Struck => {
                        self.show()?;
                        let struck = letters(&self.session.items[before].struck);
                        let text = if struck.is_empty() {
                            "No option is struck out.".to_string()
                        } else {
                            format!("Struck out: {struck} (strike a letter again to restore it).")
                        };
                        self.say(&text)?;
                    }
                    Change::Moved => self.show()?,
                    Change::Ended(_) => {}
                }
                Ok(None)
            }
            Err(Refusal::TimeUp) => {
                let now = self.clock.now();
                self.end_at_deadline(now).map(Some)
            }
            Err(Refusal::Invalid(reason)) => {
                self.say(&reason)?;
                Ok(None)
            }
            Err(Refusal::Finished) => Err(Error::Usage("this attempt is already finished".into())),
        }
    }

    /// Drill and review: the feedback on the answer just given, then the next question
    /// (or, when every question is answered, the end of the attempt).
    fn give_feedback(
        &mut self,
        position: usize,
        advanced: bool,
        input: &mut dyn LineSource,
    ) -> Result<Option<Outcome>> {
        let text = render::feedback(
            &self.paper[position],
            self.questions[position],
            &self.session.items[position].response,
            self.width,
        );
        write!(self.out, "\n{text}")?;
        if self.session.all_answered() {
            self.session.ended = Some((self.clock.now(), EndReason::Submitted));
            // Every answer is in: the report follows whatever the key.
            if input.is_interactive() {
                let _ = input.read("Press Enter for the summary > ", None);
            }
            return self.finish().map(Some);
        }
        if let Some(outcome) = self.pause_for_reader(input)? {
            return Ok(Some(outcome));
        }
        if advanced {
            self.show()?;
        } else {
            let open: Vec<usize> =
                (1..=self.session.len()).filter(|&n| !self.session.items[n - 1].answered()).collect();
            self.say(&format!("Still unanswered: {}. `goto N` to answer one.", render::ranges(&open)))?;
        }
        Ok(None)
    }

    fn quit(&mut self) -> Result<Outcome> {
        // A drill or review left before any answer is not worth resuming: forget it.
        if self.feedback && self.session.answered_count() == 0 {
            self.store.delete_attempt(self.attempt)?;
            self.say("\nNothing answered, so nothing was saved.")?;
            return Ok(Outcome::Saved);
        }
        let position = self.session.position;
        self.session.pause(self.clock.now());
        self.save(&[position])?;
        self.say(&format!(
            "\nSaved attempt {}: {} of {} answered. Continue with `proctor resume {}`{}.",
            self.attempt,
            self.session.answered_count(),
            self.session.len(),
            self.attempt,
            if self.session.deadline.is_some() { " (the clock keeps running)" } else { "" }
        ))?;
        Ok(Outcome::Saved)
    }
}
