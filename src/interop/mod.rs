//! Banks in and out: other tools' question formats read into one format-neutral draft
//! (`draft`), which one validator turns into bank TOML, and a bank written out in other
//! formats. One file per format; pure (text in, text out): `commands::import` and
//! `commands::export` do the file I/O.

pub mod aiken;
pub mod draft;
pub mod gift;
pub mod html;
pub mod markdown;
pub mod moodle_xml;
pub mod qti;
pub mod tabular;

use draft::Draft;

/// The formats `proctor import` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportFormat {
    Gift,
    Aiken,
    MoodleXml,
    Qti,
    /// mkdocs-quiz Markdown (`<quiz>` blocks), as `export markdown` writes it.
    Markdown,
}

/// A source file that cannot be read at all (not XML, not a question file), with where.
#[derive(Debug, thiserror::Error)]
#[error("{file}:{line}:{col}: {message}")]
pub struct ReadError {
    pub file: String,
    pub line: u32,
    pub col: u32,
    pub message: String,
}

/// The drafts in one source file of `format`; `name` is how the report names the file.
pub fn read(format: ImportFormat, name: &str, source: &str) -> Result<Vec<Draft>, ReadError> {
    match format {
        ImportFormat::Gift => Ok(gift::read(name, source)),
        ImportFormat::Aiken => Ok(aiken::read(name, source)),
        ImportFormat::MoodleXml => moodle_xml::read(name, source),
        ImportFormat::Qti => qti::read(name, source),
        ImportFormat::Markdown => Ok(markdown::read(name, source)),
    }
}

/// Parses XML (BOM and CRLF allowed; a DTD is allowed, as old QTI files declare one), or
/// says where it is broken.
pub(crate) fn parse_xml<'a>(name: &str, source: &'a str) -> Result<roxmltree::Document<'a>, ReadError> {
    let options = roxmltree::ParsingOptions { allow_dtd: true, ..roxmltree::ParsingOptions::default() };
    roxmltree::Document::parse_with_options(source.trim_start_matches('\u{feff}'), options).map_err(|e| {
        let pos = e.pos();
        ReadError { file: name.into(), line: pos.row, col: pos.col, message: format!("not valid XML: {e}") }
    })
}

#[cfg(test)]
mod roundtrip {
    //! Export then import gives back the same questions, keys and rationales.

    use proptest::prelude::*;

    use super::draft::{Target, build};
    use super::{gift, qti};
    use crate::bank::parse::{parse_blueprint, parse_questions};
    use crate::bank::{Body, Choice, ChoiceBody, Exam, Question};

    const BLUEPRINT: &str = r#"format = 1
id = "rt"
code = "RT"
title = "Round trip"
vendor = "test"
level = "associate"
exam_questions = 10
scored_questions = 10
minutes = 20
passing_score = 700

[status]
state = "active"
date = "2026-01-01"

[[domain]]
id = "one"
name = "Domain One"
weight = 60

[[domain]]
id = "two"
name = "Domain {Two}: #2"
weight = 40
"#;

    /// Text with GIFT's and XML's special characters, words spaced once or twice, some
    /// lines, some of them indented (as code in a stem is).
    fn text() -> impl Strategy<Value = String> {
        let word = prop::string::string_regex("[a-zA-Z0-9~=#{}:\\\\<>&\"'%éü?.-]{1,8}").unwrap();
        let gap = prop::sample::select(vec![" ", " ", " ", " ", "  ", "\n", "\n  "]);
        prop::collection::vec((word, gap), 1..8).prop_map(|words| {
            let mut out = String::new();
            for (i, (w, gap)) in words.into_iter().enumerate() {
                if i > 0 {
                    out.push_str(gap);
                }
                out.push_str(&w);
            }
            out
        })
    }

    /// `text()`, sometimes with a fenced code block (a language or none, indented lines,
    /// a blank line, special characters) and more text after it.
    fn rich_text() -> impl Strategy<Value = String> {
        let line =
            prop::string::string_regex("( {0,4})[a-zA-Z0-9~=#{}:\\\\<>&\"'%.;()-]{1,10}( [a-z=<>]{1,4})?")
                .unwrap();
        let lines = prop::collection::vec(prop::option::of(line), 1..5);
        let code = (prop::sample::select(vec!["", "python", "c++"]), lines);
        (text(), prop::option::of(code), prop::option::of(text())).prop_map(|(before, code, after)| {
            let Some((lang, lines)) = code else { return before };
            // A block of blank lines only is not code anyone writes (HTML keeps no such block).
            if lines.iter().all(Option::is_none) {
                return before;
            }
            let body: Vec<String> = lines.into_iter().map(Option::unwrap_or_default).collect();
            let mut out = format!("{before}\n```{lang}\n{}\n```", body.join("\n"));
            if let Some(after) = after {
                out.push('\n');
                out.push_str(&after);
            }
            out
        })
    }

    fn question() -> impl Strategy<Value = Question> {
        (
            "[a-z][a-z0-9-]{0,10}[a-z0-9]",
            prop::bool::ANY,
            rich_text(),
            prop::option::of(rich_text()),
            prop::collection::vec((text(), prop::option::of(rich_text())), 4..7),
            prop::bool::ANY,
        )
            .prop_map(|(id, second, stem, explanation, options, multiple)| {
                let options: Vec<Choice> = options
                    .into_iter()
                    .enumerate()
                    .map(|(i, (text, rationale))| Choice {
                        text,
                        correct: if multiple { i % 2 == 0 } else { i == 1 },
                        rationale: rationale.unwrap_or_default(),
                    })
                    .collect();
                Question {
                    id,
                    domain: if second { "two".into() } else { "one".into() },
                    difficulty: None,
                    tags: Vec::new(),
                    stem,
                    explanation: explanation.unwrap_or_default(),
                    references: Vec::new(),
                    scenario: None,
                    task: None,
                    source: None,
                    body: Body::Choice(ChoiceBody { options, multiple }),
                }
            })
    }

    fn exam(questions: Vec<Question>) -> Exam {
        let mut seen = std::collections::HashSet::new();
        let questions = questions.into_iter().filter(|q| seen.insert(q.id.clone())).collect();
        let blueprint = parse_blueprint("exam.toml", BLUEPRINT.as_bytes()).0.unwrap().blueprint;
        Exam::new(blueprint, questions, Vec::new())
    }

    /// Builds the drafts with the exam's blueprint and parses the bank files back.
    fn reimport(exam: &Exam, drafts: Vec<super::draft::Draft>) -> Vec<Question> {
        let target = Target {
            exam_id: "rt",
            blueprint: Some((BLUEPRINT, &exam.blueprint)),
            today: "2026-01-01",
            sources: &[],
        };
        let built = build(drafts, &target).unwrap();
        let mut questions = Vec::new();
        for (name, text) in &built.files {
            let file = parse_questions(name, text.as_bytes(), Some(&exam.blueprint));
            assert!(file.diagnostics.iter().all(|d| !d.is_error()), "{:?}", file.diagnostics);
            // The source table names the file and id it came from; the bank had none.
            questions.extend(file.questions.into_iter().map(|q| {
                let mut q = q.question;
                assert!(q.source.as_ref().is_some_and(|s| s.file.is_some()), "{q:?}");
                q.source = None;
                q
            }));
        }
        questions.sort_by(|a, b| a.id.cmp(&b.id));
        questions
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        #[test]
        fn gift_round_trip(questions in prop::collection::vec(question(), 1..6)) {
            let exam = exam(questions);
            let (text, skipped) = gift::write(&exam);
            // Only an option holding "->" is left out, and it is named.
            let kept: Vec<Question> = exam.questions().iter().filter(|q| !skipped.iter().any(|(id, _)| *id == q.id)).cloned().collect();
            for (id, reason) in &skipped {
                let q = exam.question(id).unwrap();
                prop_assert!(reason.contains("->"));
                let Body::Choice(c) = &q.body else { unreachable!() };
                prop_assert!(c.options.iter().any(|o| o.text.contains("->")));
            }
            if kept.is_empty() {
                return Ok(());
            }
            let back = reimport(&exam, gift::read("x.gift", &text));
            prop_assert_eq!(&back, &kept, "GIFT:\n{}", text);
        }

        #[test]
        fn qti_round_trip(questions in prop::collection::vec(question(), 1..6)) {
            let exam = exam(questions);
            let (files, skipped) = qti::write(&exam);
            prop_assert!(skipped.is_empty());
            let mut drafts = Vec::new();
            for (path, xml) in &files {
                drafts.extend(qti::read(path, xml).unwrap());
            }
            let back = reimport(&exam, drafts);
            prop_assert_eq!(&back, exam.questions());
        }

        #[test]
        fn qti_12_round_trip(questions in prop::collection::vec(question(), 1..6)) {
            let exam = exam(questions);
            let (xml, skipped) = qti::write_12(&exam);
            prop_assert!(skipped.is_empty());
            let back = reimport(&exam, qti::read("x.xml", &xml).unwrap());
            prop_assert_eq!(&back, exam.questions(), "QTI 1.2:\n{}", xml);
        }
    }
}
