//! Long work (imports, backup, restore, re-key, bundle export) reports through a channel, throttled here, and is
//! cancelled with `cancel_task`.

use std::time::{Duration, Instant};

use serde::Serialize;
use tauri::ipc::Channel;
use tauri::State;

use crate::state::AppState;

/// Sends progress at most every 100 ms (and always the last step), so a 4 GB import does not flood the window.
/// Each step sent is work for the idle lock: a running task postpones it, up to its cap.
pub(super) fn throttled<'a, T: Clone + Serialize>(
    state: &'a AppState,
    channel: &'a Channel<T>,
) -> impl FnMut(T, bool) + 'a {
    let mut last = Instant::now() - Duration::from_secs(1);
    move |value: T, last_step: bool| {
        if last_step || last.elapsed() >= Duration::from_millis(100) {
            last = Instant::now();
            state.work(crate::idle::now());
            let _ = channel.send(value);
        }
    }
}

/// Asks the running long task to stop at its next progress step.
#[tauri::command(async)]
pub fn cancel_task(state: State<'_, AppState>) {
    state.cancel();
}
