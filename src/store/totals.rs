//! The running totals (migration 10): kept at `finish`, in the transaction that finishes the
//! attempt, so they never disagree with the items; read by `stats`, `history`, readiness,
//! fresh papers and drills instead of every answer. `study::totals::fold` defines them; the
//! tests compare the two.
//!
//! - `attempt_totals`: per finished attempt, its counts (questions, scored, correct,
//!   answered, time on answered questions).
//! - `domain_totals`: per finished attempt and domain, its scored answers right and wrong,
//!   split into new ones and repeats (the question had a scored answer in an attempt at the
//!   exam that started earlier).
//! - `question_totals`: per question of an exam, how often it was seen, answered and
//!   missed, when it was last on screen (and whether that answer was right), and which
//!   attempt answered it first (to tell a new answer from a repeat, and to turn the old
//!   first into a repeat when an attempt that started earlier finishes later).
//!
//! Only unfinished attempts are ever deleted (`delete_attempt`), and they have no totals.

use std::collections::HashMap;

use rusqlite::{OptionalExtension, Transaction, params};

use super::{Store, StoreError, attempt_header};
use crate::model::{AttemptSummary, DomainTally, ExamTotals, Millis, Mode, QuestionTotals, Seen};

/// One item of the attempt being finished.
struct Item {
    position: i64,
    question_id: String,
    domain: String,
    scored: bool,
    answered: bool,
    correct: bool,
    millis: i64,
    seen_at: Option<i64>,
}

/// A question's row as stored.
#[derive(Default)]
struct QuestionRow {
    domain: String,
    seen: i64,
    answered: i64,
    missed: i64,
    /// (seen_at, attempt, position) of the latest showing, and whether it was right.
    last: Option<((i64, i64, i64), bool)>,
    /// (started_at, attempt) of the first scored answer, its domain and whether it was right.
    first: Option<((i64, i64), String, bool)>,
}

/// Adds finished attempt `id` to the totals. Called by `finish` inside its transaction,
/// after the items and the attempt row are written.
pub(super) fn add_finished(tx: &Transaction, id: i64) -> rusqlite::Result<()> {
    let (exam, mode, started): (String, String, i64) =
        tx.query_row("SELECT exam, mode, started_at FROM attempts WHERE id = ?1", [id], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })?;
    let review = Mode::parse(&mode) == Some(Mode::Review);
    let items: Vec<Item> = {
        let mut statement = tx.prepare_cached(
            "SELECT position, question_id, domain, scored, answer IS NOT NULL, coalesce(correct, 0), millis, seen_at
             FROM attempt_items WHERE attempt_id = ?1 ORDER BY position",
        )?;
        let rows = statement.query_map([id], |r| {
            Ok(Item {
                position: r.get(0)?,
                question_id: r.get(1)?,
                domain: r.get(2)?,
                scored: r.get(3)?,
                answered: r.get(4)?,
                correct: r.get(5)?,
                millis: r.get(6)?,
                seen_at: r.get(7)?,
            })
        })?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    let count = |f: &dyn Fn(&Item) -> bool| items.iter().filter(|i| f(i)).count() as i64;
    tx.execute(
        "INSERT INTO attempt_totals (attempt_id, questions, scored, correct, answered, answered_millis)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            id,
            items.len() as i64,
            count(&|i| i.scored),
            count(&|i| i.scored && i.correct),
            count(&|i| i.answered),
            items.iter().filter(|i| i.answered).map(|i| i.millis.max(0)).sum::<i64>(),
        ],
    )?;

    let mut read = tx.prepare_cached(
        "SELECT domain, seen, answered, missed, last_seen_at, last_seen_attempt, last_seen_position, last_correct,
                first_attempt, first_started, first_domain, first_correct
         FROM question_totals WHERE exam = ?1 AND question_id = ?2",
    )?;
    let mut write = tx.prepare_cached(
        "INSERT OR REPLACE INTO question_totals
         (exam, question_id, domain, seen, answered, missed, last_seen_at, last_seen_attempt, last_seen_position,
          last_correct, first_attempt, first_started, first_domain, first_correct)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
    )?;
    // An attempt that started before this one's first answer finished later: that answer
    // becomes a repeat.
    let mut demote = tx.prepare_cached(
        "UPDATE domain_totals SET new_right = new_right - ?4, repeat_right = repeat_right + ?4,
                                  new_wrong = new_wrong - ?5, repeat_wrong = repeat_wrong + ?5
         WHERE exam = ?1 AND attempt_id = ?2 AND domain = ?3",
    )?;
    // new_right, new_wrong, repeat_right, repeat_wrong per domain, in first-seen order.
    let mut tallies: Vec<(String, [i64; 4])> = Vec::new();
    let me = (started, id);
    for item in &items {
        let mut q: QuestionRow = read
            .query_row(params![exam, item.question_id], |r| {
                let last = match r.get::<_, Option<i64>>(4)? {
                    Some(at) => Some(((at, r.get(5)?, r.get(6)?), r.get(7)?)),
                    None => None,
                };
                let first = match r.get::<_, Option<i64>>(8)? {
                    Some(attempt) => Some(((r.get(9)?, attempt), r.get(10)?, r.get(11)?)),
                    None => None,
                };
                Ok(QuestionRow {
                    domain: r.get(0)?,
                    seen: r.get(1)?,
                    answered: r.get(2)?,
                    missed: r.get(3)?,
                    last,
                    first,
                })
            })
            .optional()?
            .unwrap_or_default();
        q.domain.clone_from(&item.domain);
        q.seen += i64::from(item.answered || item.seen_at.is_some());
        if let Some(at) = item.seen_at {
            let key = (at, id, item.position);
            if q.last.as_ref().is_none_or(|(last, _)| key >= *last) {
                q.last = Some((key, item.correct));
            }
        }
        if item.scored && item.answered {
            if !review {
                q.answered += 1;
                q.missed += i64::from(!item.correct);
            }
            let repeat = match &q.first {
                Some((first, _, _)) if *first < me => true,
                Some(((_, first), domain, correct)) => {
                    demote.execute(params![
                        exam,
                        first,
                        domain,
                        i64::from(*correct),
                        i64::from(!*correct)
                    ])?;
                    false
                }
                None => false,
            };
            if !repeat {
                q.first = Some((me, item.domain.clone(), item.correct));
            }
            let slot = usize::from(repeat) * 2 + usize::from(!item.correct);
            match tallies.iter_mut().find(|(d, _)| *d == item.domain) {
                Some((_, t)) => t[slot] += 1,
                None => {
                    let mut t = [0; 4];
                    t[slot] = 1;
                    tallies.push((item.domain.clone(), t));
                }
            }
        }
        write.execute(params![
            exam,
            item.question_id,
            q.domain,
            q.seen,
            q.answered,
            q.missed,
            q.last.map(|((at, _, _), _)| at),
            q.last.map(|((_, attempt, _), _)| attempt),
            q.last.map(|((_, _, position), _)| position),
            q.last.map(|(_, correct)| correct),
            q.first.as_ref().map(|((_, attempt), _, _)| *attempt),
            q.first.as_ref().map(|((started, _), _, _)| *started),
            q.first.as_ref().map(|(_, domain, _)| domain.clone()),
            q.first.as_ref().map(|(_, _, correct)| *correct),
        ])?;
    }
    let mut insert = tx.prepare_cached(
        "INSERT INTO domain_totals (exam, attempt_id, domain, new_right, new_wrong, repeat_right, repeat_wrong)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?;
    for (domain, [new_right, new_wrong, repeat_right, repeat_wrong]) in &tallies {
        insert.execute(params![exam, id, domain, new_right, new_wrong, repeat_right, repeat_wrong])?;
    }
    Ok(())
}

fn u32_of(v: i64) -> u32 {
    u32::try_from(v.max(0)).unwrap_or(u32::MAX)
}

/// An attempt's header (columns 0-7) and its totals (8-12: questions, scored, correct,
/// answered, answered_millis).
fn summary_with_counts(r: &rusqlite::Row) -> rusqlite::Result<AttemptSummary> {
    Ok(AttemptSummary {
        questions: u32_of(r.get(8)?),
        scored: u32_of(r.get(9)?),
        correct: u32_of(r.get(10)?),
        answered: u32_of(r.get(11)?),
        answered_millis: r.get::<_, i64>(12)?.max(0) as Millis,
        ..attempt_header(r)?
    })
}

impl Store {
    /// Takes the store back to the schema before the running totals (their tables dropped),
    /// as a proctor from before them left it: the next `open` migrates and backfills. For
    /// the tests and the benchmarks (a history generated as items gets its totals this way).
    #[doc(hidden)]
    pub fn forget_totals(self) -> Result<(), StoreError> {
        let before = super::TOTALS_MIGRATION;
        self.conn
            .execute_batch(&format!(
                "DROP TABLE attempt_totals; DROP TABLE domain_totals; DROP TABLE question_totals;
                 PRAGMA user_version = {before};"
            ))
            .map_err(self.sql())
    }

    /// The running totals of `exam`: its finished attempts with their counts, their
    /// tallies per domain, and its questions' totals.
    pub fn exam_totals(&self, exam: &str) -> Result<ExamTotals, StoreError> {
        let mut statement = self
            .conn
            .prepare_cached(
                "SELECT a.id, a.exam, a.mode, a.seed, a.started_at, a.finished_at, a.end_reason, a.time_limit_ms,
                        t.questions, t.scored, t.correct, t.answered, t.answered_millis
                 FROM attempts a JOIN attempt_totals t ON t.attempt_id = a.id
                 WHERE a.exam = ?1 AND a.finished_at IS NOT NULL",
            )
            .map_err(self.sql())?;
        let attempts = statement
            .query_map([exam], summary_with_counts)
            .map_err(self.sql())?
            .collect::<Result<Vec<_>, _>>()
            .map_err(self.sql())?;
        let mut statement = self
            .conn
            .prepare_cached(
                "SELECT attempt_id, domain, new_right, new_wrong, repeat_right, repeat_wrong
                 FROM domain_totals WHERE exam = ?1",
            )
            .map_err(self.sql())?;
        // Domain names repeat on every attempt: share one allocation per name.
        let mut names: HashMap<String, String> = HashMap::new();
        let domains = statement
            .query_map([exam], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get_ref(1)?.as_str()?.to_string(),
                    [r.get::<_, i64>(2)?, r.get(3)?, r.get(4)?, r.get(5)?],
                ))
            })
            .map_err(self.sql())?
            .map(|row| {
                row.map(|(attempt, domain, [nr, nw, rr, rw])| {
                    let domain = names.entry(domain).or_insert_with_key(|k| k.clone()).clone();
                    DomainTally {
                        attempt,
                        domain,
                        new_right: u32_of(nr),
                        new_wrong: u32_of(nw),
                        repeat_right: u32_of(rr),
                        repeat_wrong: u32_of(rw),
                    }
                })
            })
            .collect::<Result<Vec<_>, _>>()
            .map_err(self.sql())?;
        let questions = self.question_totals(exam)?;
        Ok(ExamTotals { attempts, domains, questions })
    }

    /// The totals of `exam`'s questions.
    fn question_totals(&self, exam: &str) -> Result<Vec<QuestionTotals>, StoreError> {
        let mut statement = self
            .conn
            .prepare_cached(
                "SELECT question_id, domain, seen, answered, missed, last_seen_at, last_correct
                 FROM question_totals WHERE exam = ?1",
            )
            .map_err(self.sql())?;
        statement
            .query_map([exam], |r| {
                Ok(QuestionTotals {
                    question_id: r.get(0)?,
                    domain: r.get(1)?,
                    seen: u32_of(r.get(2)?),
                    answered: u32_of(r.get(3)?),
                    missed: u32_of(r.get(4)?),
                    last: match r.get::<_, Option<i64>>(5)? {
                        Some(at) => Some(Seen { last_seen: at.max(0) as Millis, last_correct: r.get(6)? }),
                        None => None,
                    },
                })
            })
            .map_err(self.sql())?
            .collect::<Result<Vec<_>, _>>()
            .map_err(self.sql())
    }

    /// For each question of `exam` put on screen in a finished attempt: when it was last
    /// seen and whether that answer was right (from the running totals).
    pub fn question_history(&self, exam: &str) -> Result<HashMap<String, Seen>, StoreError> {
        let mut statement = self
            .conn
            .prepare_cached(
                "SELECT question_id, last_seen_at, last_correct FROM question_totals
                 WHERE exam = ?1 AND last_seen_at IS NOT NULL",
            )
            .map_err(self.sql())?;
        let rows = statement
            .query_map([exam], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?, r.get::<_, bool>(2)?)))
            .map_err(self.sql())?;
        let mut history = HashMap::new();
        for row in rows {
            let (id, seen, correct) = row.map_err(self.sql())?;
            history.insert(id, Seen { last_seen: seen.max(0) as Millis, last_correct: correct });
        }
        Ok(history)
    }
}
