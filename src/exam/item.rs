//! Question kinds as data on a paper: how a question is laid out in one attempt
//! (`Layout`), what the candidate answered (`Response`), what an answer must look like
//! (`Shape`) and whether it is right. Every function matches exhaustively on the kind, so
//! adding a kind to `bank::Body` makes the compiler point at each rule to write.
//!
//! Layouts and responses are stored as JSON (`{"choice":{"order":[2,0,1,3]}}`,
//! `{"choice":[0,2]}`), a form that can hold every kind.

use rand::rngs::ChaCha8Rng;
use serde::{Deserialize, Serialize};

use super::assemble::shuffle;
pub use crate::bank::Shape;
use crate::bank::{Body, Question};

/// How one question is shown in one attempt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Layout {
    /// `order[shown]` is the bank index of the option shown at letter `shown`.
    Choice { order: Vec<usize> },
    /// `order[shown]` is the bank index of the step shown at letter `shown`.
    Ordering { order: Vec<usize> },
    /// `prompts[shown]` is the bank prompt shown as number `shown + 1`; `responses[shown]`
    /// the bank response shown at letter `shown`.
    Matching { prompts: Vec<usize>, responses: Vec<usize> },
}

/// An answer, in the shown positions of its layout.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Response {
    /// The chosen options' letters as indices (0 = A), sorted, without repeats.
    Choice(Vec<usize>),
    /// The steps' letters in the chosen order, without repeats (possibly not all yet).
    Ordering(Vec<usize>),
    /// For each shown prompt, the letter of the response matched to it (`None`: not yet).
    Matching(Vec<Option<usize>>),
}

/// Why an answer does not fit its question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AnswerError {
    /// A letter beyond the question's options, steps or responses.
    NoSuchOption { letter: char, options: usize },
    /// Multiple choice takes one letter; multiple response exactly N.
    WrongCount { need: usize, gave: usize },
    /// No letters at all.
    Empty,
    /// Ordering: the same step twice.
    RepeatedStep { letter: char },
    /// Ordering: more steps than the order has (the real exam's screen has only N places).
    TooManySteps { need: usize, gave: usize },
    /// Matching: a prompt number the question does not have.
    NoSuchPrompt { number: usize, prompts: usize },
    /// The answer is for another kind of question (e.g. pairs for an ordering question).
    WrongKind,
}

/// `A` for 0, `B` for 1, ...
pub fn letter(index: usize) -> char {
    (b'A' + (index % 26) as u8) as char
}

/// Shown option indices as letters, e.g. `[0, 2]` -> "AC".
pub fn letters(indices: &[usize]) -> String {
    indices.iter().map(|&i| letter(i)).collect()
}

fn shuffled(len: usize, rng: &mut ChaCha8Rng) -> Vec<usize> {
    let mut order: Vec<usize> = (0..len).collect();
    shuffle(rng, &mut order);
    order
}

fn is_permutation(order: &[usize], len: usize) -> bool {
    let mut sorted = order.to_vec();
    sorted.sort_unstable();
    sorted == (0..len).collect::<Vec<_>>()
}

impl Layout {
    /// A seeded layout for a question of this shape.
    pub fn place(shape: Shape, rng: &mut ChaCha8Rng) -> Layout {
        match shape {
            Shape::Choice { options, .. } => Layout::Choice { order: shuffled(options, rng) },
            Shape::Ordering { steps, .. } => Layout::Ordering { order: shuffled(steps, rng) },
            Shape::Matching { prompts, responses } => {
                Layout::Matching { prompts: shuffled(prompts, rng), responses: shuffled(responses, rng) }
            }
        }
    }

    /// The correct answer as shown with this layout. Call it only when `fits` holds.
    pub fn key(&self, question: &Question) -> Response {
        let shown_of =
            |order: &[usize], bank: usize| order.iter().position(|&b| b == bank).unwrap_or(usize::MAX);
        match (self, &question.body) {
            (Layout::Choice { order }, Body::Choice(choice)) => {
                let mut key: Vec<usize> = order
                    .iter()
                    .enumerate()
                    .filter(|(_, bank)| choice.options.get(**bank).is_some_and(|o| o.correct))
                    .map(|(shown, _)| shown)
                    .collect();
                key.sort_unstable();
                Response::Choice(key)
            }
            (Layout::Ordering { order }, Body::Ordering(ordering)) => Response::Ordering(
                ordering.sequence().into_iter().map(|bank| shown_of(order, bank)).collect(),
            ),
            (Layout::Matching { prompts, responses }, Body::Matching(matching)) => Response::Matching(
                prompts
                    .iter()
                    .map(|&p| matching.prompts.get(p).map(|prompt| shown_of(responses, prompt.answer)))
                    .collect(),
            ),
            // A layout of another kind never fits (`fits` says so); nothing can match it.
            _ => Response::Choice(Vec::new()),
        }
    }

    /// The layout still fits a question of this shape (an edited bank may have changed it).
    pub fn fits(&self, shape: Shape) -> bool {
        match (self, shape) {
            (Layout::Choice { order }, Shape::Choice { options, .. }) => is_permutation(order, options),
            (Layout::Ordering { order }, Shape::Ordering { steps, .. }) => is_permutation(order, steps),
            (
                Layout::Matching { prompts: shown_prompts, responses: shown_responses },
                Shape::Matching { prompts, responses },
            ) => is_permutation(shown_prompts, prompts) && is_permutation(shown_responses, responses),
            (Layout::Choice { .. } | Layout::Ordering { .. } | Layout::Matching { .. }, _) => false,
        }
    }
}

impl Shape {
    /// How many shown positions can be struck out (options, steps or responses).
    pub fn strikable(&self) -> usize {
        match *self {
            Shape::Choice { options, .. } => options,
            Shape::Ordering { steps, .. } => steps,
            Shape::Matching { responses, .. } => responses,
        }
    }

    /// The answer fits the question: letters within range, as many as a choice question
    /// asks for. Ordering and matching answers may be partial (saved, and wrong until
    /// complete and right).
    pub fn check(&self, response: &Response) -> Result<(), AnswerError> {
        match (self, response) {
            (Shape::Choice { options, select }, Response::Choice(picked)) => {
                if let Some(&bad) = picked.iter().find(|&&l| l >= *options) {
                    return Err(AnswerError::NoSuchOption { letter: letter(bad), options: *options });
                }
                if picked.is_empty() {
                    return Err(AnswerError::Empty);
                }
                if picked.len() != *select {
                    return Err(AnswerError::WrongCount { need: *select, gave: picked.len() });
                }
                Ok(())
            }
            (Shape::Ordering { steps, need }, Response::Ordering(sequence)) => {
                if let Some(&bad) = sequence.iter().find(|&&l| l >= *steps) {
                    return Err(AnswerError::NoSuchOption { letter: letter(bad), options: *steps });
                }
                if sequence.is_empty() {
                    return Err(AnswerError::Empty);
                }
                if sequence.len() > *need {
                    return Err(AnswerError::TooManySteps { need: *need, gave: sequence.len() });
                }
                if let Some((_, &repeated)) =
                    sequence.iter().enumerate().find(|(i, s)| sequence[..*i].contains(s))
                {
                    return Err(AnswerError::RepeatedStep { letter: letter(repeated) });
                }
                Ok(())
            }
            (Shape::Matching { prompts, responses }, Response::Matching(pairs)) => {
                if pairs.len() > *prompts {
                    return Err(AnswerError::NoSuchPrompt { number: pairs.len(), prompts: *prompts });
                }
                if let Some(&bad) = pairs.iter().flatten().find(|&&r| r >= *responses) {
                    return Err(AnswerError::NoSuchOption { letter: letter(bad), options: *responses });
                }
                if pairs.iter().all(Option::is_none) {
                    return Err(AnswerError::Empty);
                }
                Ok(())
            }
            (Shape::Choice { .. } | Shape::Ordering { .. } | Shape::Matching { .. }, _) => {
                Err(AnswerError::WrongKind)
            }
        }
    }
}

impl Response {
    /// The answer as the candidate sees it: "AC" (choice), "CADB" (ordering),
    /// "1B 2D 3-" (matching; `-` for a prompt not yet matched).
    pub fn letters(&self) -> String {
        match self {
            Response::Choice(picked) | Response::Ordering(picked) => letters(picked),
            Response::Matching(pairs) => pairs
                .iter()
                .enumerate()
                .map(|(i, r)| format!("{}{}", i + 1, r.map_or('-', letter)))
                .collect::<Vec<_>>()
                .join(" "),
        }
    }

    /// This shown option (step, response) is part of the answer.
    pub fn contains_option(&self, shown: usize) -> bool {
        match self {
            Response::Choice(picked) | Response::Ordering(picked) => picked.contains(&shown),
            Response::Matching(pairs) => pairs.contains(&Some(shown)),
        }
    }

    /// Ordering and matching answers can be saved before they are complete.
    pub fn is_complete(&self, shape: &Shape) -> bool {
        match (self, shape) {
            (Response::Ordering(sequence), Shape::Ordering { need, .. }) => sequence.len() >= *need,
            (Response::Matching(pairs), Shape::Matching { prompts, .. }) => {
                pairs.len() == *prompts && pairs.iter().all(Option::is_some)
            }
            (Response::Choice(_) | Response::Ordering(_) | Response::Matching(_), _) => true,
        }
    }
}

/// All-or-nothing: right only when the response is exactly the key.
pub fn is_correct(layout: &Layout, question: &Question, response: Option<&Response>) -> bool {
    response.is_some_and(|r| *r == layout.key(question))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_forms_are_stable() {
        let layout = Layout::Choice { order: vec![2, 0, 1, 3] };
        assert_eq!(serde_json::to_string(&layout).unwrap(), r#"{"choice":{"order":[2,0,1,3]}}"#);
        let response = Response::Choice(vec![0, 2]);
        assert_eq!(serde_json::to_string(&response).unwrap(), r#"{"choice":[0,2]}"#);
        assert_eq!(serde_json::from_str::<Response>(r#"{"choice":[0,2]}"#).unwrap(), response);
    }

    #[test]
    fn shapes_refuse_what_does_not_fit() {
        // Four steps of five belong: a fifth has no place, partial orders may be saved.
        let ordering = Shape::Ordering { steps: 5, need: 4 };
        assert_eq!(
            ordering.check(&Response::Ordering(vec![2, 0, 4, 3, 1])),
            Err(AnswerError::TooManySteps { need: 4, gave: 5 })
        );
        assert_eq!(ordering.check(&Response::Ordering(vec![2, 0])), Ok(()));
        let shape = Shape::Choice { options: 5, select: 2 };
        assert_eq!(shape.check(&Response::Choice(vec![0, 2])), Ok(()));
        assert_eq!(
            shape.check(&Response::Choice(vec![0])),
            Err(AnswerError::WrongCount { need: 2, gave: 1 })
        );
        assert_eq!(
            shape.check(&Response::Choice(vec![0, 7])),
            Err(AnswerError::NoSuchOption { letter: 'H', options: 5 })
        );
        assert_eq!(shape.check(&Response::Choice(vec![])), Err(AnswerError::Empty));
    }
}
