//! The process that holds the key: called first thing by the app and `redress-cli`, so an abort writes no core
//! image of the data key or the journal's pages, and no other process of the same user can read its memory.
//! The one decision to know: the core-size limit of 0 is inherited by every child (the worker, WebKit's
//! processes); "not dumpable" is not (the kernel resets it at `execve`), so a child that holds secrets sets its own.

/// What `harden_process` managed to switch on; the app and the CLI run on without a layer the system refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Hardening {
    /// RLIMIT_CORE is 0 (soft and hard): the kernel writes no `core` file. A `core_pattern` that pipes to a
    /// handler (systemd-coredump) is told the limit and, in its current versions, stores nothing for 0.
    pub no_core_file: bool,
    /// `PR_SET_DUMPABLE 0`: no core dump even through a pipe handler, and `/proc/<pid>/mem`, `ptrace` and the
    /// like are closed to other processes of the same user (the kernel makes `/proc/<pid>` root-owned).
    pub not_dumpable: bool,
}

/// Lowers the core-size limit to 0 and makes the process not dumpable. Never fails: each layer the system
/// refuses is reported as off in the result.
pub fn harden_process() -> Hardening {
    imp::harden()
}

/// What protects this process now, read back from the system (not what `harden_process` was asked for): what
/// Settings → Security shows.
pub fn current_hardening() -> Hardening {
    imp::current()
}

#[cfg(any(target_os = "linux", target_os = "android"))]
mod imp {
    use rustix::process::{
        dumpable_behavior, getrlimit, set_dumpable_behavior, setrlimit, DumpableBehavior, Resource, Rlimit,
    };

    use super::Hardening;

    pub(super) fn harden() -> Hardening {
        let zero = Rlimit { current: Some(0), maximum: Some(0) };
        let no_core_file =
            setrlimit(Resource::Core, zero).is_ok() || getrlimit(Resource::Core).maximum == Some(0);
        let not_dumpable = set_dumpable_behavior(DumpableBehavior::NotDumpable).is_ok();
        Hardening { no_core_file, not_dumpable }
    }

    pub(super) fn current() -> Hardening {
        let core = getrlimit(Resource::Core);
        Hardening {
            no_core_file: core.current == Some(0) && core.maximum == Some(0),
            not_dumpable: dumpable_behavior().is_ok_and(|b| b == DumpableBehavior::NotDumpable),
        }
    }
}

#[cfg(all(unix, not(any(target_os = "linux", target_os = "android"))))]
mod imp {
    use rustix::process::{getrlimit, setrlimit, Resource, Rlimit};

    use super::Hardening;

    /// Other Unix systems get the core limit; their ptrace protection (e.g. macOS's hardened runtime) comes from
    /// how the app is signed, not from this call.
    pub(super) fn harden() -> Hardening {
        let zero = Rlimit { current: Some(0), maximum: Some(0) };
        let no_core_file =
            setrlimit(Resource::Core, zero).is_ok() || getrlimit(Resource::Core).maximum == Some(0);
        Hardening { no_core_file, not_dumpable: false }
    }

    pub(super) fn current() -> Hardening {
        let core = getrlimit(Resource::Core);
        Hardening { no_core_file: core.current == Some(0) && core.maximum == Some(0), not_dumpable: false }
    }
}

#[cfg(not(unix))]
mod imp {
    use super::Hardening;

    /// Windows writes no core file unless Windows Error Reporting is set to keep full dumps; nothing is set here.
    pub(super) fn harden() -> Hardening {
        Hardening::default()
    }

    pub(super) fn current() -> Hardening {
        Hardening::default()
    }
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, reason = "a test that fails should fail loudly")]

    use rustix::process::{dumpable_behavior, getrlimit, DumpableBehavior, Resource};

    use super::*;

    const CHILD: &str = "REDRESS_TEST_HARDEN_CHILD";

    /// Issue 12 §3 (review H5). Runs in a child copy of this test binary, so the test process itself (and the
    /// other tests in it) keep their limits.
    #[test]
    fn issue_12_harden_process_forbids_core_files_and_ptrace() {
        if std::env::var_os(CHILD).is_some() {
            let before = current_hardening();
            assert!(!before.not_dumpable, "a freshly started process is dumpable, and must be reported so");
            let done = harden_process();
            assert_eq!(
                current_hardening(),
                done,
                "what Settings shows is what was switched on (before: {before:?})"
            );
            assert_eq!(
                done,
                Hardening { no_core_file: true, not_dumpable: true },
                "both layers exist on Linux"
            );
            let core = getrlimit(Resource::Core);
            assert_eq!(
                (core.current, core.maximum),
                (Some(0), Some(0)),
                "no core file may be written, and the limit may not be raised again"
            );
            assert_eq!(
                dumpable_behavior().unwrap(),
                DumpableBehavior::NotDumpable,
                "the process that holds the key must not be dumpable or traceable"
            );
            // The process still reads its own /proc entries (the saves use /proc/self/fd; the worker is started
            // from /proc/self/exe).
            assert!(std::fs::read_dir("/proc/self/fd").is_ok(), "its own fd list stays readable");
            assert!(std::env::current_exe().is_ok(), "its own executable stays known");
            assert!(std::fs::read_to_string("/proc/self/status").is_ok());
            return;
        }
        let out = std::process::Command::new(std::env::current_exe().unwrap())
            .args(["--exact", "process::tests::issue_12_harden_process_forbids_core_files_and_ptrace"])
            .args(["--nocapture", "--test-threads=1"])
            .env(CHILD, "1")
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success() && text.contains("1 passed"), "the hardened child failed:\n{text}");
    }
}
