//! Learning from every attempt, without I/O: the spaced-repetition schedule of missed
//! questions (`schedule`, on the FSRS library), choosing questions for drills and reviews
//! (`select`), and statistics over the history (`stats`).

pub mod readiness;
pub mod schedule;
pub mod select;
pub mod stats;
