//! The worker's sandbox: what a worker does to itself before it reads a byte of input, and the list of what took
//! effect (`Protections`), which the parent asks for with `Mode::Status` and Settings shows. Each layer is tried
//! on its own and one the running kernel refuses is reported missing, never fatal: a worker with fewer walls still
//! beats no reader at all. Linux gets every layer below; other systems get the separate process and the resource
//! limits only (and the code says so: everything else is `cfg(target_os = "linux")`).

use serde::{Deserialize, Serialize};

/// One wall around the worker, in the order the worker puts them up.
#[derive(ts_rs::TS)]
#[ts(export)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Layer {
    /// Files are read in a separate process, which the app kills at each job's deadline.
    SeparateProcess,
    /// One thread only, so every wall below covers the whole worker: seccomp can be laid on every thread, but
    /// Landlock and the network namespace hold only for the thread that asks, and another thread (a library's, in a
    /// program that links WebKit) would share memory with the parser outside them.
    SingleThread,
    /// Bounds on memory, open files, new processes, file size, and no core dump.
    ResourceLimits,
    /// Started with an empty environment: no display, session bus, SSH agent or home folder to find.
    CleanEnvironment,
    /// Holds no open file of the app's beyond its input and output pipes.
    NoInheritedFiles,
    /// The kernel kills the worker, not the app, when memory runs out.
    KilledFirstOnLowMemory,
    /// Runs in a network namespace of its own, with no network device but a loopback that is down.
    NoNetwork,
    /// `PR_SET_NO_NEW_PRIVS`: cannot gain privileges by starting a set-uid program.
    NoNewPrivileges,
    /// Landlock: no access to any file or folder, no TCP, no signals or abstract sockets outside itself.
    NoFileAccess,
    /// seccomp: only the few system calls reading a file from a pipe needs; every other call is refused.
    SystemCallFilter,
}

impl Layer {
    /// Every layer, in the order the worker puts them up.
    pub const ALL: [Layer; 10] = [
        Layer::SeparateProcess,
        Layer::SingleThread,
        Layer::ResourceLimits,
        Layer::CleanEnvironment,
        Layer::NoInheritedFiles,
        Layer::KilledFirstOnLowMemory,
        Layer::NoNetwork,
        Layer::NoNewPrivileges,
        Layer::NoFileAccess,
        Layer::SystemCallFilter,
    ];
}

/// One layer and whether it took effect in the worker that answered.
#[derive(ts_rs::TS)]
#[ts(export)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct LayerState {
    pub layer: Layer,
    pub active: bool,
}

/// What a worker reports about its own sandbox: every layer, active or not.
#[derive(ts_rs::TS)]
#[ts(export)]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Protections {
    pub layers: Vec<LayerState>,
}

impl Protections {
    /// Whether `layer` took effect.
    pub fn is_active(&self, layer: Layer) -> bool {
        self.layers.iter().any(|l| l.layer == layer && l.active)
    }

    fn from_active(active: &[Layer]) -> Protections {
        Protections {
            layers: Layer::ALL
                .iter()
                .map(|&layer| LayerState { layer, active: active.contains(&layer) })
                .collect(),
        }
    }
}

/// Puts up every layer this system offers, in order, and says which took effect. `memory` is the data limit the
/// parent chose; `skip` lists layers not to put up (debug builds only, for tests that check one layer alone).
pub(crate) fn enter(memory: u64, skip: &[Layer]) -> Protections {
    let mut active = vec![Layer::SeparateProcess];
    let mut put = |layer: Layer, up: &mut dyn FnMut() -> bool| {
        if !skip.contains(&layer) && up() {
            active.push(layer);
        }
    };
    // The order matters: files must be closed and proc written before Landlock shuts the file system, the
    // namespace made before seccomp forbids `unshare`, and the filter comes last because it forbids the rest.
    #[cfg(target_os = "linux")]
    put(Layer::SingleThread, &mut linux::single_thread);
    put(Layer::ResourceLimits, &mut || limit(memory));
    #[cfg(target_os = "linux")]
    {
        put(Layer::CleanEnvironment, &mut linux::environment_is_clean);
        put(Layer::NoInheritedFiles, &mut linux::close_inherited_files);
        put(Layer::KilledFirstOnLowMemory, &mut linux::kill_me_first);
        put(Layer::NoNetwork, &mut linux::own_network);
        put(Layer::NoNewPrivileges, &mut linux::no_new_privileges);
        put(Layer::NoFileAccess, &mut linux::landlock);
        put(Layer::SystemCallFilter, &mut linux::seccomp);
    }
    Protections::from_active(&active)
}

/// Bounds this process to `memory` bytes of data, a few open files, no new process (for an unprivileged user; the
/// seccomp filter forbids `clone` for everyone), no file written and no core dump; time is bounded by the parent.
fn limit(memory: u64) -> bool {
    use rustix::process::{setrlimit, Resource, Rlimit};
    let set = |resource, n: u64| setrlimit(resource, Rlimit { current: Some(n), maximum: Some(n) }).is_ok();
    // A crash must not leave a core file with evidence in it.
    let core = set(Resource::Core, 0);
    let data = set(Resource::Data, memory);
    let files = set(Resource::Nofile, 16);
    let processes = set(Resource::Nproc, 0);
    let size = set(Resource::Fsize, 0);
    core && data && files && processes && size
}

#[cfg(target_os = "linux")]
mod linux {
    use std::collections::BTreeMap;
    use std::os::fd::RawFd;

    use seccompiler::{
        BackendError, SeccompAction, SeccompCmpArgLen as Len, SeccompCmpOp as Op, SeccompCondition as Cond,
        SeccompFilter, SeccompRule,
    };

    use crate::isolate::protocol::{MEMORY_ENV, THREADS_ENV};

    /// Whether this process runs one thread (read before Landlock closes `/proc`). The app starts
    /// `redress-worker`, which links no WebKit: the app's own binary, started as a worker, had a second thread
    /// before `main` (WebKit's allocator starts its scavenger from a library constructor).
    pub(super) fn single_thread() -> bool {
        std::fs::read_to_string("/proc/self/status").is_ok_and(|status| {
            status.lines().any(|line| line.strip_prefix("Threads:").is_some_and(|n| n.trim() == "1"))
        })
    }

    /// The parent cleared the environment (`env_clear` at spawn) and passed the memory budget alone (and to an
    /// OCR worker, OpenMP's thread limit of one).
    pub(super) fn environment_is_clean() -> bool {
        std::env::vars_os()
            .all(|(name, value)| name == MEMORY_ENV || (name == THREADS_ENV.0 && value == THREADS_ENV.1))
    }

    /// Closes every descriptor but stdin, stdout and stderr: a library of the app (GTK, WebKit, D-Bus) may have
    /// opened one without close-on-exec, and the worker must not hold the app's sockets or files. True when none
    /// is left.
    pub(super) fn close_inherited_files() -> bool {
        let open = || -> Option<Vec<RawFd>> {
            let dir = std::fs::read_dir("/proc/self/fd").ok()?;
            Some(
                dir.filter_map(|e| e.ok()?.file_name().to_str()?.parse().ok()).filter(|&fd| fd > 2).collect(),
            )
        };
        let Some(inherited) = open() else { return false };
        for fd in inherited {
            // The directory's own descriptor is in the list and is already closed: EBADF, harmless.
            let _ = nix::unistd::close(fd);
        }
        open().is_some_and(|left| left.len() <= 1)
    }

    /// Asks the kernel to kill this worker first when memory runs out (raising one's own score needs no right).
    pub(super) fn kill_me_first() -> bool {
        std::fs::write("/proc/self/oom_score_adj", "1000").is_ok()
    }

    /// A user namespace (so no privilege is needed) holding a network namespace with no device but a loopback
    /// that is down. Kernels or distributions that forbid unprivileged user namespaces refuse it; the other
    /// layers still hold.
    pub(super) fn own_network() -> bool {
        use rustix::thread::UnshareFlags;
        #[allow(deprecated, reason = "unshare is unsafe only with CLONE_FILES, which is not asked for here")]
        let unshared = rustix::thread::unshare(UnshareFlags::NEWUSER | UnshareFlags::NEWNET);
        unshared.is_ok()
    }

    pub(super) fn no_new_privileges() -> bool {
        rustix::thread::set_no_new_privs(true).is_ok() && rustix::thread::no_new_privs() == Ok(true)
    }

    /// A Landlock domain that handles every file-system and TCP right and grants none, and scopes signals and
    /// abstract Unix sockets to the worker itself. True when the kernel enforces at least the file-system part.
    pub(super) fn landlock() -> bool {
        use landlock::{Access, AccessFs, AccessNet, Ruleset, RulesetAttr, RulesetStatus, Scope, ABI};
        let abi = ABI::V6;
        let status = Ruleset::default()
            .handle_access(AccessFs::from_all(abi))
            .and_then(|r| r.handle_access(AccessNet::from_all(abi)))
            .and_then(|r| r.scope(Scope::from_all(abi)))
            .and_then(|r| r.create())
            .and_then(|r| r.restrict_self());
        status.is_ok_and(|s| s.ruleset != RulesetStatus::NotEnforced)
    }

    /// The allow-list: reading stdin, writing stdout and stderr, memory that is never executable, futexes, and
    /// ending. Any other call fails with EPERM, so a parser that tries one sees an error, not a kill; an exploit
    /// can neither open, connect, fork, exec nor map code.
    pub(super) fn seccomp() -> bool {
        let Ok(arch) = std::env::consts::ARCH.try_into() else { return false };
        let program = rules()
            .and_then(|rules| {
                SeccompFilter::new(
                    rules,
                    SeccompAction::Errno(libc::EPERM as u32),
                    SeccompAction::Allow,
                    arch,
                )
            })
            .and_then(seccompiler::BpfProgram::try_from);
        program.is_ok_and(|program| seccompiler::apply_filter_all_threads(&program).is_ok())
    }

    /// The allowed calls. A call mapped to no rule is allowed whatever its arguments, so a condition that cannot
    /// be built must fail the whole filter, never leave its call unconditional.
    fn rules() -> Result<BTreeMap<i64, Vec<SeccompRule>>, BackendError> {
        let when = |conds: Vec<(u8, Op, u64)>| -> Result<SeccompRule, BackendError> {
            let conds = conds.into_iter().map(|(arg, op, value)| Cond::new(arg, Len::Dword, op, value));
            SeccompRule::new(conds.collect::<Result<Vec<_>, _>>()?)
        };
        let exec = libc::PROT_EXEC as u64;
        let anonymous = libc::MAP_ANONYMOUS as u64;
        let pid = rustix::process::getpid().as_raw_nonzero().get() as u64;
        let mut rules: BTreeMap<i64, Vec<SeccompRule>> = BTreeMap::new();
        // Unconditional: memory bookkeeping, futexes, signals on the way out (an abort, a stack overflow), the
        // clock, hash seeds, ending.
        for call in [
            libc::SYS_brk,
            libc::SYS_munmap,
            libc::SYS_mremap,
            libc::SYS_madvise,
            libc::SYS_futex,
            libc::SYS_sched_yield,
            libc::SYS_sigaltstack,
            libc::SYS_rt_sigreturn,
            libc::SYS_rt_sigprocmask,
            libc::SYS_rt_sigaction,
            libc::SYS_getpid,
            libc::SYS_gettid,
            libc::SYS_clock_gettime,
            libc::SYS_getrandom,
            libc::SYS_exit,
            libc::SYS_exit_group,
        ] {
            rules.insert(call, vec![]);
        }
        // Input from stdin only; answers and panic messages to stdout and stderr only.
        rules.insert(libc::SYS_read, vec![when(vec![(0, Op::Eq, 0)])?]);
        for call in [libc::SYS_write, libc::SYS_writev] {
            rules.insert(call, vec![when(vec![(0, Op::Eq, 1)])?, when(vec![(0, Op::Eq, 2)])?]);
        }
        // Anonymous memory, never executable: a mapped file or new code is refused.
        rules.insert(
            libc::SYS_mmap,
            vec![when(vec![(2, Op::MaskedEq(exec), 0), (3, Op::MaskedEq(anonymous), anonymous)])?],
        );
        rules.insert(libc::SYS_mprotect, vec![when(vec![(2, Op::MaskedEq(exec), 0)])?]);
        // An abort (an allocation that fails) signals this process and no other.
        rules.insert(libc::SYS_tgkill, vec![when(vec![(0, Op::Eq, pid)])?]);
        Ok(rules)
    }
}
