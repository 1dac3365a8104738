//! `proctor stats` for people: a bar per domain, the trend line, readiness, pace and the
//! most missed questions, from `study::stats::compute`.

use super::render::bar;
use crate::bank::Exam;
use crate::study::stats::{ROLLING_EXAMS, Stats};
use crate::text::printable;

/// How many attempts a domain's trend line shows (the latest).
const TREND_POINTS: usize = 8;
/// How many of the attempts readiness leaves out are named (the latest).
const EXCLUDED_SHOWN: usize = crate::study::readiness::EXCLUDED_NAMED;

/// A one-line chart of values between `low` and `high`.
pub fn sparkline(values: &[u32], low: u32, high: u32) -> String {
    const BLOCKS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    // Without a UTF-8 locale the blocks would print as garbage: ASCII levels instead.
    const ASCII: [char; 8] = ['_', '.', '-', '~', '=', '+', '*', '#'];
    let levels = if super::utf8_locale() { BLOCKS } else { ASCII };
    let span = f64::from(high.saturating_sub(low).max(1));
    values
        .iter()
        .map(|&v| {
            let level = (f64::from(v.clamp(low, high) - low) / span * 7.0).round() as usize;
            levels[level.min(7)]
        })
        .collect()
}

/// The statistics for people: a bar per domain, the trend line and readiness.
pub fn render(stats: &Stats, exam: &Exam) -> String {
    let mut out = format!(
        "{} ({}): {} finished attempt(s)\n\n",
        printable(&exam.blueprint.code),
        printable(&stats.exam),
        stats.attempts
    );
    // Two lines a domain, so long names never push past 80 columns.
    out.push_str("Accuracy by domain (exams and drills; recent = the latest 5 with the domain):\n");
    for d in &stats.domains {
        let pct = |p: Option<f64>| p.map_or("-".to_string(), |p| format!("{p:.0}%"));
        out.push_str(&format!("  {}\n", printable(&d.name)));
        out.push_str(&format!(
            "    {}  all {:>4}  recent {:>4}  seen {}/{}\n",
            bar(d.percent.unwrap_or(0.0), 24),
            pct(d.percent),
            pct(d.recent_percent),
            d.seen,
            d.questions
        ));
        // The trend over time: the latest few attempts with the domain, oldest first.
        if d.by_attempt.len() >= 2 {
            let latest = &d.by_attempt[d.by_attempt.len().saturating_sub(TREND_POINTS)..];
            let values: Vec<u32> = latest.iter().map(|p| p.percent.round() as u32).collect();
            let figures: Vec<String> = values.iter().map(|v| format!("{v}%")).collect();
            out.push_str(&format!("    by attempt {}  {}\n", sparkline(&values, 0, 100), figures.join(" ")));
        }
    }
    let r = &stats.readiness;
    out.push('\n');
    if stats.trend.is_empty() {
        out.push_str("No mock exam finished yet: readiness needs one (`proctor exam ...`).\n");
    } else {
        let scores: Vec<u32> = stats.trend.iter().map(|t| t.scaled_score).collect();
        let which = if stats.exams as usize > scores.len() {
            format!(" (the latest {} of {})", scores.len(), stats.exams)
        } else {
            String::new()
        };
        out.push_str(&format!(
            "Mock exams{which}: {}  {}  (estimated scaled, 100-1000; pass {})\n",
            sparkline(&scores, 100, 1000),
            scores.iter().map(ToString::to_string).collect::<Vec<_>>().join(" "),
            r.passing_score
        ));
        let n = (stats.readiness.exams_taken as usize).min(ROLLING_EXAMS);
        let exams = if n == 1 { "exam".to_string() } else { format!("{n} exams") };
        match (r.latest_scaled, r.rolling_scaled) {
            (Some(latest), Some(rolling)) => out.push_str(&format!(
                "Scores: latest {latest}; mean of the last {exams}: {rolling}, {}\n",
                if r.ready == Some(true) { "at or above the pass mark" } else { "below the pass mark" }
            )),
            _ => out.push_str(
                "Scores: no mock exam counts yet (a shortened or mostly unanswered one does not).\n",
            ),
        }
    }
    match stats.pace.average_seconds {
        Some(avg) => out.push_str(&format!(
            "Pace in mock exams: {avg:.0} s per answered question; the real exam allows {:.0} s.\n",
            stats.pace.exam_seconds
        )),
        None => out.push_str(&format!(
            "Pace: no mock exam answered yet; the real exam allows {:.0} s per question.\n",
            stats.pace.exam_seconds
        )),
    }
    if !stats.most_missed.is_empty() {
        out.push_str("Most missed:\n");
        for m in stats.most_missed.iter().take(5) {
            out.push_str(&format!(
                "  {:<20} {:<12} missed {} of {}\n",
                printable(&m.id),
                printable(&m.domain),
                m.missed,
                m.answered
            ));
            // The start of the scenario, so the id means something.
            if let Some(q) = exam.question(&m.id) {
                let gist: String = q.stem.split_whitespace().collect::<Vec<_>>().join(" ");
                let gist: String = printable(&gist).chars().take(70).collect();
                out.push_str(&format!("    {gist}...\n"));
            }
        }
    }
    out
}

/// The pass probability for people: the estimate with its interval, how it moves with the
/// unpublished cut, and what it stands on; every line wrapped to the terminal's width.
pub fn render_pass(pass: Option<&crate::study::readiness::PassEstimate>, exam: &Exam) -> String {
    render_pass_at(pass, exam, super::text_width())
}

/// After a mock exam counted with questions left unanswered: the pass probability is of
/// what the answers show (blanks are left out of it, docs/readiness.md), while the real
/// exam scores a blank wrong, as this attempt's own score did.
pub fn render_unanswered_caveat(unanswered: usize, width: usize) -> String {
    let line = format!(
        "This probability assumes you answer every question: the {unanswered} you left unanswered \
         are not in it, but the real exam scores them wrong, as the score above did."
    );
    crate::text::wrap_lines(&line, width) + "\n"
}

/// `render_pass` wrapped to `width` columns.
fn render_pass_at(pass: Option<&crate::study::readiness::PassEstimate>, exam: &Exam, width: usize) -> String {
    let Some(pass) = pass else {
        let line = "Pass probability: not enough evidence yet. Mock exams count with the real time limit \
                    and at least half answered; drills and reviews count too.";
        return crate::text::wrap_lines(line, width) + "\n";
    };
    let pct = |p: f64| format!("{:.0}%", p * 100.0);
    // "likely between 0% and 0%" reads as a slip: one figure when both ends round alike.
    let likely = if pct(pass.low) == pct(pass.high) {
        format!("{} at both ends of the likely range", pct(pass.low))
    } else {
        format!("likely between {} and {}", pct(pass.low), pct(pass.high))
    };
    let mut out = crate::text::wrap_lines(
        &format!(
            "Pass probability on a fresh form: {} ({likely}), if the cut is {} correct.",
            pct(pass.probability),
            pct(pass.cut)
        ),
        width,
    );
    out.push('\n');
    let around: Vec<String> =
        pass.at_cuts.iter().map(|(cut, p)| format!("{} at a cut of {}", pct(*p), pct(*cut))).collect();
    out.push_str(&crate::text::wrap_lines(
        &format!("AWS does not publish the cut: {}.", around.join(", ")),
        width,
    ));
    out.push('\n');
    let count = |m| pass.answers.get(&m).copied().unwrap_or(0);
    use crate::model::Mode;
    out.push_str(&format!(
        "From {} answers in mock exams, {} in drills, {} in reviews (repeats and older answers count less).\n",
        count(Mode::Exam),
        count(Mode::Drill),
        count(Mode::Review)
    ));
    if !pass.excluded.is_empty() {
        // The latest few by id: a long history must not print every one.
        let shown = pass.excluded.len().min(EXCLUDED_SHOWN);
        let ids: Vec<String> =
            pass.excluded[pass.excluded.len() - shown..].iter().map(|(id, _)| id.to_string()).collect();
        let which = if shown < pass.excluded_count.max(pass.excluded.len()) {
            format!(
                "{} attempts, the latest {}",
                pass.excluded_count.max(pass.excluded.len()),
                ids.join(", ")
            )
        } else {
            format!("attempt {}", ids.join(", "))
        };
        out.push_str(&crate::text::wrap_lines(
            &format!("Not counted: {which} (a shortened time limit or mostly unanswered)."),
            width,
        ));
        out.push('\n');
    }
    let weakest =
        pass.domains.iter().zip(&exam.blueprint.domains).min_by(|a, b| a.0.mean.total_cmp(&b.0.mean));
    if let Some((ability, domain)) = weakest {
        out.push_str(&format!(
            "Weakest by the model: {} ({} right, likely {}-{}). docs/readiness.md explains the model.\n",
            printable(&domain.name),
            pct(ability.mean),
            pct(ability.low),
            pct(ability.high)
        ));
    }
    crate::text::wrap_lines(&out, width) + "\n"
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exam::assemble::tests_support::sample_exam;
    use crate::study::stats::compute;

    #[test]
    fn sparkline_spans_the_range() {
        let line = sparkline(&[100, 550, 1000], 100, 1000);
        assert!(line == "▁▅█" || line == "_=#", "{line}");
    }

    #[test]
    fn many_excluded_attempts_are_counted_and_the_latest_named() {
        use crate::study::readiness::{Excluded, PassEstimate};
        let exam = sample_exam(&[(100, 3)], 3);
        let mut pass = PassEstimate {
            probability: 0.5,
            low: 0.4,
            high: 0.6,
            cut: 0.72,
            at_cuts: vec![],
            domains: vec![],
            answers: Default::default(),
            excluded: (1..=12).map(|id| (id, Excluded::MostlyUnanswered)).collect(),
            excluded_count: 12,
        };
        let text = render_pass_at(Some(&pass), &exam, 80).split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(
            text.contains("Not counted: 12 attempts, the latest 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 ("),
            "{text}"
        );
        pass.excluded.truncate(2);
        pass.excluded_count = 2;
        let text = render_pass_at(Some(&pass), &exam, 80).split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(text.contains("Not counted: attempt 1, 2 ("), "{text}");
    }

    #[test]
    fn every_pass_probability_line_fits_the_width() {
        let exam = sample_exam(&[(100, 3)], 3);
        for width in [40, 60, 80] {
            let text = render_pass_at(None, &exam, width);
            assert!(text.starts_with("Pass probability: not enough"), "{text}");
            assert!(text.lines().all(|l| l.chars().count() <= width), "{width}:\n{text}");
        }
    }

    #[test]
    fn a_range_whose_ends_round_alike_is_one_figure_and_the_lines_fit() {
        use crate::study::readiness::PassEstimate;
        let exam = sample_exam(&[(100, 3)], 3);
        let pass = |low: f64, high: f64| PassEstimate {
            probability: low,
            low,
            high,
            cut: 0.72,
            at_cuts: vec![(0.67, low), (0.77, low)],
            domains: vec![],
            answers: Default::default(),
            excluded: vec![],
            excluded_count: 0,
        };
        let flat = render_pass_at(Some(&pass(0.001, 0.004)), &exam, 40);
        assert!(
            flat.split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .contains("(0% at both ends of the likely range)"),
            "{flat}"
        );
        assert!(!flat.contains("between"), "{flat}");
        assert!(flat.lines().all(|l| l.chars().count() <= 40), "{flat}");
        let wide = render_pass_at(Some(&pass(0.2, 0.6)), &exam, 80);
        assert!(wide.contains("likely between 20% and 60%"), "{wide}");
    }

    #[test]
    fn an_empty_history_says_an_exam_is_needed() {
        let exam = sample_exam(&[(100, 3)], 3);
        assert!(render(&compute(&exam, &Default::default()), &exam).contains("No mock exam finished yet"));
    }
}
