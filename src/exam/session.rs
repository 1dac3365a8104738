//! The session state machine: where the candidate is, what they answered, flagged and
//! crossed out, how long each question took, and whether the attempt is over. Pure: the
//! caller passes the time in and stores what changed.

use super::clock::Millis;
use super::command::ReviewFilter;

/// What a question needs from the session to check an answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ItemShape {
    pub options: usize,
    /// How many options the answer must have.
    pub select: usize,
}

/// The candidate's state on one question.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ItemState {
    /// Shown option indices, sorted; empty when unanswered.
    pub response: Vec<usize>,
    pub flagged: bool,
    pub struck: Vec<usize>,
    /// Time spent on this question so far.
    pub millis: Millis,
}

impl ItemState {
    pub fn answered(&self) -> bool {
        !self.response.is_empty()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EndReason {
    Submitted,
    /// The deadline passed: answers after it do not count.
    TimeUp,
}

impl EndReason {
    pub fn as_str(self) -> &'static str {
        match self {
            EndReason::Submitted => "submitted",
            EndReason::TimeUp => "time-up",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "submitted" => Some(EndReason::Submitted),
            "time-up" => Some(EndReason::TimeUp),
            _ => None,
        }
    }
}

/// A change the session made, so the caller knows what to store and show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    Answered { position: usize, advanced: bool },
    Cleared,
    Moved,
    Flagged(bool),
    Struck,
    Ended(EndReason),
}

/// What a session refuses, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// The deadline has passed; the attempt must be ended.
    TimeUp,
    Finished,
    Invalid(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub shapes: Vec<ItemShape>,
    pub items: Vec<ItemState>,
    pub position: usize,
    pub started_at: Millis,
    pub deadline: Option<Millis>,
    /// When time was last counted towards the current question.
    pub last_tick: Millis,
    pub ended: Option<(Millis, EndReason)>,
    /// Drill and review give feedback after each answer, so an answer cannot be changed.
    pub lock_answers: bool,
}

/// A state-changing action (the command language's other commands only look).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    Answer(Vec<usize>),
    Clear,
    Next,
    /// The next unanswered (or flagged) question after the current one, wrapping round.
    NextOf(ReviewFilter),
    Prev,
    Goto(usize),
    Flag,
    Strike(Vec<usize>),
    Submit,
}

impl Session {
    pub fn new(shapes: Vec<ItemShape>, started_at: Millis, deadline: Option<Millis>) -> Self {
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
        }
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    pub fn is_over_time(&self, now: Millis) -> bool {
        self.deadline.is_some_and(|d| now >= d)
    }

    pub fn remaining(&self, now: Millis) -> Option<Millis> {
        self.deadline.map(|d| d.saturating_sub(now))
    }

    pub fn all_answered(&self) -> bool {
        self.items.iter().all(ItemState::answered)
    }

    pub fn answered_count(&self) -> usize {
        self.items.iter().filter(|i| i.answered()).count()
    }

    pub fn flagged_count(&self) -> usize {
        self.items.iter().filter(|i| i.flagged).count()
    }

    pub fn current(&self) -> &ItemState {
        &self.items[self.position]
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
            return Err(Refusal::Invalid("this attempt has no questions".into()));
        }
        self.tick(now);
        let last = self.items.len() - 1;
        let shape = self.shapes[self.position];
        match action {
            Action::Answer(_) | Action::Clear
                if self.lock_answers && self.items[self.position].answered() =>
            {
                Err(Refusal::Invalid(
                    "this question is answered and its feedback given; `next` to go on".into(),
                ))
            }
            Action::Answer(letters) => {
                if let Some(&bad) = letters.iter().find(|&&l| l >= shape.options) {
                    return Err(Refusal::Invalid(format!(
                        "there is no option {}; this question has {}",
                        letter(bad),
                        shape.options
                    )));
                }
                if letters.len() != shape.select {
                    let reason = if shape.select == 1 {
                        format!("choose one option, not {}", letters.len())
                    } else {
                        format!(
                            "this question needs exactly {} options; you gave {}",
                            shape.select,
                            letters.len()
                        )
                    };
                    return Err(Refusal::Invalid(reason));
                }
                let position = self.position;
                self.items[position].response = letters.clone();
                let advanced = position < last;
                if advanced {
                    self.position += 1;
                }
                Ok(Change::Answered { position, advanced })
            }
            Action::Clear => {
                self.items[self.position].response.clear();
                Ok(Change::Cleared)
            }
            Action::Next => {
                if self.position == last {
                    return Err(Refusal::Invalid(
                        "this is the last question; `submit` when you are done".into(),
                    ));
                }
                self.position += 1;
                Ok(Change::Moved)
            }
            Action::NextOf(filter) => {
                let wanted = |item: &ItemState| match filter {
                    ReviewFilter::Unanswered => !item.answered(),
                    ReviewFilter::Flagged => item.flagged,
                    ReviewFilter::All => true,
                };
                let len = self.items.len();
                let found =
                    (1..=len).map(|step| (self.position + step) % len).find(|&i| wanted(&self.items[i]));
                match found {
                    Some(i) => {
                        self.position = i;
                        Ok(Change::Moved)
                    }
                    None => {
                        let what = if *filter == ReviewFilter::Flagged { "flagged" } else { "unanswered" };
                        Err(Refusal::Invalid(format!("no {what} question left")))
                    }
                }
            }
            Action::Prev => {
                if self.position == 0 {
                    return Err(Refusal::Invalid("this is the first question".into()));
                }
                self.position -= 1;
                Ok(Change::Moved)
            }
            Action::Goto(n) => {
                if *n == 0 || *n > self.items.len() {
                    return Err(Refusal::Invalid(format!(
                        "there is no question {n}; questions are 1 to {}",
                        self.items.len()
                    )));
                }
                self.position = n - 1;
                Ok(Change::Moved)
            }
            Action::Flag => {
                let item = &mut self.items[self.position];
                item.flagged = !item.flagged;
                Ok(Change::Flagged(item.flagged))
            }
            Action::Strike(letters) => {
                if let Some(&bad) = letters.iter().find(|&&l| l >= shape.options) {
                    return Err(Refusal::Invalid(format!("there is no option {}", letter(bad))));
                }
                let struck = &mut self.items[self.position].struck;
                for l in letters {
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

/// `A` for 0, `B` for 1, ...
pub fn letter(index: usize) -> char {
    (b'A' + (index % 26) as u8) as char
}

/// Shown option indices as letters, e.g. `[0, 2]` → "AC".
pub fn letters(indices: &[usize]) -> String {
    indices.iter().map(|&i| letter(i)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn session() -> Session {
        let shapes = vec![ItemShape { options: 4, select: 1 }, ItemShape { options: 5, select: 2 }];
        Session::new(shapes, 1_000, Some(61_000))
    }

    #[test]
    fn answering_advances_and_counts_time() {
        let mut s = session();
        assert_eq!(
            s.apply(&Action::Answer(vec![1]), 6_000),
            Ok(Change::Answered { position: 0, advanced: true })
        );
        assert_eq!(s.items[0].millis, 5_000);
        assert_eq!(s.position, 1);
        assert_eq!(
            s.apply(&Action::Answer(vec![0, 2]), 8_000),
            Ok(Change::Answered { position: 1, advanced: false })
        );
        assert_eq!(s.items[1].millis, 2_000);
        assert_eq!(s.answered_count(), 2);
    }

    #[test]
    fn wrong_number_of_letters_is_refused_with_a_reason() {
        let mut s = session();
        s.apply(&Action::Next, 1_000).unwrap();
        let Err(Refusal::Invalid(reason)) = s.apply(&Action::Answer(vec![0]), 2_000) else { panic!() };
        assert!(reason.contains("exactly 2"), "{reason}");
        assert!(!s.items[1].answered());
        let Err(Refusal::Invalid(reason)) = s.apply(&Action::Answer(vec![4, 7]), 2_000) else { panic!() };
        assert!(reason.contains("no option H"), "{reason}");
    }

    #[test]
    fn nothing_counts_after_the_deadline() {
        let mut s = session();
        assert_eq!(s.apply(&Action::Answer(vec![1]), 61_000), Err(Refusal::TimeUp));
        assert!(!s.items[0].answered());
        s.end_at_deadline(90_000);
        assert_eq!(s.ended, Some((61_000, EndReason::TimeUp)));
        assert_eq!(s.items[0].millis, 60_000);
        assert_eq!(s.apply(&Action::Next, 62_000), Err(Refusal::Finished));
    }

    fn any_action() -> impl proptest::strategy::Strategy<Value = Action> {
        use proptest::prelude::*;
        prop_oneof![
            prop::collection::vec(0usize..7, 0..4).prop_map(Action::Answer),
            Just(Action::Clear),
            Just(Action::Next),
            Just(Action::Prev),
            (0usize..8).prop_map(Action::Goto),
            Just(Action::Flag),
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
                ItemShape { options: 4, select: 1 },
                ItemShape { options: 5, select: 2 },
                ItemShape { options: 6, select: 3 },
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
                    proptest::prop_assert!(item.response.is_empty() || item.response.len() == shape.select);
                    proptest::prop_assert!(item.response.iter().all(|&l| l < shape.options));
                }
                let counted: Millis = s.items.iter().map(|i| i.millis).sum();
                proptest::prop_assert!(counted <= 100_000);
            }
        }
    }

    #[test]
    fn next_unanswered_and_flagged_wrap_round() {
        let shapes = vec![ItemShape { options: 4, select: 1 }; 4];
        let mut s = Session::new(shapes, 0, None);
        s.apply(&Action::Answer(vec![0]), 0).unwrap(); // answers 1, moves to 2
        s.apply(&Action::Flag, 0).unwrap(); // flags 2
        s.apply(&Action::Goto(4), 0).unwrap();
        s.apply(&Action::Answer(vec![0]), 0).unwrap(); // answers 4, stays
        s.apply(&Action::NextOf(ReviewFilter::Unanswered), 0).unwrap();
        assert_eq!(s.position, 1, "wraps to question 2");
        s.apply(&Action::NextOf(ReviewFilter::Unanswered), 0).unwrap();
        assert_eq!(s.position, 2);
        s.apply(&Action::NextOf(ReviewFilter::Flagged), 0).unwrap();
        assert_eq!(s.position, 1);
        s.apply(&Action::Flag, 0).unwrap();
        assert!(matches!(s.apply(&Action::NextOf(ReviewFilter::Flagged), 0), Err(Refusal::Invalid(_))));
    }

    #[test]
    fn locked_answers_cannot_change() {
        let mut s = session();
        s.lock_answers = true;
        s.apply(&Action::Answer(vec![1]), 1_000).unwrap();
        s.apply(&Action::Prev, 1_000).unwrap();
        assert!(matches!(s.apply(&Action::Answer(vec![2]), 1_000), Err(Refusal::Invalid(_))));
        assert!(matches!(s.apply(&Action::Clear, 1_000), Err(Refusal::Invalid(_))));
        assert_eq!(s.items[0].response, vec![1]);
    }

    #[test]
    fn flags_strikes_and_navigation() {
        let mut s = session();
        assert_eq!(s.apply(&Action::Flag, 1_000), Ok(Change::Flagged(true)));
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
