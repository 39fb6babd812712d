//! What the desktop tells the app over D-Bus that must lock the vault: the computer going to sleep (logind
//! `PrepareForSleep`), the session being locked (logind `Session.Lock`) and the screen saver starting
//! (`ActiveChanged(true)` of `org.freedesktop.ScreenSaver` or `org.gnome.ScreenSaver`).
//! A bus that is missing only means that trigger is missing: start-up never fails for it. Signals are not
//! filtered by sender: anyone on the bus who fakes one can only lock the vault, never open it.

use std::thread;

use zbus::blocking::{Connection, MessageIterator};
use zbus::message::Type;
use zbus::zvariant::OwnedFd;
use zbus::MatchRule;

/// Why the desktop asked for the lock (the UI says it on the Unlock screen).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trigger {
    Sleep,
    SessionLock,
    ScreenSaver,
}

/// Starts listening on the session and the system bus; each that is not there is skipped (with its reason
/// returned, for a line on stderr: it names no file and no secret).
pub fn watch(on_lock: impl Fn(Trigger) + Send + Sync + Clone + 'static) -> Vec<String> {
    let mut missing = Vec::new();
    match Connection::session().and_then(|bus| watch_screen_saver(&bus, on_lock.clone())) {
        Ok(()) => {}
        Err(e) => missing.push(format!("session bus (screen saver): {e}")),
    }
    match Connection::system().and_then(|bus| watch_logind(&bus, on_lock)) {
        Ok(()) => {}
        Err(e) => missing.push(format!("system bus (sleep, session lock): {e}")),
    }
    missing
}

fn signals(bus: &Connection, member: &'static str) -> zbus::Result<MessageIterator> {
    let rule = MatchRule::builder().msg_type(Type::Signal).member(member)?.build();
    MessageIterator::for_match_rule(rule, bus, Some(64))
}

/// `ActiveChanged(true)` of either screen-saver interface. The match is registered before this returns, so a
/// signal sent afterwards is never missed.
pub fn watch_screen_saver(bus: &Connection, on_lock: impl Fn(Trigger) + Send + 'static) -> zbus::Result<()> {
    let messages = signals(bus, "ActiveChanged")?;
    thread::Builder::new().name("redress-screensaver".into()).spawn(move || {
        for message in messages.flatten() {
            let header = message.header();
            let saver = header.interface().is_some_and(|i| {
                matches!(i.as_str(), "org.freedesktop.ScreenSaver" | "org.gnome.ScreenSaver")
            });
            if saver && message.body().deserialize::<bool>().unwrap_or(false) {
                on_lock(Trigger::ScreenSaver);
            }
        }
    })?;
    Ok(())
}

const LOGIND: &str = "org.freedesktop.login1";
const LOGIND_PATH: &str = "/org/freedesktop/login1";
const MANAGER: &str = "org.freedesktop.login1.Manager";

/// Holds logind's sleep until the vault is locked: a "delay" inhibitor, released once the lock is done
/// (logind waits for it at most `InhibitDelayMaxSec`, 5 s by default). Without it the computer could freeze
/// before this thread runs. `None` when logind is not there or refuses; the signal is still heard.
fn delay_sleep(bus: &Connection) -> Option<OwnedFd> {
    let reply = bus
        .call_method(
            Some(LOGIND),
            LOGIND_PATH,
            Some(MANAGER),
            "Inhibit",
            &("sleep", "Redress", "Lock the case journal before the computer sleeps", "delay"),
        )
        .ok()?;
    reply.body().deserialize::<OwnedFd>().ok()
}

/// This process's login session, whose `Lock` signal counts; `None` (then any session's counts) without logind.
fn own_session(bus: &Connection) -> Option<String> {
    let reply = bus
        .call_method(Some(LOGIND), LOGIND_PATH, Some(MANAGER), "GetSessionByPID", &(std::process::id()))
        .ok()?;
    let path: zbus::zvariant::OwnedObjectPath = reply.body().deserialize().ok()?;
    Some(path.as_str().to_owned())
}

/// `PrepareForSleep(true)` of logind's manager and `Lock` of this session.
pub fn watch_logind(bus: &Connection, on_lock: impl Fn(Trigger) + Send + Sync + 'static) -> zbus::Result<()> {
    let sleep = signals(bus, "PrepareForSleep")?;
    let lock = signals(bus, "Lock")?;
    let session = own_session(bus);
    let mut inhibitor = delay_sleep(bus);
    let bus = bus.clone();
    let on_lock = std::sync::Arc::new(on_lock);
    let on_session_lock = on_lock.clone();
    thread::Builder::new().name("redress-sleep".into()).spawn(move || {
        for message in sleep.flatten() {
            if message.header().interface().is_none_or(|i| i.as_str() != MANAGER) {
                continue;
            }
            if message.body().deserialize::<bool>().unwrap_or(false) {
                on_lock(Trigger::Sleep);
                // Locked: let the computer sleep now.
                drop(inhibitor.take());
            } else if inhibitor.is_none() {
                // Awake again: hold the next sleep too.
                inhibitor = delay_sleep(&bus);
            }
        }
    })?;
    thread::Builder::new().name("redress-session-lock".into()).spawn(move || {
        for message in lock.flatten() {
            let header = message.header();
            let ours = header.interface().is_some_and(|i| i.as_str() == "org.freedesktop.login1.Session")
                && match (&session, header.path()) {
                    (Some(own), Some(path)) => path.as_str() == own,
                    (None, _) => true,
                    (Some(_), None) => false,
                };
            if ours {
                on_session_lock(Trigger::SessionLock);
            }
        }
    })?;
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, reason = "a test that fails should fail loudly")]

    use std::process::Command;
    use std::sync::mpsc;
    use std::time::Duration;

    use super::*;
    use crate::commands::testing::{fast_vault, scratch};
    use crate::state::{AppState, Session};

    /// A private bus from `dbus-daemon`, stopped when the test ends.
    struct PrivateBus {
        address: String,
        pid: i32,
    }

    impl PrivateBus {
        fn start() -> PrivateBus {
            let out = Command::new("dbus-daemon")
                .args(["--session", "--fork", "--print-address=1", "--print-pid=1", "--nosyslog"])
                .output()
                .expect("dbus-daemon must be installed (`make` installs dbus-x11)");
            assert!(out.status.success(), "dbus-daemon: {}", String::from_utf8_lossy(&out.stderr));
            let text = String::from_utf8(out.stdout).unwrap();
            let mut lines = text.lines();
            let address = lines.next().unwrap().trim().to_owned();
            let pid = lines.next().unwrap().trim().parse().unwrap();
            PrivateBus { address, pid }
        }

        fn connect(&self) -> Connection {
            zbus::blocking::connection::Builder::address(self.address.as_str()).unwrap().build().unwrap()
        }

        fn send(&self, path: &str, member: &str, args: &[&str]) {
            let status = Command::new("dbus-send")
                .args([&format!("--bus={}", self.address), "--type=signal", path, member])
                .args(args)
                .status()
                .unwrap();
            assert!(status.success(), "dbus-send {member}");
        }
    }

    impl Drop for PrivateBus {
        fn drop(&mut self) {
            let _ = Command::new("kill").arg(self.pid.to_string()).status();
        }
    }

    #[test]
    fn issue_12_the_screen_saver_starting_locks_the_vault() {
        let bus = PrivateBus::start();
        let root = scratch("screensaver");
        let state = std::sync::Arc::new(AppState::new(root.join("vault")));
        state.open(Session { vault: fast_vault(&root.join("vault")), demo_dir: None });
        let (fired, heard) = mpsc::channel();
        let locking = state.clone();
        watch_screen_saver(&bus.connect(), move |trigger| {
            locking.lock();
            let _ = fired.send(trigger);
        })
        .unwrap();

        // Deactivation, and the same member on another interface, must not lock.
        bus.send(
            "/org/freedesktop/ScreenSaver",
            "org.freedesktop.ScreenSaver.ActiveChanged",
            &["boolean:false"],
        );
        bus.send("/org/example/Other", "org.example.Other.ActiveChanged", &["boolean:true"]);
        assert!(heard.recv_timeout(Duration::from_millis(500)).is_err(), "only ActiveChanged(true) locks");
        assert!(state.session().is_some());

        bus.send("/org/gnome/ScreenSaver", "org.gnome.ScreenSaver.ActiveChanged", &["boolean:true"]);
        let trigger = heard.recv_timeout(Duration::from_secs(10)).expect("ActiveChanged(true) must lock");
        assert_eq!(trigger, Trigger::ScreenSaver);
        assert!(state.session().is_none(), "the vault must be locked once the screen saver starts");

        state.open(Session { vault: fast_vault(&root.join("vault2")), demo_dir: None });
        bus.send(
            "/org/freedesktop/ScreenSaver",
            "org.freedesktop.ScreenSaver.ActiveChanged",
            &["boolean:true"],
        );
        heard.recv_timeout(Duration::from_secs(10)).expect("the freedesktop interface locks too");
        assert!(state.session().is_none());
        std::fs::remove_dir_all(root).unwrap();
    }

    #[test]
    fn issue_12_sleep_and_session_lock_lock_the_vault_and_a_missing_logind_is_no_error() {
        // A private bus stands in for the system bus: no logind answers, so no inhibitor and no own session.
        let bus = PrivateBus::start();
        let (fired, heard) = mpsc::channel();
        watch_logind(&bus.connect(), move |trigger| {
            let _ = fired.send(trigger);
        })
        .expect("a bus without logind must not be an error");
        bus.send(LOGIND_PATH, "org.freedesktop.login1.Manager.PrepareForSleep", &["boolean:false"]);
        assert!(heard.recv_timeout(Duration::from_millis(500)).is_err(), "waking up does not lock");
        bus.send(LOGIND_PATH, "org.freedesktop.login1.Manager.PrepareForSleep", &["boolean:true"]);
        assert_eq!(heard.recv_timeout(Duration::from_secs(10)).unwrap(), Trigger::Sleep);
        bus.send("/org/freedesktop/login1/session/_32", "org.freedesktop.login1.Session.Lock", &[]);
        assert_eq!(heard.recv_timeout(Duration::from_secs(10)).unwrap(), Trigger::SessionLock);
    }
}
