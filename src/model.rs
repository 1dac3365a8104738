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

/// Readiness weighs an answer by its age: half its weight every this many milliseconds (30
/// days). The running sums (`Decayed`) are kept in this unit, so it lives here, next to them.
pub const HALF_LIFE_MS: Millis = 30 * 86_400_000;

/// Readiness's throw-away rule: a mock exam with fewer than half of its questions answered
/// is not evidence. Kept here because the store groups its running sums by it at `finish`
/// (changing the share needs a migration that rebuilds them).
pub fn mostly_unanswered(answered: u32, questions: u32) -> bool {
    // answered < 0.5 × max(questions, 1), in integers.
    u64::from(answered) * 2 < u64::from(questions.max(1))
}

/// The group of attempts a running sum is kept for: everything readiness's exclusions and
/// the statistics need to tell attempts apart (`study::readiness::exclusion` decides from
/// these alone). Drills and reviews are never excluded, so theirs is just the mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SumsKey {
    pub mode: Mode,
    /// The attempt's time limit (mock exams only).
    pub time_limit_ms: Option<Millis>,
    /// `mostly_unanswered` (mock exams only).
    pub mostly_unanswered: bool,
}

impl SumsKey {
    /// The group of a finished attempt with these counts.
    pub fn of(mode: Mode, time_limit_ms: Option<Millis>, answered: u32, questions: u32) -> SumsKey {
        match mode {
            Mode::Exam => SumsKey {
                mode: Mode::Exam,
                time_limit_ms,
                mostly_unanswered: mostly_unanswered(answered, questions),
            },
            other => SumsKey { mode: other, time_limit_ms: None, mostly_unanswered: false },
        }
    }
}

/// Sums of counts weighted by the age of the attempt they come from, kept so that their
/// value at any later time is one multiplication: each count `x` of an attempt started at
/// `at` is stored as `x × 2^((at - t0) / HALF_LIFE_MS)`, and at `now` the sum times
/// `2^(-(now - t0) / HALF_LIFE_MS)` is `Σ x × 2^(-(now - at) / HALF_LIFE_MS)`, readiness's
/// weights. `t0` moves forward in whole half-lives as newer attempts are added (the sums
/// are halved exactly as it does), so every stored factor stays at most 2 and nothing
/// overflows however many decades the history spans; old attempts shrink towards zero, as
/// their weights do. The four sums are new right, new wrong, repeat right, repeat wrong
/// (the classes of `DomainTally`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Decayed {
    pub t0: Millis,
    pub sums: [f64; 4],
}

impl Decayed {
    /// Empty sums whose epoch is `at` (the first attempt added).
    pub fn starting(at: Millis) -> Decayed {
        Decayed { t0: at, sums: [0.0; 4] }
    }

    /// Adds `counts` (possibly negative: an answer turned from new into a repeat) of an
    /// attempt started at `at`.
    pub fn add(&mut self, at: Millis, counts: [f64; 4]) {
        if at >= self.t0.saturating_add(HALF_LIFE_MS) {
            let halvings = (at - self.t0) / HALF_LIFE_MS;
            self.t0 += halvings * HALF_LIFE_MS;
            // A power of two: exact (old sums under 2^-1074 of the newest become zero).
            let scale = 0.5f64.powi(i32::try_from(halvings).unwrap_or(i32::MAX).min(2000));
            for s in &mut self.sums {
                *s *= scale;
            }
        }
        let factor = ((at as f64 - self.t0 as f64) / HALF_LIFE_MS as f64).exp2();
        for (s, x) in self.sums.iter_mut().zip(counts) {
            *s += x * factor;
        }
    }

    /// The weighted sums as of `now` (which must not be before an attempt added: readiness
    /// gives an attempt that started later than `now` its full weight, which these cannot).
    pub fn at(&self, now: Millis) -> [f64; 4] {
        let factor = (-(now as f64 - self.t0 as f64) / HALF_LIFE_MS as f64).exp2();
        self.sums.map(|s| (s * factor).max(0.0))
    }
}

/// One group's running sums over an exam's finished attempts (kept at `finish`).
#[derive(Debug, Clone, PartialEq)]
pub struct GroupSums {
    pub key: SumsKey,
    /// Finished attempts, and those with scored questions.
    pub attempts: u32,
    pub scored_attempts: u32,
    /// Answered questions and the time on them.
    pub answered: u64,
    pub answered_millis: Millis,
    /// The latest start among them.
    pub newest_started: Millis,
}

/// One group's running sums in one domain: the scored answers and right ones, and their
/// age-weighted tallies.
#[derive(Debug, Clone, PartialEq)]
pub struct DomainSums {
    pub key: SumsKey,
    pub domain: String,
    pub answered: u32,
    pub correct: u32,
    pub weighted: Decayed,
}

/// The running sums of one exam: what `stats`, readiness and the report after a mock exam
/// read instead of every attempt's totals (O(groups × domains) rows).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ExamSums {
    pub groups: Vec<GroupSums>,
    pub domains: Vec<DomainSums>,
    /// Set when the stored sums were damaged and rebuilt from the attempts' totals: what
    /// was wrong (the front end says so).
    pub rebuilt: Option<String>,
}

impl ExamSums {
    /// Adds finished attempt (`key`, started at `at`, its counts) and its tallies per domain.
    pub fn add_attempt(
        &mut self,
        key: SumsKey,
        at: Millis,
        (scored, answered, answered_millis): (u32, u32, Millis),
        tallies: &[(String, [u32; 4])],
    ) {
        let group = match self.groups.iter_mut().position(|g| g.key == key) {
            Some(i) => &mut self.groups[i],
            None => {
                self.groups.push(GroupSums {
                    key,
                    attempts: 0,
                    scored_attempts: 0,
                    answered: 0,
                    answered_millis: 0,
                    newest_started: at,
                });
                self.groups.last_mut().expect("just pushed")
            }
        };
        group.attempts += 1;
        group.scored_attempts += u32::from(scored > 0);
        group.answered += u64::from(answered);
        group.answered_millis += answered_millis;
        group.newest_started = group.newest_started.max(at);
        for (domain, counts) in tallies {
            let d = self.domain_mut(key, domain, at);
            d.answered += counts.iter().sum::<u32>();
            d.correct += counts[0] + counts[2];
            d.weighted.add(at, counts.map(f64::from));
        }
    }

    /// An answer of the attempt started at `at` (in group `key`) to a question first
    /// answered there becomes a repeat: an attempt that started earlier answered it too.
    pub fn demote(&mut self, key: SumsKey, at: Millis, domain: &str, correct: bool) {
        let d = self.domain_mut(key, domain, at);
        let (r, w) = if correct { (1.0, 0.0) } else { (0.0, 1.0) };
        d.weighted.add(at, [-r, -w, r, w]);
    }

    fn domain_mut(&mut self, key: SumsKey, domain: &str, at: Millis) -> &mut DomainSums {
        match self.domains.iter().position(|d| d.key == key && d.domain == domain) {
            Some(i) => &mut self.domains[i],
            None => {
                self.domains.push(DomainSums {
                    key,
                    domain: domain.to_string(),
                    answered: 0,
                    correct: 0,
                    weighted: Decayed::starting(at),
                });
                self.domains.last_mut().expect("just pushed")
            }
        }
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The decayed sums over a century of weekly attempts (and one added late, from long
    /// before the others) stay in range and give the weights readiness defines.
    #[test]
    fn decayed_sums_stay_in_range_over_decades_and_give_the_direct_weights() {
        const WEEK: Millis = 7 * 86_400_000;
        let start: Millis = 1_700_000_000_000;
        let mut sums = Decayed::starting(start);
        let mut added: Vec<(Millis, f64)> = Vec::new();
        for n in 0..100 * 52 {
            let at = start + n * WEEK;
            let x = f64::from((n % 7) as u32 + 1);
            sums.add(at, [x, 0.0, 0.0, x / 2.0]);
            added.push((at, x));
            // Every stored factor is at most 2: the sums never exceed twice the counts.
            assert!(sums.sums.iter().all(|s| s.is_finite() && *s >= 0.0 && *s <= 2.0 * 7.0 * 52.0 * 100.0));
        }
        // An attempt from long before the others, added last (it finished late).
        sums.add(start - 40 * 365 * 86_400_000, [3.0, 0.0, 0.0, 0.0]);
        added.push((start - 40 * 365 * 86_400_000, 3.0));
        let last = added.iter().map(|a| a.0).max().unwrap();
        for now in [last, last + 86_400_000, last + 400 * 86_400_000, last + 200 * 365 * 86_400_000] {
            let direct: f64 =
                added.iter().map(|&(at, x)| x * 0.5f64.powf((now - at) as f64 / 86_400_000.0 / 30.0)).sum();
            let [right, _, _, repeat_wrong] = sums.at(now);
            assert!(
                (right - direct).abs() <= 1e-9 * direct.max(f64::MIN_POSITIVE),
                "{now}: {right} vs {direct}"
            );
            // (The old attempt's weight is below 2^-1000 here: nothing in f64.)
            assert!((repeat_wrong * 2.0 - direct).abs() <= 1e-9 * direct.max(f64::MIN_POSITIVE));
        }
        // A century later the epoch has moved with the attempts: the exponent stays small.
        assert!(sums.t0 + HALF_LIFE_MS > last && sums.t0 <= last);
    }
}
