//! The worker's sandbox (issue 12 item 1, review M1), read from the outside: a real worker started by the pool,
//! and what `/proc/<pid>` says of it held against what the worker claims (`Worker::protections`), so the list
//! Settings shows is itself tested. A debug build's probe then tries to open a file and reach 127.0.0.1, with the
//! whole sandbox, with each wall alone, and with none (which shows the probe would notice an open door).

use std::collections::BTreeSet;
use std::fs;
use std::net::TcpListener;
use std::path::Path;

use redress_core::isolate::{Layer, Protections};
use redress_core::pdf::isolate::Worker;

use crate::common::scratch;

fn worker() -> Worker {
    Worker::new(env!("CARGO_BIN_EXE_redress-worker"))
}

fn proc_file(pid: u32, name: &str) -> String {
    fs::read_to_string(format!("/proc/{pid}/{name}")).unwrap_or_default()
}

fn status_field(pid: u32, field: &str) -> String {
    let status = proc_file(pid, "status");
    let line = status.lines().find(|l| l.starts_with(&format!("{field}:"))).unwrap_or_default();
    line.split_once(':').map(|(_, v)| v.trim().to_owned()).unwrap_or_default()
}

#[test]
fn issue_12_what_the_worker_claims_of_its_sandbox_is_what_proc_shows() {
    // A descriptor this process lets children inherit, as a GTK or D-Bus library might: the worker must not
    // keep it.
    let dir = scratch();
    let leaked = fs::File::create(dir.path().join("leaked")).unwrap();
    rustix::io::fcntl_setfd(&leaked, rustix::io::FdFlags::empty()).unwrap();
    assert!(
        std::env::vars_os().any(|(name, _)| name == "PATH" || name == "HOME"),
        "the test needs an environment of its own for the worker not to inherit"
    );

    let worker = worker();
    let mut running = worker.start_for_test().unwrap();
    let claimed: Protections = running.protections().unwrap();
    let pid = running.pid().unwrap();
    let claims = |layer| claimed.is_active(layer);

    assert!(
        claims(Layer::SeparateProcess) && claims(Layer::ResourceLimits),
        "every system has these: {claimed:?}"
    );

    let no_new_privs = status_field(pid, "NoNewPrivs") == "1";
    assert_eq!(claims(Layer::NoNewPrivileges), no_new_privs, "the claim of no_new_privs must match /proc");
    assert!(no_new_privs, "any Linux since 3.5 allows PR_SET_NO_NEW_PRIVS");

    let threads = status_field(pid, "Threads");
    assert_eq!(
        claims(Layer::SingleThread),
        threads == "1",
        "the claim of one thread must match /proc ({threads})"
    );
    assert_eq!(threads, "1", "redress-worker links no WebKit, so nothing starts a second thread in it");

    let filtered = status_field(pid, "Seccomp") == "2";
    assert_eq!(claims(Layer::SystemCallFilter), filtered, "the claim of a seccomp filter must match /proc");
    assert!(filtered, "this kernel has seccomp filters, so the worker must run under one");

    let environ = fs::read(format!("/proc/{pid}/environ")).unwrap();
    let names: Vec<String> = environ
        .split(|&b| b == 0)
        .filter(|v| !v.is_empty())
        .map(|v| String::from_utf8_lossy(v).split('=').next().unwrap_or_default().to_owned())
        .collect();
    assert_eq!(
        names,
        ["REDRESS_WORKER_MEMORY"],
        "the worker must inherit nothing of the session's environment"
    );
    for secret in ["DISPLAY", "WAYLAND_DISPLAY", "DBUS_SESSION_BUS_ADDRESS", "SSH_AUTH_SOCK", "HOME"] {
        assert!(!names.iter().any(|n| n == secret), "{secret} must not reach the worker");
    }
    assert!(claims(Layer::CleanEnvironment), "the worker saw the clean environment /proc shows: {claimed:?}");

    let fds: BTreeSet<String> = fs::read_dir(format!("/proc/{pid}/fd"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    let std_only: BTreeSet<String> = ["0", "1", "2"].into_iter().map(str::to_owned).collect();
    assert_eq!(
        fds, std_only,
        "the worker must hold stdin, stdout and stderr only, not the leaked descriptor"
    );
    assert!(claims(Layer::NoInheritedFiles), "the claim of no inherited files must match /proc");

    let oom = proc_file(pid, "oom_score_adj");
    assert_eq!(claims(Layer::KilledFirstOnLowMemory), oom.trim() == "1000", "the OOM claim must match /proc");
    assert_eq!(oom.trim(), "1000", "under memory pressure the kernel must kill a worker before the app");

    let own = fs::read_link("/proc/self/ns/net").unwrap();
    let its = fs::read_link(format!("/proc/{pid}/ns/net")).unwrap();
    assert_eq!(
        claims(Layer::NoNetwork),
        own != its,
        "the worker claims a network namespace of its own exactly when /proc shows one ({own:?} vs {its:?})"
    );
    // Where unprivileged user namespaces are allowed (this machine, root or not), the claim must be made.
    if std::process::Command::new("unshare").args(["-Urn", "true"]).status().is_ok_and(|s| s.success()) {
        assert!(
            own != its,
            "user namespaces work here, so the worker must be in a network namespace of its own"
        );
    }

    let limits = proc_file(pid, "limits");
    let limit = |name: &str| limits.lines().find(|l| l.starts_with(name)).unwrap_or_default().to_owned();
    assert!(limit("Max core file size").split_whitespace().skip(4).take(2).all(|v| v == "0"), "no core dump");
    assert!(limit("Max file size").split_whitespace().skip(3).take(2).all(|v| v == "0"), "no file written");
    assert!(limit("Max open files").split_whitespace().skip(3).take(2).all(|v| v == "16"), "few open files");
    drop(leaked);
}

/// What the probe said of `what` (`open` or `connect`): "ok" or an errno.
fn said(answer: &str, what: &str) -> String {
    let prefix = format!("{what}=");
    answer.lines().find_map(|l| l.strip_prefix(&prefix)).unwrap_or("no answer").to_owned()
}

fn probe(worker: Worker, file: &Path, port: u16) -> (String, String, Protections) {
    let mut running = worker.start_for_test().unwrap();
    let protections = running.protections().unwrap();
    let answer = running.probe(file, port).unwrap();
    (said(&answer, "open"), said(&answer, "connect"), protections)
}

const EPERM: &str = "1";
const EACCES: &str = "13";
const ENETUNREACH: &str = "101";

#[test]
fn issue_12_a_sandboxed_worker_can_neither_open_a_file_nor_connect_to_127_0_0_1() {
    let dir = scratch();
    let file = dir.path().join("readable");
    fs::write(&file, "anyone may read this").unwrap();
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let all_but = |keep: &[Layer]| -> Vec<Layer> {
        Layer::ALL.into_iter().filter(|l| !keep.contains(l) && *l != Layer::SeparateProcess).collect()
    };

    // With no wall up, the probe opens the file and reaches the listener: its refusals below mean something.
    let (open, connect, _) = probe(worker().without_layers(&all_but(&[])), &file, port);
    assert_eq!((open.as_str(), connect.as_str()), ("ok", "ok"), "an unsandboxed worker opens and connects");

    let (open, connect, claimed) = probe(worker(), &file, port);
    assert!(claimed.is_active(Layer::SystemCallFilter), "{claimed:?}");
    assert_eq!(open, EPERM, "the seccomp filter must refuse opening a file");
    assert_eq!(connect, EPERM, "the seccomp filter must refuse making a socket");

    // Each wall alone refuses too, so one that the kernel lacks leaves the others standing.
    let (open, connect, claimed) =
        probe(worker().without_layers(&all_but(&[Layer::SystemCallFilter])), &file, port);
    assert!(claimed.is_active(Layer::SystemCallFilter) && !claimed.is_active(Layer::NoFileAccess));
    assert_eq!((open.as_str(), connect.as_str()), (EPERM, EPERM), "seccomp alone refuses both");

    let (open, connect, claimed) =
        probe(worker().without_layers(&all_but(&[Layer::NoFileAccess])), &file, port);
    if claimed.is_active(Layer::NoFileAccess) {
        assert_eq!(open, EACCES, "Landlock alone must refuse opening any file");
        assert_eq!(connect, EACCES, "Landlock alone (ABI 4 and later) must refuse a TCP connection");
    } else {
        assert_eq!(open, "ok", "a worker that claims no Landlock could open the file");
    }

    let (open, connect, claimed) = probe(worker().without_layers(&all_but(&[Layer::NoNetwork])), &file, port);
    if claimed.is_active(Layer::NoNetwork) {
        assert_eq!(open, "ok", "the namespace alone does not guard files");
        assert_eq!(connect, ENETUNREACH, "in its own network namespace the worker cannot reach 127.0.0.1");
    } else {
        assert_eq!(connect, "ok", "a worker that claims no namespace of its own reaches the listener");
    }
    drop(listener);
}

#[test]
fn issue_12_protections_lists_every_layer_once() {
    let claimed = worker().protections().unwrap();
    let listed: Vec<Layer> = claimed.layers.iter().map(|l| l.layer).collect();
    assert_eq!(listed, Layer::ALL, "Settings shows every layer, active or not, in the worker's order");
}

/// The app looks for its worker beside its own binary and, when it is not there, says where it looked instead of
/// reading the file itself (the test binary has no `redress-worker` beside it in `deps/`).
#[test]
fn a_missing_worker_program_is_an_error_naming_where_it_was_looked_for() {
    let beside = std::env::current_exe().unwrap().with_file_name("redress-worker");
    assert!(!beside.exists(), "the test needs no redress-worker beside {}", beside.display());
    let message = match Worker::beside_current_exe() {
        Ok(_) => panic!("no worker program beside the binary, yet a worker"),
        Err(e) => e.to_string(),
    };
    assert!(
        message.contains(&beside.display().to_string()) && message.contains("missing"),
        "the error must name the missing program: {message}"
    );
}

/// A worker program from another version of Redress (left beside a newer app by a partial update) is refused
/// with words that say so, both ways: a worker from before the version check, which served only at the word
/// `serve`, exits at the word naming this version; this version's worker exits at any other word.
#[test]
fn a_worker_from_another_version_is_refused_and_named() {
    use std::os::unix::fs::PermissionsExt;
    let dir = scratch();
    let old = dir.path().join("old-worker");
    fs::write(&old, "#!/bin/sh\n# a worker of an earlier version: it knows only `serve`\n[ \"$2\" = serve ] || exit 2\nsleep 60\n")
        .unwrap();
    fs::set_permissions(&old, fs::Permissions::from_mode(0o755)).unwrap();
    let mut outcome = Worker::new(&old).protections();
    // Another test's process started while the script was open for writing holds it "busy" for a moment.
    for _ in 0..20 {
        match &outcome {
            Err(redress_core::isolate::Failure::Unavailable(m)) if m.contains("Text file busy") => {
                std::thread::sleep(std::time::Duration::from_millis(50));
                outcome = Worker::new(&old).protections();
            }
            _ => break,
        }
    }
    match outcome {
        Err(redress_core::isolate::Failure::Unavailable(m)) => assert!(
            m.contains(&old.display().to_string()) && m.contains("another version of Redress"),
            "the error names the program and why: {m}"
        ),
        other => panic!("a worker of another version must be refused as such, got {other:?}"),
    }

    let run = std::process::Command::new(env!("CARGO_BIN_EXE_redress-worker"))
        .args([redress_core::isolate::WORKER_FLAG, "serve"])
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(2), "this version's worker refuses an older start word");
    assert!(run.stdout.is_empty(), "and answers nothing");
}
