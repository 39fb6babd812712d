//! What the CLI prints besides each command's own lines: JSON for `--json`, and import/export progress on
//! stderr. stdout carries only what the command was asked to show, so scripts can parse it.

use std::io::IsTerminal;

use redress_core::evidence::Progress;

use crate::cmd::CliResult;

/// Prints `value` as pretty JSON on stdout.
pub fn json<T: serde::Serialize>(value: &T) -> CliResult {
    let text = serde_json::to_string_pretty(value).map_err(|e| format!("cannot encode JSON: {e}"))?;
    println!("{text}");
    Ok(())
}

/// With `enabled` (`--progress`), a "progress DONE TOTAL" line per step on stderr for scripts; otherwise a
/// percentage on a terminal for files over 16 MiB, and nothing at all when stderr is not a terminal.
pub fn progress_printer(enabled: bool) -> impl FnMut(Progress) -> bool {
    let tty = std::io::stderr().is_terminal();
    let mut last_percent = u64::MAX;
    move |p: Progress| {
        if enabled {
            eprintln!("progress {} {}", p.done, p.total);
        } else if tty && p.total > 16 * 1024 * 1024 {
            let percent = p.done * 100 / p.total.max(1);
            if percent != last_percent {
                last_percent = percent;
                eprint!("\r{percent:3}%");
                if p.done >= p.total {
                    eprint!("\r    \r");
                }
            }
        }
        true
    }
}
