//! Starting attempts: which paper a mock exam, a drill or a review gets (the study rules
//! live here and in `study`, not in any front end), and reopening an unfinished attempt.

use std::sync::Arc;

use super::attempt::{Attempt, Plan};
use crate::bank::Exam;
use crate::bank::source::{BankError, Catalog};
use crate::error::{Error, NextStep, Result};
use crate::exam::assemble::{Paper, assemble_exam, assemble_exam_unseen_first, assemble_set};
use crate::exam::clock::Millis;
use crate::model::{Card, Mode};
use crate::store::{Store, StoreError};
use crate::study::select::{drill_choice, filter};

/// Loads the bank of exam `id`. An exam the AWS program knows but proctor has no bank for
/// gets a message naming its status, successor and the closest exam that has a bank; an
/// id near a known one (a typo, an older version) "did you mean". Either suggestion is the
/// command that was typed (`command`: `exam`, `drill`) for that exam.
pub fn load_exam(catalog: &Catalog, id: &str, command: &str) -> Result<Exam> {
    match catalog.find(id) {
        Ok(entry) => Ok(catalog.load(entry)?),
        Err(unknown) => {
            let has_bank = |id: &str| catalog.find(id).is_ok();
            let known = crate::program::Program::shipped()
                .ok()
                .and_then(|program| crate::program::no_bank_message(&program, id, &has_bank, command));
            Err(match (known, unknown) {
                (Some(message), _) => Error::Usage(message),
                (None, BankError::UnknownExam { id, known, suggestion: Some(near) }) => {
                    Error::Usage(format!(
                        "no exam {id:?}; did you mean {near} (`proctor {command} {near}`)? Available: {}",
                        known.join(", ")
                    ))
                }
                (None, unknown) => unknown.into(),
            })
        }
    }
}

/// The note for an exam the AWS program has retired (or is retiring), if it is one: as
/// `program::retirement_note` says, worked out by build.rs for every exam of the shipped
/// catalogue (so a start does not decode the whole catalogue for it).
pub fn retirement_note(exam: &Exam) -> Option<String> {
    let id = &exam.blueprint.id;
    crate::shipped::RETIREMENT_NOTES
        .iter()
        .find(|(code, _)| code.eq_ignore_ascii_case(id))
        .map(|(_, note)| note.to_string())
}

/// A seed when none was given: from the clock and the process id, so two attempts started
/// in the same millisecond still differ.
pub fn fresh_seed(now: Millis) -> u64 {
    let mixed = now ^ (u64::from(std::process::id()) << 32);
    // SplitMix64 finaliser: spreads nearby inputs over the whole range.
    let mut z = mixed.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

pub struct ExamRequest<'a> {
    pub exam: &'a str,
    pub seed: Option<u64>,
    pub time_limit_ms: Option<Millis>,
    pub unscored: bool,
    pub hide_domain: bool,
    /// Draw by the seed alone, ignoring which questions were seen before.
    pub include_seen: bool,
    /// Retake the scored questions missed in an exam as a timed set, instead of a fresh paper.
    pub missed: Option<MissedFrom>,
}

pub use crate::model::MissedFrom;

/// A mock exam drawn but not begun: shown on the start screen, and the clock starts only
/// when it begins.
pub struct PreparedExam {
    pub exam: Arc<Exam>,
    store: Store,
    plan: Plan,
    pub time_limit_ms: Millis,
    pub shortfall: Option<String>,
    pub unfinished: Option<i64>,
    /// Questions on this paper seen before: the bank had too few unseen ones for a fresh form.
    pub repeated: usize,
}

impl PreparedExam {
    pub fn questions(&self) -> usize {
        self.plan.paper.len()
    }

    pub fn unscored(&self) -> usize {
        self.plan.paper.iter().filter(|i| !i.scored).count()
    }

    pub fn seed(&self) -> u64 {
        self.plan.seed
    }

    /// The attempt whose misses this paper retakes (`--missed`).
    pub fn retaken(&self) -> Option<i64> {
        self.plan.retake_of
    }

    /// Records the attempt: from `now` its clock runs.
    pub fn begin(self, now: Millis) -> Result<Attempt> {
        Attempt::begin(self.exam, self.store, self.plan, now)
    }

    /// `begin` for a front end that shows the first question at once (the terminal).
    pub fn begin_on_screen(self, now: Millis) -> Result<Attempt> {
        Attempt::begin_on_screen(self.exam, self.store, self.plan, now)
    }
}

/// A mock exam by the blueprint: the real count and time unless told otherwise.
pub fn prepare_exam(
    catalog: &Catalog,
    store: Store,
    request: &ExamRequest,
    now: Millis,
) -> Result<PreparedExam> {
    let exam = Arc::new(load_exam(catalog, request.exam, "exam")?);
    prepare_loaded_exam(exam, store, request, now)
}

/// `prepare_exam` with the bank already loaded (`load_exam` of `request.exam`): `proctor
/// exam` decodes it while the store opens on another thread.
pub fn prepare_loaded_exam(
    exam: Arc<Exam>,
    store: Store,
    request: &ExamRequest,
    now: Millis,
) -> Result<PreparedExam> {
    let seed = request.seed.unwrap_or_else(|| fresh_seed(now));
    let exam_ms = u64::from(exam.blueprint.minutes) * 60_000;
    let mut seen_before = None;
    let mut repeated = 0;
    let (Paper { items, shortfall }, retaken) = match request.missed {
        None if request.include_seen => (assemble_exam(&exam, seed, request.unscored), None),
        None => {
            // Fresh papers: the questions never put on screen in any finished attempt first.
            let history = store.question_history(&exam.blueprint.id)?;
            let seen = |id: &str| history.contains_key(id);
            let paper = assemble_exam_unseen_first(&exam, seed, request.unscored, &seen);
            let seen_in_bank = exam.listings().filter(|q| seen(q.id)).count();
            if seen_in_bank > 0 {
                seen_before = Some(u32::try_from(seen_in_bank).unwrap_or(u32::MAX));
                repeated = paper.items.iter().filter(|i| seen(&i.question_id)).count();
            }
            (paper, None)
        }
        Some(from) => {
            let source = missed_source(&store, &exam.blueprint.id, from)?;
            let paper = assemble_set(&exam, &store.attempt_missed(source)?, seed);
            if paper.items.is_empty() {
                return Err(Error::Usage(format!(
                    "attempt {source} missed no scored question that the bank still has: nothing to retake"
                )));
            }
            (paper, Some(source))
        }
    };
    // A retake gets the real exam's pace: its time per question times the set's size.
    let default_limit = match retaken {
        None => exam_ms,
        Some(_) => exam_ms / u64::from(exam.blueprint.exam_questions.max(1)) * items.len() as u64,
    };
    let time_limit_ms = request.time_limit_ms.unwrap_or(default_limit);
    let unfinished = store.latest_unfinished(Some(&exam.blueprint.id), Some(Mode::Exam))?;
    let plan = Plan {
        mode: Mode::Exam,
        seed,
        paper: items,
        time_limit_ms: Some(time_limit_ms),
        hide_domain: request.hide_domain,
        seen_before,
        retake_of: retaken,
    };
    Ok(PreparedExam { exam, store, plan, time_limit_ms, shortfall, unfinished, repeated })
}

/// The finished mock exam whose misses `--missed` retakes.
fn missed_source(store: &Store, exam: &str, from: MissedFrom) -> Result<i64> {
    match from {
        MissedFrom::Attempt(id) => {
            let stored = store.load(id)?;
            if stored.exam != exam {
                return Err(Error::Usage(format!(
                    "attempt {id} is an attempt at {}, not {exam}",
                    stored.exam
                )));
            }
            if stored.finished.is_none() {
                return Err(Error::NeedsFirst {
                    problem: format!("attempt {id} is not finished"),
                    step: NextStep::Resume(id),
                });
            }
            Ok(id)
        }
        MissedFrom::Latest => store
            .finished_attempt_headers(exam)?
            .into_iter()
            .filter(|a| a.mode == Mode::Exam)
            .max_by_key(|a| (a.finished_at, a.id))
            .map(|a| a.id)
            .ok_or_else(|| Error::NeedsFirst {
                problem: format!("no finished mock exam of {exam} yet"),
                step: NextStep::Exam(exam.to_string()),
            }),
    }
}

pub struct DrillRequest<'a> {
    pub exam: &'a str,
    pub domains: &'a [String],
    pub tags: &'a [String],
    pub count: usize,
    pub seed: Option<u64>,
    pub time_limit_ms: Option<Millis>,
}

pub struct DrillStart {
    pub attempt: Attempt,
    /// The domains asked for, lower-cased; empty for all.
    pub domains: Vec<String>,
    /// Questions on this paper never shown before.
    pub unseen: usize,
}

/// A drill: never-seen questions first, then recent misses, then the oldest.
pub fn start_drill(
    catalog: &Catalog,
    store: Store,
    request: &DrillRequest,
    now: Millis,
) -> Result<DrillStart> {
    let exam = Arc::new(load_exam(catalog, request.exam, "drill")?);
    let domains: Vec<String> = request.domains.iter().map(|d| d.to_ascii_lowercase()).collect();
    for domain in &domains {
        if exam.blueprint.domain(domain).is_none() {
            let known: Vec<&str> = exam.blueprint.domains.iter().map(|d| d.id.as_str()).collect();
            return Err(Error::Usage(format!(
                "exam {} has no domain {domain:?}; its domains: {}",
                exam.blueprint.id,
                known.join(", ")
            )));
        }
    }
    for tag in request.tags {
        if !exam.questions().iter().any(|q| q.tags.iter().any(|t| t.eq_ignore_ascii_case(tag))) {
            let mut known: Vec<&str> =
                exam.questions().iter().flat_map(|q| q.tags.iter().map(String::as_str)).collect();
            known.sort_unstable();
            known.dedup();
            // A typo first gets its nearest tag, then the tags that hold what was typed;
            // a long list is cut (with how many there are), never dumped whole.
            let owned: Vec<String> = known.iter().map(|t| t.to_string()).collect();
            let nearest = crate::bank::source::closest_id(tag, &owned);
            let typed = tag.to_ascii_lowercase();
            let alike: Vec<&str> =
                known.iter().copied().filter(|t| t.to_ascii_lowercase().contains(&typed)).take(10).collect();
            let listed = if known.is_empty() {
                "it has no tags".to_string()
            } else if let Some(nearest) = nearest {
                format!("did you mean {nearest}?")
            } else if !alike.is_empty() {
                format!("tags with {typed:?} in them: {}", alike.join(", "))
            } else if known.len() > 30 {
                format!("its {} tags include {}, ...", known.len(), known[..30].join(", "))
            } else {
                format!("its tags: {}", known.join(", "))
            };
            return Err(Error::Usage(format!(
                "exam {} has no question tagged {tag:?}; {listed}",
                exam.blueprint.id
            )));
        }
    }
    let candidates = filter(&exam, &domains, request.tags);
    if candidates.is_empty() {
        return Err(Error::Usage("no questions match those domains and tags".into()));
    }
    let seed = request.seed.unwrap_or_else(|| fresh_seed(now));
    let history = store.question_history(&exam.blueprint.id)?;
    let chosen = drill_choice(&candidates, &history, seed, request.count.max(1));
    let unseen = chosen.iter().filter(|id| !history.contains_key(*id)).count();
    let paper = assemble_set(&exam, &chosen, seed);
    let plan = Plan {
        mode: Mode::Drill,
        seed,
        paper: paper.items,
        time_limit_ms: request.time_limit_ms,
        hide_domain: false,
        seen_before: None,
        retake_of: None,
    };
    let attempt = Attempt::begin(exam, store, plan, now)?;
    Ok(DrillStart { attempt, domains, unseen })
}

pub struct ReviewRequest<'a> {
    pub exam: Option<&'a str>,
    /// Every question still being learned, due or not.
    pub all: bool,
    /// The questions missed in this attempt.
    pub attempt: Option<i64>,
    pub seed: Option<u64>,
}

/// Which questions a review asks.
pub enum ReviewScope {
    /// The misses of one finished attempt.
    Attempt(i64),
    /// The queue's due questions (or, with `all`, every one being learned).
    Queue {
        all: bool,
        /// Other exams with questions waiting, and how many.
        others: Vec<(String, usize)>,
    },
}

pub enum ReviewStart {
    Started {
        attempt: Box<Attempt>,
        scope: ReviewScope,
        /// Questions of the queue no longer in the bank (skipped).
        gone: usize,
        /// An earlier review of the same exam left unfinished: said, not forgotten.
        unfinished: Option<i64>,
    },
    /// Nothing to ask: the queue as it is, for "the next is due ...".
    NothingDue { cards: Vec<Card>, exam: Option<String> },
}

pub fn start_review(
    catalog: &Catalog,
    store: Store,
    request: &ReviewRequest,
    now: Millis,
) -> Result<ReviewStart> {
    // Questions answered wrong although the candidate was sure: misconceptions, asked first.
    let mut confident_errors: std::collections::HashSet<String> = std::collections::HashSet::new();
    let (exam_id, ids, scope) = if let Some(attempt) = request.attempt {
        let stored = store.load(attempt)?;
        if stored.finished.is_none() {
            return Err(Error::NeedsFirst {
                problem: format!("attempt {attempt} is not finished"),
                step: NextStep::Resume(attempt),
            });
        }
        (stored.exam, store.attempt_missed(attempt)?, ReviewScope::Attempt(attempt))
    } else {
        let exam_filter = request.exam.map(str::to_ascii_lowercase);
        if let Some(id) = &exam_filter {
            catalog.find(id)?;
        }
        let cards = store.cards(exam_filter.as_deref())?;
        let wanted: Vec<&Card> =
            cards.iter().filter(|c| !c.learned && (request.all || c.due_at <= now)).collect();
        // Without EXAM, review the exam with the most questions waiting; name the others.
        let mut per_exam: Vec<(String, usize)> = Vec::new();
        for card in &wanted {
            match per_exam.iter_mut().find(|(e, _)| *e == card.exam) {
                Some((_, n)) => *n += 1,
                None => per_exam.push((card.exam.clone(), 1)),
            }
        }
        per_exam.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        let Some((exam_id, _)) = per_exam.first().cloned() else {
            return Ok(ReviewStart::NothingDue { cards, exam: exam_filter });
        };
        let ids = wanted.iter().filter(|c| c.exam == exam_id).map(|c| c.question_id.clone()).collect();
        confident_errors = wanted
            .iter()
            .filter(|c| c.exam == exam_id && c.confident_error)
            .map(|c| c.question_id.clone())
            .collect();
        let others = per_exam.into_iter().skip(1).collect();
        (exam_id, ids, ReviewScope::Queue { all: request.all, others })
    };
    if catalog.find(&exam_id).is_err() {
        return Err(Error::Usage(format!(
            "the questions to review are from exam {exam_id:?}, which is not loaded; pass the --bank-dir it came from"
        )));
    }
    let exam = Arc::new(catalog.load_by_id(&exam_id)?);
    let seed = request.seed.unwrap_or_else(|| fresh_seed(now));
    let mut paper = assemble_set(&exam, &ids, seed);
    // A stable sort: the shuffled order holds within each group.
    paper.items.sort_by_key(|item| !confident_errors.contains(&item.question_id));
    let gone = ids.len() - paper.items.len();
    if paper.items.is_empty() {
        return Ok(ReviewStart::NothingDue { cards: Vec::new(), exam: Some(exam_id) });
    }
    let plan = Plan {
        mode: Mode::Review,
        seed,
        paper: paper.items,
        time_limit_ms: None,
        hide_domain: false,
        seen_before: None,
        retake_of: None,
    };
    // Looked up before the new review exists (it is unfinished too).
    let unfinished = store.latest_unfinished(Some(&exam.blueprint.id), Some(Mode::Review))?;
    let attempt = Attempt::begin(exam, store, plan, now)?;
    Ok(ReviewStart::Started { attempt: Box::new(attempt), scope, gone, unfinished })
}

/// Reopens an unfinished attempt (the latest when `id` is `None`).
pub fn resume(
    catalog: &Catalog,
    store: Store,
    id: Option<i64>,
    take_over: bool,
    now: Millis,
) -> Result<Attempt> {
    let id = match id {
        Some(id) => id,
        None => store.latest_unfinished(None, None)?.ok_or(StoreError::NothingToResume)?,
    };
    let stored = store.load(id)?;
    if stored.finished.is_some() {
        return Err(StoreError::AlreadyFinished(id).into());
    }
    let exam = Arc::new(exam_of(catalog, id, &stored.exam)?);
    Attempt::resume(exam, store, stored, take_over, now)
}

/// The bank of a stored attempt; it must be loaded (it may come from a `--bank-dir`,
/// which is not stored).
pub fn exam_of(catalog: &Catalog, attempt: i64, exam: &str) -> Result<Exam> {
    if catalog.find(exam).is_err() {
        return Err(Error::Usage(format!(
            "attempt {attempt} is an attempt at exam {exam:?}, which is not loaded; pass the --bank-dir it came from"
        )));
    }
    Ok(catalog.load_by_id(exam)?)
}
