//! Checks that need a whole exam (blueprint plus every question file), and turning a
//! checked exam into the model.

use std::collections::HashMap;

use super::Exam;
use super::diagnostic::Diagnostic;
use super::parse::{LocatedQuestion, ParsedBlueprint};

/// Problems that only show across files: duplicate ids, an exam with no questions, and
/// domains with fewer questions than one full exam draws from them.
/// `files_failed`: some question file could not be read or parsed (then an empty exam is
/// that file's fault, already reported, not a missing file).
pub fn check_exam(
    blueprint: Option<&ParsedBlueprint>,
    questions: &[LocatedQuestion],
    files_failed: bool,
) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    let mut first_seen: HashMap<&str, &LocatedQuestion> = HashMap::new();
    for q in questions {
        match first_seen.get(q.question.id.as_str()) {
            Some(first) => diagnostics.push(Diagnostic::error(
                q.location.clone(),
                format!("duplicate question id {:?}: first defined at {}", q.question.id, first.location),
            )),
            None => {
                first_seen.insert(&q.question.id, q);
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
    let quotas = blueprint.domain_quotas(blueprint.exam_questions);
    for ((domain, quota), location) in blueprint.domains.iter().zip(quotas).zip(&parsed.domain_locations) {
        let have = questions.iter().filter(|q| q.question.domain == domain.id).count();
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

/// The exam, when the blueprint parsed (`Exam::new` sorts the questions by id so that a
/// seeded draw does not depend on file layout).
pub fn into_exam(blueprint: ParsedBlueprint, questions: Vec<LocatedQuestion>) -> Exam {
    Exam::new(blueprint.blueprint, questions.into_iter().map(|q| q.question).collect())
}
