//! The running totals of an exam folded from its finished attempts' items: the definition
//! the store's incremental totals (kept at `finish`) and its migration backfill must match.
//! `stats`, readiness, fresh papers and drills read the totals, never the items; this fold
//! is what the tests compare the store with (test code only: nothing at run time reads
//! every item). Pure: rows in, totals out.

use std::collections::HashMap;

use crate::model::{AttemptSummary, DomainTally, ExamTotals, ItemRow, Millis, Mode, QuestionTotals, Seen};

/// The totals of the finished `attempts` (headers; their counts are recomputed) from all
/// their `items`. Items of attempts not listed, or not finished, are ignored. Rows come out
/// sorted (attempts by id, tallies by attempt and domain, questions by id).
pub fn fold(attempts: &[AttemptSummary], items: &[ItemRow]) -> ExamTotals {
    let mut attempts: Vec<AttemptSummary> =
        attempts.iter().filter(|a| a.finished_at.is_some()).cloned().collect();
    attempts.sort_by_key(|a| a.id);
    let index: HashMap<i64, usize> = attempts.iter().enumerate().map(|(i, a)| (a.id, i)).collect();
    for a in &mut attempts {
        (a.questions, a.scored, a.correct, a.answered, a.answered_millis) = (0, 0, 0, 0, 0);
    }
    // Items in the order attempts started (then by id, then paper position).
    let mut mine: Vec<(&ItemRow, usize)> =
        items.iter().filter_map(|i| index.get(&i.attempt).map(|&a| (i, a))).collect();
    mine.sort_by_key(|(i, a)| (attempts[*a].started_at, i.attempt, i.position));

    let mut tallies: HashMap<(i64, &str), DomainTally> = HashMap::new();
    let mut questions: HashMap<&str, (QuestionTotals, (Millis, i64, u32))> = HashMap::new();
    let mut answered_before: std::collections::HashSet<&str> = std::collections::HashSet::new();
    for &(item, a) in &mine {
        let attempt = &mut attempts[a];
        attempt.questions += 1;
        attempt.scored += u32::from(item.scored);
        attempt.correct += u32::from(item.scored && item.correct);
        attempt.answered += u32::from(item.answered);
        if item.answered {
            attempt.answered_millis += item.millis;
        }
        let mode = attempt.mode;
        let (q, last_key) = &mut questions.entry(item.question_id.as_str()).or_insert_with(|| {
            (
                QuestionTotals {
                    question_id: item.question_id.clone(),
                    domain: item.domain.clone(),
                    seen: 0,
                    answered: 0,
                    missed: 0,
                    last: None,
                },
                (0, 0, 0),
            )
        });
        q.domain.clone_from(&item.domain);
        q.seen += u32::from(item.answered || item.seen_at.is_some());
        if let Some(at) = item.seen_at {
            let key = (at, item.attempt, item.position);
            if q.last.is_none() || key >= *last_key {
                q.last = Some(Seen { last_seen: at, last_correct: item.correct });
                *last_key = key;
            }
        }
        if item.scored && item.answered {
            if mode != Mode::Review {
                q.answered += 1;
                q.missed += u32::from(!item.correct);
            }
            // Within one attempt a question is asked once, so "earlier" is another attempt.
            let repeat = !answered_before.insert(item.question_id.as_str());
            let t = tallies.entry((item.attempt, item.domain.as_str())).or_insert_with(|| DomainTally {
                attempt: item.attempt,
                domain: item.domain.clone(),
                new_right: 0,
                new_wrong: 0,
                repeat_right: 0,
                repeat_wrong: 0,
            });
            match (repeat, item.correct) {
                (false, true) => t.new_right += 1,
                (false, false) => t.new_wrong += 1,
                (true, true) => t.repeat_right += 1,
                (true, false) => t.repeat_wrong += 1,
            }
        }
    }
    let mut domains: Vec<DomainTally> = tallies.into_values().collect();
    domains.sort_by(|a, b| a.attempt.cmp(&b.attempt).then_with(|| a.domain.cmp(&b.domain)));
    let mut questions: Vec<QuestionTotals> = questions.into_values().map(|(q, _)| q).collect();
    questions.sort_by(|a, b| a.question_id.cmp(&b.question_id));
    ExamTotals { attempts, domains, questions }
}

/// The same totals in a canonical order, so two can be compared.
pub fn sorted(mut totals: ExamTotals) -> ExamTotals {
    totals.attempts.sort_by_key(|a| a.id);
    totals.domains.sort_by(|a, b| a.attempt.cmp(&b.attempt).then_with(|| a.domain.cmp(&b.domain)));
    totals.questions.sort_by(|a, b| a.question_id.cmp(&b.question_id));
    totals
}

/// Arbitrary histories for property tests: attempts of every mode started in any order
/// (ties too), items scored or not, answered or not, seen or not, over questions `d0-000`..
/// `d0-002` and `d1-000`..`d1-002` (the ids of `sample_exam(&[(_, 3), (_, 3)], _)`) and
/// `gone-0` (a question the bank no longer has, in a domain it no longer has).
pub mod strategy {
    use proptest::prelude::*;

    use crate::model::{AttemptSummary, EndReason, ItemRow, Mode};

    pub const QUESTIONS: [(&str, &str); 7] = [
        ("d0-000", "d0"),
        ("d0-001", "d0"),
        ("d0-002", "d0"),
        ("d1-000", "d1"),
        ("d1-001", "d1"),
        ("d1-002", "d1"),
        ("gone-0", "gone"),
    ];

    /// One item: (asked, scored, answered, correct, seen, millis).
    fn item() -> impl Strategy<Value = (bool, bool, bool, bool, bool, u64)> {
        (any::<bool>(), prop::bool::weighted(0.8), any::<bool>(), any::<bool>(), any::<bool>(), 0u64..90_000)
    }

    /// (mode, started_at, a short time limit, items): one attempt.
    #[allow(clippy::type_complexity)]
    fn attempt() -> impl Strategy<Value = (u8, u64, bool, Vec<(bool, bool, bool, bool, bool, u64)>)> {
        (0u8..3, 0u64..6, prop::bool::weighted(0.2), prop::collection::vec(item(), QUESTIONS.len()))
    }

    /// Finished attempts (ids from 1) and their items.
    pub fn history() -> impl Strategy<Value = (Vec<AttemptSummary>, Vec<ItemRow>)> {
        prop::collection::vec(attempt(), 0..9).prop_map(|attempts| {
            let mut summaries = Vec::new();
            let mut rows = Vec::new();
            for (n, (mode, started, short, items)) in attempts.into_iter().enumerate() {
                let id = n as i64 + 1;
                let started_at = 1_000_000 + started * 3_600_000;
                let mode = [Mode::Exam, Mode::Drill, Mode::Review][usize::from(mode)];
                summaries.push(AttemptSummary {
                    id,
                    exam: "t".into(),
                    mode,
                    seed: 0,
                    started_at,
                    finished_at: Some(started_at + 60_000),
                    end_reason: Some(EndReason::Submitted),
                    time_limit_ms: Some(if short { 60_000 } else { 130 * 60_000 }),
                    deadline: None,
                    questions: 0,
                    scored: 0,
                    correct: 0,
                    answered: 0,
                    answered_millis: 0,
                });
                let mut position = 0;
                for ((question_id, domain), (asked, scored, answered, correct, seen, millis)) in
                    QUESTIONS.iter().zip(items)
                {
                    // The first question is always asked: no attempt has an empty paper.
                    if !asked && position > 0 {
                        continue;
                    }
                    // An answered question was on screen; the answer key decides `correct`.
                    let seen_at = (seen || answered).then_some(started_at + millis / 2);
                    rows.push(ItemRow {
                        attempt: id,
                        position,
                        question_id: question_id.to_string(),
                        domain: domain.to_string(),
                        scored,
                        answered,
                        correct: answered && correct,
                        seen_at,
                        millis: if seen_at.is_some() { millis } else { 0 },
                    });
                    position += 1;
                }
            }
            (summaries, rows)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::EndReason;

    fn attempt(id: i64, mode: Mode, started_at: Millis) -> AttemptSummary {
        AttemptSummary {
            id,
            exam: "t".into(),
            mode,
            seed: 0,
            started_at,
            finished_at: Some(started_at + 1),
            end_reason: Some(EndReason::Submitted),
            time_limit_ms: None,
            deadline: None,
            questions: 0,
            scored: 0,
            correct: 0,
            answered: 0,
            answered_millis: 0,
        }
    }

    fn item(attempt: i64, position: u32, id: &str, answered: bool, correct: bool) -> ItemRow {
        ItemRow {
            attempt,
            position,
            question_id: id.into(),
            domain: "d".into(),
            scored: true,
            answered,
            correct,
            seen_at: Some(attempt as u64 * 10),
            millis: 5,
        }
    }

    #[test]
    fn an_answer_is_a_repeat_after_an_attempt_that_started_earlier() {
        // Attempt 2 started first, so its answer to q is the new one, whatever the ids.
        let attempts = [attempt(1, Mode::Exam, 200), attempt(2, Mode::Drill, 100)];
        let items =
            [item(1, 0, "q", true, true), item(2, 0, "q", true, false), item(1, 1, "r", false, false)];
        let t = fold(&attempts, &items);
        assert_eq!((t.domains[0].attempt, t.domains[0].repeat_right, t.domains[0].new_right), (1, 1, 0));
        assert_eq!((t.domains[1].attempt, t.domains[1].new_wrong), (2, 1));
        assert_eq!(
            (t.attempts[0].questions, t.attempts[0].answered, t.attempts[0].answered_millis),
            (2, 1, 5)
        );
        let q = &t.questions[0];
        assert_eq!((q.seen, q.answered, q.missed), (2, 2, 1));
        // Last on screen: attempt 2's item was seen at 20, attempt 1's at 10.
        assert_eq!(q.last, Some(Seen { last_seen: 20, last_correct: false }));
    }
}
