//! The terminal's command language for a session, typed at the prompt or read from a
//! script. It only parses: the runner turns commands into application actions.

use crate::exam::item::Shape;
use crate::model::Confidence;
pub use crate::model::ReviewFilter;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// Option letters as shown (0 = A), sorted and without repeats.
    Answer(Vec<usize>),
    /// Ordering: step letters in the order typed (repeats kept, so they can be refused).
    Order(Vec<usize>),
    /// Matching: (prompt number, 1-based; response letter index) pairs, as typed.
    Match(Vec<(usize, usize)>),
    /// An answer (one of the three above) ended with `!` (sure) or `?` (unsure).
    Rated(Box<Command>, Confidence),
    /// Remove the answer to the current question.
    Clear,
    Next,
    /// The next question (after the current one, wrapping round) that is unanswered or
    /// flagged: how the real exam's review screen is worked through.
    NextOf(ReviewFilter),
    Prev,
    /// 1-based position, as shown.
    Goto(usize),
    /// Toggle the flag on the current question, or (from the review screen) on question N.
    Flag,
    FlagAt(usize),
    /// Toggle crossing out these options of the current question.
    Strike(Vec<usize>),
    Review(ReviewFilter),
    Time,
    Submit,
    Quit,
    Help,
    /// `report TEXT`: a note on the current question for the bank's authors (the text as
    /// typed; the application layer cleans and bounds it).
    Report(String),
    /// Show the current question again (an empty line).
    Show,
}

/// Every command word, for completion and help: (long, short, what it does).
pub const COMMANDS: &[(&str, &str, &str)] = &[
    ("next", "n", "go to the next question"),
    ("next unanswered", "nu", "go to the next unanswered question"),
    ("next flagged", "nf", "go to the next flagged question"),
    ("prev", "p", "go to the previous question"),
    ("goto N", "g N", "go to question N (a bare number works too)"),
    ("flag", "fl", "flag or unflag this question for review"),
    ("strike X", "x X", "cross out option X (again to restore it)"),
    ("clear", "cl", "remove your answer to this question"),
    ("review", "r", "the review screen: complete, incomplete, unseen, flagged"),
    ("review incomplete", "r i", "the questions seen but not answered in full"),
    ("review unseen", "r u", "the questions not seen yet"),
    ("review flagged", "r f", "the flagged questions"),
    ("review complete", "r c", "the questions answered in full"),
    ("flag N", "fl N", "flag or unflag question N (from the review screen)"),
    ("end review", "", "end the exam from the review screen (asks first)"),
    ("time", "t", "show the time left"),
    ("report TEXT", "", "note a problem with this question for the bank's authors"),
    ("submit", "sub", "end the exam and score it"),
    ("quit", "q", "save and leave; `proctor resume` continues"),
    ("help", "?", "show this help"),
];

/// The help text for a session.
pub fn help_text() -> String {
    let mut text = String::from(
        "Answer with the option letters: b, or ac / a c for multiple response.\n\
         Ordering: the step letters in order, e.g. c a d b. Matching: prompt-letter pairs,\n\
         e.g. 1b 2d 3a (pairs you leave out keep their match; `clear` removes them all).\n\
         End an answer with ! if you are sure or ? if you are guessing (b! or ac?): right\n\
         guesses are reviewed like misses, and sure mistakes come first in review.\nCommands:\n",
    );
    for (long, short, what) in COMMANDS {
        text.push_str(&format!("  {long:<18} {short:<5} {what}\n"));
    }
    text
}

/// Letters `a`.. for `option_count` options, as indices; `None` when `word` holds
/// anything else (so it is read as a command instead).
fn letters(text: &str, option_count: usize) -> Option<Vec<usize>> {
    let mut picked = Vec::new();
    for c in text.chars() {
        if c == ' ' || c == ',' {
            continue;
        }
        let c = c.to_ascii_lowercase();
        if !c.is_ascii_lowercase() {
            return None;
        }
        let index = (c as u8 - b'a') as usize;
        if index >= option_count {
            return None;
        }
        picked.push(index);
    }
    if picked.is_empty() {
        return None;
    }
    picked.sort_unstable();
    Some(picked)
}

/// Step letters in the order typed ("c a d b", "cadb", "c,a,d,b"); `None` when the line
/// holds anything else.
fn sequence(text: &str, steps: usize) -> Option<Vec<usize>> {
    let picked: Vec<usize> = text
        .chars()
        .filter(|c| *c != ' ' && *c != ',')
        .map(|c| {
            let c = c.to_ascii_lowercase();
            c.is_ascii_lowercase().then(|| (c as u8 - b'a') as usize).filter(|&i| i < steps)
        })
        .collect::<Option<_>>()?;
    (!picked.is_empty()).then_some(picked)
}

/// Matching pairs: `1b 2d 3a` (also `1-b`, `1:b`, `1=b`, comma-separated); `None` when a
/// token is not a pair. Ranges are checked by the attempt.
fn pairs(text: &str) -> Option<Vec<(usize, usize)>> {
    let tokens: Vec<&str> = text.split([' ', ',']).filter(|t| !t.is_empty()).collect();
    if tokens.is_empty() {
        return None;
    }
    tokens
        .iter()
        .map(|token| {
            let digits = token.bytes().take_while(u8::is_ascii_digit).count();
            let (number, rest) = token.split_at(digits);
            let rest = rest.trim_start_matches(['-', ':', '=']);
            let mut chars = rest.chars();
            let (Some(c), None) = (chars.next(), chars.next()) else { return None };
            let c = c.to_ascii_lowercase();
            let number: usize = number.parse().ok()?;
            (c.is_ascii_lowercase() && number > 0).then(|| (number, (c as u8 - b'a') as usize))
        })
        .collect()
}

/// Parses one line for a question of `shape`: letters (or pairs) that fit it are an
/// answer, any other word a command.
pub fn parse(line: &str, shape: Shape) -> Result<Command, String> {
    let line = line.trim();
    if line.is_empty() {
        return Ok(Command::Show);
    }
    let option_count = shape.strikable();
    // A note is free text of any length (bounded by the attempt), so it comes first.
    if let Some(text) = report(line) {
        return Ok(Command::Report(text.to_string()));
    }
    // No command or answer is this long: a paste, not something to act on.
    if line.chars().count() > 64 {
        return Err("that line is too long to be a command or an answer; type `help`".into());
    }
    // `b!` is a sure answer, `b?` an unsure one; a bare `?` stays help.
    if let Some((rest, confidence)) = rated(line)
        && let Some(answer) = answer(rest, shape)
    {
        return answer.map(|answer| Command::Rated(Box::new(answer), confidence));
    }
    if let Some(answer) = answer(line, shape) {
        return answer;
    }
    command(line, option_count)
}

/// The text of a `report TEXT` line (the word in any case, the text as typed).
fn report(line: &str) -> Option<&str> {
    let word_end = line.find(char::is_whitespace).unwrap_or(line.len());
    line[..word_end].eq_ignore_ascii_case("report").then(|| line[word_end..].trim())
}

/// Splits a trailing confidence mark off a line.
fn rated(line: &str) -> Option<(&str, Confidence)> {
    let confidence = match line.chars().last()? {
        '!' => Confidence::Sure,
        '?' => Confidence::Unsure,
        _ => return None,
    };
    let rest = line[..line.len() - 1].trim_end();
    (!rest.is_empty()).then_some((rest, confidence))
}

/// The line as an answer to a question of `shape`; `None` when it is not one (a command).
fn answer(line: &str, shape: Shape) -> Option<Result<Command, String>> {
    match shape {
        Shape::Choice { options, .. } => {
            if let Some(answer) = letters(line, options) {
                // "aa" is not an answer: a letter typed twice is a slip, never silently one.
                if answer.windows(2).any(|w| w[0] == w[1]) {
                    return Some(Err("each letter once: an option cannot be chosen twice".into()));
                }
                return Some(Ok(Command::Answer(answer)));
            }
        }
        Shape::Ordering { steps, .. } => {
            if let Some(order) = sequence(line, steps) {
                return Some(Ok(Command::Order(order)));
            }
        }
        Shape::Matching { .. } => {
            if let Some(pairs) = pairs(line) {
                // "1a 1b" matches item 1 twice: a slip, never silently the last one.
                let mut prompts: Vec<usize> = pairs.iter().map(|&(prompt, _)| prompt).collect();
                prompts.sort_unstable();
                if let Some(twice) = prompts.windows(2).find(|w| w[0] == w[1]) {
                    return Some(Err(format!("each item once: item {} is matched twice", twice[0])));
                }
                return Some(Ok(Command::Match(pairs)));
            }
        }
    }
    // Pairs typed for a question that takes letters: say what it takes.
    if pairs(line).is_some() {
        let takes = match shape {
            Shape::Ordering { .. } => "steps in order, e.g. `c a d b`",
            _ => "option letters, e.g. `b` or `ac`",
        };
        return Some(Err(format!("pairs like `1a 2b` answer matching questions; this one takes {takes}")));
    }
    None
}

/// The line as a command word (and its arguments).
fn command(line: &str, option_count: usize) -> Result<Command, String> {
    let lower = line.to_ascii_lowercase();
    let mut words = lower.split_whitespace();
    let word = words.next().unwrap_or_default();
    let rest: Vec<&str> = words.collect();
    let no_args = |command: Command| {
        if rest.is_empty() { Ok(command) } else { Err(format!("`{word}` takes no arguments")) }
    };
    match word {
        "n" | "next" => match rest.as_slice() {
            [] => Ok(Command::Next),
            ["unanswered" | "u"] => Ok(Command::NextOf(ReviewFilter::Unanswered)),
            ["flagged" | "f" | "fl"] => Ok(Command::NextOf(ReviewFilter::Flagged)),
            _ => Err("next takes nothing, `unanswered` or `flagged`".into()),
        },
        "nu" => no_args(Command::NextOf(ReviewFilter::Unanswered)),
        "nf" => no_args(Command::NextOf(ReviewFilter::Flagged)),
        "p" | "prev" | "previous" | "back" => no_args(Command::Prev),
        "fl" | "flag" | "unflag" | "mark" => match rest.as_slice() {
            [] => Ok(Command::Flag),
            [n] => match n.parse::<usize>() {
                Ok(n) if n > 0 => Ok(Command::FlagAt(n)),
                _ => Err(format!("`{n}` is not a question number")),
            },
            _ => Err("flag takes nothing (this question) or a question number".into()),
        },
        "end" => match rest.as_slice() {
            ["review" | "exam"] => Ok(Command::Submit),
            _ => Err("`end review` ends the exam".into()),
        },
        "cl" | "clear" => no_args(Command::Clear),
        "t" | "time" => no_args(Command::Time),
        "sub" | "submit" => no_args(Command::Submit),
        "q" | "quit" | "exit" => no_args(Command::Quit),
        "?" | "h" | "help" => no_args(Command::Help),
        "g" | "goto" | "go" => match rest.as_slice() {
            [n] => position(n),
            _ => Err("goto needs a question number, e.g. `goto 12`".into()),
        },
        "x" | "strike" | "s" => {
            let joined = rest.join("");
            match letters(&joined, option_count) {
                Some(options) => Ok(Command::Strike(options)),
                None => Err(format!(
                    "strike needs option letters from a to {}, e.g. `strike b`",
                    last_letter(option_count)
                )),
            }
        }
        "r" | "review" => match rest.as_slice() {
            [] | ["all" | "a"] => Ok(Command::Review(ReviewFilter::All)),
            ["unanswered" | "not-complete"] => Ok(Command::Review(ReviewFilter::Unanswered)),
            ["incomplete" | "i"] => Ok(Command::Review(ReviewFilter::Incomplete)),
            ["unseen" | "u"] => Ok(Command::Review(ReviewFilter::Unseen)),
            ["complete" | "c"] => Ok(Command::Review(ReviewFilter::Complete)),
            ["flagged" | "f" | "fl"] => Ok(Command::Review(ReviewFilter::Flagged)),
            _ => Err("review takes `all`, `incomplete`, `unseen`, `flagged` or `complete`".into()),
        },
        _ if word.bytes().all(|b| b.is_ascii_digit()) && rest.is_empty() => position(word),
        _ if word.chars().all(|c| c.is_ascii_alphabetic() || c == ',')
            && word.len() <= 8
            && rest.is_empty() =>
        {
            Err(format!(
                "`{line}` is not an answer (options are a to {}) nor a command; type `help`",
                last_letter(option_count)
            ))
        }
        _ => Err(format!("unknown command `{line}`; type `help` for the commands")),
    }
}

fn last_letter(option_count: usize) -> char {
    (b'a' + option_count.clamp(1, 26) as u8 - 1) as char
}

fn position(text: &str) -> Result<Command, String> {
    match text.parse::<usize>() {
        Ok(n) if n > 0 => Ok(Command::Goto(n)),
        _ => Err(format!("`{text}` is not a question number")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn choice(options: usize) -> Shape {
        Shape::Choice { options, select: 1 }
    }

    #[test]
    fn ordering_and_matching_answers() {
        let ordering = Shape::Ordering { steps: 4, need: 4 };
        assert_eq!(parse("c a d b", ordering), Ok(Command::Order(vec![2, 0, 3, 1])));
        assert_eq!(parse("CADB", ordering), Ok(Command::Order(vec![2, 0, 3, 1])));
        assert_eq!(parse("c a c", ordering), Ok(Command::Order(vec![2, 0, 2])), "repeats reach the check");
        assert_eq!(parse("n", ordering), Ok(Command::Next));
        assert!(parse("c a e", ordering).is_err(), "e is beyond four steps");
        let matching = Shape::Matching { prompts: 3, responses: 4 };
        assert_eq!(parse("1b 2d 3a", matching), Ok(Command::Match(vec![(1, 1), (2, 3), (3, 0)])));
        assert_eq!(parse("1-b,2:D", matching), Ok(Command::Match(vec![(1, 1), (2, 3)])));
        assert_eq!(parse("2", matching), Ok(Command::Goto(2)), "a bare number still moves");
        assert!(parse("1bb", matching).is_err());
        assert_eq!(parse("1a 1b", matching), Err("each item once: item 1 is matched twice".into()));
        assert!(parse("1a 2b", choice(4)).unwrap_err().contains("this one takes option letters"));
        assert!(parse("1a 2b", ordering).unwrap_err().contains("this one takes steps in order"));
    }

    #[test]
    fn a_trailing_mark_says_how_sure_and_a_bare_question_mark_is_help() {
        let rated = |answer: Command, confidence| Ok(Command::Rated(Box::new(answer), confidence));
        assert_eq!(parse("b!", choice(4)), rated(Command::Answer(vec![1]), Confidence::Sure));
        assert_eq!(parse("a c ?", choice(5)), rated(Command::Answer(vec![0, 2]), Confidence::Unsure));
        let ordering = Shape::Ordering { steps: 3, need: 3 };
        assert_eq!(parse("c a b!", ordering), rated(Command::Order(vec![2, 0, 1]), Confidence::Sure));
        let matching = Shape::Matching { prompts: 2, responses: 3 };
        assert_eq!(
            parse("1b 2c?", matching),
            rated(Command::Match(vec![(1, 1), (2, 2)]), Confidence::Unsure)
        );
        assert_eq!(parse("?", choice(4)), Ok(Command::Help));
        assert_eq!(parse("bb?", choice(4)), Err("each letter once: an option cannot be chosen twice".into()));
        assert!(parse("next!", choice(4)).is_err(), "a mark belongs to an answer only");
    }

    #[test]
    fn answers_in_every_spelling() {
        assert_eq!(parse("b", choice(4)), Ok(Command::Answer(vec![1])));
        assert_eq!(parse("CA", choice(5)), Ok(Command::Answer(vec![0, 2])));
        assert_eq!(parse("a c", choice(5)), Ok(Command::Answer(vec![0, 2])));
        assert_eq!(parse("a,c", choice(5)), Ok(Command::Answer(vec![0, 2])));
        assert!(parse("aa", choice(4)).unwrap_err().contains("each letter once"));
        assert!(parse(&"a".repeat(5000), choice(4)).unwrap_err().contains("too long"));
    }

    #[test]
    fn words_beyond_the_options_are_commands() {
        assert_eq!(parse("n", choice(4)), Ok(Command::Next));
        assert_eq!(parse("next", choice(4)), Ok(Command::Next));
        assert_eq!(parse("next flagged", choice(4)), Ok(Command::NextOf(ReviewFilter::Flagged)));
        assert_eq!(parse("nu", choice(4)), Ok(Command::NextOf(ReviewFilter::Unanswered)));
        assert_eq!(parse("fl", choice(6)), Ok(Command::Flag));
        assert_eq!(parse("goto 12", choice(4)), Ok(Command::Goto(12)));
        assert_eq!(parse("12", choice(4)), Ok(Command::Goto(12)));
        assert_eq!(parse("strike b", choice(4)), Ok(Command::Strike(vec![1])));
        assert_eq!(parse("x bd", choice(4)), Ok(Command::Strike(vec![1, 3])));
        assert_eq!(parse("review flagged", choice(4)), Ok(Command::Review(ReviewFilter::Flagged)));
        assert_eq!(parse("r u", choice(4)), Ok(Command::Review(ReviewFilter::Unseen)));
        assert_eq!(parse("review incomplete", choice(4)), Ok(Command::Review(ReviewFilter::Incomplete)));
        assert_eq!(parse("flag 12", choice(4)), Ok(Command::FlagAt(12)));
        assert_eq!(parse("end review", choice(4)), Ok(Command::Submit));
        assert_eq!(parse("", choice(4)), Ok(Command::Show));
        assert_eq!(parse("SUBMIT", choice(4)), Ok(Command::Submit));
    }

    #[test]
    fn report_keeps_its_text_as_typed_whatever_its_length() {
        let long = format!("report {}", "The Key Is B. ".repeat(20));
        assert_eq!(parse(&long, choice(4)), Ok(Command::Report("The Key Is B. ".repeat(20).trim().into())));
        assert_eq!(
            parse("REPORT  b is also right!", choice(4)),
            Ok(Command::Report("b is also right!".into()))
        );
        // The text is the attempt's to judge: an empty one reaches it and is refused there.
        assert_eq!(parse("report", choice(4)), Ok(Command::Report(String::new())));
        // With 26 options "report" would be letters: the command still wins.
        assert_eq!(parse("report x", choice(26)), Ok(Command::Report("x".into())));
        assert!(parse("reports", choice(4)).is_err());
    }

    #[test]
    fn mistakes_say_what_is_wrong() {
        assert!(parse("e", choice(4)).unwrap_err().contains("a to d"));
        assert!(parse("goto", choice(4)).unwrap_err().contains("number"));
        assert!(parse("goto 0", choice(4)).is_err());
        assert!(parse("strike z", choice(4)).unwrap_err().contains("a to d"));
        assert!(parse("launch rockets", choice(4)).unwrap_err().contains("unknown command"));
        assert!(parse("next 3", choice(4)).unwrap_err().contains("`unanswered` or `flagged`"));
        assert!(parse("time 3", choice(4)).unwrap_err().contains("no arguments"));
    }
}
