//! Which questions a drill asks. Order of preference (docs/study.md):
//! 1. questions never seen in any finished attempt, in a seeded random order;
//! 2. questions whose latest answer was wrong, most recently missed first;
//! 3. the rest, least recently seen first.
//!
//! The chosen set is then laid out by `assemble::assemble_set`, so the same seed and the
//! same set give the same order and option letters.

use std::collections::HashMap;

use rand::SeedableRng;
use rand::rngs::ChaCha8Rng;

use crate::bank::{Exam, Question};
use crate::exam::assemble::shuffle;
pub use crate::model::Seen;

/// The bank's questions in the given domains (all when empty) with any of the given tags
/// (any when empty).
pub fn filter<'a>(exam: &'a Exam, domains: &[String], tags: &[String]) -> Vec<&'a Question> {
    exam.questions()
        .iter()
        .filter(|q| domains.is_empty() || domains.contains(&q.domain))
        .filter(|q| {
            tags.is_empty() || tags.iter().any(|t| q.tags.iter().any(|qt| qt.eq_ignore_ascii_case(t)))
        })
        .collect()
}

/// Up to `count` question ids from `candidates`, in drill preference order.
pub fn drill_choice(
    candidates: &[&Question],
    history: &HashMap<String, Seen>,
    seed: u64,
    count: usize,
) -> Vec<String> {
    let mut never: Vec<&str> = Vec::new();
    let mut missed: Vec<(&str, Seen)> = Vec::new();
    let mut rest: Vec<(&str, Seen)> = Vec::new();
    let mut sorted: Vec<&&Question> = candidates.iter().collect();
    sorted.sort_by(|a, b| a.id.cmp(&b.id));
    for q in sorted {
        match history.get(&q.id) {
            None => never.push(&q.id),
            Some(seen) if !seen.last_correct => missed.push((&q.id, *seen)),
            Some(seen) => rest.push((&q.id, *seen)),
        }
    }
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    shuffle(&mut rng, &mut never);
    missed.sort_by(|a, b| b.1.last_seen.cmp(&a.1.last_seen).then(a.0.cmp(b.0)));
    rest.sort_by(|a, b| a.1.last_seen.cmp(&b.1.last_seen).then(a.0.cmp(b.0)));
    never
        .into_iter()
        .chain(missed.into_iter().map(|(id, _)| id))
        .chain(rest.into_iter().map(|(id, _)| id))
        .take(count)
        .map(str::to_string)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exam::assemble::tests_support::sample_exam;

    #[test]
    fn never_seen_first_then_recent_misses_then_the_oldest() {
        let exam = sample_exam(&[(100, 6)], 6);
        let refs: Vec<&Question> = exam.questions().iter().collect();
        let seen = |t, ok| Seen { last_seen: t, last_correct: ok };
        let history: HashMap<String, Seen> = [
            ("d0-000".to_string(), seen(10, true)),
            ("d0-001".to_string(), seen(20, false)),
            ("d0-002".to_string(), seen(30, false)),
            ("d0-003".to_string(), seen(5, true)),
        ]
        .into_iter()
        .collect();
        let order = drill_choice(&refs, &history, 1, 10);
        assert_eq!(order.len(), 6);
        let mut never = order[..2].to_vec();
        never.sort();
        assert_eq!(never, ["d0-004", "d0-005"]);
        assert_eq!(order[2..], ["d0-002", "d0-001", "d0-003", "d0-000"]);
        assert_eq!(drill_choice(&refs, &history, 1, 3).len(), 3);
    }

    #[test]
    fn filters_by_domain_and_tag() {
        let sample = sample_exam(&[(50, 3), (50, 3)], 6);
        let mut questions = sample.questions().to_vec();
        questions[0].tags = vec!["S3".into()];
        let exam = Exam::new(sample.blueprint.clone(), questions, Vec::new());
        assert_eq!(filter(&exam, &["d1".into()], &[]).len(), 3);
        assert_eq!(filter(&exam, &[], &["s3".into()]).len(), 1);
        assert_eq!(filter(&exam, &["d1".into()], &["s3".into()]).len(), 0);
    }
}
