//! The store's running totals against their definition (`study::totals::fold` over every
//! item): kept incrementally at `finish`, in any finishing order, and backfilled by the
//! migration from a store written before them. Here because the test needs both the store
//! and the study rules, which meet only in the application layer.

use proptest::prelude::*;

use crate::exam::assemble::PaperItem;
use crate::exam::item::{Layout, Response};
use crate::exam::session::ItemState;
use crate::model::{AttemptSummary, EndReason, ItemRow};
use crate::store::{NewAttempt, Store};
use crate::study::totals::{fold, sorted, strategy};

/// Writes `attempts` through the real store API, finishing them in `order` (a permutation
/// seed), and returns the store's folder.
fn write(attempts: &[AttemptSummary], items: &[ItemRow], order: &[usize]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    let mut ids = Vec::new();
    for a in attempts {
        let mine: Vec<&ItemRow> = items.iter().filter(|i| i.attempt == a.id).collect();
        let paper: Vec<PaperItem> = mine
            .iter()
            .map(|i| PaperItem {
                question_id: i.question_id.clone(),
                domain: i.domain.clone(),
                layout: Layout::Choice { order: vec![0, 1, 2, 3] },
                scored: i.scored,
            })
            .collect();
        let hashes = vec!["h".to_string(); paper.len()];
        let id = store
            .create_attempt(&NewAttempt {
                exam: "t",
                mode: a.mode,
                seed: 0,
                started_at: a.started_at,
                deadline: None,
                time_limit_ms: a.time_limit_ms,
                items: &paper,
                content_hashes: &hashes,
                hide_domain: false,
                seen_before: None,
                retake_of: None,
                states: &[],
                position: 0,
                last_tick: a.started_at,
                released: false,
            })
            .unwrap();
        assert_eq!(id, a.id);
        let states: Vec<ItemState> = mine
            .iter()
            .map(|i| ItemState {
                response: i.answered.then(|| Response::Choice(vec![0])),
                millis: i.millis,
                seen_at: i.seen_at,
                ..ItemState::default()
            })
            .collect();
        ids.push((id, a.finished_at.unwrap(), states, mine.iter().map(|i| i.correct).collect::<Vec<_>>()));
    }
    // Finish in a shuffled order: attempts that started earlier may finish later.
    let mut pending: Vec<usize> = (0..ids.len()).collect();
    for &pick in order {
        if pending.is_empty() {
            break;
        }
        let n = pending.remove(pick % pending.len());
        let (id, finished_at, states, correct) = &ids[n];
        let items: Vec<(&ItemState, bool)> = states.iter().zip(correct.iter().copied()).collect();
        store.finish(*id, *finished_at, EndReason::Submitted, &items, |_| vec![]).unwrap();
    }
    for n in pending {
        let (id, finished_at, states, correct) = &ids[n];
        let items: Vec<(&ItemState, bool)> = states.iter().zip(correct.iter().copied()).collect();
        store.finish(*id, *finished_at, EndReason::Submitted, &items, |_| vec![]).unwrap();
    }
    dir
}

/// What the totals must be: the fold over every stored item.
fn expected(store: &Store) -> crate::model::ExamTotals {
    sorted(fold(&store.finished_attempt_headers("t").unwrap(), &store.finished_items("t").unwrap()))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn totals_kept_at_finish_and_backfilled_equal_the_fold_over_every_item(
        (attempts, items) in strategy::history(),
        order in prop::collection::vec(0usize..8, 0..8),
    ) {
        let dir = write(&attempts, &items, &order);
        let store = Store::open(dir.path()).unwrap();
        let want = expected(&store);
        prop_assert_eq!(&sorted(store.exam_totals("t").unwrap()), &want);
        // The history's fresh-paper and drill view agrees with the totals' questions.
        let history = store.question_history("t").unwrap();
        for q in &want.questions {
            prop_assert_eq!(history.get(&q.question_id), q.last.as_ref());
        }
        // A store from before the totals: the migration backfills the same totals.
        store.forget_totals().unwrap();
        let store = Store::open(dir.path()).unwrap();
        prop_assert_eq!(&sorted(store.exam_totals("t").unwrap()), &want);
    }
}

#[test]
fn history_counts_an_unfinished_attempt_from_its_items() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    let paper: Vec<PaperItem> = ["d0-000", "d0-001"]
        .iter()
        .map(|id| PaperItem {
            question_id: id.to_string(),
            domain: "d0".into(),
            layout: Layout::Choice { order: vec![0, 1, 2, 3] },
            scored: true,
        })
        .collect();
    let id = store
        .create_attempt(&NewAttempt {
            exam: "t",
            mode: crate::model::Mode::Exam,
            seed: 0,
            started_at: 1,
            deadline: None,
            time_limit_ms: None,
            items: &paper,
            content_hashes: &["h".to_string(), "h".to_string()],
            hide_domain: false,
            seen_before: None,
            retake_of: None,
            states: &[],
            position: 0,
            last_tick: 1,
            released: false,
        })
        .unwrap();
    let state = ItemState {
        response: Some(Response::Choice(vec![1])),
        seen_at: Some(5),
        millis: 7,
        ..ItemState::default()
    };
    store.save_progress(id, 0, 10, &[(0, &state)]).unwrap();
    let listed = store.attempts(None).unwrap();
    let a = &listed[0];
    assert_eq!((a.questions, a.scored, a.correct, a.answered, a.answered_millis), (2, 2, 0, 1, 7));
    assert!(store.exam_totals("t").unwrap().attempts.is_empty(), "no totals before finish");
    assert!(store.question_history("t").unwrap().is_empty(), "an unfinished attempt is not history");
}

/// Two estimates agree to 1e-9 (relative to the larger, or absolute below 1).
fn same_estimate(
    got: &Option<crate::study::readiness::PassEstimate>,
    want: &Option<crate::study::readiness::PassEstimate>,
) -> Result<(), TestCaseError> {
    prop_assert_eq!(got.is_some(), want.is_some());
    if let (Some(got), Some(want)) = (got, want) {
        let close = |a: f64, b: f64| (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0);
        prop_assert!(close(got.probability, want.probability), "{} {}", got.probability, want.probability);
        prop_assert!(close(got.low, want.low) && close(got.high, want.high));
        for ((_, g), (_, w)) in got.at_cuts.iter().zip(&want.at_cuts) {
            prop_assert!(close(*g, *w));
        }
        for (g, w) in got.domains.iter().zip(&want.domains) {
            prop_assert!(
                close(g.mean, w.mean)
                    && close(g.low, w.low)
                    && close(g.high, w.high)
                    && close(g.evidence, w.evidence),
                "{g:?} {w:?}"
            );
        }
        prop_assert_eq!(&got.answers, &want.answers);
        prop_assert_eq!(&got.excluded, &want.excluded);
        prop_assert_eq!(got.excluded_count, want.excluded_count);
    }
    Ok(())
}

/// The statistics and the estimate from the running sums (what `stats` and the report read)
/// against the full estimate and statistics over the totals.
fn sums_agree(store: &Store, now: crate::model::Millis) -> Result<(), TestCaseError> {
    use crate::study::{readiness, stats};
    let exam = crate::exam::assemble::tests_support::sample_exam(&[(60, 3), (40, 3)], 4);
    let b = &exam.blueprint;
    let totals = store.exam_totals("t").unwrap();
    let sums = store.exam_sums("t").unwrap();
    prop_assert!(sums.rebuilt.is_none());
    // Every excluded attempt named: the full estimate names them all.
    let got = super::room::pass_from_sums(store, b, &sums, now, true).unwrap();
    same_estimate(&got, &readiness::estimate(b, &totals, now))?;
    // The newest few only: the same figures, the newest named, all counted.
    let few = super::room::pass_from_sums(store, b, &sums, now, false).unwrap();
    if let (Some(few), Some(all)) = (&few, &got) {
        let n = all.excluded.len().min(readiness::EXCLUDED_NAMED);
        prop_assert_eq!(&few.excluded[..], &all.excluded[all.excluded.len() - n..]);
        prop_assert_eq!(few.excluded_count, all.excluded.len());
        // (Summed in a hash map's order: the same up to the last bits.)
        prop_assert!((few.probability - all.probability).abs() < 1e-12);
    }
    for window in [1, 3, stats::SERIES] {
        let newest = super::room::newest(store, b, window).unwrap();
        let from_sums = stats::compute_from(&exam, &stats::digest_from_sums(b, &sums, newest));
        let from_totals = stats::compute_from(&exam, &stats::digest(b, &totals, Some(window)));
        prop_assert_eq!(from_sums, from_totals);
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// The running sums kept at `finish` (in any finishing order, so with answers turned
    /// into repeats afterwards) and backfilled by migration 12 give the statistics and the
    /// estimate the full totals give, to 1e-9; also as of a time before some attempts
    /// started (the estimate then reads the totals).
    #[test]
    fn running_sums_give_the_estimate_and_statistics_of_the_totals(
        (attempts, items) in strategy::history(),
        order in prop::collection::vec(0usize..8, 0..8),
        later in 0u64..400,
    ) {
        let dir = write(&attempts, &items, &order);
        // From the first start to more than a year after the last (hours).
        let now = 1_000_000 + later * 3_600_000 * 24;
        let store = Store::open(dir.path()).unwrap();
        sums_agree(&store, now)?;
        sums_agree(&store, 1_000_000 + 2 * 3_600_000)?;
        // A store from before the sums: migration 12 backfills them from the totals.
        store.forget_sums().unwrap();
        let store = Store::open(dir.path()).unwrap();
        sums_agree(&store, now)?;
    }
}

#[test]
fn damaged_sums_are_rebuilt_and_say_so() {
    let attempts: Vec<AttemptSummary> = (1..=3)
        .map(|id| AttemptSummary {
            id,
            exam: "t".into(),
            mode: crate::model::Mode::Exam,
            seed: 0,
            started_at: 1_000_000 * id as u64,
            finished_at: Some(1_000_000 * id as u64 + 60_000),
            end_reason: Some(EndReason::Submitted),
            time_limit_ms: Some(130 * 60_000),
            deadline: None,
            questions: 0,
            scored: 0,
            correct: 0,
            answered: 0,
            answered_millis: 0,
        })
        .collect();
    let items: Vec<ItemRow> = attempts
        .iter()
        .flat_map(|a| {
            strategy::QUESTIONS.iter().enumerate().map(move |(n, (q, d))| ItemRow {
                attempt: a.id,
                position: n as u32,
                question_id: q.to_string(),
                domain: d.to_string(),
                scored: true,
                answered: true,
                correct: n % 2 == 0,
                seen_at: Some(a.started_at),
                millis: 1000,
            })
        })
        .collect();
    let dir = write(&attempts, &items, &[]);
    let good = Store::open(dir.path()).unwrap().exam_sums("t").unwrap();
    for damage in [
        "UPDATE exam_domain_sums SET new_right = 1e308 * 10",
        "UPDATE exam_domain_sums SET new_wrong = -3",
        "UPDATE exam_domain_sums SET correct = answered + 1",
        "UPDATE exam_group_sums SET mode = 'quiz'",
        "UPDATE exam_group_sums SET attempts = -1",
        "DELETE FROM exam_group_sums",
    ] {
        {
            let conn = rusqlite::Connection::open(dir.path().join(crate::store::DATABASE_FILE)).unwrap();
            conn.execute_batch(damage).unwrap();
        }
        let store = Store::open(dir.path()).unwrap();
        let sums = store.exam_sums("t").unwrap();
        let what = sums.rebuilt.clone().unwrap_or_else(|| panic!("{damage}: not noticed"));
        assert!(what.contains("exam_"), "{damage}: {what}");
        assert_eq!(crate::model::ExamSums { rebuilt: None, ..sums }, good, "{damage}");
        // Rebuilt in place: read again, nothing is wrong.
        assert_eq!(store.exam_sums("t").unwrap(), good, "{damage}");
    }
}
