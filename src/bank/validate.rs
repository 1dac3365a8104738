//! Checks that need a whole exam (blueprint plus every question file), and turning a
//! checked exam into the model.

use std::collections::HashMap;

use super::diagnostic::{Diagnostic, Location};
use super::parse::{LocatedQuestion, LocatedScenario, ParsedBlueprint};
use super::{Exam, ItemType};

/// What the checks across files need to know of one question. `check` keeps only these
/// (not the questions) once a file is checked, so its memory follows one file, not the bank.
#[derive(Debug, Clone)]
pub struct QuestionFacts {
    pub id: String,
    pub location: Location,
    pub domain: String,
    pub task: Option<String>,
    pub item_type: ItemType,
    /// The case-study scenario it belongs to, and where that was written (boxed: most
    /// questions have none, and `check` keeps one of these per question).
    pub scenario: Option<Box<(String, Location)>>,
}

impl QuestionFacts {
    pub fn of(q: &LocatedQuestion) -> QuestionFacts {
        let question = &q.question;
        QuestionFacts {
            id: question.id.clone(),
            location: q.location.clone(),
            domain: question.domain.clone(),
            task: question.task.clone(),
            item_type: question.kind().item_type(),
            scenario: question.scenario.clone().map(|id| {
                let at = q.scenario_location.clone().unwrap_or_else(|| q.location.clone());
                Box::new((id, at))
            }),
        }
    }
}

/// A case-study scenario's id and where it was written.
#[derive(Debug, Clone)]
pub struct ScenarioFacts {
    pub id: String,
    pub location: Location,
}

impl ScenarioFacts {
    pub fn of(s: &LocatedScenario) -> ScenarioFacts {
        ScenarioFacts { id: s.scenario.id.clone(), location: s.location.clone() }
    }
}

/// Problems that only show across files: duplicate ids, an exam with no questions, and
/// domains with fewer questions than one full exam draws from them.
/// `files_failed`: some question file could not be read or parsed (then an empty exam is
/// that file's fault, already reported, not a missing file, and domains are not counted).
pub fn check_exam(
    blueprint: Option<&ParsedBlueprint>,
    questions: &[QuestionFacts],
    scenarios: &[ScenarioFacts],
    files_failed: bool,
) -> Vec<Diagnostic> {
    let mut diagnostics = check_case_studies(questions, scenarios);
    let mut first_seen: HashMap<&str, &QuestionFacts> = HashMap::with_capacity(questions.len());
    for q in questions {
        match first_seen.get(q.id.as_str()) {
            Some(first) => diagnostics.push(Diagnostic::error(
                q.location.clone(),
                format!("duplicate question id {:?}: first defined at {}", q.id, first.location),
            )),
            None => {
                first_seen.insert(&q.id, q);
            }
        }
    }
    let Some(parsed) = blueprint else { return diagnostics };
    let blueprint = &parsed.blueprint;
    if questions.is_empty() && files_failed {
        return diagnostics;
    }
    if questions.is_empty() {
        diagnostics.push(Diagnostic::error(
            parsed.location.clone(),
            format!("exam {} has no questions: add *.toml question files beside exam.toml", blueprint.id),
        ));
        return diagnostics;
    }
    // Kinds the exam does not use are worth a warning: a mock exam would not feel real.
    let mut warned: Vec<ItemType> = Vec::new();
    for q in questions {
        let mut types = vec![q.item_type];
        if q.scenario.is_some() {
            types.push(ItemType::CaseStudy);
        }
        for item_type in types {
            if !blueprint.item_types.contains(&item_type) && !warned.contains(&item_type) {
                warned.push(item_type);
                diagnostics.push(Diagnostic::warning(
                    q.location.clone(),
                    format!(
                        "question {} is {} but exam {} uses {} (item_types in exam.toml)",
                        q.id,
                        item_type.as_str(),
                        blueprint.id,
                        blueprint.item_types.iter().map(|t| t.as_str()).collect::<Vec<_>>().join(", ")
                    ),
                ));
            }
        }
    }
    // A question file that failed is already an error, and its questions are not counted:
    // "domain X has 0 question(s)" would blame the domain for that file.
    if files_failed {
        return diagnostics;
    }
    let quotas = blueprint.domain_quotas(blueprint.exam_questions);
    let mut per_domain: HashMap<&str, usize> = HashMap::new();
    for q in questions {
        *per_domain.entry(q.domain.as_str()).or_default() += 1;
    }
    for ((domain, quota), location) in blueprint.domains.iter().zip(quotas).zip(&parsed.domain_locations) {
        let have = per_domain.get(domain.id.as_str()).copied().unwrap_or(0);
        if have < quota as usize {
            diagnostics.push(Diagnostic::warning(
                location.clone(),
                format!(
                    "domain {} has {have} question(s); a full {}-question exam draws {quota} from it",
                    domain.id, blueprint.exam_questions
                ),
            ));
        }
    }
    diagnostics
}

/// How many defined scenario ids an error about an undefined one lists.
const KNOWN_SHOWN: usize = 10;

/// Case studies: scenario ids are unique, every question's scenario exists, and every
/// scenario has at least two questions.
fn check_case_studies(questions: &[QuestionFacts], scenarios: &[ScenarioFacts]) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    let mut declared: HashMap<&str, &ScenarioFacts> = HashMap::new();
    for s in scenarios {
        match declared.get(s.id.as_str()) {
            Some(first) => diagnostics.push(Diagnostic::error(
                s.location.clone(),
                format!("duplicate scenario id {:?}: first defined at {}", s.id, first.location),
            )),
            None => {
                declared.insert(&s.id, s);
            }
        }
    }
    // The defined ids a "not defined" error suggests: in file order, the first few only
    // (built once: a bank with many scenarios and many wrong references stays linear).
    let mut known: Vec<&str> = Vec::new();
    for s in scenarios {
        if !known.contains(&s.id.as_str()) && known.len() < KNOWN_SHOWN {
            known.push(&s.id);
        }
    }
    let more = declared.len().saturating_sub(known.len());
    let known = match (known.is_empty(), more) {
        (true, _) => String::new(),
        (false, 0) => format!("; defined: {}", known.join(", ")),
        (false, more) => format!("; defined: {} and {more} more", known.join(", ")),
    };
    let mut members: HashMap<&str, usize> = HashMap::new();
    for q in questions {
        let Some((id, at)) = q.scenario.as_deref() else { continue };
        let id = id.as_str();
        *members.entry(id).or_default() += 1;
        if !declared.contains_key(id) {
            diagnostics.push(Diagnostic::error(
                at.clone(),
                format!(
                    "question {}: scenario {id:?} is not defined (add a [[scenario]] with that id{known})",
                    q.id
                ),
            ));
        }
    }
    for s in scenarios {
        let count = members.get(s.id.as_str()).copied().unwrap_or(0);
        if count < 2 {
            diagnostics.push(Diagnostic::error(
                s.location.clone(),
                format!("scenario {:?} has {count} question(s); a case study has two or more", s.id),
            ));
        }
    }
    diagnostics
}

/// The exam, when the blueprint parsed (`Exam::new` sorts the questions by id so that a
/// seeded draw does not depend on file layout).
pub fn into_exam(
    blueprint: ParsedBlueprint,
    questions: Vec<LocatedQuestion>,
    scenarios: Vec<LocatedScenario>,
) -> Exam {
    Exam::new(
        blueprint.blueprint,
        questions.into_iter().map(|q| q.question).collect(),
        scenarios.into_iter().map(|s| s.scenario).collect(),
    )
}
