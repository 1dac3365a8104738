//! The session state machine: where the candidate is, what they answered, flagged and
//! crossed out, how long each question took, and whether the attempt is over. Pure: the
//! caller passes the time in and stores what changed.

use super::clock::Millis;
use super::item::{AnswerError, Response, Shape};
use crate::model::{Confidence, EndReason, ReviewFilter};

/// The candidate's state on one question.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ItemState {
    /// `None` when unanswered.
    pub response: Option<Response>,
    pub flagged: bool,
    /// Shown positions crossed out, sorted.
    pub struck: Vec<usize>,
    /// Time spent on this question so far.
    pub millis: Millis,
    /// When the question was first put on screen; `None` while never shown.
    pub seen_at: Option<Millis>,
    /// How sure the candidate said they were of the answer, if they said.
    pub confidence: Option<Confidence>,
}

impl ItemState {
    pub fn answered(&self) -> bool {
        self.response.is_some()
    }

    pub fn seen(&self) -> bool {
        self.seen_at.is_some()
    }
}

/// A change the session made, so the caller knows what to store and show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    Answered {
        position: usize,
        advanced: bool,
    },
    Cleared,
    Moved,
    /// The flag of question `position` (0-based) is now `on`.
    Flagged {
        position: usize,
        on: bool,
    },
    Struck,
    Ended(EndReason),
}

/// What a session refuses, and why. Front ends word these for their users.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// The deadline has passed; the attempt must be ended.
    TimeUp,
    Finished,
    NoQuestions,
    /// The answer does not fit the question.
    Answer(AnswerError),
    /// A strike names an option the question does not have.
    NoSuchOption {
        letter: char,
        options: usize,
    },
    /// Drill and review: the answer was given and its feedback shown.
    Locked,
    AtLastQuestion,
    AtFirstQuestion,
    NoSuchQuestion {
        number: usize,
        total: usize,
    },
    /// `next unanswered` / `next flagged` found none.
    NoneLeft(ReviewFilter),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub shapes: Vec<Shape>,
    pub items: Vec<ItemState>,
    pub position: usize,
    pub started_at: Millis,
    pub deadline: Option<Millis>,
    /// When time was last counted towards the current question.
    pub last_tick: Millis,
    pub ended: Option<(Millis, EndReason)>,
    /// Drill and review give feedback after each answer, so an answer cannot be changed.
    pub lock_answers: bool,
    /// A complete answer leaves the question on screen (the browser room, where the
    /// candidate clicks Next as on the real exam) instead of moving on (the prompt).
    pub stay_on_answer: bool,
}

/// A state-changing action (the command language's other commands only look).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    Answer(Response),
    /// An answer with how sure the candidate is (`b!`, `b?`).
    RatedAnswer(Response, Confidence),
    Clear,
    Next,
    /// The next unanswered (or flagged) question after the current one, wrapping round.
    NextOf(ReviewFilter),
    Prev,
    /// 1-based, as shown.
    Goto(usize),
    Flag,
    /// Toggle the flag of question N (1-based), from the review screen, without moving.
    FlagAt(usize),
    /// Toggle crossing out these shown positions.
    Strike(Vec<usize>),
    Submit,
}

impl Session {
    pub fn new(shapes: Vec<Shape>, started_at: Millis, deadline: Option<Millis>) -> Self {
        let items = vec![ItemState::default(); shapes.len()];
        Session {
            shapes,
            items,
            position: 0,
            started_at,
            deadline,
            last_tick: started_at,
            ended: None,
            lock_answers: false,
            stay_on_answer: false,
        }
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_over_time(&self, now: Millis) -> bool {
        self.deadline.is_some_and(|d| now >= d)
    }

    pub fn remaining(&self, now: Millis) -> Option<Millis> {
        self.deadline.map(|d| d.saturating_sub(now))
    }

    /// Every question has a complete answer (a partial ordering or matching one is not).
    pub fn all_answered(&self) -> bool {
        (0..self.items.len()).all(|i| self.is_complete(i))
    }

    /// The question at `position` is one `filter` keeps.
    pub fn keeps(&self, filter: ReviewFilter, position: usize) -> bool {
        let item = &self.items[position];
        let complete = self.is_complete(position);
        match filter {
            ReviewFilter::All => true,
            ReviewFilter::Unanswered => !complete,
            ReviewFilter::Complete => complete,
            ReviewFilter::Incomplete => !complete && item.seen(),
            ReviewFilter::Unseen => !complete && !item.seen(),
            ReviewFilter::Flagged => item.flagged,
        }
    }

    /// The question at `position` has a complete answer.
    pub fn is_complete(&self, position: usize) -> bool {
        self.items[position].response.as_ref().is_some_and(|r| r.is_complete(&self.shapes[position]))
    }

    /// The questions with a complete answer: a partial ordering or matching answer is
    /// saved but does not count (it scores as wrong, and the review screen shows it
    /// incomplete), as the real exam counts it.
    pub fn answered_count(&self) -> usize {
        (0..self.items.len()).filter(|&i| self.is_complete(i)).count()
    }

    /// The questions with any answer saved, complete or not.
    pub fn responded_count(&self) -> usize {
        self.items.iter().filter(|i| i.answered()).count()
    }

    pub fn flagged_count(&self) -> usize {
        self.items.iter().filter(|i| i.flagged).count()
    }

    /// Counts time up to `now` (never past the deadline) towards the current question.
    fn tick(&mut self, now: Millis) {
        let now = self.deadline.map_or(now, |d| now.min(d)).max(self.last_tick);
        if let Some(item) = self.items.get_mut(self.position) {
            item.millis += now - self.last_tick;
        }
        self.last_tick = now;
    }

    /// Applies `action` at time `now`. Past the deadline nothing is applied: the caller
    /// must `end` the attempt with `TimeUp`.
    pub fn apply(&mut self, action: &Action, now: Millis) -> Result<Change, Refusal> {
        if self.ended.is_some() {
            return Err(Refusal::Finished);
        }
        if self.is_over_time(now) {
            return Err(Refusal::TimeUp);
        }
        if self.items.is_empty() {
            return Err(Refusal::NoQuestions);
        }
        self.tick(now);
        let last = self.items.len() - 1;
        let shape = self.shapes[self.position];
        match action {
            // Feedback was given on a complete answer: it stands. A partial one can go on.
            Action::Answer(_) | Action::RatedAnswer(..) | Action::Clear
                if self.lock_answers && self.is_complete(self.position) =>
            {
                Err(Refusal::Locked)
            }
            Action::Answer(response) | Action::RatedAnswer(response, _) => {
                shape.check(response).map_err(Refusal::Answer)?;
                let position = self.position;
                self.items[position].response = Some(response.clone());
                self.items[position].confidence = match action {
                    Action::RatedAnswer(_, confidence) => Some(*confidence),
                    _ => None,
                };
                // A partial ordering or matching answer is saved, but the question stays
                // on screen to be finished.
                let advanced = !self.stay_on_answer && position < last && response.is_complete(&shape);
                if advanced {
                    self.position += 1;
                }
                Ok(Change::Answered { position, advanced })
            }
            Action::Clear => {
                self.items[self.position].response = None;
                self.items[self.position].confidence = None;
                Ok(Change::Cleared)
            }
            Action::Next => {
                if self.position == last {
                    return Err(Refusal::AtLastQuestion);
                }
                self.position += 1;
                Ok(Change::Moved)
            }
            Action::NextOf(filter) => {
                let len = self.items.len();
                let found =
                    (1..=len).map(|step| (self.position + step) % len).find(|&i| self.keeps(*filter, i));
                match found {
                    Some(i) => {
                        self.position = i;
                        Ok(Change::Moved)
                    }
                    None => Err(Refusal::NoneLeft(*filter)),
                }
            }
            Action::Prev => {
                if self.position == 0 {
                    return Err(Refusal::AtFirstQuestion);
                }
                self.position -= 1;
                Ok(Change::Moved)
            }
            Action::Goto(n) => {
                if *n == 0 || *n > self.items.len() {
                    return Err(Refusal::NoSuchQuestion { number: *n, total: self.items.len() });
                }
                self.position = n - 1;
                Ok(Change::Moved)
            }
            Action::Flag => {
                let position = self.position;
                let item = &mut self.items[position];
                item.flagged = !item.flagged;
                Ok(Change::Flagged { position, on: item.flagged })
            }
            Action::FlagAt(n) => {
                if *n == 0 || *n > self.items.len() {
                    return Err(Refusal::NoSuchQuestion { number: *n, total: self.items.len() });
                }
                let item = &mut self.items[n - 1];
                item.flagged = !item.flagged;
                Ok(Change::Flagged { position: n - 1, on: item.flagged })
            }
            Action::Strike(positions) => {
                let options = shape.strikable();
                if let Some(&bad) = positions.iter().find(|&&l| l >= options) {
                    return Err(Refusal::NoSuchOption { letter: super::item::letter(bad), options });
                }
                let struck = &mut self.items[self.position].struck;
                for l in positions {
                    match struck.iter().position(|s| s == l) {
                        Some(i) => {
                            struck.remove(i);
                        }
                        None => struck.push(*l),
                    }
                }
                struck.sort_unstable();
                Ok(Change::Struck)
            }
            Action::Submit => {
                self.ended = Some((now, EndReason::Submitted));
                Ok(Change::Ended(EndReason::Submitted))
            }
        }
    }

    /// Records that the current question is on screen now; `true` the first time, so the
    /// caller stores it. "Seen" is recorded, never inferred from time spent.
    pub fn mark_seen(&mut self, now: Millis) -> bool {
        match self.items.get_mut(self.position) {
            Some(item) if item.seen_at.is_none() => {
                item.seen_at = Some(now);
                true
            }
            _ => false,
        }
    }

    /// Ends the attempt at the deadline (or `now`, whichever is first).
    pub fn end_at_deadline(&mut self, now: Millis) -> Change {
        self.tick(now);
        let at = self.deadline.map_or(now, |d| d.min(now));
        self.ended = Some((at, EndReason::TimeUp));
        Change::Ended(EndReason::TimeUp)
    }

    /// Saves the time spent so far (before leaving with `quit`).
    pub fn pause(&mut self, now: Millis) {
        self.tick(now);
    }

    /// Starts counting again after a resume: time while away is not counted to any question
    /// (but the deadline kept running).
    pub fn resume_at(&mut self, now: Millis) {
        self.last_tick = now.max(self.last_tick);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exam::item::AnswerError;

    fn session() -> Session {
        let shapes = vec![Shape::Choice { options: 4, select: 1 }, Shape::Choice { options: 5, select: 2 }];
        Session::new(shapes, 1_000, Some(61_000))
    }

    #[test]
    fn answering_advances_and_counts_time() {
        let mut s = session();
        assert_eq!(
            s.apply(&Action::Answer(Response::Choice(vec![1])), 6_000),
            Ok(Change::Answered { position: 0, advanced: true })
        );
        assert_eq!(s.items[0].millis, 5_000);
        assert_eq!(s.position, 1);
        assert_eq!(
            s.apply(&Action::Answer(Response::Choice(vec![0, 2])), 8_000),
            Ok(Change::Answered { position: 1, advanced: false })
        );
        assert_eq!(s.items[1].millis, 2_000);
        assert_eq!(s.answered_count(), 2);
    }

    #[test]
    fn wrong_number_of_letters_is_refused_with_a_reason() {
        let mut s = session();
        s.apply(&Action::Next, 1_000).unwrap();
        assert_eq!(
            s.apply(&Action::Answer(Response::Choice(vec![0])), 2_000),
            Err(Refusal::Answer(AnswerError::WrongCount { need: 2, gave: 1 }))
        );
        assert!(!s.items[1].answered());
        assert_eq!(
            s.apply(&Action::Answer(Response::Choice(vec![4, 7])), 2_000),
            Err(Refusal::Answer(AnswerError::NoSuchOption { letter: 'H', options: 5 }))
        );
    }

    #[test]
    fn nothing_counts_after_the_deadline() {
        let mut s = session();
        assert_eq!(s.apply(&Action::Answer(Response::Choice(vec![1])), 61_000), Err(Refusal::TimeUp));
        assert!(!s.items[0].answered());
        s.end_at_deadline(90_000);
        assert_eq!(s.ended, Some((61_000, EndReason::TimeUp)));
        assert_eq!(s.items[0].millis, 60_000);
        assert_eq!(s.apply(&Action::Next, 62_000), Err(Refusal::Finished));
    }

    fn any_action() -> impl proptest::strategy::Strategy<Value = Action> {
        use proptest::prelude::*;
        prop_oneof![
            prop::collection::vec(0usize..7, 0..4).prop_map(|mut v| {
                v.sort_unstable();
                v.dedup();
                Action::Answer(Response::Choice(v))
            }),
            Just(Action::Clear),
            Just(Action::Next),
            Just(Action::Prev),
            (0usize..8).prop_map(Action::Goto),
            Just(Action::Flag),
            (0usize..5).prop_map(Action::FlagAt),
            prop::collection::vec(0usize..7, 0..3).prop_map(Action::Strike),
            Just(Action::NextOf(ReviewFilter::Unanswered)),
            Just(Action::NextOf(ReviewFilter::Flagged)),
            Just(Action::Submit),
        ]
    }

    proptest::proptest! {
        // Whatever is typed, in whatever order and at whatever time: no panic, the position
        // stays on a question, answers always have the right size, and time never runs past
        // the deadline.
        #[test]
        fn any_command_sequence_keeps_the_session_consistent(
            actions in proptest::collection::vec(any_action(), 0..60),
            steps in proptest::collection::vec(0u64..5_000, 60),
            lock in proptest::bool::ANY,
        ) {
            let shapes = vec![
                Shape::Choice { options: 4, select: 1 },
                Shape::Choice { options: 5, select: 2 },
                Shape::Choice { options: 6, select: 3 },
            ];
            let mut s = Session::new(shapes.clone(), 0, Some(100_000));
            s.lock_answers = lock;
            let mut now = 0;
            for (action, step) in actions.iter().zip(&steps) {
                now += step * 10;
                if s.apply(action, now) == Err(Refusal::TimeUp) {
                    s.end_at_deadline(now);
                }
                proptest::prop_assert!(s.position < s.len());
                for (item, shape) in s.items.iter().zip(&shapes) {
                    if let Some(response) = &item.response {
                        proptest::prop_assert_eq!(shape.check(response), Ok(()));
                    }
                }
                let counted: Millis = s.items.iter().map(|i| i.millis).sum();
                proptest::prop_assert!(counted <= 100_000);
            }
        }
    }

    #[test]
    fn next_unanswered_and_flagged_wrap_round() {
        let shapes = vec![Shape::Choice { options: 4, select: 1 }; 4];
        let mut s = Session::new(shapes, 0, None);
        s.apply(&Action::Answer(Response::Choice(vec![0])), 0).unwrap(); // answers 1, moves to 2
        s.apply(&Action::Flag, 0).unwrap(); // flags 2
        s.apply(&Action::Goto(4), 0).unwrap();
        s.apply(&Action::Answer(Response::Choice(vec![0])), 0).unwrap(); // answers 4, stays
        s.apply(&Action::NextOf(ReviewFilter::Unanswered), 0).unwrap();
        assert_eq!(s.position, 1, "wraps to question 2");
        s.apply(&Action::NextOf(ReviewFilter::Unanswered), 0).unwrap();
        assert_eq!(s.position, 2);
        s.apply(&Action::NextOf(ReviewFilter::Flagged), 0).unwrap();
        assert_eq!(s.position, 1);
        s.apply(&Action::Flag, 0).unwrap();
        assert_eq!(
            s.apply(&Action::NextOf(ReviewFilter::Flagged), 0),
            Err(Refusal::NoneLeft(ReviewFilter::Flagged))
        );
    }

    #[test]
    fn locked_answers_cannot_change() {
        let mut s = session();
        s.lock_answers = true;
        s.apply(&Action::Answer(Response::Choice(vec![1])), 1_000).unwrap();
        s.apply(&Action::Prev, 1_000).unwrap();
        assert_eq!(s.apply(&Action::Answer(Response::Choice(vec![2])), 1_000), Err(Refusal::Locked));
        assert_eq!(s.apply(&Action::Clear, 1_000), Err(Refusal::Locked));
        assert_eq!(s.items[0].response, Some(Response::Choice(vec![1])));
    }

    #[test]
    fn seen_is_recorded_once_when_shown() {
        let mut s = session();
        assert!(s.mark_seen(2_000));
        assert!(!s.mark_seen(3_000));
        s.apply(&Action::Goto(2), 4_000).unwrap();
        assert!(!s.items[1].seen(), "moving is not showing");
        assert!(s.mark_seen(4_000));
        assert_eq!(s.items[0].seen_at, Some(2_000));
        assert_eq!(s.items[1].seen_at, Some(4_000));
    }

    #[test]
    fn flags_strikes_and_navigation() {
        let mut s = session();
        assert_eq!(s.apply(&Action::Flag, 1_000), Ok(Change::Flagged { position: 0, on: true }));
        assert_eq!(s.apply(&Action::FlagAt(2), 1_000), Ok(Change::Flagged { position: 1, on: true }));
        assert_eq!(s.position, 0, "flagging from the review screen does not move");
        s.apply(&Action::FlagAt(2), 1_000).unwrap();
        s.apply(&Action::Strike(vec![2, 3]), 1_000).unwrap();
        s.apply(&Action::Strike(vec![2]), 1_000).unwrap();
        assert_eq!(s.items[0].struck, vec![3]);
        assert!(s.apply(&Action::Prev, 1_000).is_err());
        assert!(s.apply(&Action::Goto(3), 1_000).is_err());
        s.apply(&Action::Goto(2), 1_000).unwrap();
        assert!(s.apply(&Action::Next, 1_000).is_err());
        assert_eq!(s.flagged_count(), 1);
    }
}
