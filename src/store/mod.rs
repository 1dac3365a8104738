//! The attempt store: SQLite (bundled) in the data folder. Every change to an attempt is
//! committed (WAL, synchronous=FULL) before the next prompt, so `kill -9` loses at most
//! the command in flight; two processes may write at once (SQLite locks, with a busy
//! timeout). A file that is not ours is reported and never modified.
//!
//! `attempts` writes and reads one attempt; `totals` keeps the running totals at `finish`;
//! `queries` reads across attempts; `notes` keeps the candidates' notes on questions.

mod attempts;
mod notes;
mod queries;
mod totals;

pub use notes::NewNote;

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, TransactionBehavior};

use crate::exam::assemble::PaperItem;
use crate::exam::clock::Millis;
use crate::exam::session::ItemState;
use crate::model::{AttemptSummary, EndReason, Mode};

/// Marks a SQLite file as proctor's (`PRAGMA application_id`): "PRCT".
const APPLICATION_ID: i64 = 0x5052_4354;
pub const DATABASE_FILE: &str = "proctor.db";

/// The migration that adds the running totals (its index in `MIGRATIONS`, so its number
/// minus one): the version a store from before them has.
const TOTALS_MIGRATION: usize = 9;
/// The same for the running sums (migration 12).
const SUMS_MIGRATION: usize = 11;

/// Schema migrations, applied in order; `PRAGMA user_version` counts those applied.
const MIGRATIONS: &[&str] = &[
    // 1: attempts and the questions placed on each.
    "CREATE TABLE attempts (
        id INTEGER PRIMARY KEY,
        exam TEXT NOT NULL,
        mode TEXT NOT NULL,
        seed INTEGER NOT NULL,
        engine_version TEXT NOT NULL,
        started_at INTEGER NOT NULL,
        deadline INTEGER,
        time_limit_ms INTEGER,
        position INTEGER NOT NULL DEFAULT 0,
        last_tick INTEGER NOT NULL,
        finished_at INTEGER,
        end_reason TEXT
    );
    CREATE TABLE attempt_items (
        attempt_id INTEGER NOT NULL REFERENCES attempts(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        question_id TEXT NOT NULL,
        domain TEXT NOT NULL,
        content_hash TEXT NOT NULL,
        option_order TEXT NOT NULL,
        scored INTEGER NOT NULL,
        response TEXT NOT NULL DEFAULT '',
        flagged INTEGER NOT NULL DEFAULT 0,
        struck TEXT NOT NULL DEFAULT '',
        millis INTEGER NOT NULL DEFAULT 0,
        correct INTEGER,
        PRIMARY KEY (attempt_id, position)
    );
    CREATE INDEX attempts_by_exam ON attempts(exam, started_at);
    CREATE INDEX items_by_question ON attempt_items(question_id);",
    // 2: the spaced-repetition queue of missed questions.
    "CREATE TABLE review_cards (
        exam TEXT NOT NULL,
        question_id TEXT NOT NULL,
        stability REAL NOT NULL,
        difficulty REAL NOT NULL,
        due_at INTEGER NOT NULL,
        last_review_at INTEGER NOT NULL,
        reviews INTEGER NOT NULL,
        lapses INTEGER NOT NULL,
        learned INTEGER NOT NULL,
        PRIMARY KEY (exam, question_id)
    );
    CREATE INDEX cards_by_due ON review_cards(learned, due_at);",
    // 3: remember --hide-domain, so `resume` keeps it.
    "ALTER TABLE attempts ADD COLUMN hide_domain INTEGER NOT NULL DEFAULT 0;",
    // 4: question kinds as data. The layout and the answer become JSON that can hold every
    // kind ({"choice":{"order":[2,0,1,3]}}, {"choice":[0,2]}); "seen" is recorded when a
    // question is put on screen (older attempts: taken as seen when time was spent on it
    // or it was answered, as proctor inferred before). The index no query used goes.
    "ALTER TABLE attempt_items ADD COLUMN layout TEXT NOT NULL DEFAULT '';
    ALTER TABLE attempt_items ADD COLUMN answer TEXT;
    ALTER TABLE attempt_items ADD COLUMN seen_at INTEGER;
    UPDATE attempt_items SET layout = '{\"choice\":{\"order\":[' || option_order || ']}}';
    UPDATE attempt_items SET answer = '{\"choice\":[' || response || ']}' WHERE response != '';
    UPDATE attempt_items SET seen_at = (SELECT started_at FROM attempts WHERE id = attempt_id)
        WHERE millis > 0 OR response != '';
    DROP INDEX items_by_question;
    ALTER TABLE attempt_items DROP COLUMN option_order;
    ALTER TABLE attempt_items DROP COLUMN response;",
    // 5: one live session per attempt. The owner row names the process that runs the
    // attempt; every write checks it, so a stale session can never overwrite a newer one.
    "CREATE TABLE attempt_owners (
        attempt_id INTEGER PRIMARY KEY REFERENCES attempts(id) ON DELETE CASCADE,
        token TEXT NOT NULL,
        pid INTEGER NOT NULL,
        host TEXT NOT NULL,
        since INTEGER NOT NULL
    );",
    // 6: how sure the candidate was of each answer, and misconceptions in the queue.
    "ALTER TABLE attempt_items ADD COLUMN confidence TEXT;
    ALTER TABLE review_cards ADD COLUMN confident_error INTEGER NOT NULL DEFAULT 0;",
    // 7: a mock exam drawn unseen-first records how much had been seen (NULL: seed alone).
    "ALTER TABLE attempts ADD COLUMN seen_before INTEGER;",
    // 8: an `exam --missed` paper names the attempt it retakes (its seed alone does not
    // give it again).
    "ALTER TABLE attempts ADD COLUMN retake_of INTEGER;",
    // 9: notes on questions (`report TEXT` in a session), for the bank's authors. A note
    // outlives its attempt (a drill left before any answer is forgotten, its note is not).
    "CREATE TABLE question_notes (
        id INTEGER PRIMARY KEY,
        exam TEXT NOT NULL,
        question_id TEXT NOT NULL,
        attempt_id INTEGER REFERENCES attempts(id) ON DELETE SET NULL,
        mode TEXT NOT NULL,
        content_hash TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        text TEXT NOT NULL
    );
    CREATE INDEX notes_by_exam ON question_notes(exam, created_at);",
    // 10: running totals, kept at `finish` in the same transaction as the items, so `stats`,
    // `history`, readiness, fresh papers and drills read O(bank + attempts) rows, never every
    // answer (docs/architecture.md, "Running totals"). Backfilled from the finished items.
    "CREATE TABLE attempt_totals (
        attempt_id INTEGER PRIMARY KEY REFERENCES attempts(id) ON DELETE CASCADE,
        questions INTEGER NOT NULL,
        scored INTEGER NOT NULL,
        correct INTEGER NOT NULL,
        answered INTEGER NOT NULL,
        answered_millis INTEGER NOT NULL
    );
    CREATE TABLE domain_totals (
        exam TEXT NOT NULL,
        attempt_id INTEGER NOT NULL,
        domain TEXT NOT NULL,
        new_right INTEGER NOT NULL,
        new_wrong INTEGER NOT NULL,
        repeat_right INTEGER NOT NULL,
        repeat_wrong INTEGER NOT NULL,
        PRIMARY KEY (exam, attempt_id, domain)
    ) WITHOUT ROWID;
    CREATE TABLE question_totals (
        exam TEXT NOT NULL,
        question_id TEXT NOT NULL,
        domain TEXT NOT NULL,
        seen INTEGER NOT NULL,
        answered INTEGER NOT NULL,
        missed INTEGER NOT NULL,
        last_seen_at INTEGER,
        last_seen_attempt INTEGER,
        last_seen_position INTEGER,
        last_correct INTEGER,
        first_attempt INTEGER,
        first_started INTEGER,
        first_domain TEXT,
        first_correct INTEGER,
        PRIMARY KEY (exam, question_id)
    ) WITHOUT ROWID;
    INSERT INTO attempt_totals
        SELECT a.id, count(i.position), coalesce(sum(i.scored), 0),
               coalesce(sum(i.scored AND coalesce(i.correct, 0)), 0), coalesce(sum(i.answer IS NOT NULL), 0),
               coalesce(sum(CASE WHEN i.answer IS NOT NULL THEN i.millis ELSE 0 END), 0)
        FROM attempts a LEFT JOIN attempt_items i ON i.attempt_id = a.id
        WHERE a.finished_at IS NOT NULL GROUP BY a.id;
    CREATE TEMP TABLE totals_items AS
        SELECT a.exam, a.id AS attempt, a.started_at AS started, a.mode, i.position, i.question_id, i.domain,
               i.scored, i.answer IS NOT NULL AS answered, coalesce(i.correct, 0) AS correct, i.seen_at
        FROM attempts a JOIN attempt_items i ON i.attempt_id = a.id WHERE a.finished_at IS NOT NULL;
    CREATE TEMP TABLE totals_first AS
        SELECT exam, question_id, attempt, started, domain, correct FROM (
            SELECT *, row_number() OVER (PARTITION BY exam, question_id ORDER BY started, attempt) AS n
            FROM totals_items WHERE scored AND answered)
        WHERE n = 1;
    CREATE UNIQUE INDEX temp.totals_first_by_question ON totals_first(exam, question_id);
    CREATE TEMP TABLE totals_last AS
        SELECT exam, question_id, seen_at, attempt, position, correct FROM (
            SELECT *, row_number() OVER (PARTITION BY exam, question_id
                                         ORDER BY seen_at DESC, attempt DESC, position DESC) AS n
            FROM totals_items WHERE seen_at IS NOT NULL)
        WHERE n = 1;
    CREATE UNIQUE INDEX temp.totals_last_by_question ON totals_last(exam, question_id);
    INSERT INTO domain_totals
        SELECT i.exam, i.attempt, i.domain,
               sum(f.attempt = i.attempt AND i.correct), sum(f.attempt = i.attempt AND NOT i.correct),
               sum(f.attempt != i.attempt AND i.correct), sum(f.attempt != i.attempt AND NOT i.correct)
        FROM totals_items i JOIN totals_first f ON f.exam = i.exam AND f.question_id = i.question_id
        WHERE i.scored AND i.answered
        GROUP BY i.exam, i.attempt, i.domain;
    INSERT INTO question_totals
        SELECT g.exam, g.question_id, g.domain, g.seen, g.answered, g.missed,
               l.seen_at, l.attempt, l.position, l.correct, f.attempt, f.started, f.domain, f.correct
        FROM (SELECT exam, question_id, max(domain) AS domain, sum(answered OR seen_at IS NOT NULL) AS seen,
                     sum(mode != 'review' AND scored AND answered) AS answered,
                     sum(mode != 'review' AND scored AND answered AND NOT correct) AS missed
              FROM totals_items GROUP BY exam, question_id) g
        LEFT JOIN totals_last l ON l.exam = g.exam AND l.question_id = g.question_id
        LEFT JOIN totals_first f ON f.exam = g.exam AND f.question_id = g.question_id;
    DROP TABLE temp.totals_items;
    DROP TABLE temp.totals_first;
    DROP TABLE temp.totals_last;",
    // 11: `history` reads only the attempts it shows (the newest, `LIMIT`) and names the
    // newest open one: an index on start time walks them newest first without sorting every
    // attempt, and a partial one holds only the unfinished attempts (a handful).
    // (IF NOT EXISTS: `forget_totals` takes a store back to 9 with these kept.)
    "CREATE INDEX IF NOT EXISTS attempts_by_start ON attempts(started_at);
    CREATE INDEX IF NOT EXISTS attempts_open ON attempts(started_at) WHERE finished_at IS NULL;",
    // 12: per-exam running sums, kept at `finish` with the totals, so `stats` and the report
    // after a mock exam read O(groups × domains) rows plus the newest few attempts, never
    // every attempt (docs/architecture.md, "Running sums"). A group is (mode, time limit,
    // mostly unanswered): what readiness's exclusions need; a time limit of -1 is none. The
    // weights are `model::Decayed`'s. Backfilled from the totals by `totals::backfill_sums`
    // (Rust: SQLite here has no exp2). The partial indexes walk the finished mock exams
    // newest first, by start (the trend) and by id (the excluded ones).
    "CREATE TABLE IF NOT EXISTS exam_group_sums (
        exam TEXT NOT NULL,
        mode TEXT NOT NULL,
        time_limit_ms INTEGER NOT NULL,
        mostly_unanswered INTEGER NOT NULL,
        attempts INTEGER NOT NULL,
        scored_attempts INTEGER NOT NULL,
        answered INTEGER NOT NULL,
        answered_millis INTEGER NOT NULL,
        newest_started INTEGER NOT NULL,
        PRIMARY KEY (exam, mode, time_limit_ms, mostly_unanswered)
    ) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS exam_domain_sums (
        exam TEXT NOT NULL,
        mode TEXT NOT NULL,
        time_limit_ms INTEGER NOT NULL,
        mostly_unanswered INTEGER NOT NULL,
        domain TEXT NOT NULL,
        answered INTEGER NOT NULL,
        correct INTEGER NOT NULL,
        t0 INTEGER NOT NULL,
        new_right REAL NOT NULL,
        new_wrong REAL NOT NULL,
        repeat_right REAL NOT NULL,
        repeat_wrong REAL NOT NULL,
        PRIMARY KEY (exam, mode, time_limit_ms, mostly_unanswered, domain)
    ) WITHOUT ROWID;
    DELETE FROM exam_group_sums;
    DELETE FROM exam_domain_sums;
    CREATE INDEX IF NOT EXISTS attempts_mock_by_start ON attempts(exam, started_at)
        WHERE mode = 'exam' AND finished_at IS NOT NULL;
    CREATE INDEX IF NOT EXISTS attempts_mock_by_id ON attempts(exam, id)
        WHERE mode = 'exam' AND finished_at IS NOT NULL;",
];

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot create the data folder {path}: {source}")]
    CreateDir { path: PathBuf, source: std::io::Error },
    #[error(
        "{path} is damaged or not a proctor database ({detail}); it was left untouched. \
         Move it aside to start a new history, or use --data-dir"
    )]
    Damaged { path: PathBuf, detail: String },
    #[error(
        "{path} was written by a newer proctor (schema {found}, this one knows {known}); it was left untouched"
    )]
    TooNew { path: PathBuf, found: i64, known: i64 },
    #[error(
        "{path} cannot be written (the file or its folder is read-only); use --data-dir to keep history elsewhere"
    )]
    ReadOnly { path: PathBuf },
    #[error(
        "the disk holding {path} is full: nothing more could be saved, and what was saved before is kept; free some space and run the command again"
    )]
    DiskFull { path: PathBuf },
    #[error("{path} is not a folder; set PROCTOR_DATA_DIR or --data-dir to a folder")]
    NotAFolder { path: PathBuf },
    #[error("cannot make the new history files in {path} durable (syncing the folder failed: {source})")]
    Sync { path: PathBuf, source: std::io::Error },
    #[error("history database {path}: {source}")]
    Sql { path: PathBuf, source: rusqlite::Error },
    #[error("no attempt {0}; `proctor history` lists them")]
    NoSuchAttempt(i64),
    #[error("no unfinished attempt to resume")]
    NothingToResume,
    #[error("attempt {0} is already finished; `proctor show {0}` walks through it")]
    AlreadyFinished(i64),
    #[error("attempt {id} is damaged: {detail}")]
    BadAttempt { id: i64, detail: String },
    #[error("attempt {id} is open in another proctor ({holder}); finish or quit it there first{hint}")]
    OpenElsewhere { id: i64, holder: String, hint: String },
    #[error(
        "attempt {id} was taken over by another proctor session, so this one stopped; nothing it did after that was saved. Continue it where it is open now"
    )]
    LostOwnership { id: i64 },
}

/// An attempt as stored: enough to rebuild its paper and session.
#[derive(Debug, Clone)]
pub struct StoredAttempt {
    pub id: i64,
    pub exam: String,
    pub mode: Mode,
    pub seed: u64,
    pub started_at: Millis,
    pub deadline: Option<Millis>,
    pub time_limit_ms: Option<Millis>,
    pub position: usize,
    pub last_tick: Millis,
    pub finished: Option<(Millis, EndReason)>,
    pub hide_domain: bool,
    pub seen_before: Option<u32>,
    pub retake_of: Option<i64>,
    pub items: Vec<StoredItem>,
}

#[derive(Debug, Clone)]
pub struct StoredItem {
    pub paper: PaperItem,
    pub content_hash: String,
    pub state: ItemState,
}

/// What a new attempt starts with.
pub struct NewAttempt<'a> {
    pub exam: &'a str,
    pub mode: Mode,
    pub seed: u64,
    pub started_at: Millis,
    pub deadline: Option<Millis>,
    pub time_limit_ms: Option<Millis>,
    pub items: &'a [PaperItem],
    pub content_hashes: &'a [String],
    pub hide_domain: bool,
    /// How many questions had been seen when a mock exam was drawn unseen-first.
    pub seen_before: Option<u32>,
    /// `exam --missed`: the attempt whose misses this paper retakes.
    pub retake_of: Option<i64>,
    /// Where the attempt stands when it is written: each item's state (an item past the
    /// end of `states` is unanswered and unseen), the question on screen and the clock's
    /// last tick. An attempt written at its first change (`Attempt::begin_on_screen`)
    /// carries that change here, in the one transaction that creates it.
    pub states: &'a [ItemState],
    pub position: usize,
    pub last_tick: Millis,
    /// Written as it is left (`quit` was the first change): no session holds it.
    pub released: bool,
}

pub struct Store {
    conn: Connection,
    path: PathBuf,
    /// This process's claim on the attempts it runs (see `attempts::claim`).
    owner: Owner,
    /// The schema is exactly the one the migrations make (`SCHEMA_DIGEST`).
    schema_as_made: bool,
}

/// How long a write waits for another process's lock before it reports the store busy.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// The WAL's size in frames (pages) at which a commit is followed by a checkpoint. A
/// process that opens the store while no other has it open first reads the whole WAL
/// back (SQLite cannot trust a wal-index it did not build), so it is kept short: 128 pages, 512 KiB, instead of
/// SQLite's 1,000.
const WAL_CHECKPOINT_FRAMES: i32 = 128;

thread_local! {
    /// Set by `checkpoint_after_commit` when it copied the whole WAL; taken by `settle_wal`
    /// right after the commit, on the same thread.
    static WAL_CHECKPOINTED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// SQLite's automatic checkpoint (which this hook replaces), with its outcome kept for
/// `settle_wal`: a PASSIVE checkpoint once the WAL holds `WAL_CHECKPOINT_FRAMES` frames,
/// which never waits for other processes. Its errors are left to the next commit's try:
/// returned, they would fail a commit that is already durable.
fn checkpoint_after_commit(wal: &rusqlite::hooks::Wal, frames: std::ffi::c_int) -> rusqlite::Result<()> {
    if frames >= WAL_CHECKPOINT_FRAMES
        && let Ok((log, copied)) = wal.checkpoint_v2(rusqlite::hooks::CheckpointMode::PASSIVE)
        && log > 0
        && copied == log
    {
        WAL_CHECKPOINTED.set(true);
    }
    Ok(())
}

/// BLAKE3 of the schema the migrations make, whatever version a store started from
/// (`schema_digest`): a store whose schema is this one was made by proctor and its
/// tables, indexes and their definitions were not changed since (a unit test makes a
/// store and checks this). Any other schema gets the slow checks: each statement the
/// queries use is prepared (`check_schema`), and a write-open runs SQLite's full
/// integrity check, not the quick one (`open_for_writing`).
const SCHEMA_DIGEST: &str = "af8ce20ed029f1d05c9ce6c5c8c8100364e8f110ae09ee001c5bb21b68758c02";

/// Who this process is, as the owner rows record it.
#[derive(Debug, Clone)]
pub(crate) struct Owner {
    pub token: String,
    pub pid: u32,
    pub host: String,
}

impl Owner {
    fn this_process() -> Owner {
        let pid = std::process::id();
        let nanos =
            std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos());
        Owner { token: format!("{pid:x}-{nanos:x}"), pid, host: host_name() }
    }
}

#[cfg(unix)]
fn host_name() -> String {
    nix::unistd::gethostname().ok().and_then(|h| h.into_string().ok()).unwrap_or_default()
}

#[cfg(not(unix))]
fn host_name() -> String {
    std::env::var("COMPUTERNAME").unwrap_or_default()
}

/// Whether process `pid` on this machine is still running (a crashed session's claim
/// lapses with it).
#[cfg(unix)]
pub(crate) fn process_alive(pid: u32) -> bool {
    let Ok(pid) = i32::try_from(pid) else { return false };
    match nix::sys::signal::kill(nix::unistd::Pid::from_raw(pid), None) {
        Ok(()) => true,
        // It exists but belongs to someone else: alive.
        Err(nix::errno::Errno::EPERM) => true,
        Err(_) => false,
    }
}

#[cfg(not(unix))]
pub(crate) fn process_alive(_pid: u32) -> bool {
    true
}

/// An attempt's first eight columns (id, exam, mode, seed, started_at, finished_at,
/// end_reason, time_limit_ms), with its counts left at zero.
fn attempt_header(r: &rusqlite::Row) -> rusqlite::Result<AttemptSummary> {
    let millis = |v: i64| v.max(0) as u64;
    let mode: String = r.get(2)?;
    let end_reason: Option<String> = r.get(6)?;
    // A value proctor never writes means the file was changed by something else.
    let unreadable = |column: usize, what: &str| {
        rusqlite::Error::FromSqlConversionFailure(
            column,
            rusqlite::types::Type::Text,
            what.to_string().into(),
        )
    };
    Ok(AttemptSummary {
        id: r.get(0)?,
        exam: r.get(1)?,
        mode: Mode::parse(&mode).ok_or_else(|| unreadable(2, "unknown attempt mode"))?,
        seed: r.get::<_, i64>(3)? as u64,
        started_at: millis(r.get(4)?),
        finished_at: r.get::<_, Option<i64>>(5)?.map(millis),
        end_reason: match end_reason {
            Some(text) => Some(EndReason::parse(&text).ok_or_else(|| unreadable(6, "unknown end reason"))?),
            None => None,
        },
        time_limit_ms: r.get::<_, Option<i64>>(7)?.map(millis),
        deadline: None,
        questions: 0,
        scored: 0,
        correct: 0,
        answered: 0,
        answered_millis: 0,
    })
}

fn join(values: &[usize]) -> String {
    values.iter().map(ToString::to_string).collect::<Vec<_>>().join(",")
}

fn split(text: &str) -> Option<Vec<usize>> {
    if text.is_empty() {
        return Some(Vec::new());
    }
    text.split(',').map(|v| v.parse().ok()).collect()
}

impl Store {
    /// Opens (or creates) the store in `dir`.
    pub fn open(dir: &Path) -> Result<Store, StoreError> {
        if dir.exists() && !dir.is_dir() {
            return Err(StoreError::NotAFolder { path: dir.to_path_buf() });
        }
        std::fs::create_dir_all(dir)
            .map_err(|source| StoreError::CreateDir { path: dir.to_path_buf(), source })?;
        let path = dir.join(DATABASE_FILE);
        // SQLite is built without its own folder syncs (SQLITE_DISABLE_DIRSYNC, in
        // .cargo/config.toml): it would sync the folder at the first commit of every
        // process, the WAL being opened "new" each time. The WAL is kept for the store's
        // life, so the folder is synced here, once, when the WAL (or the store) is new.
        let wal = dir.join(format!("{DATABASE_FILE}-wal"));
        let wal_was_there = wal.exists();
        let conn = Connection::open_with_flags(
            &path,
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_CREATE
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|source| StoreError::Sql { path: path.clone(), source })?;
        let mut store = Store { conn, path, owner: Owner::this_process(), schema_as_made: false };
        store.prepare()?;
        if !wal_was_there && wal.exists() {
            sync_folder(dir).map_err(|source| StoreError::Sync { path: dir.to_path_buf(), source })?;
        }
        Ok(store)
    }

    /// Opens the store for a command that only reads (history, show, stats): `None` when
    /// there is none yet, and then nothing is created (no folder, no empty database).
    pub fn open_existing(dir: &Path) -> Result<Option<Store>, StoreError> {
        if !dir.join(DATABASE_FILE).exists() {
            if dir.exists() && !dir.is_dir() {
                return Err(StoreError::NotAFolder { path: dir.to_path_buf() });
            }
            return Ok(None);
        }
        Store::open(dir).map(Some)
    }

    /// Opens the store for a command that writes (exam, drill, review, resume): as `open`,
    /// and the tables every session writes to (attempts, the review queue, the owner rows,
    /// the notes on questions) must pass SQLite's check with their indexes, so a damaged
    /// store is refused before anything is written to it, as reading commands refuse it.
    /// With the schema the migrations make (`SCHEMA_DIGEST`: no definition changed) that
    /// is `quick_check`, every page and b-tree of those tables sound; any other schema
    /// gets the full `integrity_check`, which also looks up each row's entry in each index
    /// (2.5x the time, and the part that grows fastest with the history). The per-question
    /// rows, the bulk of the file, are checked as they are read (a full check costs about
    /// 60 ms per 1,000 attempts, too much before every exam).
    pub fn open_for_writing(dir: &Path) -> Result<Store, StoreError> {
        let store = Store::open(dir)?;
        let check = if store.schema_as_made { "quick_check" } else { "integrity_check" };
        for table in ["attempts", "review_cards", "attempt_owners", "question_notes"] {
            let verdict: String = store
                .conn
                .query_row(&format!("PRAGMA {check}({table})"), [], |r| r.get(0))
                .map_err(|e| match classify(&store.path, e) {
                    StoreError::Sql { source, .. } => {
                        StoreError::Damaged { path: store.path.clone(), detail: source.to_string() }
                    }
                    other => other,
                })?;
            if verdict != "ok" {
                return Err(StoreError::Damaged {
                    path: store.path.clone(),
                    detail: format!("integrity check of {table}: {}", crate::text::printable_line(&verdict)),
                });
            }
        }
        Ok(store)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Called after each commit of this store's writes: when that commit's checkpoint
    /// (`checkpoint_after_commit`) copied the whole WAL into the database, a one-page
    /// write follows, which starts the WAL again from its first frame. Without it the WAL
    /// would grow for ever: a process that opens the store alone first reads the whole WAL
    /// back, that read-back forgets what was already checkpointed, and so only a write
    /// after a checkpoint in the same process restarts the WAL (an exam started and left
    /// writes once). The restart's errors are not the commit's (that is durable already):
    /// the next checkpoint tries again. It never waits for another process's lock: when
    /// one holds it, that process's write or a later checkpoint's restarts the WAL.
    fn settle_wal(&self) -> Result<(), StoreError> {
        if WAL_CHECKPOINTED.take() {
            self.conn.busy_timeout(Duration::ZERO).map_err(|e| self.classify(e))?;
            let _ = self.conn.execute_batch(&format!("PRAGMA application_id = {APPLICATION_ID};"));
            self.conn.busy_timeout(BUSY_TIMEOUT).map_err(|e| self.classify(e))?;
        }
        Ok(())
    }

    fn sql(&self) -> impl Fn(rusqlite::Error) -> StoreError + '_ {
        move |source| self.classify(source)
    }

    /// Checks the file is ours before anything writes to it, then migrates.
    fn prepare(&mut self) -> Result<(), StoreError> {
        let path = self.path.clone();
        self.conn.busy_timeout(BUSY_TIMEOUT).map_err(|e| self.classify(e))?;
        // Any failure to read the header means the file is not a database we can use.
        let damaged = |e: rusqlite::Error| match classify(&path, e) {
            // SQLite says "disk I/O error" when it cannot grow its files on a full disk:
            // a healthy store must not be called damaged for that.
            StoreError::Sql { .. } if disk_is_full(&path) => StoreError::DiskFull { path: path.clone() },
            StoreError::Sql { source, .. } => {
                StoreError::Damaged { path: path.clone(), detail: source.to_string() }
            }
            other => other,
        };
        // Reading the header is the first thing that touches the file: a file that is not
        // SQLite fails here ("file is not a database") before anything is written. One read
        // transaction, so another process's first migration is seen whole or not at all.
        let (app_id, version, tables, digest) = {
            let tx = self.conn.transaction().map_err(damaged)?;
            let read = |sql: &str| tx.query_row(sql, [], |r| r.get::<_, i64>(0)).map_err(damaged);
            let found = (
                read("PRAGMA application_id")?,
                read("PRAGMA user_version")?,
                read("SELECT count(*) FROM sqlite_schema")?,
                schema_digest(&tx).map_err(damaged)?,
            );
            tx.commit().map_err(damaged)?;
            found
        };
        let fresh = app_id == 0 && version == 0 && tables == 0;
        if !fresh && app_id != APPLICATION_ID {
            return Err(StoreError::Damaged {
                path: path.clone(),
                detail: "a SQLite database that another program owns".into(),
            });
        }
        let known = MIGRATIONS.len() as i64;
        if version > known {
            return Err(StoreError::TooNew { path: self.path.clone(), found: version, known });
        }
        // The store is untrusted input too: a schema version proctor never writes means
        // something else changed the file.
        if version < 0 || (version == 0 && !fresh) {
            return Err(StoreError::Damaged {
                path: path.clone(),
                detail: format!("schema version {version} is not one proctor writes"),
            });
        }
        // Switching to WAL needs a moment alone with the file; when another process holds
        // it, SQLite answers "busy" at once instead of waiting, so wait here.
        let started = std::time::Instant::now();
        loop {
            match self
                .conn
                .execute_batch("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;")
            {
                Ok(()) => break,
                Err(rusqlite::Error::SqliteFailure(e, _))
                    if e.code == rusqlite::ErrorCode::DatabaseBusy
                        && started.elapsed() < Duration::from_secs(10) =>
                {
                    std::thread::sleep(Duration::from_millis(20));
                }
                Err(source) => return Err(self.classify(source)),
            }
        }
        // Checkpoints at WAL_CHECKPOINT_FRAMES, and the WAL restarted after them (`settle_wal`).
        self.conn.wal_hook(Some(checkpoint_after_commit));
        self.conn.execute_batch("PRAGMA journal_size_limit=1048576;").map_err(|e| self.classify(e))?;
        // The WAL is kept across runs: checkpointing it on every close cost about 5 ms and
        // three syncs per command. Durability is unchanged (synchronous=FULL syncs the WAL at
        // every commit); it is checkpointed as it grows (WAL_CHECKPOINT_FRAMES, above).
        self.conn
            .set_db_config(rusqlite::config::DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, true)
            .map_err(|e| self.classify(e))?;
        let sql = |source| classify(&path, source);
        // Nothing to migrate (the usual case): no write transaction at all.
        if version == known {
            return self.check_schema(&digest);
        }
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(sql)?;
        // Re-read inside the write transaction: another process may have migrated meanwhile.
        let version: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0)).map_err(sql)?;
        for (i, migration) in MIGRATIONS.iter().enumerate().skip(version as usize) {
            tx.execute_batch(migration).map_err(sql)?;
            if i == SUMS_MIGRATION {
                totals::backfill_sums(&tx).map_err(sql)?;
            }
            tx.execute_batch(&format!(
                "PRAGMA user_version = {}; PRAGMA application_id = {APPLICATION_ID};",
                i + 1
            ))
            .map_err(sql)?;
        }
        tx.commit().map_err(sql)?;
        self.settle_wal()?;
        let digest = schema_digest(&self.conn).map_err(sql)?;
        self.check_schema(&digest)
    }

    /// Every table and column the queries use is there (a dropped table or column would
    /// otherwise only fail when some command reaches it): known at once when the schema is
    /// the one the migrations make; otherwise preparing each statement checks the names
    /// without reading a row.
    fn check_schema(&mut self, digest: &str) -> Result<(), StoreError> {
        self.schema_as_made = digest == SCHEMA_DIGEST;
        if self.schema_as_made {
            return Ok(());
        }
        const SHAPE: [&str; 10] = [
            "SELECT id, exam, mode, seed, engine_version, started_at, deadline, time_limit_ms, position, \
             last_tick, finished_at, end_reason, hide_domain FROM attempts",
            "SELECT attempt_id, position, question_id, domain, content_hash, layout, scored, answer, flagged, \
             struck, millis, correct, seen_at, confidence FROM attempt_items",
            "SELECT attempt_id, token, pid, host, since FROM attempt_owners",
            "SELECT exam, question_id, stability, difficulty, due_at, last_review_at, reviews, lapses, learned, \
             confident_error FROM review_cards",
            "SELECT id, exam, question_id, attempt_id, mode, content_hash, created_at, text FROM question_notes",
            "SELECT attempt_id, questions, scored, correct, answered, answered_millis FROM attempt_totals",
            "SELECT exam, attempt_id, domain, new_right, new_wrong, repeat_right, repeat_wrong FROM domain_totals",
            "SELECT exam, question_id, domain, seen, answered, missed, last_seen_at, last_seen_attempt, \
             last_seen_position, last_correct, first_attempt, first_started, first_domain, first_correct \
             FROM question_totals",
            "SELECT exam, mode, time_limit_ms, mostly_unanswered, attempts, scored_attempts, answered, \
             answered_millis, newest_started FROM exam_group_sums",
            "SELECT exam, mode, time_limit_ms, mostly_unanswered, domain, answered, correct, t0, new_right, \
             new_wrong, repeat_right, repeat_wrong FROM exam_domain_sums",
        ];
        for query in SHAPE {
            if let Err(e) = self.conn.prepare(query) {
                return Err(StoreError::Damaged {
                    path: self.path.clone(),
                    detail: format!("its tables are not the ones proctor made ({e})"),
                });
            }
        }
        Ok(())
    }

    /// A damaged file is `Damaged` (with the path and advice), anything else `Sql`.
    fn classify(&self, source: rusqlite::Error) -> StoreError {
        classify(&self.path, source)
    }
}

/// Makes the folder's entries (a new WAL's name) durable.
#[cfg(unix)]
fn sync_folder(dir: &Path) -> std::io::Result<()> {
    std::fs::File::open(dir)?.sync_all()
}

/// Windows has no folder sync (and NTFS journals its entries).
#[cfg(not(unix))]
fn sync_folder(_dir: &Path) -> std::io::Result<()> {
    Ok(())
}

/// BLAKE3 (hex) of every schema entry (type, name, table, definition), by name.
fn schema_digest(conn: &Connection) -> rusqlite::Result<String> {
    let mut text = Vec::with_capacity(8 * 1024);
    let mut entries = conn.prepare("SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY name")?;
    let mut rows = entries.query([])?;
    while let Some(row) = rows.next()? {
        for column in 0..4 {
            // Each field ends with a byte UTF-8 text never holds: the fields cannot run
            // together into another schema's. (A field that is not text is no schema
            // proctor made: its bytes, whatever they are, make another digest.)
            if let Ok(Some(bytes)) = row.get_ref(column)?.as_bytes_or_null() {
                text.extend_from_slice(bytes);
            }
            text.push(0xff);
        }
    }
    Ok(blake3::hash(&text).to_hex().to_string())
}

/// The file system holding `path` has (next to) no space left for an ordinary user.
#[cfg(unix)]
#[allow(clippy::useless_conversion)] // the counts are u32 on some Unixes
fn disk_is_full(path: &Path) -> bool {
    let dir = path.parent().unwrap_or(path);
    nix::sys::statvfs::statvfs(dir)
        .is_ok_and(|s| u64::from(s.blocks_available()) * u64::from(s.fragment_size()) < 64 * 1024)
}

#[cfg(not(unix))]
fn disk_is_full(_path: &Path) -> bool {
    false
}

/// A read-only file is `ReadOnly`, a full disk `DiskFull`, a damaged file `Damaged` (with
/// advice), the rest `Sql`.
fn classify(path: &Path, source: rusqlite::Error) -> StoreError {
    match &source {
        rusqlite::Error::SqliteFailure(e, _) if e.code == rusqlite::ErrorCode::DiskFull => {
            StoreError::DiskFull { path: path.to_path_buf() }
        }
        rusqlite::Error::SqliteFailure(e, _) if e.code == rusqlite::ErrorCode::ReadOnly => {
            StoreError::ReadOnly { path: path.to_path_buf() }
        }
        rusqlite::Error::SqliteFailure(e, _)
            if matches!(e.code, rusqlite::ErrorCode::DatabaseCorrupt | rusqlite::ErrorCode::NotADatabase) =>
        {
            StoreError::Damaged { path: path.to_path_buf(), detail: source.to_string() }
        }
        _ => StoreError::Sql { path: path.to_path_buf(), source },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exam::item::{Layout, Response};

    /// A mock exam of exam "t" on this paper, started at 5 with no time limit.
    fn untimed_exam<'a>(items: &'a [PaperItem], hashes: &'a [String], seed: u64) -> NewAttempt<'a> {
        NewAttempt {
            exam: "t",
            mode: Mode::Exam,
            seed,
            started_at: 5,
            deadline: None,
            time_limit_ms: None,
            items,
            content_hashes: hashes,
            hide_domain: false,
            seen_before: None,
            retake_of: None,
            states: &[],
            position: 0,
            last_tick: 5,
            released: false,
        }
    }

    fn paper() -> Vec<PaperItem> {
        (0..3)
            .map(|i| PaperItem {
                question_id: format!("q{i}"),
                domain: "d".into(),
                layout: Layout::Choice { order: vec![2, 0, 1, 3] },
                scored: i != 1,
            })
            .collect()
    }

    #[test]
    fn closing_keeps_the_wal_and_what_it_holds() {
        let dir = tempfile::tempdir().unwrap();
        let items = paper();
        let hashes = vec!["h".to_string(); 3];
        let id = {
            let mut store = Store::open(dir.path()).unwrap();
            store.create_attempt(&untimed_exam(&items, &hashes, 1)).unwrap()
        };
        // Not checkpointed on close: the WAL is still there, and holds the attempt.
        let wal = dir.path().join(format!("{DATABASE_FILE}-wal"));
        assert!(wal.metadata().unwrap().len() > 0, "the WAL was checkpointed away on close");
        let loaded = Store::open(dir.path()).unwrap().load(id).unwrap();
        assert_eq!(loaded.items.len(), 3);
    }

    /// Each open reads the WAL back (a new process's first open; here, the first open
    /// after the last connection closed), so a store written once per process must still
    /// see its WAL restarted after each checkpoint.
    #[test]
    fn the_wal_stays_short_when_each_process_writes_once() {
        let dir = tempfile::tempdir().unwrap();
        let items = paper();
        let hashes = vec!["h".to_string(); 3];
        let wal = dir.path().join(format!("{DATABASE_FILE}-wal"));
        let mut longest = 0;
        for seed in 0..400 {
            let mut store = Store::open(dir.path()).unwrap();
            store.create_attempt(&untimed_exam(&items, &hashes, seed)).unwrap();
            drop(store);
            longest = longest.max(wal.metadata().unwrap().len());
        }
        let frame = 4096 + 24;
        assert!(longest > 64 * frame, "the WAL was checkpointed before it reached its limit: {longest}");
        assert!(longest < 160 * frame, "the WAL grew to {longest} bytes");
        assert_eq!(Store::open(dir.path()).unwrap().count_attempts(None).unwrap(), 400);
    }

    #[test]
    fn an_attempt_round_trips() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(dir.path()).unwrap();
        let items = paper();
        let hashes = vec!["h".to_string(); 3];
        let seen_first = ItemState { seen_at: Some(5), ..ItemState::default() };
        let flagged_last = ItemState { flagged: true, millis: 4, seen_at: Some(6), ..ItemState::default() };
        let id = store
            .create_attempt(&NewAttempt {
                exam: "t",
                mode: Mode::Exam,
                seed: u64::MAX,
                started_at: 5,
                deadline: Some(1000),
                time_limit_ms: Some(995),
                items: &items,
                content_hashes: &hashes,
                hide_domain: false,
                seen_before: Some(3),
                retake_of: Some(1),
                // Written at its first change: the first question seen, the last flagged.
                states: &[seen_first.clone(), ItemState::default(), flagged_last.clone()],
                position: 2,
                last_tick: 9,
                released: false,
            })
            .unwrap();
        let state = ItemState {
            response: Some(Response::Choice(vec![0, 2])),
            flagged: true,
            struck: vec![1],
            millis: 42,
            seen_at: Some(7),
            confidence: Some(crate::model::Confidence::Unsure),
        };
        assert_eq!(store.latest_unfinished(None, None).unwrap(), Some(id));
        assert_eq!(store.latest_unfinished(Some("t"), Some(Mode::Exam)).unwrap(), Some(id));
        assert_eq!(store.latest_unfinished(Some("other"), None).unwrap(), None);
        let created = Store::open(dir.path()).unwrap().load(id).unwrap();
        assert_eq!((created.position, created.last_tick), (2, 9));
        let created: Vec<ItemState> = created.items.into_iter().map(|i| i.state).collect();
        assert_eq!(created, [seen_first, ItemState::default(), flagged_last.clone()]);
        store.save_progress(id, 2, 50, &[(1, &state)]).unwrap();
        let loaded = Store::open(dir.path()).unwrap().load(id).unwrap();
        assert_eq!(loaded.seed, u64::MAX);
        assert_eq!(loaded.position, 2);
        assert_eq!((loaded.seen_before, loaded.retake_of), (Some(3), Some(1)));
        assert_eq!(loaded.items[1].state, state);
        assert_eq!(loaded.items[0].paper, items[0]);
        assert_eq!(loaded.items[2].state, flagged_last);
        assert!(!loaded.items[1].paper.scored);
        store
            .finish(
                id,
                900,
                EndReason::Submitted,
                &[(&state, true), (&state, false), (&state, true)],
                |_| vec![],
            )
            .unwrap();
        assert_eq!(store.latest_unfinished(None, None).unwrap(), None);
        assert_eq!(store.load(id).unwrap().finished, Some((900, EndReason::Submitted)));
    }

    #[test]
    fn a_store_written_by_schema_3_opens_and_upgrades() {
        // The schema as proctor 0.1 wrote it (migrations 1-3), with one attempt in it.
        let dir = tempfile::tempdir().unwrap();
        let conn = Connection::open(dir.path().join(DATABASE_FILE)).unwrap();
        for migration in &MIGRATIONS[..3] {
            conn.execute_batch(migration).unwrap();
        }
        conn.execute_batch(&format!(
            "PRAGMA user_version = 3; PRAGMA application_id = {APPLICATION_ID};
             INSERT INTO attempts (id, exam, mode, seed, engine_version, started_at, deadline, time_limit_ms,
                                   position, last_tick, finished_at, end_reason)
             VALUES (1, 't', 'exam', 9, '0.1.0', 1000, 61000, 60000, 1, 5000, NULL, NULL);
             INSERT INTO attempt_items (attempt_id, position, question_id, domain, content_hash, option_order,
                                        scored, response, flagged, struck, millis)
             VALUES (1, 0, 'q0', 'd', 'h', '2,0,1,3', 1, '0,2', 1, '3', 4000),
                    (1, 1, 'q1', 'd', 'h', '1,0,3,2', 1, '', 0, '', 0),
                    (1, 2, 'q2', 'd', 'h', '0,1,2,3', 0, '', 0, '', 0);"
        ))
        .unwrap();
        drop(conn);

        let store = Store::open(dir.path()).unwrap();
        let loaded = store.load(1).unwrap();
        assert_eq!(loaded.mode, Mode::Exam);
        assert_eq!(loaded.items[0].paper.layout, Layout::Choice { order: vec![2, 0, 1, 3] });
        assert_eq!(loaded.items[1].paper.layout, Layout::Choice { order: vec![1, 0, 3, 2] });
        assert_eq!(loaded.items[0].state.response, Some(Response::Choice(vec![0, 2])));
        assert_eq!(loaded.items[0].state.struck, vec![3]);
        assert!(loaded.items[0].state.flagged);
        // Seen as proctor inferred it before: time spent or answered.
        assert_eq!(loaded.items[0].state.seen_at, Some(1000));
        assert_eq!(loaded.items[1].state, ItemState::default());
        assert!(!loaded.items[2].paper.scored);
        let version: i64 = store.conn.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
        assert_eq!(version, MIGRATIONS.len() as i64);
    }

    #[test]
    fn sqlite_errors_become_clear_store_errors() {
        let failure = |code| rusqlite::Error::SqliteFailure(rusqlite::ffi::Error::new(code), None);
        let path = Path::new("/x/proctor.db");
        assert!(matches!(
            classify(path, failure(rusqlite::ffi::SQLITE_READONLY)),
            StoreError::ReadOnly { .. }
        ));
        assert!(matches!(classify(path, failure(rusqlite::ffi::SQLITE_CORRUPT)), StoreError::Damaged { .. }));
        // A full disk is a full disk, never "damaged": the file is healthy.
        assert!(matches!(classify(path, failure(rusqlite::ffi::SQLITE_FULL)), StoreError::DiskFull { .. }));
        assert!(matches!(classify(path, failure(rusqlite::ffi::SQLITE_IOERR)), StoreError::Sql { .. }));
    }

    #[test]
    fn a_new_store_and_an_upgraded_one_have_the_schema_the_migrations_make() {
        let dir = tempfile::tempdir().unwrap();
        let fresh = Store::open(dir.path()).unwrap();
        assert_eq!(
            schema_digest(&fresh.conn).unwrap(),
            SCHEMA_DIGEST,
            "update SCHEMA_DIGEST with the migrations"
        );
        assert!(fresh.schema_as_made);
        // Written by every earlier version, then upgraded: the same schema.
        for old in 1..MIGRATIONS.len() {
            let dir = tempfile::tempdir().unwrap();
            let mut conn = Connection::open(dir.path().join(DATABASE_FILE)).unwrap();
            let tx = conn.transaction().unwrap();
            for (i, migration) in MIGRATIONS.iter().enumerate().take(old) {
                tx.execute_batch(migration).unwrap();
                if i == SUMS_MIGRATION {
                    totals::backfill_sums(&tx).unwrap();
                }
            }
            tx.execute_batch(&format!(
                "PRAGMA user_version = {old}; PRAGMA application_id = {APPLICATION_ID};"
            ))
            .unwrap();
            tx.commit().unwrap();
            drop(conn);
            assert!(Store::open(dir.path()).unwrap().schema_as_made, "upgraded from schema {old}");
        }
        let dir = tempfile::tempdir().unwrap();
        drop(Store::open(dir.path()).unwrap());
        // Any change to a definition is another schema (the slow checks run).
        let conn = Connection::open(dir.path().join(DATABASE_FILE)).unwrap();
        conn.execute_batch("CREATE INDEX extra ON attempts(seed);").unwrap();
        drop(conn);
        assert!(!Store::open(dir.path()).unwrap().schema_as_made);
    }

    #[test]
    fn a_damaged_page_in_a_store_with_our_schema_is_refused_for_writing() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(dir.path()).unwrap();
        let (items, hashes) = (paper(), vec!["h".to_string(); 3]);
        for seed in 0..3 {
            store.create_attempt(&untimed_exam(&items, &hashes, seed)).unwrap();
        }
        drop(store);
        // Everything into the file, then one index page's type byte made invalid.
        let path = dir.path().join(DATABASE_FILE);
        let conn = Connection::open(&path).unwrap();
        conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);").unwrap();
        let (root, page_size): (u64, u64) = conn
            .query_row(
                "SELECT rootpage, (SELECT page_size FROM pragma_page_size) FROM sqlite_schema
                 WHERE name = 'attempts_by_exam'",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        drop(conn);
        let mut bytes = std::fs::read(&path).unwrap();
        bytes[((root - 1) * page_size) as usize] = 0x7f;
        std::fs::write(&path, &bytes).unwrap();
        // Reading commands open it (the page is not theirs to read yet); a writing one checks.
        assert!(Store::open(dir.path()).unwrap().schema_as_made);
        let err =
            Store::open_for_writing(dir.path()).err().expect("a damaged store was accepted for writing");
        assert!(matches!(err, StoreError::Damaged { .. }), "{err}");
        assert_eq!(std::fs::read(&path).unwrap(), bytes, "left untouched");
    }

    #[test]
    fn a_store_with_a_foreign_schema_is_refused_as_damaged() {
        for damage in [
            "PRAGMA user_version = -5;",
            "DROP TABLE review_cards;",
            "ALTER TABLE attempt_items DROP COLUMN seen_at;",
        ] {
            let dir = tempfile::tempdir().unwrap();
            drop(Store::open(dir.path()).unwrap());
            let conn = Connection::open(dir.path().join(DATABASE_FILE)).unwrap();
            conn.execute_batch(damage).unwrap();
            drop(conn);
            let err = Store::open(dir.path()).err().unwrap_or_else(|| panic!("{damage} was accepted"));
            assert!(matches!(err, StoreError::Damaged { .. }), "{damage}: {err}");
        }
    }

    #[test]
    fn a_data_dir_that_is_a_file_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("afile");
        std::fs::write(&file, "x").unwrap();
        assert!(matches!(Store::open(&file).err().unwrap(), StoreError::NotAFolder { .. }));
    }

    #[test]
    fn a_foreign_file_is_refused_and_left_untouched() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(DATABASE_FILE);
        std::fs::write(&path, b"this is not a database, it is a shopping list\n".repeat(100)).unwrap();
        let before = std::fs::read(&path).unwrap();
        let err = Store::open(dir.path()).err().unwrap();
        assert!(matches!(err, StoreError::Damaged { .. }), "{err}");
        assert_eq!(std::fs::read(&path).unwrap(), before);

        let other = tempfile::tempdir().unwrap();
        let conn = Connection::open(other.path().join(DATABASE_FILE)).unwrap();
        conn.execute_batch("CREATE TABLE notes (x TEXT);").unwrap();
        drop(conn);
        let err = Store::open(other.path()).err().unwrap();
        assert!(err.to_string().contains("another program"), "{err}");
    }
}
