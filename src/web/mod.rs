//! `proctor serve`: the browser front end. A local HTTP server (loopback only, a random
//! token as the first path segment of every URL) that renders `app::view` views as HTML
//! and sends `exam::session::Action`s to `app::attempt::Attempt`, exactly as the terminal
//! prompt does. Every POST is applied (and so saved) before the redirect that shows the
//! new page (post/redirect/get), so closing the tab or killing the server loses nothing.
//!
//! Ownership: the server process owns the attempts it runs (the store's owner row, so a
//! terminal cannot resume them while it runs, and it cannot take one a live terminal
//! holds). Inside the server each open attempt has one *seat*: a random id in the URL of
//! the tab that opened it. A request with another seat (a second tab, an old bookmark) is
//! refused with a page that says the attempt is open in another tab and offers to move it
//! here, so two tabs never interleave answers.

mod pages;
mod server;

pub use server::{ServeOptions, serve};

/// A random identifier from the operating system's generator, as hex.
fn random_hex(words: usize) -> std::io::Result<String> {
    use rand::TryRng;
    let mut out = String::new();
    for _ in 0..words {
        let word = rand::rngs::SysRng.try_next_u64().map_err(std::io::Error::other)?;
        out.push_str(&format!("{word:016x}"));
    }
    Ok(out)
}

/// Equal without an early exit, so the token's bytes cannot be timed one by one.
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_and_compared_whole() {
        let a = random_hex(2).unwrap();
        let b = random_hex(2).unwrap();
        assert_eq!(a.len(), 32);
        assert_ne!(a, b);
        assert!(same(&a, &a.clone()));
        assert!(!same(&a, &b));
        assert!(!same(&a, &a[..31]));
    }
}
