//! Readiness: the probability of passing a fresh form of the exam, with an honest interval,
//! from the candidate's own answers (docs/readiness.md explains the model and its limits).
//!
//! 1. Evidence: every answered scored question of a finished attempt, weighted. Mock exams
//!    with a shortened time limit, or with most questions left unanswered, are not evidence
//!    (they are listed as excluded). An answer to a question already answered (scored) in an
//!    attempt that started earlier, evidence or not (its key was shown then), counts a
//!    quarter. Older answers count less (a
//!    half-life of 30 days). Drills and reviews count, and are labelled.
//! 2. Per domain, ability is a Beta posterior whose prior is centred on the candidate's
//!    accuracy over all domains (worth `PRIOR_STRENGTH` answers): a domain with few answers
//!    is pulled towards how the candidate does overall, not towards a coin flip.
//! 3. A fresh form has the exam's scored questions split by the domain weights; the number
//!    right in each domain is beta-binomial, and their sum gives the raw score. P(pass) is
//!    the chance that the raw score reaches the cut. AWS does not publish the raw cut, so
//!    P(pass) is also given for cuts 5 points below and above the assumed one.
//! 4. The interval: abilities drawn from the posteriors (seeded, so reports are stable), the
//!    pass chance for each draw, and its 10th and 90th percentiles.
//!
//! Pure: running totals in (`model::ExamTotals`, kept by the store at `finish`), numbers out.

use std::collections::HashMap;

use rand::rngs::ChaCha8Rng;
use rand::{Rng, SeedableRng};
use statrs::distribution::{Beta, ContinuousCDF};
use statrs::function::beta::ln_beta;
use statrs::function::gamma::ln_gamma;

use crate::bank::Blueprint;
use crate::exam::score::raw_cut;
use crate::model::{AttemptSummary, ExamSums, ExamTotals, HALF_LIFE_MS, Millis, Mode, SumsKey};

/// Weight of an answer to a question the candidate has answered before (and seen the key of).
pub const REPEAT_WEIGHT: f64 = 0.25;
/// Answers lose half their weight every this many days (`model::HALF_LIFE_MS`, which the
/// running sums are kept in).
pub const HALF_LIFE_DAYS: f64 = (HALF_LIFE_MS / 86_400_000) as f64;
/// The cuts P(pass) is shown at, around the assumed one (raw fraction, points).
pub const CUT_SPREAD: f64 = 0.05;
const DRAWS: usize = 1000;
/// How many of the excluded attempts the text names (the newest by id).
pub const EXCLUDED_NAMED: usize = 10;
/// How many answers the prior of a domain is worth.
pub const PRIOR_STRENGTH: f64 = 6.0;

/// Why an attempt is not counted as readiness evidence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Excluded {
    /// A mock exam with less time than the real exam.
    ShortTimeLimit,
    /// A mock exam with most questions left unanswered (a throw-away attempt).
    MostlyUnanswered,
}

#[derive(Debug, Clone, PartialEq)]
pub struct DomainAbility {
    pub id: String,
    /// Posterior mean of the chance of answering a question of the domain right.
    pub mean: f64,
    /// 10th and 90th percentiles of that chance.
    pub low: f64,
    pub high: f64,
    /// Weighted answers behind it.
    pub evidence: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PassEstimate {
    /// P(pass) on a fresh form at the assumed cut.
    pub probability: f64,
    /// 10th and 90th percentiles of P(pass) given what the answers leave uncertain.
    pub low: f64,
    pub high: f64,
    /// The assumed raw cut (fraction) and P(pass) at cuts around it.
    pub cut: f64,
    pub at_cuts: Vec<(f64, f64)>,
    pub domains: Vec<DomainAbility>,
    /// Answers counted, by mode (exam, drill, review), unweighted.
    pub answers: HashMap<Mode, u32>,
    /// Attempts left out, and why, by id: every one, or the newest few when the estimate
    /// comes from the running sums for people (`excluded_count` says how many in all).
    pub excluded: Vec<(i64, Excluded)>,
    pub excluded_count: usize,
}

/// Whether a finished attempt is evidence: drills and reviews always; a mock exam only with
/// the real time limit (or more) and at least half of its questions answered.
pub fn exclusion(attempt: &AttemptSummary, blueprint: &Blueprint) -> Option<Excluded> {
    exclusion_of(
        &SumsKey::of(attempt.mode, attempt.time_limit_ms, attempt.answered, attempt.questions),
        blueprint,
    )
}

/// `exclusion` for a group of the running sums (every attempt of a group is alike).
pub fn exclusion_of(key: &SumsKey, blueprint: &Blueprint) -> Option<Excluded> {
    if key.mode != Mode::Exam {
        return None;
    }
    if key.time_limit_ms.is_some_and(|l| l < real_limit(blueprint)) {
        return Some(Excluded::ShortTimeLimit);
    }
    // `model::mostly_unanswered`: fewer than half of the questions answered.
    if key.mostly_unanswered {
        return Some(Excluded::MostlyUnanswered);
    }
    None
}

/// The real exam's time limit.
pub fn real_limit(blueprint: &Blueprint) -> Millis {
    u64::from(blueprint.minutes) * 60_000
}

/// The evidence behind an estimate: weighted right and wrong answers per domain (and their
/// sum), unweighted answers by mode, the attempts left out.
struct Evidence<'a> {
    tallies: HashMap<&'a str, (f64, f64, f64)>,
    by_mode: HashMap<Mode, u32>,
    answers: u32,
    excluded: Vec<(i64, Excluded)>,
    excluded_count: usize,
}

impl<'a> Evidence<'a> {
    fn add(
        &mut self,
        domain: &'a str,
        mode: Mode,
        answered: u32,
        [new_right, new_wrong, repeat_right, repeat_wrong]: [f64; 4],
    ) {
        let right = new_right + REPEAT_WEIGHT * repeat_right;
        let wrong = new_wrong + REPEAT_WEIGHT * repeat_wrong;
        let entry = self.tallies.entry(domain).or_insert((0.0, 0.0, 0.0));
        entry.0 += right;
        entry.1 += wrong;
        entry.2 += right + wrong;
        *self.by_mode.entry(mode).or_default() += answered;
        self.answers += answered;
    }
}

/// The estimate for `blueprint` from an exam's running totals (finished attempts with
/// their counts, and each attempt's answers per domain), as of `now`. `None` without any
/// evidence.
pub fn estimate(blueprint: &Blueprint, totals: &ExamTotals, now: Millis) -> Option<PassEstimate> {
    estimate_with(blueprint, totals, now, true)
}

/// `estimate`, and with `interval` false the 10th-90th percentile interval is not drawn
/// (left at the point estimate): the calibration test needs only the probability.
pub fn estimate_with(
    blueprint: &Blueprint,
    totals: &ExamTotals,
    now: Millis,
    with_interval: bool,
) -> Option<PassEstimate> {
    let mut excluded = Vec::new();
    let mut counted: HashMap<i64, (Millis, Mode)> = HashMap::new();
    for a in totals.attempts.iter().filter(|a| a.finished_at.is_some()) {
        match exclusion(a, blueprint) {
            Some(why) => excluded.push((a.id, why)),
            None => {
                counted.insert(a.id, (a.started_at, a.mode));
            }
        }
    }
    excluded.sort_by_key(|(id, _)| *id);
    let excluded_count = excluded.len();
    let mut evidence =
        Evidence { tallies: HashMap::new(), by_mode: HashMap::new(), answers: 0, excluded, excluded_count };
    // Every answer of one attempt has the same age, so an attempt's tally in a domain is
    // weighted once: (new + REPEAT_WEIGHT × repeats) × its age's decay.
    for t in &totals.domains {
        let Some(&(at, mode)) = counted.get(&t.attempt) else { continue };
        if t.answered() == 0 {
            continue;
        }
        let age_days = now.saturating_sub(at) as f64 / 86_400_000.0;
        let decay = 0.5f64.powf(age_days / HALF_LIFE_DAYS);
        let counts = [t.new_right, t.new_wrong, t.repeat_right, t.repeat_wrong].map(|c| decay * f64::from(c));
        evidence.add(t.domain.as_str(), mode, t.answered(), counts);
    }
    from_evidence(blueprint, evidence, with_interval)
}

/// Whether `estimate_from_sums` can give the estimate as of `now`: no attempt in the sums
/// started after `now` (readiness gives such an attempt its full weight, which a decayed
/// sum cannot take out again; the caller then reads the totals and calls `estimate`).
pub fn sums_apply(sums: &ExamSums, now: Millis) -> bool {
    sums.groups.iter().all(|g| g.newest_started <= now)
}

/// The estimate from an exam's running sums (`model::ExamSums`) as of `now` (`sums_apply`
/// must hold): the same as `estimate` over the totals they were kept from, up to rounding
/// in the last bits. `excluded` is the excluded attempts the caller read (the newest few,
/// or all); their number comes from the sums.
pub fn estimate_from_sums(
    blueprint: &Blueprint,
    sums: &ExamSums,
    now: Millis,
    excluded: Vec<(i64, Excluded)>,
) -> Option<PassEstimate> {
    let excluded_count = sums
        .groups
        .iter()
        .filter(|g| exclusion_of(&g.key, blueprint).is_some())
        .map(|g| g.attempts as usize)
        .sum();
    let mut evidence =
        Evidence { tallies: HashMap::new(), by_mode: HashMap::new(), answers: 0, excluded, excluded_count };
    for d in &sums.domains {
        if d.answered == 0 || exclusion_of(&d.key, blueprint).is_some() {
            continue;
        }
        evidence.add(d.domain.as_str(), d.key.mode, d.answered, d.weighted.at(now));
    }
    from_evidence(blueprint, evidence, true)
}

fn from_evidence(blueprint: &Blueprint, evidence: Evidence, with_interval: bool) -> Option<PassEstimate> {
    let Evidence { tallies, by_mode, answers, excluded, excluded_count } = evidence;
    if answers == 0 {
        return None;
    }
    let (all_right, all_wrong) = tallies.values().fold((0.0, 0.0), |(r, w), t| (r + t.0, w + t.1));
    let overall = (1.0 + all_right) / (2.0 + all_right + all_wrong);
    let posteriors: Vec<(f64, f64)> = blueprint
        .domains
        .iter()
        .map(|d| {
            let (right, wrong, _) = tallies.get(d.id.as_str()).copied().unwrap_or_default();
            (overall * PRIOR_STRENGTH + right, (1.0 - overall) * PRIOR_STRENGTH + wrong)
        })
        .collect();
    let form = form_sizes(blueprint);
    let cut = raw_cut(blueprint.passing_score);
    let probability = pass_probability_predictive(&posteriors, &form, cut);
    let at_cuts = [cut - CUT_SPREAD, cut, cut + CUT_SPREAD]
        .iter()
        .map(|&c| (c, pass_probability_predictive(&posteriors, &form, c)))
        .collect();
    let (low, high) =
        if with_interval { interval(&posteriors, &form, cut, blueprint) } else { (probability, probability) };
    let domains = blueprint
        .domains
        .iter()
        .zip(&posteriors)
        .map(|(d, &(a, b))| {
            let (low, high) = if with_interval { beta_quantiles(a, b) } else { (a / (a + b), a / (a + b)) };
            DomainAbility {
                id: d.id.clone(),
                mean: a / (a + b),
                low,
                high,
                evidence: tallies.get(d.id.as_str()).map_or(0.0, |t| t.2),
            }
        })
        .collect();
    Some(PassEstimate {
        probability,
        low,
        high,
        cut,
        at_cuts,
        domains,
        answers: by_mode,
        excluded,
        excluded_count,
    })
}

/// Scored questions per domain on a form: the scored count split by the weights.
pub fn form_sizes(blueprint: &Blueprint) -> Vec<u32> {
    blueprint.domain_quotas(blueprint.scored_questions)
}

/// The smallest number right that reaches `cut` (a fraction) of `total`.
fn needed(total: u32, cut: f64) -> usize {
    (cut * f64::from(total) - 1e-9).ceil().max(0.0) as usize
}

/// Beta-binomial probabilities of 0..=n right, for ability Beta(a, b).
fn beta_binomial(n: u32, a: f64, b: f64) -> Vec<f64> {
    let ln_choose = |n: u32, k: u32| {
        ln_gamma(f64::from(n) + 1.0) - ln_gamma(f64::from(k) + 1.0) - ln_gamma(f64::from(n - k) + 1.0)
    };
    (0..=n)
        .map(|k| (ln_choose(n, k) + ln_beta(f64::from(k) + a, f64::from(n - k) + b) - ln_beta(a, b)).exp())
        .collect()
}

/// ln C(n, k) for k in 0..=n.
fn ln_choose_row(n: u32) -> Vec<f64> {
    (0..=n)
        .map(|k| {
            ln_gamma(f64::from(n) + 1.0) - ln_gamma(f64::from(k) + 1.0) - ln_gamma(f64::from(n - k) + 1.0)
        })
        .collect()
}

/// Binomial probabilities of 0..=n right for a known ability `p`.
#[cfg(test)]
fn binomial(n: u32, p: f64) -> Vec<f64> {
    binomial_with(&ln_choose_row(n), p)
}

/// `binomial` with ln C(n, k) given (`ln_choose_row(n)`): the interval's draws share one
/// row per domain instead of three `ln_gamma` per term (the same numbers, bit for bit).
fn binomial_with(ln_choose: &[f64], p: f64) -> Vec<f64> {
    let n = ln_choose.len() - 1;
    let p = p.clamp(1e-12, 1.0 - 1e-12);
    let (ln_p, ln_q) = (p.ln(), (1.0 - p).ln());
    ln_choose.iter().enumerate().map(|(k, lc)| (lc + k as f64 * ln_p + (n - k) as f64 * ln_q).exp()).collect()
}

/// The distribution of a sum of independent counts.
fn convolve(parts: &[Vec<f64>]) -> Vec<f64> {
    let mut total = vec![1.0];
    for part in parts {
        let mut next = vec![0.0; total.len() + part.len() - 1];
        for (i, a) in total.iter().enumerate() {
            for (j, b) in part.iter().enumerate() {
                next[i + j] += a * b;
            }
        }
        total = next;
    }
    total
}

fn tail_from(distribution: &[f64], from: usize) -> f64 {
    distribution.iter().skip(from).sum::<f64>().clamp(0.0, 1.0)
}

/// P(pass) averaged over what the answers leave uncertain (the posterior predictive).
pub fn pass_probability_predictive(posteriors: &[(f64, f64)], form: &[u32], cut: f64) -> f64 {
    let parts: Vec<Vec<f64>> =
        posteriors.iter().zip(form).map(|(&(a, b), &n)| beta_binomial(n, a, b)).collect();
    let total: u32 = form.iter().sum();
    tail_from(&convolve(&parts), needed(total, cut))
}

/// P(pass) for known per-domain abilities.
#[cfg(test)]
pub fn pass_probability_known(abilities: &[f64], form: &[u32], cut: f64) -> f64 {
    let rows: Vec<Vec<f64>> = form.iter().map(|&n| ln_choose_row(n)).collect();
    pass_probability_known_with(abilities, &rows, form, cut)
}

/// `pass_probability_known` with each domain's `ln_choose_row` given.
fn pass_probability_known_with(abilities: &[f64], rows: &[Vec<f64>], form: &[u32], cut: f64) -> f64 {
    let parts: Vec<Vec<f64>> = abilities.iter().zip(rows).map(|(&p, row)| binomial_with(row, p)).collect();
    let total: u32 = form.iter().sum();
    tail_from(&convolve(&parts), needed(total, cut))
}

fn beta_quantiles(a: f64, b: f64) -> (f64, f64) {
    match Beta::new(a, b) {
        Ok(beta) => (beta.inverse_cdf(0.1), beta.inverse_cdf(0.9)),
        Err(_) => (0.0, 1.0),
    }
}

/// 10th and 90th percentiles of P(pass | abilities) over abilities drawn from the posteriors.
fn interval(posteriors: &[(f64, f64)], form: &[u32], cut: f64, blueprint: &Blueprint) -> (f64, f64) {
    let betas: Vec<Option<Beta>> = posteriors.iter().map(|&(a, b)| Beta::new(a, b).ok()).collect();
    // Seeded by the exam, so the same answers always give the same interval.
    let seed = blueprint.id.bytes().fold(0u64, |h, b| h.wrapping_mul(31).wrapping_add(u64::from(b)));
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let rows: Vec<Vec<f64>> = form.iter().map(|&n| ln_choose_row(n)).collect();
    let mut draws: Vec<f64> = (0..DRAWS)
        .map(|_| {
            let abilities: Vec<f64> = betas
                .iter()
                .map(|beta| {
                    let u = (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
                    beta.as_ref().map_or(0.5, |b| b.inverse_cdf(u.clamp(1e-9, 1.0 - 1e-9)))
                })
                .collect();
            pass_probability_known_with(&abilities, &rows, form, cut)
        })
        .collect();
    draws.sort_by(f64::total_cmp);
    (draws[DRAWS / 10], draws[DRAWS * 9 / 10])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exam::assemble::tests_support::sample_exam;
    use crate::model::{EndReason, ItemRow};
    use crate::study::totals::fold;

    fn attempt(
        id: i64,
        mode: Mode,
        started_at: Millis,
        limit: Option<Millis>,
        questions: u32,
        answered: u32,
    ) -> AttemptSummary {
        AttemptSummary {
            id,
            exam: "t".into(),
            mode,
            seed: 0,
            started_at,
            finished_at: Some(started_at + 1),
            end_reason: Some(EndReason::Submitted),
            time_limit_ms: limit,
            deadline: None,
            questions,
            scored: questions,
            correct: 0,
            answered,
            answered_millis: 0,
        }
    }

    fn row(attempt: i64, id: &str, domain: &str, answered: bool, correct: bool) -> ItemRow {
        ItemRow {
            attempt,
            position: 0,
            question_id: id.into(),
            domain: domain.into(),
            scored: true,
            answered,
            correct,
            seen_at: Some(1),
            millis: 1,
        }
    }

    /// The estimate as computed before running totals, from every item (the oracle).
    fn estimate_from_items(
        blueprint: &Blueprint,
        attempts: &[AttemptSummary],
        items: &[ItemRow],
        now: Millis,
        with_interval: bool,
    ) -> Option<PassEstimate> {
        let mut excluded = Vec::new();
        let mut counted: HashMap<i64, (Millis, Mode)> = HashMap::new();
        for a in attempts.iter().filter(|a| a.finished_at.is_some()) {
            match exclusion(a, blueprint) {
                Some(why) => excluded.push((a.id, why)),
                None => {
                    counted.insert(a.id, (a.started_at, a.mode));
                }
            }
        }
        excluded.sort_by_key(|(id, _)| *id);
        // Answers in time order, so "answered before" means in an earlier attempt.
        let mut answers: Vec<(&ItemRow, Millis, Mode)> = items
            .iter()
            .filter(|i| i.scored && i.answered)
            .filter_map(|i| counted.get(&i.attempt).map(|&(at, mode)| (i, at, mode)))
            .collect();
        answers.sort_by_key(|(i, at, _)| (*at, i.attempt));
        // The one change: "answered before" is in any earlier finished attempt, evidence or not.
        let mut all: Vec<&ItemRow> = items
            .iter()
            .filter(|i| {
                i.scored
                    && i.answered
                    && attempts.iter().any(|a| a.id == i.attempt && a.finished_at.is_some())
            })
            .collect();
        let start_of = |id: i64| attempts.iter().find(|a| a.id == id).map_or(0, |a| a.started_at);
        all.sort_by_key(|i| (start_of(i.attempt), i.attempt));
        let mut first_attempt: HashMap<&str, i64> = HashMap::new();
        for i in &all {
            first_attempt.entry(i.question_id.as_str()).or_insert(i.attempt);
        }
        let mut tallies: HashMap<&str, (f64, f64, f64)> = HashMap::new();
        let mut by_mode: HashMap<Mode, u32> = HashMap::new();
        for (item, at, mode) in &answers {
            let first = first_attempt[item.question_id.as_str()];
            let repeat = if first == item.attempt { 1.0 } else { REPEAT_WEIGHT };
            let age_days = now.saturating_sub(*at) as f64 / 86_400_000.0;
            let weight = repeat * 0.5f64.powf(age_days / HALF_LIFE_DAYS);
            let entry = tallies.entry(item.domain.as_str()).or_insert((0.0, 0.0, 0.0));
            if item.correct {
                entry.0 += weight;
            } else {
                entry.1 += weight;
            }
            entry.2 += weight;
            *by_mode.entry(*mode).or_default() += 1;
        }
        if answers.is_empty() {
            return None;
        }
        let (all_right, all_wrong) = tallies.values().fold((0.0, 0.0), |(r, w), t| (r + t.0, w + t.1));
        let overall = (1.0 + all_right) / (2.0 + all_right + all_wrong);
        let posteriors: Vec<(f64, f64)> = blueprint
            .domains
            .iter()
            .map(|d| {
                let (right, wrong, _) = tallies.get(d.id.as_str()).copied().unwrap_or_default();
                (overall * PRIOR_STRENGTH + right, (1.0 - overall) * PRIOR_STRENGTH + wrong)
            })
            .collect();
        let form = form_sizes(blueprint);
        let cut = raw_cut(blueprint.passing_score);
        let probability = pass_probability_predictive(&posteriors, &form, cut);
        let at_cuts = [cut - CUT_SPREAD, cut, cut + CUT_SPREAD]
            .iter()
            .map(|&c| (c, pass_probability_predictive(&posteriors, &form, c)))
            .collect();
        let (low, high) = if with_interval {
            interval(&posteriors, &form, cut, blueprint)
        } else {
            (probability, probability)
        };
        let domains = blueprint
            .domains
            .iter()
            .zip(&posteriors)
            .map(|(d, &(a, b))| {
                let (low, high) =
                    if with_interval { beta_quantiles(a, b) } else { (a / (a + b), a / (a + b)) };
                DomainAbility {
                    id: d.id.clone(),
                    mean: a / (a + b),
                    low,
                    high,
                    evidence: tallies.get(d.id.as_str()).map_or(0.0, |t| t.2),
                }
            })
            .collect();
        let excluded_count = excluded.len();
        Some(PassEstimate {
            probability,
            low,
            high,
            cut,
            at_cuts,
            domains,
            answers: by_mode,
            excluded,
            excluded_count,
        })
    }

    proptest::proptest! {
        /// The estimate from the running totals is the one computed from every item (the
        /// sums are grouped per attempt and domain, so they may differ in the last bits).
        #[test]
        fn the_totals_give_the_estimate_the_items_give(
            (attempts, items) in crate::study::totals::strategy::history(),
            later in 0u64..90,
        ) {
            let exam = sample_exam(&[(60, 3), (40, 3)], 4);
            let now = 1_000_000 + later * 86_400_000;
            let totals = fold(&attempts, &items);
            let expected = estimate_from_items(&exam.blueprint, &totals.attempts, &items, now, true);
            let got = estimate(&exam.blueprint, &totals, now);
            proptest::prop_assert_eq!(got.is_some(), expected.is_some());
            if let (Some(got), Some(expected)) = (got, expected) {
                let close = |a: f64, b: f64| (a - b).abs() < 1e-9;
                proptest::prop_assert!(close(got.probability, expected.probability));
                proptest::prop_assert!(close(got.low, expected.low) && close(got.high, expected.high));
                for (g, e) in got.domains.iter().zip(&expected.domains) {
                    proptest::prop_assert!(close(g.mean, e.mean) && close(g.evidence, e.evidence), "{g:?} {e:?}");
                }
                proptest::prop_assert_eq!(got.answers, expected.answers);
                proptest::prop_assert_eq!(got.excluded, expected.excluded);
            }
        }
    }

    /// The one difference from reading every item: an answer after an attempt that is not
    /// evidence (here a shortened exam) still counts as a repeat, since that attempt showed
    /// the key. Reading every item, it counted in full.
    #[test]
    fn an_answer_after_an_excluded_attempt_is_a_repeat() {
        let exam = sample_exam(&[(100, 10)], 10);
        let full = Some(u64::from(exam.blueprint.minutes) * 60_000);
        let attempts =
            vec![attempt(1, Mode::Exam, 0, Some(60_000), 1, 1), attempt(2, Mode::Exam, 1, full, 1, 1)];
        let rows = vec![row(1, "q", "d0", true, true), row(2, "q", "d0", true, true)];
        let e = estimate(&exam.blueprint, &fold(&attempts, &rows), 2).unwrap();
        assert_eq!(e.excluded, vec![(1, Excluded::ShortTimeLimit)]);
        assert!((e.domains[0].evidence - REPEAT_WEIGHT).abs() < 1e-6, "{}", e.domains[0].evidence);
    }

    #[test]
    fn the_distributions_are_proper() {
        let bb = beta_binomial(20, 3.0, 2.0);
        assert!((bb.iter().sum::<f64>() - 1.0).abs() < 1e-9);
        assert!((binomial(20, 0.3).iter().sum::<f64>() - 1.0).abs() < 1e-9);
        // A sure candidate passes; a hopeless one does not.
        assert!(pass_probability_known(&[0.99, 0.99], &[25, 25], 0.72) > 0.999);
        assert!(pass_probability_known(&[0.2, 0.2], &[25, 25], 0.72) < 1e-6);
        assert_eq!(needed(50, 0.72), 36);
    }

    #[test]
    fn a_throwaway_exam_does_not_drag_readiness_down() {
        // One real exam answered well, then one idle exam left unanswered: the second is
        // excluded and the estimate does not move.
        let exam = sample_exam(&[(50, 10), (50, 10)], 20);
        let full = Some(u64::from(exam.blueprint.minutes) * 60_000);
        let real = attempt(1, Mode::Exam, 1_000, full, 20, 20);
        let rows: Vec<ItemRow> = (0..20)
            .map(|n| row(1, &format!("q{n}"), if n < 10 { "d0" } else { "d1" }, true, n % 10 != 0))
            .collect();
        let before = estimate(&exam.blueprint, &fold(std::slice::from_ref(&real), &rows), 2_000).unwrap();
        let idle = attempt(2, Mode::Exam, 3_000, full, 20, 0);
        let mut more = rows.clone();
        more.extend(
            (0..20).map(|n| row(2, &format!("p{n}"), if n < 10 { "d0" } else { "d1" }, false, false)),
        );
        let after = estimate(&exam.blueprint, &fold(&[real.clone(), idle], &more), 2_000).unwrap();
        assert_eq!(after.probability, before.probability);
        assert_eq!(after.excluded, vec![(2, Excluded::MostlyUnanswered)]);
        // A shortened exam is not evidence either.
        let short = attempt(3, Mode::Exam, 4_000, Some(60_000), 20, 20);
        assert_eq!(exclusion(&short, &exam.blueprint), Some(Excluded::ShortTimeLimit));
        assert!(before.probability > 0.5, "{}", before.probability);
        assert!(
            before.low <= before.probability && before.probability <= before.high.max(before.probability)
        );
    }

    #[test]
    fn a_repeated_question_counts_less_than_a_new_one() {
        let exam = sample_exam(&[(100, 10)], 10);
        let full = Some(u64::from(exam.blueprint.minutes) * 60_000);
        let attempts = vec![attempt(1, Mode::Exam, 0, full, 1, 1), attempt(2, Mode::Exam, 1, full, 1, 1)];
        let rows = vec![row(1, "q", "d0", true, true), row(2, "q", "d0", true, true)];
        let e = estimate(&exam.blueprint, &fold(&attempts, &rows), 2).unwrap();
        assert!((e.domains[0].evidence - (1.0 + REPEAT_WEIGHT)).abs() < 1e-6, "{}", e.domains[0].evidence);
    }

    /// Calibration: synthetic learners of known ability answer a synthetic bank; the model's
    /// predicted P(pass on a fresh form) is compared with whether each passed one. The table
    /// is in docs/readiness.md (printed with `--nocapture`).
    #[test]
    fn the_pass_probability_is_calibrated_on_synthetic_learners() {
        let exam = sample_exam(&[(30, 40), (26, 40), (24, 40), (20, 40)], 65);
        let blueprint = &exam.blueprint;
        let form = form_sizes(blueprint);
        let cut = raw_cut(blueprint.passing_score);
        let mut rng = ChaCha8Rng::seed_from_u64(2026);
        let mut uniform = || (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
        let full = Some(u64::from(blueprint.minutes) * 60_000);
        let learners = 800;
        let mut outcomes: Vec<(f64, bool)> = Vec::with_capacity(learners);
        for learner in 0..learners {
            // A learner's true ability per domain, around a level of their own.
            let level = 0.5 + 0.4 * uniform();
            let abilities: Vec<f64> =
                form.iter().map(|_| (level + 0.1 * (uniform() - 0.5)).clamp(0.05, 0.98)).collect();
            // Evidence: one or two full mock exams.
            let exams = 1 + learner % 2;
            let mut attempts = Vec::new();
            let mut rows = Vec::new();
            for e in 0..exams {
                let id = e as i64 + 1;
                attempts.push(attempt(id, Mode::Exam, e as u64, full, 50, 50));
                for (d, (&n, &p)) in form.iter().zip(&abilities).enumerate() {
                    for k in 0..n {
                        let correct = uniform() < p;
                        rows.push(row(id, &format!("e{e}d{d}q{k}"), &format!("d{d}"), true, correct));
                    }
                }
            }
            let predicted =
                estimate_with(blueprint, &fold(&attempts, &rows), exams as u64, false).unwrap().probability;
            // The truth: a fresh form, answered with the true abilities.
            let right: u32 = form
                .iter()
                .zip(&abilities)
                .map(|(&n, &p)| (0..n).filter(|_| uniform() < p).count() as u32)
                .sum();
            let passed = f64::from(right) >= cut * f64::from(form.iter().sum::<u32>()) - 1e-9;
            outcomes.push((predicted, passed));
        }
        let brier: f64 = outcomes.iter().map(|(p, o)| (p - f64::from(u8::from(*o))).powi(2)).sum::<f64>()
            / learners as f64;
        println!("Brier score over {learners} synthetic learners: {brier:.3}");
        println!("| predicted P(pass) | learners | mean predicted | observed pass rate |");
        println!("|---|---|---|---|");
        let mut worst: f64 = 0.0;
        let mut calibration_error = 0.0;
        for decile in 0..10 {
            let (lo, hi) = (decile as f64 / 10.0, (decile + 1) as f64 / 10.0);
            let bin: Vec<&(f64, bool)> = outcomes
                .iter()
                .filter(|(p, _)| *p >= lo && (*p < hi || (decile == 9 && *p <= 1.0)))
                .collect();
            if bin.is_empty() {
                continue;
            }
            let mean = bin.iter().map(|(p, _)| p).sum::<f64>() / bin.len() as f64;
            let observed = bin.iter().filter(|(_, o)| *o).count() as f64 / bin.len() as f64;
            println!("| {lo:.1}-{hi:.1} | {} | {mean:.2} | {observed:.2} |", bin.len());
            calibration_error += (mean - observed).abs() * bin.len() as f64 / learners as f64;
            if bin.len() >= 60 {
                worst = worst.max((mean - observed).abs());
            }
        }
        println!(
            "Expected calibration error (weighted mean |predicted - observed| over the deciles): {calibration_error:.3}"
        );
        // A coin flip scores 0.25; a calibrated, informative model does much better.
        assert!(brier < 0.15, "Brier {brier}");
        assert!(calibration_error < 0.06, "expected calibration error {calibration_error}");
        assert!(worst < 0.12, "a decile with 60+ learners is off by {worst}");
    }
}
