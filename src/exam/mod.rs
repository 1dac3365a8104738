//! The exam core, free of I/O: assembling a paper from a bank (`assemble`), the command
//! language (`command`), the session state machine (`session`), scoring (`score`) and
//! time (`clock`).

pub mod assemble;
pub mod clock;
pub mod command;
pub mod score;
pub mod session;
