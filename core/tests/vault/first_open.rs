//! The first connections of a process, opened by several threads at once. SQLite marks itself initialised before
//! it runs SQLCipher's start-up (`sqlcipher_extra_init`), and a connection keyed in between fails with "PRAGMA key
//! requires a key of one or more characters": in CI it failed a vault creation. The window is too short to hit on
//! purpose, so gdb widens it: it holds the thread that starts SQLCipher inside `sqlcipher_extra_init` for a second
//! (non-stop mode, the other threads run on). Before the fix every other thread failed.

use std::process::Command;
use std::sync::{Barrier, Mutex};

use redress_core::{SystemClock, Vault};

use crate::common::*;

const CHILD: &str = "REDRESS_FIRST_OPEN_CHILD";
const THREADS: usize = 6;

#[test]
fn vaults_created_by_several_threads_while_sqlcipher_starts_all_open() {
    if std::env::var_os(CHILD).is_some() {
        race();
        return;
    }
    let dir = scratch();
    let script = write(
        dir.path(),
        "hold.gdb",
        b"set pagination off\nset confirm off\nset non-stop on\nset startup-with-shell off\n\
          set disable-randomization off\nbreak sqlcipher_extra_init\nrun\nshell sleep 1\ncontinue -a\n",
    );
    let exe = std::env::current_exe().unwrap();
    let out = Command::new("gdb")
        .args(["-q", "-batch", "-nx", "-x"])
        .arg(&script)
        .arg("--args")
        .arg(&exe)
        .args([
            "--exact",
            "vault::first_open::vaults_created_by_several_threads_while_sqlcipher_starts_all_open",
        ])
        .args(["--nocapture", "--test-threads=1"])
        .env(CHILD, dir.path())
        .output()
        .expect("gdb runs (make installs it)");
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(
        text.contains("Breakpoint 1, ") && text.contains("sqlcipher_extra_init"),
        "gdb must hold the thread that starts SQLCipher, or this test proves nothing:\n{text}"
    );
    assert!(
        text.contains(&format!("{THREADS} of {THREADS} vaults created")),
        "every thread's vault must be created while SQLCipher starts:\n{text}"
    );
    assert!(!text.contains("FAILED"), "the child test must pass:\n{text}");
}

/// In the child: `THREADS` threads create a vault each at the same moment; the first of them starts SQLCipher.
fn race() {
    let base = std::path::PathBuf::from(std::env::var_os(CHILD).unwrap());
    let barrier = Barrier::new(THREADS);
    let errors = Mutex::new(Vec::new());
    std::thread::scope(|s| {
        for t in 0..THREADS {
            let (barrier, errors, dir) = (&barrier, &errors, base.join(format!("vault-{t}")));
            s.spawn(move || {
                barrier.wait();
                if let Err(e) = Vault::create(&dir, &pass(), fast(), Box::new(SystemClock)) {
                    errors.lock().unwrap().push(format!("thread {t}: {e}"));
                }
            });
        }
    });
    let errors = errors.into_inner().unwrap();
    println!("{} of {THREADS} vaults created", THREADS - errors.len());
    assert!(errors.is_empty(), "{errors:#?}");
}
