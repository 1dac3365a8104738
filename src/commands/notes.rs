//! `proctor notes [EXAM]`: the notes candidates left on questions during sessions
//! (`report TEXT`), newest first, for the bank's authors; `--json` exports them.

use std::io::Write;

use crate::cli::NotesArgs;
use crate::config::Config;
use crate::error::Result;
use crate::json::{self, NoteEntry};
use crate::store::Store;
use crate::text::{printable_line, wrap};
use crate::ui::text_width;

pub fn run(config: &Config, args: &NotesArgs, out: &mut dyn Write) -> Result<()> {
    // Reading creates nothing: no store yet means no notes yet.
    let store = Store::open_existing(&config.data_dir()?)?;
    let exam = args.exam.as_deref().map(str::to_ascii_lowercase);
    let notes = match &store {
        Some(store) => store.notes(exam.as_deref())?,
        None => Vec::new(),
    };
    // An exam neither loaded nor noted is a typo: say so, as `history` does.
    if let Some(id) = &exam
        && notes.is_empty()
    {
        config.catalog()?.find(id)?;
    }
    if args.json {
        let entries: Vec<NoteEntry> = notes.iter().map(NoteEntry::new).collect();
        json::write(out, &entries)?;
        return Ok(());
    }
    if notes.is_empty() {
        writeln!(
            out,
            "No notes yet. During a session, `report TEXT` (or the browser's \"Report a problem with this question\") leaves one."
        )?;
        return Ok(());
    }
    let width = text_width();
    for (i, note) in notes.iter().enumerate() {
        if i > 0 {
            writeln!(out)?;
        }
        let when = crate::exam::clock::format_timestamp(note.created_at);
        let when = format!("{} {} UTC", &when[..10], &when[11..16]);
        let attempt = match note.attempt {
            Some(id) => format!("attempt {id}"),
            None => "attempt discarded".to_string(),
        };
        // The store is untrusted too: nothing from it reaches the terminal raw.
        writeln!(
            out,
            "{when}  {}  question {}  ({attempt}, {})",
            printable_line(&note.exam),
            printable_line(&note.question_id),
            note.mode.as_str()
        )?;
        writeln!(out, "{}", wrap(&printable_line(&note.text), width, 2))?;
    }
    Ok(())
}
