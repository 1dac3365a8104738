//! Notes on questions: what a candidate reports about a question during an attempt
//! (`report TEXT` at the prompt, the browser's "Report a problem with this question"), kept
//! in the store for the bank's authors. The rule for what a note may hold lives here, so
//! every front end takes the same text.

/// The longest note kept, in characters: room for a paragraph, not for a pasted file.
pub const MAX_NOTE_CHARS: usize = 2000;

/// Why a note was not saved (nothing was written).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NoteRefusal {
    #[error(
        "the note is empty: say what is wrong with the question (e.g. the key should be B, the stem asks for two AZs); nothing was saved"
    )]
    Empty,
    #[error("a note holds at most {MAX_NOTE_CHARS} characters (this one has {chars}); nothing was saved")]
    TooLong { chars: usize },
    #[error("the attempt has ended; nothing was saved")]
    Finished,
}

/// A saved note.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoteSaved {
    pub id: i64,
    /// 0-based position of the question it is about.
    pub position: usize,
    pub question_id: String,
}

/// The note as kept: typed text is untrusted, so it becomes one plain line (no control
/// characters, escape sequences or invisible characters; whitespace runs as one space),
/// and it must say something and fit the bound.
pub fn note_text(typed: &str) -> Result<String, NoteRefusal> {
    let text = crate::text::plain_line(typed);
    let chars = text.chars().count();
    if chars == 0 {
        return Err(NoteRefusal::Empty);
    }
    if chars > MAX_NOTE_CHARS {
        return Err(NoteRefusal::TooLong { chars });
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_note_is_one_plain_bounded_line() {
        assert_eq!(note_text("  the key\nis wrong \u{1b}[2J "), Ok("the key is wrong [2J".into()));
        assert_eq!(note_text(" \t\u{200b} "), Err(NoteRefusal::Empty));
        assert_eq!(note_text(&"x".repeat(MAX_NOTE_CHARS)).map(|t| t.len()), Ok(MAX_NOTE_CHARS));
        assert_eq!(
            note_text(&"é".repeat(MAX_NOTE_CHARS + 1)),
            Err(NoteRefusal::TooLong { chars: MAX_NOTE_CHARS + 1 })
        );
    }
}
