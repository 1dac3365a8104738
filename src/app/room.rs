//! What a long-running front end (the browser room) needs from the application layer: the
//! exams it can offer, starting and resuming attempts on the same store and rules as the
//! terminal, and reading history back. Each call opens the store it needs, as the terminal
//! commands do, so the front end never touches the store itself.

use std::path::PathBuf;

use super::attempt::Attempt;
use super::past::{self, PastAttempt};
use super::start::{self, DrillRequest, DrillStart, ExamRequest, PreparedExam, ReviewRequest, ReviewStart};
use crate::bank::source::Catalog;
use crate::bank::{Blueprint, Exam};
use crate::error::Result;
use crate::exam::clock::Millis;
use crate::model::{AttemptSummary, ExamSums, ExamTotals};
use crate::store::Store;
/// What statistics a front end shows (computed by `study::stats` and `study::readiness`).
pub use crate::study::readiness::PassEstimate;
pub use crate::study::stats::{Stats, TrendPoint};
use crate::study::{readiness, stats};

/// Which points the statistics' series (per-domain by attempt, mock exams) hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Series {
    /// The newest `stats::SERIES` (what the text and the browser draw).
    Newest,
    /// Every attempt (`stats --json`).
    All,
}

/// The statistics of exam `id` from its finished attempts (`store` is `None` before the
/// first attempt), with the readiness estimate at `now`: what `proctor stats` prints and
/// the browser draws. They read the exam's running sums, the newest rows of each series
/// and the bank's question totals: O(groups × domains + window + bank) rows, whatever the
/// number of attempts; `Series::All` reads every attempt's totals for its series.
pub fn exam_stats(
    catalog: &Catalog,
    store: Option<&Store>,
    id: &str,
    now: Millis,
    series: Series,
) -> Result<(Stats, Exam, Option<PassEstimate>)> {
    let exam = catalog.load_by_id(id)?;
    let b = &exam.blueprint;
    let Some(store) = store else {
        let none = ExamTotals::default();
        let pass = readiness::estimate(b, &none, now);
        return Ok((stats::compute(&exam, &none), exam, pass));
    };
    let sums = store.exam_sums(id)?;
    let pass = pass_from_sums(store, b, &sums, now, series == Series::All)?;
    let mut stats = match series {
        Series::Newest => {
            stats::compute_from(&exam, &stats::digest_from_sums(b, &sums, newest(store, b, stats::SERIES)?))
        }
        Series::All => stats::compute(&exam, &store.exam_totals(id)?),
    };
    stats.notice = sums.rebuilt.map(|what| {
        format!("the running sums of {id} were damaged ({what}) and were rebuilt from the attempts' totals")
    });
    Ok((stats, exam, pass))
}

/// The newest rows of each series of `blueprint`'s exam, `window` of each (and at least
/// `stats::RECENT_ATTEMPTS` per domain), through the store's indexes.
pub(crate) fn newest(store: &Store, blueprint: &Blueprint, window: usize) -> Result<stats::Newest> {
    let id = &blueprint.id;
    let per_domain = window.max(stats::RECENT_ATTEMPTS);
    Ok(stats::Newest {
        domain_points: blueprint
            .domains
            .iter()
            .map(|d| Ok((d.id.clone(), store.latest_domain_points(id, &d.id, per_domain)?)))
            .collect::<Result<_>>()?,
        latest_exams: store.latest_mock_exams(id, None, window)?,
        latest_counted: store.latest_mock_exams(
            id,
            Some(readiness::real_limit(blueprint)),
            stats::ROLLING_EXAMS,
        )?,
        questions: store.question_totals(id)?,
    })
}

/// The readiness estimate at `now` from the exam's running sums (read by the caller), with
/// the excluded attempts named: every one with `every_excluded`, else the newest
/// `readiness::EXCLUDED_NAMED`. If an attempt started after `now` (a clock set back), the
/// sums cannot give it its full weight: the estimate is then made from every attempt's totals.
pub(crate) fn pass_from_sums(
    store: &Store,
    blueprint: &Blueprint,
    sums: &ExamSums,
    now: Millis,
    every_excluded: bool,
) -> Result<Option<PassEstimate>> {
    let id = &blueprint.id;
    if !readiness::sums_apply(sums, now) {
        return Ok(readiness::estimate(blueprint, &store.exam_totals(id)?, now));
    }
    let count: usize = sums
        .groups
        .iter()
        .filter(|g| readiness::exclusion_of(&g.key, blueprint).is_some())
        .map(|g| g.attempts as usize)
        .sum();
    let excluded = if count > 0 {
        // The walk stops once it has them all: how many there are is known.
        let limit = Some(if every_excluded { count } else { count.min(readiness::EXCLUDED_NAMED) });
        store
            .excluded_mock_exams(id, readiness::real_limit(blueprint), limit)?
            .iter()
            .filter_map(|a| readiness::exclusion(a, blueprint).map(|why| (a.id, why)))
            .collect()
    } else {
        Vec::new()
    };
    Ok(readiness::estimate_from_sums(blueprint, sums, now, excluded))
}

/// Where a stored attempt stands (`Room::standing`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    Missing,
    Unfinished,
    Finished,
}

pub struct Room {
    catalog: Catalog,
    data_dir: PathBuf,
}

impl Room {
    pub fn new(catalog: Catalog, data_dir: PathBuf) -> Room {
        Room { catalog, data_dir }
    }

    /// The exams that can be started, as `proctor list` shows them.
    pub fn exams(&self) -> Vec<&Blueprint> {
        self.catalog.entries.iter().map(|e| &e.blueprint).collect()
    }

    pub fn blueprint(&self, id: &str) -> Result<&Blueprint> {
        Ok(&self.catalog.find(id)?.blueprint)
    }

    /// A mock exam drawn by the blueprint (not begun: `PreparedExam::begin` starts its clock).
    pub fn prepare_exam(&self, request: &ExamRequest, now: Millis) -> Result<PreparedExam> {
        let store = Store::open_for_writing(&self.data_dir)?;
        start::prepare_exam(&self.catalog, store, request, now)
    }

    pub fn start_drill(&self, request: &DrillRequest, now: Millis) -> Result<DrillStart> {
        let store = Store::open_for_writing(&self.data_dir)?;
        start::start_drill(&self.catalog, store, request, now)
    }

    /// Missed questions: the due ones of the review queue, or one attempt's misses.
    pub fn start_review(&self, request: &ReviewRequest, now: Millis) -> Result<ReviewStart> {
        let store = Store::open_for_writing(&self.data_dir)?;
        start::start_review(&self.catalog, store, request, now)
    }

    /// Reopens an unfinished attempt for this process; refused while another live
    /// session (a terminal) holds it.
    pub fn resume(&self, id: i64, now: Millis) -> Result<Attempt> {
        let store = Store::open_for_writing(&self.data_dir)?;
        start::resume(&self.catalog, store, Some(id), false, now)
    }

    /// The newest `limit` attempts (every one with `None`), newest first, and how many
    /// there are in all (reading creates no store).
    pub fn history(&self, limit: Option<usize>) -> Result<(Vec<AttemptSummary>, usize)> {
        match Store::open_existing(&self.data_dir)? {
            Some(store) => {
                let attempts = store.newest_attempts(None, limit)?;
                let total = match limit {
                    Some(n) if attempts.len() >= n => store.count_attempts(None)?,
                    _ => attempts.len(),
                };
                Ok((attempts, total))
            }
            None => Ok((Vec::new(), 0)),
        }
    }

    /// The unfinished attempts, newest first.
    pub fn unfinished(&self) -> Result<Vec<AttemptSummary>> {
        match Store::open_existing(&self.data_dir)? {
            Some(store) => Ok(store.unfinished_attempts()?),
            None => Ok(Vec::new()),
        }
    }

    /// Statistics of one exam (its per-domain accuracy, trend, readiness).
    pub fn stats(&self, id: &str, now: Millis) -> Result<(Stats, Exam, Option<PassEstimate>)> {
        let id = self.catalog.find(id)?.blueprint.id.clone();
        let store = Store::open_existing(&self.data_dir)?;
        exam_stats(&self.catalog, store.as_ref(), &id, now, Series::Newest)
    }

    /// Whether attempt `id` is unfinished, finished, or not there at all (reading creates no
    /// store).
    pub fn standing(&self, id: i64) -> Result<Standing> {
        let finished = match Store::open_existing(&self.data_dir)? {
            Some(store) => store.is_finished(id)?,
            None => None,
        };
        Ok(match finished {
            None => Standing::Missing,
            Some(false) => Standing::Unfinished,
            Some(true) => Standing::Finished,
        })
    }

    /// A finished attempt walked through (the answer key of an unfinished one stays hidden).
    pub fn past(&self, id: i64) -> Result<PastAttempt> {
        let store = Store::open(&self.data_dir)?;
        past::load(&self.catalog, &store, id)
    }
}
