//! Untrusted files are parsed in a child process: the same executable started with `--redress-worker MODE`, fed
//! the file on stdin (never a temporary file: evidence stays out of the clear on disk), answering on stdout. The
//! child lowers its own memory and CPU limits before it reads a byte, and the parent kills it at a deadline, so a
//! PDF that panics the parser, loops or balloons costs one placeholder page, never the app. The child's answer is a
//! plain PDF that lopdf wrote (one content stream per page, inherited attributes resolved, nothing else: no
//! scripts, forms, annotations or attachments), so what the parent parses afterwards is its own kind of file.

use std::ffi::OsString;
use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use lopdf::{Dictionary, Object, ObjectId, Stream};

use super::picture;
use crate::error::{Error, Result};

/// The first argument that turns Redress (app or CLI) into a worker.
pub const WORKER_FLAG: &str = "--redress-worker";
/// The environment variable through which the parent tells the worker its memory budget in bytes.
const MEMORY_ENV: &str = "REDRESS_WORKER_MEMORY";
const EXIT_ENCRYPTED: i32 = 3;
const EXIT_UNREADABLE: i32 = 4;
/// The most pages one exhibit may have.
const MAX_PAGES: usize = 10_000;
/// The most a page's content may decompress to.
const MAX_PAGE_CONTENT: usize = 64 * 1024 * 1024;

/// What the worker is asked to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    /// A PDF, sanitized to pages (see the module header).
    Pdf,
    /// A picture prepared for a page (`picture::prepare`): a JSON header line, then the bytes.
    Picture,
    /// A picture's metadata as JSON (`picture::metadata`).
    Inspect,
}

impl Mode {
    fn name(self) -> &'static str {
        match self {
            Mode::Pdf => "pdf",
            Mode::Picture => "picture",
            Mode::Inspect => "inspect",
        }
    }
}

/// Why the worker gave no answer. Each becomes a placeholder page with this reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// The PDF needs a password to open.
    Encrypted,
    /// The file could not be read as what it claims to be; the parser's words.
    Unreadable(String),
    /// The parser crashed (a panic, or it ran out of its memory budget).
    Crashed,
    /// The parser did not finish in time and was stopped.
    TimedOut,
    /// The worker could not be started at all.
    Unavailable(String),
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Failure::Encrypted => f.write_str("the PDF is protected by a password"),
            Failure::Unreadable(why) => write!(f, "the file could not be read: {why}"),
            Failure::Crashed => {
                f.write_str("reading the file failed (the reader crashed or ran out of memory)")
            }
            Failure::TimedOut => f.write_str("reading the file took too long and was stopped"),
            Failure::Unavailable(why) => write!(f, "the file reader could not be started: {why}"),
        }
    }
}

/// How to start a worker, and its bounds.
#[derive(Debug, Clone)]
pub struct Worker {
    program: PathBuf,
    /// Wall-clock time a worker may take, plus `per_mib` for each MiB of input.
    timeout: Duration,
    per_mib: Duration,
    /// Memory the worker may allocate, plus four times its input.
    memory: u64,
}

impl Worker {
    /// A worker run by `program`, which must call `serve_if_requested` first thing in `main`.
    pub fn new(program: impl Into<PathBuf>) -> Worker {
        Worker {
            program: program.into(),
            timeout: Duration::from_secs(30),
            per_mib: Duration::from_millis(200),
            memory: 768 * 1024 * 1024,
        }
    }

    /// A worker run by the current executable (the app or `redress-cli`).
    pub fn current_exe() -> Result<Worker> {
        let exe = std::env::current_exe().map_err(|e| Error::io("cannot find the running program", e))?;
        Ok(Worker::new(exe))
    }

    /// Tighter bounds, for tests of runaway input.
    pub fn with_limits(mut self, timeout: Duration, memory: u64) -> Worker {
        self.timeout = timeout;
        self.per_mib = Duration::ZERO;
        self.memory = memory;
        self
    }

    pub(crate) fn run(&self, mode: Mode, input: &[u8]) -> std::result::Result<Vec<u8>, Failure> {
        let mib = u32::try_from(input.len() / (1024 * 1024)).unwrap_or(u32::MAX);
        let deadline = Instant::now() + self.timeout + self.per_mib.saturating_mul(mib);
        let memory = self.memory.saturating_add(4 * input.len() as u64);
        let mut child = Command::new(&self.program)
            .args([OsString::from(WORKER_FLAG), OsString::from(mode.name())])
            .env(MEMORY_ENV, memory.to_string())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| Failure::Unavailable(e.to_string()))?;
        let (Some(mut stdin), Some(mut stdout), Some(mut stderr)) =
            (child.stdin.take(), child.stdout.take(), child.stderr.take())
        else {
            let _ = child.kill();
            let _ = child.wait();
            return Err(Failure::Unavailable("its pipes could not be opened".into()));
        };
        // The answer is bounded: a sanitized PDF is at most a few times its input.
        let cap = (input.len() as u64).saturating_mul(8).saturating_add(256 * 1024 * 1024);
        let outcome = std::thread::scope(|scope| {
            scope.spawn(move || {
                // A worker that dies early closes its stdin: the write error is expected then.
                let _ = stdin.write_all(input);
            });
            let reader = scope.spawn(move || {
                let mut out = Vec::new();
                let read = (&mut stdout).take(cap + 1).read_to_end(&mut out);
                read.map(|_| out)
            });
            let errors = scope.spawn(move || {
                let mut out = Vec::new();
                let _ = (&mut stderr).take(4096).read_to_end(&mut out);
                String::from_utf8_lossy(&out).into_owned()
            });
            let status = loop {
                match child.try_wait() {
                    Ok(Some(status)) => break Some(status),
                    Ok(None) if Instant::now() >= deadline => {
                        let _ = child.kill();
                        let _ = child.wait();
                        break None;
                    }
                    Ok(None) => std::thread::sleep(Duration::from_millis(2)),
                    Err(_) => {
                        let _ = child.kill();
                        let _ = child.wait();
                        break None;
                    }
                }
            };
            let out = reader.join().ok().and_then(|r| r.ok());
            let errors = errors.join().unwrap_or_default();
            (status, out, errors)
        });
        let (status, out, errors) = outcome;
        let Some(status) = status else { return Err(Failure::TimedOut) };
        match status.code() {
            Some(0) => match out {
                Some(out) if out.len() as u64 <= cap => Ok(out),
                _ => Err(Failure::Crashed),
            },
            Some(EXIT_ENCRYPTED) => Err(Failure::Encrypted),
            Some(EXIT_UNREADABLE) => {
                let why = errors.lines().next().unwrap_or("").trim().chars().take(200).collect::<String>();
                Err(Failure::Unreadable(if why.is_empty() { "unknown format".into() } else { why }))
            }
            _ => Err(Failure::Crashed),
        }
    }
}

/// If this process was started as a worker, does the work and exits; otherwise returns at once. Call it first
/// thing in `main`, before anything else starts (threads, windows).
pub fn serve_if_requested() {
    let mut args = std::env::args_os().skip(1);
    if args.next().as_deref() != Some(WORKER_FLAG.as_ref()) {
        return;
    }
    let mode = match args.next().and_then(|m| m.into_string().ok()).as_deref() {
        Some("pdf") => Mode::Pdf,
        Some("picture") => Mode::Picture,
        Some("inspect") => Mode::Inspect,
        _ => std::process::exit(2),
    };
    let memory = std::env::var(MEMORY_ENV).ok().and_then(|m| m.parse::<u64>().ok()).unwrap_or(1 << 30);
    limit_self(memory);
    let mut input = Vec::new();
    if std::io::stdin().lock().read_to_end(&mut input).is_err() {
        std::process::exit(EXIT_UNREADABLE);
    }
    let answer = match mode {
        Mode::Pdf => sanitize(&input),
        Mode::Picture => {
            picture::prepare(&input).map_err(|e| (EXIT_UNREADABLE, e.0)).and_then(|(header, bytes)| {
                let mut out = serde_json::to_vec(&header).map_err(|e| (EXIT_UNREADABLE, e.to_string()))?;
                out.push(b'\n');
                out.extend(bytes);
                Ok(out)
            })
        }
        Mode::Inspect => {
            serde_json::to_vec(&picture::metadata(&input)).map_err(|e| (EXIT_UNREADABLE, e.to_string()))
        }
    };
    match answer {
        Ok(out) => {
            let mut stdout = std::io::stdout().lock();
            if stdout.write_all(&out).and_then(|()| stdout.flush()).is_err() {
                std::process::exit(EXIT_UNREADABLE);
            }
            std::process::exit(0);
        }
        Err((code, why)) => {
            let _ = writeln!(std::io::stderr(), "{}", why.replace('\n', " "));
            std::process::exit(code);
        }
    }
}

/// Bounds this process: `memory` bytes of data, a minute of CPU.
fn limit_self(memory: u64) {
    use rustix::process::{setrlimit, Resource, Rlimit};
    let _ = setrlimit(Resource::Data, Rlimit { current: Some(memory), maximum: Some(memory) });
    let _ = setrlimit(Resource::Cpu, Rlimit { current: Some(60), maximum: Some(61) });
    // A crash must not leave a core file with evidence in it.
    let _ = setrlimit(Resource::Core, Rlimit { current: Some(0), maximum: Some(0) });
}

type Refusal = (i32, String);

fn unreadable(e: impl std::fmt::Display) -> Refusal {
    (EXIT_UNREADABLE, e.to_string())
}

/// A PDF reduced to its pages (see the module header).
pub(crate) fn sanitize(input: &[u8]) -> std::result::Result<Vec<u8>, Refusal> {
    if !input.starts_with(b"%PDF-") && !input.get(..1024).unwrap_or(input).windows(5).any(|w| w == b"%PDF-") {
        return Err(unreadable("it does not start like a PDF"));
    }
    let mut doc = match lopdf::Document::load_mem(input) {
        Ok(doc) => doc,
        Err(lopdf::Error::Decryption(_)) => return Err((EXIT_ENCRYPTED, "password".into())),
        Err(e) => return Err(unreadable(e)),
    };
    if doc.is_encrypted() && doc.decrypt("").is_err() {
        return Err((EXIT_ENCRYPTED, "password".into()));
    }
    let pages: Vec<ObjectId> = doc.get_pages().into_values().collect();
    if pages.is_empty() {
        return Err(unreadable("it has no pages"));
    }
    if pages.len() > MAX_PAGES {
        return Err(unreadable(format!("it has {} pages; at most {MAX_PAGES} are bundled", pages.len())));
    }
    let mut kids = Vec::with_capacity(pages.len());
    let tree = doc.new_object_id();
    for page in pages {
        let (media, rotate, resources) = inherited(&doc, page);
        let content = doc.get_page_content_with_limit(page, MAX_PAGE_CONTENT).map_err(unreadable)?;
        let mut stream = Stream::new(Dictionary::new(), content);
        let _ = stream.compress();
        let content_id = doc.add_object(stream);
        let mut dict = Dictionary::new();
        dict.set("Type", Object::Name(b"Page".to_vec()));
        dict.set("Parent", Object::Reference(tree));
        dict.set("MediaBox", Object::Array(media.iter().map(|v| Object::Real(*v)).collect()));
        dict.set("Rotate", Object::Integer(rotate));
        dict.set("Resources", resources);
        dict.set("Contents", Object::Reference(content_id));
        kids.push(Object::Reference(doc.add_object(dict)));
    }
    let mut tree_dict = Dictionary::new();
    tree_dict.set("Type", Object::Name(b"Pages".to_vec()));
    tree_dict.set("Count", Object::Integer(kids.len() as i64));
    tree_dict.set("Kids", Object::Array(kids));
    doc.objects.insert(tree, Object::Dictionary(tree_dict));
    let mut catalog = Dictionary::new();
    catalog.set("Type", Object::Name(b"Catalog".to_vec()));
    catalog.set("Pages", Object::Reference(tree));
    let catalog = doc.add_object(catalog);
    doc.trailer = Dictionary::new();
    doc.trailer.set("Root", Object::Reference(catalog));
    doc.prune_objects();
    let mut out = Vec::new();
    doc.save_to(&mut out).map_err(unreadable)?;
    Ok(out)
}

/// A page's visible box (crop box within media box, lower-left first), its rotation (0, 90, 180 or 270) and its
/// resources, each looked up the page tree as PDF inheritance says. Nonsense boxes become A4.
fn inherited(doc: &lopdf::Document, page: ObjectId) -> ([f32; 4], i64, Object) {
    let mut media = None;
    let mut crop = None;
    let mut rotate = None;
    let mut resources = None;
    let mut node = Some(page);
    for _ in 0..64 {
        let Some(id) = node else { break };
        let Ok(dict) = doc.get_dictionary(id) else { break };
        if media.is_none() {
            media = dict.get(b"MediaBox").ok().and_then(|o| rect(doc, o));
        }
        if crop.is_none() {
            crop = dict.get(b"CropBox").ok().and_then(|o| rect(doc, o));
        }
        if rotate.is_none() {
            rotate = dict
                .get(b"Rotate")
                .ok()
                .and_then(|o| doc.dereference(o).ok())
                .and_then(|(_, o)| o.as_i64().ok());
        }
        if resources.is_none() {
            resources = dict.get(b"Resources").ok().cloned();
        }
        node = dict.get(b"Parent").ok().and_then(|p| p.as_reference().ok());
    }
    let a4 = [0.0, 0.0, super::layout::PAGE_W, super::layout::PAGE_H];
    let media = media.unwrap_or(a4);
    let visible = match crop {
        Some(c) => [c[0].max(media[0]), c[1].max(media[1]), c[2].min(media[2]), c[3].min(media[3])],
        None => media,
    };
    let side =
        |lo: f32, hi: f32| (super::layout::MIN_SLOT / 4.0..=super::layout::MAX_SLOT).contains(&(hi - lo));
    let visible = if side(visible[0], visible[2]) && side(visible[1], visible[3]) {
        visible
    } else if side(media[0], media[2]) && side(media[1], media[3]) {
        media
    } else {
        a4
    };
    let rotate = rotate.unwrap_or(0).rem_euclid(360);
    let rotate = if rotate % 90 == 0 { rotate } else { 0 };
    (visible, rotate, resources.unwrap_or_else(|| Object::Dictionary(Dictionary::new())))
}

fn rect(doc: &lopdf::Document, o: &Object) -> Option<[f32; 4]> {
    let (_, o) = doc.dereference(o).ok()?;
    let a = o.as_array().ok()?;
    if a.len() != 4 {
        return None;
    }
    let mut v = [0f32; 4];
    for (k, item) in a.iter().enumerate() {
        let (_, item) = doc.dereference(item).ok()?;
        v[k] = item.as_float().ok().filter(|f| f.is_finite() && f.abs() < 1e6)?;
    }
    Some([v[0].min(v[2]), v[1].min(v[3]), v[0].max(v[2]), v[1].max(v[3])])
}
