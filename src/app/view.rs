//! View models: what a front end shows, as plain data. Texts are the bank's, untouched:
//! each front end makes them safe for its medium (the terminal strips control characters,
//! the browser escapes HTML). Nothing here decides a study rule; it only describes state.

use crate::bank::{Blueprint, Body, Question};
use crate::exam::assemble::PaperItem;
use crate::exam::clock::Millis;
use crate::exam::item::{Layout, Response, is_correct, letter};
use crate::exam::score::{DomainResult, MEETS, Score, weakest_domain};
use crate::exam::session::{ItemState, Session};
use crate::model::{EndReason, Mode, ReviewFilter};

/// One question on screen.
#[derive(Debug, Clone, PartialEq)]
pub struct QuestionView {
    /// 1-based.
    pub number: usize,
    pub total: usize,
    pub flagged: bool,
    /// The domain's name; `None` when domains are hidden (as on the real exam).
    pub domain: Option<String>,
    pub stem: String,
    pub body: BodyView,
    /// The answer given so far, as shown ("AC").
    pub answer: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum BodyView {
    Choice {
        /// How many options to select: 1 for multiple choice.
        select: usize,
        multiple: bool,
        options: Vec<OptionView>,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct OptionView {
    pub letter: char,
    pub text: String,
    pub struck: bool,
    pub chosen: bool,
}

/// Feedback on one answered (or, in `show`, unanswered) question.
#[derive(Debug, Clone, PartialEq)]
pub struct FeedbackView {
    pub correct: bool,
    pub answer: Option<String>,
    pub key: String,
    pub body: FeedbackBody,
    pub explanation: String,
    pub references: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum FeedbackBody {
    Choice { options: Vec<OptionFeedback> },
}

#[derive(Debug, Clone, PartialEq)]
pub struct OptionFeedback {
    pub letter: char,
    pub correct: bool,
    pub chosen: bool,
    pub rationale: String,
}

/// The review screen: every question's state.
#[derive(Debug, Clone, PartialEq)]
pub struct ReviewGrid {
    pub filter: ReviewFilter,
    /// The questions the filter keeps, in order.
    pub entries: Vec<ReviewEntry>,
    pub total: usize,
    pub answered: usize,
    pub flagged: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ReviewEntry {
    pub number: usize,
    pub answer: Option<String>,
    pub flagged: bool,
    pub seen: bool,
    pub current: bool,
}

/// Where the candidate is, for a prompt or a status bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StatusView {
    pub number: usize,
    pub total: usize,
    pub answered: usize,
    pub flagged: usize,
    /// Time left; `None` when untimed.
    pub remaining: Option<Millis>,
}

/// The end-of-attempt report.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportView {
    pub exam_id: String,
    pub code: String,
    pub mode: Mode,
    pub attempt: i64,
    pub seed: u64,
    pub used: Millis,
    pub limit: Option<Millis>,
    pub reason: EndReason,
    pub unscored: usize,
    pub score: Score,
    /// The domain to drill next (the lowest percent among those with questions).
    pub weakest: Option<DomainResult>,
    /// Every domain with questions meets competencies.
    pub all_meet: bool,
}

/// The view of `question` at `number` (1-based) of `total`.
pub fn question_view(
    blueprint: &Blueprint,
    item: &PaperItem,
    question: &Question,
    state: &ItemState,
    (number, total): (usize, usize),
    hide_domain: bool,
) -> QuestionView {
    let domain = (!hide_domain).then(|| domain_name(blueprint, &item.domain));
    let body = match (&item.layout, &question.body) {
        (Layout::Choice { order }, Body::Choice(choice)) => BodyView::Choice {
            select: choice.select_count(),
            multiple: choice.multiple,
            options: order
                .iter()
                .enumerate()
                .map(|(shown, &bank)| OptionView {
                    letter: letter(shown),
                    text: choice.options.get(bank).map(|o| o.text.clone()).unwrap_or_default(),
                    struck: state.struck.contains(&shown),
                    chosen: state.response.as_ref().is_some_and(|r| r.contains_option(shown)),
                })
                .collect(),
        },
    };
    QuestionView {
        number,
        total,
        flagged: state.flagged,
        domain,
        stem: question.stem.clone(),
        body,
        answer: state.response.as_ref().map(Response::letters),
    }
}

/// Right or wrong, the key, why each option is right or wrong, the explanation.
pub fn feedback_view(item: &PaperItem, question: &Question, response: Option<&Response>) -> FeedbackView {
    let body = match (&item.layout, &question.body) {
        (Layout::Choice { order }, Body::Choice(choice)) => FeedbackBody::Choice {
            options: order
                .iter()
                .enumerate()
                .filter_map(|(shown, &bank)| {
                    let option = choice.options.get(bank)?;
                    Some(OptionFeedback {
                        letter: letter(shown),
                        correct: option.correct,
                        chosen: response.is_some_and(|r| r.contains_option(shown)),
                        rationale: option.rationale.clone(),
                    })
                })
                .collect(),
        },
    };
    FeedbackView {
        correct: is_correct(&item.layout, question, response),
        answer: response.map(Response::letters),
        key: item.layout.key(question).letters(),
        body,
        explanation: question.explanation.clone(),
        references: question.references.clone(),
    }
}

pub fn review_grid(session: &Session, filter: ReviewFilter) -> ReviewGrid {
    let entries = session
        .items
        .iter()
        .enumerate()
        .filter(|(_, item)| match filter {
            ReviewFilter::All => true,
            ReviewFilter::Unanswered => !item.answered(),
            ReviewFilter::Flagged => item.flagged,
        })
        .map(|(i, item)| ReviewEntry {
            number: i + 1,
            answer: item.response.as_ref().map(Response::letters),
            flagged: item.flagged,
            seen: item.seen(),
            current: i == session.position,
        })
        .collect();
    ReviewGrid {
        filter,
        entries,
        total: session.len(),
        answered: session.answered_count(),
        flagged: session.flagged_count(),
    }
}

pub fn status_view(session: &Session, now: Millis) -> StatusView {
    StatusView {
        number: session.position + 1,
        total: session.len(),
        answered: session.answered_count(),
        flagged: session.flagged_count(),
        remaining: session.remaining(now),
    }
}

/// The report's advice: the weakest domain, and whether every domain meets competencies.
pub fn advice(score: &Score, blueprint: &Blueprint) -> (Option<DomainResult>, bool) {
    let weakest = weakest_domain(score, blueprint).cloned();
    let all_meet = score.domains.iter().filter(|d| d.total > 0).all(|d| d.classification == MEETS);
    (weakest, all_meet)
}

fn domain_name(blueprint: &Blueprint, id: &str) -> String {
    blueprint.domain(id).map_or_else(|| id.to_string(), |d| d.name.clone())
}
