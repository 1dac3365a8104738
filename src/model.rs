//! The records several layers share: what mode an attempt is in, how it ended, the rows the
//! store returns and the review queue's cards. A leaf: it depends on nothing else in the
//! crate, so `store` and `study` both build on it and not on each other.

/// Milliseconds since the Unix epoch.
pub type Millis = u64;

/// What kind of attempt: a timed mock exam, a drill, or a review of missed questions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Mode {
    Exam,
    Drill,
    Review,
}

impl Mode {
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Exam => "exam",
            Mode::Drill => "drill",
            Mode::Review => "review",
        }
    }

    pub fn parse(text: &str) -> Option<Mode> {
        match text {
            "exam" => Some(Mode::Exam),
            "drill" => Some(Mode::Drill),
            "review" => Some(Mode::Review),
            _ => None,
        }
    }

    /// Drill and review show feedback after each answer, so an answer, once given, is
    /// locked, and the attempt ends when every question is answered.
    pub fn gives_feedback(self) -> bool {
        match self {
            Mode::Exam => false,
            Mode::Drill | Mode::Review => true,
        }
    }
}

/// A note a candidate left on a question during an attempt (`report TEXT`), for the
/// bank's authors.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    pub id: i64,
    pub exam: String,
    pub question_id: String,
    /// The attempt it was written in; `None` once that attempt was discarded.
    pub attempt: Option<i64>,
    pub mode: Mode,
    pub created_at: Millis,
    /// The question's content fingerprint when the note was written (an edited question
    /// has another).
    pub content_hash: String,
    pub text: String,
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

/// Which exam's misses `exam --missed` retakes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MissedFrom {
    /// The latest finished mock exam of that exam.
    Latest,
    Attempt(i64),
}

/// How sure the candidate was of an answer (`b!` sure, `b?` unsure; none said otherwise).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Confidence {
    Sure,
    Unsure,
}

impl Confidence {
    pub fn as_str(self) -> &'static str {
        match self {
            Confidence::Sure => "sure",
            Confidence::Unsure => "unsure",
        }
    }

    pub fn parse(text: &str) -> Option<Confidence> {
        match text {
            "sure" => Some(Confidence::Sure),
            "unsure" => Some(Confidence::Unsure),
            _ => None,
        }
    }
}

/// Which questions the review screen lists, and which `next` walks to. The states are
/// the real exam's: Complete (answered in full), Incomplete (seen, not answered in full),
/// Unseen (never put on screen), and Flagged (for review, whatever the state).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReviewFilter {
    All,
    /// Not answered in full: Incomplete and Unseen together (what `next unanswered` walks).
    Unanswered,
    Complete,
    Incomplete,
    Unseen,
    Flagged,
}

/// One attempt as `history` lists it.
#[derive(Debug, Clone, PartialEq)]
pub struct AttemptSummary {
    pub id: i64,
    pub exam: String,
    pub mode: Mode,
    pub seed: u64,
    pub started_at: Millis,
    pub finished_at: Option<Millis>,
    pub end_reason: Option<EndReason>,
    pub time_limit_ms: Option<Millis>,
    /// The absolute deadline of a timed attempt (only filled by `Store::attempts`).
    pub deadline: Option<Millis>,
    pub questions: u32,
    pub scored: u32,
    pub correct: u32,
    pub answered: u32,
    /// Time spent on the questions that were answered (for pace).
    pub answered_millis: Millis,
}

/// One question of a finished attempt, as stored: what the running totals are folded from
/// (in tests: `study::totals::fold`).
#[cfg(test)]
#[derive(Debug, Clone, PartialEq)]
pub struct ItemRow {
    pub attempt: i64,
    pub position: u32,
    pub question_id: String,
    pub domain: String,
    pub scored: bool,
    pub answered: bool,
    pub correct: bool,
    /// When it was last put on screen (None: never).
    pub seen_at: Option<Millis>,
    pub millis: Millis,
}

/// One finished attempt's scored answers in one domain (kept at `finish`; a domain with no
/// scored answer has none). `new_*` answers are to questions no attempt at the exam that
/// started earlier had answered (scored); `repeat_*` the others (their key was shown).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DomainTally {
    pub attempt: i64,
    pub domain: String,
    pub new_right: u32,
    pub new_wrong: u32,
    pub repeat_right: u32,
    pub repeat_wrong: u32,
}

impl DomainTally {
    pub fn answered(&self) -> u32 {
        self.new_right + self.new_wrong + self.repeat_right + self.repeat_wrong
    }

    pub fn correct(&self) -> u32 {
        self.new_right + self.repeat_right
    }
}

/// One question of an exam over its finished attempts (kept at `finish`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuestionTotals {
    pub question_id: String,
    pub domain: String,
    /// Finished attempts that showed it (put on screen or answered).
    pub seen: u32,
    /// Scored answers to it in exams and drills (reviews re-ask what was just shown), and
    /// how many of them were wrong.
    pub answered: u32,
    pub missed: u32,
    /// When it was last on screen, and whether that answer was right.
    pub last: Option<Seen>,
}

/// The running totals of one exam: what `stats`, readiness, fresh papers and drills read
/// instead of every answer ever given.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ExamTotals {
    /// The finished attempts, with their counts.
    pub attempts: Vec<AttemptSummary>,
    pub domains: Vec<DomainTally>,
    pub questions: Vec<QuestionTotals>,
}

/// What the statistics are computed from (`study::stats::digest` over the running
/// totals): aggregates over every finished attempt of the exam, and the newest attempts
/// each series draws (every one, or the newest few for the text and the browser, which
/// then never format or send thousands of points).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Digest {
    /// Finished attempts.
    pub finished: u32,
    /// Per domain with scored answers in finished exams and drills, sorted by id.
    pub domains: Vec<DomainDigest>,
    /// Answered questions and the time on them in finished mock exams (pace).
    pub exam_answered: u64,
    pub exam_millis: Millis,
    /// Finished mock exams with scored questions, and how many of them are readiness
    /// evidence (`study::readiness::exclusion`).
    pub exams: u32,
    pub counted: u32,
    /// The newest of those exams (up to the window), and the newest `study::stats::ROLLING_EXAMS` that
    /// count; newest first.
    pub latest_exams: Vec<AttemptSummary>,
    pub latest_counted: Vec<AttemptSummary>,
    pub questions: Vec<QuestionTotals>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct DomainDigest {
    pub domain: String,
    /// Scored answers and right ones over every finished exam and drill.
    pub answered: u32,
    pub correct: u32,
    /// The newest attempts with the domain answered (up to the window, and never fewer
    /// than `study::stats::RECENT_ATTEMPTS` when there are that many), newest first.
    pub latest: Vec<DomainPointTally>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct DomainPointTally {
    pub attempt: i64,
    pub started_at: Millis,
    pub answered: u32,
    pub correct: u32,
}

/// One question's place in the review queue.
#[derive(Debug, Clone, PartialEq)]
pub struct Card {
    pub exam: String,
    pub question_id: String,
    pub stability: f32,
    pub difficulty: f32,
    pub due_at: Millis,
    pub last_review_at: Millis,
    pub reviews: u32,
    pub lapses: u32,
    pub learned: bool,
    /// The latest answer was wrong although the candidate was sure: a misconception, asked
    /// first in review.
    pub confident_error: bool,
}

impl Card {
    pub fn is_due(&self, now: Millis) -> bool {
        !self.learned && self.due_at <= now
    }
}

/// What the history says about one question: when it was last put on screen in a finished
/// attempt, and whether that answer was right.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Seen {
    pub last_seen: Millis,
    pub last_correct: bool,
}
