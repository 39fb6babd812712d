//! A small synchronous W3C WebDriver client: only the commands the end-to-end tests use, spoken as JSON over
//! plain HTTP to tauri-driver on 127.0.0.1. Synchronous on purpose: the steps run one after another, and ureq
//! without TLS keeps the test build free of an async runtime.
//! Every helper panics with the selector and the driver's error, so a failing step says what it was doing.

use std::cell::RefCell;
use std::fmt;
use std::path::Path;
use std::thread;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

/// The key under which W3C WebDriver returns an element reference.
const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";
/// How long `wait_for` and `wait_until` poll before failing the test.
pub const WAIT_TIMEOUT: Duration = Duration::from_secs(30);
const POLL_INTERVAL: Duration = Duration::from_millis(100);
/// Responses carry page sources and axe reports: allow more than ureq's 10 MiB default.
const MAX_RESPONSE_BYTES: u64 = 64 * 1024 * 1024;

/// A WebDriver error response (or a transport failure, with status 0).
#[derive(Debug, Clone)]
pub struct DriverError {
    pub status: u16,
    pub error: String,
    pub message: String,
}

impl DriverError {
    fn transport(message: String) -> Self {
        DriverError { status: 0, error: "transport".into(), message }
    }

    pub fn is_no_such_element(&self) -> bool {
        self.error == "no such element"
    }

    pub fn is_stale(&self) -> bool {
        self.error == "stale element reference"
    }
}

impl fmt::Display for DriverError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (HTTP {}): {}", self.error, self.status, self.message)
    }
}

/// An element found by a CSS selector; the selector is kept for error messages.
#[derive(Debug, Clone)]
pub struct Element {
    id: String,
    pub selector: String,
}

impl Element {
    /// The element as a script argument (`arguments[i]` in the page is then the DOM element).
    pub fn as_arg(&self) -> Value {
        json!({ ELEMENT_KEY: self.id })
    }
}

/// A low-level HTTP connection to a WebDriver server, before and after a session exists.
#[derive(Clone)]
pub struct Http {
    agent: ureq::Agent,
    base: String,
}

impl Http {
    pub fn new(base: &str, timeout: Duration) -> Self {
        let config = ureq::Agent::config_builder()
            .timeout_global(Some(timeout))
            // WebDriver reports errors as 4xx/5xx with a JSON body that says what went wrong: read it.
            .http_status_as_error(false)
            // The driver is on loopback: a proxy from the environment must not be used.
            .proxy(None)
            .build();
        Http { agent: ureq::Agent::new_with_config(config), base: base.trim_end_matches('/').to_owned() }
    }

    /// Sends a request and returns the response's `value`, or the WebDriver error it carries.
    pub fn request(&self, method: &str, path: &str, body: Option<&Value>) -> Result<Value, DriverError> {
        let url = format!("{}{}", self.base, path);
        let response = match (method, body) {
            ("GET", _) => self.agent.get(&url).call(),
            ("DELETE", _) => self.agent.delete(&url).call(),
            ("POST", Some(body)) => self.agent.post(&url).send_json(body),
            ("POST", None) => self.agent.post(&url).send_json(json!({})),
            _ => return Err(DriverError::transport(format!("unsupported method {method}"))),
        };
        let mut response =
            response.map_err(|e| DriverError::transport(format!("{method} {url} failed: {e}")))?;
        let status = response.status().as_u16();
        let bytes =
            response.body_mut().with_config().limit(MAX_RESPONSE_BYTES).read_to_vec().map_err(|e| {
                DriverError::transport(format!("{method} {url}: reading the response failed: {e}"))
            })?;
        let parsed: Value = serde_json::from_slice(&bytes).map_err(|e| {
            DriverError::transport(format!(
                "{method} {url}: HTTP {status}, body is not JSON ({e}): {}",
                String::from_utf8_lossy(&bytes[..bytes.len().min(500)])
            ))
        })?;
        let value = parsed.get("value").cloned().unwrap_or(Value::Null);
        if (200..300).contains(&status) {
            return Ok(value);
        }
        Err(DriverError {
            status,
            error: value.get("error").and_then(Value::as_str).unwrap_or("unknown error").to_owned(),
            message: value.get("message").and_then(Value::as_str).unwrap_or_default().to_owned(),
        })
    }
}

/// One WebDriver session on the app's window. Replaced in place when WebKit's driver ends it (see `replace`).
pub struct WebDriver {
    http: RefCell<Http>,
    session: RefCell<String>,
}

impl WebDriver {
    /// Starts the app through tauri-driver: it turns `tauri:options` into WebKitWebDriver's
    /// `webkitgtk:browserOptions` (only inside `capabilities.alwaysMatch`).
    pub fn new_session(base: &str, application: &Path) -> Result<Self, DriverError> {
        // The first session after a fresh build can take ~20 s (WebKit warms its caches): be generous.
        let http = Http::new(base, Duration::from_secs(120));
        let capabilities = json!({
            "capabilities": {
                "alwaysMatch": {
                    "tauri:options": { "application": application.to_string_lossy() }
                }
            }
        });
        Self::open(http, &capabilities)
    }

    /// Asks for a new session with `capabilities`; async scripts (imports, axe) may then run for a while: the
    /// default 30 s is kept for nothing else.
    fn open(http: Http, capabilities: &Value) -> Result<Self, DriverError> {
        let value = http.request("POST", "/session", Some(capabilities))?;
        let session = value
            .get("sessionId")
            .and_then(Value::as_str)
            .ok_or_else(|| {
                DriverError::transport(format!("new session answered without a sessionId: {value}"))
            })?
            .to_owned();
        let driver = WebDriver { http: RefCell::new(http), session: RefCell::new(session) };
        driver.command("POST", "/timeouts", Some(&json!({ "script": 120_000 })))?;
        Ok(driver)
    }

    fn command(&self, method: &str, path: &str, body: Option<&Value>) -> Result<Value, DriverError> {
        let session = self.session.borrow().clone();
        let http = self.http.borrow().clone();
        http.request(method, &format!("/session/{session}{path}"), body)
    }

    fn element_from(value: &Value, selector: &str) -> Result<Element, DriverError> {
        value
            .get(ELEMENT_KEY)
            .and_then(Value::as_str)
            .map(|id| Element { id: id.to_owned(), selector: selector.to_owned() })
            .ok_or_else(|| DriverError::transport(format!("not an element reference: {value}")))
    }

    /// Finds the first element matching a CSS selector, if there is one now.
    pub fn try_find(&self, css: &str) -> Result<Option<Element>, DriverError> {
        match self.command("POST", "/element", Some(&json!({ "using": "css selector", "value": css }))) {
            Ok(value) => Self::element_from(&value, css).map(Some),
            Err(e) if e.is_no_such_element() => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Finds the first element matching a CSS selector now; fails the test if there is none.
    pub fn find(&self, css: &str) -> Element {
        match self.try_find(css) {
            Ok(Some(el)) => el,
            Ok(None) => panic!("no element matches `{css}` on the current screen"),
            Err(e) => panic!("finding `{css}` failed: {e}"),
        }
    }

    /// Every element matching a CSS selector now (possibly none).
    pub fn find_all(&self, css: &str) -> Vec<Element> {
        let value = self
            .command("POST", "/elements", Some(&json!({ "using": "css selector", "value": css })))
            .unwrap_or_else(|e| panic!("finding all `{css}` failed: {e}"));
        value
            .as_array()
            .map(|items| {
                items
                    .iter()
                    .map(|v| {
                        Self::element_from(v, css).unwrap_or_else(|e| panic!("finding all `{css}`: {e}"))
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Every element matching a CSS selector inside `parent`.
    pub fn find_all_in(&self, parent: &Element, css: &str) -> Vec<Element> {
        let selector = format!("{} {css}", parent.selector);
        let value = self
            .command(
                "POST",
                &format!("/element/{}/elements", parent.id),
                Some(&json!({ "using": "css selector", "value": css })),
            )
            .unwrap_or_else(|e| panic!("finding `{selector}` failed: {e}"));
        value
            .as_array()
            .map(|items| {
                items
                    .iter()
                    .map(|v| {
                        Self::element_from(v, &selector)
                            .unwrap_or_else(|e| panic!("finding `{selector}`: {e}"))
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Clicks an element (scrolled into view by the driver, as a person's click).
    pub fn try_click(&self, el: &Element) -> Result<(), DriverError> {
        self.command("POST", &format!("/element/{}/click", el.id), None).map(|_| ())
    }

    pub fn click(&self, el: &Element) {
        self.try_click(el).unwrap_or_else(|e| panic!("clicking `{}` failed: {e}", el.selector));
    }

    /// Waits for an element and clicks it; retries while the UI re-renders it (stale references).
    pub fn click_when_ready(&self, css: &str) {
        let deadline = Instant::now() + WAIT_TIMEOUT;
        loop {
            let el = self.wait_for(css);
            match self.try_click(&el) {
                Ok(()) => return,
                Err(e)
                    if Instant::now() < deadline
                        && (e.is_stale() || e.error == "element not interactable") =>
                {
                    // The driver scrolls an element to the window's bottom edge, where WebKitGTK under Xvfb may
                    // not hit-test it; a person would scroll it further up, so this does too before retrying.
                    if !e.is_stale() {
                        let _ = self
                            .execute("arguments[0].scrollIntoView({block: 'center'});", vec![el.as_arg()]);
                    }
                    thread::sleep(POLL_INTERVAL);
                }
                Err(e) => panic!("clicking `{css}` failed: {e}"),
            }
        }
    }

    /// Types text into an element, as key presses.
    pub fn send_keys(&self, el: &Element, text: &str) {
        self.command("POST", &format!("/element/{}/value", el.id), Some(&json!({ "text": text })))
            .unwrap_or_else(|e| panic!("typing into `{}` failed: {e}", el.selector));
    }

    /// Clears an input or textarea.
    pub fn clear(&self, el: &Element) {
        self.command("POST", &format!("/element/{}/clear", el.id), None)
            .unwrap_or_else(|e| panic!("clearing `{}` failed: {e}", el.selector));
    }

    /// Waits for a field, clears it and types `text` into it.
    pub fn fill(&self, css: &str, text: &str) {
        let el = self.wait_for(css);
        self.clear(&el);
        self.send_keys(&el, text);
    }

    /// The element's rendered text.
    pub fn try_text(&self, el: &Element) -> Result<String, DriverError> {
        self.command("GET", &format!("/element/{}/text", el.id), None)
            .map(|v| v.as_str().unwrap_or_default().to_owned())
    }

    pub fn text(&self, el: &Element) -> String {
        self.try_text(el).unwrap_or_else(|e| panic!("reading the text of `{}` failed: {e}", el.selector))
    }

    /// An HTML attribute of the element (None when absent).
    pub fn try_attribute(&self, el: &Element, name: &str) -> Result<Option<String>, DriverError> {
        self.command("GET", &format!("/element/{}/attribute/{name}", el.id), None)
            .map(|v| v.as_str().map(str::to_owned))
    }

    pub fn attribute(&self, el: &Element, name: &str) -> Option<String> {
        self.try_attribute(el, name)
            .unwrap_or_else(|e| panic!("reading attribute {name} of `{}` failed: {e}", el.selector))
    }

    /// A DOM property of the element (`value`, `checked`, `selected`, …).
    pub fn property(&self, el: &Element, name: &str) -> Value {
        self.command("GET", &format!("/element/{}/property/{name}", el.id), None)
            .unwrap_or_else(|e| panic!("reading property {name} of `{}` failed: {e}", el.selector))
    }

    /// Runs a synchronous script (a function body; `arguments` holds `args`) and returns what it returns.
    pub fn execute(&self, script: &str, args: Vec<Value>) -> Result<Value, DriverError> {
        self.command("POST", "/execute/sync", Some(&json!({ "script": script, "args": args })))
    }

    /// Runs an asynchronous script body: it may `await`, and what it returns (or throws) is the result.
    /// The body runs inside an async function, so the answer does not depend on whether the driver awaits a
    /// returned promise by itself; a thrown error comes back as `Err` with the page's message.
    pub fn execute_async(&self, body: &str, args: Vec<Value>) -> Result<Value, DriverError> {
        let script = format!(
            "const __done = arguments[arguments.length - 1];\n\
             const __args = Array.prototype.slice.call(arguments, 0, arguments.length - 1);\n\
             (async function () {{\n{body}\n}}).apply(null, __args).then(\n\
               (value) => __done({{ ok: value === undefined ? null : value }}),\n\
               (error) => __done({{ err: String((error && (error.stack || error.message)) || error) }}),\n\
             );"
        );
        let value =
            self.command("POST", "/execute/async", Some(&json!({ "script": script, "args": args })))?;
        if let Some(err) = value.get("err") {
            return Err(DriverError {
                status: 0,
                error: "javascript error".into(),
                message: err.as_str().unwrap_or_default().to_owned(),
            });
        }
        Ok(value.get("ok").cloned().unwrap_or(Value::Null))
    }

    /// Polls until `probe` returns Some, for at most `timeout`; None if it never did.
    pub fn poll<T>(&self, timeout: Duration, mut probe: impl FnMut(&Self) -> Option<T>) -> Option<T> {
        let start = Instant::now();
        loop {
            if let Some(found) = probe(self) {
                return Some(found);
            }
            if start.elapsed() > timeout {
                return None;
            }
            thread::sleep(POLL_INTERVAL);
        }
    }

    /// Polls until `probe` returns Some, for at most WAIT_TIMEOUT; fails the test naming `what`.
    pub fn wait_until<T>(&self, what: &str, probe: impl FnMut(&Self) -> Option<T>) -> T {
        self.poll(WAIT_TIMEOUT, probe)
            .unwrap_or_else(|| panic!("waited {} s for {what}; it did not happen", WAIT_TIMEOUT.as_secs()))
    }

    /// Waits until an element matching `css` exists and is displayed.
    pub fn wait_for(&self, css: &str) -> Element {
        let mut last_error = None;
        let start = Instant::now();
        loop {
            match self.try_find(css) {
                Ok(Some(el)) => match self.command("GET", &format!("/element/{}/displayed", el.id), None) {
                    Ok(Value::Bool(true)) => return el,
                    Ok(_) => last_error = Some(format!("`{css}` exists but is not displayed")),
                    Err(e) => last_error = Some(e.to_string()),
                },
                Ok(None) => {}
                Err(e) => last_error = Some(e.to_string()),
            }
            if start.elapsed() > WAIT_TIMEOUT {
                panic!(
                    "waited {} s for `{css}` to be shown; it never was{}",
                    WAIT_TIMEOUT.as_secs(),
                    last_error.map(|e| format!(" (last: {e})")).unwrap_or_default()
                );
            }
            thread::sleep(POLL_INTERVAL);
        }
    }

    /// Waits until the element's text satisfies `ok`, and returns that text.
    pub fn wait_for_text(&self, css: &str, what: &str, ok: impl Fn(&str) -> bool) -> String {
        let mut last = String::new();
        let start = Instant::now();
        loop {
            if let Ok(Some(el)) = self.try_find(css) {
                if let Ok(text) = self.try_text(&el) {
                    if ok(&text) {
                        return text;
                    }
                    last = text;
                }
            }
            if start.elapsed() > WAIT_TIMEOUT {
                panic!(
                    "waited {} s for `{css}` to show {what}; its text was {last:?}",
                    WAIT_TIMEOUT.as_secs()
                );
            }
            thread::sleep(POLL_INTERVAL);
        }
    }

    /// The current DOM serialised (for failure reports).
    pub fn page_source(&self) -> Result<String, DriverError> {
        self.command("GET", "/source", None).map(|v| v.as_str().unwrap_or_default().to_owned())
    }

    /// Ends the session (the harness still terminates the app afterwards: ending it does not always).
    pub fn delete(&self) -> Result<(), DriverError> {
        let short = Http::new(&self.http.borrow().base, Duration::from_secs(10));
        short.request("DELETE", &format!("/session/{}", self.session.borrow()), None).map(|_| ())
    }

    /// A session on a browser that is already running, through a WebKitWebDriver started with `--target` (no
    /// capabilities: it starts nothing).
    pub fn attach(base: &str) -> Result<Self, DriverError> {
        let http = Http::new(base, Duration::from_secs(60));
        Self::open(http, &json!({ "capabilities": { "alwaysMatch": {} } }))
    }

    /// Goes on with `other`'s session from now on (this one was ended by the driver).
    pub fn replace(&self, other: WebDriver) {
        *self.http.borrow_mut() = other.http.into_inner();
        *self.session.borrow_mut() = other.session.into_inner();
    }
}
