//! Building a paper (which questions, in which order, with which option letters) from a
//! bank and a seed. The same bank and seed always give the same paper.

use rand::rngs::ChaCha8Rng;
use rand::{Rng, SeedableRng};

use super::item::Layout;
use crate::bank::{Exam, largest_remainder};

/// One question as placed on a paper.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaperItem {
    pub question_id: String,
    pub domain: String,
    /// Its layout in this attempt (the option letters, for a choice question).
    pub layout: Layout,
    /// Unscored (pretest) items are shown like the rest but not counted.
    pub scored: bool,
}

/// Puts the bank's question at `index` on a paper with a seeded layout (from its listing
/// and shape: a prebuilt exam decodes none of its questions for this).
fn place(exam: &Exam, index: usize, rng: &mut ChaCha8Rng, scored: bool) -> PaperItem {
    let listing = exam.listing(index);
    PaperItem {
        question_id: listing.id.to_string(),
        domain: listing.domain.to_string(),
        layout: Layout::place(exam.shape_at(index), rng),
        scored,
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paper {
    pub items: Vec<PaperItem>,
    /// Set when the bank was too small for the real exam, to tell the user.
    pub shortfall: Option<String>,
}

/// A uniform index below `bound` from ChaCha8's raw output. Our own (rather than rand's
/// range sampling) so a recorded seed replays the same paper even if rand changes its
/// algorithms in a minor release; ChaCha8 itself is a fixed, portable generator.
fn below(rng: &mut ChaCha8Rng, bound: usize) -> usize {
    let bound = bound as u64;
    // Reject the top sliver so every result is equally likely.
    let zone = u64::MAX - (u64::MAX % bound + 1) % bound;
    loop {
        let value = rng.next_u64();
        if value <= zone {
            return (value % bound) as usize;
        }
    }
}

/// Fisher-Yates on our own bounded sampling (see `below`).
pub fn shuffle<T>(rng: &mut ChaCha8Rng, items: &mut [T]) {
    for i in (1..items.len()).rev() {
        let j = below(rng, i + 1);
        items.swap(i, j);
    }
}

/// The mock exam: the real exam's question count drawn by domain weights, shuffled.
/// With `with_unscored`, the real exam's unscored share is drawn too and marked unscored.
pub fn assemble_exam(exam: &Exam, seed: u64, with_unscored: bool) -> Paper {
    assemble_exam_unseen_first(exam, seed, with_unscored, &|_| false)
}

/// A mock exam that takes, within each domain's quota, the questions for which `seen` is
/// false first. Each domain's pool is shuffled by the seed as in `assemble_exam` and then
/// stably split into unseen and seen, so with nothing seen the paper is the seed's own.
pub fn assemble_exam_unseen_first(
    exam: &Exam,
    seed: u64,
    with_unscored: bool,
    seen: &dyn Fn(&str) -> bool,
) -> Paper {
    let blueprint = &exam.blueprint;
    let available = exam.len() as u32;
    let wanted = blueprint.exam_questions;
    let total = wanted.min(available);
    let unscored_total = if with_unscored {
        // Scale the pretest share with the paper when the bank is short.
        u32::try_from(u64::from(blueprint.unscored_questions()) * u64::from(total) / u64::from(wanted.max(1)))
            .unwrap_or(0)
    } else {
        0
    };
    let weights: Vec<u64> = blueprint.domains.iter().map(|d| u64::from(d.weight)).collect();
    let scored_quotas = largest_remainder(&weights, total - unscored_total);
    let unscored_quotas = largest_remainder(&weights, unscored_total);
    let mut quotas: Vec<u32> = scored_quotas.iter().zip(&unscored_quotas).map(|(a, b)| a + b).collect();

    // A unit is one question, or a case study's questions (in id order), drawn together
    // against the quota of its first question's domain.
    let units = DrawUnits::of(exam);
    // A blueprint has a handful of domains: found by a scan, not a map.
    let domain_of = |index: usize| blueprint.domains.iter().position(|d| d.id == exam.listing(index).domain);
    let mut pools: Vec<Vec<&[usize]>> = vec![Vec::new(); blueprint.domains.len()];
    for unit in units.iter() {
        if let Some(d) = domain_of(unit[0]) {
            pools[d].push(unit);
        }
    }
    let sizes: Vec<u32> = pools.iter().map(|p| p.iter().map(|u| u.len() as u32).sum()).collect();
    let mut short_domains = Vec::new();
    // A domain with too few questions gives its missing places to domains with spare
    // questions, heaviest first, one at a time.
    let mut missing: u32 = 0;
    for (i, have) in sizes.iter().enumerate() {
        if *have < quotas[i] {
            short_domains.push((*have, format!("{} has {} of {}", blueprint.domains[i].id, have, quotas[i])));
            missing += quotas[i] - have;
            quotas[i] = *have;
        }
    }
    let mut by_weight: Vec<usize> = (0..pools.len()).collect();
    by_weight.sort_by_key(|&i| std::cmp::Reverse(blueprint.domains[i].weight));
    while missing > 0 {
        let mut placed = false;
        for &i in &by_weight {
            if missing > 0 && sizes[i] > quotas[i] {
                quotas[i] += 1;
                missing -= 1;
                placed = true;
            }
        }
        if !placed {
            break;
        }
    }

    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    // Each domain's units in a seeded order; a unit is taken while it fits the quota.
    let mut shuffled_pools: Vec<Vec<&[usize]>> = Vec::with_capacity(pools.len());
    let mut drawn: Vec<&[usize]> = Vec::with_capacity(total as usize);
    let mut taken_per_domain: Vec<u32> = vec![0; pools.len()];
    for (d, pool) in pools.iter().enumerate() {
        let mut pool = pool.clone();
        shuffle(&mut rng, &mut pool);
        // A case study counts as seen when any of its questions was. Stable, as
        // `sort_by_key`, and each unit's key is computed once (a lookup in the history).
        pool.sort_by_cached_key(|unit| unit.iter().any(|&i| seen(exam.listing(i).id)));
        let mut mine: Vec<usize> = Vec::new();
        let mut rest = Vec::new();
        for unit in pool {
            if mine.len() + unit.len() <= quotas[d] as usize {
                mine.extend(unit.iter().copied());
                drawn.push(unit);
            } else {
                rest.push(unit);
            }
        }
        taken_per_domain[d] = mine.len() as u32;
        shuffled_pools.push(rest);
    }
    // Case studies can leave a domain a place or two short of its quota: fill the paper
    // from the units left over, heaviest domain first.
    let mut placed: u32 = taken_per_domain.iter().sum();
    let target: u32 = quotas.iter().sum();
    for &d in &by_weight {
        let rest = std::mem::take(&mut shuffled_pools[d]);
        for unit in rest {
            if placed + unit.len() as u32 <= target {
                placed += unit.len() as u32;
                taken_per_domain[d] += unit.len() as u32;
                drawn.push(unit);
            }
        }
    }
    // The last questions drawn for each domain carry its share of unscored items.
    let mut seen_per_domain: Vec<u32> = vec![0; pools.len()];
    let mut unscored = vec![false; exam.len()];
    for &index in drawn.iter().copied().flatten() {
        if let Some(d) = domain_of(index) {
            let scored_places = taken_per_domain[d].saturating_sub(unscored_quotas[d]);
            unscored[index] = seen_per_domain[d] >= scored_places;
            seen_per_domain[d] += 1;
        }
    }
    shuffle(&mut rng, &mut drawn);
    let items: Vec<PaperItem> = drawn
        .iter()
        .copied()
        .flatten()
        .map(|&index| place(exam, index, &mut rng, !unscored[index]))
        .collect();
    let total = items.len() as u32;

    // A domain with no question at all is the front end's warning (`Exam::empty_domains`),
    // not part of this note.
    short_domains.retain(|(have, _)| *have > 0);
    let short_domains: Vec<String> = short_domains.into_iter().map(|(_, text)| text).collect();
    let shortfall =
        (available < wanted || !short_domains.is_empty() || total < wanted.min(available)).then(|| {
            let mut note = format!("The bank has {available} questions; the real exam has {wanted}.");
            if available < wanted {
                note.push_str(&format!(" This paper has {total}, with the domain quotas scaled to fit."));
            }
            if !short_domains.is_empty() {
                note.push_str(&format!(
                    " Short domains ({}) were topped up from the others.",
                    short_domains.join(", ")
                ));
            }
            note
        });
    Paper { items, shortfall }
}

/// The draw's units: one question, or a case study's questions (in id order), in the order
/// of their first question in the bank; kept as runs of one list (a bank has hundreds).
struct DrawUnits {
    members: Vec<usize>,
    runs: Vec<std::ops::Range<usize>>,
}

impl DrawUnits {
    fn of(exam: &Exam) -> DrawUnits {
        let mut unit_of = Vec::with_capacity(exam.len());
        let mut sizes: Vec<usize> = Vec::new();
        let mut by_scenario: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
        for question in exam.listings() {
            let mut new_unit = || {
                sizes.push(0);
                sizes.len() - 1
            };
            let unit = match question.scenario {
                Some(id) => *by_scenario.entry(id).or_insert_with(new_unit),
                None => new_unit(),
            };
            sizes[unit] += 1;
            unit_of.push(unit);
        }
        let mut runs = Vec::with_capacity(sizes.len());
        let mut start = 0;
        for size in sizes {
            runs.push(start..start + size);
            start += size;
        }
        let mut next: Vec<usize> = runs.iter().map(|run| run.start).collect();
        let mut members = vec![0; unit_of.len()];
        for (index, unit) in unit_of.into_iter().enumerate() {
            members[next[unit]] = index;
            next[unit] += 1;
        }
        DrawUnits { members, runs }
    }

    fn iter(&self) -> impl Iterator<Item = &[usize]> {
        self.runs.iter().map(|run| &self.members[run.clone()])
    }
}

/// A paper of exactly these questions (drill, review): sorted by id first, so the same set
/// and seed always give the same order and option letters, whatever order they came in.
pub fn assemble_set(exam: &Exam, ids: &[String], seed: u64) -> Paper {
    let mut indices: Vec<usize> = ids.iter().filter_map(|id| exam.index_of(id)).collect();
    // The bank is in id order, so index order is id order.
    indices.sort_unstable();
    indices.dedup();
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    shuffle(&mut rng, &mut indices);
    let items = indices.into_iter().map(|i| place(exam, i, &mut rng, true)).collect();
    Paper { items, shortfall: None }
}

#[cfg(test)]
pub(crate) mod tests_support {
    use crate::bank::{
        Blueprint, Body, Choice, ChoiceBody, Domain, Exam, ItemType, Level, Question, Status, StatusState,
    };

    pub(crate) fn sample_exam(per_domain: &[(u32, usize)], exam_questions: u32) -> Exam {
        let domains: Vec<Domain> = per_domain
            .iter()
            .enumerate()
            .map(|(i, (w, _))| Domain {
                id: format!("d{i}"),
                name: format!("Domain {i}"),
                weight: *w,
                tasks: Vec::new(),
            })
            .collect();
        let mut questions = Vec::new();
        for (i, (_, count)) in per_domain.iter().enumerate() {
            for n in 0..*count {
                let multi = n % 4 == 3;
                let options = (0..if multi { 5 } else { 4 })
                    .map(|k| Choice {
                        text: format!("opt {k}"),
                        correct: k == 0 || (multi && k == 1),
                        rationale: "r".into(),
                    })
                    .collect();
                questions.push(Question {
                    id: format!("d{i}-{n:03}"),
                    domain: format!("d{i}"),
                    difficulty: None,
                    tags: vec![],
                    stem: format!("Question {n} of domain {i}?"),
                    explanation: "because".into(),
                    references: vec!["https://example.com".into()],
                    scenario: None,
                    task: None,
                    source: None,
                    body: Body::Choice(ChoiceBody { options, multiple: multi }),
                });
            }
        }
        Exam::new(
            Blueprint {
                id: "t".into(),
                code: "T-01".into(),
                title: "Test".into(),
                vendor: "Test".into(),
                level: Level::Associate,
                exam_questions,
                scored_questions: exam_questions.saturating_sub(15).max(1),
                minutes: 130,
                passing_score: 720,
                guide: None,
                status: Status { state: StatusState::Active, date: "2024-01-01".into(), note: None },
                domains,
                item_types: vec![ItemType::MultipleChoice, ItemType::MultipleResponse],
            },
            questions,
            Vec::new(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::tests_support::sample_exam;
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_full_bank_gives_the_blueprint_quotas() {
        let exam = sample_exam(&[(30, 40), (26, 40), (24, 40), (20, 40)], 65);
        let paper = assemble_exam(&exam, 7, false);
        assert_eq!(paper.items.len(), 65);
        assert!(paper.shortfall.is_none());
        let count = |d: &str| paper.items.iter().filter(|i| i.domain == d).count();
        assert_eq!([count("d0"), count("d1"), count("d2"), count("d3")], [19, 17, 16, 13]);
        assert!(paper.items.iter().all(|i| i.scored));
    }

    #[test]
    fn unseen_questions_fill_each_quota_first() {
        let exam = sample_exam(&[(30, 40), (26, 40), (24, 40), (20, 40)], 65);
        // With nothing seen, the seed's own paper.
        assert_eq!(assemble_exam_unseen_first(&exam, 7, true, &|_| false), assemble_exam(&exam, 7, true));
        let first = assemble_exam(&exam, 7, false);
        let seen: std::collections::HashSet<String> =
            first.items.iter().map(|i| i.question_id.clone()).collect();
        let second = assemble_exam_unseen_first(&exam, 7, false, &|id| seen.contains(id));
        let count = |d: &str| second.items.iter().filter(|i| i.domain == d).count();
        assert_eq!([count("d0"), count("d1"), count("d2"), count("d3")], [19, 17, 16, 13], "the quotas hold");
        assert!(
            second.items.iter().all(|i| !seen.contains(&i.question_id)),
            "40 a domain: room for a fresh form"
        );
        // A domain with too few unseen questions is topped up with seen ones.
        let small = sample_exam(&[(50, 12), (50, 12)], 20);
        let once = assemble_exam(&small, 3, false);
        let seen: std::collections::HashSet<String> =
            once.items.iter().map(|i| i.question_id.clone()).collect();
        let again = assemble_exam_unseen_first(&small, 3, false, &|id| seen.contains(id));
        assert_eq!(again.items.len(), 20);
        assert_eq!(
            again.items.iter().filter(|i| !seen.contains(&i.question_id)).count(),
            4,
            "every unseen one"
        );
    }

    #[test]
    fn unscored_items_are_the_real_share() {
        let exam = sample_exam(&[(30, 40), (26, 40), (24, 40), (20, 40)], 65);
        let paper = assemble_exam(&exam, 7, true);
        assert_eq!(paper.items.len(), 65);
        assert_eq!(paper.items.iter().filter(|i| !i.scored).count(), 15);
        let scored = |d: &str| paper.items.iter().filter(|i| i.domain == d && i.scored).count();
        assert_eq!([scored("d0"), scored("d1"), scored("d2"), scored("d3")], [15, 13, 12, 10]);
    }

    #[test]
    fn a_small_bank_runs_with_what_it_has() {
        let exam = sample_exam(&[(50, 3), (50, 30)], 65);
        let paper = assemble_exam(&exam, 1, false);
        assert_eq!(paper.items.len(), 33);
        assert!(paper.shortfall.as_deref().unwrap().contains("33"));
    }

    #[test]
    fn golden_vector_pins_the_seeded_order() {
        // If this fails, old seeds no longer replay the same exam: that is a breaking change.
        let exam = sample_exam(&[(60, 5), (40, 5)], 4);
        let paper = assemble_exam(&exam, 42, false);
        let ids: Vec<&str> = paper.items.iter().map(|i| i.question_id.as_str()).collect();
        let orders: Vec<&Vec<usize>> = paper
            .items
            .iter()
            .map(|i| match &i.layout {
                Layout::Choice { order } | Layout::Ordering { order } => order,
                Layout::Matching { prompts, .. } => prompts,
            })
            .collect();
        assert_eq!(ids, GOLDEN_IDS);
        assert_eq!(orders, GOLDEN_ORDERS);
    }

    const GOLDEN_IDS: [&str; 4] = ["d1-001", "d1-000", "d0-003", "d0-004"];
    const GOLDEN_ORDERS: [&[usize]; 4] = [&[2, 1, 0, 3], &[0, 1, 3, 2], &[0, 1, 2, 4, 3], &[3, 0, 2, 1]];

    #[test]
    fn a_set_paper_depends_on_the_set_and_seed_not_the_order_given() {
        let exam = sample_exam(&[(50, 5), (50, 5)], 10);
        let ids: Vec<String> = ["d1-002", "d0-001", "d0-004"].iter().map(|s| s.to_string()).collect();
        let mut reversed = ids.clone();
        reversed.reverse();
        let a = assemble_set(&exam, &ids, 9);
        assert_eq!(a, assemble_set(&exam, &reversed, 9));
        assert_eq!(a.items.len(), 3);
        assert!(assemble_set(&exam, &["nope".to_string()], 9).items.is_empty());
    }

    proptest! {
        // Case studies (questions sharing a scenario) are drawn whole or not at all, their
        // questions next to each other and in id order; the paper never exceeds the exam.
        #[test]
        fn case_studies_stay_whole_together_and_in_order(seed: u64, size in 4u32..30, group in 2usize..4) {
            let sample = sample_exam(&[(60, 12), (40, 12)], size);
            let mut questions = sample.questions().to_vec();
            for (n, q) in questions.iter_mut().enumerate() {
                // Groups of `group` consecutive ids in domain d0 share a scenario.
                if q.domain == "d0" && n < 9 {
                    q.scenario = Some(format!("s{}", n / group));
                }
            }
            let exam = Exam::new(sample.blueprint.clone(), questions, Vec::new());
            let paper = assemble_exam(&exam, seed, true);
            let target = size.min(exam.len() as u32);
            prop_assert!(paper.items.len() as u32 <= target);
            prop_assert!(paper.items.len() as u32 + group as u32 > target, "only a group that does not fit may leave room");
            let scenario = |i: &PaperItem| exam.question(&i.question_id).unwrap().scenario.clone();
            let mut groups: Vec<(String, Vec<usize>)> = Vec::new();
            for (position, item) in paper.items.iter().enumerate() {
                if let Some(s) = scenario(item) {
                    match groups.iter_mut().find(|(g, _)| *g == s) {
                        Some((_, positions)) => positions.push(position),
                        None => groups.push((s, vec![position])),
                    }
                }
            }
            for (s, positions) in groups {
                let members: Vec<&str> = exam.questions().iter().filter(|q| q.scenario.as_deref() == Some(&s)).map(|q| q.id.as_str()).collect();
                prop_assert_eq!(positions.len(), members.len(), "scenario {} whole", s);
                prop_assert!(positions.windows(2).all(|w| w[1] == w[0] + 1), "scenario {} together", s);
                let ids: Vec<&str> = positions.iter().map(|&p| paper.items[p].question_id.as_str()).collect();
                prop_assert_eq!(ids, members, "scenario {} in id order", s);
            }
        }
    }

    proptest! {
        #[test]
        fn papers_are_reproducible_and_keep_every_key(seed: u64, a in 0usize..30, b in 0usize..30, size in 1u32..70) {
            let exam = sample_exam(&[(55, a), (45, b)], size);
            let paper = assemble_exam(&exam, seed, true);
            prop_assert_eq!(&paper, &assemble_exam(&exam, seed, true));
            prop_assert_eq!(paper.items.len() as u32, size.min((a + b) as u32));
            let mut ids: Vec<&str> = paper.items.iter().map(|i| i.question_id.as_str()).collect();
            ids.sort_unstable();
            ids.dedup();
            prop_assert_eq!(ids.len(), paper.items.len());
            for item in &paper.items {
                let q = exam.question(&item.question_id).unwrap();
                prop_assert!(item.layout.fits(crate::bank::Shape::of(q)));
            }
        }
    }
}
