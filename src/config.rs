//! What every command needs, resolved from the command line and the environment.

use std::path::PathBuf;

use crate::bank::cache::BankCache;
use crate::bank::source::Catalog;
use crate::cli::Cli;
use crate::error::{Error, Result};
use crate::exam::clock::{Clock, FakeClock, SystemClock};

pub struct Config {
    pub bank_dirs: Vec<PathBuf>,
    data_dir: Option<PathBuf>,
    fake_clock: Option<String>,
}

impl Config {
    /// The flags, else the environment (`PROCTOR_DATA_DIR`, and in debug builds
    /// `PROCTOR_FAKE_CLOCK`); an empty variable counts as unset. Bank folders add up:
    /// `PROCTOR_BANK_DIR`'s, then every `--bank-dir`.
    pub fn from_cli(cli: &Cli) -> Config {
        let env = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty());
        // The test clock exists only in debug builds (what `cargo test` runs): a release
        // binary cannot be told to move its clock, so a deadline cannot be cheated.
        #[cfg(debug_assertions)]
        let fake_clock =
            cli.fake_clock.clone().or_else(|| env("PROCTOR_FAKE_CLOCK").and_then(|v| v.into_string().ok()));
        #[cfg(not(debug_assertions))]
        let fake_clock = None;
        // PROCTOR_BANK_DIR: folders separated by ':' (';' on Windows), as PATH; empty
        // entries are skipped. They come before the --bank-dir folders.
        let mut bank_dirs: Vec<PathBuf> = env("PROCTOR_BANK_DIR")
            .map(|v| std::env::split_paths(&v).filter(|p| !p.as_os_str().is_empty()).collect())
            .unwrap_or_default();
        bank_dirs.extend(cli.bank_dirs.iter().cloned());
        Config {
            bank_dirs,
            data_dir: cli.data_dir.clone().or_else(|| env("PROCTOR_DATA_DIR").map(PathBuf::from)),
            fake_clock,
        }
    }

    /// `--data-dir` / `PROCTOR_DATA_DIR`, else the platform's data folder
    /// (`$XDG_DATA_HOME/proctor` or `~/.local/share/proctor` on Linux).
    pub fn data_dir(&self) -> Result<PathBuf> {
        if let Some(dir) = &self.data_dir {
            return Ok(dir.clone());
        }
        directories::ProjectDirs::from("", "", "proctor").map(|d| d.data_dir().to_path_buf()).ok_or_else(
            || {
                Error::Usage(
                    "cannot find a home folder for the history; set PROCTOR_DATA_DIR or --data-dir".into(),
                )
            },
        )
    }

    /// The exams, shipped and from `--bank-dir`; a bank that cannot be loaded is named on
    /// stderr and the others are used as usual.
    pub fn catalog(&self) -> Result<Catalog> {
        let catalog = self.open_catalog()?;
        catalog.warn_broken();
        Ok(catalog)
    }

    /// The exams, without a word about broken banks (`list` names them itself). `--bank-dir`
    /// exams go through the bank cache in `<data dir>/bank-cache/` (none when there is no
    /// data folder to name).
    pub fn open_catalog(&self) -> Result<Catalog> {
        let catalog = Catalog::open(&self.bank_dirs)?;
        Ok(match self.data_dir() {
            Ok(data_dir) if !self.bank_dirs.is_empty() => {
                catalog.with_cache(BankCache::in_data_dir(data_dir))
            }
            _ => catalog,
        })
    }

    pub fn clock(&self) -> Result<Box<dyn Clock>> {
        match &self.fake_clock {
            Some(spec) => Ok(Box::new(FakeClock::parse(spec).map_err(Error::Usage)?)),
            None => Ok(Box::new(SystemClock)),
        }
    }
}
