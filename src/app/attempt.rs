//! The `Attempt` service: one attempt in progress, the one place where the attempt
//! workflow lives. It owns the session, the paper and the store handle; every change is
//! saved before `apply` returns, and `finish` scores the attempt, updates the review queue
//! and closes the attempt in one transaction. Front ends (the line prompt, the browser
//! room) send it actions and render the views it returns; none of them decides a rule.

use std::sync::Arc;

use super::notes::{self, NoteRefusal, NoteSaved};
use super::view::{self, FeedbackView, QuestionView, ReportView, ReviewGrid, StatusView};
use crate::bank::{Exam, Question};
use crate::error::{Error, Result};
use crate::exam::assemble::PaperItem;
use crate::exam::clock::Millis;
use crate::exam::item::Shape;
use crate::exam::score::{self, Score};
use crate::exam::session::{Action, Change, Refusal, Session};
use crate::model::{EndReason, Mode, ReviewFilter};
use crate::store::{NewAttempt, NewNote, Store, StoredAttempt};
use crate::study::schedule::{self, Outcome as QueueOutcome};

/// One question of the paper: where it sits, its bank question and the fingerprint the
/// attempt began with.
#[derive(Debug, Clone)]
pub struct AttemptItem {
    pub paper: PaperItem,
    /// Index into `exam.questions`.
    question: usize,
    pub content_hash: String,
}

/// What a new attempt is.
pub struct Plan {
    pub mode: Mode,
    pub seed: u64,
    pub paper: Vec<PaperItem>,
    pub time_limit_ms: Option<Millis>,
    pub hide_domain: bool,
    /// A mock exam drawn unseen-first: how many of the bank's questions had been seen then.
    pub seen_before: Option<u32>,
    /// `exam --missed`: the attempt whose misses this paper retakes.
    pub retake_of: Option<i64>,
}

/// What an action did.
#[derive(Debug)]
pub enum Outcome {
    Answered {
        /// 0-based position of the answered question.
        position: usize,
        /// The session moved on to the next question.
        advanced: bool,
        /// The answer as shown ("AC").
        answer: String,
        /// Drill and review: the feedback on this answer.
        feedback: Option<FeedbackView>,
        /// Drill and review end once every question is answered.
        finished: Option<Box<Finished>>,
    },
    Cleared {
        position: usize,
    },
    Moved,
    Flagged {
        position: usize,
        on: bool,
    },
    Struck {
        /// The struck letters now.
        struck: Vec<char>,
    },
    /// Nothing changed, for this reason.
    Refused(Refusal),
    /// Submitted, or the deadline passed (answers after it do not count).
    Finished(Box<Finished>),
}

/// A finished attempt.
#[derive(Debug, Clone)]
pub struct Finished {
    pub reason: EndReason,
    pub finished_at: Millis,
    pub score: Score,
    pub report: ReportView,
}

/// How `quit` left the attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Quit {
    /// Saved for `proctor resume`.
    Saved { answered: usize, total: usize },
    /// A drill or review left before any answer is not worth keeping: forgotten.
    Discarded,
}

pub struct Attempt {
    exam: Arc<Exam>,
    store: Store,
    id: i64,
    mode: Mode,
    seed: u64,
    started_at: Millis,
    time_limit_ms: Option<Millis>,
    hide_domain: bool,
    seen_before: Option<u32>,
    retake_of: Option<i64>,
    items: Vec<AttemptItem>,
    session: Session,
    finished: Option<Finished>,
    /// Notes written in this attempt (`report`), in this session or before it was resumed.
    notes_saved: usize,
}

/// The bank questions of a paper, by index; an id the bank no longer has stops the attempt.
fn locate(exam: &Exam, paper: Vec<PaperItem>, hashes: Option<Vec<String>>) -> Result<Vec<AttemptItem>> {
    let mut hashes = hashes.map(Vec::into_iter);
    paper
        .into_iter()
        .map(|item| {
            let gone = || {
                Error::Usage(format!(
                    "question {} is no longer in the {} bank (or its options changed), so this attempt cannot continue",
                    item.question_id, exam.blueprint.id
                ))
            };
            let question = exam.index_of(&item.question_id).ok_or_else(gone)?;
            if !item.layout.fits(exam.shape_at(question)) {
                return Err(gone());
            }
            let content_hash = match hashes.as_mut().and_then(Iterator::next) {
                Some(hash) => hash,
                None => exam.content_hash_at(question),
            };
            Ok(AttemptItem { paper: item, question, content_hash })
        })
        .collect()
}

impl Attempt {
    /// Records a new attempt (its paper first, before any question is shown).
    pub fn begin(exam: Arc<Exam>, store: Store, plan: Plan, now: Millis) -> Result<Attempt> {
        Attempt::begin_with(exam, store, plan, now, false)
    }

    /// `begin` for a front end that puts the first question on screen at once: its showing
    /// is recorded with the attempt, in the same transaction.
    pub fn begin_on_screen(exam: Arc<Exam>, store: Store, plan: Plan, now: Millis) -> Result<Attempt> {
        Attempt::begin_with(exam, store, plan, now, true)
    }

    fn begin_with(
        exam: Arc<Exam>,
        mut store: Store,
        plan: Plan,
        now: Millis,
        on_screen: bool,
    ) -> Result<Attempt> {
        if plan.paper.is_empty() {
            return Err(Error::Usage(format!("the {} bank has no questions for this", exam.blueprint.id)));
        }
        let items = locate(&exam, plan.paper, None)?;
        let paper: Vec<PaperItem> = items.iter().map(|i| i.paper.clone()).collect();
        let hashes: Vec<String> = items.iter().map(|i| i.content_hash.clone()).collect();
        let deadline = plan.time_limit_ms.map(|limit| now + limit);
        let id = store.create_attempt(&NewAttempt {
            exam: &exam.blueprint.id,
            mode: plan.mode,
            seed: plan.seed,
            started_at: now,
            deadline,
            time_limit_ms: plan.time_limit_ms,
            items: &paper,
            content_hashes: &hashes,
            hide_domain: plan.hide_domain,
            seen_before: plan.seen_before,
            retake_of: plan.retake_of,
            first_on_screen: on_screen,
        })?;
        let shapes = items.iter().map(|i| exam.shape_at(i.question)).collect();
        let mut session = Session::new(shapes, now, deadline);
        session.lock_answers = plan.mode.gives_feedback();
        if on_screen {
            // Stored as seen with the attempt above; `present` has nothing more to save.
            session.mark_seen(now);
        }
        Ok(Attempt {
            exam,
            store,
            id,
            mode: plan.mode,
            seed: plan.seed,
            started_at: now,
            time_limit_ms: plan.time_limit_ms,
            hide_domain: plan.hide_domain,
            seen_before: plan.seen_before,
            retake_of: plan.retake_of,
            items,
            session,
            finished: None,
            notes_saved: 0,
        })
    }

    /// Carries on with a stored, unfinished attempt: its absolute deadline is kept, and
    /// the time away is not counted to any question.
    /// The attempt is claimed for this process first: while another live session runs it,
    /// it is refused (`take_over` when that session is on another machine and known gone).
    pub fn resume(
        exam: Arc<Exam>,
        mut store: Store,
        stored: StoredAttempt,
        take_over: bool,
        now: Millis,
    ) -> Result<Attempt> {
        if stored.finished.is_some() {
            return Err(crate::store::StoreError::AlreadyFinished(stored.id).into());
        }
        store.claim(stored.id, take_over, now)?;
        let notes_saved = store.note_count(stored.id)?;
        let (paper, rest): (Vec<PaperItem>, Vec<_>) =
            stored.items.into_iter().map(|i| (i.paper, (i.content_hash, i.state))).unzip();
        let (hashes, states): (Vec<String>, Vec<_>) = rest.into_iter().unzip();
        let items = locate(&exam, paper, Some(hashes))?;
        let shapes = items.iter().map(|i| exam.shape_at(i.question)).collect();
        let mut session = Session::new(shapes, stored.started_at, stored.deadline);
        session.items = states;
        session.position = stored.position.min(items.len().saturating_sub(1));
        session.last_tick = stored.last_tick;
        session.lock_answers = stored.mode.gives_feedback();
        session.resume_at(now);
        Ok(Attempt {
            exam,
            store,
            id: stored.id,
            mode: stored.mode,
            seed: stored.seed,
            started_at: stored.started_at,
            time_limit_ms: stored.time_limit_ms,
            hide_domain: stored.hide_domain,
            seen_before: stored.seen_before,
            retake_of: stored.retake_of,
            items,
            session,
            finished: None,
            notes_saved,
        })
    }

    pub fn id(&self) -> i64 {
        self.id
    }

    pub fn mode(&self) -> Mode {
        self.mode
    }

    pub fn seed(&self) -> u64 {
        self.seed
    }

    pub fn exam(&self) -> &Exam {
        &self.exam
    }

    pub fn started_at(&self) -> Millis {
        self.started_at
    }

    /// A complete answer keeps the question on screen (the browser room: Next moves on).
    pub fn set_stay_on_answer(&mut self, stay: bool) {
        self.session.stay_on_answer = stay;
    }

    /// The attempt has ended (submitted, time up, or every drill question answered).
    pub fn finished(&self) -> Option<&Finished> {
        self.finished.as_ref()
    }

    /// Drill and review: the feedback on the question at `position` once it is answered in
    /// full (never for a mock exam, whose key stays hidden until the report).
    pub fn feedback(&self, position: usize) -> Option<FeedbackView> {
        if !self.mode.gives_feedback() || position >= self.items.len() || !self.session.is_complete(position)
        {
            return None;
        }
        let item = &self.items[position];
        Some(view::feedback_view(
            &item.paper,
            self.question(item),
            self.session.items[position].response.as_ref(),
        ))
    }

    pub fn set_hide_domain(&mut self, hide: bool) {
        self.hide_domain = hide;
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// 0-based position of the question on screen.
    pub fn position(&self) -> usize {
        self.session.position
    }

    /// The question at `position` has a complete answer (ordering and matching answers
    /// can be saved part-way).
    pub fn is_complete(&self, position: usize) -> bool {
        self.session.is_complete(position)
    }

    pub fn is_timed(&self) -> bool {
        self.session.deadline.is_some()
    }

    pub fn remaining(&self, now: Millis) -> Option<Millis> {
        self.session.remaining(now)
    }

    /// The time the report gives as used: a timed attempt's from its start to its end (its
    /// clock runs while it is closed, as the real exam's would); an untimed one's (a drill,
    /// a review) only while it was open: the time counted to its questions, which stops at
    /// `quit` and starts again at `resume`.
    fn time_used(&self, finished_at: Millis) -> Millis {
        match self.time_limit_ms {
            Some(_) => finished_at.saturating_sub(self.started_at),
            None => self.session.items.iter().map(|i| i.millis).sum(),
        }
    }

    /// The attempt's time limit; `None` when untimed.
    pub fn time_limit(&self) -> Option<Millis> {
        self.time_limit_ms
    }

    pub fn is_over_time(&self, now: Millis) -> bool {
        self.session.is_over_time(now)
    }

    /// For the pace cue: the questions not complete and the time the paper allows each
    /// (its limit over its questions); `None` when untimed.
    pub fn pace_budget(&self) -> Option<(usize, Millis)> {
        let per_question = self.time_limit_ms? / (self.len().max(1) as u64);
        Some((self.unanswered_count(), per_question))
    }

    pub fn unanswered_count(&self) -> usize {
        self.session.len() - self.session.answered_count()
    }

    pub fn flagged_count(&self) -> usize {
        self.session.flagged_count()
    }

    /// The paper's questions that were edited in the bank since the attempt began.
    pub fn edited_count(&self) -> usize {
        self.items.iter().filter(|i| self.question(i).content_hash() != i.content_hash).count()
    }

    /// Unscored (pretest) items on the paper.
    pub fn unscored_count(&self) -> usize {
        self.items.iter().filter(|i| !i.paper.scored).count()
    }

    fn question(&self, item: &AttemptItem) -> &Question {
        self.exam.question_at(item.question)
    }

    /// The current question, put on screen now: its first showing is recorded (and saved)
    /// so the review queue and statistics know it was seen.
    pub fn present(&mut self, now: Millis) -> Result<QuestionView> {
        if self.finished.is_none() && !self.session.is_over_time(now) && self.session.mark_seen(now) {
            self.save(&[self.session.position])?;
        }
        Ok(self.current_view())
    }

    /// The current question as it stands, without recording anything.
    pub fn current_view(&self) -> QuestionView {
        let position = self.session.position;
        let item = &self.items[position];
        let ids: Vec<&str> = self.items.iter().map(|i| i.paper.question_id.as_str()).collect();
        view::question_view(
            &self.exam.blueprint,
            &item.paper,
            self.question(item),
            &self.session.items[position],
            (position + 1, self.items.len()),
            self.hide_domain,
            view::scenario_view(&self.exam, &ids, position),
        )
    }

    pub fn review_grid(&self, filter: ReviewFilter) -> ReviewGrid {
        view::review_grid(&self.session, filter)
    }

    pub fn status(&self, now: Millis) -> StatusView {
        view::status_view(&self.session, now)
    }

    /// The answer to the current question so far.
    pub fn current_response(&self) -> Option<&crate::exam::item::Response> {
        self.session.items[self.session.position].response.as_ref()
    }

    /// How sure the candidate said they were of the current answer.
    pub fn current_confidence(&self) -> Option<crate::model::Confidence> {
        self.session.items[self.session.position].confidence
    }

    /// The shape of the current question's answer (for parsing what was typed).
    pub fn current_shape(&self) -> Shape {
        self.session.shapes[self.session.position]
    }

    /// Applies `action` at `now`; whatever it changed is saved before this returns.
    pub fn apply(&mut self, action: Action, now: Millis) -> Result<Outcome> {
        if self.finished.is_some() {
            return Ok(Outcome::Refused(Refusal::Finished));
        }
        let before = self.session.position;
        let change = match self.session.apply(&action, now) {
            Ok(change) => change,
            Err(Refusal::TimeUp) => return Ok(Outcome::Finished(Box::new(self.end_at_deadline(now)?))),
            Err(refusal) => {
                // Time spent still counts, but only a change is worth a write.
                return Ok(Outcome::Refused(refusal));
            }
        };
        if let Change::Ended(_) = change {
            return Ok(Outcome::Finished(Box::new(self.finish(now)?)));
        }
        let flagged_elsewhere = match change {
            Change::Flagged { position, .. } if position != before => Some(position),
            _ => None,
        };
        let mut touched = vec![before, self.session.position];
        touched.extend(flagged_elsewhere);
        self.save(&touched)?;
        Ok(match change {
            Change::Answered { position, advanced } => {
                // Drill and review: feedback once the answer is complete (a partial ordering
                // or matching answer is kept and can be finished first).
                let (feedback, finished) = if self.mode.gives_feedback() && self.session.is_complete(position)
                {
                    let item = &self.items[position];
                    let feedback = view::feedback_view(
                        &item.paper,
                        self.question(item),
                        self.session.items[position].response.as_ref(),
                    );
                    // Every answer is in: the drill or review is over.
                    let finished = if self.session.all_answered() {
                        self.session.ended = Some((now, EndReason::Submitted));
                        Some(Box::new(self.finish(now)?))
                    } else {
                        None
                    };
                    (Some(feedback), finished)
                } else {
                    (None, None)
                };
                let answer =
                    self.session.items[position].response.as_ref().map(|r| r.letters()).unwrap_or_default();
                Outcome::Answered { position, advanced, answer, feedback, finished }
            }
            Change::Cleared => Outcome::Cleared { position: before },
            Change::Moved => Outcome::Moved,
            Change::Flagged { position, on } => Outcome::Flagged { position, on },
            Change::Struck => Outcome::Struck {
                struck: self.session.items[before]
                    .struck
                    .iter()
                    .map(|&i| crate::exam::item::letter(i))
                    .collect(),
            },
            Change::Ended(_) => unreachable!("handled above"),
        })
    }

    /// Records the candidate's note on the question on screen (`report TEXT`) with this
    /// attempt, saved before this returns. A refusal (an empty or overlong note, an ended
    /// attempt) writes nothing; the session itself is never changed by a note.
    pub fn report(
        &mut self,
        typed: &str,
        now: Millis,
    ) -> Result<std::result::Result<NoteSaved, NoteRefusal>> {
        if self.finished.is_some() {
            return Ok(Err(NoteRefusal::Finished));
        }
        let text = match notes::note_text(typed) {
            Ok(text) => text,
            Err(refusal) => return Ok(Err(refusal)),
        };
        let position = self.session.position;
        let item = &self.items[position];
        // The question as it is on screen (the bank's, which may be newer than the paper).
        let content_hash = self.question(item).content_hash();
        let id = self.store.add_note(&NewNote {
            attempt: self.id,
            exam: &self.exam.blueprint.id,
            question_id: &item.paper.question_id,
            mode: self.mode,
            content_hash: &content_hash,
            created_at: now,
            text: &text,
        })?;
        self.notes_saved += 1;
        Ok(Ok(NoteSaved { id, position, question_id: item.paper.question_id.clone() }))
    }

    /// How many notes were written in this attempt (a drill left before any answer is
    /// forgotten, but its notes are kept).
    pub fn notes_saved(&self) -> usize {
        self.notes_saved
    }

    /// Saves the time spent so far and leaves the attempt open for `proctor resume`.
    pub fn quit(&mut self, now: Millis) -> Result<Quit> {
        // A partial ordering answer is kept: something was answered.
        if self.mode.gives_feedback() && self.session.responded_count() == 0 {
            self.store.delete_attempt(self.id)?;
            return Ok(Quit::Discarded);
        }
        let position = self.session.position;
        self.session.pause(now);
        // Saved and left in one transaction: it can be resumed anywhere now.
        let state = &self.session.items[position];
        self.store.save_and_release(self.id, position, self.session.last_tick, &[(position, state)])?;
        Ok(Quit::Saved { answered: self.session.answered_count(), total: self.session.len() })
    }

    /// Ends the attempt at the deadline (answers after it never counted) and scores it.
    pub fn end_at_deadline(&mut self, now: Millis) -> Result<Finished> {
        if let Some(finished) = &self.finished {
            return Ok(finished.clone());
        }
        self.session.end_at_deadline(now);
        self.finish(now)
    }

    /// Scores the attempt, updates the review queue and marks it finished, in one
    /// transaction that reads the queue it writes.
    fn finish(&mut self, now: Millis) -> Result<Finished> {
        if let Some(finished) = &self.finished {
            return Ok(finished.clone());
        }
        let (finished_at, reason) = self.session.ended.unwrap_or((now, EndReason::Submitted));
        let paper: Vec<PaperItem> = self.items.iter().map(|i| i.paper.clone()).collect();
        let questions: Vec<&Question> = self.items.iter().map(|i| self.question(i)).collect();
        let score = score::score(&self.exam.blueprint, &paper, &questions, &self.session.items);
        let items: Vec<_> =
            self.session.items.iter().zip(&score.questions).map(|(s, r)| (s, r.correct)).collect();
        let outcomes: Vec<QueueOutcome> = score
            .questions
            .iter()
            .zip(&self.session.items)
            .map(|(result, state)| QueueOutcome {
                question_id: &result.id,
                correct: result.correct,
                seen: state.seen() || state.answered(),
                confidence: state.confidence,
            })
            .collect();
        let exam_id = self.exam.blueprint.id.clone();
        self.store.finish(self.id, finished_at, reason, &items, |existing| {
            schedule::updates_after_attempt(&exam_id, &outcomes, existing, finished_at)
        })?;
        let (weakest, all_meet) = view::advice(&score, &self.exam.blueprint);
        let report = ReportView {
            exam_id: self.exam.blueprint.id.clone(),
            code: self.exam.blueprint.code.clone(),
            mode: self.mode,
            attempt: self.id,
            seed: self.seed,
            used: self.time_used(finished_at),
            limit: self.time_limit_ms,
            reason,
            unscored: self.unscored_count(),
            seen_before: self.seen_before,
            retake_of: self.retake_of,
            score: score.clone(),
            weakest,
            all_meet,
        };
        let finished = Finished { reason, finished_at, score, report };
        self.finished = Some(finished.clone());
        Ok(finished)
    }

    /// The pass probability for this exam from every finished attempt (this one included,
    /// once finished), as of `now`: from the exam's running sums, flat in the history's size.
    pub fn pass_estimate(&self, now: Millis) -> Result<Option<crate::study::readiness::PassEstimate>> {
        let sums = self.store.exam_sums(&self.exam.blueprint.id)?;
        super::room::pass_from_sums(&self.store, &self.exam.blueprint, &sums, now, false)
    }

    /// Saves the position, the clock tick and these items' states durably.
    fn save(&mut self, touched: &[usize]) -> Result<()> {
        let mut touched = touched.to_vec();
        touched.sort_unstable();
        touched.dedup();
        let items: Vec<(usize, &crate::exam::session::ItemState)> =
            touched.iter().map(|&i| (i, &self.session.items[i])).collect();
        self.store.save_progress(self.id, self.session.position, self.session.last_tick, &items)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exam::assemble::{assemble_exam, assemble_set, tests_support::sample_exam};
    use crate::exam::item::Response;

    fn exam() -> Arc<Exam> {
        Arc::new(sample_exam(&[(60, 6), (40, 6)], 6))
    }

    /// The key, and a wrong answer, of the question at `position`.
    fn answers(attempt: &Attempt, position: usize) -> (Response, Response) {
        let item = &attempt.items[position];
        let key = item.paper.layout.key(attempt.question(item));
        let Response::Choice(right) = &key else { panic!("these tests use choice questions") };
        let Shape::Choice { options, .. } = attempt.session.shapes[position] else { panic!("choice") };
        let wrong: Vec<usize> = (0..options).filter(|o| !right.contains(o)).take(right.len()).collect();
        (key, Response::Choice(wrong))
    }

    /// A plan with the domain shown, drawn by the seed alone.
    fn plain_plan(mode: Mode, seed: u64, paper: Vec<PaperItem>, time_limit_ms: Option<Millis>) -> Plan {
        Plan { mode, seed, paper, time_limit_ms, hide_domain: false, seen_before: None, retake_of: None }
    }

    #[test]
    fn a_whole_mock_exam_through_the_application_layer() {
        let dir = tempfile::tempdir().unwrap();
        let exam = exam();
        let paper = assemble_exam(&exam, 11, false).items;
        let plan = Plan { hide_domain: true, ..plain_plan(Mode::Exam, 11, paper, Some(600_000)) };
        let mut attempt = Attempt::begin(exam, Store::open(dir.path()).unwrap(), plan, 1_000).unwrap();
        assert_eq!(attempt.len(), 6);

        let view = attempt.present(1_000).unwrap();
        assert_eq!((view.number, view.total, view.domain.clone()), (1, 6, None));
        let (right, _) = answers(&attempt, 0);
        let Outcome::Answered { position: 0, advanced: true, feedback: None, .. } =
            attempt.apply(Action::Answer(right), 5_000).unwrap()
        else {
            panic!("answering moves on")
        };
        attempt.present(5_000).unwrap();
        let (_, wrong) = answers(&attempt, 1);
        attempt.apply(Action::Answer(wrong), 9_000).unwrap();
        attempt.present(9_000).unwrap();
        assert!(matches!(
            attempt.apply(Action::Flag, 9_500).unwrap(),
            Outcome::Flagged { position: 2, on: true }
        ));
        let refused = attempt.apply(Action::Goto(9), 9_600).unwrap();
        assert!(matches!(refused, Outcome::Refused(Refusal::NoSuchQuestion { number: 9, total: 6 })));
        let grid = attempt.review_grid(ReviewFilter::All);
        assert_eq!(
            grid.entries.iter().filter(|e| e.state != crate::app::view::ReviewState::Unseen).count(),
            3
        );
        assert_eq!((grid.complete, grid.incomplete, grid.unseen), (2, 1, 3));

        let Outcome::Finished(finished) = attempt.apply(Action::Submit, 10_000).unwrap() else {
            panic!("submit ends the exam")
        };
        assert_eq!(finished.reason, EndReason::Submitted);
        assert_eq!((finished.score.correct, finished.score.total), (1, 6));
        assert_eq!(finished.report.used, 9_000);
        assert!(!finished.report.all_meet);

        // The store has it finished, and the queue holds the two seen misses only.
        let store = Store::open(dir.path()).unwrap();
        let stored = store.load(attempt.id()).unwrap();
        assert_eq!(stored.finished, Some((10_000, EndReason::Submitted)));
        let cards = store.cards(Some("t")).unwrap();
        let mut queued: Vec<&str> = cards.iter().map(|c| c.question_id.as_str()).collect();
        queued.sort_unstable();
        let mut missed_and_seen =
            vec![finished.score.questions[1].id.as_str(), finished.score.questions[2].id.as_str()];
        missed_and_seen.sort_unstable();
        assert_eq!(queued, missed_and_seen);
        assert!(matches!(attempt.apply(Action::Next, 11_000).unwrap(), Outcome::Refused(Refusal::Finished)));
    }

    #[test]
    fn answers_after_the_deadline_do_not_count() {
        let dir = tempfile::tempdir().unwrap();
        let exam = exam();
        let paper = assemble_exam(&exam, 2, false).items;
        let plan = plain_plan(Mode::Exam, 2, paper, Some(60_000));
        let mut attempt = Attempt::begin(exam, Store::open(dir.path()).unwrap(), plan, 0).unwrap();
        attempt.present(0).unwrap();
        let (right, _) = answers(&attempt, 0);
        let Outcome::Finished(finished) = attempt.apply(Action::Answer(right), 60_000).unwrap() else {
            panic!("the deadline ends the attempt")
        };
        assert_eq!(finished.reason, EndReason::TimeUp);
        assert_eq!(finished.finished_at, 60_000);
        assert_eq!(finished.score.correct, 0);
    }

    #[test]
    fn a_drill_gives_feedback_locks_answers_and_ends_when_all_are_answered() {
        let dir = tempfile::tempdir().unwrap();
        let exam = exam();
        let ids: Vec<String> = exam.questions().iter().take(2).map(|q| q.id.clone()).collect();
        let paper = assemble_set(&exam, &ids, 4).items;
        let plan = plain_plan(Mode::Drill, 4, paper, None);
        let mut attempt = Attempt::begin(exam, Store::open(dir.path()).unwrap(), plan, 0).unwrap();
        attempt.present(0).unwrap();
        let (right, _) = answers(&attempt, 0);
        let Outcome::Answered { feedback: Some(feedback), finished: None, .. } =
            attempt.apply(Action::Answer(right.clone()), 100).unwrap()
        else {
            panic!("feedback after the answer")
        };
        assert!(feedback.correct);
        attempt.apply(Action::Prev, 200).unwrap();
        assert!(matches!(
            attempt.apply(Action::Answer(right), 300).unwrap(),
            Outcome::Refused(Refusal::Locked)
        ));
        attempt.apply(Action::Next, 400).unwrap();
        attempt.present(400).unwrap();
        let (_, wrong) = answers(&attempt, 1);
        let Outcome::Answered { feedback: Some(feedback), finished: Some(finished), .. } =
            attempt.apply(Action::Answer(wrong), 500).unwrap()
        else {
            panic!("the last answer ends the drill")
        };
        assert!(!feedback.correct);
        assert_eq!((finished.score.correct, finished.score.total), (1, 2));
    }

    #[test]
    fn a_drill_left_before_any_answer_is_forgotten_and_an_exam_is_saved() {
        let dir = tempfile::tempdir().unwrap();
        let exam = exam();
        let ids: Vec<String> = exam.questions().iter().take(2).map(|q| q.id.clone()).collect();
        let plan = plain_plan(Mode::Drill, 4, assemble_set(&exam, &ids, 4).items, None);
        let mut drill = Attempt::begin(exam.clone(), Store::open(dir.path()).unwrap(), plan, 0).unwrap();
        assert_eq!(drill.quit(10).unwrap(), Quit::Discarded);
        let gone = Store::open(dir.path()).unwrap().load(drill.id());
        assert!(matches!(gone, Err(crate::store::StoreError::NoSuchAttempt(_))));
        let plan = plain_plan(Mode::Exam, 4, assemble_exam(&exam, 4, false).items, Some(60_000));
        let mut mock = Attempt::begin(exam.clone(), Store::open(dir.path()).unwrap(), plan, 0).unwrap();
        mock.present(0).unwrap();
        mock.apply(Action::Flag, 1_000).unwrap();
        assert_eq!(mock.quit(2_000).unwrap(), Quit::Saved { answered: 0, total: 6 });
        let store = Store::open(dir.path()).unwrap();
        // Resumed later: the flag and the seen state are back, the clock kept its deadline.
        let stored = store.load(mock.id()).unwrap();
        let resumed = Attempt::resume(exam, store, stored, false, 30_000).unwrap();
        assert_eq!(resumed.remaining(30_000), Some(30_000));
        let grid = resumed.review_grid(ReviewFilter::Flagged);
        assert_eq!(grid.entries.len(), 1);
        assert_eq!(grid.entries[0].state, crate::app::view::ReviewState::Incomplete);
    }
}
