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

use rusqlite::{Connection, OptionalExtension, Transaction, params};

use super::{Store, StoreError, attempt_header};
use crate::model::{
    AttemptSummary, Decayed, DomainPointTally, DomainSums, DomainTally, ExamSums, ExamTotals, GroupSums,
    Millis, Mode, QuestionTotals, Seen, SumsKey,
};

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
    let (exam, mode, started, time_limit): (String, String, i64, Option<i64>) = tx.query_row(
        "SELECT exam, mode, started_at, time_limit_ms FROM attempts WHERE id = ?1",
        [id],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
    )?;
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
    // (attempt, domain, right) of each first answer that became a repeat.
    let mut demoted: Vec<(i64, String, bool)> = Vec::new();
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
                    demoted.push((*first, domain.clone(), *correct));
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

    // The exam's running sums (migration 12): this attempt's group and tallies, and each
    // demoted answer moved from new to repeat at its own attempt's age.
    let mut sums = match read_sums(tx, &exam)? {
        Ok(sums) => sums,
        // Damaged: rebuilt from the totals, which now hold this attempt too.
        Err(_) => {
            let sums = sums_from_totals(tx, Some(&exam))?.remove(&exam).unwrap_or_default();
            return write_sums(tx, &exam, &sums);
        }
    };
    for (first, domain, correct) in &demoted {
        let (key, at) = attempt_key(tx, *first)?;
        sums.demote(key, at, domain, *correct);
    }
    let mode = Mode::parse(&mode).ok_or_else(|| unreadable(2, "unknown attempt mode"))?;
    let key = SumsKey::of(
        mode,
        time_limit.map(|l| l.max(0) as Millis),
        u32_of(count(&|i| i.answered)),
        u32_of(items.len() as i64),
    );
    let tallies: Vec<(String, [u32; 4])> = tallies
        .into_iter()
        .map(|(domain, [nr, nw, rr, rw])| (domain, [u32_of(nr), u32_of(nw), u32_of(rr), u32_of(rw)]))
        .collect();
    let answered_millis = items.iter().filter(|i| i.answered).map(|i| i.millis.max(0)).sum::<i64>();
    sums.add_attempt(
        key,
        started.max(0) as Millis,
        (u32_of(count(&|i| i.scored)), u32_of(count(&|i| i.answered)), answered_millis as Millis),
        &tallies,
    );
    write_sums(tx, &exam, &sums)
}

/// A value proctor never writes: the file was changed by something else.
fn unreadable(column: usize, what: &str) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(column, rusqlite::types::Type::Text, what.to_string().into())
}

/// The sums group of finished attempt `id`, and its start.
fn attempt_key(conn: &Connection, id: i64) -> rusqlite::Result<(SumsKey, Millis)> {
    conn.query_row(
        "SELECT a.mode, a.time_limit_ms, a.started_at, t.answered, t.questions
         FROM attempts a JOIN attempt_totals t ON t.attempt_id = a.id WHERE a.id = ?1",
        [id],
        |r| {
            let mode =
                Mode::parse(r.get_ref(0)?.as_str()?).ok_or_else(|| unreadable(0, "unknown attempt mode"))?;
            let limit = r.get::<_, Option<i64>>(1)?.map(|l| l.max(0) as Millis);
            let key = SumsKey::of(mode, limit, u32_of(r.get(3)?), u32_of(r.get(4)?));
            Ok((key, r.get::<_, i64>(2)?.max(0) as Millis))
        },
    )
}

/// A group's time limit as stored: -1 for none.
fn limit_column(key: &SumsKey) -> i64 {
    key.time_limit_ms.map_or(-1, |l| i64::try_from(l).unwrap_or(i64::MAX))
}

/// The running sums of `exam` as stored, or what is wrong with them (a row proctor would
/// never write: the file was changed by something else).
fn read_sums(conn: &Connection, exam: &str) -> rusqlite::Result<Result<ExamSums, String>> {
    fn key_of(mode: &str, limit: i64, mostly: i64) -> Result<SumsKey, String> {
        let mode = Mode::parse(mode).ok_or_else(|| format!("unknown mode {mode:?}"))?;
        if limit < -1 || !(0..=1).contains(&mostly) {
            return Err(format!("time limit {limit}, mostly-unanswered {mostly}"));
        }
        let key = SumsKey {
            mode,
            time_limit_ms: (limit >= 0).then_some(limit as Millis),
            mostly_unanswered: mostly == 1,
        };
        // Only the groups `SumsKey::of` makes.
        if mode != Mode::Exam && (key.time_limit_ms.is_some() || key.mostly_unanswered) {
            return Err(format!("a {} group with a time limit", mode.as_str()));
        }
        Ok(key)
    }
    let count = |v: i64, what: &str| u32::try_from(v).map_err(|_| format!("{what} {v}"));
    let mut statement = conn.prepare_cached(
        "SELECT mode, time_limit_ms, mostly_unanswered, attempts, scored_attempts, answered, answered_millis,
                newest_started
         FROM exam_group_sums WHERE exam = ?1",
    )?;
    let rows = statement.query_map([exam], |r| {
        Ok((
            r.get::<_, String>(0)?,
            [r.get::<_, i64>(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?, r.get(7)?],
        ))
    })?;
    let mut groups = Vec::new();
    for row in rows {
        let (mode, [limit, mostly, attempts, scored, answered, millis, newest]) = row?;
        let group = (|| {
            if answered < 0 || millis < 0 || newest < 0 {
                return Err(format!("answered {answered}, time {millis}, newest start {newest}"));
            }
            let (attempts, scored_attempts) =
                (count(attempts, "attempts")?, count(scored, "scored attempts")?);
            if scored_attempts > attempts || attempts == 0 {
                return Err(format!("{scored_attempts} scored of {attempts} attempts"));
            }
            Ok(GroupSums {
                key: key_of(&mode, limit, mostly)?,
                attempts,
                scored_attempts,
                answered: answered as u64,
                answered_millis: millis as Millis,
                newest_started: newest as Millis,
            })
        })();
        match group {
            Ok(g) => groups.push(g),
            Err(what) => return Ok(Err(format!("exam_group_sums row for {mode}: {what}"))),
        }
    }
    let mut statement = conn.prepare_cached(
        "SELECT mode, time_limit_ms, mostly_unanswered, domain, answered, correct, t0,
                new_right, new_wrong, repeat_right, repeat_wrong
         FROM exam_domain_sums WHERE exam = ?1",
    )?;
    let rows = statement.query_map([exam], |r| {
        Ok((
            r.get::<_, String>(0)?,
            [r.get::<_, i64>(1)?, r.get(2)?],
            r.get::<_, String>(3)?,
            [r.get::<_, i64>(4)?, r.get(5)?, r.get(6)?],
            [r.get::<_, f64>(7)?, r.get(8)?, r.get(9)?, r.get(10)?],
        ))
    })?;
    let mut domains = Vec::new();
    for row in rows {
        let (mode, [limit, mostly], domain, [answered, correct, t0], sums) = row?;
        let sums_row = (|| {
            let key = key_of(&mode, limit, mostly)?;
            let (answered, correct) = (count(answered, "answered")?, count(correct, "correct")?);
            // Every weight is at most 2 per answer (`Decayed`), and none is negative.
            let bound = 2.0 * f64::from(answered) + 1e-6;
            if correct > answered || t0 < 0 || sums.iter().any(|s| !s.is_finite() || *s < -1e-6 || *s > bound)
            {
                return Err(format!("{correct} right of {answered}, t0 {t0}, weights {sums:?}"));
            }
            if !groups.iter().any(|g: &GroupSums| g.key == key) {
                return Err("no group".to_string());
            }
            Ok(DomainSums {
                key,
                domain: domain.clone(),
                answered,
                correct,
                weighted: Decayed { t0: t0 as Millis, sums },
            })
        })();
        match sums_row {
            Ok(d) => domains.push(d),
            Err(what) => return Ok(Err(format!("exam_domain_sums row for {mode} {domain:?}: {what}"))),
        }
    }
    Ok(Ok(ExamSums { groups, domains, rebuilt: None }))
}

/// Replaces the stored sums of `exam` with `sums`.
fn write_sums(tx: &Connection, exam: &str, sums: &ExamSums) -> rusqlite::Result<()> {
    tx.execute("DELETE FROM exam_group_sums WHERE exam = ?1", [exam])?;
    tx.execute("DELETE FROM exam_domain_sums WHERE exam = ?1", [exam])?;
    let mut group = tx.prepare_cached(
        "INSERT INTO exam_group_sums (exam, mode, time_limit_ms, mostly_unanswered, attempts, scored_attempts,
                                      answered, answered_millis, newest_started)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?;
    let big = |v: u64| i64::try_from(v).unwrap_or(i64::MAX);
    for g in &sums.groups {
        group.execute(params![
            exam,
            g.key.mode.as_str(),
            limit_column(&g.key),
            g.key.mostly_unanswered,
            g.attempts,
            g.scored_attempts,
            big(g.answered),
            big(g.answered_millis),
            big(g.newest_started),
        ])?;
    }
    let mut domain = tx.prepare_cached(
        "INSERT INTO exam_domain_sums (exam, mode, time_limit_ms, mostly_unanswered, domain, answered, correct, t0,
                                       new_right, new_wrong, repeat_right, repeat_wrong)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
    )?;
    for d in &sums.domains {
        let [nr, nw, rr, rw] = d.weighted.sums;
        domain.execute(params![
            exam,
            d.key.mode.as_str(),
            limit_column(&d.key),
            d.key.mostly_unanswered,
            d.domain,
            d.answered,
            d.correct,
            big(d.weighted.t0),
            nr,
            nw,
            rr,
            rw,
        ])?;
    }
    Ok(())
}

/// The running sums of `exam` (of every exam with `None`) computed from the totals of the
/// finished attempts, in the order they started: the migration's backfill and the rebuild
/// of damaged sums.
fn sums_from_totals(conn: &Connection, exam: Option<&str>) -> rusqlite::Result<HashMap<String, ExamSums>> {
    let mut tallies: HashMap<i64, Vec<(String, [u32; 4])>> = HashMap::new();
    {
        let mut statement = conn.prepare(
            "SELECT attempt_id, domain, new_right, new_wrong, repeat_right, repeat_wrong
             FROM domain_totals WHERE ?1 IS NULL OR exam = ?1",
        )?;
        let rows = statement.query_map([exam], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                [u32_of(r.get(2)?), u32_of(r.get(3)?), u32_of(r.get(4)?), u32_of(r.get(5)?)],
            ))
        })?;
        for row in rows {
            let (attempt, domain, counts) = row?;
            tallies.entry(attempt).or_default().push((domain, counts));
        }
    }
    let mut statement = conn.prepare(
        "SELECT a.exam, a.id, a.mode, a.time_limit_ms, a.started_at, t.questions, t.scored, t.answered,
                t.answered_millis
         FROM attempts a JOIN attempt_totals t ON t.attempt_id = a.id
         WHERE a.finished_at IS NOT NULL AND (?1 IS NULL OR a.exam = ?1)
         ORDER BY a.started_at, a.id",
    )?;
    let mut rows = statement.query([exam])?;
    let mut all: HashMap<String, ExamSums> = HashMap::new();
    while let Some(r) = rows.next()? {
        let exam: String = r.get(0)?;
        let id: i64 = r.get(1)?;
        let mode =
            Mode::parse(r.get_ref(2)?.as_str()?).ok_or_else(|| unreadable(2, "unknown attempt mode"))?;
        let limit = r.get::<_, Option<i64>>(3)?.map(|l| l.max(0) as Millis);
        let at = r.get::<_, i64>(4)?.max(0) as Millis;
        let [questions, scored, answered] = [u32_of(r.get(5)?), u32_of(r.get(6)?), u32_of(r.get(7)?)];
        let millis = r.get::<_, i64>(8)?.max(0) as Millis;
        let key = SumsKey::of(mode, limit, answered, questions);
        let mine = tallies.remove(&id).unwrap_or_default();
        all.entry(exam).or_default().add_attempt(key, at, (scored, answered, millis), &mine);
    }
    Ok(all)
}

/// Migration 12: the running sums of every exam, from the totals (migration 10).
pub(super) fn backfill_sums(tx: &Transaction) -> rusqlite::Result<()> {
    for (exam, sums) in sums_from_totals(tx, None)? {
        write_sums(tx, &exam, &sums)?;
    }
    Ok(())
}

fn u32_of(v: i64) -> u32 {
    u32::try_from(v.max(0)).unwrap_or(u32::MAX)
}

/// The columns `summary_with_counts` reads, in its order, from `attempts a` and
/// `attempt_totals t` (a macro so each query can `concat!` its own FROM and WHERE).
macro_rules! summary_with_counts_columns {
    () => {
        "SELECT a.id, a.exam, a.mode, a.seed, a.started_at, a.finished_at, a.end_reason, a.time_limit_ms,
                t.questions, t.scored, t.correct, t.answered, t.answered_millis"
    };
}

/// An attempt's header (columns 0-7) and its totals (8-12: questions, scored, correct,
/// answered, answered_millis), as `summary_with_counts_columns!` selects them.
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
                 DROP TABLE IF EXISTS exam_group_sums; DROP TABLE IF EXISTS exam_domain_sums;
                 PRAGMA user_version = {before};"
            ))
            .map_err(self.sql())
    }

    /// Takes the store back to the schema before the running sums (migration 12: their
    /// tables and indexes dropped), as proctor 0.1 of session 4 left it: the next `open`
    /// migrates and backfills them from the totals. For the tests.
    #[doc(hidden)]
    pub fn forget_sums(self) -> Result<(), StoreError> {
        let before = super::SUMS_MIGRATION;
        self.conn
            .execute_batch(&format!(
                "DROP TABLE exam_group_sums; DROP TABLE exam_domain_sums;
                 DROP INDEX attempts_mock_by_start; DROP INDEX attempts_mock_by_id;
                 PRAGMA user_version = {before};"
            ))
            .map_err(self.sql())
    }

    /// The running sums of `exam` (O(groups × domains) rows). Damaged ones (a row proctor
    /// never writes) are rebuilt from the attempts' totals and say so in `rebuilt`; if they
    /// cannot be rebuilt (a read-only file), the store is reported as damaged.
    pub fn exam_sums(&self, exam: &str) -> Result<ExamSums, StoreError> {
        let detail = match read_sums(&self.conn, exam).map_err(self.sql())? {
            Ok(sums) => return Ok(sums),
            Err(detail) => detail,
        };
        let rebuild = || -> rusqlite::Result<ExamSums> {
            // IMMEDIATE: it writes, and waits for another writer instead of failing.
            let tx = Transaction::new_unchecked(&self.conn, rusqlite::TransactionBehavior::Immediate)?;
            let sums = sums_from_totals(&tx, Some(exam))?.remove(exam).unwrap_or_default();
            write_sums(&tx, exam, &sums)?;
            tx.commit()?;
            // Read back, in the order a read gives.
            read_sums(&self.conn, exam)?.map_err(|what| unreadable(0, &what))
        };
        match rebuild() {
            Ok(sums) => {
                self.settle_wal()?;
                Ok(ExamSums { rebuilt: Some(detail), ..sums })
            }
            Err(e) => Err(StoreError::Damaged {
                path: self.path.clone(),
                detail: format!(
                    "the running sums of {exam} are damaged ({detail}) and could not be rebuilt: {e}"
                ),
            }),
        }
    }

    /// The newest `limit` finished exams and drills at `exam` with scored answers in
    /// `domain`, newest first (the index on start time, walked until `limit` are found).
    pub fn latest_domain_points(
        &self,
        exam: &str,
        domain: &str,
        limit: usize,
    ) -> Result<Vec<DomainPointTally>, StoreError> {
        let mut statement = self
            .conn
            .prepare_cached(
                "SELECT a.id, a.started_at, t.new_right, t.new_wrong, t.repeat_right, t.repeat_wrong
                 FROM attempts a INDEXED BY attempts_by_exam
                 CROSS JOIN domain_totals t ON t.exam = a.exam AND t.attempt_id = a.id AND t.domain = ?2
                 WHERE a.exam = ?1 AND a.finished_at IS NOT NULL AND a.mode != 'review'
                 ORDER BY a.started_at DESC, a.id DESC LIMIT ?3",
            )
            .map_err(self.sql())?;
        let rows = statement
            .query_map(params![exam, domain, i64::try_from(limit).unwrap_or(i64::MAX)], |r| {
                let [nr, nw, rr, rw] =
                    [u32_of(r.get(2)?), u32_of(r.get(3)?), u32_of(r.get(4)?), u32_of(r.get(5)?)];
                Ok(DomainPointTally {
                    attempt: r.get(0)?,
                    started_at: r.get::<_, i64>(1)?.max(0) as Millis,
                    answered: nr + nw + rr + rw,
                    correct: nr + rr,
                })
            })
            .map_err(self.sql())?;
        rows.collect::<Result<_, _>>().map_err(self.sql())
    }

    /// The newest `limit` finished mock exams at `exam` with scored questions, newest first,
    /// with their counts; with `counted_at` (the real exam's time limit), only those that
    /// are readiness evidence (`study::readiness::exclusion`). Through the partial index of
    /// finished mock exams by start.
    pub fn latest_mock_exams(
        &self,
        exam: &str,
        counted_at: Option<Millis>,
        limit: usize,
    ) -> Result<Vec<AttemptSummary>, StoreError> {
        let mut statement = self
            .conn
            .prepare_cached(concat!(
                summary_with_counts_columns!(),
                "
                 FROM attempts a INDEXED BY attempts_mock_by_start
                 CROSS JOIN attempt_totals t ON t.attempt_id = a.id
                 WHERE a.exam = ?1 AND a.mode = 'exam' AND a.finished_at IS NOT NULL AND t.scored > 0
                   AND (?2 IS NULL OR (NOT (a.time_limit_ms IS NOT NULL AND a.time_limit_ms < ?2)
                                       AND 2 * t.answered >= max(t.questions, 1)))
                 ORDER BY a.started_at DESC, a.id DESC LIMIT ?3"
            ))
            .map_err(self.sql())?;
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let real = counted_at.map(|l| i64::try_from(l).unwrap_or(i64::MAX));
        let rows =
            statement.query_map(params![exam, real, limit], summary_with_counts).map_err(self.sql())?;
        rows.collect::<Result<_, _>>().map_err(self.sql())
    }

    /// The finished mock exams at `exam` that are not readiness evidence against the real
    /// time limit `real_limit` (a shorter limit, or mostly unanswered), the newest `limit`
    /// by id (every one with `None`), in ascending id order. Through the partial index of
    /// finished mock exams by id.
    pub fn excluded_mock_exams(
        &self,
        exam: &str,
        real_limit: Millis,
        limit: Option<usize>,
    ) -> Result<Vec<AttemptSummary>, StoreError> {
        let mut statement = self
            .conn
            .prepare_cached(concat!(
                summary_with_counts_columns!(),
                "
                 FROM attempts a INDEXED BY attempts_mock_by_id
                 CROSS JOIN attempt_totals t ON t.attempt_id = a.id
                 WHERE a.exam = ?1 AND a.mode = 'exam' AND a.finished_at IS NOT NULL
                   AND ((a.time_limit_ms IS NOT NULL AND a.time_limit_ms < ?2) OR 2 * t.answered < max(t.questions, 1))
                 ORDER BY a.id DESC LIMIT ?3"
            ))
            .map_err(self.sql())?;
        let limit = limit.map_or(-1, |n| i64::try_from(n).unwrap_or(i64::MAX));
        let real = i64::try_from(real_limit).unwrap_or(i64::MAX);
        let rows =
            statement.query_map(params![exam, real, limit], summary_with_counts).map_err(self.sql())?;
        let mut rows: Vec<AttemptSummary> = rows.collect::<Result<_, _>>().map_err(self.sql())?;
        rows.reverse();
        Ok(rows)
    }

    /// The running totals of `exam`: its finished attempts with their counts, their
    /// tallies per domain, and its questions' totals.
    pub fn exam_totals(&self, exam: &str) -> Result<ExamTotals, StoreError> {
        let mut statement = self
            .conn
            .prepare_cached(concat!(
                summary_with_counts_columns!(),
                "
                 FROM attempts a JOIN attempt_totals t ON t.attempt_id = a.id
                 WHERE a.exam = ?1 AND a.finished_at IS NOT NULL"
            ))
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

    /// The totals of `exam`'s questions (O(bank) rows).
    pub fn question_totals(&self, exam: &str) -> Result<Vec<QuestionTotals>, StoreError> {
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
