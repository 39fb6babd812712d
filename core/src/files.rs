//! Files Redress writes for the person (evidence exports, backups, bundles, drafts): where they may go, and how
//! they replace what was there. The new file is written unnamed (`O_TMPFILE`), or under a hidden, locked
//! temporary name where the file system cannot, then synced and given the target's name in one rename, so the
//! old file survives every failure. A target inside the vault folder, a symlink or a folder is refused.
//!
//! Residual risk: on file systems without `O_TMPFILE` (FAT and exFAT USB sticks), a kill or power loss while
//! writing leaves `.<name>.redress-partial-<random>` beside the target; the next save into that folder removes it.

use std::ffi::{OsStr, OsString};
use std::fs::File;
use std::io::{self, Write};
use std::os::fd::{AsRawFd, OwnedFd};
use std::path::{Path, PathBuf};

use rustix::fs::{AtFlags, FlockOperation, Mode, OFlags, CWD};
use rustix::io::Errno;
use serde::Serialize;

use crate::error::{Error, Reason, Result};
use crate::text::shown_path;

/// What every temporary name of ours contains (earlier versions used it without the random tail).
const PARTIAL: &str = ".redress-partial";
/// Backups made by earlier versions kept their journal snapshot under this name.
const OLD_SNAPSHOT: &str = ".redress-snapshot";

/// Checks that `path` may receive a file Redress writes, and returns the folder it goes in, links resolved.
/// Refused: a symlink (even a dangling one), a folder or anything but a regular file, a missing folder, and any
/// place inside `vault_dir` (compared after resolving links, so `link-to-vault/journal.db` is refused too).
pub fn check_target(path: &Path, vault_dir: Option<&Path>) -> Result<PathBuf> {
    let shown = shown_path(path);
    if path.file_name().is_none() {
        return Err(Error::invalid("output", format!("'{shown}' does not name a file")));
    }
    match std::fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_symlink() => {
            return Err(Error::invalid_because(
                Reason::TargetIsLink,
                "output",
                format!(
                    "'{shown}' is a symbolic link; Redress does not write through links, choose another file"
                ),
            ));
        }
        Ok(meta) if meta.is_dir() => {
            return Err(Error::invalid_because(
                Reason::TargetIsFolder,
                "output",
                format!("'{shown}' is a folder; choose a file name inside it"),
            ));
        }
        Ok(meta) if !meta.is_file() => {
            return Err(Error::invalid_because(
                Reason::NotRegular,
                "output",
                format!("'{shown}' is not an ordinary file; choose another file"),
            ));
        }
        Ok(_) => {}
        Err(e) if e.kind() == io::ErrorKind::NotFound => {}
        Err(e) => return Err(Error::io(format!("cannot inspect '{shown}'"), e)),
    }
    let folder = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let real = match std::fs::canonicalize(folder) {
        Ok(real) if real.is_dir() => real,
        Ok(_) => {
            return Err(Error::invalid(
                "output",
                format!("cannot save '{shown}': '{}' is not a folder", shown_path(folder)),
            ));
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            return Err(Error::invalid_because(
                Reason::MissingFile,
                "output",
                format!("cannot save '{shown}': folder '{}' does not exist", shown_path(folder)),
            ));
        }
        Err(e) => return Err(Error::io(format!("cannot open the folder '{}'", shown_path(folder)), e)),
    };
    // A vault folder that does not exist (yet) holds nothing to protect.
    if let Some(given) = vault_dir {
        if std::fs::canonicalize(given).is_ok_and(|vault| real.starts_with(vault)) {
            return Err(Error::invalid_because(
                Reason::TargetInVault,
                "output",
                format!(
                    "'{shown}' is inside the vault folder '{}'; saving there could destroy the journal, \
                     choose another folder",
                    shown_path(given)
                ),
            ));
        }
    }
    Ok(real)
}

/// Progress of a long operation, in bytes.
#[derive(ts_rs::TS)]
#[ts(export)]
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Progress {
    #[ts(type = "number")]
    pub done: u64,
    #[ts(type = "number")]
    pub total: u64,
}

/// A size for a message: bytes below 1 KiB, else one decimal in KiB, MiB, GiB or TiB.
pub(crate) fn human_size(bytes: u64) -> String {
    const UNITS: [&str; 5] = ["bytes", "KiB", "MiB", "GiB", "TiB"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{bytes} bytes")
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}

/// Refuses work that would not fit on the disk that holds `dir`, before anything is written.
pub(crate) fn ensure_free_space(dir: &Path, needed: u64, what: &str) -> Result<()> {
    let available = fs4::available_space(dir)
        .map_err(|e| Error::io(format!("cannot measure free space in '{}'", shown_path(dir)), e))?;
    if needed > available {
        return Err(Error::invalid_because(
            Reason::NoSpace,
            "disk space",
            format!(
                "{what} needs {} but only {} is free on that disk; nothing was changed",
                human_size(needed),
                human_size(available)
            ),
        ));
    }
    Ok(())
}

/// Writes `bytes` to `target` through [`Output`]: the old file, if any, is replaced only once the new one is
/// complete and synced.
pub fn write(target: &Path, vault_dir: Option<&Path>, bytes: &[u8]) -> Result<()> {
    let mut out = Output::create(target, vault_dir)?;
    out.write_all(bytes).map_err(|e| Error::io(format!("cannot write '{}'", shown_path(target)), e))?;
    out.commit()
}

/// A file being written for `target`, created 0600. Nothing has the target's name until [`Output::commit`];
/// dropping it uncommitted (an error, a cancel) leaves the folder as it was.
pub struct Output {
    file: File,
    dir: OwnedFd,
    folder: PathBuf,
    target: PathBuf,
    name: OsString,
    /// The temporary name the file has in `dir`, if any: removed on drop.
    temp: Option<OsString>,
}

impl std::fmt::Debug for Output {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Output").field("named", &self.temp.is_some()).finish_non_exhaustive()
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Naming {
    /// `O_TMPFILE` where the file system has it, else a temporary name.
    Best,
    /// Always a temporary name (what FAT gets): for tests of that path.
    #[cfg_attr(not(test), allow(dead_code, reason = "only tests force the named path"))]
    Named,
}

impl Output {
    /// Checks `target` ([`check_target`]) and opens a new, empty file in its folder. Leftover temporary files of
    /// earlier, interrupted saves in that folder are removed first.
    pub fn create(target: &Path, vault_dir: Option<&Path>) -> Result<Output> {
        Output::create_as(target, vault_dir, Naming::Best)
    }

    fn create_as(target: &Path, vault_dir: Option<&Path>, naming: Naming) -> Result<Output> {
        let folder = check_target(target, vault_dir)?;
        let name = target.file_name().map(OsStr::to_owned).unwrap_or_default();
        let ctx = || format!("cannot create '{}'", shown_path(target));
        let dir = rustix::fs::openat(
            CWD,
            &folder,
            OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC,
            Mode::empty(),
        )
        .map_err(|e| Error::io(ctx(), e.into()))?;
        sweep(&dir, &folder);
        let unnamed = if naming == Naming::Best { unnamed(&dir) } else { None };
        let (fd, temp) = match unnamed {
            Some(fd) => (fd, None),
            None => {
                let (fd, temp) = named(&dir, &name).map_err(|e| Error::io(ctx(), e))?;
                (fd, Some(temp))
            }
        };
        Ok(Output { file: File::from(fd), dir, folder, target: target.to_owned(), name, temp })
    }

    /// The folder the file is written in (links resolved): for free-space checks.
    pub fn folder(&self) -> &Path {
        &self.folder
    }

    /// The open file, for writers that want a `&File` (which is `Write` too).
    pub fn file(&self) -> &File {
        &self.file
    }

    /// Syncs the file, gives it the target's name (replacing the old file in one rename), syncs the folder.
    pub fn commit(mut self) -> Result<()> {
        let target = self.target.clone();
        let ctx = || format!("cannot write '{}'", shown_path(&target));
        self.file.sync_all().map_err(|e| Error::io(ctx(), e))?;
        match self.temp.clone() {
            Some(temp) => rename(&self.dir, &temp, &self.name).map_err(|e| Error::io(ctx(), e))?,
            None => self.link().map_err(|e| Error::io(ctx(), e))?,
        }
        self.temp = None;
        // The rename is durable only once the folder is synced. Some file systems (FUSE, network) cannot sync a
        // folder (EINVAL); only a real I/O error is reported.
        match rustix::fs::fsync(&self.dir) {
            Err(Errno::IO) => Err(Error::io(ctx(), Errno::IO.into())),
            _ => Ok(()),
        }
    }

    /// Names the unnamed file: straight as the target when there is none (no temporary name at all), else under
    /// a temporary name renamed over the target.
    fn link(&mut self) -> io::Result<()> {
        let proc = format!("/proc/self/fd/{}", self.file.as_raw_fd());
        match rustix::fs::linkat(CWD, &proc, &self.dir, &self.name, AtFlags::SYMLINK_FOLLOW) {
            Ok(()) => return Ok(()),
            Err(Errno::EXIST) => {}
            Err(e) => return Err(e.into()),
        }
        let temp = temp_name(&self.name)?;
        rustix::fs::linkat(CWD, &proc, &self.dir, &temp, AtFlags::SYMLINK_FOLLOW)?;
        self.temp = Some(temp.clone());
        rename(&self.dir, &temp, &self.name)
    }
}

impl Write for Output {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.file.write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.file.flush()
    }
}

impl Drop for Output {
    fn drop(&mut self) {
        if let Some(temp) = self.temp.take() {
            let _ = rustix::fs::unlinkat(&self.dir, &temp, AtFlags::empty());
        }
    }
}

/// A scratch file beside an [`Output`] under a hidden, locked temporary name, for work that needs a path (the
/// backup's journal snapshot). Removed on drop; a leftover is removed by the next save into the folder.
pub(crate) struct Scratch {
    _file: File,
    dir: OwnedFd,
    name: OsString,
    path: PathBuf,
}

impl Scratch {
    pub(crate) fn beside(out: &Output) -> Result<Scratch> {
        let ctx = || format!("cannot create a temporary file in '{}'", shown_path(&out.folder));
        let dir = out.dir.try_clone().map_err(|e| Error::io(ctx(), e))?;
        let (fd, name) = named(&dir, &out.name).map_err(|e| Error::io(ctx(), e))?;
        let path = out.folder.join(&name);
        Ok(Scratch { _file: File::from(fd), dir, name, path })
    }

    pub(crate) fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = rustix::fs::unlinkat(&self.dir, &self.name, AtFlags::empty());
    }
}

fn rename(dir: &OwnedFd, from: &OsStr, to: &OsStr) -> io::Result<()> {
    Ok(rustix::fs::renameat(dir, from, dir, to)?)
}

/// An unnamed file in `dir`, when the file system has `O_TMPFILE` and `/proc` is there to link it later.
#[cfg(any(target_os = "linux", target_os = "android"))]
fn unnamed(dir: &OwnedFd) -> Option<OwnedFd> {
    if !Path::new("/proc/self/fd").is_dir() {
        return None;
    }
    let flags = OFlags::TMPFILE | OFlags::WRONLY | OFlags::CLOEXEC;
    rustix::fs::openat(dir, ".", flags, Mode::from_raw_mode(0o600)).ok()
}

#[cfg(not(any(target_os = "linux", target_os = "android")))]
fn unnamed(_dir: &OwnedFd) -> Option<OwnedFd> {
    None
}

/// `.<name>.redress-partial-<random>`, at most ~100 bytes whatever the target's name.
fn temp_name(name: &OsStr) -> io::Result<OsString> {
    let mut random = [0u8; 8];
    getrandom::getrandom(&mut random).map_err(|e| io::Error::other(e.to_string()))?;
    let short: String = name.to_string_lossy().chars().take(60).collect();
    Ok(OsString::from(format!(".{short}{PARTIAL}-{}", hex::encode(random))))
}

/// A new file under a temporary name: never through a link, never an existing file, 0600, and locked so that
/// [`sweep`] in another process can tell it is still being written.
fn named(dir: &OwnedFd, name: &OsStr) -> io::Result<(OwnedFd, OsString)> {
    let temp = temp_name(name)?;
    let flags = OFlags::WRONLY | OFlags::CREATE | OFlags::EXCL | OFlags::NOFOLLOW | OFlags::CLOEXEC;
    let fd = rustix::fs::openat(dir, &temp, flags, Mode::from_raw_mode(0o600))?;
    // A file system without locks only makes the sweep leave this file alone.
    let _ = rustix::fs::flock(&fd, FlockOperation::NonBlockingLockExclusive);
    Ok((fd, temp))
}

/// Removes leftover temporary files of interrupted saves from the folder: regular files with our temporary
/// names that no running save holds locked. Best effort; returns how many were removed.
fn sweep(dir: &OwnedFd, folder: &Path) -> usize {
    let Ok(entries) = std::fs::read_dir(folder) else { return 0 };
    let mut removed = 0;
    for entry in entries.flatten() {
        let name = entry.file_name();
        let text = name.to_string_lossy();
        if !text.starts_with('.') || !(text.contains(PARTIAL) || text.contains(OLD_SNAPSHOT)) {
            continue;
        }
        let flags = OFlags::RDONLY | OFlags::NOFOLLOW | OFlags::NONBLOCK | OFlags::CLOEXEC;
        let Ok(fd) = rustix::fs::openat(dir, &name, flags, Mode::empty()) else { continue };
        let file = File::from(fd);
        if !file.metadata().is_ok_and(|m| m.is_file()) {
            continue;
        }
        if rustix::fs::flock(&file, FlockOperation::NonBlockingLockExclusive).is_ok()
            && rustix::fs::unlinkat(dir, &name, AtFlags::empty()).is_ok()
        {
            removed += 1;
        }
    }
    if removed > 0 {
        let _ = rustix::fs::fsync(dir);
    }
    removed
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests")]

    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn names(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }

    #[test]
    fn an_unnamed_file_has_no_name_until_commit_and_replaces_the_old_one() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out.pdf");
        std::fs::write(&target, "OLD").unwrap();
        let mut out = Output::create(&target, None).unwrap();
        assert!(out.temp.is_none(), "this file system has O_TMPFILE: no temporary name is needed");
        out.write_all(b"NEW").unwrap();
        assert_eq!(names(dir.path()), ["out.pdf"], "nothing new is visible while writing");
        assert_eq!(std::fs::read(&target).unwrap(), b"OLD");
        out.commit().unwrap();
        assert_eq!(std::fs::read(&target).unwrap(), b"NEW");
        assert_eq!(names(dir.path()), ["out.pdf"], "no temporary file remains");
        let mode = std::fs::metadata(&target).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "a replaced file is private too");

        let fresh = dir.path().join("fresh.pdf");
        let mut out = Output::create(&fresh, None).unwrap();
        out.write_all(b"X").unwrap();
        drop(out);
        assert!(!fresh.exists(), "an uncommitted file never takes the target's name");
    }

    #[test]
    fn a_named_temporary_is_removed_on_failure_and_swept_when_left_behind() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("backup.redress-backup");
        std::fs::write(&target, "OLD").unwrap();
        let mut out = Output::create_as(&target, None, Naming::Named).unwrap();
        out.write_all(b"NEW").unwrap();
        let during = names(dir.path());
        assert_eq!(during.len(), 2, "{during:?}");
        assert!(during[0].starts_with(".backup.redress-backup.redress-partial-"), "{during:?}");
        let mode = std::fs::metadata(dir.path().join(&during[0])).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "a temporary file is private from its creation");
        // A second save into the folder does not remove a temporary file still being written (it is locked).
        let other = Output::create_as(&dir.path().join("other"), None, Naming::Named).unwrap();
        assert!(dir.path().join(&during[0]).exists(), "a live save's temporary file is left alone");
        drop(other);
        drop(out);
        assert_eq!(names(dir.path()), ["backup.redress-backup"], "a failed save leaves nothing behind");
        assert_eq!(std::fs::read(&target).unwrap(), b"OLD");

        // What a killed save leaves (an unlocked temporary file, or an earlier version's names) is swept.
        std::fs::write(dir.path().join(".backup.redress-backup.redress-partial-0011223344556677"), "x")
            .unwrap();
        std::fs::write(dir.path().join(".x.pdf.redress-partial"), "x").unwrap();
        std::fs::write(dir.path().join(".b.redress-snapshot"), "x").unwrap();
        std::fs::write(dir.path().join(".keep-me"), "x").unwrap();
        let mut out = Output::create_as(&target, None, Naming::Named).unwrap();
        out.write_all(b"NEW").unwrap();
        out.commit().unwrap();
        assert_eq!(names(dir.path()), [".keep-me", "backup.redress-backup"]);
        assert_eq!(std::fs::read(&target).unwrap(), b"NEW");
    }

    #[test]
    fn a_planted_link_at_a_temporary_name_is_never_written_through() {
        let dir = tempfile::tempdir().unwrap();
        let victim = dir.path().join("victim");
        std::fs::write(&victim, "VICTIM").unwrap();
        std::os::unix::fs::symlink(&victim, dir.path().join(".x.pdf.redress-partial")).unwrap();
        for naming in [Naming::Best, Naming::Named] {
            let mut out = Output::create_as(&dir.path().join("x.pdf"), None, naming).unwrap();
            out.write_all(b"PDF").unwrap();
            out.commit().unwrap();
        }
        assert_eq!(std::fs::read(&victim).unwrap(), b"VICTIM");
        assert_eq!(std::fs::read(dir.path().join("x.pdf")).unwrap(), b"PDF");
    }

    #[test]
    fn targets_that_are_links_folders_or_inside_the_vault_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let vault = dir.path().join("vault");
        std::fs::create_dir(&vault).unwrap();
        std::os::unix::fs::symlink(&vault, dir.path().join("shortcut")).unwrap();
        std::os::unix::fs::symlink(dir.path().join("nowhere"), dir.path().join("dangling")).unwrap();
        let cases = [
            (vault.join("journal.db"), "target_in_vault"),
            (vault.join("new.pdf"), "target_in_vault"),
            (dir.path().join("shortcut/keyslots.json"), "target_in_vault"),
            (dir.path().join("dangling"), "target_is_link"),
            (dir.path().join("shortcut"), "target_is_link"),
            (vault.clone(), "target_is_folder"),
            (dir.path().join("missing/x.pdf"), "missing_file"),
            (PathBuf::from("/dev/null"), "not_regular"),
        ];
        for (path, reason) in cases {
            let err = check_target(&path, Some(&vault)).unwrap_err();
            assert_eq!(err.reason(), reason, "{}: {err}", path.display());
            assert!(err.to_string().contains(&*path.to_string_lossy()), "the message names the path: {err}");
        }
        assert!(check_target(&dir.path().join("fine.pdf"), Some(&vault)).is_ok());
        assert!(check_target(&dir.path().join("fine.pdf"), Some(&dir.path().join("no-vault-yet"))).is_ok());
    }
}
