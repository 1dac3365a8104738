//! Scoring an attempt: all-or-nothing per question, per-domain results, and an estimated
//! scaled score. AWS does not publish its raw-to-scaled mapping; ours is documented in
//! docs/scoring.md and always called an estimate.

use serde::Serialize;

use super::assemble::PaperItem;
use super::clock::seconds;
use super::item::is_correct;
use super::session::ItemState;
use crate::bank::{Blueprint, Question};

pub const MEETS: &str = "Meets competencies";
pub const NEEDS: &str = "Needs improvement";

/// One question's result, in paper order.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QuestionResult {
    /// 1-based, the number `goto` takes.
    pub position: usize,
    pub id: String,
    pub domain: String,
    /// Letters as shown in this attempt, sorted; "" when unanswered.
    pub response: String,
    pub correct_response: String,
    pub correct: bool,
    pub flagged: bool,
    pub scored: bool,
    pub seconds: f64,
    /// `None` when the candidate did not say.
    pub confidence: Option<crate::model::Confidence>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DomainResult {
    pub id: String,
    pub name: String,
    pub correct: u32,
    pub total: u32,
    pub percent: f64,
    pub classification: &'static str,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Score {
    /// Scored questions.
    pub total: u32,
    pub correct: u32,
    pub percent: f64,
    pub scaled_score: u32,
    pub passing_score: u32,
    pub passed: bool,
    pub domains: Vec<DomainResult>,
    pub questions: Vec<QuestionResult>,
}

/// The raw fraction correct that we take as the pass mark: passing_score / 1000 (so 72 %
/// for a 720 pass). AWS's real cut varies by exam form; see docs/scoring.md.
pub fn raw_cut(passing_score: u32) -> f64 {
    f64::from(passing_score.clamp(100, 1000)) / 1000.0
}

/// Estimated scaled score for a raw fraction correct: piecewise linear through
/// (0, 100), (cut, passing_score) and (1, 1000).
pub fn scaled_score(fraction: f64, passing_score: u32) -> u32 {
    let fraction = fraction.clamp(0.0, 1.0);
    let pass = f64::from(passing_score.clamp(100, 1000));
    let cut = raw_cut(passing_score);
    let scaled = if fraction <= cut {
        100.0 + fraction / cut * (pass - 100.0)
    } else {
        pass + (fraction - cut) / (1.0 - cut).max(f64::EPSILON) * (1000.0 - pass)
    };
    // Round half up; clamp so rounding never leaves the scale.
    (scaled.round() as u32).clamp(100, 1000)
}

/// `correct` of `total` as a percent to one decimal; `None` when there is nothing to count.
pub fn percent(correct: u32, total: u32) -> Option<f64> {
    (total > 0).then(|| (f64::from(correct) * 1000.0 / f64::from(total)).round() / 10.0)
}

/// Scores an attempt. `questions[i]` is the bank question of `paper[i]`.
pub fn score(
    blueprint: &Blueprint,
    paper: &[PaperItem],
    questions: &[&Question],
    states: &[ItemState],
) -> Score {
    let results: Vec<QuestionResult> = paper
        .iter()
        .zip(questions)
        .zip(states)
        .enumerate()
        .map(|(i, ((item, question), state))| {
            let key = item.layout.key(question);
            QuestionResult {
                position: i + 1,
                id: item.question_id.clone(),
                domain: item.domain.clone(),
                response: state.response.as_ref().map(|r| r.letters()).unwrap_or_default(),
                correct_response: key.letters(),
                correct: is_correct(&item.layout, question, state.response.as_ref()),
                flagged: state.flagged,
                scored: item.scored,
                seconds: seconds(state.millis as f64),
                confidence: state.confidence,
            }
        })
        .collect();
    let cut = raw_cut(blueprint.passing_score);
    let domains: Vec<DomainResult> = blueprint
        .domains
        .iter()
        .map(|d| {
            let mine = results.iter().filter(|r| r.scored && r.domain == d.id);
            let (correct, total) = mine.fold((0, 0), |(c, t), r| (c + u32::from(r.correct), t + 1));
            let pct = percent(correct, total).unwrap_or(0.0);
            DomainResult {
                id: d.id.clone(),
                name: d.name.clone(),
                correct,
                total,
                percent: pct,
                classification: if total > 0 && pct >= cut * 100.0 { MEETS } else { NEEDS },
            }
        })
        .collect();
    let total: u32 = domains.iter().map(|d| d.total).sum();
    let correct: u32 = domains.iter().map(|d| d.correct).sum();
    let fraction = if total == 0 { 0.0 } else { f64::from(correct) / f64::from(total) };
    let scaled = scaled_score(fraction, blueprint.passing_score);
    Score {
        total,
        correct,
        percent: percent(correct, total).unwrap_or(0.0),
        scaled_score: scaled,
        passing_score: blueprint.passing_score,
        passed: scaled >= blueprint.passing_score,
        domains,
        questions: results,
    }
}

/// The domain to drill next: the lowest percent among domains that had questions
/// (the heavier one on a tie).
pub fn weakest_domain<'a>(score: &'a Score, blueprint: &Blueprint) -> Option<&'a DomainResult> {
    let weight = |id: &str| blueprint.domain(id).map_or(0, |d| d.weight);
    score
        .domains
        .iter()
        .filter(|d| d.total > 0)
        .min_by(|a, b| a.percent.total_cmp(&b.percent).then(weight(&b.id).cmp(&weight(&a.id))))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exam::assemble::assemble_exam;
    use crate::exam::item::Response;
    use proptest::prelude::*;

    #[test]
    fn the_scale_passes_through_its_anchors() {
        assert_eq!(scaled_score(0.0, 720), 100);
        assert_eq!(scaled_score(0.72, 720), 720);
        assert_eq!(scaled_score(1.0, 720), 1000);
        assert_eq!(scaled_score(0.70, 700), 700);
        assert_eq!(scaled_score(0.75, 750), 750);
        assert!(scaled_score(0.71, 720) < 720);
    }

    proptest! {
        #[test]
        fn scaled_scores_stay_on_the_scale_and_rise_with_the_raw(a in 0.0f64..=1.0, b in 0.0f64..=1.0, pass in 100u32..=1000) {
            let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
            let (s_lo, s_hi) = (scaled_score(lo, pass), scaled_score(hi, pass));
            prop_assert!((100..=1000).contains(&s_lo) && (100..=1000).contains(&s_hi));
            prop_assert!(s_lo <= s_hi);
        }

        #[test]
        fn answering_from_the_key_scores_full_marks(seed: u64) {
            let exam = crate::exam::assemble::tests_support::sample_exam(&[(60, 12), (40, 12)], 20);
            let paper = assemble_exam(&exam, seed, false);
            let questions: Vec<&Question> = paper.items.iter().map(|i| exam.question(&i.question_id).unwrap()).collect();
            let keyed: Vec<ItemState> = paper.items.iter().zip(&questions).map(|(item, q)| {
                ItemState { response: Some(item.layout.key(q)), ..ItemState::default() }
            }).collect();
            let full = score(&exam.blueprint, &paper.items, &questions, &keyed);
            prop_assert_eq!(full.correct, full.total);
            prop_assert_eq!(full.scaled_score, 1000);
            let none = score(&exam.blueprint, &paper.items, &questions, &vec![ItemState::default(); paper.items.len()]);
            prop_assert_eq!(none.correct, 0);
            prop_assert_eq!(none.scaled_score, 100);
            prop_assert!(!none.passed);
        }
    }

    #[test]
    fn multiple_response_half_right_gets_nothing() {
        let exam = crate::exam::assemble::tests_support::sample_exam(&[(100, 4)], 4);
        let paper = assemble_exam(&exam, 3, false);
        let questions: Vec<&Question> =
            paper.items.iter().map(|i| exam.question(&i.question_id).unwrap()).collect();
        let (index, item) =
            paper.items.iter().enumerate().find(|(_, i)| i.question_id.ends_with("003")).unwrap();
        let Response::Choice(shown_correct) = item.layout.key(questions[index]) else { panic!("choice") };
        let mut states = vec![ItemState::default(); 4];
        states[index].response = Some(Response::Choice(vec![shown_correct[0]]));
        let result = score(&exam.blueprint, &paper.items, &questions, &states);
        assert!(!result.questions[index].correct);
        assert_eq!(result.questions[index].response.len(), 1);
        assert_eq!(result.questions[index].correct_response.len(), 2);
    }
}
