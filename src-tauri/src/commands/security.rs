//! Tauri commands for Settings → Security: which walls stand around the worker that reads untrusted files, as
//! that worker itself reports them on this system.

use redress_core::isolate::Protections;
use redress_core::Code;

use crate::error::{CmdResult, CommandError};

/// Starts a worker and returns the layers of its sandbox that took effect (all listed, active or not).
#[tauri::command(async)]
pub fn worker_protections() -> CmdResult<Protections> {
    let worker = redress_core::pdf::isolate::Worker::current_exe()?;
    worker.protections().map_err(|e| CommandError::with_code(Code::Error, e.to_string()))
}
