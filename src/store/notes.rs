//! Notes on questions: written by the session that runs an attempt (`report TEXT`), read
//! by `proctor notes` for the bank's authors.

use rusqlite::{TransactionBehavior, params};

use super::attempts::check_owner;
use super::{Store, StoreError, classify};
use crate::exam::clock::Millis;
use crate::model::{Mode, Note};

/// What a new note records (its text already cleaned and bounded by the application layer).
pub struct NewNote<'a> {
    pub attempt: i64,
    pub exam: &'a str,
    pub question_id: &'a str,
    pub mode: Mode,
    pub content_hash: &'a str,
    pub created_at: Millis,
    pub text: &'a str,
}

impl Store {
    /// Records a note on a question of attempt `note.attempt`, which this session must
    /// still own (as for every other write of a session); returns the note's id.
    pub fn add_note(&mut self, note: &NewNote) -> Result<i64, StoreError> {
        let path = self.path.clone();
        let sql = |source| classify(&path, source);
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(sql)?;
        check_owner(&tx, note.attempt, &self.owner.token, &path)?;
        tx.execute(
            "INSERT INTO question_notes (exam, question_id, attempt_id, mode, content_hash, created_at, text)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                note.exam,
                note.question_id,
                note.attempt,
                note.mode.as_str(),
                note.content_hash,
                note.created_at as i64,
                note.text
            ],
        )
        .map_err(sql)?;
        let id = tx.last_insert_rowid();
        tx.commit().map_err(sql)?;
        self.settle_wal()?;
        Ok(id)
    }

    /// How many notes were written in attempt `id`.
    pub fn note_count(&self, id: i64) -> Result<usize, StoreError> {
        self.conn
            .query_row("SELECT count(*) FROM question_notes WHERE attempt_id = ?1", [id], |r| r.get(0))
            .map_err(self.sql())
    }

    /// The notes, of one exam or of all, newest first.
    pub fn notes(&self, exam: Option<&str>) -> Result<Vec<Note>, StoreError> {
        let mut statement = self
            .conn
            .prepare(
                "SELECT id, exam, question_id, attempt_id, mode, content_hash, created_at, text
                 FROM question_notes WHERE ?1 IS NULL OR exam = ?1 ORDER BY created_at DESC, id DESC",
            )
            .map_err(self.sql())?;
        let rows = statement
            .query_map([exam], |r| {
                let mode: String = r.get(4)?;
                Ok(Note {
                    id: r.get(0)?,
                    exam: r.get(1)?,
                    question_id: r.get(2)?,
                    attempt: r.get(3)?,
                    // A value proctor never writes means the file was changed by something else.
                    mode: Mode::parse(&mode).ok_or_else(|| {
                        rusqlite::Error::FromSqlConversionFailure(
                            4,
                            rusqlite::types::Type::Text,
                            "unknown attempt mode".into(),
                        )
                    })?,
                    content_hash: r.get(5)?,
                    created_at: r.get::<_, i64>(6)?.max(0) as u64,
                    text: r.get(7)?,
                })
            })
            .map_err(self.sql())?;
        rows.collect::<Result<_, _>>().map_err(self.sql())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exam::assemble::PaperItem;
    use crate::exam::item::Layout;
    use crate::store::NewAttempt;

    fn attempt(store: &mut Store, mode: Mode, at: Millis) -> i64 {
        let items = vec![PaperItem {
            question_id: "q0".into(),
            domain: "d".into(),
            layout: Layout::Choice { order: vec![0, 1, 2, 3] },
            scored: true,
        }];
        store
            .create_attempt(&NewAttempt {
                exam: "t",
                mode,
                seed: 1,
                started_at: at,
                deadline: None,
                time_limit_ms: None,
                items: &items,
                content_hashes: &["h".to_string()],
                hide_domain: false,
                seen_before: None,
                retake_of: None,
                states: &[],
                position: 0,
                last_tick: at,
                released: false,
            })
            .unwrap()
    }

    fn note<'a>(attempt: i64, exam: &'a str, at: Millis, text: &'a str) -> NewNote<'a> {
        NewNote {
            attempt,
            exam,
            question_id: "q0",
            mode: Mode::Drill,
            content_hash: "h",
            created_at: at,
            text,
        }
    }

    #[test]
    fn notes_are_listed_newest_first_and_outlive_a_discarded_attempt() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(dir.path()).unwrap();
        let first = attempt(&mut store, Mode::Drill, 10);
        store.add_note(&note(first, "t", 20, "older")).unwrap();
        let second = attempt(&mut store, Mode::Drill, 30);
        store.add_note(&note(second, "t", 40, "newer")).unwrap();
        store.add_note(&note(second, "other", 50, "elsewhere")).unwrap();
        let texts = |notes: Vec<Note>| notes.into_iter().map(|n| n.text).collect::<Vec<_>>();
        assert_eq!(texts(store.notes(None).unwrap()), ["elsewhere", "newer", "older"]);
        assert_eq!(texts(store.notes(Some("t")).unwrap()), ["newer", "older"]);
        assert_eq!((store.note_count(first).unwrap(), store.note_count(second).unwrap()), (1, 2));
        // A drill left before any answer is forgotten; the note stays, without its attempt.
        store.delete_attempt(first).unwrap();
        let notes = store.notes(Some("t")).unwrap();
        assert_eq!(notes[1].attempt, None);
        assert_eq!(notes[0].attempt, Some(second));
        assert_eq!((notes[0].mode, notes[0].created_at), (Mode::Drill, 40));
    }

    #[test]
    fn a_session_that_lost_its_attempt_writes_no_note() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(dir.path()).unwrap();
        let id = attempt(&mut store, Mode::Exam, 10);
        store.save_and_release(id, 0, 10, &[]).unwrap();
        let err = store.add_note(&note(id, "t", 20, "late")).unwrap_err();
        assert!(matches!(err, StoreError::LostOwnership { .. }), "{err}");
        assert!(store.notes(None).unwrap().is_empty());
    }
}
