//! The isolated worker: untrusted files are parsed in a child process (`redress-worker` beside the app, or
//! `redress-cli` itself) started with `--redress-worker serve@<version>`, fed files on stdin and answering on
//! stdout; a worker program of another version exits at once, and the parent says so. The child lowers its own
//! memory limit before it reads a byte and the parent kills it at each job's deadline, so a file that panics a
//! parser, loops or balloons costs one placeholder page, never the app. This module is the pool and the protocol
//! only; the parsers the worker runs are `pdf`'s (`pdf::isolate::serve_if_requested` hands them over). Before it
//! reads input the worker also walls itself in (`sandbox`: on Linux seccomp, Landlock, a network namespace and
//! more; elsewhere only the resource limits) and tells the parent which walls stand (`Worker::protections`).

mod pool;
mod protocol;
mod sandbox;

#[cfg(debug_assertions)]
pub use pool::TestWorker;
pub use pool::Worker;
pub(crate) use pool::{Input, Job};
pub(crate) use protocol::serve;
pub use protocol::{Failure, WORKER_FLAG};
pub(crate) use protocol::{Mode, Refusal, EXIT_ENCRYPTED, EXIT_UNREADABLE};
pub use sandbox::{Layer, LayerState, Protections};
