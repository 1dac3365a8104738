//! The terminal's command language for a session, typed at the prompt or read from a
//! script. It only parses: the runner turns commands into application actions.

pub use crate::model::ReviewFilter;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// Option letters as shown (0 = A), sorted and without repeats.
    Answer(Vec<usize>),
    /// Remove the answer to the current question.
    Clear,
    Next,
    /// The next question (after the current one, wrapping round) that is unanswered or
    /// flagged: how the real exam's review screen is worked through.
    NextOf(ReviewFilter),
    Prev,
    /// 1-based position, as shown.
    Goto(usize),
    /// Toggle the flag on the current question.
    Flag,
    /// Toggle crossing out these options of the current question.
    Strike(Vec<usize>),
    Review(ReviewFilter),
    Time,
    Submit,
    Quit,
    Help,
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
    ("review", "r", "list every question: answered, unanswered, flagged"),
    ("review unanswered", "r u", "list the unanswered questions"),
    ("review flagged", "r f", "list the flagged questions"),
    ("time", "t", "show the time left"),
    ("submit", "sub", "end the exam and score it"),
    ("quit", "q", "save and leave; `proctor resume` continues"),
    ("help", "?", "show this help"),
];

/// The help text for a session.
pub fn help_text() -> String {
    let mut text =
        String::from("Answer with the option letters: b, or ac / a c for multiple response.\nCommands:\n");
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
    picked.dedup();
    Some(picked)
}

/// Parses one line. `option_count` is the current question's, so that letters within it
/// are an answer and any other word is a command.
pub fn parse(line: &str, option_count: usize) -> Result<Command, String> {
    let line = line.trim();
    if line.is_empty() {
        return Ok(Command::Show);
    }
    if let Some(answer) = letters(line, option_count) {
        return Ok(Command::Answer(answer));
    }
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
        "fl" | "flag" | "unflag" | "mark" => no_args(Command::Flag),
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
            ["unanswered" | "u" | "incomplete"] => Ok(Command::Review(ReviewFilter::Unanswered)),
            ["flagged" | "f" | "fl"] => Ok(Command::Review(ReviewFilter::Flagged)),
            _ => Err("review takes `all`, `unanswered` or `flagged`".into()),
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

    #[test]
    fn answers_in_every_spelling() {
        assert_eq!(parse("b", 4), Ok(Command::Answer(vec![1])));
        assert_eq!(parse("CA", 5), Ok(Command::Answer(vec![0, 2])));
        assert_eq!(parse("a c", 5), Ok(Command::Answer(vec![0, 2])));
        assert_eq!(parse("a,c", 5), Ok(Command::Answer(vec![0, 2])));
        assert_eq!(parse("aa", 4), Ok(Command::Answer(vec![0])));
    }

    #[test]
    fn words_beyond_the_options_are_commands() {
        assert_eq!(parse("n", 4), Ok(Command::Next));
        assert_eq!(parse("next", 4), Ok(Command::Next));
        assert_eq!(parse("next flagged", 4), Ok(Command::NextOf(ReviewFilter::Flagged)));
        assert_eq!(parse("nu", 4), Ok(Command::NextOf(ReviewFilter::Unanswered)));
        assert_eq!(parse("fl", 6), Ok(Command::Flag));
        assert_eq!(parse("goto 12", 4), Ok(Command::Goto(12)));
        assert_eq!(parse("12", 4), Ok(Command::Goto(12)));
        assert_eq!(parse("strike b", 4), Ok(Command::Strike(vec![1])));
        assert_eq!(parse("x bd", 4), Ok(Command::Strike(vec![1, 3])));
        assert_eq!(parse("review flagged", 4), Ok(Command::Review(ReviewFilter::Flagged)));
        assert_eq!(parse("r u", 4), Ok(Command::Review(ReviewFilter::Unanswered)));
        assert_eq!(parse("", 4), Ok(Command::Show));
        assert_eq!(parse("SUBMIT", 4), Ok(Command::Submit));
    }

    #[test]
    fn mistakes_say_what_is_wrong() {
        assert!(parse("e", 4).unwrap_err().contains("a to d"));
        assert!(parse("goto", 4).unwrap_err().contains("number"));
        assert!(parse("goto 0", 4).is_err());
        assert!(parse("strike z", 4).unwrap_err().contains("a to d"));
        assert!(parse("launch rockets", 4).unwrap_err().contains("unknown command"));
        assert!(parse("next 3", 4).unwrap_err().contains("`unanswered` or `flagged`"));
        assert!(parse("time 3", 4).unwrap_err().contains("no arguments"));
    }
}
