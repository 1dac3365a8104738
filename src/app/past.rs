//! A finished attempt read back for `show`: its score as the bank stands now, and each
//! question's view and feedback.

use super::start::exam_of;
use super::view::{self, FeedbackView, QuestionView};
use crate::bank::Question;
use crate::bank::source::Catalog;
use crate::error::{Error, NextStep, Result};
use crate::exam::assemble::PaperItem;
use crate::exam::clock::Millis;
use crate::exam::score::{self, Score};
use crate::exam::session::ItemState;
use crate::model::{EndReason, Mode};
use crate::store::Store;

pub struct PastAttempt {
    pub id: i64,
    pub exam_id: String,
    pub code: String,
    pub mode: Mode,
    pub seed: u64,
    pub started_at: Millis,
    pub finished_at: Millis,
    pub reason: EndReason,
    pub score: Score,
    /// Questions edited in the bank since the attempt (shown and scored as they are now).
    pub edited: usize,
    /// In paper order, one per `score.questions`.
    pub items: Vec<PastItem>,
    /// The real exam's time per question (its minutes over its questions), in seconds.
    pub pace_seconds: f64,
}

pub struct PastItem {
    /// The question as the bank has it now.
    pub question: Question,
    pub view: QuestionView,
    pub feedback: FeedbackView,
    /// It was put on screen (an unanswered question never shown was never reached).
    pub seen: bool,
}

/// A finished attempt; an unfinished one keeps its key hidden.
pub fn load(catalog: &Catalog, store: &Store, id: i64) -> Result<PastAttempt> {
    let stored = store.load(id)?;
    let Some((finished_at, reason)) = stored.finished else {
        return Err(Error::NeedsFirst {
            problem: format!("attempt {id} is not finished, so its answer key stays hidden"),
            step: NextStep::Resume(id),
        });
    };
    let exam = exam_of(catalog, id, &stored.exam)?;
    let mut questions: Vec<&Question> = Vec::with_capacity(stored.items.len());
    for item in &stored.items {
        let question = exam
            .index_of(&item.paper.question_id)
            .filter(|&i| item.paper.layout.fits(exam.shape_at(i)))
            .map(|i| exam.question_at(i));
        questions.push(question.ok_or_else(|| {
            Error::Usage(format!(
                "question {} of attempt {id} is no longer in the {} bank in the same form",
                item.paper.question_id, exam.blueprint.id
            ))
        })?);
    }
    let paper: Vec<PaperItem> = stored.items.iter().map(|i| i.paper.clone()).collect();
    let states: Vec<ItemState> = stored.items.iter().map(|i| i.state.clone()).collect();
    let score = score::score(&exam.blueprint, &paper, &questions, &states);
    let edited =
        questions.iter().zip(&stored.items).filter(|(q, i)| q.content_hash() != i.content_hash).count();
    let total = paper.len();
    let ids: Vec<&str> = paper.iter().map(|i| i.question_id.as_str()).collect();
    let items = paper
        .iter()
        .zip(&questions)
        .zip(&states)
        .enumerate()
        .map(|(i, ((item, question), state))| PastItem {
            question: (*question).clone(),
            view: view::question_view(
                &exam.blueprint,
                item,
                question,
                state,
                (i + 1, total),
                false,
                view::scenario_view(&exam, &ids, i),
            ),
            feedback: view::feedback_view(item, question, state.response.as_ref()),
            seen: state.seen() || state.answered(),
        })
        .collect();
    Ok(PastAttempt {
        id,
        exam_id: exam.blueprint.id.clone(),
        code: exam.blueprint.code.clone(),
        mode: stored.mode,
        seed: stored.seed,
        started_at: stored.started_at,
        finished_at,
        reason,
        score,
        edited,
        items,
        pace_seconds: f64::from(exam.blueprint.minutes) * 60.0
            / f64::from(exam.blueprint.exam_questions.max(1)),
    })
}
