//! The shipped banks in the form `build.rs` embeds: checked at build time by this very
//! loader, then encoded with postcard, so starting an exam decodes bytes instead of
//! parsing and checking TOML. The TOML files stay the source of truth (they are embedded
//! too, for `check` and `export`). `--bank-dir` banks are cached in the same form
//! (`bank::cache`). Pure: bytes in, model out.

use serde::{Deserialize, Serialize};

use super::{Blueprint, Exam, Question, Scenario};

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
        for question in &exam.questions {
            if let Some(&i) = index.get(question.domain.as_str()) {
                per_domain[i] += 1;
            }
        }
        QuestionCounts { total: exam.questions.len(), per_domain }
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

/// An exam's questions and scenarios, as encoded (sorted by id, as `Exam` keeps them).
#[derive(Serialize)]
struct ContentsRef<'a> {
    questions: &'a [Question],
    scenarios: &'a [Scenario],
}

/// The same fields, owned, for decoding (postcard is positional: same order as above).
#[derive(Deserialize)]
struct Contents {
    questions: Vec<Question>,
    scenarios: Vec<Scenario>,
}

/// The two blobs of one exam: its summary and its contents.
#[allow(dead_code)] // build.rs encodes with this; the bank cache streams the same bytes
pub fn encode(exam: &Exam) -> Result<(Vec<u8>, Vec<u8>), postcard::Error> {
    let summary = ExamSummary::of(exam);
    let contents = ContentsRef { questions: &exam.questions, scenarios: &exam.scenarios };
    Ok((postcard::to_allocvec(&summary)?, postcard::to_allocvec(&contents)?))
}

/// The contents blob of `encode`, written to `writer` as it is encoded (no buffer of it).
pub fn write_contents<W: std::io::Write>(exam: &Exam, writer: W) -> Result<W, postcard::Error> {
    postcard::to_io(&ContentsRef { questions: &exam.questions, scenarios: &exam.scenarios }, writer)
}

pub fn decode_summary(bytes: &[u8]) -> Result<ExamSummary, postcard::Error> {
    postcard::from_bytes(bytes)
}

/// The exam whose contents were encoded by `encode`, with its blueprint.
pub fn decode_exam(blueprint: Blueprint, contents: &[u8]) -> Result<Exam, postcard::Error> {
    let contents: Contents = postcard::from_bytes(contents)?;
    Ok(Exam::new(blueprint, contents.questions, contents.scenarios))
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
            let decoded = decode_exam(summary.blueprint.clone(), prebuilt.contents).unwrap();
            let parsed = crate::bank::source::load_from_toml(folder).unwrap();
            assert_eq!(summary.blueprint, parsed.blueprint, "{folder}");
            assert_eq!(summary.counts, QuestionCounts::of(&parsed), "{folder}");
            assert_eq!(decoded.questions, parsed.questions, "{folder}");
            assert_eq!(decoded.scenarios, parsed.scenarios, "{folder}");
        }
    }

    #[test]
    fn damaged_bytes_are_an_error_not_a_panic() {
        let folders = shipped_folders();
        let prebuilt = folders[0].prebuilt.unwrap();
        let summary = decode_summary(prebuilt.summary).unwrap();
        for cut in [0, 1, prebuilt.contents.len() / 2, prebuilt.contents.len() - 1] {
            assert!(decode_exam(summary.blueprint.clone(), &prebuilt.contents[..cut]).is_err());
        }
        assert!(decode_summary(&prebuilt.summary[..prebuilt.summary.len() / 2]).is_err());
    }
}
