//! Statistics over the history of one exam: a pure `compute`, tested on its own; the
//! terminal renders them (`ui::stats`). The store supplies the rows; nothing here does I/O.

use std::collections::{HashMap, HashSet};

use serde::Serialize;

use crate::bank::Exam;
use crate::exam::clock::{format_timestamp, seconds};
use crate::exam::score::{percent, scaled_score};
use crate::model::{
    AttemptSummary, Digest, DomainDigest, DomainPointTally, DomainTally, ExamSums, ExamTotals, Mode,
};

/// How many of the latest attempts make the "recent" figures and the rolling readiness.
pub const RECENT_ATTEMPTS: usize = 5;
pub const ROLLING_EXAMS: usize = 3;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DomainStats {
    pub id: String,
    pub name: String,
    pub weight: u32,
    /// Scored questions answered in exams and drills (reviews re-ask what was just shown).
    pub answered: u32,
    pub correct: u32,
    pub percent: Option<f64>,
    /// The same over the latest `RECENT_ATTEMPTS` attempts that had this domain.
    pub recent_percent: Option<f64>,
    /// Questions of the bank in this domain, and how many were ever shown (answered, or
    /// on screen for a while).
    pub questions: u32,
    pub seen: u32,
    pub never_seen: u32,
    /// Accuracy attempt by attempt (exams and drills with this domain answered), oldest first.
    pub by_attempt: Vec<DomainPoint>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DomainPoint {
    pub attempt: i64,
    pub started_at: String,
    pub answered: u32,
    pub percent: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MissedQuestion {
    pub id: String,
    pub domain: String,
    pub missed: u32,
    pub answered: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Pace {
    /// Average seconds per answered question in mock exams.
    pub average_seconds: Option<f64>,
    /// What the real exam allows: minutes × 60 / questions.
    pub exam_seconds: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TrendPoint {
    pub attempt: i64,
    pub started_at: String,
    pub percent: f64,
    pub scaled_score: u32,
    /// Readiness evidence (see `readiness::exclusion`).
    pub counted: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Readiness {
    pub exams_taken: u32,
    pub latest_scaled: Option<u32>,
    /// Mean of the latest `ROLLING_EXAMS` exams' estimated scaled scores.
    pub rolling_scaled: Option<u32>,
    pub passing_score: u32,
    pub ready: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Stats {
    pub exam: String,
    pub attempts: u32,
    pub domains: Vec<DomainStats>,
    pub most_missed: Vec<MissedQuestion>,
    pub pace: Pace,
    pub readiness: Readiness,
    /// Finished mock exams with scored questions, in all.
    #[serde(skip)]
    pub exams: u32,
    /// Finished mock exams, oldest first (the newest `SERIES` when bounded).
    pub trend: Vec<TrendPoint>,
    /// Something the candidate should know about how these were read (the running sums
    /// were damaged and rebuilt).
    #[serde(skip)]
    pub notice: Option<String>,
}

/// How many of the newest points a bounded series keeps: the text draws the latest 8 per
/// domain and the latest `SERIES` mock exams, the browser the same.
pub const SERIES: usize = 20;

/// Newest first, as "recent" and the series count.
fn newest_first(a: &AttemptSummary, c: &AttemptSummary) -> std::cmp::Ordering {
    c.started_at.cmp(&a.started_at).then(c.id.cmp(&a.id))
}

/// The digest of `totals` for `blueprint` (model::Digest), each series cut to its newest
/// `window` points (at least `RECENT_ATTEMPTS` per domain); every point with `None`.
pub fn digest(blueprint: &crate::bank::Blueprint, totals: &ExamTotals, window: Option<usize>) -> Digest {
    let keep = window.map_or(usize::MAX, |w| w.max(RECENT_ATTEMPTS));
    let mut finished: Vec<&AttemptSummary> =
        totals.attempts.iter().filter(|a| a.finished_at.is_some()).collect();
    finished.sort_by(|a, c| newest_first(a, c));
    let by_id: HashMap<i64, &AttemptSummary> = finished.iter().map(|a| (a.id, *a)).collect();
    // A review re-asks a question whose answer was just shown, so its answers would
    // flatter accuracy; only exams and drills count for it.
    let mut by_domain: HashMap<&str, HashMap<i64, &DomainTally>> = HashMap::new();
    for t in &totals.domains {
        if t.answered() > 0 && by_id.get(&t.attempt).is_some_and(|a| a.mode != Mode::Review) {
            by_domain.entry(t.domain.as_str()).or_default().insert(t.attempt, t);
        }
    }
    let mut domains: Vec<DomainDigest> = by_domain
        .iter()
        .map(|(domain, mine)| DomainDigest {
            domain: domain.to_string(),
            answered: mine.values().map(|t| t.answered()).sum(),
            correct: mine.values().map(|t| t.correct()).sum(),
            latest: finished
                .iter()
                .filter_map(|a| mine.get(&a.id).map(|t| (a, t)))
                .take(keep)
                .map(|(a, t)| DomainPointTally {
                    attempt: a.id,
                    started_at: a.started_at,
                    answered: t.answered(),
                    correct: t.correct(),
                })
                .collect(),
        })
        .collect();
    domains.sort_by(|a, c| a.domain.cmp(&c.domain));
    // Pace compares with the real exam, so only exams count for it.
    let mock: Vec<&&AttemptSummary> = finished.iter().filter(|a| a.mode == Mode::Exam).collect();
    let exam_answered = mock.iter().map(|a| u64::from(a.answered)).sum();
    let exam_millis = mock.iter().map(|a| a.answered_millis).sum();
    let exams: Vec<&AttemptSummary> = mock.iter().filter(|a| a.scored > 0).map(|a| **a).collect();
    let counted: Vec<&AttemptSummary> =
        exams.iter().filter(|a| super::readiness::exclusion(a, blueprint).is_none()).copied().collect();
    Digest {
        finished: finished.len() as u32,
        domains,
        exam_answered,
        exam_millis,
        exams: exams.len() as u32,
        counted: counted.len() as u32,
        latest_exams: exams.iter().take(window.unwrap_or(usize::MAX)).map(|a| (*a).clone()).collect(),
        latest_counted: counted.iter().take(ROLLING_EXAMS).map(|a| (*a).clone()).collect(),
        questions: totals.questions.clone(),
    }
}

/// What a digest from the running sums reads besides them: the newest rows of each series
/// (through the store's indexes, `LIMIT` the window) and the bank's questions' totals.
#[derive(Debug, Clone, Default)]
pub struct Newest {
    /// Per domain of the blueprint, its newest points (finished exams and drills with the
    /// domain answered), newest first: at least the window (and `RECENT_ATTEMPTS`).
    pub domain_points: Vec<(String, Vec<DomainPointTally>)>,
    /// The newest finished mock exams with scored questions (the window), newest first.
    pub latest_exams: Vec<AttemptSummary>,
    /// The newest `ROLLING_EXAMS` of them that are readiness evidence, newest first.
    pub latest_counted: Vec<AttemptSummary>,
    pub questions: Vec<crate::model::QuestionTotals>,
}

/// The digest from the exam's running sums (`model::ExamSums`, the aggregates over every
/// finished attempt) and the newest rows of each series: what `digest` gives over the full
/// totals with the same window, in O(groups × domains + window + bank).
pub fn digest_from_sums(blueprint: &crate::bank::Blueprint, sums: &ExamSums, newest: Newest) -> Digest {
    let mut domains: Vec<DomainDigest> = newest
        .domain_points
        .into_iter()
        .filter_map(|(domain, latest)| {
            // A review re-asks a question whose answer was just shown: not for accuracy.
            let (answered, correct) = sums
                .domains
                .iter()
                .filter(|d| d.domain == domain && d.key.mode != Mode::Review)
                .fold((0, 0), |(a, c), d| (a + d.answered, c + d.correct));
            (answered > 0).then_some(DomainDigest { domain, answered, correct, latest })
        })
        .collect();
    domains.sort_by(|a, c| a.domain.cmp(&c.domain));
    let mock = || sums.groups.iter().filter(|g| g.key.mode == Mode::Exam);
    Digest {
        finished: sums.groups.iter().map(|g| g.attempts).sum(),
        domains,
        exam_answered: mock().map(|g| g.answered).sum(),
        exam_millis: mock().map(|g| g.answered_millis).sum(),
        exams: mock().map(|g| g.scored_attempts).sum(),
        counted: mock()
            .filter(|g| super::readiness::exclusion_of(&g.key, blueprint).is_none())
            .map(|g| g.scored_attempts)
            .sum(),
        latest_exams: newest.latest_exams,
        latest_counted: newest.latest_counted,
        questions: newest.questions,
    }
}

/// Computes the statistics of `exam` from its running totals, every attempt in every
/// series: O(bank + attempts × domains), whatever the number of answers.
pub fn compute(exam: &Exam, totals: &ExamTotals) -> Stats {
    compute_from(exam, &digest(&exam.blueprint, totals, None))
}

/// The statistics from a digest: its series hold what the digest holds (the newest points
/// of a bounded one; `Stats::exams` says how many mock exams there are in all).
pub fn compute_from(exam: &Exam, digest: &Digest) -> Stats {
    let b = &exam.blueprint;
    // Accuracy is over answered questions: one left blank when time ran out says nothing
    // about what the candidate knows (the exam score still counts it wrong).
    // Seen: put on screen or answered; a question never reached is not seen.
    let seen: HashSet<&str> =
        digest.questions.iter().filter(|q| q.seen > 0).map(|q| q.question_id.as_str()).collect();
    let mut bank: HashMap<&str, (u32, u32)> = HashMap::new();
    for q in exam.listings() {
        let entry = bank.entry(q.domain).or_default();
        entry.0 += 1;
        entry.1 += u32::from(seen.contains(q.id));
    }
    let none = DomainDigest::default();
    let domains = b
        .domains
        .iter()
        .map(|d| {
            let mine = digest.domains.iter().find(|m| m.domain == d.id).unwrap_or(&none);
            let recent = &mine.latest[..mine.latest.len().min(RECENT_ATTEMPTS)];
            let by_attempt: Vec<DomainPoint> = mine
                .latest
                .iter()
                .rev()
                .map(|t| DomainPoint {
                    attempt: t.attempt,
                    started_at: format_timestamp(t.started_at),
                    answered: t.answered,
                    percent: percent(t.correct, t.answered).unwrap_or(0.0),
                })
                .collect();
            let (questions, seen_here) = bank.get(d.id.as_str()).copied().unwrap_or_default();
            DomainStats {
                id: d.id.clone(),
                name: d.name.clone(),
                weight: d.weight,
                answered: mine.answered,
                correct: mine.correct,
                percent: percent(mine.correct, mine.answered),
                recent_percent: percent(
                    recent.iter().map(|t| t.correct).sum(),
                    recent.iter().map(|t| t.answered).sum(),
                ),
                questions,
                seen: seen_here,
                never_seen: questions - seen_here,
                by_attempt,
            }
        })
        .collect();

    let mut most_missed: Vec<MissedQuestion> = digest
        .questions
        .iter()
        .filter(|q| q.missed > 0)
        .map(|q| MissedQuestion {
            id: q.question_id.clone(),
            domain: q.domain.clone(),
            missed: q.missed,
            answered: q.answered,
        })
        .collect();
    most_missed.sort_by(|a, c| c.missed.cmp(&a.missed).then(a.id.cmp(&c.id)));
    most_missed.truncate(10);

    let average_seconds =
        (digest.exam_answered > 0).then(|| seconds(digest.exam_millis as f64 / digest.exam_answered as f64));
    let exam_seconds =
        (f64::from(b.minutes) * 60.0 / f64::from(b.exam_questions.max(1)) * 10.0).round() / 10.0;

    let point = |a: &AttemptSummary| {
        let fraction = f64::from(a.correct) / f64::from(a.scored);
        TrendPoint {
            attempt: a.id,
            started_at: format_timestamp(a.started_at),
            percent: percent(a.correct, a.scored).unwrap_or(0.0),
            scaled_score: scaled_score(fraction, b.passing_score),
            counted: super::readiness::exclusion(a, b).is_none(),
        }
    };
    let trend: Vec<TrendPoint> = digest.latest_exams.iter().rev().map(point).collect();
    // Throw-away attempts (a shortened time limit, most questions unanswered) are shown in
    // the trend but are not readiness evidence.
    let rolling: Vec<u32> = digest.latest_counted.iter().map(|a| point(a).scaled_score).collect();
    let latest_scaled = rolling.first().copied();
    let rolling_scaled = (!rolling.is_empty())
        .then(|| (f64::from(rolling.iter().sum::<u32>()) / rolling.len() as f64).round() as u32);
    Stats {
        exam: b.id.clone(),
        attempts: digest.finished,
        domains,
        most_missed,
        pace: Pace { average_seconds, exam_seconds },
        readiness: Readiness {
            exams_taken: digest.counted,
            latest_scaled,
            rolling_scaled,
            passing_score: b.passing_score,
            ready: rolling_scaled.map(|r| r >= b.passing_score),
        },
        exams: digest.exams,
        trend,
        notice: None,
    }
}

/// The statistics as computed before running totals, from every item: kept as the oracle
/// the totals-based `compute` is tested against.
#[cfg(test)]
pub(crate) mod oracle {
    use std::collections::{BTreeMap, HashSet};

    use super::*;
    use crate::exam::clock::Millis;
    use crate::model::ItemRow;

    /// Fills each attempt's counts (questions, scored, correct, answered) from its items.
    fn count_items(attempts: &mut [AttemptSummary], items: &[ItemRow]) {
        let index: std::collections::HashMap<i64, usize> =
            attempts.iter().enumerate().map(|(i, a)| (a.id, i)).collect();
        for a in attempts.iter_mut() {
            (a.questions, a.scored, a.correct, a.answered) = (0, 0, 0, 0);
        }
        for item in items {
            if let Some(&i) = index.get(&item.attempt) {
                let a = &mut attempts[i];
                a.questions += 1;
                a.scored += u32::from(item.scored);
                a.correct += u32::from(item.scored && item.correct);
                a.answered += u32::from(item.answered);
            }
        }
    }

    /// Computes the statistics of `exam` from its finished attempts and their items.
    pub fn compute_from_items(exam: &Exam, attempts: &[AttemptSummary], items: &[ItemRow]) -> Stats {
        let mut attempts = attempts.to_vec();
        count_items(&mut attempts, items);
        let attempts = &attempts[..];
        let b = &exam.blueprint;
        let finished: Vec<&AttemptSummary> = attempts.iter().filter(|a| a.finished_at.is_some()).collect();
        // Attempt ids newest first, for "recent".
        let mut by_recency: Vec<&AttemptSummary> = finished.clone();
        by_recency.sort_by(|a, c| c.started_at.cmp(&a.started_at).then(c.id.cmp(&a.id)));

        // Seen: put on screen (time spent) or answered; a question never reached is not seen.
        let seen: HashSet<&str> = items
            .iter()
            .filter(|i| i.answered || i.seen_at.is_some())
            .map(|i| i.question_id.as_str())
            .collect();
        // A review re-asks a question whose answer was just shown, so its answers would flatter
        // accuracy; only exams and drills count for it. Pace compares with the real exam, so
        // only exams count for that.
        let mode_of: std::collections::HashMap<i64, Mode> = attempts.iter().map(|a| (a.id, a.mode)).collect();
        let first_tries: Vec<&ItemRow> =
            items.iter().filter(|i| mode_of.get(&i.attempt).is_some_and(|m| *m != Mode::Review)).collect();
        let domains = b
            .domains
            .iter()
            .map(|d| {
                // Accuracy is over answered questions: one left blank when time ran out says
                // nothing about what the candidate knows (the exam score still counts it wrong).
                let mine: Vec<&ItemRow> = first_tries
                    .iter()
                    .copied()
                    .filter(|i| i.domain == d.id && i.scored && i.answered)
                    .collect();
                let answered = mine.len() as u32;
                let correct = mine.iter().filter(|i| i.correct).count() as u32;
                let with_domain: HashSet<i64> = mine.iter().map(|i| i.attempt).collect();
                let recent_ids: HashSet<i64> = by_recency
                    .iter()
                    .filter(|a| with_domain.contains(&a.id))
                    .take(RECENT_ATTEMPTS)
                    .map(|a| a.id)
                    .collect();
                let recent: Vec<&&ItemRow> =
                    mine.iter().filter(|i| recent_ids.contains(&i.attempt)).collect();
                let by_attempt: Vec<DomainPoint> = by_recency
                    .iter()
                    .rev()
                    .filter(|a| with_domain.contains(&a.id))
                    .map(|a| {
                        let answers: Vec<&&ItemRow> = mine.iter().filter(|i| i.attempt == a.id).collect();
                        let right = answers.iter().filter(|i| i.correct).count() as u32;
                        DomainPoint {
                            attempt: a.id,
                            started_at: format_timestamp(a.started_at),
                            answered: answers.len() as u32,
                            percent: percent(right, answers.len() as u32).unwrap_or(0.0),
                        }
                    })
                    .collect();
                let bank: Vec<&str> =
                    exam.questions().iter().filter(|q| q.domain == d.id).map(|q| q.id.as_str()).collect();
                let seen_here = bank.iter().filter(|id| seen.contains(*id)).count() as u32;
                DomainStats {
                    id: d.id.clone(),
                    name: d.name.clone(),
                    weight: d.weight,
                    answered,
                    correct,
                    percent: percent(correct, answered),
                    recent_percent: percent(
                        recent.iter().filter(|i| i.correct).count() as u32,
                        recent.len() as u32,
                    ),
                    questions: bank.len() as u32,
                    seen: seen_here,
                    never_seen: bank.len() as u32 - seen_here,
                    by_attempt,
                }
            })
            .collect();

        let mut misses: BTreeMap<&str, (String, u32, u32)> = BTreeMap::new();
        for item in first_tries.iter().filter(|i| i.scored && i.answered) {
            let entry = misses.entry(&item.question_id).or_insert_with(|| (item.domain.clone(), 0, 0));
            entry.1 += u32::from(!item.correct);
            entry.2 += 1;
        }
        let mut most_missed: Vec<MissedQuestion> = misses
            .into_iter()
            .filter(|(_, (_, missed, _))| *missed > 0)
            .map(|(id, (domain, missed, answered))| MissedQuestion {
                id: id.to_string(),
                domain,
                missed,
                answered,
            })
            .collect();
        most_missed.sort_by(|a, c| c.missed.cmp(&a.missed).then(a.id.cmp(&c.id)));
        most_missed.truncate(10);

        let answered: Vec<&ItemRow> =
            items.iter().filter(|i| i.answered && mode_of.get(&i.attempt) == Some(&Mode::Exam)).collect();
        let average_seconds = (!answered.is_empty()).then(|| {
            let total: Millis = answered.iter().map(|i| i.millis).sum();
            seconds(total as f64 / answered.len() as f64)
        });
        let exam_seconds =
            (f64::from(b.minutes) * 60.0 / f64::from(b.exam_questions.max(1)) * 10.0).round() / 10.0;

        let mut exams: Vec<&&AttemptSummary> =
            finished.iter().filter(|a| a.mode == Mode::Exam && a.scored > 0).collect();
        exams.sort_by(|a, c| a.started_at.cmp(&c.started_at).then(a.id.cmp(&c.id)));
        let trend: Vec<TrendPoint> = exams
            .iter()
            .map(|a| {
                let fraction = f64::from(a.correct) / f64::from(a.scored);
                TrendPoint {
                    attempt: a.id,
                    started_at: format_timestamp(a.started_at),
                    percent: percent(a.correct, a.scored).unwrap_or(0.0),
                    scaled_score: scaled_score(fraction, b.passing_score),
                    counted: crate::study::readiness::exclusion(a, b).is_none(),
                }
            })
            .collect();
        // Throw-away attempts (a shortened time limit, most questions unanswered) are shown in
        // the trend but are not readiness evidence.
        let counted: Vec<&TrendPoint> = trend.iter().filter(|t| t.counted).collect();
        let latest_scaled = counted.last().map(|t| t.scaled_score);
        let rolling: Vec<u32> = counted.iter().rev().take(ROLLING_EXAMS).map(|t| t.scaled_score).collect();
        let rolling_scaled = (!rolling.is_empty())
            .then(|| (f64::from(rolling.iter().sum::<u32>()) / rolling.len() as f64).round() as u32);
        Stats {
            exam: b.id.clone(),
            attempts: finished.len() as u32,
            domains,
            most_missed,
            pace: Pace { average_seconds, exam_seconds },
            readiness: Readiness {
                exams_taken: counted.len() as u32,
                latest_scaled,
                rolling_scaled,
                passing_score: b.passing_score,
                ready: rolling_scaled.map(|r| r >= b.passing_score),
            },
            exams: trend.len() as u32,
            trend,
            notice: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exam::assemble::tests_support::sample_exam;
    use crate::exam::clock::Millis;
    use crate::model::{EndReason, ItemRow};
    use crate::study::totals::fold;

    fn attempt(id: i64, mode: &str, started: Millis, scored: u32, correct: u32) -> AttemptSummary {
        AttemptSummary {
            id,
            exam: "t".into(),
            mode: Mode::parse(mode).unwrap(),
            seed: 0,
            started_at: started,
            finished_at: Some(started + 1000),
            end_reason: Some(EndReason::Submitted),
            time_limit_ms: None,
            deadline: None,
            questions: scored,
            scored,
            correct,
            answered: scored,
            answered_millis: 0,
        }
    }

    fn item(attempt: i64, id: &str, domain: &str, correct: bool, millis: Millis) -> ItemRow {
        ItemRow {
            attempt,
            position: 0,
            question_id: id.into(),
            domain: domain.into(),
            scored: true,
            answered: true,
            correct,
            seen_at: Some(attempt as u64),
            millis,
        }
    }

    #[test]
    fn computes_domains_misses_pace_and_readiness() {
        let exam = sample_exam(&[(50, 4), (50, 4)], 4);
        let attempts = vec![
            attempt(1, "exam", 100, 2, 0),
            attempt(2, "exam", 200, 2, 2),
            attempt(3, "drill", 300, 1, 0),
        ];
        let items = vec![
            item(1, "d0-000", "d0", false, 10_000),
            item(1, "d1-000", "d1", false, 30_000),
            item(2, "d0-000", "d0", true, 20_000),
            item(2, "d1-001", "d1", true, 20_000),
            item(3, "d0-000", "d0", false, 20_000),
        ];
        let stats = compute(&exam, &fold(&attempts, &items));
        assert_eq!(stats.attempts, 3);
        let d0 = &stats.domains[0];
        assert_eq!((d0.answered, d0.correct, d0.percent), (3, 1, Some(33.3)));
        assert_eq!((d0.questions, d0.seen, d0.never_seen), (4, 1, 3));
        let trend: Vec<(i64, u32, f64)> =
            d0.by_attempt.iter().map(|p| (p.attempt, p.answered, p.percent)).collect();
        assert_eq!(trend, [(1, 1, 0.0), (2, 1, 100.0), (3, 1, 0.0)], "oldest first, drills included");
        let d1 = &stats.domains[1];
        assert_eq!((d1.seen, d1.percent), (2, Some(50.0)));
        assert_eq!(
            d1.by_attempt.iter().map(|p| p.attempt).collect::<Vec<_>>(),
            [1, 2],
            "only attempts with it"
        );
        assert_eq!(
            stats.most_missed[0],
            MissedQuestion { id: "d0-000".into(), domain: "d0".into(), missed: 2, answered: 3 }
        );
        assert_eq!(stats.pace.average_seconds, Some(20.0));
        assert_eq!(stats.pace.exam_seconds, 1950.0);
        assert_eq!(stats.trend.iter().map(|t| t.scaled_score).collect::<Vec<_>>(), [100, 1000]);
        assert_eq!(stats.readiness.latest_scaled, Some(1000));
        assert_eq!(stats.readiness.rolling_scaled, Some(550));
        assert_eq!(stats.readiness.ready, Some(false));
    }

    #[test]
    fn counts_come_from_the_items() {
        let attempts = vec![attempt(1, "exam", 100, 0, 0), attempt(2, "drill", 200, 0, 0)];
        let items =
            vec![item(1, "a", "d0", true, 1), item(1, "b", "d0", false, 1), item(2, "a", "d0", true, 1)];
        let attempts = fold(&attempts, &items).attempts;
        assert_eq!((attempts[0].questions, attempts[0].scored, attempts[0].correct), (2, 2, 1));
        assert_eq!((attempts[1].scored, attempts[1].correct, attempts[1].answered), (1, 1, 1));
    }

    proptest::proptest! {
        /// The statistics from the running totals are the ones computed from every item.
        #[test]
        fn the_totals_give_the_statistics_the_items_give(
            (attempts, items) in crate::study::totals::strategy::history()
        ) {
            let exam = sample_exam(&[(60, 3), (40, 3)], 4);
            let from_items = oracle::compute_from_items(&exam, &attempts, &items);
            proptest::prop_assert_eq!(compute(&exam, &fold(&attempts, &items)), from_items);
        }
    }

    proptest::proptest! {
        /// Bounded series (what the text and the browser draw) are the newest points of the
        /// unbounded ones, and every other figure is the same.
        #[test]
        fn a_bounded_digest_gives_the_newest_points_of_the_whole_statistics(
            (attempts, items) in crate::study::totals::strategy::history(),
            window in 1usize..4,
        ) {
            let exam = sample_exam(&[(60, 3), (40, 3)], 4);
            let totals = fold(&attempts, &items);
            let mut whole = compute(&exam, &totals);
            let bounded = compute_from(&exam, &digest(&exam.blueprint, &totals, Some(window)));
            for d in &mut whole.domains {
                let keep = window.max(RECENT_ATTEMPTS);
                d.by_attempt.drain(..d.by_attempt.len().saturating_sub(keep));
            }
            whole.trend.drain(..whole.trend.len().saturating_sub(window));
            proptest::prop_assert_eq!(bounded, whole);
        }
    }

    #[test]
    fn an_empty_history_computes_without_numbers() {
        let exam = sample_exam(&[(100, 3)], 3);
        let stats = compute(&exam, &ExamTotals::default());
        assert_eq!(stats.domains[0].percent, None);
        assert_eq!(stats.domains[0].never_seen, 3);
        assert_eq!(stats.readiness.ready, None);
    }
}
