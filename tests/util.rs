//! A small builder for running the real binary in a fresh temporary folder.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

pub const BIN: &str = env!("CARGO_BIN_EXE_proctor");

/// The tiny fixture exam: 5 questions from 6, two domains, one multiple response.
pub fn tiny_bank() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/banks/tiny")
}

/// The ids of the questions an attempt result (JSON) has wrong or unanswered, sorted.
pub fn missed_ids(result: &serde_json::Value) -> Vec<String> {
    let mut ids: Vec<String> = result["questions"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|q| q["correct"] == false)
        .map(|q| q["id"].as_str().unwrap().to_string())
        .collect();
    ids.sort();
    ids
}

pub struct Test {
    pub dir: tempfile::TempDir,
    args: Vec<String>,
    stdin: String,
    env: Vec<(String, String)>,
}

pub struct Run {
    pub status: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{}", self.stdout))
    }
}

impl Test {
    pub fn new() -> Test {
        Test { dir: tempfile::tempdir().unwrap(), args: Vec::new(), stdin: String::new(), env: Vec::new() }
    }

    pub fn data_dir(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    /// Writes `text` to `relative` inside the test folder and returns its path.
    pub fn write(&self, relative: &str, text: impl AsRef<[u8]>) -> PathBuf {
        let path = self.dir.path().join(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, text).unwrap();
        path
    }

    pub fn args<I: IntoIterator<Item = S>, S: AsRef<str>>(mut self, args: I) -> Test {
        self.args = args.into_iter().map(|a| a.as_ref().to_string()).collect();
        self
    }

    pub fn stdin(mut self, text: &str) -> Test {
        self.stdin = text.to_string();
        self
    }

    pub fn env(mut self, key: &str, value: &str) -> Test {
        self.env.push((key.into(), value.into()));
        self
    }

    pub fn command(&self) -> Command {
        let mut command = Command::new(BIN);
        command
            .args(&self.args)
            .current_dir(self.dir.path())
            .env("PROCTOR_DATA_DIR", self.data_dir())
            .env_remove("PROCTOR_FAKE_CLOCK")
            .env_remove("PROCTOR_BANK_DIR")
            .env("COLUMNS", "80");
        for (k, v) in &self.env {
            command.env(k, v);
        }
        command
    }

    /// Runs with the given stdin (closed afterwards), keeping the test folder.
    pub fn run(&self) -> Run {
        let mut child = self
            .command()
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start proctor");
        let mut stdin = child.stdin.take().unwrap();
        // The binary may stop reading early (e.g. on submit): ignore a broken pipe.
        let _ = stdin.write_all(self.stdin.as_bytes());
        drop(stdin);
        let output: Output = child.wait_with_output().unwrap();
        Run {
            status: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }
}
