//! Where banks come from: the ones compiled into the binary and the folders named with
//! `--bank-dir`. This is the I/O edge of the bank module; the rest is pure.

use std::borrow::Cow;
use std::fmt;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use super::cache::{BankCache, FileDigest};
use super::diagnostic::{self, Check, Diagnostic, Location};
use super::lint::{self, Authoring};
use super::parse::{self, ParsedBlueprint};
use super::prebuilt::{self, ExamSummary, QuestionCounts};
use super::{Blueprint, Exam, coverage, split, validate};

/// The blueprint file of every exam folder.
pub const BLUEPRINT_FILE: &str = "exam.toml";
/// Where the shipped banks live in the repository; embedded paths are shown under it.
pub const SHIPPED_ROOT: &str = "question-banks";
/// A bank file larger than this is refused: bank text is untrusted input.
pub const MAX_FILE_BYTES: u64 = 256 * 1024 * 1024;
/// The most one exam's question files may hold together.
pub const MAX_EXAM_BYTES: u64 = 512 * 1024 * 1024;
/// How deep `--bank-dir` is searched for exam folders.
const MAX_DEPTH: usize = 8;

/// The known id nearest to `typed` (a typo, or an older version's code: `saa-c02` for
/// `saa-c03`), if one is near enough: at most a third of its characters changed (edit
/// distance). A tie goes to the id that sorts last (the newer version of an exam).
pub fn closest_id(typed: &str, known: &[String]) -> Option<String> {
    let typed = typed.to_ascii_lowercase();
    known
        .iter()
        .map(|id| (edit_distance(&typed, id), id))
        .filter(|(distance, id)| {
            *distance > 0 && *distance * 3 <= id.chars().count().max(typed.chars().count())
        })
        .min_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(a.1)))
        .map(|(_, id)| id.clone())
}

/// The Levenshtein distance between two short strings (characters inserted, deleted or
/// replaced), for `closest_id`: ids are a few characters, so the plain two-row table.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut previous = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let replaced = previous + usize::from(ca != *cb);
            previous = row[j + 1];
            row[j + 1] = replaced.min(row[j] + 1).min(previous + 1);
        }
    }
    row[b.len()]
}

#[derive(Debug, thiserror::Error)]
pub enum BankError {
    #[error("cannot read {path}: {source}")]
    Io { path: String, source: std::io::Error },
    #[error("{path}: no exam folder found (an exam folder holds an {BLUEPRINT_FILE})")]
    NoExams { path: String },
    #[error("{}", render_invalid(.diagnostics))]
    Invalid { diagnostics: Vec<Diagnostic> },
    #[error("no exam {id:?}; {}available: {}", .suggestion.as_ref().map_or_else(String::new, |s| format!("did you mean {s}? ")), .known.join(", "))]
    UnknownExam { id: String, known: Vec<String>, suggestion: Option<String> },
}

fn render_invalid(diagnostics: &[Diagnostic]) -> String {
    let errors: Vec<String> = diagnostics.iter().filter(|d| d.is_error()).map(ToString::to_string).collect();
    format!(
        "the bank has {} error(s); `proctor check FOLDER` (the bank's folder) lists them all:\n{}",
        errors.len(),
        errors.iter().take(20).cloned().collect::<Vec<_>>().join("\n")
    )
}

/// How a path on disk is named in messages: a file name is untrusted too, so control and
/// invisible characters and line breaks are shown as U+FFFD (a name cannot forge a line).
fn label_of(path: &Path) -> String {
    crate::text::printable_line(&path.display().to_string())
}

#[derive(Debug, Clone)]
enum FileData {
    Embedded(&'static [u8]),
    Disk(PathBuf),
    /// A file on disk whose reads are recorded (see `ExamFolder::load_recorded`).
    Recorded(PathBuf, Arc<Mutex<ReadRecord>>),
    /// Something in the bank that could not be walked (an unreadable folder, files nested
    /// too deep): reported as this diagnostic when the bank is read.
    Problem(Diagnostic),
}

/// What was read of a recorded file: the bank cache keys a parse by the bytes the parse
/// itself read, so a file edited during the parse cannot be cached under the wrong key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReadRecord {
    Unread,
    Read {
        len: u64,
        digest: [u8; 32],
    },
    /// Read more than once, with different bytes.
    Inconsistent,
}

/// One bank file and the name it is reported under.
#[derive(Debug, Clone)]
pub struct BankFile {
    pub label: String,
    data: FileData,
}

impl BankFile {
    /// The file's size in bytes (0 when unknown).
    fn size(&self) -> u64 {
        match &self.data {
            FileData::Embedded(bytes) => bytes.len() as u64,
            FileData::Disk(path) | FileData::Recorded(path, _) => fs::metadata(path).map_or(0, |m| m.len()),
            FileData::Problem(_) => 0,
        }
    }

    /// The file's bytes, or a diagnostic saying why they cannot be had.
    pub fn read(&self) -> Result<Cow<'static, [u8]>, Diagnostic> {
        match &self.data {
            FileData::Embedded(bytes) => Ok(Cow::Borrowed(bytes)),
            FileData::Problem(diagnostic) => Err(diagnostic.clone()),
            FileData::Disk(path) => self.read_disk(path).map(Cow::Owned),
            FileData::Recorded(path, record) => {
                let bytes = self.read_disk(path)?;
                let read = ReadRecord::Read { len: bytes.len() as u64, digest: super::cache::digest(&bytes) };
                let mut record = record.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
                *record = match *record {
                    ReadRecord::Unread => read,
                    same if same == read => read,
                    _ => ReadRecord::Inconsistent,
                };
                Ok(Cow::Owned(bytes))
            }
        }
    }

    /// A file on disk, bounded: only a regular file, at most `MAX_FILE_BYTES`.
    fn read_disk(&self, path: &Path) -> Result<Vec<u8>, Diagnostic> {
        let fail =
            |e: std::io::Error| Diagnostic::error(Location::file(&self.label), format!("cannot read: {e}"));
        // A FIFO, socket or device named *.toml would block the read (or never end):
        // only regular files are opened.
        if !fs::metadata(path).map_err(fail)?.is_file() {
            return Err(Diagnostic::error(
                Location::file(&self.label),
                "not a regular file (a FIFO, socket or device): bank files must be regular files",
            ));
        }
        let file = fs::File::open(path).map_err(fail)?;
        let size = file.metadata().map_or(0, |m| m.len()).min(MAX_FILE_BYTES + 1);
        let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
        // Read one byte past the limit to tell "too large" without reading it all.
        file.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes).map_err(fail)?;
        if bytes.len() as u64 > MAX_FILE_BYTES {
            return Err(Diagnostic::error(
                Location::file(&self.label),
                format!("file is larger than {} MiB", MAX_FILE_BYTES / 1024 / 1024),
            ));
        }
        Ok(bytes)
    }

    /// The file's path on disk, when it is a file on disk.
    fn disk_path(&self) -> Option<&Path> {
        match &self.data {
            FileData::Disk(path) | FileData::Recorded(path, _) => Some(path),
            FileData::Embedded(_) | FileData::Problem(_) => None,
        }
    }
}

/// A folder with an `exam.toml` and its question files (sorted by path).
#[derive(Debug, Clone)]
pub struct ExamFolder {
    pub label: String,
    pub blueprint_file: BankFile,
    pub question_files: Vec<BankFile>,
    /// A shipped exam that passed the build-time check, encoded (see `bank::prebuilt`).
    pub prebuilt: Option<Prebuilt>,
}

/// The encoded blobs of one shipped exam.
#[derive(Debug, Clone, Copy)]
pub struct Prebuilt {
    pub summary: &'static [u8],
    pub contents: &'static [u8],
}

/// Embedded files as build.rs lists them: (path relative to question-banks/, bytes).
pub type EmbeddedFiles = &'static [(&'static str, &'static [u8])];
/// Prebuilt exams as build.rs lists them: (exam folder relative to question-banks/,
/// summary, contents).
pub type PrebuiltExams = &'static [(&'static str, &'static [u8], &'static [u8])];

impl ExamFolder {
    /// Whether this is one of the exams compiled into the binary.
    pub fn is_shipped(&self) -> bool {
        matches!(self.blueprint_file.data, FileData::Embedded(_))
    }

    /// The exam folder on disk (the blueprint's folder); `None` for a shipped exam or a
    /// folder that could not be read.
    pub fn dir(&self) -> Option<&Path> {
        self.blueprint_file.disk_path()?.parent()
    }

    /// Every file the loader reads, in its order: the blueprint, then the question files.
    fn files(&self) -> impl Iterator<Item = &BankFile> {
        std::iter::once(&self.blueprint_file).chain(&self.question_files)
    }

    /// Every file the loader reads, in its order, each read as the loader reads it and
    /// hashed, one file at a time (what a bank cache key is made of). `None` when one is not
    /// a file on disk inside the folder or cannot be read, or when they hold more than an
    /// exam may: such a bank is parsed every time, which reports its problem.
    pub(crate) fn digests(&self) -> Option<Vec<FileDigest>> {
        let dir = self.dir()?;
        if exam_too_large(self).is_some() {
            return None;
        }
        self.files()
            .map(|file| {
                let path = relative_path(dir, file.disk_path()?)?;
                let bytes = file.read().ok()?;
                Some(FileDigest { path, len: bytes.len() as u64, digest: super::cache::digest(&bytes) })
            })
            .collect()
    }

    /// `load_from_toml`, and the digest of every file as that parse read it: `None` when one
    /// was not read exactly once (not a file on disk, not read, or read again with other
    /// bytes), so the result is never cached under a key it was not parsed from.
    pub(crate) fn load_recorded(&self) -> (Result<Exam, BankError>, Option<Vec<FileDigest>>) {
        let Some(dir) = self.dir() else { return (load_from_toml(self), None) };
        let record = |file: &BankFile| match &file.data {
            FileData::Disk(path) => BankFile {
                label: file.label.clone(),
                data: FileData::Recorded(path.clone(), Arc::new(Mutex::new(ReadRecord::Unread))),
            },
            _ => file.clone(),
        };
        let recorded = ExamFolder {
            blueprint_file: record(&self.blueprint_file),
            question_files: self.question_files.iter().map(record).collect(),
            ..self.clone()
        };
        let loaded = load_from_toml(&recorded);
        let digests = recorded
            .files()
            .map(|file| {
                let FileData::Recorded(path, record) = &file.data else { return None };
                let ReadRecord::Read { len, digest } =
                    *record.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
                else {
                    return None;
                };
                Some(FileDigest { path: relative_path(dir, path)?, len, digest })
            })
            .collect();
        (loaded, digests)
    }
}

/// `path` inside `dir`, as bytes (exactly as the file system names it).
fn relative_path(dir: &Path, path: &Path) -> Option<Vec<u8>> {
    Some(path.strip_prefix(dir).ok()?.as_os_str().as_encoded_bytes().to_vec())
}

impl fmt::Display for ExamFolder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.label)
    }
}

/// The exam folders compiled into the binary.
pub fn shipped_folders() -> Vec<ExamFolder> {
    embedded_folders(crate::shipped::EMBEDDED_FILES, crate::shipped::PREBUILT_EXAMS)
}

/// The exam folders among embedded files (build.rs calls this on the files it embeds).
pub fn embedded_folders(files: EmbeddedFiles, prebuilt: PrebuiltExams) -> Vec<ExamFolder> {
    let mut folders = Vec::new();
    for (path, bytes) in files {
        let Some(folder) = path.strip_suffix(BLUEPRINT_FILE) else { continue };
        if !(folder.is_empty() || folder.ends_with('/')) {
            continue;
        }
        let question_files = files
            .iter()
            .filter(|(p, _)| p.starts_with(folder) && *p != *path)
            .map(|(p, b)| BankFile { label: format!("{SHIPPED_ROOT}/{p}"), data: FileData::Embedded(b) })
            .collect();
        let folder = folder.trim_end_matches('/');
        let prebuilt = prebuilt
            .iter()
            .find(|(name, _, _)| *name == folder)
            .map(|&(_, summary, contents)| Prebuilt { summary, contents });
        folders.push(ExamFolder {
            label: format!("{SHIPPED_ROOT}/{folder}"),
            blueprint_file: BankFile {
                label: format!("{SHIPPED_ROOT}/{path}"),
                data: FileData::Embedded(bytes),
            },
            question_files,
            prebuilt,
        });
    }
    // A shipped exam folder nested inside another would also be listed by the outer one;
    // keep each question file with its nearest exam folder.
    let labels: Vec<String> = folders.iter().map(|f| format!("{}/", f.label)).collect();
    for folder in &mut folders {
        let own = format!("{}/", folder.label);
        folder.question_files.retain(|file| {
            !labels.iter().any(|other| {
                other.len() > own.len() && other.starts_with(&own) && file.label.starts_with(other)
            })
        });
    }
    folders
}

/// The exam folders at `path`: the folder itself when it holds an `exam.toml`, otherwise
/// every exam folder below it.
pub fn folders_at(path: &Path) -> Result<Vec<ExamFolder>, BankError> {
    let io = |source| BankError::Io { path: label_of(path), source };
    let meta = fs::metadata(path).map_err(io)?;
    if !meta.is_dir() {
        return Err(io(std::io::Error::new(std::io::ErrorKind::InvalidInput, "not a folder")));
    }
    let mut folders = Vec::new();
    find_exam_folders(path, 0, &mut folders)?;
    if folders.is_empty() {
        return Err(BankError::NoExams { path: label_of(path) });
    }
    Ok(folders)
}

/// A folder that is not a link: links to folders are not followed (no loops, and a bank
/// is what is inside its folder).
fn is_real_dir(path: &Path) -> bool {
    fs::symlink_metadata(path).is_ok_and(|m| m.is_dir())
}

fn sorted_entries(dir: &Path) -> Result<Vec<PathBuf>, BankError> {
    let io = |source| BankError::Io { path: label_of(dir), source };
    let mut entries = Vec::new();
    for entry in fs::read_dir(dir).map_err(io)? {
        entries.push(entry.map_err(io)?.path());
    }
    entries.sort();
    Ok(entries)
}

fn find_exam_folders(dir: &Path, depth: usize, out: &mut Vec<ExamFolder>) -> Result<(), BankError> {
    let blueprint = dir.join(BLUEPRINT_FILE);
    if blueprint.is_file() {
        let mut question_files = Vec::new();
        collect_question_files(dir, &blueprint, 0, &mut question_files)?;
        out.push(ExamFolder {
            label: label_of(dir),
            blueprint_file: BankFile { label: label_of(&blueprint), data: FileData::Disk(blueprint) },
            question_files,
            prebuilt: None,
        });
        return Ok(());
    }
    if depth >= MAX_DEPTH {
        return Ok(());
    }
    let entries = match sorted_entries(dir) {
        Ok(entries) => entries,
        // The top folder must be readable; below it, one unreadable folder is reported as
        // a broken bank and the others are read as usual.
        Err(e) if depth > 0 => {
            out.push(unreadable_folder(dir, &e));
            return Ok(());
        }
        Err(e) => return Err(e),
    };
    for entry in entries {
        if is_real_dir(&entry) {
            find_exam_folders(&entry, depth + 1, out)?;
        }
    }
    Ok(())
}

/// A folder that could not be listed, as an exam folder whose blueprint reports it.
fn unreadable_folder(dir: &Path, error: &BankError) -> ExamFolder {
    let label = label_of(dir);
    let problem = Diagnostic::error(Location::file(&label), format!("cannot read this folder: {error}"));
    ExamFolder {
        label: label.clone(),
        blueprint_file: BankFile { label, data: FileData::Problem(problem) },
        question_files: Vec::new(),
        prebuilt: None,
    }
}

fn collect_question_files(
    dir: &Path,
    blueprint: &Path,
    depth: usize,
    out: &mut Vec<BankFile>,
) -> Result<(), BankError> {
    let entries = match sorted_entries(dir) {
        Ok(entries) => entries,
        Err(e) => {
            let label = label_of(dir);
            let problem = Diagnostic::error(Location::file(&label), format!("cannot read this folder: {e}"));
            out.push(BankFile { label, data: FileData::Problem(problem) });
            return Ok(());
        }
    };
    for entry in entries {
        if is_real_dir(&entry) {
            // A nested exam folder is an exam of its own, not part of this one.
            if entry.join(BLUEPRINT_FILE).is_file() {
                continue;
            }
            if depth < MAX_DEPTH {
                collect_question_files(&entry, blueprint, depth + 1, out)?;
            } else {
                let label = label_of(&entry);
                let problem = Diagnostic::warning(
                    Location::file(&label),
                    format!(
                        "this folder is more than {MAX_DEPTH} levels below its exam folder: its files are not read"
                    ),
                );
                out.push(BankFile { label, data: FileData::Problem(problem) });
            }
        } else if entry.extension().is_some_and(|e| e == "toml") && entry != blueprint {
            out.push(BankFile { label: label_of(&entry), data: FileData::Disk(entry) });
        }
    }
    Ok(())
}

/// Everything `proctor check` reports for a set of exam folders: the format's errors and
/// warnings, the authoring checks (`lint`), and an exam id that a shipped exam already uses
/// (`--bank-dir` would refuse the bank; a warning, so the bank's own problems still show).
pub fn check_folders(folders: &[ExamFolder]) -> Vec<Diagnostic> {
    check_with_coverage(folders).0
}

/// What `check` reports, and the coverage (questions per domain and task statement) of
/// every exam whose blueprint could be read. Each question file is parsed, checked and
/// reduced to the facts the checks across files need (`validate::QuestionFacts`, stem
/// fingerprints) before the next one is read: memory follows the files in flight (one per
/// core), not the size of the bank.
pub fn check_with_coverage(folders: &[ExamFolder]) -> (Vec<Diagnostic>, Vec<coverage::Coverage>) {
    let mut diagnostics = Vec::new();
    let mut coverages = Vec::new();
    let mut ids: Vec<(String, String)> = Vec::new();
    let mut shipped: Option<Vec<(String, String)>> = None;
    for folder in folders {
        let (blueprint, mut found) = read_blueprint(folder);
        if let Some(bound) = exam_too_large(folder) {
            found.push(bound);
            diagnostics.extend(found);
            continue;
        }
        let domains = blueprint.as_ref().map(|b| &b.blueprint);
        let mut questions: Vec<validate::QuestionFacts> = Vec::new();
        let mut scenarios: Vec<validate::ScenarioFacts> = Vec::new();
        let mut files_failed = false;
        // Each file's stems, in order, against the exam's earlier ones, as the files come.
        let mut authoring = Authoring::default();
        let mut linted = Vec::new();
        // The facts are sized from the first file read (its questions per byte, over all
        // the exam's bytes), so that a large exam's list is not copied into one twice its
        // size (both held at once); room reserved but never written is not resident memory.
        let sizes: Vec<u64> = folder.question_files.iter().map(BankFile::size).collect();
        let exam_bytes: u64 = sizes.iter().sum();
        let take = |file: CheckedFile| {
            files_failed |= file.failed;
            let first = questions.len();
            if first == 0 && file.bytes > 0 {
                let per_byte = file.questions.len() as f64 / file.bytes as f64;
                // An eighth more than the estimate, at most what the bytes can hold (a question
                // takes more than 48 bytes of TOML); a reservation refused is no error (the
                // list then grows as it must).
                let estimate = (per_byte * exam_bytes as f64 * 1.125) as usize;
                let _ = questions.try_reserve(estimate.min(usize::try_from(exam_bytes / 48).unwrap_or(0)));
            }
            // Copied on this thread: the facts outlive the worker's file, and kept in the
            // worker's allocations they would scatter its memory (fragmentation measured as
            // some 5 MiB more peak RSS at 50,000 questions).
            questions.extend(file.questions.iter().cloned());
            scenarios.extend(file.scenarios);
            found.extend(file.diagnostics);
            if let Some(findings) = file.findings {
                linted.extend(authoring.add(findings, first));
            }
        };
        let workers = check_workers(sizes.iter().copied().max().unwrap_or(0));
        in_parallel_in_order_at_most(workers, &folder.question_files, |file| check_file(file, domains), take);
        // The stem index is done with: its memory goes before the warnings are written out.
        drop(authoring);
        found.extend(validate::check_exam(blueprint.as_ref(), &questions, &scenarios, files_failed));
        diagnostic::sort(&mut found);
        if let Some(blueprint) = &blueprint {
            let facts = questions.iter().map(|q| (q.domain.as_str(), q.task.as_deref()));
            coverages.push(coverage::coverage(&blueprint.blueprint, facts));
            let id = &blueprint.blueprint.id;
            if let Some((_, first)) = ids.iter().find(|(seen, _)| seen == id) {
                found.push(Diagnostic::error(
                    Location::file(&folder.blueprint_file.label),
                    format!("exam id {id:?} is also used by {first}"),
                ));
            } else {
                ids.push((id.clone(), folder.blueprint_file.label.clone()));
            }
            if !folder.is_shipped() {
                let shipped = shipped.get_or_insert_with(shipped_ids);
                // A shipped exam checked alongside is already reported as a duplicate above.
                let checked_too = |label: &str| folders.iter().any(|f| f.blueprint_file.label == label);
                if let Some((_, label)) = shipped.iter().find(|(s, label)| s == id && !checked_too(label)) {
                    found.push(Diagnostic::authoring(
                        Check::ShippedIdClash,
                        blueprint.location.clone(),
                        format!(
                            "exam id {id:?} is a shipped exam's ({label}): `--bank-dir` refuses this bank; \
                             give it another id"
                        ),
                    ));
                }
            }
            found.extend(linted.into_iter().filter_map(|finding| finding.into_diagnostic(&questions)));
            diagnostic::sort(&mut found);
        }
        diagnostics.extend(found);
    }
    (diagnostics, coverages)
}

/// One question file as `check` keeps it: its problems, its authoring findings and the
/// facts of its questions; the questions themselves are dropped.
#[derive(Debug)]
struct CheckedFile {
    diagnostics: Vec<Diagnostic>,
    /// `None` when the exam's blueprint did not parse (the authoring checks then do not run).
    findings: Option<lint::FileFindings>,
    questions: Vec<validate::QuestionFacts>,
    scenarios: Vec<validate::ScenarioFacts>,
    /// Nothing could be read from it and it has errors.
    failed: bool,
    /// The file's size in bytes (0 when it could not be read).
    bytes: usize,
}

fn check_file(file: &BankFile, blueprint: Option<&Blueprint>) -> CheckedFile {
    match file.read() {
        Ok(bytes) => check_bytes(&file.label, &bytes, blueprint, SPLIT_ABOVE, FAST_WHOLE_UP_TO, PIECE_BYTES),
        Err(d) => CheckedFile {
            diagnostics: vec![d],
            findings: blueprint.map(|_| lint::FileChecks::default().finish(&[])),
            questions: Vec::new(),
            scenarios: Vec::new(),
            failed: true,
            bytes: 0,
        },
    }
}

/// A question file above `SPLIT_ABOVE` but at most this size is first read whole by the
/// fast path (`parse::parse_questions_fast`): its model of a file is a small multiple of the
/// text (the toml crate's document, which `SPLIT_ABOVE` bounds, is twenty times or more),
/// and reading it whole spares the pass that cuts it. Only when the fast path gives up is
/// the file cut and read piece by piece. Larger files are always cut.
const FAST_WHOLE_UP_TO: usize = 4 * 1024 * 1024;

/// `check_file` of a file's bytes, cut as `parse_in_pieces_of` cuts them (unless the fast
/// path reads it whole: at most `fast_whole_up_to` bytes). The authoring checks and the
/// facts take each piece as it is read: only one piece's questions are in memory at a time,
/// not the whole file's.
fn check_bytes(
    label: &str,
    bytes: &[u8],
    blueprint: Option<&Blueprint>,
    split_above: usize,
    fast_whole_up_to: usize,
    piece_bytes: usize,
) -> CheckedFile {
    let mut diagnostics = Vec::new();
    let mut questions = Vec::new();
    let mut scenarios = Vec::new();
    let mut authoring = blueprint.map(|_| lint::FileChecks::default());
    let mut take = |piece: parse::QuestionFile| {
        if let Some(authoring) = &mut authoring {
            authoring.add(&piece.questions);
        }
        questions.extend(piece.questions.iter().map(validate::QuestionFacts::of));
        scenarios.extend(piece.scenarios.iter().map(validate::ScenarioFacts::of));
        diagnostics.extend(piece.diagnostics);
    };
    let whole = (bytes.len() > split_above && bytes.len() <= fast_whole_up_to)
        .then(|| parse::parse_questions_fast(label, bytes, blueprint))
        .flatten();
    match whole {
        Some(file) => take(file),
        None => each_piece_of(label, bytes, blueprint, split_above, piece_bytes, take),
    }
    CheckedFile {
        bytes: bytes.len(),
        failed: questions.is_empty() && diagnostics.iter().any(Diagnostic::is_error),
        findings: authoring.map(|authoring| authoring.finish(&questions)),
        questions,
        scenarios,
        diagnostics,
    }
}

/// The question-file bytes `check` holds at once, about: each worker holds one file's
/// bytes (a large file is parsed piece by piece, but read whole), so an exam whose largest
/// file is more than half of this is checked one file at a time.
const BYTES_IN_FLIGHT: u64 = 8 * 1024 * 1024;

/// How many files `check` reads at once when the largest is `largest` bytes: as many as
/// fit in `BYTES_IN_FLIGHT`, at least one (`in_parallel_in_order_at_most` stops at the
/// number of cores).
fn check_workers(largest: u64) -> usize {
    usize::try_from(BYTES_IN_FLIGHT / largest.max(1)).unwrap_or(usize::MAX).max(1)
}

/// `f` over `items` on every core, each result handed to `take` in the order of `items`
/// as soon as it is done and `take` has had those before it: only results not yet taken
/// are held (at most two per worker), not all of them.
fn in_parallel_in_order<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync, take: impl FnMut(R)) {
    in_parallel_in_order_at_most(usize::MAX, items, f, take);
}

/// `in_parallel_in_order` on at most `workers` threads (one: on this thread, in turn).
fn in_parallel_in_order_at_most<T: Sync, R: Send>(
    workers: usize,
    items: &[T],
    f: impl Fn(&T) -> R + Sync,
    mut take: impl FnMut(R),
) {
    let workers = std::thread::available_parallelism().map_or(1, usize::from).min(items.len()).min(workers);
    if workers <= 1 {
        items.iter().map(f).for_each(take);
        return;
    }
    let f = &f;
    std::thread::scope(|scope| {
        let results: Vec<std::sync::mpsc::Receiver<R>> = (0..workers)
            .map(|worker| {
                let (send, receive) = std::sync::mpsc::sync_channel(1);
                scope.spawn(move || {
                    for item in items.iter().skip(worker).step_by(workers) {
                        if send.send(f(item)).is_err() {
                            break;
                        }
                    }
                });
                receive
            })
            .collect();
        for i in 0..items.len() {
            // An error means the worker panicked (a bug): the scope re-raises its panic.
            let Ok(result) = results[i % workers].recv() else { break };
            take(result);
        }
    });
}

/// `f` over `items` on every core, results in the order of `items`.
fn in_parallel<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let mut results = Vec::with_capacity(items.len());
    in_parallel_in_order(items, f, |result| results.push(result));
    results
}

/// The id and blueprint file of every shipped exam whose blueprint parses.
fn shipped_ids() -> Vec<(String, String)> {
    shipped_folders()
        .into_iter()
        .filter_map(|folder| {
            let bytes = folder.blueprint_file.read().ok()?;
            let (parsed, _) = parse::parse_blueprint(&folder.blueprint_file.label, &bytes);
            Some((parsed?.blueprint.id, folder.blueprint_file.label))
        })
        .collect()
}

/// An exam folder's blueprint, when it parses, and its problems.
fn read_blueprint(folder: &ExamFolder) -> (Option<ParsedBlueprint>, Vec<Diagnostic>) {
    match folder.blueprint_file.read() {
        Ok(bytes) => parse::parse_blueprint(&folder.blueprint_file.label, &bytes),
        Err(d) => (None, vec![d]),
    }
}

/// The error for an exam whose question files hold more than one exam may load.
fn exam_too_large(folder: &ExamFolder) -> Option<Diagnostic> {
    // A loaded exam takes a few times its text in memory: bound what one exam may load, so
    // a huge --bank-dir cannot exhaust the machine (each file is bounded on its own too).
    let total: u64 = folder.question_files.iter().map(BankFile::size).sum();
    (total > MAX_EXAM_BYTES).then(|| {
        Diagnostic::error(
            Location::file(&folder.label),
            format!(
                "this exam's question files hold {} MiB; at most {} MiB are read for one exam",
                total / 1024 / 1024,
                MAX_EXAM_BYTES / 1024 / 1024
            ),
        )
    })
}

type LoadedFolder = (ParsedBlueprint, Vec<parse::LocatedQuestion>, Vec<parse::LocatedScenario>);

/// Parses one exam folder completely, to load it; the exam comes back only when the
/// blueprint parsed.
fn load_folder(folder: &ExamFolder) -> (Option<LoadedFolder>, Vec<Diagnostic>) {
    let (blueprint, mut diagnostics) = read_blueprint(folder);
    if let Some(bound) = exam_too_large(folder) {
        diagnostics.push(bound);
        return (None, diagnostics);
    }
    let domains = blueprint.as_ref().map(|b| &b.blueprint);
    let files = in_parallel(&folder.question_files, |file| parse_file(file, domains));
    // Sized once: a large bank's questions are not copied into ever larger lists.
    let mut questions = Vec::with_capacity(files.iter().map(|f| f.questions.len()).sum());
    let mut scenarios = Vec::new();
    let mut files_failed = false;
    for file in files {
        files_failed |= file.questions.is_empty() && file.diagnostics.iter().any(Diagnostic::is_error);
        questions.extend(file.questions);
        scenarios.extend(file.scenarios);
        diagnostics.extend(file.diagnostics);
    }
    let facts: Vec<validate::QuestionFacts> = questions.iter().map(validate::QuestionFacts::of).collect();
    let scenario_facts: Vec<validate::ScenarioFacts> =
        scenarios.iter().map(validate::ScenarioFacts::of).collect();
    diagnostics.extend(validate::check_exam(blueprint.as_ref(), &facts, &scenario_facts, files_failed));
    diagnostic::sort(&mut diagnostics);
    (blueprint.map(|b| (b, questions, scenarios)), diagnostics)
}

/// One question file read and parsed (a file that cannot be read is its diagnostic).
fn parse_file(file: &BankFile, blueprint: Option<&Blueprint>) -> parse::QuestionFile {
    match file.read() {
        Ok(bytes) => parse_in_pieces(&file.label, &bytes, blueprint),
        Err(d) => parse::QuestionFile { diagnostics: vec![d], ..parse::QuestionFile::default() },
    }
}

/// A question file larger than this is parsed in pieces (see `bank::split`)...
const SPLIT_ABOVE: usize = 1024 * 1024;
/// ... of about this size each.
const PIECE_BYTES: usize = 256 * 1024;

/// Parses a question file; a large one piece by piece (`bank::split`), so that its parsed
/// TOML document (many times the text's size) is never in memory whole. The questions,
/// scenarios and problems come back as one parse would give them, at their places in the
/// file. One difference, for broken files only: a syntax error stops its piece, not the
/// whole file, so the other pieces' questions are still read and checked.
fn parse_in_pieces(label: &str, bytes: &[u8], blueprint: Option<&Blueprint>) -> parse::QuestionFile {
    parse_in_pieces_of(label, bytes, blueprint, SPLIT_ABOVE, PIECE_BYTES)
}

fn parse_in_pieces_of(
    label: &str,
    bytes: &[u8],
    blueprint: Option<&Blueprint>,
    split_above: usize,
    piece_bytes: usize,
) -> parse::QuestionFile {
    let mut file = parse::QuestionFile::default();
    each_piece_of(label, bytes, blueprint, split_above, piece_bytes, |piece| {
        file.questions.extend(piece.questions);
        file.scenarios.extend(piece.scenarios);
        file.diagnostics.extend(piece.diagnostics);
    });
    file
}

/// `parse_in_pieces_of`, each piece's questions, scenarios and problems handed to `each`
/// as soon as the piece is read (at their places in the file, in file order), so a caller
/// that reduces them need not hold the whole file's questions. A file that is not cut is
/// one piece.
fn each_piece_of(
    label: &str,
    bytes: &[u8],
    blueprint: Option<&Blueprint>,
    split_above: usize,
    piece_bytes: usize,
    mut each: impl FnMut(parse::QuestionFile),
) {
    let cut = (bytes.len() > split_above)
        .then(|| std::str::from_utf8(bytes).ok())
        .flatten()
        .and_then(|text| Some((text, split::split(text, piece_bytes)?)))
        .filter(|(_, cut)| cut.pieces.len() > 1);
    let Some((text, cut)) = cut else { return each(parse::parse_questions(label, bytes, blueprint)) };
    // Every piece but the first is parsed behind the file's [source] table (it applies to
    // every question); problems inside that repeated text were reported with the first.
    let preamble = &text[cut.preamble.clone()];
    let preamble_lines = preamble.matches('\n').count();
    let mut lines_before = 0;
    let mut counted_to = 0;
    for (k, range) in cut.pieces.into_iter().enumerate() {
        lines_before += crate::text::count_byte(&text.as_bytes()[counted_to..range.start], b'\n');
        counted_to = range.start;
        let (mut piece, skip) = if k == 0 || preamble.is_empty() {
            (parse::parse_questions(label, &bytes[range], blueprint), 0)
        } else {
            let joined = [preamble, &text[range]].concat();
            (parse::parse_questions(label, joined.as_bytes(), blueprint), preamble_lines)
        };
        let place =
            |location: &mut Location| location.line = location.line.saturating_sub(skip) + lines_before;
        for q in &mut piece.questions {
            place(&mut q.location);
            if let Some(at) = &mut q.scenario_location {
                place(at);
            }
        }
        for s in &mut piece.scenarios {
            place(&mut s.location);
        }
        piece.diagnostics.retain(|d| d.location.line > skip);
        for d in &mut piece.diagnostics {
            place(&mut d.location);
        }
        each(piece);
    }
}

/// Parses and checks one exam folder's TOML; any error stops it (warnings do not).
pub fn load_from_toml(folder: &ExamFolder) -> Result<Exam, BankError> {
    let (loaded, diagnostics) = load_folder(folder);
    match loaded {
        Some((blueprint, questions, scenarios)) if !diagnostics.iter().any(Diagnostic::is_error) => {
            Ok(validate::into_exam(blueprint, questions, scenarios))
        }
        _ => Err(BankError::Invalid { diagnostics }),
    }
}

/// One loadable exam: its folder, its blueprint, and (when known without loading the
/// questions: a prebuilt exam) how many questions it has.
#[derive(Debug, Clone)]
pub struct CatalogEntry {
    pub folder: ExamFolder,
    pub blueprint: Blueprint,
    pub counts: Option<QuestionCounts>,
}

/// Every exam proctor can see: the shipped ones and those from `--bank-dir`. Only
/// blueprints are parsed here; an exam's questions are parsed when it is loaded. An exam
/// whose blueprint is broken (or whose id is taken) is left out and its problems kept in
/// `broken`, so one bad bank does not stop the others.
#[derive(Debug, Clone)]
pub struct Catalog {
    pub entries: Vec<CatalogEntry>,
    pub broken: Vec<Diagnostic>,
    /// Where `--bank-dir` exams that passed the check are kept encoded (`bank::cache`).
    cache: Option<BankCache>,
}

impl Catalog {
    pub fn open(bank_dirs: &[PathBuf]) -> Result<Catalog, BankError> {
        let mut folders = shipped_folders();
        let mut diagnostics = Vec::new();
        for dir in bank_dirs {
            // A bank folder that cannot be read is one broken bank: the others still load.
            match folders_at(dir) {
                Ok(found) => folders.extend(found),
                Err(e) => diagnostics.push(Diagnostic::error(Location::file(&label_of(dir)), e.to_string())),
            }
        }
        let mut entries: Vec<CatalogEntry> = Vec::new();
        for folder in folders {
            // A shipped exam was checked at build time: its blueprint is decoded, not parsed.
            if let Some(summary) = folder.prebuilt.and_then(|p| prebuilt::decode_summary(p.summary).ok()) {
                entries.push(CatalogEntry {
                    folder,
                    blueprint: summary.blueprint,
                    counts: Some(summary.counts),
                });
                continue;
            }
            let bytes = match folder.blueprint_file.read() {
                Ok(bytes) => bytes,
                Err(d) => {
                    diagnostics.push(d);
                    continue;
                }
            };
            let (parsed, found) = parse::parse_blueprint(&folder.blueprint_file.label, &bytes);
            let errors: Vec<Diagnostic> = found.into_iter().filter(Diagnostic::is_error).collect();
            let Some(parsed) = parsed.filter(|_| errors.is_empty()) else {
                diagnostics.extend(errors);
                continue;
            };
            if let Some(first) = entries.iter().find(|e| e.blueprint.id == parsed.blueprint.id) {
                diagnostics.push(Diagnostic::error(
                    Location::file(&folder.blueprint_file.label),
                    format!(
                        "exam id {:?} is also used by {}",
                        parsed.blueprint.id, first.folder.blueprint_file.label
                    ),
                ));
                continue;
            }
            entries.push(CatalogEntry { folder, blueprint: parsed.blueprint, counts: None });
        }
        Ok(Catalog { entries, broken: diagnostics, cache: None })
    }

    /// The same catalog, loading `--bank-dir` exams through `cache` (never `check`: it
    /// always parses).
    pub fn with_cache(self, cache: BankCache) -> Catalog {
        Catalog { cache: Some(cache), ..self }
    }

    /// Tells stderr about exams that could not be loaded (the others work as usual).
    pub fn warn_broken(&self) {
        if let Some(first) = self.broken.iter().find(|d| d.is_error()) {
            let more = self.broken.iter().filter(|d| d.is_error()).count() - 1;
            let more = if more > 0 { format!(" (and {more} more)") } else { String::new() };
            eprintln!(
                "warning: an exam could not be loaded: {first}{more}; `proctor check PATH` lists every problem"
            );
        }
    }

    pub fn find(&self, id: &str) -> Result<&CatalogEntry, BankError> {
        let wanted = id.to_ascii_lowercase();
        self.entries.iter().find(|e| e.blueprint.id == wanted).ok_or_else(|| {
            let known: Vec<String> = self.entries.iter().map(|e| e.blueprint.id.clone()).collect();
            BankError::UnknownExam { id: id.to_string(), suggestion: closest_id(&wanted, &known), known }
        })
    }

    /// One exam's questions: decoded when prebuilt or cached, else parsed and checked (any
    /// error stops it; warnings do not).
    pub fn load(&self, entry: &CatalogEntry) -> Result<Exam, BankError> {
        if let Some(prebuilt) = entry.folder.prebuilt {
            // Undecodable bytes cannot come from build.rs; if they ever do, the TOML decides.
            if let Ok(exam) = prebuilt::decode_exam(entry.blueprint.clone(), prebuilt.contents) {
                return Ok(exam);
            }
        }
        match &self.cache {
            Some(cache) if !entry.folder.is_shipped() => cache.load(&entry.folder),
            _ => load_from_toml(&entry.folder),
        }
    }

    /// An exam's blueprint and question counts (what `list` shows): without loading the
    /// questions when the exam is prebuilt or cached, else from loading it (which caches it).
    pub fn summary(&self, entry: &CatalogEntry) -> Result<ExamSummary, BankError> {
        if let Some(counts) = &entry.counts {
            return Ok(ExamSummary { blueprint: entry.blueprint.clone(), counts: counts.clone() });
        }
        match &self.cache {
            Some(cache) if !entry.folder.is_shipped() => cache.summary(&entry.folder),
            _ => load_from_toml(&entry.folder).map(|exam| ExamSummary::of(&exam)),
        }
    }

    pub fn load_by_id(&self, id: &str) -> Result<Exam, BankError> {
        self.load(self.find(id)?)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_closest_id_is_within_a_third_of_its_characters() {
        let known: Vec<String> =
            ["aif-c01", "clf-c02", "saa-c03", "scs-c03", "tiny"].map(String::from).to_vec();
        assert_eq!(closest_id("saa-c02", &known).as_deref(), Some("saa-c03"));
        assert_eq!(closest_id("SAA-C3", &known).as_deref(), Some("saa-c03"));
        assert_eq!(closest_id("tinny", &known).as_deref(), Some("tiny"));
        assert_eq!(closest_id("kubernetes", &known), None);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "abc"), 3);
    }

    use super::*;
    use proptest::prelude::*;

    /// What a parse gives, in a form two parses can be compared by.
    fn outcome(file: &parse::QuestionFile) -> String {
        format!("{:#?}\n{:#?}\n{:#?}", file.questions, file.scenarios, file.diagnostics)
    }

    fn whole_and_in_pieces(
        label: &str,
        text: &str,
        blueprint: Option<&Blueprint>,
    ) -> (String, String, usize) {
        let whole = parse::parse_questions(label, text.as_bytes(), blueprint);
        let pieces = parse_in_pieces_of(label, text.as_bytes(), blueprint, 0, 1);
        let cut = split::split(text, 1).map_or(0, |c| c.pieces.len());
        (outcome(&whole), outcome(&pieces), cut)
    }

    #[test]
    fn results_are_taken_in_order_whatever_finishes_first() {
        // Early items take longest, so later ones finish first on other workers.
        let items: Vec<u64> = (0..40).collect();
        let mut taken = Vec::new();
        in_parallel_in_order(
            &items,
            |&i| {
                std::thread::sleep(std::time::Duration::from_millis(40u64.saturating_sub(i)));
                i * 2
            },
            |r| taken.push(r),
        );
        assert_eq!(taken, items.iter().map(|i| i * 2).collect::<Vec<_>>());
    }

    #[test]
    fn large_files_are_checked_one_at_a_time() {
        // The bench's 50,000-question files (6.5 MB) one at a time; its 10,000-question ones
        // (1.25 MB) and the shipped ones on every core.
        assert_eq!(check_workers(6_500_000), 1);
        assert_eq!(check_workers(BYTES_IN_FLIGHT), 1);
        assert_eq!(check_workers(BYTES_IN_FLIGHT / 2), 2);
        assert_eq!(check_workers(1_250_000), 6);
        assert!(check_workers(0) > 64);
        // One worker: every item on this thread, in order.
        let items: Vec<u32> = (0..8).collect();
        let here = std::thread::current().id();
        let mut taken = Vec::new();
        in_parallel_in_order_at_most(
            1,
            &items,
            |&i| (i, std::thread::current().id() == here),
            |r| taken.push(r),
        );
        assert_eq!(taken, items.iter().map(|&i| (i, true)).collect::<Vec<_>>());
    }

    #[test]
    #[should_panic]
    fn a_panicking_worker_is_not_hidden() {
        let items: Vec<u32> = (0..8).collect();
        in_parallel_in_order(&items, |&i| if i == 5 { panic!("bug") } else { i }, |_| {});
    }

    #[test]
    fn every_shipped_file_parses_in_pieces_as_it_does_whole() {
        let mut cut_files = 0;
        for folder in shipped_folders() {
            let bytes = folder.blueprint_file.read().unwrap();
            let blueprint = parse::parse_blueprint(&folder.blueprint_file.label, &bytes).0.unwrap().blueprint;
            for file in &folder.question_files {
                let bytes = file.read().unwrap();
                let text = std::str::from_utf8(&bytes).unwrap();
                let (whole, pieces, cut) = whole_and_in_pieces(&file.label, text, Some(&blueprint));
                assert_eq!(whole, pieces, "{}", file.label);
                cut_files += usize::from(cut > 1);
            }
        }
        assert!(cut_files > 10, "only {cut_files} shipped files were cut");
    }

    #[test]
    fn a_file_checked_piece_by_piece_gives_what_it_gives_whole() {
        // The shipped banks and the fixture with every authoring warning, each file cut at
        // every question and fed to the checks piece by piece, against the whole file.
        let cues = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/banks/cues");
        let mut folders = shipped_folders();
        folders.extend(folders_at(&cues).unwrap());
        let (mut cut_files, mut findings, mut read_fast) = (0, 0, 0);
        for folder in folders {
            let bytes = folder.blueprint_file.read().unwrap();
            let blueprint = parse::parse_blueprint(&folder.blueprint_file.label, &bytes).0.unwrap().blueprint;
            for file in &folder.question_files {
                let bytes = file.read().unwrap();
                let whole = check_bytes(&file.label, &bytes, Some(&blueprint), usize::MAX, 0, PIECE_BYTES);
                let pieces = check_bytes(&file.label, &bytes, Some(&blueprint), 0, 0, 1);
                assert_eq!(format!("{whole:#?}"), format!("{pieces:#?}"), "{}", file.label);
                // Read whole by the fast path when it can, instead of cut: the same.
                let fast = check_bytes(&file.label, &bytes, Some(&blueprint), 0, usize::MAX, 1);
                assert_eq!(format!("{fast:#?}"), format!("{pieces:#?}"), "{}", file.label);
                read_fast +=
                    usize::from(parse::parse_questions_fast(&file.label, &bytes, Some(&blueprint)).is_some());
                let text = std::str::from_utf8(&bytes).unwrap();
                cut_files += usize::from(split::split(text, 1).is_some_and(|c| c.pieces.len() > 1));
                findings += format!("{:?}", whole.findings).matches("Diagnostic {").count();
            }
        }
        assert!(cut_files > 10, "only {cut_files} files were cut");
        assert!(findings >= 5, "only {findings} authoring findings");
        assert!(read_fast > 10, "only {read_fast} files were read whole by the fast path");
    }

    const BLUEPRINT: &str = r#"format = 1
id = "x"
code = "X"
title = "X"
vendor = "X"
level = "associate"
exam_questions = 2
scored_questions = 2
minutes = 10
passing_score = 700
[status]
state = "active"
date = "2026-01-01"
[[domain]]
id = "a"
name = "A"
weight = 100
[[domain.task]]
id = "1.1"
text = "A task"
"#;

    fn blueprint() -> Blueprint {
        parse::parse_blueprint("exam.toml", BLUEPRINT.as_bytes()).0.unwrap().blueprint
    }

    fn question(id: &str, stem: &str, extra: &str) -> String {
        format!(
            "[[question]]\nid = \"{id}\"\ndomain = \"a\"\nkind = \"multiple-choice\"\nstem = \"\"\"\n{stem}\"\"\"\n\
             explanation = \"Because.\"\nreferences = [\"https://docs.aws.amazon.com/x.html\"]\n{extra}\
             [[question.option]]\ntext = \"yes\"\ncorrect = true\nrationale = \"r\"\n\
             [[question.option]]\ntext = \"no\"\nrationale = \"r\"\n\n"
        )
    }

    #[test]
    fn places_and_the_source_table_survive_the_cut() {
        let text = String::from(
            "# made by hand\n[source]\nurl = \"https://example.com/bank\"\nlicence = \"MIT\"\n\n",
        ) + &question("q1", "First?\n[[question]]\nnot a header", "")
            + &question("q2", "Second?", "typo = 1\n")
            + &question("q3", "Third?", "# [[question]] in a comment\ntags = [\n  \"a\",\n]\n")
            + &question("q4", "Fourth?", "difficulty = \"impossible\"\n");
        let (whole, pieces, cut) = whole_and_in_pieces("q.toml", &text, Some(&blueprint()));
        assert_eq!(cut, 4);
        assert_eq!(whole, pieces);
        let parsed = parse_in_pieces_of("q.toml", text.as_bytes(), Some(&blueprint()), 0, 1);
        // q2 and q4 have schema errors: reported, at their lines, and not read.
        let ids: Vec<&str> = parsed.questions.iter().map(|q| q.question.id.as_str()).collect();
        assert_eq!(ids, ["q1", "q3"]);
        let line_of = |needle: &str| text.lines().position(|l| l.starts_with(needle)).unwrap() + 1;
        let error_lines: Vec<usize> =
            parsed.diagnostics.iter().filter(|d| d.is_error()).map(|d| d.location.line).collect();
        assert!(error_lines.contains(&line_of("typo")), "{:?}", parsed.diagnostics);
        assert!(error_lines.contains(&line_of("difficulty")), "{:?}", parsed.diagnostics);
        let licence = |q: &parse::LocatedQuestion| q.question.source.as_ref().and_then(|s| s.licence.clone());
        assert!(parsed.questions.iter().all(|q| licence(q).as_deref() == Some("MIT")));
    }

    #[test]
    fn a_broken_piece_is_reported_at_its_place_and_the_others_still_read() {
        let text = question("q1", "First?", "")
            + &question("q2", "Second?", "x = = 1\n")
            + &question("q3", "Third?", "");
        let parsed = parse_in_pieces_of("q.toml", text.as_bytes(), Some(&blueprint()), 0, 1);
        let errors: Vec<&Diagnostic> = parsed.diagnostics.iter().filter(|d| d.is_error()).collect();
        let line = text.lines().position(|l| l == "x = = 1").unwrap() + 1;
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(errors[0].location.line, line);
        assert_eq!(parsed.questions.iter().map(|q| q.question.id.as_str()).collect::<Vec<_>>(), ["q1", "q3"]);
    }

    fn stem_text() -> impl Strategy<Value = String> {
        prop::collection::vec(
            prop_oneof![
                Just("[[question]]".to_string()),
                Just("  [[scenario]]".to_string()),
                Just("# not a comment".to_string()),
                Just(r#"quote \" and ' and ''' inside"#.to_string()),
                Just(r"a backslash \\".to_string()),
                Just("[x]".to_string()),
                Just("ünïcödé ✓".to_string()),
                "[a-z ]{0,20}",
            ],
            0..4,
        )
        .prop_map(|lines| lines.join("\n"))
    }

    fn extra() -> impl Strategy<Value = String> {
        prop_oneof![
            Just(String::new()),
            Just("tags = [\n  \"a\", # [[question]]\n  \"b\",\n]\n".to_string()),
            Just("difficulty = \"hard\"\r\n".to_string()),
            Just("task = \"1.1\"\n".to_string()),
            Just("unknown = { a = [1, [2]] }\n".to_string()),
            Just("[question.source]\nfile = \"x.gift\"\n".to_string()),
            Just("difficulty = \"impossible\"\n".to_string()),
        ]
    }

    proptest! {
        #[test]
        fn generated_files_parse_in_pieces_as_they_do_whole(
            source in prop::bool::ANY,
            questions in prop::collection::vec((stem_text(), extra()), 1..8),
            target in 1usize..2000,
        ) {
            let mut text = String::from("# generated\n");
            if source {
                text.push_str("[source]\nurl = \"https://example.com\"\n\n");
            }
            for (i, (stem, extra)) in questions.iter().enumerate() {
                text.push_str(&question(&format!("q{i}"), stem, extra));
            }
            // Every generated file can be cut (its pieces are what is compared).
            prop_assert!(split::split(&text, target).is_some(), "not cut: {}", text);
            let whole = parse::parse_questions("q.toml", text.as_bytes(), Some(&blueprint()));
            let pieces = parse_in_pieces_of("q.toml", text.as_bytes(), Some(&blueprint()), 0, target);
            prop_assert_eq!(outcome(&whole), outcome(&pieces));
        }
    }
}
