//! Every `--json` output, as explicit output types in one place (docs/json.md). Core types
//! are never serialised directly, so a refactor cannot change the output by accident.
//!
//! Version 1 of the JSON output: fields may be added; none is renamed or removed without
//! a new version.

use serde::Serialize;

use crate::bank::Blueprint;
use crate::bank::prebuilt::QuestionCounts;
use crate::exam::clock::{Millis, format_timestamp, seconds};
use crate::exam::score::{Score, percent, scaled_score};
use crate::model::{AttemptSummary, Card, Mode, Note};
use crate::program::{Certification, Path, Program};
use crate::study::stats::Stats;

/// One exam, as `list --json` prints it.
#[derive(Debug, Serialize)]
pub struct ExamEntry {
    pub id: String,
    pub code: String,
    pub title: String,
    pub vendor: String,
    pub level: &'static str,
    pub status: &'static str,
    pub status_date: String,
    /// Questions in the bank.
    pub questions: usize,
    /// Questions on the real exam.
    pub exam_questions: u32,
    pub scored_questions: u32,
    pub minutes: u32,
    pub passing_score: u32,
    pub domains: Vec<DomainEntry>,
}

#[derive(Debug, Serialize)]
pub struct DomainEntry {
    pub id: String,
    pub name: String,
    pub weight: u32,
    /// Questions in the bank for this domain.
    pub questions: usize,
}

impl ExamEntry {
    /// From what the catalog knows without loading the questions.
    pub fn summarise(b: &Blueprint, counts: &QuestionCounts) -> ExamEntry {
        ExamEntry {
            id: b.id.clone(),
            code: b.code.clone(),
            title: b.title.clone(),
            vendor: b.vendor.clone(),
            level: b.level.as_str(),
            status: b.status.state.as_str(),
            status_date: b.status.date.clone(),
            questions: counts.total,
            exam_questions: b.exam_questions,
            scored_questions: b.scored_questions,
            minutes: b.minutes,
            passing_score: b.passing_score,
            domains: b
                .domains
                .iter()
                .zip(&counts.per_domain)
                .map(|(d, &questions)| DomainEntry {
                    id: d.id.clone(),
                    name: d.name.clone(),
                    weight: d.weight,
                    questions,
                })
                .collect(),
        }
    }
}

/// `list --all --json`: the exams with banks, and the whole AWS program.
#[derive(Debug, Serialize)]
pub struct ListAll {
    pub exams: Vec<ExamEntry>,
    pub program: ProgramCatalogue,
}

#[derive(Debug, Serialize)]
pub struct ProgramCatalogue {
    pub verified_on: String,
    pub source: String,
    pub certifications: Vec<ProgramEntry>,
    pub paths: Vec<PathEntry>,
}

/// One certification of the AWS program.
#[derive(Debug, Serialize)]
pub struct ProgramEntry {
    pub id: String,
    pub code: String,
    pub title: String,
    pub tier: &'static str,
    pub focus: String,
    pub experience: String,
    pub status: &'static str,
    pub since: Option<String>,
    pub last_day: Option<String>,
    pub successor: Option<String>,
    pub questions: Option<u32>,
    pub scored: Option<u32>,
    pub minutes: Option<u32>,
    pub passing_score: Option<u32>,
    pub item_types: Vec<&'static str>,
    pub guide: Option<String>,
    pub domains: Vec<ProgramDomainEntry>,
    /// What the catalogue could not confirm (never invented).
    pub unconfirmed: Vec<String>,
    /// proctor has a bank for it.
    pub bank: bool,
}

#[derive(Debug, Serialize)]
pub struct ProgramDomainEntry {
    pub name: String,
    /// Null when the weight is not confirmed.
    pub weight: Option<u32>,
}

#[derive(Debug, Serialize)]
pub struct PathEntry {
    pub id: String,
    pub title: String,
    pub description: String,
    pub exams: Vec<PathExam>,
}

#[derive(Debug, Serialize)]
pub struct PathExam {
    pub code: String,
    pub bank: bool,
}

impl ListAll {
    pub fn new(exams: Vec<ExamEntry>, program: &Program, has_bank: &dyn Fn(&str) -> bool) -> ListAll {
        ListAll {
            exams,
            program: ProgramCatalogue {
                verified_on: program.verified_on.clone(),
                source: program.source.clone(),
                certifications: program
                    .exams
                    .iter()
                    .map(|c| ProgramEntry::of(c, has_bank(&c.id())))
                    .collect(),
                paths: program.paths.iter().map(|p| PathEntry::new(p, has_bank)).collect(),
            },
        }
    }
}

impl ProgramEntry {
    pub fn of(c: &Certification, bank: bool) -> ProgramEntry {
        ProgramEntry {
            id: c.id(),
            code: c.code.clone(),
            title: c.title.clone(),
            tier: c.tier.as_str(),
            focus: c.focus.clone(),
            experience: c.experience.clone(),
            status: c.status.as_str(),
            since: c.since.clone(),
            last_day: c.last_day.clone(),
            successor: c.successor.clone(),
            questions: c.questions,
            scored: c.scored,
            minutes: c.minutes,
            passing_score: c.passing_score,
            item_types: c.item_types.iter().map(|t| t.as_str()).collect(),
            guide: c.guide.clone(),
            domains: c
                .domains
                .iter()
                .map(|d| ProgramDomainEntry { name: d.name.clone(), weight: d.weight })
                .collect(),
            unconfirmed: c.unconfirmed.clone(),
            bank,
        }
    }
}

impl PathEntry {
    pub fn new(path: &Path, has_bank: &dyn Fn(&str) -> bool) -> PathEntry {
        PathEntry {
            id: path.id.clone(),
            title: path.title.clone(),
            description: path.description.clone(),
            exams: path
                .exams
                .iter()
                .map(|code| PathExam { code: code.clone(), bank: has_bank(&code.to_ascii_lowercase()) })
                .collect(),
        }
    }
}

/// The result of an attempt (`exam`, `drill`, `review`, `resume`, `show` with `--json`).
#[derive(Debug, Serialize)]
pub struct AttemptResult {
    pub attempt: i64,
    pub exam: String,
    pub mode: &'static str,
    pub seed: u64,
    pub started_at: String,
    pub finished_at: String,
    pub end_reason: &'static str,
    pub seconds_used: f64,
    pub total: u32,
    pub correct: u32,
    pub percent: f64,
    pub scaled_score: u32,
    pub passing_score: u32,
    pub passed: bool,
    pub domains: Vec<DomainResult>,
    pub questions: Vec<QuestionResult>,
}

#[derive(Debug, Serialize)]
pub struct DomainResult {
    pub id: String,
    pub name: String,
    pub correct: u32,
    pub total: u32,
    pub percent: f64,
    pub classification: &'static str,
}

#[derive(Debug, Serialize)]
pub struct QuestionResult {
    pub position: usize,
    pub id: String,
    pub domain: String,
    pub response: String,
    pub correct_response: String,
    pub correct: bool,
    pub flagged: bool,
    pub scored: bool,
    pub seconds: f64,
    pub confidence: Option<&'static str>,
    /// The task statement the question is tagged with (`task` in the bank).
    pub task: Option<String>,
    /// The question's `[source]`, if the bank gives one.
    pub source: Option<SourceEntry>,
}

/// A question's provenance (`[source]` / `[question.source]`); absent keys are null.
#[derive(Debug, Serialize)]
pub struct SourceEntry {
    pub url: Option<String>,
    pub licence: Option<String>,
    pub commit: Option<String>,
    pub original_id: Option<String>,
    pub file: Option<String>,
}

impl SourceEntry {
    pub fn of(s: &crate::bank::Source) -> SourceEntry {
        SourceEntry {
            url: s.url.clone(),
            licence: s.licence.clone(),
            commit: s.commit.clone(),
            original_id: s.original_id.clone(),
            file: s.file.clone(),
        }
    }
}

/// What the attempt was, beside its score.
pub struct AttemptFacts<'a> {
    pub attempt: i64,
    pub exam: &'a str,
    pub mode: Mode,
    pub seed: u64,
    pub started_at: Millis,
    pub finished_at: Millis,
    pub end_reason: crate::model::EndReason,
}

impl AttemptResult {
    /// `keep` filters the questions (`show --only`); the totals stay the attempt's. `bank`
    /// gives the bank question at each position, for its task and source.
    pub fn new<'q>(
        facts: &AttemptFacts,
        score: &Score,
        bank: impl Fn(usize) -> Option<&'q crate::bank::Question>,
        keep: impl Fn(usize) -> bool,
    ) -> AttemptResult {
        AttemptResult {
            attempt: facts.attempt,
            exam: facts.exam.to_string(),
            mode: facts.mode.as_str(),
            seed: facts.seed,
            started_at: format_timestamp(facts.started_at),
            finished_at: format_timestamp(facts.finished_at),
            end_reason: facts.end_reason.as_str(),
            seconds_used: seconds(facts.finished_at.saturating_sub(facts.started_at) as f64),
            total: score.total,
            correct: score.correct,
            percent: score.percent,
            scaled_score: score.scaled_score,
            passing_score: score.passing_score,
            passed: score.passed,
            domains: score
                .domains
                .iter()
                .map(|d| DomainResult {
                    id: d.id.clone(),
                    name: d.name.clone(),
                    correct: d.correct,
                    total: d.total,
                    percent: d.percent,
                    classification: d.classification,
                })
                .collect(),
            questions: score
                .questions
                .iter()
                .enumerate()
                .filter(|(i, _)| keep(*i))
                .map(|(i, q)| QuestionResult {
                    position: q.position,
                    id: q.id.clone(),
                    domain: q.domain.clone(),
                    response: q.response.clone(),
                    correct_response: q.correct_response.clone(),
                    correct: q.correct,
                    flagged: q.flagged,
                    scored: q.scored,
                    seconds: q.seconds,
                    confidence: q.confidence.map(crate::model::Confidence::as_str),
                    task: bank(i).and_then(|b| b.task.clone()),
                    source: bank(i).and_then(|b| b.source.as_ref()).map(SourceEntry::of),
                })
                .collect(),
        }
    }
}

/// `review --json` with nothing due: the result object's fields, empty, plus when the next
/// review is due.
#[derive(Debug, Serialize)]
pub struct NothingDue<'a> {
    pub attempt: Option<i64>,
    pub exam: Option<&'a str>,
    pub mode: &'static str,
    pub seed: Option<u64>,
    pub started_at: Option<String>,
    pub finished_at: Option<String>,
    pub end_reason: Option<&'static str>,
    pub seconds_used: f64,
    pub total: u32,
    pub correct: u32,
    pub percent: f64,
    pub scaled_score: Option<u32>,
    pub passing_score: Option<u32>,
    pub passed: Option<bool>,
    pub domains: [(); 0],
    pub questions: [(); 0],
    pub next_due: Option<String>,
    pub learning: usize,
}

impl<'a> NothingDue<'a> {
    pub fn new(cards: &[Card], now: Millis, exam: Option<&'a str>) -> NothingDue<'a> {
        let next = cards.iter().filter(|c| !c.learned && c.due_at > now).min_by_key(|c| c.due_at);
        NothingDue {
            attempt: None,
            exam,
            mode: Mode::Review.as_str(),
            seed: None,
            started_at: None,
            finished_at: None,
            end_reason: None,
            seconds_used: 0.0,
            total: 0,
            correct: 0,
            percent: 0.0,
            scaled_score: None,
            passing_score: None,
            passed: None,
            domains: [],
            questions: [],
            next_due: next.map(|c| format_timestamp(c.due_at)),
            learning: cards.iter().filter(|c| !c.learned).count(),
        }
    }
}

/// One attempt, as `history --json` prints it.
#[derive(Debug, Serialize)]
pub struct HistoryEntry {
    pub id: i64,
    pub mode: &'static str,
    pub exam: String,
    pub finished: bool,
    pub started_at: String,
    pub finished_at: Option<String>,
    pub end_reason: Option<&'static str>,
    pub seed: u64,
    pub questions: u32,
    pub total: u32,
    pub correct: u32,
    pub answered: u32,
    pub percent: Option<f64>,
    pub scaled_score: Option<u32>,
    pub passed: Option<bool>,
    pub seconds_used: Option<f64>,
    /// Unfinished and past its deadline: `proctor resume` scores it at once.
    pub expired: bool,
}

impl HistoryEntry {
    /// `passing`: the exam's pass mark, when its bank is loaded.
    pub fn new(a: &AttemptSummary, passing: Option<u32>, now: Millis) -> HistoryEntry {
        let finished = a.finished_at.is_some();
        let percent = percent(a.correct, a.scored).filter(|_| finished);
        let scaled = match (a.mode, passing, finished) {
            (Mode::Exam, Some(pass), true) if a.scored > 0 => {
                Some(scaled_score(f64::from(a.correct) / f64::from(a.scored), pass))
            }
            _ => None,
        };
        HistoryEntry {
            id: a.id,
            mode: a.mode.as_str(),
            exam: a.exam.clone(),
            finished,
            started_at: format_timestamp(a.started_at),
            finished_at: a.finished_at.map(format_timestamp),
            end_reason: a.end_reason.map(|r| r.as_str()),
            seed: a.seed,
            questions: a.questions,
            total: a.scored,
            correct: a.correct,
            answered: a.answered,
            percent,
            scaled_score: scaled,
            passed: scaled.zip(passing).map(|(s, p)| s >= p),
            seconds_used: a.finished_at.map(|f| seconds(f.saturating_sub(a.started_at) as f64)),
            expired: !finished && a.deadline.is_some_and(|d| d <= now),
        }
    }
}

/// `notes --json`: one note on a question.
#[derive(Debug, Serialize)]
pub struct NoteEntry {
    pub id: i64,
    pub exam: String,
    pub question_id: String,
    /// Null once the attempt was discarded.
    pub attempt: Option<i64>,
    pub mode: &'static str,
    pub created_at: String,
    /// The question's fingerprint when the note was written.
    pub question_hash: String,
    pub text: String,
}

impl NoteEntry {
    pub fn new(note: &Note) -> NoteEntry {
        NoteEntry {
            id: note.id,
            exam: note.exam.clone(),
            question_id: note.question_id.clone(),
            attempt: note.attempt,
            mode: note.mode.as_str(),
            created_at: format_timestamp(note.created_at),
            question_hash: note.content_hash.clone(),
            text: note.text.clone(),
        }
    }
}

/// `stats --json`: one exam's statistics.
#[derive(Debug, Serialize)]
pub struct ExamStats {
    pub exam: String,
    pub attempts: u32,
    pub domains: Vec<DomainStats>,
    pub most_missed: Vec<MissedQuestion>,
    pub pace: Pace,
    pub readiness: Readiness,
    pub trend: Vec<TrendPoint>,
    /// The pass probability on a fresh form (docs/readiness.md); null with no evidence.
    pub pass_probability: Option<PassProbability>,
}

#[derive(Debug, Serialize)]
pub struct PassProbability {
    pub probability: f64,
    /// 10th and 90th percentiles.
    pub low: f64,
    pub high: f64,
    /// The assumed raw cut (fraction correct) and P(pass) at cuts around it.
    pub assumed_cut: f64,
    pub at_cuts: Vec<CutProbability>,
    pub domains: Vec<DomainAbilityEntry>,
    /// Answers counted, by mode.
    pub answers: AnswersByMode,
    /// Attempts that are not evidence: `{attempt, reason}` (`short-time-limit`, `mostly-unanswered`).
    pub excluded: Vec<ExcludedAttempt>,
}

#[derive(Debug, Serialize)]
pub struct CutProbability {
    pub cut: f64,
    pub probability: f64,
}

#[derive(Debug, Serialize)]
pub struct DomainAbilityEntry {
    pub id: String,
    pub ability: f64,
    pub low: f64,
    pub high: f64,
    pub evidence: f64,
}

#[derive(Debug, Serialize)]
pub struct AnswersByMode {
    pub exam: u32,
    pub drill: u32,
    pub review: u32,
}

#[derive(Debug, Serialize)]
pub struct ExcludedAttempt {
    pub attempt: i64,
    pub reason: &'static str,
}

fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

impl PassProbability {
    pub fn of(e: &crate::study::readiness::PassEstimate) -> PassProbability {
        use crate::study::readiness::Excluded;
        let count = |m: Mode| e.answers.get(&m).copied().unwrap_or(0);
        PassProbability {
            probability: round3(e.probability),
            low: round3(e.low),
            high: round3(e.high),
            assumed_cut: round3(e.cut),
            at_cuts: e
                .at_cuts
                .iter()
                .map(|&(cut, p)| CutProbability { cut: round3(cut), probability: round3(p) })
                .collect(),
            domains: e
                .domains
                .iter()
                .map(|d| DomainAbilityEntry {
                    id: d.id.clone(),
                    ability: round3(d.mean),
                    low: round3(d.low),
                    high: round3(d.high),
                    evidence: round3(d.evidence),
                })
                .collect(),
            answers: AnswersByMode {
                exam: count(Mode::Exam),
                drill: count(Mode::Drill),
                review: count(Mode::Review),
            },
            excluded: e
                .excluded
                .iter()
                .map(|&(attempt, why)| ExcludedAttempt {
                    attempt,
                    reason: match why {
                        Excluded::ShortTimeLimit => "short-time-limit",
                        Excluded::MostlyUnanswered => "mostly-unanswered",
                    },
                })
                .collect(),
        }
    }
}

#[derive(Debug, Serialize)]
pub struct DomainStats {
    pub id: String,
    pub name: String,
    pub weight: u32,
    pub answered: u32,
    pub correct: u32,
    pub percent: Option<f64>,
    pub recent_percent: Option<f64>,
    pub questions: u32,
    pub seen: u32,
    pub never_seen: u32,
    pub by_attempt: Vec<DomainPoint>,
}

#[derive(Debug, Serialize)]
pub struct DomainPoint {
    pub attempt: i64,
    pub started_at: String,
    pub answered: u32,
    pub percent: f64,
}

#[derive(Debug, Serialize)]
pub struct MissedQuestion {
    pub id: String,
    pub domain: String,
    pub missed: u32,
    pub answered: u32,
}

#[derive(Debug, Serialize)]
pub struct Pace {
    pub average_seconds: Option<f64>,
    pub exam_seconds: f64,
}

#[derive(Debug, Serialize)]
pub struct Readiness {
    pub exams_taken: u32,
    pub latest_scaled: Option<u32>,
    pub rolling_scaled: Option<u32>,
    pub passing_score: u32,
    pub ready: Option<bool>,
}

#[derive(Debug, Serialize)]
pub struct TrendPoint {
    pub attempt: i64,
    pub started_at: String,
    pub percent: f64,
    pub scaled_score: u32,
    /// Counted as readiness evidence (false for a shortened or mostly unanswered exam).
    pub counted: bool,
}

impl ExamStats {
    pub fn of(s: &Stats) -> ExamStats {
        ExamStats {
            exam: s.exam.clone(),
            attempts: s.attempts,
            domains: s
                .domains
                .iter()
                .map(|d| DomainStats {
                    id: d.id.clone(),
                    name: d.name.clone(),
                    weight: d.weight,
                    answered: d.answered,
                    correct: d.correct,
                    percent: d.percent,
                    recent_percent: d.recent_percent,
                    questions: d.questions,
                    seen: d.seen,
                    never_seen: d.never_seen,
                    by_attempt: d
                        .by_attempt
                        .iter()
                        .map(|p| DomainPoint {
                            attempt: p.attempt,
                            started_at: p.started_at.clone(),
                            answered: p.answered,
                            percent: p.percent,
                        })
                        .collect(),
                })
                .collect(),
            most_missed: s
                .most_missed
                .iter()
                .map(|m| MissedQuestion {
                    id: m.id.clone(),
                    domain: m.domain.clone(),
                    missed: m.missed,
                    answered: m.answered,
                })
                .collect(),
            pace: Pace { average_seconds: s.pace.average_seconds, exam_seconds: s.pace.exam_seconds },
            readiness: Readiness {
                exams_taken: s.readiness.exams_taken,
                latest_scaled: s.readiness.latest_scaled,
                rolling_scaled: s.readiness.rolling_scaled,
                passing_score: s.readiness.passing_score,
                ready: s.readiness.ready,
            },
            trend: s
                .trend
                .iter()
                .map(|t| TrendPoint {
                    attempt: t.attempt,
                    started_at: t.started_at.clone(),
                    percent: t.percent,
                    scaled_score: t.scaled_score,
                    counted: t.counted,
                })
                .collect(),
            pass_probability: None,
        }
    }
}

/// `check --format json`: every diagnostic and the counts.
#[derive(Debug, Serialize)]
pub struct CheckReport {
    pub exams: usize,
    pub errors: usize,
    pub warnings: usize,
    pub diagnostics: Vec<CheckDiagnostic>,
}

#[derive(Debug, Serialize)]
pub struct CheckDiagnostic {
    pub kind: &'static str,
    pub severity: &'static str,
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl CheckDiagnostic {
    pub fn of(d: &crate::bank::diagnostic::Diagnostic) -> CheckDiagnostic {
        CheckDiagnostic {
            kind: d.check.as_str(),
            severity: d.severity.as_str(),
            file: d.location.path.to_string(),
            line: d.location.line,
            column: d.location.col,
            message: d.message.clone(),
        }
    }
}

/// Writes `value` as pretty JSON and a newline. Text from banks and the store is
/// untrusted: any character that must not reach a terminal (C1 controls, bidi overrides,
/// invisible characters; see `text::forbidden_char`) is written as a `\u` escape, which
/// JSON readers decode to the same string but a terminal never acts on.
pub fn write(out: &mut dyn std::io::Write, value: &impl Serialize) -> std::io::Result<()> {
    let text = serde_json::to_string_pretty(value).map_err(std::io::Error::from)?;
    writeln!(out, "{}", escape_untrusted(&text))
}

fn escape_untrusted(json: &str) -> String {
    if crate::text::forbidden_char(json).is_none() {
        return json.to_string();
    }
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        // Newlines and tabs outside strings are layout; inside strings serde_json already
        // escaped them. Everything else forbidden can only be inside a string.
        if c != '\n' && c != '\t' && crate::text::forbidden_char(c.encode_utf8(&mut [0; 4])).is_some() {
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                out.push_str(&format!("\\u{unit:04x}"));
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn untrusted_characters_are_escaped_and_decode_back() {
        let value = serde_json::json!({ "id": "q\u{85}\u{202e}\u{e0041}x" });
        let mut out = Vec::new();
        super::write(&mut out, &value).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(
            text.contains("\\u0085") && text.contains("\\u202e") && text.contains("\\udb40\\udc41"),
            "{text}"
        );
        assert!(crate::text::forbidden_char(&text).is_none());
        let back: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back, value);
    }
}
