//! A headless Chromium driven through ChromeDriver's W3C WebDriver
//! protocol (JSON over HTTP on loopback, with the tests' `http_client`,
//! whose waits bound every command): enough to open pages, run a
//! script in them, click an element and take a screenshot.
//!
//! ChromeDriver runs in a process group of its own, and the whole group
//! (ChromeDriver and every browser process it started) is killed when
//! the [`Browser`] drops, pass or fail.

use std::net::{Ipv4Addr, SocketAddr};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use base64::Engine;
use serde_json::{Value, json};

use crate::http_client::Conn;
use crate::net_support::free_port;

/// Where Debian's packages put the browser and its driver.
pub(crate) const CHROMIUM: &str = "/usr/bin/chromium";
pub(crate) const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// Whether the browser and its driver are installed. Without them a test
/// is skipped, saying so, on a developer's machine; with
/// `PYCOS_REQUIRE_BROWSER` set (`.ci/run` sets it, and installs them) it
/// fails instead.
pub(crate) fn available() -> bool {
    let missing: Vec<&str> = [CHROMIUM, CHROMEDRIVER]
        .into_iter()
        .filter(|p| !Path::new(p).exists())
        .collect();
    if missing.is_empty() {
        return true;
    }
    let why = format!(
        "{} missing: the browser tests need Debian's chromium and chromium-driver \
         packages (`apt-get install chromium chromium-driver`; .ci/run installs them)",
        missing.join(" and ")
    );
    assert!(std::env::var_os("PYCOS_REQUIRE_BROWSER").is_none(), "{why}");
    eprintln!("skipped: {why}");
    false
}

/// A browser session.
pub(crate) struct Browser {
    driver: Child,
    at: SocketAddr,
    session: String,
}

impl Browser {
    /// Starts ChromeDriver on a free loopback port and a headless
    /// Chromium session with a window of `width`×`height`, its profile
    /// under `profile`.
    pub(crate) fn start(profile: &Path, width: u32, height: u32) -> Browser {
        let port = free_port();
        let driver = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .arg("--allowed-ips=127.0.0.1")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .process_group(0)
            .spawn()
            .unwrap_or_else(|err| panic!("cannot start {CHROMEDRIVER}: {err}"));
        let at = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
        let mut browser = Browser {
            driver,
            at,
            session: String::new(),
        };
        browser.wait_ready();
        let _ = std::fs::remove_dir_all(profile);
        let caps = json!({ "capabilities": { "alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": CHROMIUM,
                "args": [
                    "--headless=new", "--no-sandbox", "--disable-gpu",
                    "--disable-dev-shm-usage", "--no-first-run",
                    "--disable-background-networking", "--disable-extensions",
                    "--disable-component-update", "--disable-sync",
                    format!("--window-size={width},{height}"),
                    format!("--user-data-dir={}", profile.display()),
                ],
            },
        }}});
        let answer = browser.command("POST", "/session", Some(&caps));
        browser.session = answer["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no session id in {answer}"))
            .to_owned();
        browser
    }

    /// Waits (bounded) until ChromeDriver answers its status.
    fn wait_ready(&mut self) {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if let Ok((200, body)) = request(self.at, "GET", "/status", None)
                && body["value"]["ready"] == true
            {
                return;
            }
            if let Ok(Some(status)) = self.driver.try_wait() {
                panic!("{CHROMEDRIVER} exited at start: {status}");
            }
            assert!(
                Instant::now() < deadline,
                "{CHROMEDRIVER} not ready within 30 s"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Runs a WebDriver command; its `value`. Fails on an error answer.
    fn command(&self, method: &str, path: &str, body: Option<&Value>) -> Value {
        match request(self.at, method, path, body) {
            Ok((200, answer)) => answer["value"].clone(),
            Ok((status, answer)) => panic!("WebDriver {method} {path}: {status} {answer}"),
            Err(err) => panic!("WebDriver {method} {path}: {err}"),
        }
    }

    fn session_path(&self, tail: &str) -> String {
        format!("/session/{}{tail}", self.session)
    }

    /// Opens `url` and waits for the page's load.
    pub(crate) fn open(&self, url: &str) {
        self.command(
            "POST",
            &self.session_path("/url"),
            Some(&json!({ "url": url })),
        );
    }

    /// Runs `script` (a function body: `return …`) in the page.
    pub(crate) fn eval(&self, script: &str) -> Value {
        self.command(
            "POST",
            &self.session_path("/execute/sync"),
            Some(&json!({ "script": script, "args": [] })),
        )
    }

    /// Polls `script` until it returns something other than `null` or
    /// `false`, for at most `limit`; the value. Fails naming `what`, with
    /// the page's text.
    pub(crate) fn wait_for(&self, what: &str, limit: Duration, script: &str) -> Value {
        let deadline = Instant::now() + limit;
        loop {
            let value = self.eval(script);
            if !value.is_null() && value != false {
                return value;
            }
            if Instant::now() >= deadline {
                let text = self.eval("return document.body ? document.body.innerText : ''");
                panic!(
                    "{what}: not within {limit:?}; the page shows:\n{}",
                    text.as_str().unwrap_or("")
                );
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Clicks the first element matching the CSS `selector`, as a user
    /// would (the browser checks it is visible and enabled).
    pub(crate) fn click(&self, selector: &str) {
        let found = self.command(
            "POST",
            &self.session_path("/element"),
            Some(&json!({ "using": "css selector", "value": selector })),
        );
        // The W3C element reference is the object's only value.
        let id = found
            .as_object()
            .and_then(|o| o.values().next())
            .and_then(Value::as_str)
            .unwrap_or_else(|| panic!("no element {selector}: {found}"))
            .to_owned();
        self.command(
            "POST",
            &self.session_path(&format!("/element/{id}/click")),
            Some(&json!({})),
        );
    }

    /// Saves a screenshot of the window as a PNG at `path`.
    pub(crate) fn screenshot(&self, path: &Path) {
        let data = self.command("GET", &self.session_path("/screenshot"), None);
        let png = base64::engine::general_purpose::STANDARD
            .decode(data.as_str().expect("a base64 screenshot"))
            .expect("the screenshot decodes");
        assert!(png.starts_with(b"\x89PNG"), "the screenshot is a PNG");
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).expect("the screenshot directory");
        }
        std::fs::write(path, png).expect("the screenshot is written");
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        if !self.session.is_empty() {
            let _ = request(self.at, "DELETE", &self.session_path(""), None);
        }
        // The whole group: ChromeDriver and the browser it started.
        let _ = Command::new("kill")
            .args(["-KILL", "--", &format!("-{}", self.driver.id())])
            .status();
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

/// The directory the screenshots go to: `target/dashboard-screenshots`.
pub(crate) fn screenshot_dir() -> PathBuf {
    let tmp = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
    tmp.parent().unwrap_or(&tmp).join("dashboard-screenshots")
}

/// One WebDriver request with a JSON body; the status and the JSON answer.
fn request(
    at: SocketAddr,
    method: &str,
    path: &str,
    body: Option<&Value>,
) -> std::io::Result<(u16, Value)> {
    let body = body.map(Value::to_string).unwrap_or_default();
    let bytes = format!(
        "{method} {path} HTTP/1.1\r\nHost: {at}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\n\r\n{body}",
        body.len()
    );
    let answer = Conn::open(at.port())?.ask(bytes.as_bytes())?;
    let value = if answer.body.is_empty() {
        Value::Null
    } else {
        serde_json::from_slice(&answer.body).map_err(std::io::Error::other)?
    };
    Ok((answer.status, value))
}
