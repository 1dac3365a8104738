//! The exam core, free of I/O: assembling a paper from a bank (`assemble`), question kinds
//! on a paper (`item`: layouts, responses, keys), the session state machine (`session`),
//! scoring (`score`) and time (`clock`).

pub mod assemble;
pub mod clock;
pub mod item;
pub mod score;
pub mod session;
