//! The pool: a few long-lived workers (one per core, at most four), each started on its first job and started
//! again after a crash or an overrun, with a memory bound it sets on itself and a deadline the parent enforces by
//! killing it. The one decision to know: a job's bytes travel over a pipe, never through a temporary file, so
//! evidence stays out of the clear on disk.

use std::ffi::OsString;
use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::{mpsc, Mutex};
use std::time::Duration;

use super::protocol::{
    Failure, Mode, EXIT_ENCRYPTED, EXIT_OTHER_VERSION, EXIT_UNREADABLE, MAX_ANSWER, MEMORY_ENV, SERVE,
    THREADS_ENV, WORKER_FLAG,
};
use crate::error::{Error, Result};

/// A job for `Worker::run_batch`: its index and its input.
pub(crate) type Job = (usize, Input);

/// A job's input: bytes at hand, or `len` bytes of evidence item `id` for the pool thread to read.
pub(crate) enum Input {
    Bytes(Vec<u8>),
    Load { id: i64, len: usize },
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
    /// For OCR: the languages (`rus+eng`) and the folder of Tesseract's language data the worker loads before
    /// its sandbox goes up.
    ocr: Option<(String, PathBuf)>,
    /// The program `for_ocr` switches to, when OCR runs in a program of its own (`redress-ocr-worker`).
    ocr_program: Option<PathBuf>,
    /// Sandbox layers the worker is told to leave out: debug builds only, for tests of one layer alone.
    #[cfg(debug_assertions)]
    skip: Vec<super::Layer>,
}

/// The path of the running program.
fn running_program() -> Result<PathBuf> {
    std::env::current_exe().map_err(|e| Error::io("cannot find the running program", e))
}

/// The steps in which a worker's memory bound grows with its input.
const INPUT_STEP: u64 = 64 << 20;

impl Worker {
    /// A worker run by `program`, which must call `serve_if_requested` first thing in `main`.
    pub fn new(program: impl Into<PathBuf>) -> Worker {
        Worker {
            program: program.into(),
            timeout: Duration::from_secs(30),
            per_mib: Duration::from_millis(200),
            memory: 768 * 1024 * 1024,
            ocr: None,
            ocr_program: None,
            #[cfg(debug_assertions)]
            skip: Vec::new(),
        }
    }

    /// The same worker, started with Tesseract's data for `languages` (checked by the caller, `scan`) from the
    /// folder `data` loaded before its sandbox goes up, for `Mode::Ocr`; a page may take six times as long as a
    /// file to prepare (three minutes with the default bound).
    pub fn for_ocr(mut self, languages: &str, data: PathBuf) -> Worker {
        if let Some(program) = self.ocr_program.take() {
            self.program = program;
        }
        self.ocr = Some((languages.to_owned(), data));
        self.timeout = self.timeout.saturating_mul(6);
        self
    }

    /// The same worker, whose OCR (`for_ocr`) runs `program` instead (`redress-ocr-worker`).
    pub fn with_ocr_program(mut self, program: impl Into<PathBuf>) -> Worker {
        self.ocr_program = Some(program.into());
        self
    }

    /// A worker run by the current executable (`redress-cli`, which starts no thread before `main`).
    pub fn current_exe() -> Result<Worker> {
        Ok(Worker::new(running_program()?))
    }

    /// The worker programs installed beside the running one (`redress-worker`, and `redress-ocr-worker` for OCR,
    /// for the app). The app cannot serve as its own worker: WebKit's libraries start a thread before `main`,
    /// which Landlock and the network namespace would not cover (`Layer::SingleThread`). A missing program is an
    /// error naming where it was looked for, never a fallback to a weaker reader.
    pub fn beside_current_exe() -> Result<Worker> {
        let beside = |name: &str| -> Result<PathBuf> {
            Ok(running_program()?.with_file_name(format!("{name}{}", std::env::consts::EXE_SUFFIX)))
        };
        let program = beside("redress-worker")?;
        let ocr = beside("redress-ocr-worker")?;
        if let Some(program) = [&program, &ocr].into_iter().find(|p| !p.is_file()) {
            return Err(Error::io(
                format!(
                    "the reader of untrusted files, {}, is missing: reinstall Redress",
                    program.display()
                ),
                std::io::ErrorKind::NotFound.into(),
            ));
        }
        Ok(Worker::new(program).with_ocr_program(ocr))
    }

    /// Tighter bounds, for tests of runaway input.
    pub fn with_limits(mut self, timeout: Duration, memory: u64) -> Worker {
        self.timeout = timeout;
        self.per_mib = Duration::ZERO;
        self.memory = memory;
        self
    }

    /// A worker that leaves `layers` of its sandbox out: debug builds only, so a test can show that each layer
    /// refuses on its own (and that its probe would notice an open door).
    #[cfg(debug_assertions)]
    pub fn without_layers(mut self, layers: &[super::Layer]) -> Worker {
        self.skip = layers.to_vec();
        self
    }

    /// Starts a worker and asks which layers of its sandbox took effect on this system.
    pub fn protections(&self) -> std::result::Result<super::Protections, Failure> {
        let answer = self.call(&mut None, Mode::Status, &[])?;
        serde_json::from_slice(&answer)
            .map_err(|e| Failure::Unreadable(format!("the worker's report of its sandbox: {e}")))
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
        let mut command = Command::new(&self.program);
        command.args([OsString::from(WORKER_FLAG), OsString::from(SERVE)]);
        if let Some((languages, data)) = &self.ocr {
            let mut folder = OsString::from("ocr-data=");
            folder.push(data);
            command.arg(format!("ocr={languages}")).arg(folder);
        }
        #[cfg(debug_assertions)]
        if !self.skip.is_empty() {
            let names: Vec<String> = self
                .skip
                .iter()
                .filter_map(|l| serde_json::to_value(l).ok()?.as_str().map(str::to_owned))
                .collect();
            command.arg(format!("skip={}", names.join(",")));
        }
        // Nothing of the session reaches the worker: no display, session bus, SSH agent or home folder.
        let mut child = command
            .env_clear()
            .env(MEMORY_ENV, memory.to_string())
            .envs(self.ocr.as_ref().map(|_| THREADS_ENV))
            .current_dir("/")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| Failure::Unavailable(format!("{}: {e}", self.program.display())))?;
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
        // Four times the input, in steps of 64 MiB: files of similar size (a bundle's exhibits) share one worker
        // instead of restarting it for each file a little larger than the one before (14 starts per bundle).
        let need = self.memory.saturating_add((4 * input.len() as u64).next_multiple_of(INPUT_STEP));
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
            let failure = self.crashed(s);
            *session = None;
            return Err(failure);
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
            // Its output ended: it exited.
            Err(mpsc::RecvTimeoutError::Disconnected) => self.crashed(s),
            _ => Failure::Crashed,
        };
        *session = None;
        Err(failure)
    }
}

impl Worker {
    /// Why a worker whose pipes closed stopped: a worker from another version of Redress exits at once with
    /// `EXIT_OTHER_VERSION` (waited for briefly: its pipes close just before it exits); anything else crashed.
    fn crashed(&self, s: &mut Session) -> Failure {
        for _ in 0..100 {
            match s.child.try_wait() {
                Ok(Some(status)) if status.code() == Some(EXIT_OTHER_VERSION) => {
                    return Failure::Unavailable(format!(
                        "{} belongs to another version of Redress: reinstall Redress",
                        self.program.display()
                    ));
                }
                Ok(Some(_)) | Err(_) => return Failure::Crashed,
                Ok(None) => std::thread::sleep(Duration::from_millis(10)),
            }
        }
        Failure::Crashed
    }

    /// One job in a worker of its own, stopped afterwards.
    pub(crate) fn run_once(&self, mode: Mode, input: &[u8]) -> std::result::Result<Vec<u8>, Failure> {
        self.call(&mut None, mode, input)
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

/// A worker kept running for a debug build's tests of its sandbox, which read `/proc/<pid>` while it waits.
#[cfg(debug_assertions)]
pub struct TestWorker<'a> {
    worker: &'a Worker,
    session: Option<Session>,
}

#[cfg(debug_assertions)]
impl Worker {
    /// Starts a worker and keeps it running until the `TestWorker` is dropped (its budget leaves room for a
    /// probe's few bytes, so `call` never restarts it under another pid).
    pub fn start_for_test(&self) -> std::result::Result<TestWorker<'_>, Failure> {
        Ok(TestWorker { worker: self, session: Some(self.start(self.memory.saturating_add(1 << 20))?) })
    }
}

#[cfg(debug_assertions)]
impl TestWorker<'_> {
    /// The worker's process id, while it runs.
    pub fn pid(&self) -> Option<u32> {
        self.session.as_ref().map(|s| s.child.id())
    }

    /// What this worker says of its sandbox (`Mode::Status`).
    pub fn protections(&mut self) -> std::result::Result<super::Protections, Failure> {
        let answer = self.worker.call(&mut self.session, Mode::Status, &[])?;
        serde_json::from_slice(&answer)
            .map_err(|e| Failure::Unreadable(format!("the worker's report of its sandbox: {e}")))
    }

    /// What this worker says when it tries to open `path` and connect to 127.0.0.1:`port`: the `open=` and
    /// `connect=` lines of `protocol::probe`, each `ok` or an errno.
    pub fn probe(&mut self, path: &std::path::Path, port: u16) -> std::result::Result<String, Failure> {
        let input = format!("{}\n{port}\n", path.display());
        let answer = self.worker.call(&mut self.session, Mode::Probe, input.as_bytes())?;
        Ok(String::from_utf8_lossy(&answer).into_owned())
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
