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
    /// Saved as attempt `id`, for `proctor resume`.
    Saved { id: i64, answered: usize, total: usize },
    /// A drill or review left before any answer is not worth keeping: forgotten.
    Discarded,
}

pub struct Attempt {
    exam: Arc<Exam>,
    store: Store,
    /// `None` until the attempt is written (`record`).
    id: Option<i64>,
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
        let mut attempt = Attempt::begin_with(exam, store, plan, now)?;
        attempt.record(false)?;
        Ok(attempt)
    }

    /// A new attempt for a front end that puts the first question on screen at once (the
    /// terminal). It is written at its first change, with every item's state: an answer, a
    /// flag, a strike, a move or `quit` in that change's own transaction (one commit and
    /// sync fewer per exam); a note, `submit` or the deadline right before theirs. A
    /// process killed before any change leaves nothing behind, and nothing typed was lost.
    pub fn begin_on_screen(exam: Arc<Exam>, store: Store, plan: Plan, now: Millis) -> Result<Attempt> {
        let mut attempt = Attempt::begin_with(exam, store, plan, now)?;
        attempt.session.mark_seen(now);
        Ok(attempt)
    }

    fn begin_with(exam: Arc<Exam>, store: Store, plan: Plan, now: Millis) -> Result<Attempt> {
        if plan.paper.is_empty() {
            return Err(Error::Usage(format!("the {} bank has no questions for this", exam.blueprint.id)));
        }
        let items = locate(&exam, plan.paper, None)?;
        let deadline = plan.time_limit_ms.map(|limit| now + limit);
        let shapes = items.iter().map(|i| exam.shape_at(i.question)).collect();
        let mut session = Session::new(shapes, now, deadline);
        session.lock_answers = plan.mode.gives_feedback();
        Ok(Attempt {
            exam,
            store,
            id: None,
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

    /// Writes the attempt as it stands if it is not in the store yet (`released`: as it
    /// is left, held by no session). The id, and whether this call wrote it: then the
    /// change that led here is saved with it.
    fn record(&mut self, released: bool) -> Result<(i64, bool)> {
        if let Some(id) = self.id {
            return Ok((id, false));
        }
        let paper: Vec<PaperItem> = self.items.iter().map(|i| i.paper.clone()).collect();
        let hashes: Vec<String> = self.items.iter().map(|i| i.content_hash.clone()).collect();
        let id = self.store.create_attempt(&NewAttempt {
            exam: &self.exam.blueprint.id,
            mode: self.mode,
            seed: self.seed,
            started_at: self.started_at,
            deadline: self.session.deadline,
            time_limit_ms: self.time_limit_ms,
            items: &paper,
            content_hashes: &hashes,
            hide_domain: self.hide_domain,
            seen_before: self.seen_before,
            retake_of: self.retake_of,
            states: &self.session.items,
            position: self.session.position,
            last_tick: self.session.last_tick,
            released,
        })?;
        self.id = Some(id);
        Ok((id, true))
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
            id: Some(stored.id),
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

    /// The attempt's id, written first if it is not in the store yet (a front end that
    /// names the attempt, in a link, needs it at once).
    pub fn recorded_id(&mut self) -> Result<i64> {
        Ok(self.record(false)?.0)
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
        let question_id = item.paper.question_id.clone();
        let (attempt, _) = self.record(false)?;
        let id = self.store.add_note(&NewNote {
            attempt,
            exam: &self.exam.blueprint.id,
            question_id: &question_id,
            mode: self.mode,
            content_hash: &content_hash,
            created_at: now,
            text: &text,
        })?;
        self.notes_saved += 1;
        Ok(Ok(NoteSaved { id, position, question_id }))
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
            if let Some(id) = self.id {
                self.store.delete_attempt(id)?;
            }
            return Ok(Quit::Discarded);
        }
        let position = self.session.position;
        self.session.pause(now);
        // Saved and left in one transaction: it can be resumed anywhere now.
        let (id, written) = self.record(true)?;
        if !written {
            let state = &self.session.items[position];
            self.store.save_and_release(id, position, self.session.last_tick, &[(position, state)])?;
        }
        Ok(Quit::Saved { id, answered: self.session.answered_count(), total: self.session.len() })
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
        // An attempt ended by its first change (`submit`, the deadline) is written first.
        let (id, _) = self.record(false)?;
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
        self.store.finish(id, finished_at, reason, &items, |existing| {
            schedule::updates_after_attempt(&exam_id, &outcomes, existing, finished_at)
        })?;
        let (weakest, all_meet) = view::advice(&score, &self.exam.blueprint);
        let report = ReportView {
            exam_id: self.exam.blueprint.id.clone(),
            code: self.exam.blueprint.code.clone(),
            mode: self.mode,
            attempt: id,
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
        let (id, written) = self.record(false)?;
        if written {
            // The whole attempt was just written, this change with it.
            return Ok(());
        }
        let mut touched = touched.to_vec();
        touched.sort_unstable();
        touched.dedup();
        let items: Vec<(usize, &crate::exam::session::ItemState)> =
            touched.iter().map(|&i| (i, &self.session.items[i])).collect();
        self.store.save_progress(id, self.session.position, self.session.last_tick, &items)?;
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
        let stored = store.load(attempt.recorded_id().unwrap()).unwrap();
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
        let gone = Store::open(dir.path()).unwrap().load(drill.recorded_id().unwrap());
        assert!(matches!(gone, Err(crate::store::StoreError::NoSuchAttempt(_))));
        let plan = plain_plan(Mode::Exam, 4, assemble_exam(&exam, 4, false).items, Some(60_000));
        let mut mock = Attempt::begin(exam.clone(), Store::open(dir.path()).unwrap(), plan, 0).unwrap();
        mock.present(0).unwrap();
        mock.apply(Action::Flag, 1_000).unwrap();
        let Quit::Saved { id, answered: 0, total: 6 } = mock.quit(2_000).unwrap() else {
            panic!("the mock exam was not saved")
        };
        let store = Store::open(dir.path()).unwrap();
        // Resumed later: the flag and the seen state are back, the clock kept its deadline.
        let stored = store.load(id).unwrap();
        let resumed = Attempt::resume(exam, store, stored, false, 30_000).unwrap();
        assert_eq!(resumed.remaining(30_000), Some(30_000));
        let grid = resumed.review_grid(ReviewFilter::Flagged);
        assert_eq!(grid.entries.len(), 1);
        assert_eq!(grid.entries[0].state, crate::app::view::ReviewState::Incomplete);
    }

    /// Begun on screen, nothing is written until the first change, and then the whole
    /// attempt is, with that change: whichever change it is.
    #[test]
    fn an_attempt_begun_on_screen_is_written_with_its_first_change() {
        let exam = exam();
        let dir = tempfile::tempdir().unwrap();
        let begin = |seed| {
            let plan = plain_plan(Mode::Exam, seed, assemble_exam(&exam, seed, false).items, Some(60_000));
            Attempt::begin_on_screen(exam.clone(), Store::open(dir.path()).unwrap(), plan, 1_000).unwrap()
        };
        let nothing_stored = || Store::open(dir.path()).unwrap().latest_unfinished(None, None).unwrap();
        let held = |id: i64| {
            let db = rusqlite::Connection::open(dir.path().join(crate::store::DATABASE_FILE)).unwrap();
            let owners: i64 = db
                .query_row("SELECT count(*) FROM attempt_owners WHERE attempt_id = ?1", [id], |r| r.get(0))
                .unwrap();
            owners == 1
        };

        // Left at once: written as left, resumable by another session without a take-over.
        let mut left = begin(1);
        left.present(1_500).unwrap();
        assert_eq!(nothing_stored(), None);
        let Quit::Saved { id, answered: 0, total: 6 } = left.quit(4_000).unwrap() else {
            panic!("not saved")
        };
        assert!(!held(id));
        let store = Store::open(dir.path()).unwrap();
        let stored = store.load(id).unwrap();
        assert_eq!((stored.started_at, stored.deadline, stored.last_tick), (1_000, Some(61_000), 4_000));
        assert_eq!(stored.items[0].state.seen_at, Some(1_000));
        assert_eq!(stored.items[0].state.millis, 3_000);
        assert!(stored.items[1..].iter().all(|i| i.state.seen_at.is_none()));
        let resumed = Attempt::resume(exam.clone(), store, stored, false, 5_000).unwrap();
        assert_eq!(resumed.remaining(5_000), Some(56_000));
        drop(resumed);

        // A flag: written held by this session, flag and all; later changes are updates.
        let mut flagged = begin(2);
        let before = nothing_stored();
        flagged.apply(Action::Flag, 2_000).unwrap();
        let id = flagged.recorded_id().unwrap();
        assert_ne!(Some(id), before);
        let stored = Store::open(dir.path()).unwrap().load(id).unwrap();
        assert!(stored.items[0].state.flagged);
        assert!(held(id));
        flagged.apply(Action::Next, 3_000).unwrap();
        flagged.present(3_000).unwrap();
        let stored = Store::open(dir.path()).unwrap().load(id).unwrap();
        assert_eq!((stored.position, stored.items[1].state.seen_at), (1, Some(3_000)));

        // A note, then submit: one attempt, finished, with the note.
        let mut noted = begin(3);
        let Ok(saved) = noted.report("the second option reads oddly", 2_000).unwrap() else {
            panic!("note refused")
        };
        assert_eq!(saved.position, 0);
        let id = noted.recorded_id().unwrap();
        let finished = noted.apply(Action::Submit, 3_000).unwrap();
        assert!(matches!(finished, Outcome::Finished(ref f) if f.report.attempt == id));
        let store = Store::open(dir.path()).unwrap();
        assert_eq!(store.load(id).unwrap().finished.map(|f| f.1), Some(EndReason::Submitted));
        assert_eq!(store.note_count(id).unwrap(), 1);

        // Submitted as its first change: written and finished.
        let mut submitted = begin(4);
        let Outcome::Finished(finished) = submitted.apply(Action::Submit, 2_000).unwrap() else {
            panic!("not finished")
        };
        let stored = Store::open(dir.path()).unwrap().load(finished.report.attempt).unwrap();
        assert_eq!(stored.finished, Some((2_000, EndReason::Submitted)));
    }
}
