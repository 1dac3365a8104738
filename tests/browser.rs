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
