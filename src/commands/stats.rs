//! `proctor stats [EXAM]`: per-domain accuracy and trend, readiness, pace, most missed.

use std::io::Write;

use crate::app::room::Series;
use crate::bank::Exam;
use crate::cli::StatsArgs;
use crate::config::Config;
use crate::error::Result;
use crate::json::{self, ExamStats, PassProbability};
use crate::store::Store;
use crate::study::readiness::PassEstimate;
use crate::study::stats::Stats;

pub fn run(config: &Config, args: &StatsArgs, out: &mut dyn Write) -> Result<()> {
    // Reading statistics creates nothing.
    let store = Store::open_existing(&config.data_dir()?)?;
    let catalog = config.catalog()?;
    // Without EXAM: every loaded exam that has attempts.
    let ids: Vec<String> = match &args.exam {
        Some(id) => vec![catalog.find(id)?.blueprint.id.clone()],
        None => {
            let mut ids = match &store {
                Some(store) => store.exams_with_attempts()?,
                None => Vec::new(),
            };
            ids.retain(|id| catalog.find(id).is_ok());
            ids
        }
    };
    let now = config.clock()?.now();
    let mut all: Vec<(Stats, Exam, Option<PassEstimate>)> = Vec::new();
    for id in &ids {
        // People read the newest points of each series; scripts get every one.
        let series = if args.json { Series::All } else { Series::Newest };
        let (stats, exam, pass) = crate::app::room::exam_stats(&catalog, store.as_ref(), id, now, series)?;
        if let Some(notice) = &stats.notice {
            eprintln!("proctor: note: {}", crate::text::printable_line(notice));
        }
        all.push((stats, exam, pass));
    }
    if args.json {
        let list: Vec<ExamStats> = all
            .iter()
            .map(|(s, _, pass)| ExamStats {
                pass_probability: pass.as_ref().map(PassProbability::of),
                ..ExamStats::of(s)
            })
            .collect();
        match (&args.exam, list.first()) {
            (Some(_), Some(one)) => json::write(out, one)?,
            _ => json::write(out, &list)?,
        }
        return Ok(());
    }
    // Only possible without EXAM (a named exam always gets its block).
    if all.is_empty() {
        writeln!(out, "No attempts yet. Start with `proctor exam saa-c03` (see `proctor list`).")?;
        return Ok(());
    }
    for (i, (s, exam, pass)) in all.iter().enumerate() {
        if i > 0 {
            writeln!(out)?;
        }
        write!(out, "{}", crate::ui::stats::render(s, exam))?;
        write!(out, "{}", crate::ui::stats::render_pass(pass.as_ref(), exam))?;
    }
    Ok(())
}
