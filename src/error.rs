//! The top-level error: every module's error, and the one place that decides exit codes.

use crate::bank::source::BankError;
use crate::store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Bank(#[from] BankError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("{0}")]
    Usage(String),
    /// A request that needs something done first: the terminal names the command, the
    /// browser offers the button.
    #[error("{problem}: `{}` first", step.command())]
    NeedsFirst { problem: String, step: NextStep },
    #[error(transparent)]
    ImportRead(#[from] crate::interop::ReadError),
    #[error(transparent)]
    ImportBuild(#[from] crate::interop::draft::BuildError),
    #[error("terminal: {0}")]
    Terminal(String),
    #[error("output: {0}")]
    Output(#[from] std::io::Error),
}

impl Error {
    /// 2 for every error: usage, I/O and bank loading. (1 is `check` finding problems,
    /// which is a result, not an error.)
    pub fn exit_code(&self) -> i32 {
        2
    }

    /// Writing to a closed pipe (`proctor list | head`) is not a failure.
    pub fn is_broken_pipe(&self) -> bool {
        matches!(self, Error::Output(e) if e.kind() == std::io::ErrorKind::BrokenPipe)
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What to do before asking again (`Error::NeedsFirst`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NextStep {
    /// Finish this unfinished attempt.
    Resume(i64),
    /// Take a mock exam of this exam.
    Exam(String),
}

impl NextStep {
    /// The command that does it at the terminal.
    pub fn command(&self) -> String {
        match self {
            NextStep::Resume(id) => format!("proctor resume {id}"),
            NextStep::Exam(exam) => format!("proctor exam {exam}"),
        }
    }
}
