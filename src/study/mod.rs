//! Learning from every attempt, without I/O: the spaced-repetition schedule of missed
//! questions (`schedule`, on the FSRS library), choosing questions for drills and reviews
//! (`select`), statistics over the history (`stats`), and the running totals they read (`totals`).

pub mod readiness;
pub mod schedule;
pub mod select;
pub mod stats;
#[cfg(test)]
pub mod totals;
