//! View models: what a front end shows, as plain data. Texts are the bank's, untouched:
//! each front end makes them safe for its medium (the terminal strips control characters,
//! the browser escapes HTML). Nothing here decides a study rule; it only describes state.

use crate::bank::{Blueprint, Body, Exam, Question};
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
    /// A case study's shared scenario, shown above each of its questions.
    pub scenario: Option<ScenarioView>,
    pub stem: String,
    pub body: BodyView,
    /// The answer given so far, as shown ("AC").
    pub answer: Option<String>,
    /// How sure the candidate said they were of it (`b!` / `b?`).
    pub confidence: Option<crate::model::Confidence>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ScenarioView {
    pub title: String,
    pub text: String,
    /// This is question `part` of the `of` questions of the case study on this paper.
    pub part: usize,
    pub of: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub enum BodyView {
    Choice {
        /// How many options to select: 1 for multiple choice.
        select: usize,
        multiple: bool,
        options: Vec<OptionView>,
    },
    Ordering {
        /// How many of the listed steps make up the answer.
        need: usize,
        steps: Vec<OptionView>,
        /// The chosen sequence so far, as letters.
        chosen: Vec<char>,
    },
    Matching {
        prompts: Vec<PromptView>,
        responses: Vec<OptionView>,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct PromptView {
    /// 1-based, as typed in `1b`.
    pub number: usize,
    pub text: String,
    /// The response letter matched to it so far.
    pub matched: Option<char>,
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
    Ordering { steps: Vec<StepFeedback> },
    Matching { pairs: Vec<PairFeedback> },
}

#[derive(Debug, Clone, PartialEq)]
pub struct StepFeedback {
    pub letter: char,
    pub text: String,
    /// 1-based place in the correct sequence; `None` when the step does not belong.
    pub position: Option<usize>,
    /// Where the candidate put it (1-based), if anywhere.
    pub chosen_at: Option<usize>,
    pub rationale: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PairFeedback {
    pub number: usize,
    pub prompt: String,
    pub key: char,
    pub key_text: String,
    pub given: Option<char>,
    pub rationale: String,
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
    pub complete: usize,
    pub incomplete: usize,
    pub unseen: usize,
    pub flagged: usize,
}

/// A question's state on the review screen, as the real exam names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReviewState {
    Complete,
    /// Seen, and not answered in full (no answer, or a partial one).
    Incomplete,
    Unseen,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ReviewEntry {
    pub number: usize,
    pub answer: Option<String>,
    pub state: ReviewState,
    pub flagged: bool,
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
    /// Drawn unseen-first: how many of the bank's questions had been seen then.
    pub seen_before: Option<u32>,
    /// `exam --missed`: the attempt whose misses this paper retook.
    pub retake_of: Option<i64>,
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
    scenario: Option<ScenarioView>,
) -> QuestionView {
    let domain = (!hide_domain).then(|| domain_name(blueprint, &item.domain));
    let option = |shown: usize, text: &str| OptionView {
        letter: letter(shown),
        text: text.to_string(),
        struck: state.struck.contains(&shown),
        chosen: state.response.as_ref().is_some_and(|r| r.contains_option(shown)),
    };
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
        (Layout::Ordering { order }, Body::Ordering(ordering)) => BodyView::Ordering {
            need: ordering.sequence().len(),
            steps: order
                .iter()
                .enumerate()
                .map(|(shown, &bank)| option(shown, ordering.steps.get(bank).map_or("", |s| s.text.as_str())))
                .collect(),
            chosen: match &state.response {
                Some(Response::Ordering(sequence)) => sequence.iter().map(|&s| letter(s)).collect(),
                _ => Vec::new(),
            },
        },
        (Layout::Matching { prompts, responses }, Body::Matching(matching)) => {
            let pairs = match &state.response {
                Some(Response::Matching(pairs)) => pairs.clone(),
                _ => Vec::new(),
            };
            BodyView::Matching {
                prompts: prompts
                    .iter()
                    .enumerate()
                    .map(|(shown, &bank)| PromptView {
                        number: shown + 1,
                        text: matching.prompts.get(bank).map(|p| p.text.clone()).unwrap_or_default(),
                        matched: pairs.get(shown).copied().flatten().map(letter),
                    })
                    .collect(),
                responses: responses
                    .iter()
                    .enumerate()
                    .map(|(shown, &bank)| {
                        option(shown, matching.responses.get(bank).map_or("", |r| r.text.as_str()))
                    })
                    .collect(),
            }
        }
        // A layout of another kind never reaches here: attempts refuse layouts that do not
        // fit their question (`Layout::fits`).
        (Layout::Choice { .. } | Layout::Ordering { .. } | Layout::Matching { .. }, _) => {
            BodyView::Choice { select: 0, multiple: false, options: Vec::new() }
        }
    };
    QuestionView {
        number,
        total,
        flagged: state.flagged,
        domain,
        scenario,
        stem: question.stem.clone(),
        body,
        answer: state.response.as_ref().map(Response::letters),
        confidence: state.confidence,
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
        (Layout::Ordering { order }, Body::Ordering(ordering)) => {
            let chosen: &[usize] = match response {
                Some(Response::Ordering(sequence)) => sequence,
                _ => &[],
            };
            FeedbackBody::Ordering {
                steps: order
                    .iter()
                    .enumerate()
                    .filter_map(|(shown, &bank)| {
                        let step = ordering.steps.get(bank)?;
                        Some(StepFeedback {
                            letter: letter(shown),
                            text: step.text.clone(),
                            position: step.position.map(|p| p as usize),
                            chosen_at: chosen.iter().position(|&c| c == shown).map(|i| i + 1),
                            rationale: step.rationale.clone(),
                        })
                    })
                    .collect(),
            }
        }
        (Layout::Matching { prompts, responses }, Body::Matching(matching)) => {
            let given: &[Option<usize>] = match response {
                Some(Response::Matching(pairs)) => pairs,
                _ => &[],
            };
            FeedbackBody::Matching {
                pairs: prompts
                    .iter()
                    .enumerate()
                    .filter_map(|(shown, &bank)| {
                        let prompt = matching.prompts.get(bank)?;
                        let key = responses.iter().position(|&r| r == prompt.answer)?;
                        Some(PairFeedback {
                            number: shown + 1,
                            prompt: prompt.text.clone(),
                            key: letter(key),
                            key_text: matching
                                .responses
                                .get(prompt.answer)
                                .map(|r| r.text.clone())
                                .unwrap_or_default(),
                            given: given.get(shown).copied().flatten().map(letter),
                            rationale: prompt.rationale.clone(),
                        })
                    })
                    .collect(),
            }
        }
        (Layout::Choice { .. } | Layout::Ordering { .. } | Layout::Matching { .. }, _) => {
            FeedbackBody::Choice { options: Vec::new() }
        }
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
    let state = |i: usize| {
        if session.is_complete(i) {
            ReviewState::Complete
        } else if session.items[i].seen() {
            ReviewState::Incomplete
        } else {
            ReviewState::Unseen
        }
    };
    let entries = (0..session.len())
        .filter(|&i| session.keeps(filter, i))
        .map(|i| ReviewEntry {
            number: i + 1,
            answer: session.items[i].response.as_ref().map(Response::letters),
            state: state(i),
            flagged: session.items[i].flagged,
            current: i == session.position,
        })
        .collect();
    let count = |wanted: ReviewState| (0..session.len()).filter(|&i| state(i) == wanted).count();
    ReviewGrid {
        filter,
        entries,
        total: session.len(),
        complete: count(ReviewState::Complete),
        incomplete: count(ReviewState::Incomplete),
        unseen: count(ReviewState::Unseen),
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

/// The case-study scenario of the question at `position`, with its place among the
/// scenario's questions on this paper.
pub fn scenario_view(exam: &Exam, paper: &[&str], position: usize) -> Option<ScenarioView> {
    let id = exam.question(paper.get(position)?)?.scenario.as_deref()?;
    let scenario = exam.scenario(id)?;
    let members: Vec<usize> = paper
        .iter()
        .enumerate()
        .filter(|(_, qid)| exam.question(qid).is_some_and(|q| q.scenario.as_deref() == Some(id)))
        .map(|(i, _)| i)
        .collect();
    Some(ScenarioView {
        title: scenario.title.clone(),
        text: scenario.text.clone(),
        part: members.iter().position(|&i| i == position).map_or(1, |p| p + 1),
        of: members.len(),
    })
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
