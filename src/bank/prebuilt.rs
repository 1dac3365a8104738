//! The shipped banks in the form `build.rs` embeds: checked at build time by this very
//! loader, then encoded with postcard, so starting an exam decodes bytes instead of
//! parsing and checking TOML. The TOML files stay the source of truth (they are embedded
//! too, for `check` and `export`). `--bank-dir` banks are cached in the same form
//! (`bank::cache`). Pure: bytes in, model out.

use serde::{Deserialize, Serialize};

use super::{Blueprint, Exam, Question, Scenario, Shape};

/// How many questions a bank holds, in all and per blueprint domain (blueprint order):
/// what `list` shows without loading the questions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuestionCounts {
    pub total: usize,
    pub per_domain: Vec<usize>,
}

impl QuestionCounts {
    pub fn of(exam: &Exam) -> QuestionCounts {
        let domains = &exam.blueprint.domains;
        let mut per_domain = vec![0; domains.len()];
        let index: std::collections::HashMap<&str, usize> =
            domains.iter().enumerate().map(|(i, d)| (d.id.as_str(), i)).collect();
        for question in exam.listings() {
            if let Some(&i) = index.get(question.domain) {
                per_domain[i] += 1;
            }
        }
        QuestionCounts { total: exam.len(), per_domain }
    }
}

/// An exam's blueprint and counts: decoded for the catalog, without its questions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExamSummary {
    pub blueprint: Blueprint,
    pub counts: QuestionCounts,
}

impl ExamSummary {
    pub fn of(exam: &Exam) -> ExamSummary {
        ExamSummary { blueprint: exam.blueprint.clone(), counts: QuestionCounts::of(exam) }
    }
}

/// One question in a prebuilt exam's index: what the draw and the attempt need before
/// (or without) decoding it, and where its record ends.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IndexEntry<'a> {
    #[serde(borrow)]
    pub id: &'a str,
    #[serde(borrow)]
    pub domain: &'a str,
    #[serde(borrow)]
    pub scenario: Option<&'a str>,
    /// `Shape::of` the question: what laying it out and checking answers need.
    pub shape: Shape,
    /// `Question::content_digest`, computed when the exam was encoded (0 when the contents
    /// were written without hashes, `Hashes::Omitted`).
    pub content_hash: u64,
    /// Where the question's record ends in the records (its start is where the one
    /// before ends).
    pub end: u32,
}

/// The head of an exam's contents: its scenarios and the index of its questions (sorted
/// by id, as `Exam` keeps them); the records follow it, one postcard `Question` each.
#[derive(Serialize)]
struct HeadRef<'a> {
    content_hashes: bool,
    scenarios: &'a [Scenario],
    index: &'a [IndexEntry<'a>],
}

/// The same fields, for decoding (postcard is positional: same order as above).
#[derive(Deserialize)]
struct Head<'a> {
    content_hashes: bool,
    scenarios: Vec<Scenario>,
    #[serde(borrow)]
    index: Vec<IndexEntry<'a>>,
}

/// Whether an index carries each question's content hash. The shipped exams' does: their
/// questions are decoded when asked for, and an attempt takes the hashes from the index.
/// The bank cache's need not: an entry is decoded whole, and hashing every question of a
/// large bank at each cache write (FNV over all its text) would slow the miss for nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hashes {
    Included,
    Omitted,
}

/// The two blobs of one exam: its summary and its contents.
#[allow(dead_code)] // build.rs encodes with this; the bank cache streams the same bytes
pub fn encode(exam: &Exam, hashes: Hashes) -> Result<(Vec<u8>, Vec<u8>), postcard::Error> {
    let summary = ExamSummary::of(exam);
    Ok((postcard::to_allocvec(&summary)?, write_contents(exam, Vec::new(), hashes)?))
}

/// The contents blob of `encode`, written to `writer` as it is encoded (no buffer of it:
/// each record's size is measured first, for the index).
pub fn write_contents<W: std::io::Write>(
    exam: &Exam,
    mut writer: W,
    hashes: Hashes,
) -> Result<W, postcard::Error> {
    let questions = exam.questions();
    let mut index = Vec::with_capacity(questions.len());
    let mut end = 0usize;
    for question in questions {
        end += postcard::experimental::serialized_size(question)?;
        index.push(IndexEntry {
            id: &question.id,
            domain: &question.domain,
            scenario: question.scenario.as_deref(),
            shape: Shape::of(question),
            content_hash: if hashes == Hashes::Included { question.content_digest() } else { 0 },
            end: u32::try_from(end).map_err(|_| postcard::Error::SerializeBufferFull)?,
        });
    }
    let content_hashes = hashes == Hashes::Included;
    writer = postcard::to_io(&HeadRef { content_hashes, scenarios: &exam.scenarios, index: &index }, writer)?;
    for question in questions {
        writer = postcard::to_io(question, writer)?;
    }
    Ok(writer)
}

pub fn decode_summary(bytes: &[u8]) -> Result<ExamSummary, postcard::Error> {
    postcard::from_bytes(bytes)
}

/// The head of `contents` and its records, if the index describes them: ids strictly
/// increasing, record ends never decreasing, the last one the end of the bytes.
fn split_contents(contents: &[u8]) -> Result<(Head<'_>, &[u8]), postcard::Error> {
    let (head, records): (Head<'_>, &[u8]) = postcard::take_from_bytes(contents)?;
    let ordered = head.index.windows(2).all(|w| w[0].id < w[1].id && w[0].end <= w[1].end);
    let last = head.index.last().map_or(0, |e| e.end as usize);
    if !ordered || last != records.len() {
        return Err(postcard::Error::DeserializeBadEncoding);
    }
    Ok((head, records))
}

/// The exam whose contents (embedded in the binary) were encoded by `encode`: its index
/// now, each question when it is first asked for (`Exam::question_at`).
pub fn decode_exam(blueprint: Blueprint, contents: &'static [u8]) -> Result<Exam, postcard::Error> {
    let (head, records) = split_contents(contents)?;
    // Hashes are read from the index: it must have them.
    if !head.content_hashes {
        return Err(postcard::Error::DeserializeBadEncoding);
    }
    Ok(Exam::prebuilt(blueprint, head.scenarios, head.index, records))
}

/// The same, every question decoded now: for contents read from a file (the bank cache),
/// which an `Exam` cannot borrow, and to check a blob whole.
pub fn decode_exam_whole(blueprint: Blueprint, contents: &[u8]) -> Result<Exam, postcard::Error> {
    let (head, records) = split_contents(contents)?;
    let mut questions = Vec::with_capacity(head.index.len());
    let mut start = 0;
    for entry in &head.index {
        let end = entry.end as usize;
        let question: Question = postcard::from_bytes(&records[start..end])?;
        // The index is the record's, or the blob is not one `encode` wrote (the hash is
        // not checked: the bank cache omits it, and its entries carry BLAKE3 digests).
        if question.id != entry.id
            || question.domain != entry.domain
            || question.scenario.as_deref() != entry.scenario
            || Shape::of(&question) != entry.shape
        {
            return Err(postcard::Error::DeserializeBadEncoding);
        }
        questions.push(question);
        start = end;
    }
    Ok(Exam::new(blueprint, questions, head.scenarios))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bank::source::shipped_folders;

    #[test]
    fn every_shipped_exam_was_prebuilt_and_decodes_to_what_the_toml_says() {
        let folders = shipped_folders();
        assert!(folders.len() >= 2);
        for folder in &folders {
            let prebuilt = folder.prebuilt.unwrap_or_else(|| panic!("{folder} was not prebuilt"));
            let summary = decode_summary(prebuilt.summary).unwrap();
            let lazy = decode_exam(summary.blueprint.clone(), prebuilt.contents).unwrap();
            let whole = decode_exam_whole(summary.blueprint.clone(), prebuilt.contents).unwrap();
            let parsed = crate::bank::source::load_from_toml(folder).unwrap();
            assert_eq!(summary.blueprint, parsed.blueprint, "{folder}");
            assert_eq!(summary.counts, QuestionCounts::of(&parsed), "{folder}");
            assert_eq!(QuestionCounts::of(&lazy), summary.counts, "{folder}");
            assert_eq!(lazy.scenarios, parsed.scenarios, "{folder}");
            assert_eq!(lazy.len(), parsed.len(), "{folder}");
            // One at a time, from the last (no question decoded in order by accident),
            // then all at once: each is the parsed question, its listing, shape and hash
            // agree.
            for i in (0..parsed.len()).rev() {
                let question = &parsed.questions()[i];
                assert_eq!(lazy.question_at(i), question, "{folder}: question {i}");
                let listing = lazy.listing(i);
                assert_eq!(
                    (listing.id, listing.domain, listing.scenario),
                    (question.id.as_str(), question.domain.as_str(), question.scenario.as_deref())
                );
                assert_eq!(lazy.content_hash_at(i), question.content_hash());
                assert_eq!(lazy.shape_at(i), Shape::of(question), "{folder}: question {i}");
                assert_eq!(lazy.index_of(&question.id), Some(i));
            }
            assert_eq!(lazy.questions(), parsed.questions(), "{folder}");
            assert_eq!(whole.questions(), parsed.questions(), "{folder}");
            assert_eq!(lazy.index_of("no-such-question"), None);
        }
    }

    #[test]
    fn a_question_asked_for_before_the_whole_bank_is_the_same_question_after() {
        let folder = &shipped_folders()[0];
        let prebuilt = folder.prebuilt.unwrap();
        let summary = decode_summary(prebuilt.summary).unwrap();
        let lazy = decode_exam(summary.blueprint, prebuilt.contents).unwrap();
        let last = lazy.len() - 1;
        let before = lazy.question_at(last).clone();
        assert_eq!(lazy.questions()[last], before);
        assert_eq!(*lazy.question_at(last), before);
        assert_eq!(lazy.clone().question_at(0), &lazy.questions()[0]);
    }

    #[test]
    fn damaged_bytes_are_an_error_not_a_panic() {
        let folders = shipped_folders();
        let prebuilt = folders[0].prebuilt.unwrap();
        let summary = decode_summary(prebuilt.summary).unwrap();
        let contents = prebuilt.contents;
        for cut in [0, 1, contents.len() / 2, contents.len() - 1] {
            assert!(decode_exam(summary.blueprint.clone(), &contents[..cut]).is_err(), "cut at {cut}");
            assert!(decode_exam_whole(summary.blueprint.clone(), &contents[..cut]).is_err(), "cut at {cut}");
        }
        // One byte longer: the index no longer ends where the records do.
        let mut longer = contents.to_vec();
        longer.push(0);
        assert!(decode_exam_whole(summary.blueprint.clone(), &longer).is_err());
        assert!(decode_summary(&prebuilt.summary[..prebuilt.summary.len() / 2]).is_err());
    }

    #[test]
    fn an_encoded_exam_round_trips_through_both_decoders() {
        let parsed = crate::bank::source::load_from_toml(&shipped_folders()[1]).unwrap();
        let (_, contents) = encode(&parsed, Hashes::Included).unwrap();
        let whole = decode_exam_whole(parsed.blueprint.clone(), &contents).unwrap();
        assert_eq!(whole.questions(), parsed.questions());
        let leaked: &'static [u8] = Box::leak(contents.into_boxed_slice());
        let lazy = decode_exam(parsed.blueprint.clone(), leaked).unwrap();
        assert_eq!(lazy.questions(), parsed.questions());
        assert_eq!(lazy.scenarios, parsed.scenarios);
        // Without hashes (the bank cache's form): decoded whole, never lazily.
        let (_, bare) = encode(&parsed, Hashes::Omitted).unwrap();
        assert_eq!(
            decode_exam_whole(parsed.blueprint.clone(), &bare).unwrap().questions(),
            parsed.questions()
        );
        let leaked: &'static [u8] = Box::leak(bare.into_boxed_slice());
        assert!(decode_exam(parsed.blueprint.clone(), leaked).is_err());
    }
}
