//! What can be typed on the command line. Parsing only: `config` turns this into what the
//! commands need, so the core never sees clap.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// `--time-limit` durations (parsed in the core so the browser reads them the same way).
pub use crate::exam::clock::parse_duration;
use crate::model::MissedFrom;

#[derive(Debug, Parser)]
#[command(
    name = "proctor",
    version,
    about = "Scenario-based practice exams: timed mock exams by the real blueprint, scored per domain",
    propagate_version = true,
    max_term_width = 80
)]
pub struct Cli {
    /// Also load the exam banks in PATH (an exam folder or a folder of them); repeatable.
    /// PROCTOR_BANK_DIR (folders separated by ':') adds more
    #[arg(long = "bank-dir", value_name = "PATH", global = true)]
    pub bank_dirs: Vec<PathBuf>,

    /// Where attempts are stored [default: $PROCTOR_DATA_DIR, else the XDG data folder,
    /// e.g. ~/.local/share/proctor]
    #[arg(long, value_name = "PATH", global = true)]
    pub data_dir: Option<PathBuf>,

    /// For tests: a fake clock, START_MS[+STEP_MS] (each reading advances by STEP). Debug
    /// builds only: a release binary has no way to move its clock.
    #[cfg(debug_assertions)]
    #[arg(long, value_name = "START[+STEP]", global = true, hide = true)]
    pub fake_clock: Option<String>,

    /// When to use colours and styles (struck-out options, the status line): auto follows
    /// the terminal, NO_COLOR and CLICOLOR_FORCE
    #[arg(long, value_enum, value_name = "WHEN", global = true, default_value_t = ColorWhen::Auto)]
    pub color: ColorWhen,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorWhen {
    Auto,
    Always,
    Never,
}

/// Each subcommand's options are built only when it runs (`defer`): building all of
/// them took a tenth of an exam's start (help, completions and the manual build them all).
#[derive(Debug, Subcommand)]
#[command(defer = true)]
pub enum Command {
    /// List the exams: id, title, status, questions, minutes, passing score, domains; then
    /// the rest of the AWS program by tier
    List(ListArgs),
    /// The AWS certification paths by role, and which of their exams proctor can run
    Paths(PathsArgs),
    /// Validate banks and report every problem as path:line:col
    Check(CheckArgs),
    /// Take a timed mock exam built from the exam's blueprint
    Exam(ExamArgs),
    /// Continue an interrupted attempt, with the clock it had
    Resume(ResumeArgs),
    /// Untimed practice with feedback after each answer, unseen and missed questions first
    Drill(DrillArgs),
    /// Re-ask missed questions that are due (spaced repetition), with feedback
    Review(ReviewArgs),
    /// Past attempts, newest first
    History(HistoryArgs),
    /// Walk through a finished attempt: answers, key, rationales, explanations
    Show(ShowArgs),
    /// Per-domain accuracy and trend, pace, most-missed questions, readiness
    Stats(StatsArgs),
    /// Notes left on questions during sessions (`report TEXT`), newest first, for authors
    Notes(NotesArgs),
    /// Delete an abandoned (unfinished) attempt; asks first
    Discard(DiscardArgs),
    /// The exam room in a local browser: mock exams, drills, history, on the same store
    /// (this computer only, with a secret address)
    Serve(ServeArgs),
    /// Import questions from GIFT, Aiken, Moodle XML, QTI or mkdocs-quiz Markdown into a new exam folder, reporting
    /// every item that cannot be carried or whose scoring changes
    Import(ImportArgs),
    /// Write an exam's bank as GIFT, QTI 2.1 or 1.2, Anki text, CSV or Markdown
    Export(ExportArgs),
    /// Print the JSON Schema of bank files, for editors (see docs/bank-format.md)
    Schema(SchemaArgs),
    /// Print a shell completion script: proctor completions bash > ~/.local/share/bash-completion/completions/proctor
    Completions(CompletionsArgs),
    /// Print the manual page (roff): proctor man > ~/.local/share/man/man1/proctor.1
    Man,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The port on 127.0.0.1 [default: any free port]
    #[arg(long, default_value_t = 0)]
    pub port: u16,

    /// Print the address without opening a browser
    #[arg(long)]
    pub no_open: bool,
}

#[derive(Debug, Args)]
pub struct DiscardArgs {
    /// The attempt id, as `proctor history` shows it
    pub attempt: i64,

    /// Do not ask (for scripts)
    #[arg(long)]
    pub yes: bool,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The source format
    #[arg(value_enum)]
    pub format: ImportFormat,

    /// Source files (for qti also package folders and .zip packages: every *.xml in them but
    /// the manifest)
    #[arg(value_name = "SRC", required = true)]
    pub sources: Vec<PathBuf>,

    /// The new exam's id (lower-case letters, digits and '-') [default: the blueprint's]
    #[arg(long, value_name = "ID", required_unless_present = "blueprint")]
    pub exam: Option<String>,

    /// The exam folder to write; it must not exist or be empty
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,

    /// Use this exam.toml (its domains) instead of writing a scaffold; categories are
    /// matched with its domain ids or names
    #[arg(long, value_name = "FILE")]
    pub blueprint: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ImportFormat {
    /// Moodle GIFT text
    Gift,
    /// Aiken text (Moodle)
    Aiken,
    /// Moodle XML (<quiz>)
    MoodleXml,
    /// IMS QTI 1.2 (<questestinterop>) or 2.1 (<assessmentItem>)
    Qti,
    /// Markdown quizzes in the mkdocs-quiz syntax (<quiz> blocks), as `export markdown`
    /// writes them
    #[value(alias = "mkdocs-quiz")]
    Markdown,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The target format
    #[arg(value_enum)]
    pub format: ExportFormat,

    /// The exam id, as `proctor list` shows it
    pub exam: String,

    /// Write here instead of stdout. For qti (required): the package folder to create, or a
    /// zip package when it ends in .zip; for qti12 a FILE.zip is a content package too
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ExportFormat {
    /// Moodle GIFT text
    Gift,
    /// An IMS QTI 2.1 content package: a folder (imsmanifest.xml and items/) or a .zip
    Qti,
    /// IMS QTI 1.2 for Canvas and Blackboard: one <questestinterop> file, or a .zip package
    /// (no ordering questions)
    Qti12,
    /// Anki's text import format (tab-separated, with #headers)
    Anki,
    /// CSV, one row per question
    Csv,
    /// Markdown with mkdocs-quiz <quiz> blocks
    Markdown,
}

#[derive(Debug, Args)]
pub struct SchemaArgs {
    /// Which schema
    #[arg(value_enum)]
    pub which: SchemaKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum SchemaKind {
    /// Bank files: exam.toml and question files
    Bank,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Args)]
pub struct DrillArgs {
    /// The exam id, as `proctor list` shows it
    pub exam: String,

    /// Only this domain (repeatable); ids as `proctor list` shows them
    #[arg(long = "domain", value_name = "ID")]
    pub domains: Vec<String>,

    /// Only questions with this tag (repeatable; any of them)
    #[arg(long = "tag", value_name = "TAG")]
    pub tags: Vec<String>,

    /// How many questions
    #[arg(long, default_value_t = 10, value_parser = parse_count)]
    pub count: u32,

    /// Seed for choosing among equals and shuffling
    #[arg(long)]
    pub seed: Option<u64>,

    /// An optional time limit, e.g. 15m
    #[arg(long, value_name = "DUR", value_parser = parse_duration)]
    pub time_limit: Option<u64>,

    /// When the drill ends, print the result as JSON on stdout (the session goes to stderr)
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ReviewArgs {
    /// Only this exam [default: the exam with the most questions due]
    pub exam: Option<String>,

    /// Every question still being learned, due or not
    #[arg(long, conflicts_with = "attempt")]
    pub all: bool,

    /// The questions missed in this attempt
    #[arg(long, value_name = "ID")]
    pub attempt: Option<i64>,

    /// Seed for the order and option letters
    #[arg(long)]
    pub seed: Option<u64>,

    /// Print the result as JSON on stdout (the session goes to stderr)
    #[arg(long)]
    pub json: bool,
}

/// `drill --count N`: 1 to 1000, in the browser's words.
fn parse_count(text: &str) -> Result<u32, String> {
    text.trim()
        .parse::<u32>()
        .ok()
        .filter(|n| (1..=1000).contains(n))
        .ok_or_else(|| "the number of questions must be a whole number from 1 to 1000".to_string())
}

/// `history --limit N`: at least 1 (0 would list nothing, which no one means).
fn parse_limit(text: &str) -> Result<u64, String> {
    match text.trim().parse::<u64>() {
        Ok(0) => {
            Err("0 would list no attempt: give 1 or more for the newest N, or --all for every one".into())
        }
        Ok(n) => Ok(n),
        Err(_) => {
            Err(format!("{text:?} is not a number of attempts: give 1 or more, or --all for every one"))
        }
    }
}

#[derive(Debug, Args)]
pub struct HistoryArgs {
    /// Only this exam
    pub exam: Option<String>,

    /// Every attempt (the table shows the newest 25 by default)
    #[arg(long, conflicts_with = "limit")]
    pub all: bool,

    /// The newest N attempts (table and JSON)
    #[arg(long, value_name = "N", value_parser = parse_limit)]
    pub limit: Option<u64>,

    /// Print JSON instead of a table: every attempt unless --limit is given (docs/json.md)
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct NotesArgs {
    /// Only this exam
    pub exam: Option<String>,

    /// Print JSON instead of text (docs/json.md)
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// The attempt id, as `proctor history` shows it
    pub attempt: i64,

    /// Only these questions
    #[arg(long, value_enum)]
    pub only: Option<Only>,

    /// Print the result object as JSON
    #[arg(long)]
    pub json: bool,
}

/// Which questions `show --only` keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Only {
    /// Scored and not correct: answered wrong or left unanswered.
    Missed,
    /// Answered, and wrong.
    Wrong,
    Unanswered,
    Flagged,
    Correct,
}

#[derive(Debug, Args)]
pub struct StatsArgs {
    /// Only this exam [default: every exam with attempts]
    pub exam: Option<String>,

    /// Print JSON instead of charts
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// Print JSON instead of a table
    #[arg(long)]
    pub json: bool,

    /// With --json: also the whole AWS program (every certification, current and retired,
    /// and the paths by role), not only the exams with banks
    #[arg(long)]
    pub all: bool,
}

#[derive(Debug, Args)]
pub struct PathsArgs {
    /// Print JSON instead of text
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Exam folders or folders of them [default: the shipped banks and every --bank-dir]
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// Print errors only (and the summary line); warnings are still counted
    #[arg(long, short)]
    pub quiet: bool,

    /// Output: text for people, or json for editors and CI (docs/json.md)
    #[arg(long, value_enum, default_value_t = CheckFormat::Text)]
    pub format: CheckFormat,

    /// Also print how many questions each domain and task statement has (of one exam:
    /// `--coverage EXAM`; a folder given here is checked as a PATH)
    #[arg(long, value_name = "EXAM", num_args = 0..=1)]
    pub coverage: Option<Option<String>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum CheckFormat {
    Text,
    Json,
}

#[derive(Debug, Args)]
pub struct ExamArgs {
    /// The exam id, as `proctor list` shows it (e.g. saa-c03)
    pub exam: String,

    /// Seed for drawing and shuffling; the same seed gives the same exam
    #[arg(long)]
    pub seed: Option<u64>,

    /// Time limit instead of the real exam's, e.g. 90s, 130m, 2h10m
    #[arg(long, value_name = "DUR", value_parser = parse_duration)]
    pub time_limit: Option<u64>,

    /// Score every question: no unscored items (by default the real exam's unscored
    /// share is mixed in, unmarked, as on the real exam)
    #[arg(long)]
    pub all_scored: bool,

    /// Show each question's domain (hidden by default, as on the real exam)
    #[arg(long)]
    pub show_domain: bool,

    /// Show "Behind pace" beside the clock when the time left would not cover the questions
    /// left at the paper's pace (off by default: the real exam has no such cue)
    #[arg(long)]
    pub pace: bool,

    /// Draw by the seed alone, as on a machine with no history (by default questions you
    /// have not seen come first)
    #[arg(long)]
    pub include_seen: bool,

    /// Retake the scored questions missed in an exam, timed at the real exam's pace per
    /// question [default: the latest finished mock exam]
    #[arg(long, value_name = "ATTEMPT", num_args = 0..=1, default_missing_value = "latest",
          value_parser = parse_missed)]
    pub missed: Option<MissedFrom>,

    /// The default now (kept so older scripts work)
    #[arg(long, hide = true, conflicts_with = "all_scored")]
    pub unscored: bool,

    /// The default now (kept so older scripts work)
    #[arg(long, hide = true, conflicts_with = "show_domain")]
    pub hide_domain: bool,

    /// When the attempt ends, print the result as JSON on stdout (the session goes to stderr)
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ResumeArgs {
    /// The attempt id [default: the latest unfinished attempt]
    pub attempt: Option<i64>,

    /// When the attempt ends, print the result as JSON on stdout (the session goes to stderr)
    #[arg(long)]
    pub json: bool,

    /// Do not show each question's domain during the exam
    #[arg(long)]
    pub hide_domain: bool,

    /// Take the attempt over from a session on another machine (a shared data folder)
    /// that is known to be gone. A session on this machine is taken over by itself once its
    /// process has ended.
    #[arg(long)]
    pub take_over: bool,

    /// Show "Behind pace" beside the clock (see `proctor exam --pace`)
    #[arg(long)]
    pub pace: bool,
}

/// `--missed` alone is the latest exam; `--missed 12` attempt 12.
fn parse_missed(text: &str) -> Result<MissedFrom, String> {
    if text == "latest" {
        return Ok(MissedFrom::Latest);
    }
    match text.parse::<i64>() {
        Ok(id) if id > 0 => Ok(MissedFrom::Attempt(id)),
        _ => Err(format!(
            "{text:?} is not an attempt id (a number, as `proctor history` shows); \
             name the exam first: proctor exam EXAM --missed [ATTEMPT]"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_cli_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn durations() {
        assert_eq!(parse_duration("90s"), Ok(90));
        assert_eq!(parse_duration("130m"), Ok(7800));
        assert_eq!(parse_duration("2h10m"), Ok(7800));
        assert_eq!(parse_duration("1h0m30s"), Ok(3630));
        assert_eq!(parse_duration("45"), Ok(2700));
        for bad in ["", "0s", "10x", "m", "10m2h", "5m5m", "1.5h", "99999999999999999999h", "8d", "20000"] {
            assert!(parse_duration(bad).is_err(), "{bad}");
        }
        // Zero is a duration, but not a time limit: the message says so.
        for zero in ["0", "0m", "0h0m0s"] {
            assert!(
                parse_duration(zero).unwrap_err().contains("would end the attempt before it starts"),
                "{zero}"
            );
        }
        assert_eq!(parse_limit("3"), Ok(3));
        assert_eq!(parse_count("1000"), Ok(1000));
        for bad in ["0", "1001", "-1", "x"] {
            assert!(parse_count(bad).unwrap_err().contains("from 1 to 1000"), "{bad}");
        }
        assert!(parse_limit("0").unwrap_err().contains("--all"));
        assert!(parse_limit("x").is_err());
    }
}
