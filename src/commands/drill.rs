//! `proctor drill EXAM`: untimed practice with immediate feedback, preferring questions
//! never seen and recently missed (study::select).

use super::attempt::{RunOptions, begin, fresh_seed};
use crate::config::Config;
use crate::error::{Error, Result};
use crate::exam::assemble::assemble_set;
use crate::exam::clock::human_duration;
use crate::store::Store;
use crate::study::select::{drill_choice, filter};

pub struct DrillOptions {
    pub exam: String,
    pub domains: Vec<String>,
    pub tags: Vec<String>,
    pub count: usize,
    pub seed: Option<u64>,
    pub time_limit_secs: Option<u64>,
    pub json: bool,
}

pub fn run(config: &Config, options: &DrillOptions) -> Result<i32> {
    let catalog = config.catalog()?;
    let exam = catalog.load_by_id(&options.exam)?;
    let domains: Vec<String> = options.domains.iter().map(|d| d.to_ascii_lowercase()).collect();
    for domain in &domains {
        if exam.blueprint.domain(domain).is_none() {
            let known: Vec<&str> = exam.blueprint.domains.iter().map(|d| d.id.as_str()).collect();
            return Err(Error::Usage(format!(
                "exam {} has no domain {domain:?}; its domains: {}",
                exam.blueprint.id,
                known.join(", ")
            )));
        }
    }
    let candidates = filter(&exam, &domains, &options.tags);
    if candidates.is_empty() {
        return Err(Error::Usage("no questions match those domains and tags".into()));
    }
    let clock = config.clock()?;
    let mut store = Store::open(&config.data_dir()?)?;
    let seed = options.seed.unwrap_or_else(|| fresh_seed(clock.now()));
    let history = store.question_history(&exam.blueprint.id)?;
    let chosen = drill_choice(&candidates, &history, seed, options.count.max(1));
    let paper = assemble_set(&exam, &chosen, seed);
    let unseen = chosen.iter().filter(|id| !history.contains_key(*id)).count();
    let scope = if domains.is_empty() { "all domains".to_string() } else { domains.join(", ") };
    let intro = format!(
        "{} drill ({scope}), seed {seed}: {} questions, {unseen} never seen before. {}.\n\
         Answer with letters; feedback follows each answer. `quit` saves and leaves.\n",
        crate::text::printable(&exam.blueprint.code),
        paper.items.len(),
        options
            .time_limit_secs
            .map_or("Untimed".to_string(), |s| format!("Time limit {}", human_duration(s * 1000))),
    );
    let run = RunOptions { intro: &intro, hide_domain: false, json: options.json };
    begin(
        &exam,
        &mut store,
        &*clock,
        "drill",
        seed,
        &paper.items,
        options.time_limit_secs.map(|s| s * 1000),
        &run,
    )
}
