//! Runs the real app for an end-to-end test: a private Xvfb display, a private D-Bus session bus, private XDG
//! directories and vault, tauri-driver (port 4444, or a free one if taken) with WebKitWebDriver (4445), and one
//! WebDriver session.
//! Everything lives under CARGO_TARGET_TMPDIR, never under the system temp dir: a test scans that for leaks.
//! Teardown runs in Drop, also when a step panics: it saves a screenshot and the DOM, ends the session, sends
//! SIGTERM to tauri-driver (SIGKILL would leave WebKitWebDriver holding port 4445), then ends every process
//! the driver started (ending the session does not always end the app), D-Bus and Xvfb.

use std::cell::RefCell;
use std::collections::HashMap;
use std::fs::{self, File};
use std::io::{BufRead, BufReader, PipeReader, Read};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use super::webdriver::WebDriver;

/// tauri-driver's usual ports; when another program holds them, the test takes two free ones instead.
pub const DRIVER_PORT: u16 = 4444;
pub const NATIVE_DRIVER_PORT: u16 = 4445;
const STARTUP_TIMEOUT: Duration = Duration::from_secs(30);
const STOP_TIMEOUT: Duration = Duration::from_secs(5);

/// The private directories of one test run, kept after the run for inspection (removed at the next run).
#[derive(Debug, Clone)]
pub struct Dirs {
    pub root: PathBuf,
    pub vault: PathBuf,
    pub data: PathBuf,
    pub config: PathBuf,
    pub cache: PathBuf,
    pub runtime: PathBuf,
    /// Files the test writes to import.
    pub files: PathBuf,
    pub logs: PathBuf,
}

impl Dirs {
    fn fresh(test_name: &str) -> Dirs {
        let root = Path::new(env!("CARGO_TARGET_TMPDIR")).join("e2e").join(test_name);
        if root.exists() {
            fs::remove_dir_all(&root)
                .unwrap_or_else(|e| panic!("cannot remove the previous run's {}: {e}", root.display()));
        }
        let dirs = Dirs {
            vault: root.join("vault"),
            data: root.join("xdg-data"),
            config: root.join("xdg-config"),
            cache: root.join("xdg-cache"),
            runtime: short_runtime_dir(&root),
            files: root.join("files"),
            logs: root.join("logs"),
            root,
        };
        if dirs.runtime.exists() {
            fs::remove_dir_all(&dirs.runtime).unwrap_or_else(|e| {
                panic!("cannot remove the previous run's {}: {e}", dirs.runtime.display())
            });
        }
        // The vault directory itself is left to the app to create, as on a first start.
        for dir in [&dirs.data, &dirs.config, &dirs.cache, &dirs.runtime, &dirs.files, &dirs.logs] {
            fs::create_dir_all(dir).unwrap_or_else(|e| panic!("cannot create {}: {e}", dir.display()));
        }
        // GLib and D-Bus refuse a runtime directory that others can read.
        for dir in [dirs.runtime.parent().unwrap_or(&dirs.runtime), &dirs.runtime] {
            fs::set_permissions(dir, fs::Permissions::from_mode(0o700))
                .unwrap_or_else(|e| panic!("cannot restrict {}: {e}", dir.display()));
        }
        // Beside the other directories for whoever inspects a run.
        let _ = std::os::unix::fs::symlink(&dirs.runtime, dirs.root.join("run"));
        dirs
    }

    /// The app's own private directories: where nothing decrypted may ever be written.
    pub fn app_private(&self) -> [&Path; 4] {
        [&self.vault, &self.data, &self.config, &self.cache]
    }
}

/// The test's XDG runtime directory, in /tmp rather than under the target directory: sockets live there (the
/// session bus, WebKit's D-Bus proxies at `webkitgtk/a11y-proxy-XXXXXX`), and a Unix socket's path holds at most
/// 107 bytes. Under a long checkout path and a long test name GLib cut the proxy's path short, so the sandboxed web
/// process found no socket and the window never started (CI, stop 16). One directory per checkout and test,
/// replaced at the next run like the others.
fn short_runtime_dir(root: &Path) -> PathBuf {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::hash::DefaultHasher::new();
    root.hash(&mut hasher);
    let uid = fs::metadata("/proc/self").map(|m| std::os::unix::fs::MetadataExt::uid(&m)).unwrap_or(0);
    Path::new("/tmp").join(format!("redress-e2e-{uid}")).join(format!("{:016x}", hasher.finish()))
}

/// The running app with a WebDriver session on its window.
pub struct App {
    pub driver: WebDriver,
    pub dirs: Dirs,
    procs: Processes,
}

/// What `App::close` leaves: the directories to inspect, and any process that outlived the teardown.
pub struct Closed {
    pub dirs: Dirs,
    pub survivors: Vec<String>,
}

impl App {
    /// Starts Xvfb, D-Bus, tauri-driver and the app; fails the test with the driver's log if any does not start.
    pub fn start(test_name: &str) -> App {
        let dirs = Dirs::fresh(test_name);
        let mut procs = Processes::new(dirs.clone(), driver_ports());

        let display = procs.start_xvfb();
        let bus = procs.start_dbus(&display);
        procs.start_driver(&display, &bus);

        let application = Path::new(env!("CARGO_BIN_EXE_redress"));
        let driver = match WebDriver::new_session(&format!("http://127.0.0.1:{}", procs.ports.0), application)
        {
            Ok(driver) => driver,
            Err(e) => panic!(
                "tauri-driver could not start the app {} in a WebDriver session: {e}\n{}",
                application.display(),
                procs.log_tail()
            ),
        };
        App { driver, dirs, procs }
    }

    /// Ends the session and every process; returns what is needed to check the app left nothing behind.
    pub fn close(mut self) -> Closed {
        let _ = self.driver.delete();
        let survivors = self.procs.stop();
        Closed { dirs: self.dirs.clone(), survivors }
    }

    /// Saves a screenshot of the whole display (the DOM is the truth; this helps a person see why).
    pub fn screenshot(&self, name: &str) -> Option<PathBuf> {
        self.procs.screenshot(name)
    }

    /// The processes running below tauri-driver now (the app, WebKit's processes, their sandboxes), with their
    /// `comm` names; an ended process not yet reaped by its parent is not running.
    pub fn processes(&self) -> Vec<(u32, String)> {
        let driver = self.procs.driver.as_ref().map(Child::id);
        let running = driver.map(descendants).unwrap_or_default().into_iter().filter(|pid| alive(*pid));
        running.map(|pid| (pid, comm(pid))).collect()
    }

    /// Goes on driving the running app in a new WebDriver session. WebKit's driver ends its session when the
    /// page's web process ends ("session deleted because of page crash or hang"), and Redress ends that process on
    /// every lock; a WebKitWebDriver started with `--target` on the app's inspector server (which tauri-driver's
    /// WebKitWebDriver opened, `WEBKIT_INSPECTOR_SERVER` in the app's environment) attaches to the same app.
    pub fn reattach(&self) {
        let procs = self.processes();
        let app =
            procs.iter().find(|(_, name)| name == "redress").map(|(pid, _)| *pid).unwrap_or_else(|| {
                panic!("the app process is not among tauri-driver's descendants: {procs:?}")
            });
        let environ = fs::read(format!("/proc/{app}/environ")).unwrap_or_default();
        let target = environ
            .split(|b| *b == 0)
            .filter_map(|v| std::str::from_utf8(v).ok())
            .find_map(|v| v.strip_prefix("WEBKIT_INSPECTOR_SERVER="))
            .unwrap_or_else(|| panic!("the app {app} has no WEBKIT_INSPECTOR_SERVER in its environment"))
            .to_owned();
        let port = free_port();
        let n = self.procs.attached.borrow().len() + 1;
        let log = self.procs.log(&format!("webkitwebdriver-{n}.log"));
        let log_err = log.try_clone().unwrap_or_else(|e| panic!("cannot share the driver log: {e}"));
        let child = Command::new("WebKitWebDriver")
            .args([format!("--port={port}"), format!("--target={target}")])
            .stdin(Stdio::null())
            .stdout(log)
            .stderr(log_err)
            .process_group(0)
            .spawn()
            .unwrap_or_else(|e| {
                panic!("cannot start WebKitWebDriver (Debian package webkit2gtk-driver): {e}")
            });
        self.procs.attached.borrow_mut().push((child, port));
        let start = Instant::now();
        while !port_open(port) {
            assert!(
                start.elapsed() < STARTUP_TIMEOUT,
                "WebKitWebDriver --target={target} did not listen on {port}"
            );
            thread::sleep(Duration::from_millis(50));
        }
        let driver = WebDriver::attach(&format!("http://127.0.0.1:{port}")).unwrap_or_else(|e| {
            panic!("cannot attach a WebDriver session to the running app ({target}): {e}")
        });
        self.driver.replace(driver);
    }

    /// The private X display the app runs on (for xdotool, to type into a native dialog).
    pub fn display(&self) -> String {
        self.procs.display.clone().unwrap_or_default()
    }
}

impl Drop for App {
    fn drop(&mut self) {
        if self.procs.stopped {
            return;
        }
        if thread::panicking() {
            let shot = self.procs.screenshot("failure.png");
            let dom = self.dirs.logs.join("failure.html");
            let dom_saved = self.driver.page_source().ok().and_then(|s| fs::write(&dom, s).ok()).is_some();
            eprintln!(
                "end-to-end failure: screenshot {}, DOM {}, logs in {}\n{}",
                shot.map(|p| p.display().to_string()).unwrap_or_else(|| "not taken".into()),
                if dom_saved { dom.display().to_string() } else { "not saved".into() },
                self.dirs.logs.display(),
                self.procs.log_tail()
            );
        }
        let _ = self.driver.delete();
        let survivors = self.procs.stop();
        if !survivors.is_empty() {
            eprintln!("processes still running after teardown: {survivors:?}");
        }
    }
}

/// The processes a test started. Dropping it (also while a panic unwinds) stops them all.
struct Processes {
    dirs: Dirs,
    display: Option<String>,
    xvfb: Option<Child>,
    /// Xvfb's -displayfd pipe: kept open for the whole test, or GTK fails to start.
    xvfb_pipe: Option<PipeReader>,
    dbus: Option<Child>,
    driver: Option<Child>,
    /// WebKitWebDrivers attached to the running app after the first session ended, with their ports.
    attached: RefCell<Vec<(Child, u16)>>,
    /// tauri-driver's port and WebKitWebDriver's.
    ports: (u16, u16),
    stopped: bool,
}

impl Processes {
    fn new(dirs: Dirs, ports: (u16, u16)) -> Self {
        Processes {
            dirs,
            display: None,
            xvfb: None,
            xvfb_pipe: None,
            dbus: None,
            driver: None,
            attached: RefCell::new(Vec::new()),
            ports,
            stopped: false,
        }
    }

    fn log(&self, name: &str) -> File {
        let path = self.dirs.logs.join(name);
        File::create(&path).unwrap_or_else(|e| panic!("cannot create the log {}: {e}", path.display()))
    }

    /// Starts Xvfb on the first free display (it tells which through -displayfd) and returns ":N".
    fn start_xvfb(&mut self) -> String {
        let (reader, writer) =
            std::io::pipe().unwrap_or_else(|e| panic!("cannot create a pipe for Xvfb: {e}"));
        let child = Command::new("Xvfb")
            .args(["-displayfd", "1", "-screen", "0", "1280x800x24", "-nolisten", "tcp"])
            .stdin(Stdio::null())
            .stdout(writer)
            .stderr(self.log("xvfb.log"))
            .process_group(0)
            .spawn()
            .unwrap_or_else(|e| {
                panic!("cannot start Xvfb (Debian package xvfb; `make e2e` installs it): {e}")
            });
        self.xvfb = Some(child);
        let mut reader = BufReader::new(reader);
        let mut line = String::new();
        // Blocks until Xvfb is ready; EOF (0 bytes) means it exited.
        let n = reader.read_line(&mut line).unwrap_or(0);
        let number = line.trim();
        assert!(
            n > 0 && !number.is_empty() && number.chars().all(|c| c.is_ascii_digit()),
            "Xvfb did not report a display number (it wrote {line:?}); see {}",
            self.dirs.logs.join("xvfb.log").display()
        );
        let display = format!(":{number}");
        self.xvfb_pipe = Some(reader.into_inner());
        self.display = Some(display.clone());
        display
    }

    /// Starts a private session bus, so the app's single-instance check and GTK never reach the desktop's
    /// (a Redress already open there would otherwise receive the test's launch and the test app would exit).
    fn start_dbus(&mut self, display: &str) -> String {
        let socket = self.dirs.runtime.join("bus");
        let address = if socket.as_os_str().len() < 100 {
            format!("unix:path={}", socket.display())
        } else {
            format!("unix:abstract=redress-e2e-{}", std::process::id())
        };
        // Services the bus starts on demand (the accessibility bus, desktop portals) get the same private
        // display and directories as the app.
        let spawned = self
            .private_env(
                Command::new("dbus-daemon").args(["--session", "--nofork", "--print-address=1"]),
                display,
            )
            .arg(format!("--address={address}"))
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(self.log("dbus.log"))
            .process_group(0)
            .spawn();
        let mut child = match spawned {
            Ok(child) => child,
            Err(e) => {
                // Without a bus the app launches normally (single-instance is then off); say so in the log.
                eprintln!("dbus-daemon did not start ({e}); the app runs without a session bus");
                return "disabled:".into();
            }
        };
        let stdout = child.stdout.take();
        self.dbus = Some(child);
        let mut line = String::new();
        if let Some(out) = stdout {
            let _ = BufReader::new(out).read_line(&mut line);
        }
        let printed = line.trim();
        assert!(
            !printed.is_empty(),
            "dbus-daemon did not print its address; see {}",
            self.dirs.logs.join("dbus.log").display()
        );
        printed.to_owned()
    }

    /// Starts tauri-driver with the app's private environment (the app inherits it through WebKitWebDriver)
    /// and waits until both it and WebKitWebDriver accept connections.
    fn start_driver(&mut self, display: &str, bus: &str) {
        let binary = tauri_driver_binary();
        let (port, native_port) = self.ports;
        let log = self.log("tauri-driver.log");
        let log_err = log.try_clone().unwrap_or_else(|e| panic!("cannot share the driver log: {e}"));
        let mut command = Command::new(&binary);
        self.private_env(&mut command, display)
            .args(["--port", &port.to_string(), "--native-port", &native_port.to_string()])
            .env("DBUS_SESSION_BUS_ADDRESS", bus)
            .env("REDRESS_VAULT_DIR", &self.dirs.vault)
            .stdin(Stdio::null())
            .stdout(log)
            .stderr(log_err)
            .process_group(0);
        let child = command.spawn().unwrap_or_else(|e| {
            panic!(
                "cannot start {} (install it with `cargo install tauri-driver --version ^2 --locked`): {e}",
                binary.display()
            )
        });
        self.driver = Some(child);

        let start = Instant::now();
        while !(port_open(port) && port_open(native_port)) {
            if let Some(Ok(Some(status))) = self.driver.as_mut().map(Child::try_wait) {
                panic!("tauri-driver exited ({status}) before it listened\n{}", self.log_tail());
            }
            assert!(
                start.elapsed() < STARTUP_TIMEOUT,
                "tauri-driver (port {port}) and WebKitWebDriver (port {native_port}) did not both listen within \
                 {} s\n{}",
                STARTUP_TIMEOUT.as_secs(),
                self.log_tail()
            );
            thread::sleep(Duration::from_millis(100));
        }
    }

    /// The display and the private XDG directories (HOME is left alone: cargo and rustup need it, and what
    /// GTK and WebKit write goes to the XDG directories).
    fn private_env<'c>(&self, command: &'c mut Command, display: &str) -> &'c mut Command {
        command
            .env("DISPLAY", display)
            .env_remove("WAYLAND_DISPLAY")
            .env("GDK_BACKEND", "x11")
            .env("XDG_DATA_HOME", &self.dirs.data)
            .env("XDG_CONFIG_HOME", &self.dirs.config)
            .env("XDG_CACHE_HOME", &self.dirs.cache)
            .env("XDG_RUNTIME_DIR", &self.dirs.runtime)
    }

    /// The end of tauri-driver's log (WebKitWebDriver's and the app's stderr go there too).
    fn log_tail(&self) -> String {
        let path = self.dirs.logs.join("tauri-driver.log");
        let text = fs::read_to_string(&path).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        let tail = lines[lines.len().saturating_sub(40)..].join("\n");
        format!("--- last lines of {} ---\n{tail}", path.display())
    }

    fn screenshot(&self, name: &str) -> Option<PathBuf> {
        let display = self.display.as_deref()?;
        let path = self.dirs.logs.join(name);
        let ok = Command::new("import")
            .args(["-display", display, "-window", "root"])
            .arg(&path)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        ok.then_some(path)
    }

    /// Stops everything in order; returns the processes that could not be ended (should be none).
    fn stop(&mut self) -> Vec<String> {
        if self.stopped {
            return Vec::new();
        }
        self.stopped = true;
        // Recorded before anything ends: once WebKitWebDriver is gone the app is re-parented and would be lost.
        let mut started: Vec<u32> = Vec::new();
        for child in [&self.driver, &self.dbus].into_iter().flatten() {
            started.extend(descendants(child.id()));
        }

        if let Some(driver) = self.driver.as_mut() {
            signal(driver.id(), "TERM");
            wait_child(driver, STOP_TIMEOUT);
        }
        let attached: Vec<(Child, u16)> = self.attached.borrow_mut().drain(..).collect();
        let mut attached_ports = Vec::new();
        for (mut child, port) in attached {
            signal(child.id(), "TERM");
            wait_child(&mut child, STOP_TIMEOUT);
            attached_ports.push(port);
        }
        end_all(&started);
        if let Some(dbus) = self.dbus.as_mut() {
            signal(dbus.id(), "TERM");
            wait_child(dbus, STOP_TIMEOUT);
        }
        if let Some(xvfb) = self.xvfb.as_mut() {
            signal(xvfb.id(), "TERM");
            wait_child(xvfb, STOP_TIMEOUT);
        }
        self.xvfb_pipe = None;

        let (port, native_port) = self.ports;
        let start = Instant::now();
        while (port_open(port) || port_open(native_port)) && start.elapsed() < STOP_TIMEOUT {
            thread::sleep(Duration::from_millis(100));
        }
        let mut survivors: Vec<String> =
            started.iter().filter(|pid| alive(**pid)).map(|pid| format!("{pid} {}", comm(*pid))).collect();
        for port in [port, native_port].into_iter().chain(attached_ports) {
            if port_open(port) {
                survivors.push(format!("something still listens on port {port}"));
            }
        }
        survivors
    }
}

impl Drop for Processes {
    fn drop(&mut self) {
        self.stop();
    }
}

/// tauri-driver from PATH, or from cargo's bin directory (where `cargo install` puts it).
fn tauri_driver_binary() -> PathBuf {
    if let Some(path) = std::env::var_os("TAURI_DRIVER") {
        return PathBuf::from(path);
    }
    let on_path = std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).map(|d| d.join("tauri-driver")).find(|c| c.is_file()))
        .unwrap_or_default();
    let cargo_home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")));
    on_path
        .or_else(|| cargo_home.map(|c| c.join("bin").join("tauri-driver")).filter(|c| c.is_file()))
        .unwrap_or_else(|| {
            panic!("tauri-driver is not installed: run `cargo install tauri-driver --version ^2 --locked` (`make e2e` does)")
        })
}

/// 4444 and 4445 when both are free; otherwise two free ports the system hands out (someone may be running
/// WebKitWebDriver or another test by hand on this machine: the test must neither fail nor talk to it).
fn driver_ports() -> (u16, u16) {
    if !port_open(DRIVER_PORT) && !port_open(NATIVE_DRIVER_PORT) {
        return (DRIVER_PORT, NATIVE_DRIVER_PORT);
    }
    let (a, mut b) = (free_port(), free_port());
    while b == a {
        b = free_port();
    }
    println!(
        "   note: port {DRIVER_PORT} or {NATIVE_DRIVER_PORT} is taken by another program; using {a} and {b}"
    );
    (a, b)
}

/// A loopback port nobody listens on now.
fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap_or_else(|e| panic!("cannot find a free loopback port: {e}"))
}

pub fn port_open(port: u16) -> bool {
    TcpStream::connect_timeout(&SocketAddr::from(([127, 0, 0, 1], port)), Duration::from_millis(200)).is_ok()
}

/// Sends a signal (TERM, KILL) with the shell's built-in `kill`: the tests forbid unsafe code (no libc), and
/// /bin/sh is on every machine, unlike procps' kill.
fn signal(pid: u32, sig: &str) {
    let _ = Command::new("sh")
        .args(["-c", "kill -s \"$1\" \"$2\"", "sh", sig, &pid.to_string()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
}

fn wait_child(child: &mut Child, timeout: Duration) {
    let start = Instant::now();
    while start.elapsed() < timeout {
        if let Ok(Some(_)) = child.try_wait() {
            return;
        }
        thread::sleep(Duration::from_millis(50));
    }
    let _ = child.kill();
    let _ = child.wait();
}

/// SIGTERM to each process still alive, then SIGKILL to those that ignore it.
fn end_all(pids: &[u32]) {
    for pid in pids.iter().filter(|p| alive(**p)) {
        signal(*pid, "TERM");
    }
    let start = Instant::now();
    while pids.iter().any(|p| alive(*p)) && start.elapsed() < STOP_TIMEOUT {
        thread::sleep(Duration::from_millis(50));
    }
    for pid in pids.iter().filter(|p| alive(**p)) {
        signal(*pid, "KILL");
    }
    let start = Instant::now();
    while pids.iter().any(|p| alive(*p)) && start.elapsed() < STOP_TIMEOUT {
        thread::sleep(Duration::from_millis(50));
    }
}

/// State and parent of a process from /proc/PID/stat ("pid (comm) S ppid ..."; comm may hold spaces).
fn stat(pid: u32) -> Option<(char, u32)> {
    let text = fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let rest = &text[text.rfind(')')? + 1..];
    let mut fields = rest.split_whitespace();
    let state = fields.next()?.chars().next()?;
    let ppid = fields.next()?.parse().ok()?;
    Some((state, ppid))
}

fn alive(pid: u32) -> bool {
    matches!(stat(pid), Some((state, _)) if state != 'Z' && state != 'X')
}

fn comm(pid: u32) -> String {
    fs::read_to_string(format!("/proc/{pid}/comm")).map(|s| s.trim().to_owned()).unwrap_or_default()
}

/// Every process below `root` now (children, grandchildren, …).
fn descendants(root: u32) -> Vec<u32> {
    let mut children: HashMap<u32, Vec<u32>> = HashMap::new();
    if let Ok(entries) = fs::read_dir("/proc") {
        for entry in entries.flatten() {
            let Some(pid) = entry.file_name().to_str().and_then(|s| s.parse::<u32>().ok()) else { continue };
            if let Some((_, ppid)) = stat(pid) {
                children.entry(ppid).or_default().push(pid);
            }
        }
    }
    let mut found = Vec::new();
    let mut queue = vec![root];
    while let Some(pid) = queue.pop() {
        for child in children.get(&pid).into_iter().flatten() {
            found.push(*child);
            queue.push(*child);
        }
    }
    found
}

/// A random hex string from the kernel (the tests have no RNG crate and need none).
pub fn random_hex(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    File::open("/dev/urandom")
        .and_then(|mut f| f.read_exact(&mut buf))
        .unwrap_or_else(|e| panic!("cannot read /dev/urandom: {e}"));
    buf.iter().map(|b| format!("{b:02x}")).collect()
}
