//! The worker protocol, both ends: the job modes, why a job failed, the framing on stdin and stdout, and the
//! worker's loop. A job is a mode byte, a little-endian u64 length and the input; an answer is a status byte (0,
//! or the codes for encrypted and unreadable), a u64 length and the output (or the reason). What a worker does with
//! a job is given to `serve` by its caller, so this module names the jobs but parses no file.

use std::io::{Read, Write};

/// The first argument that turns Redress (app or CLI) into a worker.
pub const WORKER_FLAG: &str = "--redress-worker";
/// The environment variable through which the parent tells the worker its memory budget in bytes.
pub(crate) const MEMORY_ENV: &str = "REDRESS_WORKER_MEMORY";
/// The one other variable a worker gets, and only an OCR worker: OpenMP (which Tesseract uses) must not start
/// threads, which the seccomp filter forbids; the parallelism comes from one worker per core.
pub(crate) const THREADS_ENV: (&str, &str) = ("OMP_THREAD_LIMIT", "1");
/// The worker's status for a PDF that needs a password, and for a file it could not read.
pub(crate) const EXIT_ENCRYPTED: i32 = 3;
pub(crate) const EXIT_UNREADABLE: i32 = 4;
/// The word after `WORKER_FLAG` that starts a worker: it names this build's version, so a worker program from
/// another version of Redress (left beside a newer app, say) refuses to start instead of misreading its jobs, and
/// the parent can say so (`EXIT_OTHER_VERSION`). Both programs come from one build (`make`, the package).
pub(crate) const SERVE: &str = concat!("serve@", env!("CARGO_PKG_VERSION"));
/// A worker's exit status when it was started for another version (a worker before this check exits with it too,
/// at any word but its own `serve`).
pub(crate) const EXIT_OTHER_VERSION: i32 = 2;
/// The largest job or answer a worker exchanges (a bundle reads at most 512 MiB per exhibit).
pub(crate) const MAX_ANSWER: u64 = 4 << 30;

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
    /// A picture re-encoded for the preview pane (`picture::preview`): PNG or JPEG bytes.
    Preview,
    /// A page picture read by OCR (`ocr::recognise`): `ocr::PageText` as JSON. Only a worker started for OCR
    /// (`Worker::for_ocr`) has the engine to answer it.
    Ocr,
    /// The picture on one page of a PDF read by OCR (`ocr::recognise_pdf_page`): the input is the page's index
    /// (u32, little-endian) and the PDF; the answer as for `Ocr`.
    OcrPdfPage,
    /// What OCR needs to know of a PDF's pages (`scanned::scan_pages`): JSON, one entry a page.
    ScanPages,
    /// The worker's own sandbox, as JSON (`sandbox::Protections`); its input is empty.
    Status,
    /// Debug builds only, for the sandbox's tests: try to open the file named on the input's first line and to
    /// connect to the TCP port on its second, on 127.0.0.1, and say what happened (`probe`).
    #[cfg(debug_assertions)]
    Probe,
}

impl Mode {
    pub(crate) fn code(self) -> u8 {
        match self {
            Mode::Pdf => 1,
            Mode::Picture => 2,
            Mode::Inspect => 3,
            Mode::PageCount => 16,
            Mode::Preview => 17,
            Mode::Ocr => 18,
            Mode::OcrPdfPage => 19,
            Mode::ScanPages => 20,
            Mode::Status => 32,
            #[cfg(debug_assertions)]
            Mode::Probe => 250,
        }
    }

    fn from_code(code: u8) -> Option<Mode> {
        let modes = [
            Mode::Pdf,
            Mode::Picture,
            Mode::Inspect,
            Mode::PageCount,
            Mode::Preview,
            Mode::Ocr,
            Mode::OcrPdfPage,
            Mode::ScanPages,
            Mode::Status,
            #[cfg(debug_assertions)]
            Mode::Probe,
        ];
        modes.into_iter().find(|m| m.code() == code)
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

/// Why a worker refuses a job: its exit status (`EXIT_ENCRYPTED`, `EXIT_UNREADABLE`) and its words.
pub(crate) type Refusal = (i32, String);

/// If this process was started as a worker, serves jobs with `answer` until its input ends, then exits;
/// otherwise returns at once. `pdf::isolate::serve_if_requested` calls it with the parsers it runs.
///
/// The protocol on stdin and stdout: a job is a mode byte, a little-endian u64 length and the input; an answer
/// is a status byte (0, or the codes for encrypted and unreadable), a u64 length and the output (or the reason).
///
/// The sandbox goes up before the first byte is read (`sandbox::enter`); `Mode::Status` answers what it holds.
/// A worker started for OCR (`ocr=<languages> ocr-data=<folder>` after the version word) first has `prepare_ocr`
/// load the language data, the only files it reads, before the walls go up.
pub(crate) fn serve(
    answer: fn(Mode, &[u8]) -> std::result::Result<Vec<u8>, Refusal>,
    prepare_ocr: fn(data: &str, languages: &str),
) {
    let mut args = std::env::args_os().skip(1);
    if args.next().as_deref() != Some(WORKER_FLAG.as_ref()) {
        return;
    }
    if args.next().as_deref() != Some(SERVE.as_ref()) {
        std::process::exit(EXIT_OTHER_VERSION);
    }
    let memory = std::env::var(MEMORY_ENV).ok().and_then(|m| m.parse::<u64>().ok()).unwrap_or(1 << 30);
    let options: Vec<(String, String)> = args
        .filter_map(|a| a.into_string().ok())
        .filter_map(|a| a.split_once('=').map(|(k, v)| (k.to_owned(), v.to_owned())))
        .collect();
    let option = |key: &str| options.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str());
    if let (Some(languages), Some(data)) = (option("ocr"), option("ocr-data")) {
        prepare_ocr(data, languages);
    }
    // A release build always puts up every layer; only a debug build's tests may leave some out, to show each
    // one holding on its own.
    #[cfg(debug_assertions)]
    let skip = skipped(option("skip"));
    #[cfg(not(debug_assertions))]
    let skip = Vec::new();
    let protections = super::sandbox::enter(memory, &skip);
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
        let answer = match mode {
            Mode::Status => serde_json::to_vec(&protections).map_err(|e| (EXIT_UNREADABLE, e.to_string())),
            #[cfg(debug_assertions)]
            Mode::Probe => Ok(probe(&input)),
            _ => answer(mode, &input),
        };
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

/// The layers a debug build's test asked to leave out: `skip=a,b` after `serve`, each a `sandbox::Layer` name.
#[cfg(debug_assertions)]
fn skipped(names: Option<&str>) -> Vec<super::sandbox::Layer> {
    names
        .unwrap_or_default()
        .split(',')
        .filter_map(|n| serde_json::from_value(serde_json::Value::String(n.to_owned())).ok())
        .collect()
}

/// What the sandbox's tests ask a debug build's worker to try: open the file named on the input's first line,
/// connect to 127.0.0.1 at the port on its second. The answer is `open=…` and `connect=…`, each `ok` or the
/// errno that refused it.
#[cfg(debug_assertions)]
fn probe(input: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(input);
    let mut lines = text.lines();
    let path = lines.next().unwrap_or_default();
    let port: u16 = lines.next().and_then(|p| p.parse().ok()).unwrap_or(1);
    let said = |r: std::io::Result<()>| match r {
        Ok(()) => "ok".to_owned(),
        Err(e) => e.raw_os_error().map_or_else(|| e.kind().to_string(), |n| n.to_string()),
    };
    let open = said(std::fs::File::open(path).map(drop));
    let connect = said(std::net::TcpStream::connect(("127.0.0.1", port)).map(drop));
    format!("open={open}\nconnect={connect}\n").into_bytes()
}
