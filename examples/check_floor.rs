//! The check bench's floor as a program of its own, for counts that do not depend on the
//! machine's load (docs/performance.md, "`proctor check` on a large bank"): each file named
//! is read, then parsed with a bare `toml::from_str::<toml::Table>`, on one thread.
//!
//! ```text
//! cargo build --release --example check_floor
//! taskset -c 0 valgrind --tool=callgrind --callgrind-out-file=/dev/null \
//!     target/release/examples/check_floor target/bench-data/synthetic/questions-*.toml
//! ```

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut keys = 0;
    for path in std::env::args().skip(1) {
        let text = std::fs::read_to_string(&path)?;
        let table: toml::Table = toml::from_str(&text)?;
        keys += table.len();
        std::hint::black_box(table);
    }
    std::hint::black_box(keys);
    Ok(())
}
