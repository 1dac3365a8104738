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
use crate::bank::{Body, Question};

/// How one question is shown in one attempt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Layout {
    /// `order[shown]` is the bank index of the option shown at letter `shown`.
    Choice { order: Vec<usize> },
}

/// An answer, in the shown positions of its layout.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Response {
    /// The chosen options' letters as indices (0 = A), sorted, without repeats.
    Choice(Vec<usize>),
}

/// What an answer to a question must look like.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    Choice {
        options: usize,
        /// How many options the answer must have.
        select: usize,
    },
}

/// Why an answer does not fit its question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AnswerError {
    /// A letter beyond the question's options.
    NoSuchOption { letter: char, options: usize },
    /// Multiple choice takes one letter; multiple response exactly N.
    WrongCount { need: usize, gave: usize },
    /// No letters at all.
    Empty,
}

/// `A` for 0, `B` for 1, ...
pub fn letter(index: usize) -> char {
    (b'A' + (index % 26) as u8) as char
}

/// Shown option indices as letters, e.g. `[0, 2]` -> "AC".
pub fn letters(indices: &[usize]) -> String {
    indices.iter().map(|&i| letter(i)).collect()
}

impl Layout {
    /// A seeded layout for `question`.
    pub fn place(question: &Question, rng: &mut ChaCha8Rng) -> Layout {
        match &question.body {
            Body::Choice(choice) => {
                let mut order: Vec<usize> = (0..choice.options.len()).collect();
                shuffle(rng, &mut order);
                Layout::Choice { order }
            }
        }
    }

    /// The correct answer as shown with this layout.
    pub fn key(&self, question: &Question) -> Response {
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
        }
    }

    /// The layout still fits the question (an edited bank may have changed it).
    pub fn fits(&self, question: &Question) -> bool {
        match (self, &question.body) {
            (Layout::Choice { order }, Body::Choice(choice)) => {
                let mut sorted = order.clone();
                sorted.sort_unstable();
                sorted == (0..choice.options.len()).collect::<Vec<_>>()
            }
        }
    }

    /// How many positions can be struck out (options of a choice question).
    pub fn strikable(&self) -> usize {
        match self {
            Layout::Choice { order } => order.len(),
        }
    }
}

impl Shape {
    pub fn of(question: &Question) -> Shape {
        match &question.body {
            Body::Choice(choice) => {
                Shape::Choice { options: choice.options.len(), select: choice.select_count() }
            }
        }
    }

    /// The answer fits the question: letters within its options, as many as it asks for.
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
        }
    }
}

impl Response {
    /// The answer as the candidate sees it ("AC").
    pub fn letters(&self) -> String {
        match self {
            Response::Choice(picked) => letters(picked),
        }
    }

    /// This shown option is part of the answer.
    pub fn contains_option(&self, shown: usize) -> bool {
        match self {
            Response::Choice(picked) => picked.contains(&shown),
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
