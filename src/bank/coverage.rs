//! How many questions a bank has per domain and per task statement of the exam guide
//! (`proctor check --coverage`). Pure: a blueprint and questions in, counts out.

use std::collections::HashMap;

use super::Blueprint;

#[derive(Debug, Clone, PartialEq)]
pub struct Coverage {
    pub exam: String,
    pub code: String,
    pub questions: usize,
    pub domains: Vec<DomainCoverage>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct DomainCoverage {
    pub id: String,
    pub name: String,
    pub weight: u32,
    pub questions: usize,
    /// One entry per task statement the blueprint lists for the domain, in its order.
    pub tasks: Vec<TaskCoverage>,
    /// The domain's questions without a task (or with one the blueprint does not list,
    /// which `check` reports as an error).
    pub untagged: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TaskCoverage {
    pub id: String,
    pub text: String,
    pub questions: usize,
}

/// Questions per domain and task statement, in blueprint order, from each question's
/// domain and task.
pub fn coverage<'a>(
    blueprint: &Blueprint,
    questions: impl IntoIterator<Item = (&'a str, Option<&'a str>)>,
) -> Coverage {
    let mut domains: Vec<DomainCoverage> = blueprint
        .domains
        .iter()
        .map(|d| DomainCoverage {
            id: d.id.clone(),
            name: d.name.clone(),
            weight: d.weight,
            questions: 0,
            tasks: d
                .tasks
                .iter()
                .map(|t| TaskCoverage { id: t.id.clone(), text: t.text.clone(), questions: 0 })
                .collect(),
            untagged: 0,
        })
        .collect();
    let mut total = 0;
    // Domain and task ids to their places (the first of a repeated id, which `check`
    // reports): one lookup per question, however many there are.
    let mut domain_at: HashMap<&str, usize> = HashMap::new();
    let mut task_at: HashMap<(usize, &str), usize> = HashMap::new();
    for (d, domain) in blueprint.domains.iter().enumerate() {
        domain_at.entry(&domain.id).or_insert(d);
        for (t, task) in domain.tasks.iter().enumerate() {
            task_at.entry((d, &task.id)).or_insert(t);
        }
    }
    for (domain, task) in questions {
        total += 1;
        let Some(&d) = domain_at.get(domain) else { continue };
        let domain = &mut domains[d];
        domain.questions += 1;
        match task.and_then(|task| task_at.get(&(d, task))) {
            Some(&t) => domain.tasks[t].questions += 1,
            None => domain.untagged += 1,
        }
    }
    Coverage { exam: blueprint.id.clone(), code: blueprint.code.clone(), questions: total, domains }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bank::parse::{parse_blueprint, parse_questions};

    #[test]
    fn counts_per_task_and_flags_the_empty_ones() {
        let blueprint = "format = 1\nid = \"x\"\ncode = \"X\"\ntitle = \"X\"\nvendor = \"X\"\n\
            level = \"associate\"\nexam_questions = 2\nscored_questions = 2\nminutes = 10\npassing_score = 700\n\
            [status]\nstate = \"active\"\ndate = \"2026-01-01\"\n\
            [[domain]]\nid = \"a\"\nname = \"A\"\nweight = 60\n\
            [[domain.task]]\nid = \"1.1\"\ntext = \"First\"\n[[domain.task]]\nid = \"1.2\"\ntext = \"Second\"\n\
            [[domain]]\nid = \"b\"\nname = \"B\"\nweight = 40\n";
        let (parsed, diagnostics) = parse_blueprint("exam.toml", blueprint.as_bytes());
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        let blueprint = parsed.unwrap().blueprint;
        let question = |id: &str, domain: &str, task: &str| {
            format!(
                "[[question]]\nid = \"{id}\"\ndomain = \"{domain}\"\nkind = \"multiple-choice\"\n{task}stem = \"s\"\n\
                 [[question.option]]\ntext = \"a\"\ncorrect = true\n[[question.option]]\ntext = \"b\"\n"
            )
        };
        let text = question("q1", "a", "task = \"1.1\"\n")
            + &question("q2", "a", "task = \"1.1\"\n")
            + &question("q3", "a", "")
            + &question("q4", "b", "");
        let file = parse_questions("q.toml", text.as_bytes(), Some(&blueprint));
        assert!(file.diagnostics.iter().all(|d| !d.is_error()), "{:?}", file.diagnostics);
        let c = coverage(
            &blueprint,
            file.questions.iter().map(|q| (q.question.domain.as_str(), q.question.task.as_deref())),
        );
        assert_eq!(c.questions, 4);
        let a = &c.domains[0];
        assert_eq!((a.questions, a.untagged), (3, 1));
        assert_eq!(
            a.tasks.iter().map(|t| (t.id.as_str(), t.questions)).collect::<Vec<_>>(),
            [("1.1", 2), ("1.2", 0)]
        );
        assert_eq!((c.domains[1].questions, c.domains[1].untagged, c.domains[1].tasks.len()), (1, 1, 0));
    }
}
