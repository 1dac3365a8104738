//! The AWS Certification program as a whole: every certification, current and retired,
//! with its tier, focus, status, successor and exam facts, and the certification paths by
//! role. The data is `catalog/aws.toml`, compiled in; this module parses it and answers
//! questions about it (pure: text in, values out).

use serde::{Deserialize, Serialize};

/// The catalogue shipped with proctor.
pub const SHIPPED: &str = include_str!("../catalog/aws.toml");

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Program {
    pub format: u32,
    pub verified_on: String,
    pub source: String,
    #[serde(rename = "exam", default)]
    pub exams: Vec<Certification>,
    #[serde(rename = "path", default)]
    pub paths: Vec<Path>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Tier {
    Foundational,
    Associate,
    Professional,
    Specialty,
    Business,
}

impl Tier {
    pub const ALL: [Tier; 5] =
        [Tier::Foundational, Tier::Business, Tier::Associate, Tier::Professional, Tier::Specialty];

    pub fn as_str(self) -> &'static str {
        match self {
            Tier::Foundational => "foundational",
            Tier::Associate => "associate",
            Tier::Professional => "professional",
            Tier::Specialty => "specialty",
            Tier::Business => "business",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            Tier::Foundational => "Foundational",
            Tier::Associate => "Associate",
            Tier::Professional => "Professional",
            Tier::Specialty => "Specialty",
            Tier::Business => "Business",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ProgramStatus {
    Beta,
    Active,
    Retiring,
    Retired,
}

impl ProgramStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ProgramStatus::Beta => "beta",
            ProgramStatus::Active => "active",
            ProgramStatus::Retiring => "retiring",
            ProgramStatus::Retired => "retired",
        }
    }

    /// Can be sat today (active, beta, or retiring but not yet retired).
    pub fn is_current(self) -> bool {
        !matches!(self, ProgramStatus::Retired)
    }
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Certification {
    pub code: String,
    pub title: String,
    pub tier: Tier,
    pub focus: String,
    pub experience: String,
    pub status: ProgramStatus,
    pub since: Option<String>,
    pub last_day: Option<String>,
    pub successor: Option<String>,
    pub questions: Option<u32>,
    pub scored: Option<u32>,
    pub minutes: Option<u32>,
    pub passing_score: Option<u32>,
    #[serde(default)]
    pub item_types: Vec<crate::bank::ItemType>,
    pub guide: Option<String>,
    #[serde(default)]
    pub unconfirmed: Vec<String>,
    #[serde(rename = "domain", default)]
    pub domains: Vec<ProgramDomain>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ProgramDomain {
    pub name: String,
    /// `None` when the weight is not confirmed.
    pub weight: Option<u32>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Path {
    pub id: String,
    pub title: String,
    pub description: String,
    pub exams: Vec<String>,
}

impl Certification {
    /// The id proctor uses on the command line: the code in lower case.
    pub fn id(&self) -> String {
        self.code.to_ascii_lowercase()
    }

    /// "retired on 2026-11-30", "active since 2023-09-19", "beta".
    pub fn status_phrase(&self) -> String {
        match (self.status, &self.since, &self.last_day) {
            (ProgramStatus::Retired, _, Some(day)) => format!("retired on {day}"),
            (ProgramStatus::Retired, _, None) => "retired".into(),
            (ProgramStatus::Retiring, _, Some(day)) => format!("retiring: last day {day}"),
            (ProgramStatus::Retiring, _, None) => "retiring (no single last day announced)".into(),
            (status, Some(since), _) => format!("{} since {since}", status.as_str()),
            (status, None, _) => status.as_str().to_string(),
        }
    }
}

impl Program {
    /// The catalogue compiled into proctor. It is checked by a test, so a parse failure
    /// here is a build defect; it is still reported, never a panic.
    pub fn shipped() -> Result<Program, String> {
        // build.rs checked and encoded the same file; the TOML decides if that is missing.
        match postcard::from_bytes(crate::shipped::PREBUILT_PROGRAM) {
            Ok(program) => Ok(program),
            Err(_) => Program::parse(SHIPPED),
        }
    }

    pub fn parse(text: &str) -> Result<Program, String> {
        let program: Program =
            toml::from_str(text).map_err(|e| format!("catalog/aws.toml: {}", e.message()))?;
        let problems = program.problems();
        if problems.is_empty() {
            Ok(program)
        } else {
            Err(format!("catalog/aws.toml: {}", problems.join("; ")))
        }
    }

    /// Consistency: unique codes, successors and path exams that exist, real dates.
    pub fn problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        if self.format != 1 {
            problems.push(format!("format {} is not 1, the only catalogue format", self.format));
        }
        for (i, exam) in self.exams.iter().enumerate() {
            if self.exams[..i].iter().any(|e| e.code == exam.code) {
                problems.push(format!("{} is listed twice", exam.code));
            }
            if let Some(next) = &exam.successor
                && self.find(next).is_none()
            {
                problems.push(format!("{}: successor {next} is not in the catalogue", exam.code));
            }
            for date in exam.since.iter().chain(&exam.last_day) {
                if !crate::bank::parse::is_date(date) {
                    problems.push(format!("{}: {date:?} is not a calendar date", exam.code));
                }
            }
        }
        for path in &self.paths {
            for code in &path.exams {
                match self.find(code) {
                    None => problems.push(format!("path {}: {code} is not in the catalogue", path.id)),
                    Some(exam) if !exam.status.is_current() => {
                        problems.push(format!("path {}: {code} is retired", path.id))
                    }
                    Some(_) => {}
                }
            }
        }
        problems
    }

    /// The certification with this code or id (any case).
    pub fn find(&self, code: &str) -> Option<&Certification> {
        self.exams.iter().find(|e| e.code.eq_ignore_ascii_case(code))
    }

    /// For an exam proctor has no bank for: the closest exam that has one. Its successor
    /// first (following a chain of retirements), then an exam on a path with it, then one
    /// of the same tier; `has_bank` says which ids have banks.
    pub fn closest_with_bank<'a>(
        &'a self,
        code: &str,
        has_bank: &dyn Fn(&str) -> bool,
    ) -> Option<&'a Certification> {
        let exam = self.find(code)?;
        let mut next = exam.successor.as_deref();
        let mut steps = 0;
        while let Some(code) = next {
            let successor = self.find(code)?;
            if has_bank(&successor.id()) {
                return Some(successor);
            }
            next = successor.successor.as_deref();
            steps += 1;
            if steps > self.exams.len() {
                break;
            }
        }
        let on_a_path = self
            .paths
            .iter()
            .filter(|p| p.exams.iter().any(|c| c.eq_ignore_ascii_case(&exam.code)))
            .flat_map(|p| p.exams.iter())
            .filter_map(|c| self.find(c))
            .find(|e| has_bank(&e.id()) && e.code != exam.code);
        on_a_path.or_else(|| self.exams.iter().find(|e| e.tier == exam.tier && has_bank(&e.id())))
    }

    /// The exams of `tier`, current ones first (then by code).
    pub fn in_tier(&self, tier: Tier) -> Vec<&Certification> {
        let mut exams: Vec<&Certification> = self.exams.iter().filter(|e| e.tier == tier).collect();
        exams.sort_by(|a, b| b.status.is_current().cmp(&a.status.is_current()).then(a.code.cmp(&b.code)));
        exams
    }
}

/// What to tell someone who asked for an exam proctor has no bank for (`None` when the
/// program does not know the code either). `command` is what they typed (`exam`,
/// `drill`): the suggestion is the same command for the closest exam.
pub fn no_bank_message(
    program: &Program,
    id: &str,
    has_bank: &dyn Fn(&str) -> bool,
    command: &str,
) -> Option<String> {
    let exam = program.find(id)?;
    let mut message =
        format!("proctor has no bank for {} ({}; {})", exam.code, exam.title, exam.status_phrase());
    if let Some(successor) = exam.successor.as_deref().and_then(|s| program.find(s))
        && !exam.status.is_current()
    {
        message.push_str(&format!("; its successor is {} ({})", successor.code, successor.title));
    }
    match program.closest_with_bank(id, has_bank) {
        Some(closest) => message.push_str(&format!(
            ". The closest exam with a bank is {} ({}): `proctor {command} {}`",
            closest.code,
            closest.title,
            closest.id()
        )),
        None => message.push_str(". `proctor list` shows the exams proctor can run"),
    }
    message.push('.');
    Some(message)
}

/// The note for a bank exam that the program lists as retired or retiring.
#[allow(dead_code)] // build.rs works out every exam's note with it (`shipped::RETIREMENT_NOTES`)
pub fn retirement_note(program: &Program, id: &str) -> Option<String> {
    let exam = program.find(id)?;
    match exam.status {
        ProgramStatus::Retired | ProgramStatus::Retiring => {
            let mut note = format!("{} is {}", exam.code, exam.status_phrase());
            if let Some(successor) = &exam.successor {
                note.push_str(&format!("; its successor is {successor}"));
            }
            note.push_str(". The practice below still follows its blueprint.");
            Some(note)
        }
        ProgramStatus::Beta | ProgramStatus::Active => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_build_time_retirement_notes_are_the_catalogues() {
        let program = Program::shipped().unwrap();
        let expected: Vec<(String, String)> = program
            .exams
            .iter()
            .filter_map(|e| retirement_note(&program, &e.code).map(|note| (e.code.clone(), note)))
            .collect();
        let built: Vec<(String, String)> =
            crate::shipped::RETIREMENT_NOTES.iter().map(|(c, n)| (c.to_string(), n.to_string())).collect();
        assert!(!built.is_empty(), "the catalogue has retiring or retired exams");
        assert_eq!(built, expected);
    }

    #[test]
    fn the_prebuilt_catalogue_is_the_toml() {
        let decoded: Program = postcard::from_bytes(crate::shipped::PREBUILT_PROGRAM).unwrap();
        let parsed = Program::parse(SHIPPED).unwrap();
        assert_eq!(serde_json::to_string(&decoded).unwrap(), serde_json::to_string(&parsed).unwrap());
    }

    #[test]
    fn the_shipped_catalogue_parses_and_is_consistent() {
        let program = Program::shipped().unwrap();
        assert!(program.exams.len() >= 20, "the whole program: {}", program.exams.len());
        for code in ["CLF-C02", "SAA-C03", "DVA-C03", "SOA-C03", "DOP-C02", "SCS-C03", "AIF-C01"] {
            assert!(program.find(code).is_some_and(|e| e.status.is_current()), "{code} is current");
        }
        for (old, new) in
            [("DVA-C02", "DVA-C03"), ("SOA-C02", "SOA-C03"), ("SCS-C02", "SCS-C03"), ("SAP-C02", "SAP-C03")]
        {
            let exam = program.find(old).unwrap();
            assert_eq!(exam.status, ProgramStatus::Retired, "{old}");
            assert_eq!(exam.successor.as_deref(), Some(new), "{old}");
        }
        assert_eq!(program.find("ANS-C01").unwrap().status, ProgramStatus::Retiring);
        assert!(!program.paths.is_empty());
    }

    const SMALL: &str = r#"
format = 1
verified_on = "2026-12-01"
source = "test"

[[exam]]
code = "OLD-C01"
title = "Old"
tier = "associate"
focus = "f"
experience = "e"
status = "retired"
last_day = "2025-01-31"
successor = "NEW-C02"

[[exam]]
code = "NEW-C02"
title = "New"
tier = "associate"
focus = "f"
experience = "e"
status = "active"

[[exam]]
code = "SIDE-C01"
title = "Side"
tier = "associate"
focus = "f"
experience = "e"
status = "active"

[[path]]
id = "p"
title = "P"
description = "d"
exams = ["SIDE-C01", "NEW-C02"]
"#;

    #[test]
    fn the_closest_exam_with_a_bank_follows_successors_then_paths_then_tier() {
        let program = Program::parse(SMALL).unwrap();
        assert_eq!(program.closest_with_bank("old-c01", &|id| id == "new-c02").unwrap().code, "NEW-C02");
        assert_eq!(program.closest_with_bank("new-c02", &|id| id == "side-c01").unwrap().code, "SIDE-C01");
        assert!(program.closest_with_bank("new-c02", &|_| false).is_none());
        let message = no_bank_message(&program, "old-c01", &|id| id == "new-c02", "exam").unwrap();
        assert!(
            message.contains("retired on 2025-01-31") && message.contains("successor is NEW-C02"),
            "{message}"
        );
        assert!(message.contains("`proctor exam new-c02`"), "{message}");
        let message = no_bank_message(&program, "old-c01", &|id| id == "new-c02", "drill").unwrap();
        assert!(message.contains("`proctor drill new-c02`"), "{message}");
    }

    #[test]
    fn inconsistencies_are_reported() {
        let broken = SMALL
            .replace("successor = \"NEW-C02\"", "successor = \"NONE-C09\"")
            .replace("2025-01-31", "2025-02-30");
        let error = Program::parse(&broken).unwrap_err();
        assert!(error.contains("successor NONE-C09") && error.contains("2025-02-30"), "{error}");
        let retired_on_path = SMALL.replace("exams = [\"SIDE-C01\", \"NEW-C02\"]", "exams = [\"OLD-C01\"]");
        assert!(Program::parse(&retired_on_path).unwrap_err().contains("OLD-C01 is retired"));
    }
}
