//! One module per subcommand. Each takes the resolved `Config` and writes to the given
//! output; none of them parses arguments.

pub mod attempt;
pub mod check;
pub mod drill;
pub mod exam;
pub mod export;
pub mod history;
pub mod import;
pub mod list;
pub mod notes;
pub mod review;
pub mod serve;
pub mod stats;
