//! The `--bank-dir` cache: an exam from a bank folder that passed the check is kept in the
//! data folder (`<data dir>/bank-cache/`, one entry per exam folder), encoded as the shipped
//! banks are (`bank::prebuilt`: the summary, then the contents), under a key that hashes
//! everything the loaded exam depends on (`key`). A hit decodes instead of parsing, and
//! `list` reads only the summary. `check` never comes here: it always parses.
//!
//! An entry is untrusted input, like every file on disk: it is used only when its header,
//! its key and the BLAKE3 digests of both parts match and both decode; anything else
//! (truncated, damaged, oversized, foreign, from another build) is a miss: the bank is
//! parsed and the entry written again. A write goes to a temporary file in the same folder
//! and is renamed over the entry, so a reader sees a whole entry or the one before. A cache
//! that cannot be written (a read-only or full data folder) changes nothing but speed.

use std::fs;
use std::io::{self, Read, Seek, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use super::Exam;
use super::prebuilt::{self, ExamSummary, QuestionCounts};
use super::source::{self, BankError, ExamFolder};

/// The cache's folder inside the data folder. Deleting it is always safe.
pub const CACHE_FOLDER: &str = "bank-cache";
/// Bumped whenever the layout of an entry or of the encoded model changes (it is part of
/// the key and of every entry's header, so a binary never decodes another layout).
pub const ENCODING_VERSION: u32 = 4;
/// The version of proctor and a fingerprint of the loader's source (build.rs), both in the
/// key: a binary whose checks or model differ never takes an entry another one wrote.
const PROCTOR_VERSION: &str = env!("CARGO_PKG_VERSION");
const LOADER_FINGERPRINT: &str = match option_env!("PROCTOR_LOADER_FINGERPRINT") {
    Some(fingerprint) => fingerprint,
    None => "",
};

const MAGIC: &[u8; 12] = b"proctor-bank";
/// magic, encoding version, key, the two lengths, the two digests.
const HEADER_LEN: usize = 12 + 4 + 32 + 8 + 8 + 32 + 32;
const MAX_SUMMARY_BYTES: u64 = 16 * 1024 * 1024;
const MAX_CONTENTS_BYTES: u64 = source::MAX_EXAM_BYTES;
/// A temporary file older than this is left over from a killed writer.
const STALE_TEMP: Duration = Duration::from_secs(3600);

/// One file as the key sees it: its path inside the exam folder, its length and digest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileDigest {
    pub path: Vec<u8>,
    pub len: u64,
    pub digest: [u8; 32],
}

/// The BLAKE3 digest of a file's bytes.
pub fn digest(bytes: &[u8]) -> [u8; 32] {
    *blake3::hash(bytes).as_bytes()
}

/// The key of an exam loaded from `files` (in the loader's order): the encoding version,
/// proctor's version, the loader's fingerprint, then every file's path, length and digest,
/// each length-prefixed so no two lists hash the same input.
pub fn key(files: &[FileDigest]) -> [u8; 32] {
    let mut hasher = blake3::Hasher::new_derive_key("proctor bank-dir cache key");
    hasher.update(&ENCODING_VERSION.to_le_bytes());
    for part in [PROCTOR_VERSION, LOADER_FINGERPRINT] {
        hasher.update(&(part.len() as u64).to_le_bytes());
        hasher.update(part.as_bytes());
    }
    hasher.update(&(files.len() as u64).to_le_bytes());
    for file in files {
        hasher.update(&(file.path.len() as u64).to_le_bytes());
        hasher.update(&file.path);
        hasher.update(&file.len.to_le_bytes());
        hasher.update(&file.digest);
    }
    *hasher.finalize().as_bytes()
}

/// The bank cache of one data folder.
#[derive(Debug, Clone)]
pub struct BankCache {
    data_dir: PathBuf,
}

impl BankCache {
    pub fn in_data_dir(data_dir: PathBuf) -> BankCache {
        BankCache { data_dir }
    }

    fn dir(&self) -> PathBuf {
        self.data_dir.join(CACHE_FOLDER)
    }

    /// The entry of an exam folder: named by a hash of its canonical path, so each folder
    /// has one entry (a changed bank replaces it) however it was named on the command line.
    fn entry_path(&self, folder: &ExamFolder) -> Option<PathBuf> {
        let canonical = fs::canonicalize(folder.dir()?).ok()?;
        let mut hasher = blake3::Hasher::new_derive_key("proctor bank-dir cache entry name");
        hasher.update(canonical.as_os_str().as_encoded_bytes());
        Some(self.dir().join(format!("{}.bank", &hasher.finalize().to_hex()[..32])))
    }

    /// The entry and the key the folder's files have now, when there is an entry to try.
    fn lookup(&self, folder: &ExamFolder) -> Option<(PathBuf, [u8; 32])> {
        let path = self.entry_path(folder)?;
        // No entry, nothing to hash: the first load only parses.
        if !path.is_file() {
            return None;
        }
        Some((path, key(&folder.digests()?)))
    }

    /// The exam of `folder`: decoded from its entry when the key matches, else parsed and
    /// checked as `source::load_from_toml` does (then kept for next time).
    pub fn load(&self, folder: &ExamFolder) -> Result<Exam, BankError> {
        if let Some((path, key)) = self.lookup(folder)
            && let Some(exam) = read_exam(&path, &key)
        {
            return Ok(exam);
        }
        self.parse_and_keep(folder)
    }

    /// The blueprint and question counts of `folder`: from its entry's summary alone when
    /// the key matches, else from parsing it (then kept for next time).
    pub fn summary(&self, folder: &ExamFolder) -> Result<ExamSummary, BankError> {
        if let Some((path, key)) = self.lookup(folder)
            && let Some(summary) = read_summary(&path, &key)
        {
            return Ok(summary);
        }
        self.parse_and_keep(folder).map(|exam| ExamSummary::of(&exam))
    }

    fn parse_and_keep(&self, folder: &ExamFolder) -> Result<Exam, BankError> {
        // The cache lives in the data folder but does not create it: a command that only
        // reads (`list`) leaves a fresh machine as it found it. A plain parse, then.
        if !self.data_dir.is_dir() {
            return source::load_from_toml(folder);
        }
        let (loaded, digests) = folder.load_recorded();
        if let (Ok(exam), Some(digests), Some(path)) = (&loaded, digests, self.entry_path(folder)) {
            // A cache that cannot be written only costs the next start its parse: nothing
            // to tell (a read-only data folder is a choice; a full disk is reported by the
            // store when it matters).
            let _ = self.write_entry(&path, &key(&digests), exam);
        }
        loaded
    }

    fn write_entry(&self, path: &Path, key: &[u8; 32], exam: &Exam) -> io::Result<()> {
        let dir = self.dir();
        match fs::create_dir(&dir) {
            Err(e) if e.kind() != io::ErrorKind::AlreadyExists => return Err(e),
            _ => {}
        }
        let nanos = SystemTime::now().duration_since(SystemTime::UNIX_EPOCH).map_or(0, |d| d.as_nanos());
        let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        let temp = dir.join(format!("{stem}.{}.{nanos}.tmp", std::process::id()));
        // No sync: a write torn by a crash fails its digests and is a miss, never a wrong exam.
        let written = write_temp(&temp, key, exam).and_then(|()| fs::rename(&temp, path));
        if written.is_err() {
            let _ = fs::remove_file(&temp);
        }
        remove_stale_temps(&dir);
        written
    }
}

/// Writes an entry to the new file `temp`, encoding straight into it (a large bank's
/// encoding is never held in memory whole): a placeholder header, the summary and the
/// contents, each hashed as it goes, then the header.
fn write_temp(temp: &Path, key: &[u8; 32], exam: &Exam) -> io::Result<()> {
    let file = fs::OpenOptions::new().write(true).create_new(true).open(temp)?;
    let mut out = io::BufWriter::with_capacity(64 * 1024, Hashing::new(file));
    out.write_all(&[0; HEADER_LEN])?;
    out.flush()?;
    out.get_mut().take();
    postcard::to_io(&ExamSummary::of(exam), &mut out).map_err(io::Error::other)?;
    out.flush()?;
    let (summary_len, summary_digest) = out.get_mut().take();
    prebuilt::write_contents(exam, &mut out, prebuilt::Hashes::Omitted).map_err(io::Error::other)?;
    out.flush()?;
    let (contents_len, contents_digest) = out.get_mut().take();
    if summary_len > MAX_SUMMARY_BYTES || contents_len > MAX_CONTENTS_BYTES {
        return Err(io::Error::other("too large to cache"));
    }
    let mut header = Vec::with_capacity(HEADER_LEN);
    header.extend_from_slice(MAGIC);
    header.extend_from_slice(&ENCODING_VERSION.to_le_bytes());
    header.extend_from_slice(key);
    header.extend_from_slice(&summary_len.to_le_bytes());
    header.extend_from_slice(&contents_len.to_le_bytes());
    header.extend_from_slice(&summary_digest);
    header.extend_from_slice(&contents_digest);
    let mut file = out.into_inner().map_err(io::IntoInnerError::into_error)?.inner;
    file.seek(io::SeekFrom::Start(0))?;
    file.write_all(&header)
}

/// A writer that hashes and counts what passes through it.
struct Hashing<W> {
    inner: W,
    hasher: blake3::Hasher,
    len: u64,
}

impl<W> Hashing<W> {
    fn new(inner: W) -> Hashing<W> {
        Hashing { inner, hasher: blake3::Hasher::new(), len: 0 }
    }

    /// The length and digest of what was written since the last `take`.
    fn take(&mut self) -> (u64, [u8; 32]) {
        let taken = (self.len, *self.hasher.finalize().as_bytes());
        self.hasher.reset();
        self.len = 0;
        taken
    }
}

impl<W: Write> Write for Hashing<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hasher.update(&buf[..n]);
        self.len += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// Removes temporary files a killed writer left behind (there are few files here).
fn remove_stale_temps(dir: &Path) {
    let Ok(entries) = fs::read_dir(dir) else { return };
    let now = SystemTime::now();
    for entry in entries.flatten() {
        let path = entry.path();
        let stale = entry
            .metadata()
            .and_then(|m| m.modified())
            .is_ok_and(|modified| now.duration_since(modified).is_ok_and(|age| age > STALE_TEMP));
        if stale && path.extension().is_some_and(|e| e == "tmp") {
            let _ = fs::remove_file(path);
        }
    }
}

/// What an entry's header says, once it was found to be one of ours, for this key.
struct Header {
    summary_len: u64,
    contents_len: u64,
    summary_digest: [u8; 32],
    contents_digest: [u8; 32],
}

/// The entry at `path` opened past its header, if the header is ours, for `key`, and
/// the file's length is exactly what the header says.
fn open_entry(path: &Path, key: &[u8; 32]) -> Option<(fs::File, Header)> {
    // Only a regular file: a FIFO would block the open.
    if !fs::metadata(path).ok()?.is_file() {
        return None;
    }
    let mut file = fs::File::open(path).ok()?;
    let meta = file.metadata().ok()?;
    if !meta.is_file() {
        return None;
    }
    let mut head = [0u8; HEADER_LEN];
    file.read_exact(&mut head).ok()?;
    let (magic, rest) = head.split_at(MAGIC.len());
    let (version, rest) = rest.split_at(4);
    let (stored_key, rest) = rest.split_at(32);
    let (summary_len, rest) = rest.split_at(8);
    let (contents_len, rest) = rest.split_at(8);
    let (summary_digest, contents_digest) = rest.split_at(32);
    if magic != MAGIC || version != ENCODING_VERSION.to_le_bytes() || stored_key != key {
        return None;
    }
    let header = Header {
        summary_len: u64::from_le_bytes(summary_len.try_into().ok()?),
        contents_len: u64::from_le_bytes(contents_len.try_into().ok()?),
        summary_digest: summary_digest.try_into().ok()?,
        contents_digest: contents_digest.try_into().ok()?,
    };
    if header.summary_len > MAX_SUMMARY_BYTES || header.contents_len > MAX_CONTENTS_BYTES {
        return None;
    }
    if meta.len() != HEADER_LEN as u64 + header.summary_len + header.contents_len {
        return None;
    }
    Some((file, header))
}

/// The next `len` bytes of `file`, if there are that many and they have `expected` digest.
fn read_part(file: &mut fs::File, len: u64, expected: &[u8; 32]) -> Option<Vec<u8>> {
    let mut bytes = Vec::with_capacity(usize::try_from(len).ok()?);
    file.take(len).read_to_end(&mut bytes).ok()?;
    (bytes.len() as u64 == len && digest(&bytes) == *expected).then_some(bytes)
}

fn read_summary(path: &Path, key: &[u8; 32]) -> Option<ExamSummary> {
    let (mut file, header) = open_entry(path, key)?;
    let summary = read_part(&mut file, header.summary_len, &header.summary_digest)?;
    prebuilt::decode_summary(&summary).ok()
}

fn read_exam(path: &Path, key: &[u8; 32]) -> Option<Exam> {
    let (mut file, header) = open_entry(path, key)?;
    let summary = read_part(&mut file, header.summary_len, &header.summary_digest)?;
    let summary = prebuilt::decode_summary(&summary).ok()?;
    let contents = read_part(&mut file, header.contents_len, &header.contents_digest)?;
    let exam = prebuilt::decode_exam_whole(summary.blueprint, &contents).ok()?;
    // The two parts were written together: they agree, or the entry is not used.
    (QuestionCounts::of(&exam) == summary.counts).then_some(exam)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bank::source::{folders_at, load_from_toml};

    fn tiny_copy(root: &Path) -> PathBuf {
        let from = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/banks/tiny");
        let to = root.join("tiny");
        fs::create_dir_all(&to).unwrap();
        for entry in fs::read_dir(&from).unwrap() {
            let entry = entry.unwrap();
            if entry.path().is_file() {
                fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
            }
        }
        to
    }

    struct Setup {
        _root: tempfile::TempDir,
        bank: PathBuf,
        cache: BankCache,
    }

    fn setup() -> Setup {
        let root = tempfile::tempdir().unwrap();
        let bank = tiny_copy(root.path());
        let data = root.path().join("data");
        fs::create_dir_all(&data).unwrap();
        Setup { bank, cache: BankCache::in_data_dir(data), _root: root }
    }

    fn folder(bank: &Path) -> ExamFolder {
        folders_at(bank).unwrap().remove(0)
    }

    fn assert_same(a: &Exam, b: &Exam) {
        assert_eq!(a.blueprint, b.blueprint);
        assert_eq!(a.questions(), b.questions());
        assert_eq!(a.scenarios, b.scenarios);
    }

    /// The entry written for the folder, and the key its files have now.
    fn entry(s: &Setup) -> (PathBuf, [u8; 32]) {
        let folder = folder(&s.bank);
        (s.cache.entry_path(&folder).unwrap(), key(&folder.digests().unwrap()))
    }

    #[test]
    fn a_hit_decodes_exactly_the_exam_a_parse_gives() {
        let s = setup();
        let parsed = load_from_toml(&folder(&s.bank)).unwrap();
        let first = s.cache.load(&folder(&s.bank)).unwrap();
        assert_same(&first, &parsed);
        let (path, key) = entry(&s);
        let hit = read_exam(&path, &key).expect("the first load wrote an entry for this key");
        assert_same(&hit, &parsed);
        assert_same(&s.cache.load(&folder(&s.bank)).unwrap(), &parsed);
        assert_eq!(read_summary(&path, &key).unwrap(), ExamSummary::of(&parsed));
        assert_eq!(s.cache.summary(&folder(&s.bank)).unwrap(), ExamSummary::of(&parsed));
    }

    #[test]
    fn an_entry_holds_the_blobs_the_shipped_banks_are_built_from() {
        let s = setup();
        let exam = s.cache.load(&folder(&s.bank)).unwrap();
        let (path, key) = entry(&s);
        let bytes = fs::read(&path).unwrap();
        let (summary, contents) = prebuilt::encode(&exam, prebuilt::Hashes::Omitted).unwrap();
        assert_eq!(bytes.len(), HEADER_LEN + summary.len() + contents.len());
        assert_eq!(&bytes[HEADER_LEN..HEADER_LEN + summary.len()], summary.as_slice());
        assert_eq!(&bytes[HEADER_LEN + summary.len()..], contents.as_slice());
        assert_eq!(&bytes[..MAGIC.len()], MAGIC);
        assert_eq!(&bytes[16..48], key.as_slice());
    }

    #[test]
    fn the_parse_records_the_digests_the_key_is_made_of() {
        let s = setup();
        let folder = folder(&s.bank);
        let (loaded, recorded) = folder.load_recorded();
        loaded.unwrap();
        let read = folder.digests().unwrap();
        assert_eq!(recorded.unwrap(), read);
        assert_eq!(read[0].path, b"exam.toml");
        assert_eq!(read.len(), 1 + folder.question_files.len());
    }

    #[test]
    fn every_part_of_a_file_list_changes_the_key() {
        let file = |path: &str, len, byte| FileDigest { path: path.into(), len, digest: [byte; 32] };
        let base = vec![file("exam.toml", 10, 1), file("q.toml", 20, 2)];
        let variants = [
            vec![file("exam.toml", 10, 1), file("r.toml", 20, 2)],
            vec![file("exam.toml", 10, 1), file("q.toml", 21, 2)],
            vec![file("exam.toml", 10, 1), file("q.toml", 20, 3)],
            vec![file("q.toml", 20, 2), file("exam.toml", 10, 1)],
            vec![file("exam.toml", 10, 1)],
            // The same bytes split differently between path and the next field.
            vec![file("exam.toml", 10, 1), file("q.tom", 20, 2)],
        ];
        for variant in variants {
            assert_ne!(key(&variant), key(&base), "{variant:?}");
        }
        assert_eq!(key(&base), key(&base.clone()));
    }

    #[test]
    fn a_damaged_entry_is_a_miss_and_is_written_again() {
        let s = setup();
        let parsed = load_from_toml(&folder(&s.bank)).unwrap();
        s.cache.load(&folder(&s.bank)).unwrap();
        let (path, key) = entry(&s);
        let good = fs::read(&path).unwrap();
        let mut damaged: Vec<Vec<u8>> = Vec::new();
        for cut in [0, 1, HEADER_LEN - 1, HEADER_LEN, HEADER_LEN + 5, good.len() / 2, good.len() - 1] {
            damaged.push(good[..cut].to_vec());
        }
        // A flipped byte anywhere: magic, version, key, lengths, digests, summary, contents.
        for at in [0, 12, 20, 50, 60, 70, 100, HEADER_LEN + 3, good.len() / 2, good.len() - 1] {
            let mut bytes = good.clone();
            bytes[at] ^= 0x20;
            damaged.push(bytes);
        }
        let mut longer = good.clone();
        longer.push(0);
        damaged.push(longer);
        damaged.push(b"not a cache entry at all".to_vec());
        for (n, bytes) in damaged.iter().enumerate() {
            fs::write(&path, bytes).unwrap();
            assert!(read_exam(&path, &key).is_none(), "damage {n} decoded");
            assert_same(&s.cache.load(&folder(&s.bank)).unwrap(), &parsed);
            assert_eq!(fs::read(&path).unwrap(), good, "damage {n}: the entry was not written again");
        }
        // And for the summary alone.
        fs::write(&path, &good[..HEADER_LEN + 2]).unwrap();
        assert_eq!(s.cache.summary(&folder(&s.bank)).unwrap(), ExamSummary::of(&parsed));
        assert_eq!(fs::read(&path).unwrap(), good);
    }

    #[test]
    fn an_entry_of_other_contents_is_not_taken() {
        let s = setup();
        s.cache.load(&folder(&s.bank)).unwrap();
        let (path, old_key) = entry(&s);
        let question_file = folder(&s.bank).question_files[0].label.clone();
        let text = fs::read_to_string(&question_file).unwrap();
        // Same length, one letter changed in a stem.
        let edited = text.replacen("Which", "Whick", 1);
        assert_ne!(text, edited);
        assert_eq!(text.len(), edited.len());
        fs::write(&question_file, &edited).unwrap();
        let (_, new_key) = entry(&s);
        assert_ne!(old_key, new_key);
        assert!(read_exam(&path, &new_key).is_none());
        let reloaded = s.cache.load(&folder(&s.bank)).unwrap();
        assert!(reloaded.questions().iter().any(|q| q.stem.contains("Whick")));
        assert!(read_exam(&path, &new_key).is_some(), "the changed bank replaced its entry");
        assert!(read_exam(&path, &old_key).is_none());
        assert_eq!(fs::read_dir(s.cache.dir()).unwrap().count(), 1, "one entry per exam folder");
    }

    #[test]
    fn temporary_files_are_never_read_and_a_killed_writers_are_removed_later() {
        let s = setup();
        let parsed = load_from_toml(&folder(&s.bank)).unwrap();
        s.cache.load(&folder(&s.bank)).unwrap();
        let (path, key) = entry(&s);
        let good = fs::read(&path).unwrap();
        // What a writer killed before its rename leaves: a whole entry under a temporary
        // name (only the entry's own name is ever read), here one old and one recent.
        let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
        let old = s.cache.dir().join(format!("{stem}.1.1.tmp"));
        let recent = s.cache.dir().join(format!("{stem}.2.2.tmp"));
        fs::write(&old, &good).unwrap();
        fs::write(&recent, &good).unwrap();
        let two_hours_ago = SystemTime::now() - Duration::from_secs(7200);
        fs::File::options().write(true).open(&old).unwrap().set_modified(two_hours_ago).unwrap();
        fs::remove_file(&path).unwrap();
        assert!(read_exam(&path, &key).is_none());
        // A miss (no entry): parsed and written, and the old temporary file swept.
        assert_same(&s.cache.load(&folder(&s.bank)).unwrap(), &parsed);
        assert_eq!(fs::read(&path).unwrap(), good);
        assert!(!old.exists(), "a temporary file older than an hour is removed");
        assert!(recent.exists(), "a writer may still be busy with a recent one");
    }

    #[test]
    fn no_data_folder_no_cache() {
        let root = tempfile::tempdir().unwrap();
        let bank = tiny_copy(root.path());
        let cache = BankCache::in_data_dir(root.path().join("absent"));
        cache.load(&folder(&bank)).unwrap();
        assert!(!root.path().join("absent").exists());
    }
}
