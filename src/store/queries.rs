//! Queries across attempts: the review queue and the attempt list (the running totals are
//! read in `totals`).

use rusqlite::Connection;

use super::{Store, StoreError, attempt_header};
#[cfg(test)]
use crate::model::ItemRow;
use crate::model::{AttemptSummary, Card};

/// The review-queue cards, of one exam or of all; `conn` may be a transaction.
pub(super) fn cards_in(conn: &Connection, exam: Option<&str>) -> rusqlite::Result<Vec<Card>> {
    let mut statement = conn.prepare(
        "SELECT exam, question_id, stability, difficulty, due_at, last_review_at, reviews, lapses, learned,
                confident_error
         FROM review_cards WHERE ?1 IS NULL OR exam = ?1 ORDER BY due_at, exam, question_id",
    )?;
    let rows = statement.query_map([exam], |r| {
        Ok(Card {
            exam: r.get(0)?,
            question_id: r.get(1)?,
            stability: r.get::<_, f64>(2)? as f32,
            difficulty: r.get::<_, f64>(3)? as f32,
            due_at: r.get::<_, i64>(4)?.max(0) as u64,
            last_review_at: r.get::<_, i64>(5)?.max(0) as u64,
            reviews: r.get(6)?,
            lapses: r.get(7)?,
            learned: r.get(8)?,
            confident_error: r.get(9)?,
        })
    })?;
    rows.collect()
}

impl Store {
    /// The review-queue cards, of one exam or of all.
    pub fn cards(&self, exam: Option<&str>) -> Result<Vec<Card>, StoreError> {
        cards_in(&self.conn, exam).map_err(self.sql())
    }

    /// Every attempt, newest first, optionally of one exam.
    pub fn attempts(&self, exam: Option<&str>) -> Result<Vec<AttemptSummary>, StoreError> {
        self.newest_attempts(exam, None)
    }

    /// The newest `limit` attempts (all with `None`), newest first, optionally of one exam.
    /// Only the attempts returned are joined to their totals: the cost is the index walk
    /// (`attempts_by_exam` for one exam) or a scan of the attempt rows, never the answers.
    pub fn newest_attempts(
        &self,
        exam: Option<&str>,
        limit: Option<usize>,
    ) -> Result<Vec<AttemptSummary>, StoreError> {
        let filter = if exam.is_some() { "WHERE exam = ?1" } else { "WHERE ?1 IS NULL" };
        self.summaries(filter, exam, limit)
    }

    /// The attempts `filter` keeps (a WHERE clause on `attempts` with `?1` bound to
    /// `exam`), newest first, at most `limit`.
    fn summaries(
        &self,
        filter: &str,
        exam: Option<&str>,
        limit: Option<usize>,
    ) -> Result<Vec<AttemptSummary>, StoreError> {
        let limit = limit.map_or(-1, |n| i64::try_from(n).unwrap_or(i64::MAX));
        let mut statement = self
            .conn
            .prepare_cached(&format!(
                // A finished attempt's counts are its running totals; an unfinished one (a
                // handful at most) is counted from its items.
                "SELECT a.id, a.exam, a.mode, a.seed, a.started_at, a.finished_at, a.end_reason, a.time_limit_ms,
                        CASE WHEN t.attempt_id IS NOT NULL THEN t.questions
                             ELSE (SELECT count(*) FROM attempt_items i WHERE i.attempt_id = a.id) END,
                        CASE WHEN t.attempt_id IS NOT NULL THEN t.scored
                             ELSE (SELECT coalesce(sum(i.scored), 0) FROM attempt_items i WHERE i.attempt_id = a.id) END,
                        CASE WHEN t.attempt_id IS NOT NULL THEN t.correct
                             ELSE (SELECT coalesce(sum(i.scored AND coalesce(i.correct, 0)), 0)
                                   FROM attempt_items i WHERE i.attempt_id = a.id) END,
                        CASE WHEN t.attempt_id IS NOT NULL THEN t.answered
                             ELSE (SELECT coalesce(sum(i.answer IS NOT NULL), 0)
                                   FROM attempt_items i WHERE i.attempt_id = a.id) END,
                        a.deadline,
                        CASE WHEN t.attempt_id IS NOT NULL THEN t.answered_millis
                             ELSE (SELECT coalesce(sum(CASE WHEN i.answer IS NOT NULL THEN i.millis ELSE 0 END), 0)
                                   FROM attempt_items i WHERE i.attempt_id = a.id) END
                 FROM (SELECT id, exam, mode, seed, started_at, finished_at, end_reason, time_limit_ms, deadline
                       FROM attempts {filter} ORDER BY started_at DESC, id DESC LIMIT ?2) a
                 LEFT JOIN attempt_totals t ON t.attempt_id = a.id
                 ORDER BY a.started_at DESC, a.id DESC"
            ))
            .map_err(self.sql())?;
        let rows = statement
            .query_map(rusqlite::params![exam, limit], |r| {
                Ok(AttemptSummary {
                    questions: r.get(8)?,
                    scored: r.get(9)?,
                    correct: r.get(10)?,
                    answered: r.get(11)?,
                    deadline: r.get::<_, Option<i64>>(12)?.map(|d| d.max(0) as u64),
                    answered_millis: r.get::<_, i64>(13)?.max(0) as u64,
                    ..attempt_header(r)?
                })
            })
            .map_err(self.sql())?;
        rows.collect::<Result<_, _>>().map_err(self.sql())
    }

    /// How many attempts there are (finished or not), optionally of one exam.
    pub fn count_attempts(&self, exam: Option<&str>) -> Result<usize, StoreError> {
        let sql = if exam.is_some() {
            "SELECT count(*) FROM attempts WHERE exam = ?1"
        } else {
            "SELECT count(*) FROM attempts WHERE ?1 IS NULL"
        };
        let n: i64 = self.conn.query_row(sql, [exam], |r| r.get(0)).map_err(self.sql())?;
        Ok(usize::try_from(n).unwrap_or(0))
    }

    /// The exams that have at least one attempt (finished or not), sorted.
    pub fn exams_with_attempts(&self) -> Result<Vec<String>, StoreError> {
        let mut statement = self
            .conn
            .prepare_cached("SELECT DISTINCT exam FROM attempts ORDER BY exam")
            .map_err(self.sql())?;
        let rows = statement.query_map([], |r| r.get(0)).map_err(self.sql())?;
        rows.collect::<Result<_, _>>().map_err(self.sql())
    }

    /// The unfinished attempts, newest first (a handful at most: they are finished, resumed
    /// or discarded).
    pub fn unfinished_attempts(&self) -> Result<Vec<AttemptSummary>, StoreError> {
        self.summaries("WHERE finished_at IS NULL AND ?1 IS NULL", None, None)
    }

    /// The finished attempts at `exam` without their counts.
    pub fn finished_attempt_headers(&self, exam: &str) -> Result<Vec<AttemptSummary>, StoreError> {
        let mut statement = self
            .conn
            .prepare(
                "SELECT id, exam, mode, seed, started_at, finished_at, end_reason, time_limit_ms
                 FROM attempts WHERE exam = ?1 AND finished_at IS NOT NULL",
            )
            .map_err(self.sql())?;
        let rows = statement.query_map([exam], attempt_header).map_err(self.sql())?;
        rows.collect::<Result<_, _>>().map_err(self.sql())
    }

    /// Every question of the finished attempts at `exam` (in no particular order): what the
    /// running totals are tested against (`study::totals::fold`); nothing else reads it.
    #[cfg(test)]
    pub fn finished_items(&self, exam: &str) -> Result<Vec<ItemRow>, StoreError> {
        let mut statement = self
            .conn
            .prepare(
                "SELECT a.id, i.question_id, i.domain, i.scored, i.answer IS NOT NULL, coalesce(i.correct, 0), i.millis,
                        i.seen_at, i.position
                 FROM attempts a JOIN attempt_items i ON i.attempt_id = a.id
                 WHERE a.exam = ?1 AND a.finished_at IS NOT NULL",
            )
            .map_err(self.sql())?;
        let rows = statement
            .query_map([exam], |r| {
                Ok(ItemRow {
                    attempt: r.get(0)?,
                    question_id: r.get(1)?,
                    domain: r.get(2)?,
                    scored: r.get(3)?,
                    answered: r.get(4)?,
                    correct: r.get(5)?,
                    millis: r.get::<_, i64>(6)?.max(0) as u64,
                    seen_at: r.get::<_, Option<i64>>(7)?.map(|t| t.max(0) as u64),
                    position: r.get(8)?,
                })
            })
            .map_err(self.sql())?;
        rows.collect::<Result<_, _>>().map_err(self.sql())
    }
}
