//! Aiken (Moodle's simplest format): a question's text on one or more lines, options
//! `A.` or `A)` one per line, then `ANSWER: B`. Questions are separated by blank lines.
//! `ANSWER: A, C` (several letters, an extension some tools write) becomes multiple response.

use super::draft::{Draft, DraftBody, DraftOption, SourceLoc};
use super::gift::normalise;

pub fn read(name: &str, source: &str) -> Vec<Draft> {
    let source = normalise(source);
    let mut drafts = Vec::new();
    let mut block: Vec<(usize, &str)> = Vec::new();
    for (i, line) in source.split('\n').enumerate() {
        if line.trim().is_empty() {
            if !block.is_empty() {
                drafts.push(parse(name, &std::mem::take(&mut block)));
            }
            continue;
        }
        block.push((i + 1, line));
        if answer_line(line).is_some() {
            drafts.push(parse(name, &std::mem::take(&mut block)));
        }
    }
    if !block.is_empty() {
        drafts.push(parse(name, &block));
    }
    drafts
}

fn answer_line(line: &str) -> Option<&str> {
    let trimmed = line.trim();
    let upper = trimmed.get(..7)?.to_ascii_uppercase();
    (upper == "ANSWER:").then(|| trimmed[7..].trim())
}

/// `A. text` or `A) text`: the letter and the text.
fn option_line(line: &str) -> Option<(char, &str)> {
    let trimmed = line.trim();
    let mut chars = trimmed.chars();
    let letter = chars.next()?;
    let mark = chars.next()?;
    if !letter.is_ascii_uppercase() || !(mark == '.' || mark == ')') {
        return None;
    }
    let rest = &trimmed[2..];
    (rest.starts_with(' ') || rest.starts_with('\t')).then(|| rest.trim()).map(|text| (letter, text))
}

fn parse(name: &str, block: &[(usize, &str)]) -> Draft {
    let start = block.iter().find(|(_, l)| !l.trim().is_empty()).map_or(1, |(n, _)| *n);
    let mut stem_lines: Vec<&str> = Vec::new();
    let mut options: Vec<(char, String)> = Vec::new();
    let mut answer: Option<&str> = None;
    for (_, line) in block {
        if let Some(a) = answer_line(line) {
            answer = Some(a);
        } else if let Some((letter, text)) = option_line(line).filter(|_| answer.is_none()) {
            options.push((letter, text.to_string()));
        } else if options.is_empty() {
            stem_lines.push(line.trim());
        } else if let Some(last) = options.last_mut() {
            // A wrapped option line continues the option.
            last.1.push(' ');
            last.1.push_str(line.trim());
        }
    }
    let stem = stem_lines.join("\n").trim().to_string();
    let body = match answer {
        None => DraftBody::Unsupported { kind: "aiken".into(), reason: "no ANSWER: line".into() },
        Some(letters) => {
            let keys: Vec<char> = letters
                .split([',', ' '])
                .filter(|s| !s.is_empty())
                .filter_map(|s| s.chars().next())
                .collect();
            let known = |k: &char| options.iter().any(|(l, _)| l == k);
            if keys.is_empty() || !keys.iter().all(known) {
                DraftBody::Unsupported {
                    kind: "aiken".into(),
                    reason: format!("ANSWER: {letters} names no option of the question"),
                }
            } else {
                DraftBody::Choice {
                    options: options
                        .iter()
                        .map(|(l, text)| {
                            DraftOption::new(text.clone(), if keys.contains(l) { 100.0 } else { 0.0 }, None)
                        })
                        .collect(),
                    multiple: Some(keys.len() > 1),
                }
            }
        }
    };
    let mut notes = Vec::new();
    if let DraftBody::Choice { multiple: Some(true), .. } = body {
        notes.push(
            "several letters after ANSWER: become multiple response (all of them must be chosen)".into(),
        );
    }
    Draft {
        loc: SourceLoc { file: name.into(), line: start },
        source_id: None,
        title: None,
        category: None,
        tags: Vec::new(),
        stem,
        explanation: None,
        references: Vec::new(),
        body,
        notes,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn questions_options_and_answers() {
        let drafts = read(
            "t.txt",
            "\u{feff}Which is a prime?\r\nA. 4\r\nB) 7\r\nC. 9\r\nANSWER: B\r\n\r\nNo key\nA. x\nB. y\n\nTwo\nA. p\nB. q\nC. r\nANSWER: A, C\n",
        );
        assert_eq!(drafts.len(), 3);
        let DraftBody::Choice { options, multiple } = &drafts[0].body else { panic!("{drafts:?}") };
        assert_eq!(options.len(), 3);
        assert_eq!(options[1].weight, 100.0);
        assert_eq!(*multiple, Some(false));
        assert!(matches!(drafts[1].body, DraftBody::Unsupported { .. }));
        assert_eq!(drafts[2].loc.line, 11);
        let DraftBody::Choice { multiple, .. } = &drafts[2].body else { panic!() };
        assert_eq!(*multiple, Some(true));
    }
}
