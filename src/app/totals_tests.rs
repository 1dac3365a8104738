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
                first_on_screen: false,
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
            first_on_screen: false,
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
