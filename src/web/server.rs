//! The HTTP side: one tokio thread, one handler that checks the host and the token and
//! routes by path. Requests are handled one at a time under one lock (one candidate, one
//! local browser), which is also what keeps an attempt's writes in order.

use std::collections::HashMap;
use std::io::Write;
use std::net::Ipv4Addr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use maud::Markup;

use super::pages::{self, Ctx};
use super::{random_hex, same};
use crate::app::attempt::{Attempt, Outcome};
use crate::app::room::{Room, Standing};
use crate::app::start::{DrillRequest, ExamRequest, MissedFrom, ReviewRequest, ReviewStart};
use crate::error::{Error, NextStep, Result};
use crate::exam::clock::{Clock, Millis, SystemClock, parse_duration};
use crate::exam::item::{Response as Answer, Shape};
use crate::exam::session::{Action, Refusal};
use crate::model::{Confidence, ReviewFilter};

const STYLE: &str = include_str!("assets/style.css");
const SCRIPT: &str = include_str!("assets/app.js");

/// Nothing but our own files, no inline script or style, no frames, forms only to us.
const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; \
                   connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

pub struct ServeOptions {
    /// 0: any free port.
    pub port: u16,
    pub open: bool,
}

/// One open attempt and the tab that holds it.
struct Seat {
    seat: String,
    attempt: Attempt,
    /// A message for the next page (a refused answer, ...).
    note: Option<String>,
    /// A multiple-response choice not saved yet (one of two boxes ticked, then Strike):
    /// the question's position and the ticked letters, shown ticked on the next page.
    pending: Option<(usize, Vec<usize>)>,
    /// The "behind pace" cue (`proctor exam --pace`): a choice of this tab, not stored.
    pace: bool,
    /// Notes typed on a question (by position) but not sent yet: the page was sent by
    /// another button (or by saving an answer as it was chosen), so the text is kept and
    /// shown again on that question instead of being lost with the reload.
    drafts: HashMap<usize, String>,
}

struct Shared {
    room: Room,
    token: String,
    port: u16,
    seats: HashMap<i64, Seat>,
}

type AppState = Arc<Mutex<Shared>>;

fn now() -> Millis {
    SystemClock.now()
}

/// Runs the server until the process is stopped; prints the address first.
pub fn serve(room: Room, options: ServeOptions, out: &mut dyn Write) -> Result<()> {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_io().enable_time().build()?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind((Ipv4Addr::LOCALHOST, options.port))
            .await
            .map_err(|e| Error::Usage(format!("cannot listen on 127.0.0.1:{}: {e}", options.port)))?;
        let port = listener.local_addr()?.port();
        let token = random_hex(2)?;
        let url = format!("http://127.0.0.1:{port}/{token}/");
        writeln!(
            out,
            "The proctor exam room is open at\n  {url}\n\
             Only this computer can reach it, and only with this address. \
             Every answer is saved as you go; press Ctrl-C here to stop the server."
        )?;
        out.flush()?;
        if options.open {
            open_browser(&url);
        }
        let state: AppState = Arc::new(Mutex::new(Shared { room, token, port, seats: HashMap::new() }));
        tokio::spawn(end_at_deadlines(state.clone()));
        let app = axum::Router::new().fallback(handle).with_state(state);
        axum::serve(listener, app).await?;
        Ok(())
    })
}

/// Opens the default browser; if that fails the printed address is still there.
fn open_browser(url: &str) {
    let program = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    let _ = std::process::Command::new(program)
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
}

/// Ends every open timed attempt once its deadline passes, whether or not its tab asks.
async fn end_at_deadlines(state: AppState) {
    let mut tick = tokio::time::interval(Duration::from_secs(1));
    loop {
        tick.tick().await;
        let mut shared = state.lock().unwrap_or_else(|p| p.into_inner());
        let now = now();
        let mut failed = Vec::new();
        for (id, seat) in shared.seats.iter_mut() {
            let attempt = &mut seat.attempt;
            if attempt.finished().is_none()
                && attempt.is_over_time(now)
                && let Err(e) = attempt.end_at_deadline(now)
            {
                eprintln!("error: attempt {id}: {}", crate::text::printable(&e.to_string()));
                failed.push(*id);
            }
        }
        // Said once: the attempt leaves this server (its tab is told it is not open here,
        // and resuming it reports the error again).
        for id in failed {
            shared.seats.remove(&id);
        }
    }
}

enum Reply {
    Page(StatusCode, Markup),
    Redirect(String),
    Asset(&'static str, &'static str),
    Refused(StatusCode, &'static str),
    /// A page that exists, asked for with another method: 405 and the methods it takes.
    WrongMethod(&'static str),
}

impl IntoResponse for Reply {
    fn into_response(self) -> Response {
        let mut response = match self {
            Reply::Page(status, markup) => {
                (status, [(header::CONTENT_TYPE, "text/html; charset=utf-8")], markup.into_string())
                    .into_response()
            }
            Reply::Redirect(to) => (StatusCode::SEE_OTHER, [(header::LOCATION, to)]).into_response(),
            Reply::Asset(kind, body) => {
                (StatusCode::OK, [(header::CONTENT_TYPE, kind)], body).into_response()
            }
            Reply::Refused(status, why) => {
                (status, [(header::CONTENT_TYPE, "text/plain; charset=utf-8")], why).into_response()
            }
            Reply::WrongMethod(allow) => (
                StatusCode::METHOD_NOT_ALLOWED,
                [(header::CONTENT_TYPE, "text/plain; charset=utf-8"), (header::ALLOW, allow)],
                format!("Method not allowed: this page takes {allow}.\n"),
            )
                .into_response(),
        };
        let headers = response.headers_mut();
        headers.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP));
        headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
        // The token is in every URL: never send it to a documentation site. (`no-referrer`
        // would also make the browser send `Origin: null` on our own forms.)
        headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("same-origin"));
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
        response
    }
}

async fn handle(
    State(state): State<AppState>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let mut shared = state.lock().unwrap_or_else(|p| p.into_inner());
    shared.route(&method, &uri, &headers, &body).into_response()
}

fn query(uri: &Uri) -> Vec<(String, String)> {
    form_urlencoded::parse(uri.query().unwrap_or("").as_bytes()).into_owned().collect()
}

fn field<'a>(form: &'a [(String, String)], name: &str) -> Option<&'a str> {
    form.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
}

/// A start form's field as typed, `None` when left empty.
fn typed<'a>(form: &'a [(String, String)], name: &str) -> Option<&'a str> {
    field(form, name).map(str::trim).filter(|v| !v.is_empty())
}

/// A ticked checkbox.
fn ticked(form: &[(String, String)], name: &str) -> bool {
    field(form, name).is_some_and(|v| !v.is_empty())
}

/// A start form refused: what was wrong and, when it is one field, which (the page marks
/// that field invalid and points it at the message).
struct Refused {
    error: Error,
    field: Option<&'static str>,
}

impl From<Error> for Refused {
    fn from(error: Error) -> Refused {
        Refused { error, field: None }
    }
}

/// The error is about form field `field`.
fn at(field: &'static str) -> impl FnOnce(Error) -> Refused {
    move |error| Refused { error, field: Some(field) }
}

/// The start forms' seed: empty for a new one, else what `--seed` takes.
fn form_seed(form: &[(String, String)]) -> Result<Option<u64>> {
    typed(form, "seed")
        .map(|text| {
            text.parse::<u64>().map_err(|_| {
                Error::Usage(format!(
                    "the seed must be a whole number from 0 to {}, not {text:?}; leave it empty for a new paper",
                    u64::MAX
                ))
            })
        })
        .transpose()
}

/// The start forms' time limit: empty for the default, else what `--time-limit` takes.
fn form_time_limit(form: &[(String, String)]) -> Result<Option<Millis>> {
    typed(form, "time_limit")
        .map(|text| {
            parse_duration(text).map(|s| s * 1000).map_err(|e| Error::Usage(format!("time limit: {e}")))
        })
        .transpose()
}

fn letter_index(text: &str) -> Option<usize> {
    let mut chars = text.chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) if c.is_ascii_alphabetic() => Some(usize::from(c.to_ascii_uppercase() as u8 - b'A')),
        _ => None,
    }
}

/// The answer the form shows, in the question's shape; `None` when nothing is chosen.
fn read_answer(form: &[(String, String)], shape: Shape) -> Option<Answer> {
    match shape {
        Shape::Choice { .. } => {
            let mut chosen: Vec<usize> =
                form.iter().filter(|(k, _)| k == "choice").filter_map(|(_, v)| letter_index(v)).collect();
            chosen.sort_unstable();
            chosen.dedup();
            (!chosen.is_empty()).then_some(Answer::Choice(chosen))
        }
        Shape::Ordering { need, .. } => {
            let steps: Vec<usize> =
                (1..=need).filter_map(|n| field(form, &format!("step{n}")).and_then(letter_index)).collect();
            (!steps.is_empty()).then_some(Answer::Ordering(steps))
        }
        Shape::Matching { prompts, .. } => {
            let pairs: Vec<Option<usize>> =
                (1..=prompts).map(|n| field(form, &format!("match{n}")).and_then(letter_index)).collect();
            pairs.iter().any(Option::is_some).then_some(Answer::Matching(pairs))
        }
    }
}

/// The methods the page at `path` (after the token) takes, if there is such a page; kept
/// beside `route`'s table.
fn methods_of(path: &[&str]) -> Option<&'static str> {
    Some(match path {
        [] | ["static", "style.css" | "app.js"] | ["history"] | ["show", _] | ["stats", _] => "GET, HEAD",
        ["exam", _] | ["a", _, _] => "GET, HEAD, POST",
        ["drill", _] | ["resume", _] | ["review"] => "POST",
        _ => return None,
    })
}

fn parse_filter(text: &str) -> Option<ReviewFilter> {
    Some(match text {
        "all" => ReviewFilter::All,
        "complete" => ReviewFilter::Complete,
        "incomplete" => ReviewFilter::Incomplete,
        "unseen" => ReviewFilter::Unseen,
        "flagged" => ReviewFilter::Flagged,
        _ => return None,
    })
}

impl Shared {
    fn ctx(&self) -> Ctx {
        Ctx { prefix: format!("/{}", self.token) }
    }

    fn route(&mut self, method: &Method, uri: &Uri, headers: &HeaderMap, body: &[u8]) -> Reply {
        // Only our own address: a page elsewhere that rebinds a name to 127.0.0.1 is refused.
        let host = headers.get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("");
        if host != format!("127.0.0.1:{}", self.port) && host != format!("localhost:{}", self.port) {
            return Reply::Refused(
                StatusCode::FORBIDDEN,
                "Forbidden: proctor answers only its own address.\n",
            );
        }
        let mut segments = uri.path().split('/').filter(|s| !s.is_empty());
        if !segments.next().is_some_and(|t| same(t, &self.token)) {
            return Reply::Refused(
                StatusCode::FORBIDDEN,
                "Forbidden: this address does not carry the key of the running `proctor serve`. \
                 Each start of `proctor serve` makes a new key: if it was restarted since this page \
                 was opened, open the address it printed now. Answers already given are saved; \
                 an open attempt continues from the home page (Resume).\n",
            );
        }
        if method == Method::POST
            && let Some(origin) = headers.get(header::ORIGIN).and_then(|h| h.to_str().ok())
            && origin != format!("http://127.0.0.1:{}", self.port)
            && origin != format!("http://localhost:{}", self.port)
        {
            return Reply::Refused(StatusCode::FORBIDDEN, "Forbidden: a form from another site.\n");
        }
        let rest: Vec<&str> = segments.collect();
        // HEAD is GET without the body (hyper leaves the body out).
        let method = if method == Method::HEAD { &Method::GET } else { method };
        let form: Vec<(String, String)> = form_urlencoded::parse(body).into_owned().collect();
        let result = match (method, rest.as_slice()) {
            (&Method::GET, []) => self.home(),
            (&Method::GET, ["static", "style.css"]) => Ok(Reply::Asset("text/css; charset=utf-8", STYLE)),
            (&Method::GET, ["static", "app.js"]) => {
                Ok(Reply::Asset("text/javascript; charset=utf-8", SCRIPT))
            }
            (&Method::GET, ["exam", id]) => self.start_screen(id),
            (&Method::POST, ["exam", id]) => {
                let started = self.begin_exam(id, &form);
                self.or_start_again(started, id, "exam", &form)
            }
            (&Method::POST, ["drill", id]) => {
                let started = self.begin_drill(id, &form);
                self.or_start_again(started, id, "drill", &form)
            }
            (&Method::POST, ["resume", id]) => self.resume(id),
            (&Method::POST, ["review"]) => {
                let started = self.begin_review(&form);
                match typed(&form, "exam") {
                    Some(exam) => self.or_start_again(started, exam, "review", &form),
                    None => started.map_err(|r| r.error),
                }
            }
            (&Method::GET, ["a", id, seat]) => self.attempt_page(id, seat, &query(uri)),
            (&Method::POST, ["a", id, seat]) => self.attempt_action(id, seat, &form),
            (&Method::GET, ["history"]) => self.history(&query(uri)),
            (&Method::GET, ["show", id]) => self.show(id),
            (&Method::GET, ["stats", id]) => self.stats(id),
            (_, path) => match methods_of(path) {
                Some(allow) => Ok(Reply::WrongMethod(allow)),
                None => Ok(Reply::Page(
                    StatusCode::NOT_FOUND,
                    pages::message(&self.ctx(), "Not found", "There is no such page."),
                )),
            },
        };
        result.unwrap_or_else(|e| match &e {
            Error::NeedsFirst { step, .. } => {
                Reply::Page(error_status(&e), pages::needs_first(&self.ctx(), &browser_words(&e), step))
            }
            _ => Reply::Page(
                error_status(&e),
                pages::message(&self.ctx(), "That did not work", &e.to_string()),
            ),
        })
    }

    /// A start form that could not start: its start screen again, with the values sent and
    /// what was wrong beside that form.
    fn or_start_again(
        &self,
        started: std::result::Result<Reply, Refused>,
        exam: &str,
        which: &str,
        form: &[(String, String)],
    ) -> Result<Reply> {
        let Refused { error, field } = match started {
            Ok(reply) => return Ok(reply),
            Err(refused) => refused,
        };
        // An exam that does not exist has no start screen: the plain error page.
        let Ok(blueprint) = self.room.blueprint(exam) else { return Err(error) };
        let problem = pages::FormProblem { form: which, field, message: browser_words(&error), values: form };
        Ok(Reply::Page(error_status(&error), pages::start(&self.ctx(), blueprint, Some(&problem))))
    }

    fn home(&self) -> Result<Reply> {
        let unfinished = self.room.unfinished()?;
        Ok(Reply::Page(StatusCode::OK, pages::home(&self.ctx(), &self.room.exams(), &unfinished)))
    }

    fn start_screen(&self, id: &str) -> Result<Reply> {
        let blueprint = self.room.blueprint(id)?;
        Ok(Reply::Page(StatusCode::OK, pages::start(&self.ctx(), blueprint, None)))
    }

    /// Seats `attempt` for a new tab and sends the browser to it.
    fn seat(&mut self, mut attempt: Attempt, pace: bool) -> Result<Reply> {
        attempt.set_stay_on_answer(true);
        let id = attempt.recorded_id()?;
        let seat = random_hex(1)?;
        let to = format!("{}/a/{id}/{seat}", self.ctx().prefix);
        self.seats
            .insert(id, Seat { seat, attempt, note: None, pending: None, pace, drafts: HashMap::new() });
        Ok(Reply::Redirect(to))
    }

    /// A mock exam from the start screen's form: the same choices as `proctor exam`'s
    /// flags, checked here and by `app::start` as they are for the terminal.
    fn begin_exam(&mut self, id: &str, form: &[(String, String)]) -> std::result::Result<Reply, Refused> {
        let seed = form_seed(form).map_err(at("seed"))?;
        let time_limit_ms = form_time_limit(form).map_err(at("time_limit"))?;
        let include_seen = ticked(form, "include_seen");
        let missed = match field(form, "paper").unwrap_or("fresh") {
            "fresh" => {
                if let Some(text) = typed(form, "missed_attempt") {
                    return Err(at("missed_attempt")(Error::Usage(format!(
                        "an attempt to retake ({text:?}) was given, but a fresh paper was chosen: \
                         choose \"Only the scored questions I missed\" to retake it"
                    ))));
                }
                None
            }
            "missed" => Some(match typed(form, "missed_attempt") {
                None => MissedFrom::Latest,
                Some(text) => match text.parse::<i64>() {
                    Ok(n) if n > 0 => MissedFrom::Attempt(n),
                    _ => {
                        return Err(at("missed_attempt")(Error::Usage(format!(
                            "the mock exam to retake must be an attempt number, as History shows it, not {text:?}"
                        ))));
                    }
                },
            }),
            other => return Err(Error::Usage(format!("unknown choice of questions {other:?}")).into()),
        };
        if missed.is_some() && include_seen {
            return Err(Error::Usage(
                "\"Include questions seen before\" draws a fresh paper; a retake asks only the missed questions: \
                 choose one of the two"
                    .into(),
            )
            .into());
        }
        // By default as on the real exam: domains hidden, unscored items mixed in, and a
        // fresh paper (unseen questions first), as `proctor exam` draws it.
        let request = ExamRequest {
            exam: id,
            seed,
            time_limit_ms,
            unscored: !ticked(form, "all_scored"),
            hide_domain: !ticked(form, "show_domain"),
            include_seen,
            missed,
        };
        let prepared = self.room.prepare_exam(&request, now())?;
        let attempt = prepared.begin(now())?;
        Ok(self.seat(attempt, ticked(form, "pace"))?)
    }

    fn begin_drill(&mut self, id: &str, form: &[(String, String)]) -> std::result::Result<Reply, Refused> {
        let domains: Vec<String> =
            form.iter().filter(|(k, _)| k == "domain").map(|(_, v)| v.clone()).collect();
        let count = match field(form, "count").unwrap_or("10").trim().parse::<usize>() {
            Ok(n) if (1..=1000).contains(&n) => n,
            _ => {
                return Err(at("count")(Error::Usage(
                    "the number of questions must be a whole number from 1 to 1000".into(),
                )));
            }
        };
        let tags: Vec<String> = field(form, "tags")
            .unwrap_or("")
            .split(',')
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(str::to_string)
            .collect();
        let seed = form_seed(form).map_err(at("seed"))?;
        let time_limit_ms = form_time_limit(form).map_err(at("time_limit"))?;
        let request = DrillRequest { exam: id, domains: &domains, tags: &tags, count, seed, time_limit_ms };
        let started = self.room.start_drill(&request, now())?;
        Ok(self.seat(started.attempt, false)?)
    }

    /// The review queue's due questions (of one exam, or the one with most waiting), or the
    /// misses of one finished attempt.
    fn begin_review(&mut self, form: &[(String, String)]) -> std::result::Result<Reply, Refused> {
        let attempt = field(form, "attempt").map(parse_id).transpose()?;
        let exam = field(form, "exam").filter(|e| !e.is_empty());
        let all = ticked(form, "all");
        if all && attempt.is_some() {
            return Err(Error::Usage(
                "\"every question still being learned\" is for the review queue, not one attempt's misses"
                    .into(),
            )
            .into());
        }
        let request = ReviewRequest { exam, all, attempt, seed: form_seed(form).map_err(at("seed"))? };
        match self.room.start_review(&request, now())? {
            ReviewStart::Started { mut attempt, unfinished, .. } => {
                let id = attempt.recorded_id()?;
                let reply = self.seat(*attempt, false)?;
                if let (Some(open), Some(held)) = (unfinished, self.seats.get_mut(&id)) {
                    held.note = Some(format!(
                        "Review {open} is unfinished: Resume it from the home page to finish it."
                    ));
                }
                Ok(reply)
            }
            ReviewStart::NothingDue { cards, .. } => {
                let learning = cards.iter().filter(|c| !c.learned).count();
                let next = cards.iter().filter(|c| !c.learned).map(|c| c.due_at).min();
                Ok(Reply::Page(StatusCode::OK, pages::nothing_due(&self.ctx(), learning, next)))
            }
        }
    }

    fn resume(&mut self, id: &str) -> Result<Reply> {
        let id = parse_id(id)?;
        // Open here already (another tab, or this one after a restart of the browser): move it.
        if let Some(seat) = self.seats.remove(&id) {
            return self.seat(seat.attempt, seat.pace);
        }
        let attempt = self.room.resume(id, now())?;
        self.seat(attempt, false)
    }

    /// The newest `pages::HISTORY_PAGE` attempts, or every one with `?all=1`.
    fn history(&self, query: &[(String, String)]) -> Result<Reply> {
        let all = ticked(query, "all");
        let (history, total) = self.room.history((!all).then_some(pages::HISTORY_PAGE))?;
        Ok(Reply::Page(StatusCode::OK, pages::history(&self.ctx(), &history, total)))
    }

    fn stats(&self, id: &str) -> Result<Reply> {
        let (stats, exam, pass) = self.room.stats(id, now())?;
        Ok(Reply::Page(StatusCode::OK, pages::stats(&self.ctx(), &stats, &exam.blueprint, pass.as_ref())))
    }

    fn show(&self, id: &str) -> Result<Reply> {
        let past = self.room.past(parse_id(id)?)?;
        Ok(Reply::Page(StatusCode::OK, pages::show(&self.ctx(), &past)))
    }

    /// The seat of attempt `id` if `seat` holds it, else the page that says why not.
    fn seated(&mut self, id: i64, seat: &str) -> Result<std::result::Result<&mut Seat, Reply>> {
        let ctx = self.ctx();
        if !self.seats.contains_key(&id) {
            // Not open in this server: say what the store knows of it.
            let reply = match self.room.standing(id)? {
                Standing::Unfinished => Reply::Page(StatusCode::CONFLICT, pages::not_open(&ctx, id)),
                Standing::Finished => Reply::Page(StatusCode::CONFLICT, pages::finished_elsewhere(&ctx, id)),
                Standing::Missing => Reply::Page(StatusCode::NOT_FOUND, pages::no_attempt(&ctx, id)),
            };
            return Ok(Err(reply));
        }
        Ok(match self.seats.get_mut(&id) {
            Some(held) if same(&held.seat, seat) => Ok(held),
            _ => Err(Reply::Page(StatusCode::CONFLICT, pages::other_tab(&ctx, id))),
        })
    }

    fn attempt_page(&mut self, id: &str, seat: &str, query: &[(String, String)]) -> Result<Reply> {
        let id = parse_id(id)?;
        let ctx = self.ctx();
        let held = match self.seated(id, seat)? {
            Ok(held) => held,
            Err(reply) => return Ok(reply),
        };
        let base = format!("{}/a/{id}/{seat}", ctx.prefix);
        let now = now();
        let attempt = &mut held.attempt;
        if attempt.finished().is_none() && attempt.is_over_time(now) {
            attempt.end_at_deadline(now)?;
        }
        if let Some(finished) = attempt.finished() {
            let last = attempt.feedback(attempt.position());
            let blueprint = attempt.exam().blueprint.clone();
            return Ok(Reply::Page(
                StatusCode::OK,
                pages::report(&ctx, &blueprint, &finished.report, last.as_ref()),
            ));
        }
        let note = held.note.take();
        let attempt = &mut held.attempt;
        let code = attempt.exam().blueprint.code.clone();
        if field(query, "confirm") == Some("end") {
            let status = attempt.status(now);
            let unanswered = attempt.unanswered_count();
            return Ok(Reply::Page(
                StatusCode::OK,
                pages::confirm_end(&ctx, &base, &code, &status, unanswered, attempt.mode(), note.as_deref()),
            ));
        }
        if let Some(filter) = field(query, "review").and_then(parse_filter) {
            let grid = attempt.review_grid(filter);
            let status = attempt.status(now);
            return Ok(Reply::Page(
                StatusCode::OK,
                pages::review(&ctx, &base, &code, attempt.mode(), &grid, &status, note.as_deref()),
            ));
        }
        let mut view = attempt.present(now)?;
        // A choice the engine could not take yet stays ticked on screen, as it was.
        if let Some((position, letters)) = held.pending.take()
            && position + 1 == view.number
            && let crate::app::view::BodyView::Choice { options, .. } = &mut view.body
        {
            for (i, option) in options.iter_mut().enumerate() {
                option.chosen = letters.contains(&i);
            }
        }
        let attempt = &mut held.attempt;
        let status = attempt.status(now);
        let feedback = attempt.feedback(attempt.position());
        let pace = if held.pace { attempt.pace_budget() } else { None };
        let draft = held.drafts.get(&attempt.position()).map(String::as_str);
        Ok(Reply::Page(
            StatusCode::OK,
            pages::question(
                &ctx,
                &base,
                &code,
                attempt.mode(),
                &view,
                &status,
                feedback.as_ref(),
                note.as_deref(),
                pace,
                draft,
            ),
        ))
    }

    fn attempt_action(&mut self, id: &str, seat: &str, form: &[(String, String)]) -> Result<Reply> {
        let id = parse_id(id)?;
        let ctx = self.ctx();
        let base = format!("{}/a/{id}/{seat}", ctx.prefix);
        let held = match self.seated(id, seat)? {
            Ok(held) => held,
            Err(reply) => return Ok(reply),
        };
        let now = now();
        let back = Reply::Redirect(base.clone());
        if held.attempt.finished().is_some() {
            return Ok(back);
        }
        let what = field(form, "do").unwrap_or("save");
        // A note on the question on screen, before its answer is saved (a drill's last
        // answer ends the attempt); the answer on screen is then saved as for any button.
        let position = held.attempt.position();
        let typed = field(form, "report").unwrap_or("");
        if what == "report" {
            let number = position + 1;
            let said = match held.attempt.report(typed, now)? {
                Ok(_) => {
                    held.drafts.remove(&position);
                    format!("Question {number}: note saved for the bank's authors. Thank you.")
                }
                Err(refusal) => format!("Question {number}: {refusal}"),
            };
            held.note = Some(said);
        } else if field(form, "report").is_some() {
            // Sent by another button: the note waits on its question (bounded: it is input).
            if typed.trim().is_empty() {
                held.drafts.remove(&position);
            } else {
                let kept: String = typed.chars().take(2 * crate::app::notes::MAX_NOTE_CHARS).collect();
                held.drafts.insert(position, kept);
            }
        }
        // First the answer on screen, so Next, Flag or Review never lose a click.
        if field(form, "answering").is_some() {
            let shown = read_answer(form, held.attempt.current_shape());
            // The optional "How sure are you?" mark, sent with the answer.
            let sure = field(form, "sure").and_then(Confidence::parse);
            let changed = |current: Option<&Answer>| {
                current != shown.as_ref() || held.attempt.current_confidence() != sure
            };
            let action = match (&shown, held.attempt.current_response()) {
                (Some(answer), current) if changed(current) => Some(match sure {
                    Some(confidence) => Action::RatedAnswer(answer.clone(), confidence),
                    None => Action::Answer(answer.clone()),
                }),
                (None, Some(_)) => Some(Action::Clear),
                _ => None,
            };
            if let Some(action) = action {
                let position = held.attempt.position();
                let number = position + 1;
                if let Some(Answer::Choice(letters)) = &shown {
                    held.pending = Some((position, letters.clone()));
                }
                let outcome = held.attempt.apply(action, now)?;
                if !matches!(outcome, Outcome::Refused(Refusal::Answer(_))) {
                    held.pending = None;
                }
                match outcome {
                    // Not saved (two of three checkboxes, say): said on the next page; moving
                    // on is still allowed, as on the real exam.
                    Outcome::Refused(refusal) => {
                        let refused = format!("Question {number}: {}", pages::refusal(&refusal));
                        held.note = Some(match held.note.take() {
                            Some(first) => format!("{first} {refused}"),
                            None => refused,
                        });
                    }
                    Outcome::Finished(_) | Outcome::Answered { finished: Some(_), .. } => return Ok(back),
                    _ => {}
                }
            }
        }
        let action = match what {
            "save" | "report" => None,
            "next" => Some(Action::Next),
            "prev" => Some(Action::Prev),
            "flag" => Some(Action::Flag),
            "submit" => Some(Action::Submit),
            "review" => return Ok(Reply::Redirect(format!("{base}?review=all"))),
            "end" => return Ok(Reply::Redirect(format!("{base}?confirm=end"))),
            "quit" => {
                held.attempt.quit(now)?;
                self.seats.remove(&id);
                return Ok(Reply::Redirect(format!("{}/", ctx.prefix)));
            }
            other => {
                if let Some(letter) = other.strip_prefix("strike:").and_then(letter_index) {
                    Some(Action::Strike(vec![letter]))
                } else if let Some(n) = other.strip_prefix("goto:").and_then(|n| n.parse().ok()) {
                    Some(Action::Goto(n))
                } else if let Some(n) = other.strip_prefix("flagat:").and_then(|n| n.parse().ok()) {
                    held.attempt.apply(Action::FlagAt(n), now)?;
                    let filter = field(form, "filter").filter(|f| parse_filter(f).is_some()).unwrap_or("all");
                    return Ok(Reply::Redirect(format!("{base}?review={filter}")));
                } else {
                    return Err(Error::Usage(format!("unknown action {other:?}")));
                }
            }
        };
        if let Some(action) = action
            && let Outcome::Refused(refusal) = held.attempt.apply(action, now)?
        {
            let note = pages::refusal(&refusal);
            held.note = Some(match held.note.take() {
                Some(first) => format!("{first} {note}"),
                None => note,
            });
        }
        Ok(back)
    }
}

/// An error as the browser says it: what to do next is a button or a place to go, not a
/// command to type.
fn browser_words(e: &Error) -> String {
    match e {
        Error::NeedsFirst { problem, step: NextStep::Resume(_) } => {
            format!("{problem}: finish it first (Resume it from the home page).")
        }
        Error::NeedsFirst { problem, step: NextStep::Exam(_) } => {
            format!("{problem}: take a mock exam of it first.")
        }
        other => other.to_string(),
    }
}

fn error_status(e: &Error) -> StatusCode {
    match e {
        Error::Usage(_) | Error::Bank(_) | Error::NeedsFirst { .. } => StatusCode::BAD_REQUEST,
        Error::Store(_) => StatusCode::CONFLICT,
        _ => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

fn parse_id(text: &str) -> Result<i64> {
    text.parse().map_err(|_| Error::Usage("that is not an attempt number".into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn start_form_values_are_read_as_the_terminal_reads_its_flags() {
        assert_eq!(form_seed(&form(&[("seed", " 42 ")])).unwrap(), Some(42));
        assert_eq!(form_seed(&form(&[("seed", "")])).unwrap(), None);
        assert_eq!(form_seed(&form(&[])).unwrap(), None);
        let bad = form_seed(&form(&[("seed", "-3")])).unwrap_err().to_string();
        assert!(bad.contains("the seed must be a whole number") && bad.contains("\"-3\""), "{bad}");
        assert_eq!(form_time_limit(&form(&[("time_limit", "2h10m")])).unwrap(), Some(7_800_000));
        assert_eq!(form_time_limit(&form(&[("time_limit", "90")])).unwrap(), Some(5_400_000));
        assert_eq!(form_time_limit(&form(&[("time_limit", "  ")])).unwrap(), None);
        let bad = form_time_limit(&form(&[("time_limit", "10m2h")])).unwrap_err().to_string();
        assert!(bad.starts_with("time limit: \"10m2h\" is not a duration"), "{bad}");
        assert!(ticked(&form(&[("pace", "1")]), "pace"));
        assert!(!ticked(&form(&[("pace", "")]), "pace"));
        assert!(!ticked(&form(&[]), "pace"));
    }

    #[test]
    fn the_form_becomes_an_answer_of_the_question_shape() {
        let choice = Shape::Choice { options: 5, select: 2 };
        assert_eq!(
            read_answer(&form(&[("choice", "C"), ("choice", "A"), ("choice", "C")]), choice),
            Some(Answer::Choice(vec![0, 2]))
        );
        assert_eq!(read_answer(&form(&[("do", "next")]), choice), None);
        assert_eq!(read_answer(&form(&[("choice", "<b>")]), choice), None);
        let ordering = Shape::Ordering { steps: 4, need: 3 };
        assert_eq!(
            read_answer(&form(&[("step1", "D"), ("step2", ""), ("step3", "a")]), ordering),
            Some(Answer::Ordering(vec![3, 0]))
        );
        let matching = Shape::Matching { prompts: 2, responses: 3 };
        assert_eq!(
            read_answer(&form(&[("match2", "B")]), matching),
            Some(Answer::Matching(vec![None, Some(1)]))
        );
        assert_eq!(read_answer(&form(&[("match1", "")]), matching), None);
    }
}
