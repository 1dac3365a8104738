//! Writing and reading one attempt: creating it with its paper, saving progress before
//! every prompt, finishing it (with the review-queue cards it changed), loading it back.

use rusqlite::{OptionalExtension, TransactionBehavior, params};

use super::{
    NewAttempt, Store, StoreError, StoredAttempt, StoredItem, attempt_header, classify, join, split,
};
use crate::exam::assemble::PaperItem;
use crate::exam::clock::Millis;
use crate::exam::item::{Layout, Response};
use crate::exam::session::ItemState;
use crate::model::{Card, EndReason};

/// This session (`token`) still owns attempt `id`; otherwise `LostOwnership`: another
/// session took it over, and this one must not write.
pub(super) fn check_owner(
    tx: &rusqlite::Transaction,
    id: i64,
    token: &str,
    path: &std::path::Path,
) -> Result<(), StoreError> {
    let owner: Option<String> = tx
        .query_row("SELECT token FROM attempt_owners WHERE attempt_id = ?1", [id], |r| r.get(0))
        .optional()
        .map_err(|source| classify(path, source))?;
    match owner {
        Some(owner) if owner == token => Ok(()),
        _ => Err(StoreError::LostOwnership { id }),
    }
}

/// The stored form of a layout or an answer (JSON that can hold every question kind).
fn to_json<T: serde::Serialize>(value: &T) -> String {
    // Serializing these plain enums cannot fail.
    serde_json::to_string(value).unwrap_or_default()
}

/// An item's state as its stored columns, in this order: answer, flagged, struck, millis,
/// seen_at, confidence (every statement that writes a state binds them so).
struct StateColumns {
    answer: Option<String>,
    flagged: bool,
    struck: String,
    millis: i64,
    seen_at: Option<i64>,
    confidence: Option<&'static str>,
}

impl StateColumns {
    fn of(state: &ItemState) -> StateColumns {
        StateColumns {
            answer: state.response.as_ref().map(to_json::<Response>),
            flagged: state.flagged,
            struck: join(&state.struck),
            millis: state.millis as i64,
            seen_at: state.seen_at.map(|t| t as i64),
            confidence: state.confidence.map(|c| c.as_str()),
        }
    }

    fn values(&self) -> [&dyn rusqlite::ToSql; 6] {
        [&self.answer, &self.flagged, &self.struck, &self.millis, &self.seen_at, &self.confidence]
    }
}

/// `first` then `rest`, as one list of parameters.
fn bind<'a>(
    first: &[&'a dyn rusqlite::ToSql],
    rest: &[&'a dyn rusqlite::ToSql],
) -> Vec<&'a dyn rusqlite::ToSql> {
    first.iter().chain(rest).copied().collect()
}

impl Store {
    /// Records a new attempt with its paper and where it stands; returns its id.
    pub fn create_attempt(&mut self, new: &NewAttempt) -> Result<i64, StoreError> {
        let path = self.path.clone();
        let sql = |source| classify(&path, source);
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(sql)?;
        tx.execute(
            "INSERT INTO attempts
             (exam, mode, seed, engine_version, started_at, deadline, time_limit_ms, position, last_tick,
              hide_domain, seen_before, retake_of)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
            params![
                new.exam,
                new.mode.as_str(),
                new.seed as i64,
                env!("CARGO_PKG_VERSION"),
                new.started_at as i64,
                new.deadline.map(|d| d as i64),
                new.time_limit_ms.map(|d| d as i64),
                new.position as i64,
                new.last_tick as i64,
                new.hide_domain,
                new.seen_before,
                new.retake_of,
            ],
        )
        .map_err(sql)?;
        let id = tx.last_insert_rowid();
        if !new.released {
            tx.execute(
                "INSERT INTO attempt_owners (attempt_id, token, pid, host, since) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![id, self.owner.token, self.owner.pid, self.owner.host, new.started_at as i64],
            )
            .map_err(sql)?;
        }
        {
            // Most items are untouched when the attempt is written (the columns' defaults
            // say so); only the others bind their state.
            let mut untouched_item = tx
                .prepare(
                    "INSERT INTO attempt_items (attempt_id, position, question_id, domain, content_hash, layout, scored)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                )
                .map_err(sql)?;
            let mut touched_item = None;
            let untouched = ItemState::default();
            for (position, (item, hash)) in new.items.iter().zip(new.content_hashes).enumerate() {
                let paper = params![
                    id,
                    position as i64,
                    item.question_id,
                    item.domain,
                    hash,
                    to_json(&item.layout),
                    item.scored
                ];
                let Some(state) = new.states.get(position).filter(|state| **state != untouched) else {
                    untouched_item.execute(paper).map_err(sql)?;
                    continue;
                };
                let insert = match &mut touched_item {
                    Some(insert) => insert,
                    None => touched_item.insert(
                        tx.prepare(
                            "INSERT INTO attempt_items
                             (attempt_id, position, question_id, domain, content_hash, layout, scored, answer,
                              flagged, struck, millis, seen_at, confidence)
                             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
                        )
                        .map_err(sql)?,
                    ),
                };
                let columns = StateColumns::of(state);
                insert.execute(bind(paper, &columns.values()).as_slice()).map_err(sql)?;
            }
        }
        tx.commit().map_err(sql)?;
        self.settle_wal()?;
        Ok(id)
    }

    /// Saves the position, the clock tick and the given items' states in one transaction.
    pub fn save_progress(
        &mut self,
        id: i64,
        position: usize,
        last_tick: Millis,
        items: &[(usize, &ItemState)],
    ) -> Result<(), StoreError> {
        self.write_progress(id, position, last_tick, items, false)
    }

    /// `save_progress`, and lets go of the attempt in the same transaction (after `quit`),
    /// so it can be resumed anywhere.
    pub fn save_and_release(
        &mut self,
        id: i64,
        position: usize,
        last_tick: Millis,
        items: &[(usize, &ItemState)],
    ) -> Result<(), StoreError> {
        self.write_progress(id, position, last_tick, items, true)
    }

    fn write_progress(
        &mut self,
        id: i64,
        position: usize,
        last_tick: Millis,
        items: &[(usize, &ItemState)],
        release: bool,
    ) -> Result<(), StoreError> {
        let path = self.path.clone();
        let sql = |source| classify(&path, source);
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(sql)?;
        check_owner(&tx, id, &self.owner.token, &path)?;
        tx.execute(
            "UPDATE attempts SET position = ?2, last_tick = ?3 WHERE id = ?1 AND finished_at IS NULL",
            params![id, position as i64, last_tick as i64],
        )
        .map_err(sql)?;
        {
            let mut update = tx
                .prepare(
                    "UPDATE attempt_items SET answer = ?3, flagged = ?4, struck = ?5, millis = ?6, seen_at = ?7,
                            confidence = ?8
                     WHERE attempt_id = ?1 AND position = ?2",
                )
                .map_err(sql)?;
            for (position, state) in items {
                let columns = StateColumns::of(state);
                update
                    .execute(bind(params![id, *position as i64], &columns.values()).as_slice())
                    .map_err(sql)?;
            }
        }
        if release {
            tx.execute(
                "DELETE FROM attempt_owners WHERE attempt_id = ?1 AND token = ?2",
                params![id, self.owner.token],
            )
            .map_err(sql)?;
        }
        tx.commit().map_err(sql)?;
        self.settle_wal()?;
        Ok(())
    }

    /// Marks the attempt finished, with every item's final state and whether it was
    /// correct, and writes the review-queue cards that `plan` derives from the queue as it
    /// stands: all in one IMMEDIATE transaction, so the queue read is the one written over
    /// (attempts finishing at the same moment each count their reviews).
    pub fn finish(
        &mut self,
        id: i64,
        finished_at: Millis,
        reason: EndReason,
        items: &[(&ItemState, bool)],
        plan: impl FnOnce(&[Card]) -> Vec<Card>,
    ) -> Result<(), StoreError> {
        let path = self.path.clone();
        let sql = |source| classify(&path, source);
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(sql)?;
        check_owner(&tx, id, &self.owner.token, &path)?;
        let exam: String =
            tx.query_row("SELECT exam FROM attempts WHERE id = ?1", [id], |r| r.get(0)).map_err(sql)?;
        let existing = super::queries::cards_in(&tx, Some(&exam)).map_err(sql)?;
        let cards = plan(&existing);
        {
            let mut update = tx
                .prepare(
                    "UPDATE attempt_items SET correct = ?3, answer = ?4, flagged = ?5, struck = ?6, millis = ?7,
                            seen_at = ?8, confidence = ?9
                     WHERE attempt_id = ?1 AND position = ?2",
                )
                .map_err(sql)?;
            for (position, (state, correct)) in items.iter().enumerate() {
                let columns = StateColumns::of(state);
                update
                    .execute(bind(params![id, position as i64, correct], &columns.values()).as_slice())
                    .map_err(sql)?;
            }
        }
        tx.execute(
            "UPDATE attempts SET finished_at = ?2, end_reason = ?3 WHERE id = ?1",
            params![id, finished_at as i64, reason.as_str()],
        )
        .map_err(sql)?;
        // The running totals change with the items, in this transaction.
        super::totals::add_finished(&tx, id).map_err(sql)?;
        // Finished: nobody runs it any more.
        tx.execute("DELETE FROM attempt_owners WHERE attempt_id = ?1", [id]).map_err(sql)?;
        {
            let mut upsert = tx
                .prepare(
                    "INSERT OR REPLACE INTO review_cards
                     (exam, question_id, stability, difficulty, due_at, last_review_at, reviews, lapses, learned,
                      confident_error)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                )
                .map_err(sql)?;
            for c in &cards {
                upsert
                    .execute(params![
                        c.exam,
                        c.question_id,
                        f64::from(c.stability),
                        f64::from(c.difficulty),
                        c.due_at as i64,
                        c.last_review_at as i64,
                        c.reviews,
                        c.lapses,
                        c.learned,
                        c.confident_error
                    ])
                    .map_err(sql)?;
            }
        }
        tx.commit().map_err(sql)?;
        self.settle_wal()?;
        Ok(())
    }

    /// Forgets an unfinished attempt entirely (a drill or review left before any answer); it
    /// has no running totals yet (they are kept at `finish`).
    pub fn delete_attempt(&mut self, id: i64) -> Result<(), StoreError> {
        let path = self.path.clone();
        let sql = |source| classify(&path, source);
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(sql)?;
        check_owner(&tx, id, &self.owner.token, &path)?;
        tx.execute("DELETE FROM attempt_owners WHERE attempt_id = ?1", [id]).map_err(sql)?;
        tx.execute("DELETE FROM attempt_items WHERE attempt_id = ?1", [id]).map_err(sql)?;
        tx.execute("DELETE FROM attempts WHERE id = ?1 AND finished_at IS NULL", [id]).map_err(sql)?;
        tx.commit().map_err(sql)?;
        self.settle_wal()?;
        Ok(())
    }

    /// Takes the attempt for this process (on resume). Refused while another live session
    /// holds it: one on this machine whose process still runs, or one on another machine
    /// (a shared data folder) unless `take_over` says that session is gone.
    pub fn claim(&mut self, id: i64, take_over: bool, now: Millis) -> Result<(), StoreError> {
        let path = self.path.clone();
        let sql = |source| classify(&path, source);
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(sql)?;
        let holder: Option<(String, u32, String)> = tx
            .query_row("SELECT token, pid, host FROM attempt_owners WHERE attempt_id = ?1", [id], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })
            .optional()
            .map_err(sql)?;
        if let Some((token, pid, host)) = holder
            && token != self.owner.token
        {
            let here = host == self.owner.host;
            let alive = if here { super::process_alive(pid) && pid != self.owner.pid } else { !take_over };
            if alive {
                let holder = if here {
                    format!("process {pid} on this machine")
                } else {
                    format!("process {pid} on {}", crate::text::printable_line(&host))
                };
                let hint = if here {
                    String::new()
                } else {
                    format!("; if that session is gone, `proctor resume {id} --take-over`")
                };
                return Err(StoreError::OpenElsewhere { id, holder, hint });
            }
        }
        tx.execute(
            "INSERT OR REPLACE INTO attempt_owners (attempt_id, token, pid, host, since) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![id, self.owner.token, self.owner.pid, self.owner.host, now as i64],
        )
        .map_err(sql)?;
        tx.commit().map_err(sql)?;
        self.settle_wal()?;
        Ok(())
    }

    /// Whether attempt `id` is finished; `None` when there is no such attempt.
    pub fn is_finished(&self, id: i64) -> Result<Option<bool>, StoreError> {
        self.conn
            .query_row("SELECT finished_at IS NOT NULL FROM attempts WHERE id = ?1", [id], |r| r.get(0))
            .optional()
            .map_err(|e| self.classify(e))
    }

    /// The newest unfinished attempt, optionally only of one exam and mode.
    pub fn latest_unfinished(
        &self,
        exam: Option<&str>,
        mode: Option<crate::model::Mode>,
    ) -> Result<Option<i64>, StoreError> {
        self.conn
            .query_row(
                "SELECT id FROM attempts
                 WHERE finished_at IS NULL AND exam = coalesce(?1, exam) AND mode = coalesce(?2, mode)
                 ORDER BY started_at DESC, id DESC LIMIT 1",
                [exam, mode.map(|m| m.as_str())],
                |r| r.get(0),
            )
            .optional()
            .map_err(self.sql())
    }

    pub fn load(&self, id: i64) -> Result<StoredAttempt, StoreError> {
        let row = self
            .conn
            .query_row(
                "SELECT id, exam, mode, seed, started_at, finished_at, end_reason, time_limit_ms,
                        deadline, position, last_tick, hide_domain, seen_before, retake_of
                 FROM attempts WHERE id = ?1",
                [id],
                |r| {
                    let millis = |v: i64| v.max(0) as u64;
                    Ok((
                        attempt_header(r)?,
                        r.get::<_, Option<i64>>(8)?.map(millis),
                        r.get::<_, i64>(9)?,
                        millis(r.get(10)?),
                        r.get::<_, bool>(11)?,
                        r.get::<_, Option<u32>>(12)?,
                        r.get::<_, Option<i64>>(13)?,
                    ))
                },
            )
            .optional()
            .map_err(self.sql())?;
        let Some((header, deadline, position, last_tick, hide_domain, seen_before, retake_of)) = row else {
            return Err(StoreError::NoSuchAttempt(id));
        };
        let bad = |detail: &str| StoreError::BadAttempt { id, detail: detail.to_string() };
        let mut statement = self
            .conn
            .prepare(
                "SELECT question_id, domain, content_hash, layout, scored, answer, flagged, struck, millis, seen_at,
                        confidence
                 FROM attempt_items WHERE attempt_id = ?1 ORDER BY position",
            )
            .map_err(self.sql())?;
        let rows = statement
            .query_map([id], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, bool>(4)?,
                    r.get::<_, Option<String>>(5)?,
                    r.get::<_, bool>(6)?,
                    r.get::<_, String>(7)?,
                    r.get::<_, i64>(8)?,
                    r.get::<_, Option<i64>>(9)?,
                    r.get::<_, Option<String>>(10)?,
                ))
            })
            .map_err(self.sql())?;
        let mut items = Vec::new();
        for row in rows {
            let (
                question_id,
                domain,
                content_hash,
                layout,
                scored,
                answer,
                flagged,
                struck,
                millis,
                seen_at,
                confidence,
            ) = row.map_err(self.sql())?;
            let layout: Layout = serde_json::from_str(&layout).map_err(|_| bad("unreadable layout"))?;
            let response: Option<Response> = match answer {
                Some(text) => Some(serde_json::from_str(&text).map_err(|_| bad("unreadable answer"))?),
                None => None,
            };
            let struck = split(&struck).ok_or_else(|| bad("unreadable strikes"))?;
            items.push(StoredItem {
                paper: PaperItem { question_id, domain, layout, scored },
                content_hash,
                state: ItemState {
                    response,
                    flagged,
                    struck,
                    millis: millis.max(0) as u64,
                    seen_at: seen_at.map(|t| t.max(0) as u64),
                    confidence: confidence.as_deref().and_then(crate::model::Confidence::parse),
                },
            });
        }
        if items.is_empty() || position < 0 || position as usize >= items.len() {
            return Err(bad("no questions, or a position outside them"));
        }
        let finished = match (header.finished_at, header.end_reason) {
            (Some(at), Some(reason)) => Some((at, reason)),
            _ => None,
        };
        Ok(StoredAttempt {
            id,
            exam: header.exam,
            mode: header.mode,
            seed: header.seed,
            started_at: header.started_at,
            deadline,
            time_limit_ms: header.time_limit_ms,
            position: position as usize,
            last_tick,
            finished,
            hide_domain,
            seen_before,
            retake_of,
            items,
        })
    }

    /// The scored questions an attempt got wrong, in paper order.
    pub fn attempt_missed(&self, id: i64) -> Result<Vec<String>, StoreError> {
        let mut statement = self
            .conn
            .prepare(
                "SELECT question_id FROM attempt_items
                 WHERE attempt_id = ?1 AND scored AND NOT coalesce(correct, 0) ORDER BY position",
            )
            .map_err(self.sql())?;
        let rows = statement.query_map([id], |r| r.get(0)).map_err(self.sql())?;
        rows.collect::<Result<_, _>>().map_err(self.sql())
    }
}
