//! The application layer: the attempt workflow every front end drives. `start` decides
//! which paper an exam, drill or review gets; `attempt` runs one attempt (apply, save,
//! score, schedule, finish); `view` describes what to show as plain data; `past` reads
//! finished attempts back for `show`; `room` is what a
//! long-running front end (the browser) needs: exams, starting, resuming, history;
//! `notes` is the rule for a candidate's note on a question (`Attempt::report` saves one).

pub mod attempt;
pub mod notes;
pub mod past;
pub mod room;
pub mod start;
#[cfg(test)]
mod totals_tests;
pub mod view;
