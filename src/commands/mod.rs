//! One module per subcommand. Each takes the resolved `Config` and writes to the given
//! output; none of them parses arguments.

pub mod check;
pub mod exam;
pub mod list;
