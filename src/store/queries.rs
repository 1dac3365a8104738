//! Queries across attempts: the review queue, what each question's history says, the
//! attempt list and the rows behind statistics.

use rusqlite::Connection;

use super::{Store, StoreError, attempt_header};
use crate::model::{AttemptSummary, Card, ItemRow, Seen};

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

    /// For each question of `exam` put on screen in a finished attempt: when it was last
    /// seen and whether that answer was right.
    pub fn question_history(
        &self,
        exam: &str,
    ) -> Result<std::collections::HashMap<String, Seen>, StoreError> {
        let mut statement = self
            .conn
            .prepare(
                "SELECT i.question_id, i.seen_at, coalesce(i.correct, 0)
                 FROM attempt_items i JOIN attempts a ON a.id = i.attempt_id
                 WHERE a.exam = ?1 AND a.finished_at IS NOT NULL AND i.seen_at IS NOT NULL
                 ORDER BY i.seen_at, a.id, i.position",
            )
            .map_err(self.sql())?;
        let rows = statement
            .query_map([exam], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?, r.get::<_, bool>(2)?)))
            .map_err(self.sql())?;
        let mut history = std::collections::HashMap::new();
        for row in rows {
            let (id, seen, correct) = row.map_err(self.sql())?;
            history.insert(id, Seen { last_seen: seen.max(0) as u64, last_correct: correct });
        }
        Ok(history)
    }

    /// Every attempt, newest first, optionally of one exam.
    pub fn attempts(&self, exam: Option<&str>) -> Result<Vec<AttemptSummary>, StoreError> {
        let mut statement = self
            .conn
            .prepare(
                "SELECT a.id, a.exam, a.mode, a.seed, a.started_at, a.finished_at, a.end_reason, a.time_limit_ms,
                        count(i.position), coalesce(sum(i.scored), 0),
                        coalesce(sum(CASE WHEN i.scored AND i.correct THEN 1 ELSE 0 END), 0),
                        coalesce(sum(CASE WHEN i.answer IS NOT NULL THEN 1 ELSE 0 END), 0), a.deadline
                 FROM attempts a LEFT JOIN attempt_items i ON i.attempt_id = a.id
                 WHERE a.exam = coalesce(?1, a.exam)
                 GROUP BY a.id ORDER BY a.started_at DESC, a.id DESC",
            )
            .map_err(self.sql())?;
        let rows = statement
            .query_map([exam], |r| {
                Ok(AttemptSummary {
                    questions: r.get(8)?,
                    scored: r.get(9)?,
                    correct: r.get(10)?,
                    answered: r.get(11)?,
                    deadline: r.get::<_, Option<i64>>(12)?.map(|d| d.max(0) as u64),
                    ..attempt_header(r)?
                })
            })
            .map_err(self.sql())?;
        rows.collect::<Result<_, _>>().map_err(self.sql())
    }

    /// The finished attempts at `exam` without their counts (a quick query for `stats`,
    /// which counts from `finished_items`).
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

    /// Every question of the finished attempts at `exam` (in no particular order).
    pub fn finished_items(&self, exam: &str) -> Result<Vec<ItemRow>, StoreError> {
        let mut statement = self
            .conn
            .prepare(
                "SELECT a.id, i.question_id, i.domain, i.scored, i.answer IS NOT NULL, coalesce(i.correct, 0), i.millis,
                        i.seen_at IS NOT NULL
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
                    seen: r.get(7)?,
                })
            })
            .map_err(self.sql())?;
        rows.collect::<Result<_, _>>().map_err(self.sql())
    }
}
