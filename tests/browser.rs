//! `proctor serve` in a real headless Chromium, driven through chromedriver's WebDriver
//! protocol (plain JSON over HTTP; the few commands used are wrapped below).
//!
//! Without `chromium` and `chromedriver` these tests say that they skipped and pass;
//! with `PROCTOR_REQUIRE_BROWSER=1` (set by .ci/run) a missing browser fails them.
//! `PROCTOR_SCREENSHOTS=DIR` saves the exam screen and the report at 1280x800 there.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::serve::{Server, agent};
use crate::util::{Test, tiny_bank};

/// The fixture exam with every item kind (ordering and matching among them).
fn kinds_bank() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/banks/kinds")
}

const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

fn find_program(names: &[&str]) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    names.iter().find_map(|name| {
        std::env::split_paths(&path).map(|dir| dir.join(name)).find(|candidate| candidate.is_file())
    })
}

/// The browser and its driver, or `None` (after saying so) when they are not installed.
fn browser() -> Option<(PathBuf, PathBuf)> {
    let chromium = find_program(&["chromium", "chromium-browser", "google-chrome"]);
    let driver = find_program(&["chromedriver"]);
    match (chromium, driver) {
        (Some(c), Some(d)) => Some((c, d)),
        _ => {
            let message = "browser tests SKIPPED: chromium and chromedriver are not installed \
                           (apt-get install chromium chromium-driver)";
            if std::env::var_os("PROCTOR_REQUIRE_BROWSER").is_some() {
                panic!("{message}, and PROCTOR_REQUIRE_BROWSER is set");
            }
            // Straight to stderr, once: the test harness captures eprintln! of passing tests,
            // and a skip must be seen.
            static SAID: std::sync::Once = std::sync::Once::new();
            SAID.call_once(|| {
                use std::io::Write;
                let _ = writeln!(std::io::stderr(), "\nwarning: {message}");
            });
            None
        }
    }
}

struct Driver {
    child: Child,
    url: String,
    session: String,
    _profile: tempfile::TempDir,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = agent().delete(&format!("{}/session/{}", self.url, self.session)).call();
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

impl Driver {
    fn start(chromium: &Path, chromedriver: &Path) -> Driver {
        let port = free_port();
        let child = Command::new(chromedriver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver");
        let url = format!("http://127.0.0.1:{port}");
        let profile = tempfile::tempdir().unwrap();
        let started = Instant::now();
        // Wait for the driver to listen.
        while agent().get(&format!("{url}/status")).call().is_err() {
            assert!(started.elapsed() < Duration::from_secs(30), "chromedriver did not start");
            std::thread::sleep(Duration::from_millis(100));
        }
        let args = [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-dev-shm-usage",
            "--window-size=1280,800",
            &format!("--user-data-dir={}", profile.path().display()),
        ];
        let capabilities = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {"binary": chromium.to_str().unwrap(), "args": args},
        }}});
        let mut driver = Driver { child, url, session: String::new(), _profile: profile };
        let reply = driver.send("POST", "/session", Some(capabilities));
        driver.session = reply["sessionId"].as_str().expect("a WebDriver session").to_string();
        driver
    }

    fn send(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        self.try_send(method, path, body).unwrap_or_else(|e| panic!("WebDriver {method} {path}: {e}"))
    }

    fn try_send(&self, method: &str, path: &str, body: Option<Value>) -> Result<Value, String> {
        let path = if path.starts_with("/session/") || path == "/session" {
            path.to_string()
        } else {
            format!("/session/{}{path}", self.session)
        };
        let url = format!("{}{path}", self.url);
        let response = match method {
            "GET" => agent().get(&url).call(),
            "DELETE" => agent().delete(&url).call(),
            _ => agent().post(&url).send_json(body.unwrap_or(json!({}))),
        };
        let mut response = response.map_err(|e| e.to_string())?;
        let status = response.status().as_u16();
        let value: Value = response.body_mut().read_json().map_err(|e| e.to_string())?;
        if status != 200 {
            return Err(format!("{status}: {}", value["value"]["message"]));
        }
        Ok(value["value"].clone())
    }

    fn go(&self, url: &str) {
        self.send("POST", "/url", Some(json!({"url": url})));
    }

    fn find(&self, css: &str) -> Option<String> {
        let found =
            self.try_send("POST", "/element", Some(json!({"using": "css selector", "value": css}))).ok()?;
        found[ELEMENT].as_str().map(str::to_string)
    }

    /// Waits (up to 20 s, for page loads after a click) until `css` matches and `ok` holds
    /// for its text; returns the text.
    fn wait_text(&self, css: &str, ok: impl Fn(&str) -> bool) -> String {
        let started = Instant::now();
        loop {
            if let Some(element) = self.find(css)
                && let Ok(text) = self.try_send("GET", &format!("/element/{element}/text"), None)
                && let Some(text) = text.as_str()
                && ok(text)
            {
                return text.to_string();
            }
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "waited in vain for {css} on {}",
                self.source()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn wait_for(&self, css: &str) -> String {
        self.wait_text(css, |_| true);
        self.find(css).unwrap()
    }

    /// Clicks `css` once it is there (retried while a page is being replaced).
    fn click(&self, css: &str) {
        let started = Instant::now();
        loop {
            let element = self.wait_for(css);
            match self.try_send("POST", &format!("/element/{element}/click"), None) {
                Ok(_) => return,
                Err(e) => assert!(started.elapsed() < Duration::from_secs(20), "cannot click {css}: {e}"),
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn count(&self, css: &str) -> usize {
        self.try_send("POST", "/elements", Some(json!({"using": "css selector", "value": css})))
            .ok()
            .and_then(|v| v.as_array().map(Vec::len))
            .unwrap_or(0)
    }

    fn title(&self) -> String {
        self.send("GET", "/title", None).as_str().unwrap_or("").to_string()
    }

    fn source(&self) -> String {
        self.try_send("GET", "/source", None)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default()
    }

    /// Runs `script` in the page (its `arguments` are `args`) and returns what it returns.
    fn execute(&self, script: &str, args: Value) -> Value {
        self.send("POST", "/execute/sync", Some(json!({"script": script, "args": args})))
    }

    /// Waits (up to 20 s, for the page the server draws after a save) until `script`
    /// returns `want`.
    fn wait_script(&self, script: &str, args: Value, want: Value) {
        let started = Instant::now();
        loop {
            let got = self
                .try_send("POST", "/execute/sync", Some(json!({"script": script, "args": args.clone()})))
                .unwrap_or(Value::Null);
            if got == want {
                return;
            }
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "waited in vain for {script} to give {want} (it gave {got}) on {}",
                self.source()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Drags with the mouse (real pointer events): press on the middle of `from`, move a
    /// little, then onto the middle of `to`, and release.
    fn drag(&self, from: &str, to: &str) {
        let (from, to) = (self.wait_for(from), self.wait_for(to));
        let actions = json!({"actions": [{"type": "pointer", "id": "mouse", "parameters": {"pointerType": "mouse"},
        "actions": [
            {"type": "pointerMove", "duration": 0, "origin": {ELEMENT: from}, "x": 0, "y": 0},
            {"type": "pointerDown", "button": 0},
            {"type": "pointerMove", "duration": 100, "origin": {ELEMENT: from}, "x": 12, "y": 12},
            {"type": "pointerMove", "duration": 200, "origin": {ELEMENT: to}, "x": 0, "y": 0},
            {"type": "pointerUp", "button": 0},
        ]}]});
        self.send("POST", "/actions", Some(actions));
        self.send("DELETE", "/actions", None);
    }

    /// Types `keys` (WebDriver key codes for Enter, arrows, ...) into the element `css`,
    /// which gets the focus first.
    fn keys(&self, css: &str, keys: &str) {
        let element = self.wait_for(css);
        self.send("POST", &format!("/element/{element}/value"), Some(json!({"text": keys})));
    }

    /// A Chrome DevTools command through chromedriver.
    fn cdp(&self, command: &str, params: Value) {
        self.send("POST", "/goog/cdp/execute", Some(json!({"cmd": command, "params": params})));
    }

    fn screenshot(&self, name: &str) {
        let Some(dir) = std::env::var_os("PROCTOR_SCREENSHOTS") else { return };
        // The page area, not the window, at 1280x800.
        let frame = self.send(
            "POST",
            "/execute/sync",
            Some(
                json!({"script": "return [outerWidth - innerWidth, outerHeight - innerHeight]", "args": []}),
            ),
        );
        let (dw, dh) = (frame[0].as_u64().unwrap_or(0), frame[1].as_u64().unwrap_or(0));
        self.send("POST", "/window/rect", Some(json!({"width": 1280 + dw, "height": 800 + dh})));
        let png = self.send("GET", "/screenshot", None);
        let bytes = base64_decode(png.as_str().unwrap());
        std::fs::write(Path::new(&dir).join(name), bytes).unwrap();
    }
}

/// Standard base64 (the screenshot), without a crate for one call.
fn base64_decode(text: &str) -> Vec<u8> {
    let value = |c: u8| match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        _ => 63,
    };
    let clean: Vec<u8> = text.bytes().filter(|c| *c != b'=' && !c.is_ascii_whitespace()).collect();
    let mut out = Vec::with_capacity(clean.len() * 3 / 4);
    for chunk in clean.chunks(4) {
        let n =
            chunk.iter().enumerate().fold(0u32, |acc, (i, &c)| acc | (u32::from(value(c)) << (18 - 6 * i)));
        let bytes = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
        out.extend_from_slice(&bytes[..chunk.len() - 1]);
    }
    out
}

/// Chooses the first option (two on a "(Select TWO.)" question) and waits for the page
/// the server drew after saving it: the `checked` attribute is the server's (a click only
/// sets the property).
/// Returns how many options it chose.
fn answer_first(driver: &Driver) -> usize {
    let multiple = driver.count("input[type=checkbox][name=choice]") > 0;
    driver.click("#option-A");
    if multiple {
        driver.click("#option-B");
    }
    driver.wait_for(if multiple { "#option-B input[checked]" } else { "#option-A input[checked]" });
    if multiple { 2 } else { 1 }
}

#[test]
fn a_short_exam_in_a_real_browser() {
    let Some((chromium, chromedriver)) = browser() else { return };
    let test = Test::new();
    let server = Server::start(&test, &tiny_bank());
    let driver = Driver::start(&chromium, &chromedriver);
    driver.go(&format!("{}/", server.base));
    driver.click("a[href$='/exam/tiny']");
    driver.click("#begin-exam");
    driver.wait_text("#position", |t| t == "Question 1 of 5");
    assert!(driver.wait_text("#timer", |t| t.contains("Time remaining")).contains("0:"));
    let chosen = answer_first(&driver);
    driver.click("#strike-C");
    driver.wait_for(".option.struck #option-C");
    // The strike is a toggle button with its state, and the option says it is struck out.
    driver.wait_for("#strike-C[aria-pressed=true]");
    assert_eq!(driver.count("#option-C .sr-only"), 1);
    // The strike's page keeps the saved answer.
    assert_eq!(driver.count("input[name=choice][checked]"), chosen);
    driver.click("#flag");
    driver.wait_text("#flag", |t| t == "Flagged for review");
    driver.screenshot("serve-exam.png");
    driver.click("#next");
    driver.wait_text("#position", |t| t == "Question 2 of 5");
    driver.click("#review");
    driver.wait_text("h1", |t| t == "Review");
    driver.click("#filter-flagged");
    driver.wait_text("#filter-flagged", |t| t.starts_with("Flagged (1)"));
    // The filters are real buttons, the one shown pressed.
    driver.wait_for("button#filter-flagged[aria-pressed=true]");
    assert_eq!(driver.count("form.filters button[aria-pressed=false]"), 4);
    driver.wait_text("table.grid tbody", |t| t.contains("Question 1") && !t.contains("Question 2"));
    driver.click("#filter-complete");
    driver.wait_text("table.grid tbody", |t| t.contains("Question 1") && t.contains("Complete"));
    driver.click("#filter-unseen");
    driver.wait_text("#filter-unseen", |t| t.starts_with("Unseen (3)"));
    driver.click("#end");
    driver.click("#confirm-end");
    driver.wait_text("#result", |t| t.contains("TINY-01 mock exam"));
    let scaled: u32 = driver.wait_text("#scaled", |t| !t.is_empty()).parse().unwrap();
    assert!((100..=1000).contains(&scaled));
    assert!(driver.count("#domains svg.meter") >= 1);
    driver.screenshot("serve-report.png");
    // The terminal sees the same attempt.
    let test = test.args(["--bank-dir", tiny_bank().to_str().unwrap(), "show", "1", "--json"]);
    let shown = test.run().json();
    assert_eq!(shown["questions"][0]["flagged"], true, "{shown}");
    assert_ne!(shown["questions"][0]["response"], "", "{shown}");
}

#[test]
fn a_script_in_a_stem_stays_text_in_a_real_browser() {
    let Some((chromium, chromedriver)) = browser() else { return };
    let test = Test::new();
    let original = std::fs::read_to_string(tiny_bank().join("questions.toml")).unwrap();
    let hostile = original.replace(
        "Scenario ",
        "<script>document.title='pwned'</script><img src=x onerror=\"document.title='pwned'\">Scenario ",
    );
    test.write("banks/tiny/exam.toml", std::fs::read(tiny_bank().join("exam.toml")).unwrap());
    test.write("banks/tiny/questions.toml", hostile);
    let server = Server::start(&test, &test.dir.path().join("banks"));
    let driver = Driver::start(&chromium, &chromedriver);
    driver.go(&format!("{}/exam/tiny", server.base));
    driver.click("#begin-exam");
    let stem = driver.wait_text("#stem", |t| t.contains("Scenario"));
    assert!(stem.starts_with("<script>document.title='pwned'</script><img"), "{stem}");
    assert_eq!(driver.count("#stem script, #stem img"), 0);
    assert_ne!(driver.title(), "pwned");
}

#[test]
fn a_drill_with_feedback_and_a_resume_after_killing_the_server() {
    let Some((chromium, chromedriver)) = browser() else { return };
    let test = Test::new();
    let mut server = Server::start(&test, &tiny_bank());
    let driver = Driver::start(&chromium, &chromedriver);
    driver.go(&format!("{}/exam/tiny", server.base));
    driver.click("#begin-drill");
    driver.wait_text("#position", |t| t.starts_with("Question 1 of"));
    answer_first(&driver);
    let feedback = driver.wait_text("#feedback", |t| t.contains("The key:"));
    assert!(feedback.contains("Why option"), "per-option rationale: {feedback}");
    assert!(driver.count("#feedback a[href^='https://docs.aws.amazon.com/']") >= 1);
    driver.click("#next");
    driver.wait_text("#position", |t| t.starts_with("Question 2 of"));
    // Killed with the drill open: the answer is kept, and a new server resumes it.
    server.kill();
    let server = Server::start(&test, &tiny_bank());
    driver.go(&format!("{}/", server.base));
    driver.click(".unfinished button");
    driver.wait_text("#position", |t| t.starts_with("Question 2 of"));
    driver.click("#prev");
    driver.wait_text("#feedback", |t| t.contains("The key:"));
}

/// Moves with Next (and, from the last question, Previous) until the question on screen
/// matches `css` (the kinds exam has one question of each kind, in a shuffled order).
fn reach(driver: &Driver, css: &str) {
    let mut way = "#next";
    for _ in 0..12 {
        if driver.count(css) > 0 {
            return;
        }
        if driver.count(&format!("{way}[disabled]")) > 0 {
            way = "#prev";
        }
        let position = driver.wait_text("#position", |_| true);
        driver.click(way);
        driver.wait_text("#position", |t| t != position);
    }
    panic!("no question matches {css}");
}

/// The letter this paper gives the step or response whose text is `text`.
fn letter_of(driver: &Driver, text: &str) -> String {
    let script = "return Array.from(document.querySelectorAll('ul.steps li[data-letter]'))\
                  .filter(li => li.querySelector('.text').textContent === arguments[0])\
                  .map(li => li.dataset.letter)[0] || null";
    driver
        .execute(script, json!([text]))
        .as_str()
        .unwrap_or_else(|| panic!("no {text:?} on screen"))
        .to_string()
}

/// The number of the matching item whose text is `text`.
fn item_of(driver: &Driver, text: &str) -> u64 {
    let script = "return Array.from(document.querySelectorAll('.fallback label[data-number]'))\
                  .filter(l => l.querySelector('.text').textContent === arguments[0])\
                  .map(l => Number(l.dataset.number))[0] || null";
    driver.execute(script, json!([text])).as_u64().unwrap_or_else(|| panic!("no item {text:?} on screen"))
}

/// The order as the server drew it (the `selected` attributes of the fallback selects are
/// the saved answer, not what the widget shows), e.g. "CA".
const SAVED_ORDER: &str = "return Array.from(document.querySelectorAll('.fallback select'))\
                           .map(s => (s.querySelector('option[selected]') || {value: ''}).value).join('')";

/// Item `arguments[0]`'s saved match, as the server drew it.
const SAVED_MATCH: &str = "const s = document.querySelector('select[name=match' + arguments[0] + ']');\
                           return (s.querySelector('option[selected]') || {value: ''}).value";

fn start_kinds_exam(driver: &Driver, server: &Server) {
    driver.go(&format!("{}/exam/kinds", server.base));
    driver.click("#begin-exam");
    driver.wait_text("#position", |t| t == "Question 1 of 6");
}

#[test]
fn ordering_and_matching_by_drag_in_a_real_browser() {
    let Some((chromium, chromedriver)) = browser() else { return };
    let test = Test::new();
    let server = Server::start(&test, &kinds_bank());
    let driver = Driver::start(&chromium, &chromedriver);
    start_kinds_exam(&driver, &server);
    reach(&driver, "fieldset.ordering.enhanced");
    // The selects are there for the form, hidden under the widget.
    assert_eq!(driver.count("fieldset.ordering .fallback select"), 4);
    let create = letter_of(&driver, "Create a second access key.");
    let update = letter_of(&driver, "Update the application to use the new key.");
    // A step dragged from the steps to the first place of the order: saved, then shown.
    driver.drag(&format!("#order-pool-{create} .text"), ".dnd-order .dnd-slot");
    driver.wait_script(SAVED_ORDER, json!([]), json!(create));
    driver.wait_for(&format!("#order-item-{create}"));
    // Another dropped on the first place goes before it.
    driver.drag(&format!("#order-pool-{update} .text"), &format!("#order-item-{create}"));
    driver.wait_script(SAVED_ORDER, json!([]), json!(format!("{update}{create}")));
    driver.screenshot("serve-ordering.png");
    // Dragged within the order onto the empty place after them: it moves to the end.
    driver.drag(&format!("#order-item-{update} .text"), ".dnd-order .dnd-slot");
    driver.wait_script(SAVED_ORDER, json!([]), json!(format!("{create}{update}")));
    // Dragged back to the steps: out of the order.
    driver.drag(&format!("#order-item-{create} .text"), ".dnd-pool");
    driver.wait_script(SAVED_ORDER, json!([]), json!(update));
    assert!(driver.wait_text("#ordering-status", |t| t.starts_with("Saved")).contains("not in your order"));

    reach(&driver, "fieldset.matching.enhanced");
    let s3 = letter_of(&driver, "Amazon S3");
    let objects = item_of(&driver, "Store objects durably");
    driver.drag(&format!("#match-response-{s3}"), &format!("#match-prompt-{objects}"));
    driver.wait_script(SAVED_MATCH, json!([objects]), json!(s3));
    let slot = driver.wait_text(&format!("#match-slot-{objects}"), |t| t.starts_with("Matched"));
    assert_eq!(slot, format!("Matched: {s3}. Amazon S3"));
    // A response dropped on another item replaces nothing else.
    let rds = letter_of(&driver, "Amazon RDS");
    let database = item_of(&driver, "Run a relational database");
    driver.drag(&format!("#match-response-{rds} .text"), &format!("#match-slot-{database}"));
    driver.wait_script(SAVED_MATCH, json!([database]), json!(rds));
    driver.wait_script(SAVED_MATCH, json!([objects]), json!(s3));
    driver.screenshot("serve-matching.png");

    // The terminal sees the same answers.
    driver.click("#end");
    driver.click("#confirm-end");
    driver.wait_text("#result", |t| t.contains("KINDS-01"));
    let test = test.args(["--bank-dir", kinds_bank().to_str().unwrap(), "show", "1", "--json"]);
    let shown = test.run().json();
    let response = |id: &str| {
        shown["questions"].as_array().unwrap().iter().find(|q| q["id"] == id).unwrap()["response"].clone()
    };
    assert_eq!(response("k-order"), json!(update), "{shown}");
    assert!(response("k-match").as_str().unwrap().contains(&format!("{objects}{s3}")), "{shown}");
}

#[test]
fn ordering_and_matching_with_the_keyboard_in_a_real_browser() {
    let Some((chromium, chromedriver)) = browser() else { return };
    let test = Test::new();
    let server = Server::start(&test, &kinds_bank());
    let driver = Driver::start(&chromium, &chromedriver);
    start_kinds_exam(&driver, &server);
    reach(&driver, "fieldset.ordering.enhanced");
    let create = letter_of(&driver, "Create a second access key.");
    let update = letter_of(&driver, "Update the application to use the new key.");
    let deactivate = letter_of(&driver, "Deactivate the old access key.");
    // Enter on a step's Add button puts it at the end of the order.
    driver.keys(&format!("#order-add-{create}"), "\u{E007}");
    driver.wait_script(SAVED_ORDER, json!([]), json!(create));
    driver.keys(&format!("#order-add-{update}"), "\u{E007}");
    driver.wait_script(SAVED_ORDER, json!([]), json!(format!("{create}{update}")));
    // The page is drawn again after each save; the focus comes back to the step moved.
    driver.wait_script("return document.activeElement.id", json!([]), json!(format!("order-item-{update}")));
    // Up arrow on a step in the order moves it up.
    driver.keys(&format!("#order-item-{update}"), "\u{E013}");
    driver.wait_script(SAVED_ORDER, json!([]), json!(format!("{update}{create}")));
    driver.wait_script("return document.activeElement.id", json!([]), json!(format!("order-item-{update}")));
    let said = driver.wait_text("#ordering-status", |t| t.starts_with("Saved"));
    assert_eq!(said, format!("Saved: step {update} is at place 1 of 4."));
    assert_eq!(
        driver.execute(
            "return document.getElementById('ordering-status').getAttribute('aria-live')",
            json!([])
        ),
        json!("polite")
    );
    // Down arrow moves it back down; Delete takes it out.
    driver.keys(&format!("#order-item-{update}"), "\u{E015}");
    driver.wait_script(SAVED_ORDER, json!([]), json!(format!("{create}{update}")));
    driver.keys(&format!("#order-item-{update}"), "\u{E017}");
    driver.wait_script(SAVED_ORDER, json!([]), json!(create));
    // A step's letter adds it, as a letter chooses an option.
    driver.keys(&format!("#order-item-{create}"), &deactivate.to_lowercase());
    driver.wait_script(SAVED_ORDER, json!([]), json!(format!("{create}{deactivate}")));

    reach(&driver, "fieldset.matching.enhanced");
    let rds = letter_of(&driver, "Amazon RDS");
    let sqs = letter_of(&driver, "Amazon SQS");
    let database = item_of(&driver, "Run a relational database");
    let queue = item_of(&driver, "Queue messages between services");
    // A response with no item chosen says to choose an item first, and saves nothing.
    driver.keys(&format!("#match-response-{rds}"), "\u{E007}");
    driver.wait_text("#matching-status", |t| t == "Choose an item first, then its response.");
    // Choose an item (Enter), then its response (Enter).
    driver.keys(&format!("#match-prompt-{database}"), "\u{E007}");
    driver.wait_for(&format!("#match-prompt-{database}[aria-pressed=true]"));
    driver.keys(&format!("#match-response-{rds}"), "\u{E007}");
    driver.wait_script(SAVED_MATCH, json!([database]), json!(rds));
    driver.wait_script(
        "return document.activeElement.id",
        json!([]),
        json!(format!("match-prompt-{database}")),
    );
    // Or an item, then the response's letter.
    driver.keys(&format!("#match-prompt-{queue}"), "\u{E007}");
    driver.wait_for(&format!("#match-prompt-{queue}[aria-pressed=true]"));
    driver.keys(&format!("#match-prompt-{queue}"), &sqs.to_lowercase());
    driver.wait_script(SAVED_MATCH, json!([queue]), json!(sqs));
    // Clear takes a match off.
    driver.keys(&format!("#match-clear-{database}"), "\u{E007}");
    driver.wait_script(SAVED_MATCH, json!([database]), json!(""));
    driver.wait_script(SAVED_MATCH, json!([queue]), json!(sqs));
}

/// The window's width, the page's scroll width and client width, and the first elements
/// past the right edge. Inside a `.table-scroll` box a wide table scrolls in its own box
/// (the box itself must fit).
const WIDEST: &str = "const w = document.documentElement.clientWidth;\
                      const wide = Array.from(document.querySelectorAll('body *'))\
                        .filter(e => e.getBoundingClientRect().right > w + 1)\
                        .filter(e => !e.parentElement.closest('.table-scroll'))\
                        .map(e => e.tagName + '#' + e.id + '.' + e.className).slice(0, 5);\
                      return [innerWidth, document.documentElement.scrollWidth, w, wide]";

/// Fails with the widest elements when the page at `what` scrolls sideways.
fn assert_no_sideways_scroll(driver: &Driver, what: &str) {
    let got = driver.execute(WIDEST, json!([]));
    assert_eq!(got[0], 640, "the 200% zoom emulation is on ({what})");
    assert!(got[1].as_u64() <= got[2].as_u64(), "{what} scrolls sideways at 200% zoom: {got}");
}

#[test]
fn nothing_scrolls_sideways_at_200_percent_zoom() {
    let Some((chromium, chromedriver)) = browser() else { return };
    let test = Test::new();
    let server = Server::start(&test, &kinds_bank());
    let driver = Driver::start(&chromium, &chromedriver);
    // 1280x800 screen pixels at 200%: a 640-pixel-wide page, each CSS pixel two.
    driver.cdp(
        "Emulation.setDeviceMetricsOverride",
        json!({"width": 640, "height": 400, "deviceScaleFactor": 2, "mobile": false}),
    );
    driver.go(&format!("{}/", server.base));
    driver.wait_for("table.exams");
    assert_no_sideways_scroll(&driver, "the exam list");
    driver.go(&format!("{}/exam/kinds", server.base));
    driver.click("details summary");
    assert_no_sideways_scroll(&driver, "the start screen");
    driver.click("#begin-exam");
    // Every question (one of each kind), answered or not.
    for n in 1..=6 {
        driver.wait_text("#position", |t| t == format!("Question {n} of 6"));
        if driver.count("input[name=choice]") > 0 {
            answer_first(&driver);
        }
        assert_no_sideways_scroll(&driver, &format!("question {n}"));
        if n < 6 {
            driver.click("#next");
        }
    }
    driver.click("#review");
    driver.wait_text("h1", |t| t == "Review");
    assert_no_sideways_scroll(&driver, "the review screen");
    driver.click("#end");
    driver.wait_for("#confirm-end");
    assert_no_sideways_scroll(&driver, "the End Exam confirmation");
    driver.click("#confirm-end");
    driver.wait_text("#result", |t| t.contains("KINDS-01"));
    assert_no_sideways_scroll(&driver, "the report");
    driver.click("#show");
    driver.wait_text("h1", |t| t.starts_with("Attempt 1"));
    assert_no_sideways_scroll(&driver, "the walk-through of the answers");
    driver.go(&format!("{}/stats/kinds", server.base));
    driver.wait_for("#stats-domains");
    assert_no_sideways_scroll(&driver, "the statistics");
}

/// Begins a mock exam of the tiny bank with the start screen's time limit `limit`.
fn begin_timed(driver: &Driver, server: &Server, limit: &str) {
    driver.go(&format!("{}/exam/tiny", server.base));
    driver.click("details summary");
    driver.keys("#exam-time-limit", limit);
    driver.click("#begin-exam");
    driver.wait_text("#position", |t| t == "Question 1 of 5");
}

#[test]
fn the_clock_is_announced_only_at_its_warnings() {
    let Some((chromium, chromedriver)) = browser() else { return };
    let test = Test::new();
    let server = Server::start(&test, &tiny_bank());
    let driver = Driver::start(&chromium, &chromedriver);
    let attribute = |css: &str, name: &str| {
        driver.execute(
            "const e = document.querySelector(arguments[0]); return e && e.getAttribute(arguments[1])",
            json!([css, name]),
        )
    };
    // A second over 30 minutes: the 30-minute warning comes, politely.
    begin_timed(&driver, &server, "30m2s");
    assert_eq!(attribute("#timer", "role"), json!("timer"));
    // The ticking clock is no live region: it is not read out every second.
    assert_eq!(attribute("#timer", "aria-live"), Value::Null);
    assert_eq!(attribute("#clock", "aria-live"), Value::Null);
    assert_eq!(attribute("#notice", "aria-live"), json!("polite"));
    assert_eq!(attribute("#warning", "aria-live"), json!("assertive"));
    driver.wait_text("#notice", |t| t == "30 minutes remaining.");
    assert_eq!(driver.wait_text("#warning", |_| true), "");
    // Just over 5 minutes: the 5-minute warning interrupts (assertive).
    begin_timed(&driver, &server, "5m2s");
    driver.wait_script(
        "return document.getElementById('warning').textContent",
        json!([]),
        json!("5 minutes remaining."),
    );
    assert_eq!(driver.execute("return document.getElementById('notice').textContent", json!([])), json!(""));
    // Landmarks and a heading for the question.
    assert_eq!(driver.count("header"), 1);
    assert_eq!(driver.count("main"), 1);
    assert_eq!(driver.count("nav[aria-label='Question navigation']"), 1);
    assert_eq!(
        driver.execute("return document.querySelector('main h1').textContent", json!([])),
        json!("Question 1 of 5")
    );
}

#[test]
fn bank_text_in_the_widgets_stays_text_in_a_real_browser() {
    let Some((chromium, chromedriver)) = browser() else { return };
    let test = Test::new();
    let hostile = "<img src=x onerror=\"document.title='pwned'\">";
    let in_toml = hostile.replace('"', "\\\"");
    let questions = std::fs::read_to_string(kinds_bank().join("questions.toml"))
        .unwrap()
        .replace("\"Create a second access key.\"", &format!("\"{in_toml}Create a second access key.\""))
        .replace("\"Amazon S3\"", &format!("\"{in_toml}Amazon S3\""));
    test.write("banks/kinds/exam.toml", std::fs::read(kinds_bank().join("exam.toml")).unwrap());
    test.write("banks/kinds/questions.toml", questions);
    let server = Server::start(&test, &test.dir.path().join("banks"));
    let driver = Driver::start(&chromium, &chromedriver);
    start_kinds_exam(&driver, &server);
    reach(&driver, "fieldset.ordering.enhanced");
    let create = letter_of(&driver, &format!("{hostile}Create a second access key."));
    let shown = driver.wait_text(&format!("#order-pool-{create} .text"), |_| true);
    assert!(shown.starts_with("<img src=x"), "{shown}");
    reach(&driver, "fieldset.matching.enhanced");
    let s3 = letter_of(&driver, &format!("{hostile}Amazon S3"));
    assert!(driver.wait_text(&format!("#match-response-{s3}"), |_| true).contains("<img src=x"));
    assert_eq!(driver.count("img"), 0);
    assert_ne!(driver.title(), "pwned");
}

#[test]
fn a_refused_start_form_says_why_where_the_focus_goes_in_a_real_browser() {
    let Some((chromium, chromedriver)) = browser() else { return };
    let test = Test::new();
    let server = Server::start(&test, &tiny_bank());
    let driver = Driver::start(&chromium, &chromedriver);
    driver.go(&format!("{}/exam/tiny", server.base));
    driver.click("details summary");
    driver.keys("#exam-seed", "abc");
    driver.click("#begin-exam");
    let said = driver.wait_text("#exam-error", |t| !t.is_empty());
    assert!(said.starts_with("the seed must be a whole number"), "{said}");
    // The focus is on the field that is wrong, which says why.
    driver.wait_script("return document.activeElement.id", json!([]), json!("exam-seed"));
    let attribute = |name: &str| {
        driver.execute("return document.activeElement.getAttribute(arguments[0])", json!([name]))
    };
    assert_eq!(attribute("aria-invalid"), json!("true"));
    assert_eq!(attribute("aria-describedby"), json!("exam-error"));
    // What was typed is still there, to be corrected.
    assert_eq!(driver.execute("return document.activeElement.value", json!([])), json!("abc"));
    // A problem that is not one field's: the focus goes to the message.
    driver.go(&format!("{}/exam/tiny", server.base));
    driver.click("input[value=missed]");
    driver.click("#begin-exam");
    driver.wait_text("#exam-error", |t| t.contains("no finished mock exam"));
    driver.wait_script("return document.activeElement.id", json!([]), json!("exam-error"));
    assert_eq!(driver.count("[aria-invalid]"), 0);
}

#[test]
fn a_problem_reported_in_a_real_browser_keeps_the_question_and_its_answer() {
    let Some((chromium, chromedriver)) = browser() else { return };
    let test = Test::new();
    let server = Server::start(&test, &tiny_bank());
    let driver = Driver::start(&chromium, &chromedriver);
    driver.go(&format!("{}/", server.base));
    driver.click("a[href$='/exam/tiny']");
    driver.click("#begin-exam");
    driver.wait_text("#position", |t| t == "Question 1 of 5");
    driver.click("#report summary");
    let field = driver.wait_for("#report-text");
    // Letters typed into the note are text, not the option keys.
    driver.send("POST", &format!("/element/{field}/value"), Some(json!({"text": "b is also right, see d"})));
    // Choosing an answer saves it at once (the page reloads): the note typed so far stays.
    let chosen = answer_first(&driver);
    driver.wait_text("#report-text", |t| t == "b is also right, see d");
    assert_eq!(driver.count("#report[open]"), 1, "{}", driver.source());
    driver.click("#send-report");
    driver.wait_text("p.note", |t| t.contains("Question 1: note saved for the bank's authors"));
    assert_eq!(driver.wait_text("#position", |_| true), "Question 1 of 5");
    assert_eq!(driver.count("input[name=choice][checked]"), chosen);
    assert!(driver.count("#option-A input[checked]") == 1, "{}", driver.source());
    let test = test.args(["--bank-dir", tiny_bank().to_str().unwrap(), "notes", "--json"]);
    let notes = test.run().json();
    assert_eq!(notes[0]["text"], "b is also right, see d", "{notes}");
    assert_eq!(notes[0]["attempt"], 1, "{notes}");
}

#[test]
fn a_multiple_response_answer_with_too_few_boxes_says_so_and_keeps_the_saved_one() {
    let Some((chromium, chromedriver)) = browser() else { return };
    let test = Test::new();
    let server = Server::start(&test, &kinds_bank());
    let driver = Driver::start(&chromium, &chromedriver);
    start_kinds_exam(&driver, &server);
    reach(&driver, "input[type=checkbox][name=choice]");
    let number = driver.wait_text("#position", |_| true);
    // One box of two: nothing is saved yet, and the line under the options says why.
    driver.click("#option-A");
    let said = driver.wait_text(".select-status", |t| !t.is_empty());
    assert!(said.starts_with("1 of 2 chosen: choose exactly 2"), "{said}");
    assert_eq!(driver.count("input[name=choice][checked]"), 0, "nothing saved at one box of two");
    // Two boxes: saved (the page comes back from the server with both ticked), the line empty.
    driver.click("#option-B");
    driver.wait_for("#option-B input[checked]");
    assert_eq!(driver.count("input[name=choice][checked]"), 2);
    assert_eq!(driver.wait_text(".select-status", |_| true), "");
    // One box taken away: said again, and the review screen, opened from here, says the
    // answer on screen was not saved and shows the saved one.
    driver.click("#option-B");
    driver.wait_text(".select-status", |t| t.starts_with("1 of 2 chosen"));
    driver.click("#review");
    driver.wait_text("h1", |t| t == "Review");
    let note = driver.wait_text("p.note[role=alert]", |_| true);
    let n = number.trim_start_matches("Question ").split(' ').next().unwrap().to_string();
    assert!(note.starts_with(&format!("Question {n}:")), "{note}");
    let row = driver.wait_text("table.grid tbody", |t| t.contains(&format!("Question {n}")));
    assert!(row.contains("AB"), "the saved answer stays: {row}");
}

#[test]
fn tables_on_a_phone_break_lines_between_words_and_the_page_does_not_scroll_sideways() {
    let Some((chromium, chromedriver)) = browser() else { return };
    let test = Test::new();
    let server = Server::start(&test, &kinds_bank());
    let driver = Driver::start(&chromium, &chromedriver);
    start_kinds_exam(&driver, &server);
    driver.click("#end");
    driver.click("#confirm-end");
    driver.wait_text("#result", |t| t.contains("KINDS-01"));
    driver.cdp(
        "Emulation.setDeviceMetricsOverride",
        json!({"width": 390, "height": 844, "deviceScaleFactor": 3, "mobile": true}),
    );
    // The visible one-word headers of the tables on screen that take more than one line.
    let lines = "return Array.from(document.querySelectorAll('th'))\
                 .filter(th => !th.querySelector('.sr-only') && /^[A-Za-z]+$/.test(th.textContent.trim()))\
                 .map(th => { const r = document.createRange(); r.selectNodeContents(th);\
                   const tops = new Set(Array.from(r.getClientRects()).map(c => Math.round(c.top)));\
                   return [th.textContent.trim(), tops.size]; })\
                 .filter(([, n]) => n > 1)";
    for page in ["/", "/history", "/stats/kinds"] {
        driver.go(&format!("{}{page}", server.base));
        driver.wait_for("table");
        let broken = driver.execute(lines, json!([]));
        assert_eq!(broken, json!([]), "{page}: one-word headers broken over lines");
        let got = driver.execute(WIDEST, json!([]));
        assert!(got[1].as_u64() <= got[2].as_u64(), "{page} scrolls sideways at 390 pixels: {got}");
    }
}
