//! Untrusted files are parsed in a child process: the same executable started with `--redress-worker serve`, fed
//! files on stdin (never a temporary file: evidence stays out of the clear on disk), answering on stdout. The
//! child lowers its own memory limit before it reads a byte, and the parent kills it at each job's deadline, so a
//! PDF that panics the parser, loops or balloons costs one placeholder page, never the app. The child's answer is a
//! plain PDF that lopdf wrote (one content stream per page, inherited attributes resolved, nothing else: no
//! scripts, forms, annotations or attachments), so what the parent parses afterwards is its own kind of file.

use std::ffi::OsString;
use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::{mpsc, Mutex};
use std::time::Duration;

use lopdf::{Dictionary, Object, ObjectId, Stream};

use super::picture;
use crate::error::{Error, Result};

/// The first argument that turns Redress (app or CLI) into a worker.
pub const WORKER_FLAG: &str = "--redress-worker";
/// The environment variable through which the parent tells the worker its memory budget in bytes.
const MEMORY_ENV: &str = "REDRESS_WORKER_MEMORY";
const EXIT_ENCRYPTED: i32 = 3;
const EXIT_UNREADABLE: i32 = 4;
/// The largest job or answer a worker exchanges (a bundle reads at most 512 MiB per exhibit).
const MAX_ANSWER: u64 = 4 << 30;
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
    /// A PDF's page count, as decimal digits (`page_count`).
    PageCount,
}

impl Mode {
    fn code(self) -> u8 {
        match self {
            Mode::Pdf => 1,
            Mode::Picture => 2,
            Mode::Inspect => 3,
            Mode::PageCount => 16,
        }
    }

    fn from_code(code: u8) -> Option<Mode> {
        [Mode::Pdf, Mode::Picture, Mode::Inspect, Mode::PageCount].into_iter().find(|m| m.code() == code)
    }
}

/// A job for `Worker::run_batch`: its index and its input.
pub(crate) type Job = (usize, Input);

/// A job's input: bytes at hand, or `len` bytes of evidence item `id` for the pool thread to read.
pub(crate) enum Input {
    Bytes(Vec<u8>),
    Load { id: i64, len: usize },
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

impl Failure {
    /// A stable name of the cause, for a UI to translate.
    pub fn code(&self) -> &'static str {
        match self {
            Failure::Encrypted => "encrypted",
            Failure::Unreadable(_) => "unreadable",
            Failure::Crashed => "crashed",
            Failure::TimedOut => "timed_out",
            Failure::Unavailable(_) => "unavailable",
        }
    }

    /// What the reader or the system said, where it said anything.
    pub fn detail(&self) -> &str {
        match self {
            Failure::Unreadable(why) | Failure::Unavailable(why) => why,
            _ => "",
        }
    }
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

    /// How many workers (and pool threads) a batch runs at once: one per core, at most four.
    pub(crate) fn parallelism() -> usize {
        std::thread::available_parallelism().map_or(1, |n| n.get()).clamp(1, 4)
    }

    /// Runs jobs through a few long-lived workers at once (`parallelism`), so a bundle of many files pays for a
    /// worker's start once per core, not once per file. `next` runs on this thread and yields each job (index,
    /// input) in turn, or an error that stops the batch (a cancel). An input to `Load` is read on the pool thread
    /// with that thread's own reader (`readers`, one per thread, given to `load`), so reading, too, runs on
    /// every core. `choose` says what the worker should do with the input, if anything. `post` turns the input
    /// (or why it could not be read) and the worker's answer into what the caller needs, on the pool's threads;
    /// `done` gets that with the input back, on this thread, in the order answers arrive.
    pub(crate) fn run_batch<E, T: Send, R: Send>(
        &self,
        readers: Vec<R>,
        mut next: impl FnMut() -> std::result::Result<Option<Job>, E>,
        load: impl Fn(&R, i64, usize) -> std::result::Result<Vec<u8>, String> + Sync,
        choose: impl Fn(usize, &[u8]) -> Option<Mode> + Sync,
        post: impl Fn(usize, std::result::Result<&[u8], &str>, Option<std::result::Result<Vec<u8>, Failure>>) -> T
            + Sync,
        mut done: impl FnMut(usize, Vec<u8>, T),
    ) -> std::result::Result<(), E> {
        let parallel = Worker::parallelism();
        let (job_tx, job_rx) = mpsc::sync_channel::<Job>(parallel);
        let job_rx = Mutex::new(job_rx);
        let mut readers: Vec<Option<R>> = readers.into_iter().map(Some).collect();
        readers.resize_with(parallel.max(readers.len()), || None);
        std::thread::scope(|scope| {
            let (answer_tx, answer_rx) = mpsc::channel();
            for reader in readers {
                let (job_rx, answer_tx) = (&job_rx, answer_tx.clone());
                let (post, load, choose) = (&post, &load, &choose);
                scope.spawn(move || {
                    let mut session = None;
                    loop {
                        let job = match job_rx.lock() {
                            Ok(rx) => rx.recv(),
                            Err(_) => break,
                        };
                        let Ok((index, input)) = job else { break };
                        let input = match input {
                            Input::Bytes(bytes) => Ok(bytes),
                            Input::Load { id, len } => match &reader {
                                Some(r) => load(r, id, len),
                                None => Err("no reader on this thread".to_owned()),
                            },
                        };
                        let answer = match &input {
                            Ok(bytes) => {
                                choose(index, bytes).map(|mode| self.call(&mut session, mode, bytes))
                            }
                            Err(_) => None,
                        };
                        // `post` reads the worker's answer in this process: should it ever panic on one, that
                        // exhibit fails like a crashed worker, and the app carries on.
                        let view = input.as_deref().map_err(String::as_str);
                        let posted = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                            post(index, view, answer)
                        }));
                        let answer = match posted {
                            Ok(answer) => answer,
                            Err(_) => post(index, view, Some(Err(Failure::Crashed))),
                        };
                        if answer_tx.send((index, input.unwrap_or_default(), answer)).is_err() {
                            break;
                        }
                    }
                });
            }
            drop(answer_tx);
            let mut outcome = Ok(());
            loop {
                while let Ok((index, input, answer)) = answer_rx.try_recv() {
                    done(index, input, answer);
                }
                match next() {
                    Ok(Some(job)) => {
                        if job_tx.send(job).is_err() {
                            break;
                        }
                    }
                    Ok(None) => break,
                    Err(e) => {
                        outcome = Err(e);
                        break;
                    }
                }
            }
            drop(job_tx);
            for (index, input, answer) in answer_rx {
                if outcome.is_ok() {
                    done(index, input, answer);
                }
            }
            outcome
        })
    }

    fn start(&self, memory: u64) -> std::result::Result<Session, Failure> {
        let mut child = Command::new(&self.program)
            .args([OsString::from(WORKER_FLAG), OsString::from("serve")])
            .env(MEMORY_ENV, memory.to_string())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| Failure::Unavailable(e.to_string()))?;
        let (Some(stdin), Some(mut stdout)) = (child.stdin.take(), child.stdout.take()) else {
            let _ = child.kill();
            let _ = child.wait();
            return Err(Failure::Unavailable("its pipes could not be opened".into()));
        };
        let (tx, answers) = mpsc::channel();
        std::thread::spawn(move || loop {
            let mut head = [0u8; 9];
            if stdout.read_exact(&mut head).is_err() {
                return;
            }
            let len =
                u64::from_le_bytes([head[1], head[2], head[3], head[4], head[5], head[6], head[7], head[8]]);
            if len > MAX_ANSWER {
                let _ = tx.send(None);
                return;
            }
            let mut body = Vec::new();
            if (&mut stdout).take(len).read_to_end(&mut body).is_err() || body.len() as u64 != len {
                let _ = tx.send(None);
                return;
            }
            if tx.send(Some((head[0], body))).is_err() {
                return;
            }
        });
        Ok(Session { child, stdin, answers, memory })
    }

    /// One job in `session` (started, or restarted with more memory, as needed). A worker that crashes or
    /// overruns is killed and forgotten; the next job starts a fresh one.
    fn call(
        &self,
        session: &mut Option<Session>,
        mode: Mode,
        input: &[u8],
    ) -> std::result::Result<Vec<u8>, Failure> {
        let need = self.memory.saturating_add(4 * input.len() as u64);
        if session.as_ref().is_some_and(|s| s.memory < need) {
            *session = None;
        }
        let s = match session {
            Some(s) => s,
            None => session.insert(self.start(need)?),
        };
        let mib = u32::try_from(input.len() / (1024 * 1024)).unwrap_or(u32::MAX);
        let allowed = self.timeout + self.per_mib.saturating_mul(mib);
        let mut head = vec![mode.code()];
        head.extend((input.len() as u64).to_le_bytes());
        let sent =
            s.stdin.write_all(&head).and_then(|()| s.stdin.write_all(input)).and_then(|()| s.stdin.flush());
        if sent.is_err() {
            *session = None;
            return Err(Failure::Crashed);
        }
        let answer = s.answers.recv_timeout(allowed);
        let failure = match answer {
            Ok(Some((0, out))) => return Ok(out),
            Ok(Some((status, why))) if i32::from(status) == EXIT_ENCRYPTED => {
                let _ = why;
                return Err(Failure::Encrypted);
            }
            Ok(Some((status, why))) if i32::from(status) == EXIT_UNREADABLE => {
                let why: String = String::from_utf8_lossy(&why).trim().chars().take(200).collect();
                return Err(Failure::Unreadable(if why.is_empty() { "unknown format".into() } else { why }));
            }
            Err(mpsc::RecvTimeoutError::Timeout) => Failure::TimedOut,
            _ => Failure::Crashed,
        };
        *session = None;
        Err(failure)
    }
}

/// A running worker: its stdin for jobs, a thread reading its answers, and the memory it was started with.
struct Session {
    child: Child,
    stdin: ChildStdin,
    answers: mpsc::Receiver<Option<(u8, Vec<u8>)>>,
    memory: u64,
}

impl Drop for Session {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Counts the pages of PDFs one after another in one worker (started on the first, started again after a
/// failure), so an untrusted PDF is never parsed in this process just to number its pages.
pub(crate) struct PageCounter<'a> {
    worker: &'a Worker,
    session: Option<Session>,
}

impl Worker {
    pub(crate) fn page_counter(&self) -> PageCounter<'_> {
        PageCounter { worker: self, session: None }
    }
}

impl PageCounter<'_> {
    /// The number of pages of `pdf`, or why the worker gave none.
    pub(crate) fn count(&mut self, pdf: &[u8]) -> std::result::Result<usize, Failure> {
        let answer = self.worker.call(&mut self.session, Mode::PageCount, pdf)?;
        std::str::from_utf8(&answer)
            .ok()
            .and_then(|n| n.parse().ok())
            .ok_or_else(|| Failure::Unreadable("the page count could not be read".into()))
    }
}

/// If this process was started as a worker, serves jobs until its input ends, then exits; otherwise returns at
/// once. Call it first thing in `main`, before anything else starts (threads, windows).
///
/// The protocol on stdin and stdout: a job is a mode byte, a little-endian u64 length and the input; an answer
/// is a status byte (0, or the codes for encrypted and unreadable), a u64 length and the output (or the reason).
pub fn serve_if_requested() {
    let mut args = std::env::args_os().skip(1);
    if args.next().as_deref() != Some(WORKER_FLAG.as_ref()) {
        return;
    }
    if args.next().as_deref() != Some("serve".as_ref()) {
        std::process::exit(2);
    }
    let memory = std::env::var(MEMORY_ENV).ok().and_then(|m| m.parse::<u64>().ok()).unwrap_or(1 << 30);
    limit_self(memory);
    let mut stdin = std::io::stdin().lock();
    let mut stdout = std::io::stdout().lock();
    loop {
        let mut head = [0u8; 9];
        if stdin.read_exact(&mut head).is_err() {
            std::process::exit(0);
        }
        let len =
            u64::from_le_bytes([head[1], head[2], head[3], head[4], head[5], head[6], head[7], head[8]]);
        let Some(mode) = Mode::from_code(head[0]).filter(|_| len <= MAX_ANSWER) else {
            std::process::exit(EXIT_UNREADABLE);
        };
        let mut input = Vec::new();
        if (&mut stdin).take(len).read_to_end(&mut input).is_err() || input.len() as u64 != len {
            std::process::exit(EXIT_UNREADABLE);
        }
        let answer = answer(mode, &input);
        drop(input);
        let (status, body) = match answer {
            Ok(out) => (0u8, out),
            Err((code, why)) => (u8::try_from(code).unwrap_or(u8::MAX), why.replace('\n', " ").into_bytes()),
        };
        let mut head = vec![status];
        head.extend((body.len() as u64).to_le_bytes());
        if stdout
            .write_all(&head)
            .and_then(|()| stdout.write_all(&body))
            .and_then(|()| stdout.flush())
            .is_err()
        {
            std::process::exit(0);
        }
    }
}

fn answer(mode: Mode, input: &[u8]) -> std::result::Result<Vec<u8>, Refusal> {
    match mode {
        Mode::Pdf => sanitize(input),
        Mode::Picture => {
            picture::prepare(input).map_err(|e| (EXIT_UNREADABLE, e.0)).and_then(|(header, bytes)| {
                let mut out = serde_json::to_vec(&header).map_err(|e| (EXIT_UNREADABLE, e.to_string()))?;
                out.push(b'\n');
                out.extend(bytes);
                Ok(out)
            })
        }
        Mode::Inspect => {
            let metadata =
                if looks_like_pdf(input) { pdf_metadata(input)? } else { picture::metadata(input) };
            serde_json::to_vec(&metadata).map_err(|e| (EXIT_UNREADABLE, e.to_string()))
        }
        Mode::PageCount => page_count(input),
    }
}

/// Bounds this process to `memory` bytes of data (time is bounded by the parent, per job).
fn limit_self(memory: u64) {
    use rustix::process::{setrlimit, Resource, Rlimit};
    let _ = setrlimit(Resource::Data, Rlimit { current: Some(memory), maximum: Some(memory) });
    // A crash must not leave a core file with evidence in it.
    let _ = setrlimit(Resource::Core, Rlimit { current: Some(0), maximum: Some(0) });
}

type Refusal = (i32, String);

fn unreadable(e: impl std::fmt::Display) -> Refusal {
    (EXIT_UNREADABLE, e.to_string())
}

/// The page count of a PDF. Object streams are inflated while the file loads, so they are bounded like page
/// contents: a PDF whose pages sit in a stream that inflates past the bound has no pages to count.
fn page_count(input: &[u8]) -> std::result::Result<Vec<u8>, Refusal> {
    if !looks_like_pdf(input) {
        return Err(unreadable("it does not start like a PDF"));
    }
    let options = lopdf::LoadOptions { max_decompressed_size: Some(MAX_PAGE_CONTENT), ..Default::default() };
    let doc = match lopdf::Document::load_mem_with_options(input, options) {
        Ok(doc) => doc,
        Err(lopdf::Error::Decryption(_)) => return Err((EXIT_ENCRYPTED, "password".into())),
        Err(e) => return Err(unreadable(e)),
    };
    match doc.get_pages().len() {
        0 => Err(unreadable("it has no pages")),
        n => Ok(n.to_string().into_bytes()),
    }
}

/// Whether these bytes start like a PDF (its header within the first KiB, as readers accept it).
pub(crate) fn looks_like_pdf(input: &[u8]) -> bool {
    input.starts_with(b"%PDF-") || input.get(..1024).unwrap_or(input).windows(5).any(|w| w == b"%PDF-")
}

/// A PDF reduced to its pages (see the module header), without what says who made it or where (`scrub`).
pub(crate) fn sanitize(input: &[u8]) -> std::result::Result<Vec<u8>, Refusal> {
    let (mut doc, _) = pages_only(input)?;
    scrub(&mut doc)?;
    let mut out = Vec::new();
    doc.save_to(&mut out).map_err(unreadable)?;
    Ok(out)
}

/// The metadata a PDF's pages carry, as `sanitize` would keep them before `scrub`: its document information,
/// XMP, applications' private data, and what the JPEG and JPEG 2000 images drawn on its pages hold (GPS, camera).
pub(crate) fn pdf_metadata(input: &[u8]) -> std::result::Result<picture::Metadata, Refusal> {
    let (doc, info) = pages_only(input)?;
    let mut meta = picture::Metadata { items: Vec::new(), orientation: 1 };
    for (key, value) in info.iter().take(64) {
        let text = || match value {
            Object::String(..) => lopdf::decode_text_string(value).unwrap_or_default(),
            _ => String::new(),
        };
        match key.as_slice() {
            b"Author" => picture::push(&mut meta, "author", text()),
            b"Creator" | b"Producer" => picture::push(&mut meta, "software", text()),
            other => picture::push(&mut meta, "document_info", String::from_utf8_lossy(other)),
        }
    }
    for object in doc.objects.values() {
        let dict = match object {
            Object::Stream(s) => &s.dict,
            Object::Dictionary(d) => d,
            _ => continue,
        };
        if dict.has(b"Metadata") {
            picture::push(&mut meta, "xmp", "");
        }
        if dict.has(b"PieceInfo") {
            picture::push(&mut meta, "other", "PieceInfo");
        }
        if let Object::Stream(stream) = object {
            if let Some((_, image)) = image_data(stream)? {
                for item in picture::metadata(&image).items {
                    picture::push(&mut meta, &item.kind, item.detail);
                }
            }
        }
    }
    Ok(meta)
}

/// A PDF reduced to its pages, with the document information it had (gone from the reduced one).
fn pages_only(input: &[u8]) -> std::result::Result<(lopdf::Document, Dictionary), Refusal> {
    if !looks_like_pdf(input) {
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
        let (media, rotate, mut resources) = inherited(&doc, page);
        // Decoding every content stream (within a bound) refuses decompression bombs; a page drawn by one
        // Flate stream then keeps its compressed bytes as they were, which saves compressing them again.
        let mut content = doc.get_page_content_with_limit(page, MAX_PAGE_CONTENT).map_err(unreadable)?;
        // What annotations show (filled form fields, stamps, ink signatures) is drawn into the page, since the
        // annotations themselves are not carried over.
        let shown = annotation_drawings(&doc, page);
        let flattened = !shown.is_empty();
        if flattened {
            let mut xobjects = resource_dict(&doc, &resources, b"XObject");
            let mut drawn = b"q\n".to_vec();
            drawn.extend_from_slice(&content);
            drawn.extend_from_slice(b"\nQ\n");
            for (k, (appearance, matrix)) in shown.into_iter().enumerate() {
                let name = format!("RdxAnnot{k}");
                xobjects.set(name.as_bytes().to_vec(), Object::Reference(appearance));
                let m: Vec<String> = matrix.iter().map(|v| format!("{v:.4}")).collect();
                drawn.extend_from_slice(format!("q {} cm /{name} Do Q\n", m.join(" ")).as_bytes());
            }
            let mut dict = match &resources {
                Object::Reference(r) => doc.get_dictionary(*r).cloned().unwrap_or_default(),
                Object::Dictionary(d) => d.clone(),
                _ => Dictionary::new(),
            };
            dict.set("XObject", Object::Dictionary(xobjects));
            resources = Object::Dictionary(dict);
            content = drawn;
        }
        let single = match doc.get_page_contents(page).as_slice() {
            [one] if !flattened => {
                doc.get_object(*one).and_then(Object::as_stream).ok().filter(|s| flate_only(s)).cloned()
            }
            _ => None,
        };
        let stream = match single {
            Some(original) => {
                let mut dict = Dictionary::new();
                dict.set("Filter", Object::Name(b"FlateDecode".to_vec()));
                Stream::new(dict, original.content).with_compression(false)
            }
            None => {
                let mut stream = Stream::new(Dictionary::new(), content);
                let _ = stream.compress();
                stream
            }
        };
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
    let info = match doc.trailer.get(b"Info") {
        Ok(info) => doc.dereference(info).ok().and_then(|(_, i)| i.as_dict().ok().cloned()),
        Err(_) => None,
    };
    doc.trailer = Dictionary::new();
    doc.trailer.set("Root", Object::Reference(catalog));
    doc.prune_objects();
    Ok((doc, info.unwrap_or_default()))
}

/// The most an image's outer filters (Flate, LZW, ASCII85 around its JPEG) may inflate to.
const MAX_IMAGE_DATA: usize = 256 * 1024 * 1024;

/// Takes from every object of a reduced PDF what says who made it or where, keeping what the pages show: each
/// JPEG image loses its APPn segments (EXIF with GPS, XMP; JFIF's and Adobe's, which say how to read the colours,
/// stay) and comments, each JPEG 2000 image its XML and UUID boxes, and every dictionary its `/Metadata` (XMP) and
/// `/PieceInfo` (an application's private data). The document information went with the old trailer.
fn scrub(doc: &mut lopdf::Document) -> std::result::Result<(), Refusal> {
    for object in doc.objects.values_mut() {
        drop_private(object, 0);
        let Object::Stream(stream) = object else { continue };
        let Some((filter, image)) = image_data(stream)? else { continue };
        let clean = if filter == b"JPXDecode" { strip_jp2(&image) } else { picture::strip_jpeg(&image) };
        drop(image);
        // Filters around the image's own are undone: the image is kept with its own filter alone.
        if stream.filters().map_or(0, |f| f.len()) > 1 {
            let params = match stream.dict.get(b"DecodeParms") {
                Ok(Object::Array(a)) => a.last().cloned(),
                Ok(other) => Some(other.clone()),
                Err(_) => None,
            };
            stream.dict.set("Filter", Object::Name(filter));
            match params {
                Some(Object::Dictionary(p)) if !p.has(b"Predictor") => {
                    stream.dict.set("DecodeParms", Object::Dictionary(p))
                }
                _ => {
                    stream.dict.remove(b"DecodeParms");
                }
            }
        }
        stream.set_content(clean);
    }
    Ok(())
}

/// `/Metadata` and `/PieceInfo` removed from a dictionary (or stream's) and from those inside it.
fn drop_private(object: &mut Object, depth: u32) {
    if depth > 32 {
        return;
    }
    let dict = match object {
        Object::Dictionary(d) => d,
        Object::Stream(s) => &mut s.dict,
        Object::Array(a) => {
            for item in a.iter_mut() {
                drop_private(item, depth + 1);
            }
            return;
        }
        _ => return,
    };
    dict.remove(b"Metadata");
    dict.remove(b"PieceInfo");
    for (_, value) in dict.iter_mut() {
        drop_private(value, depth + 1);
    }
}

/// An image's own filter (`DCTDecode` or `JPXDecode`) and its file (a JPEG or JPEG 2000), borrowed from the
/// stream when no other filter wraps it.
type ImageData<'a> = (Vec<u8>, std::borrow::Cow<'a, [u8]>);

/// For a stream whose last filter is a JPEG's (`DCTDecode`) or JPEG 2000's (`JPXDecode`): that filter and the
/// image file, the filters before it undone (within a bound). None for any other stream.
fn image_data(stream: &Stream) -> std::result::Result<Option<ImageData<'_>>, Refusal> {
    let Ok(filters) = stream.filters() else { return Ok(None) };
    let Some((last, outer)) = filters.split_last() else { return Ok(None) };
    let filter: &[u8] = match *last {
        b"DCTDecode" | b"DCT" => b"DCTDecode",
        b"JPXDecode" => b"JPXDecode",
        _ => return Ok(None),
    };
    if outer.is_empty() {
        return Ok(Some((filter.to_vec(), std::borrow::Cow::Borrowed(&stream.content))));
    }
    let mut dict = Dictionary::new();
    dict.set("Filter", Object::Array(outer.iter().map(|f| Object::Name(f.to_vec())).collect()));
    let wrapped = Stream::new(dict, stream.content.clone());
    let image = wrapped.decompressed_content_with_limit(MAX_IMAGE_DATA).map_err(|e| {
        unreadable(format!("an image in it is encoded in a way whose metadata cannot be removed ({e})"))
    })?;
    Ok(Some((filter.to_vec(), std::borrow::Cow::Owned(image))))
}

/// A JPEG 2000 file without its XML, UUID and UUID-info boxes (where XMP and GPS ride). A bare codestream is
/// kept as it is; a box structure that does not add up ends where it stops adding up.
fn strip_jp2(bytes: &[u8]) -> Vec<u8> {
    if !bytes.starts_with(b"\0\0\0\x0cjP  ") {
        return bytes.to_vec();
    }
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(head) = bytes.get(i..i + 8) {
        let len = u32::from_be_bytes([head[0], head[1], head[2], head[3]]) as u64;
        let (len, header) = match len {
            0 => ((bytes.len() - i) as u64, 8),
            1 => match bytes.get(i + 8..i + 16) {
                Some(x) => (u64::from_be_bytes([x[0], x[1], x[2], x[3], x[4], x[5], x[6], x[7]]), 16),
                None => break,
            },
            n => (n, 8),
        };
        let Some(end) = usize::try_from(len).ok().and_then(|l| i.checked_add(l)) else { break };
        if len < header || end > bytes.len() {
            break;
        }
        if !matches!(&head[4..8], b"xml " | b"uuid" | b"uinf") {
            out.extend_from_slice(&bytes[i..end]);
        }
        i = end;
    }
    out
}

/// A resource category of a page's resources (`/XObject`, `/Font`, …) as a dictionary of its own, to add to.
fn resource_dict(doc: &lopdf::Document, resources: &Object, key: &[u8]) -> Dictionary {
    let resources = match resources {
        Object::Reference(r) => doc.get_dictionary(*r).ok(),
        Object::Dictionary(d) => Some(d),
        _ => None,
    };
    match resources.and_then(|r| r.get(key).ok()) {
        Some(Object::Dictionary(d)) => d.clone(),
        Some(Object::Reference(r)) => doc.get_dictionary(*r).cloned().unwrap_or_default(),
        _ => Dictionary::new(),
    }
}

/// The normal appearance of each visible, printable annotation of a page (and every form field's), with the
/// matrix that puts it in its rectangle (PDF 32000-1 12.5.5). Links and pop-ups show nothing of their own.
fn annotation_drawings(doc: &lopdf::Document, page: ObjectId) -> Vec<(ObjectId, [f32; 6])> {
    let Ok(annots) = doc.get_dictionary(page).and_then(|p| p.get(b"Annots")) else { return Vec::new() };
    let Ok((_, annots)) = doc.dereference(annots) else { return Vec::new() };
    let Ok(annots) = annots.as_array() else { return Vec::new() };
    let mut out = Vec::new();
    for annot in annots.iter().take(2000) {
        let Ok((_, Object::Dictionary(a))) = doc.dereference(annot) else { continue };
        let subtype = a.get(b"Subtype").and_then(Object::as_name).unwrap_or(b"");
        if matches!(subtype, b"Link" | b"Popup") {
            continue;
        }
        let flags = a.get(b"F").and_then(Object::as_i64).unwrap_or(0);
        let (hidden, print) = (flags & 2 != 0, flags & 4 != 0);
        if hidden || !(print || subtype == b"Widget") {
            continue;
        }
        let Some(area) = a.get(b"Rect").ok().and_then(|r| rect(doc, r)) else { continue };
        let Ok((_, ap)) = a.get(b"AP").and_then(|ap| doc.dereference(ap)) else { continue };
        let Ok(normal) = ap.as_dict().and_then(|ap| ap.get(b"N")) else { continue };
        // A single appearance, or one per state (a check box's /Yes and /Off) chosen by /AS.
        let appearance = match normal {
            Object::Reference(r) if doc.get_object(*r).and_then(Object::as_stream).is_ok() => Some(*r),
            other => {
                let state = a.get(b"AS").and_then(Object::as_name).ok();
                let states = doc.dereference(other).ok().and_then(|(_, o)| o.as_dict().ok());
                match (states, state) {
                    (Some(states), Some(state)) => states.get(state).and_then(Object::as_reference).ok(),
                    _ => None,
                }
            }
        };
        let Some(appearance) = appearance else { continue };
        let Ok(stream) = doc.get_object(appearance).and_then(Object::as_stream) else { continue };
        let Some(bbox) = stream.dict.get(b"BBox").ok().and_then(|b| rect(doc, b)) else { continue };
        let m = stream
            .dict
            .get(b"Matrix")
            .and_then(Object::as_array)
            .ok()
            .map(|m| m.iter().filter_map(|v| v.as_float().ok()).collect::<Vec<f32>>())
            .filter(|m| m.len() == 6 && m.iter().all(|v| v.is_finite()))
            .unwrap_or_else(|| vec![1.0, 0.0, 0.0, 1.0, 0.0, 0.0]);
        // The appearance's box as its own matrix turns it, then scaled and moved onto the annotation's rectangle.
        let corners = [(bbox[0], bbox[1]), (bbox[2], bbox[1]), (bbox[0], bbox[3]), (bbox[2], bbox[3])];
        let t: Vec<(f32, f32)> =
            corners.iter().map(|&(x, y)| (m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5])).collect();
        let (x0, x1) = t.iter().fold((f32::MAX, f32::MIN), |(lo, hi), p| (lo.min(p.0), hi.max(p.0)));
        let (y0, y1) = t.iter().fold((f32::MAX, f32::MIN), |(lo, hi), p| (lo.min(p.1), hi.max(p.1)));
        let (w, h) = (x1 - x0, y1 - y0);
        if w <= 0.0 || h <= 0.0 {
            continue;
        }
        let (sx, sy) = ((area[2] - area[0]) / w, (area[3] - area[1]) / h);
        out.push((appearance, [sx, 0.0, 0.0, sy, area[0] - x0 * sx, area[1] - y0 * sy]));
    }
    out
}

/// A stream compressed with Flate alone, without parameters.
fn flate_only(stream: &Stream) -> bool {
    let filter_ok = match stream.dict.get(b"Filter") {
        Ok(Object::Name(n)) => n == b"FlateDecode",
        Ok(Object::Array(a)) => matches!(a.as_slice(), [Object::Name(n)] if n == b"FlateDecode"),
        _ => false,
    };
    filter_ok && stream.dict.get(b"DecodeParms").is_err()
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
