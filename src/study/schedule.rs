//! The review queue's schedule. A question enters the queue when it is missed (in any
//! mode) and is due at once; each later answer is a review, scheduled by FSRS (the
//! scheduler Anki uses, from the maintained `fsrs` crate) rather than our own maths: a
//! right answer ("good") pushes the next review out, a wrong one ("again") brings it back
//! now. A question is learned, and leaves the queue, once FSRS would next show it three
//! weeks or more later (Anki's threshold for a "mature" card).

use fsrs::{FSRS, MemoryState};

use crate::exam::clock::Millis;
pub use crate::model::Card;
use crate::model::Confidence;

pub const DAY_MS: Millis = 24 * 60 * 60 * 1000;
/// The recall probability FSRS aims for at each review (its usual default).
pub const DESIRED_RETENTION: f32 = 0.9;
/// Intervals of this many days or more mean the question is learned.
pub const LEARNED_AFTER_DAYS: f32 = 21.0;

/// The card after answering its question at `now`; `None` when a question that was never
/// missed is answered right and sure or unrated (it does not enter the queue). A right
/// answer given unsure (a lucky guess) enters the queue like a miss, rated "hard" rather
/// than "good"; a wrong answer given sure is marked a confident error, asked first.
pub fn after_answer(
    card: Option<&Card>,
    exam: &str,
    question_id: &str,
    correct: bool,
    confidence: Option<Confidence>,
    now: Millis,
) -> Option<Card> {
    let lucky = correct && confidence == Some(Confidence::Unsure);
    if card.is_none() && correct && !lucky {
        return None;
    }
    let memory = card.map(|c| MemoryState { stability: c.stability, difficulty: c.difficulty });
    let days =
        card.map_or(0, |c| u32::try_from(now.saturating_sub(c.last_review_at) / DAY_MS).unwrap_or(u32::MAX));
    let next = FSRS::new(&[]).and_then(|fsrs| fsrs.next_states(memory, DESIRED_RETENTION, days));
    let (state, interval_days) = match next {
        Ok(states) => {
            let chosen = match (correct, lucky) {
                (true, false) => states.good,
                (true, true) => states.hard,
                (false, _) => states.again,
            };
            (chosen.memory, chosen.interval)
        }
        // FSRS rejects only invalid inputs (a damaged stored state): start the card again.
        Err(_) => (MemoryState { stability: 1.0, difficulty: 5.0 }, 1.0),
    };
    let reviews = card.map_or(0, |c| c.reviews) + 1;
    let lapses = card.map_or(0, |c| c.lapses) + u32::from(!correct);
    let (due_at, learned) = if correct {
        let days = interval_days.max(1.0).round() as u64;
        (now + days * DAY_MS, interval_days >= LEARNED_AFTER_DAYS)
    } else {
        (now, false)
    };
    Some(Card {
        exam: exam.to_string(),
        question_id: question_id.to_string(),
        stability: state.stability,
        difficulty: state.difficulty,
        due_at,
        last_review_at: now,
        reviews,
        lapses,
        learned,
        confident_error: !correct && confidence == Some(Confidence::Sure),
    })
}

/// One question's outcome in a finished attempt, as the queue sees it.
pub struct Outcome<'a> {
    pub question_id: &'a str,
    pub correct: bool,
    /// Put on screen (or answered). A question never shown, because time ran out first,
    /// is not a miss to review.
    pub seen: bool,
    pub confidence: Option<Confidence>,
}

/// The cards an attempt's answers change: every miss, and every answer to a question
/// already in the queue. `existing` is the queue as it is now (read in the same
/// transaction that writes the result, so attempts finishing together all count).
pub fn updates_after_attempt(exam: &str, outcomes: &[Outcome], existing: &[Card], now: Millis) -> Vec<Card> {
    let current: std::collections::HashMap<&str, &Card> =
        existing.iter().filter(|c| c.exam == exam).map(|c| (c.question_id.as_str(), c)).collect();
    let mut updates: Vec<Card> = Vec::new();
    // The latest update of each question, by id (a drill of thousands stays linear).
    let mut latest: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for outcome in outcomes.iter().filter(|o| o.seen) {
        // A question twice on one paper (never today) counts as two reviews, in order.
        let card = latest.get(outcome.question_id).map(|&i| updates[i].clone());
        let before = card.as_ref().or_else(|| current.get(outcome.question_id).copied());
        if let Some(card) =
            after_answer(before, exam, outcome.question_id, outcome.correct, outcome.confidence, now)
        {
            latest.insert(outcome.question_id, updates.len());
            updates.push(card);
        }
    }
    updates
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: Millis = 1_800_000_000_000;

    #[test]
    fn a_miss_enters_the_queue_due_now_and_a_right_answer_does_not() {
        assert!(after_answer(None, "e", "q", true, None, NOW).is_none());
        let card = after_answer(None, "e", "q", false, None, NOW).unwrap();
        assert!(card.is_due(NOW));
        assert_eq!((card.reviews, card.lapses, card.learned), (1, 1, false));
    }

    #[test]
    fn a_lucky_guess_is_reviewed_and_a_confident_error_marked() {
        let lucky =
            after_answer(None, "e", "q", true, Some(Confidence::Unsure), NOW).expect("enters the queue");
        assert!(!lucky.is_due(NOW) && !lucky.confident_error);
        let sure_right = after_answer(None, "e", "q", true, Some(Confidence::Sure), NOW);
        assert!(sure_right.is_none());
        let confident = after_answer(None, "e", "q", false, Some(Confidence::Sure), NOW).unwrap();
        assert!(confident.confident_error && confident.is_due(NOW));
    }

    #[test]
    fn right_answers_push_the_review_out_until_learned() {
        let mut card = after_answer(None, "e", "q", false, None, NOW).unwrap();
        let mut now = NOW;
        let mut intervals = Vec::new();
        for _ in 0..12 {
            card = after_answer(Some(&card), "e", "q", true, None, now).unwrap();
            assert!(!card.is_due(now), "a right answer is not due again at once");
            intervals.push(card.due_at - now);
            if card.learned {
                break;
            }
            now = card.due_at;
        }
        assert!(card.learned, "learned after enough right answers: {intervals:?}");
        assert!(intervals.windows(2).all(|w| w[1] >= w[0]), "intervals grow: {intervals:?}");
        // A miss brings a learned question back.
        let missed = after_answer(Some(&card), "e", "q", false, None, now).unwrap();
        assert!(missed.is_due(now) && !missed.learned);
        assert_eq!(missed.lapses, 2);
    }
}
