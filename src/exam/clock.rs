//! Time, injectable: the real clock, or a fake one so tests and scripts are exact.

use std::cell::Cell;
use std::time::{SystemTime, UNIX_EPOCH};

pub use crate::model::Millis;

pub trait Clock {
    fn now(&self) -> Millis;
}

pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Millis {
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
    }
}

/// Starts at `start` and moves on by `step` every time it is read.
pub struct FakeClock {
    next: Cell<Millis>,
    step: Millis,
}

impl FakeClock {
    pub fn new(start: Millis, step: Millis) -> Self {
        FakeClock { next: Cell::new(start), step }
    }

    /// Parses `START` or `START+STEP` (milliseconds).
    pub fn parse(spec: &str) -> Result<Self, String> {
        let bad = || format!("fake clock {spec:?}: expected START_MS or START_MS+STEP_MS");
        let (start, step) = match spec.split_once('+') {
            Some((start, step)) => (start, step),
            None => (spec, "0"),
        };
        let start = start.trim().parse().map_err(|_| bad())?;
        let step = step.trim().parse().map_err(|_| bad())?;
        Ok(FakeClock::new(start, step))
    }
}

impl Clock for FakeClock {
    fn now(&self) -> Millis {
        let now = self.next.get();
        self.next.set(now.saturating_add(self.step));
        now
    }
}

/// One unambiguous format for every duration proctor shows (clock, report, history,
/// show): always hours, minutes and seconds, `0:02:17` (2 min 17 s), `2:10:00`.
pub fn format_duration(millis: Millis) -> String {
    let secs = millis / 1000;
    let (h, m, s) = (secs / 3600, secs / 60 % 60, secs % 60);
    format!("{h}:{m:02}:{s:02}")
}

/// Parses `90s`, `130m`, `2h10m`, `1h` or a bare number of minutes into seconds (what
/// `--time-limit` and the browser's time-limit field take), with a message for people.
pub fn parse_duration(text: &str) -> Result<u64, String> {
    let text = text.trim();
    let invalid = || format!("{text:?} is not a duration: write e.g. 90s, 130m or 2h10m");
    let zero = || {
        format!(
            "a time limit of {text:?} would end the attempt before it starts: give at least 1s, e.g. 90s, 130m or 2h10m (without --time-limit the exam's own limit applies)"
        )
    };
    if text.is_empty() {
        return Err(invalid());
    }
    if text.bytes().all(|b| b.is_ascii_digit()) {
        return match text.parse::<u64>().ok().and_then(|m| m.checked_mul(60)) {
            Some(0) => Err(zero()),
            Some(s) if s <= 7 * 24 * 3600 => Ok(s),
            Some(_) => Err(format!("{text:?} is longer than the 7-day maximum")),
            None => Err(invalid()),
        };
    }
    let mut total: u64 = 0;
    let mut number = String::new();
    let mut last_unit = 4;
    for c in text.chars() {
        if c.is_ascii_digit() {
            number.push(c);
            continue;
        }
        let (unit, rank) = match c {
            'h' => (3600, 0),
            'm' => (60, 1),
            's' => (1, 2),
            _ => return Err(invalid()),
        };
        // Units must come in order, once each: 2h10m, not 10m2h.
        if number.is_empty() || (last_unit != 4 && rank <= last_unit) {
            return Err(invalid());
        }
        last_unit = rank;
        let value: u64 = number.parse().map_err(|_| invalid())?;
        total = value.checked_mul(unit).and_then(|v| total.checked_add(v)).ok_or_else(invalid)?;
        number.clear();
    }
    if !number.is_empty() {
        return Err(invalid());
    }
    if total == 0 {
        return Err(zero());
    }
    if total > 7 * 24 * 3600 {
        return Err(format!("{text:?} is longer than the 7-day maximum"));
    }
    Ok(total)
}

/// Behind the exam's pace: the time left would not cover the questions not yet complete at
/// the paper's time per question, with one question's time to spare (so a single slow
/// question is not yet "behind").
pub fn behind_pace(remaining: Millis, incomplete: usize, per_question: Millis) -> bool {
    remaining.saturating_add(per_question) < per_question.saturating_mul(incomplete as u64)
}

/// Milliseconds as seconds, to a tenth: how times appear in reports and JSON.
pub fn seconds(millis: f64) -> f64 {
    (millis / 100.0).round() / 10.0
}

/// A time limit in words: "130 minutes", "1 minute 30 seconds", "45 seconds".
pub fn human_duration(millis: Millis) -> String {
    let secs = millis / 1000;
    let unit = |n: u64, one: &str| if n == 1 { format!("1 {one}") } else { format!("{n} {one}s") };
    match (secs / 60, secs % 60) {
        (0, s) => unit(s, "second"),
        (m, 0) => unit(m, "minute"),
        (m, s) => format!("{} {}", unit(m, "minute"), unit(s, "second")),
    }
}

/// A countdown: like `format_duration` but rounded up, so "0:00 left" means none.
pub fn format_countdown(millis: Millis) -> String {
    format_duration(millis.saturating_add(999))
}

/// Seconds since the epoch as `YYYY-MM-DDTHH:MM:SSZ` (UTC), without a date crate.
pub fn format_timestamp(millis: Millis) -> String {
    let secs = millis / 1000;
    let days = secs / 86_400;
    let rem = secs % 86_400;
    // Civil-from-days (Howard Hinnant's algorithm).
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z", rem / 3600, rem / 60 % 60, rem % 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn behind_pace_only_past_one_questions_grace() {
        // 65 questions in 130 minutes: two minutes each.
        let per = 120_000;
        assert!(!behind_pace(130 * 60_000, 65, per), "at the start");
        assert!(!behind_pace(130 * 60_000 - 100_000, 65, per), "a slow first question");
        assert!(behind_pace(130 * 60_000 - 121_000, 65, per), "more than a question behind");
        assert!(!behind_pace(10 * 60_000, 5, per), "caught up");
        assert!(!behind_pace(0, 0, per), "nothing left to do");
    }

    #[test]
    fn fake_clock_steps() {
        let clock = FakeClock::parse("1000+250").unwrap();
        assert_eq!((clock.now(), clock.now(), clock.now()), (1000, 1250, 1500));
        assert!(FakeClock::parse("soon").is_err());
    }

    #[test]
    fn formats() {
        assert_eq!(format_duration(59_999), "0:00:59");
        assert_eq!(format_duration(137_000), "0:02:17");
        assert_eq!(format_duration(7_800_000), "2:10:00");
        assert_eq!(format_countdown(500), "0:00:01");
        assert_eq!(format_countdown(0), "0:00:00");
        assert_eq!(human_duration(7_800_000), "130 minutes");
        assert_eq!(human_duration(60_000), "1 minute");
        assert_eq!(human_duration(90_000), "1 minute 30 seconds");
        assert_eq!(human_duration(15_000), "15 seconds");
        assert_eq!(format_timestamp(0), "1970-01-01T00:00:00Z");
        assert_eq!(format_timestamp(1_795_000_000_000), "2026-11-18T11:06:40Z");
    }
}
