//! The recovery key on the clipboard: marked secret for clipboard managers (`x-kde-passwordManagerHint: secret`,
//! which Klipper and others honour by keeping it out of their history on disk), and taken off again after
//! [`KEEP`] and on lock, but only while the clipboard still holds it (something copied since is left alone).
//! One system clipboard handle lives as long as the app: on X11 its owner serves the text, and dropping the last
//! handle would hand the text to a clipboard manager.

use std::time::Duration;

use zeroize::Zeroizing;

use crate::idle::Moment;

/// How long the recovery key stays on the clipboard.
pub const KEEP: Duration = Duration::from_secs(30);

/// The clipboard, as this module uses it (the system's in the app, a plain string in tests).
pub trait Board {
    fn put_secret(&mut self, text: &str) -> Result<(), String>;
    /// Whether the clipboard's text is exactly `text` (false when it cannot be read).
    fn holds(&mut self, text: &str) -> bool;
    fn clear(&mut self);
}

/// What this app put on the clipboard, and when.
pub struct SecretClip<B> {
    board: Option<B>,
    copied: Option<(Zeroizing<String>, Moment)>,
}

impl<B: Board> SecretClip<B> {
    pub fn new() -> Self {
        SecretClip { board: None, copied: None }
    }

    /// Puts `text` on the clipboard; `open` makes the board the first time (it needs the display).
    pub fn copy(
        &mut self,
        open: impl FnOnce() -> Result<B, String>,
        text: Zeroizing<String>,
        now: Moment,
    ) -> Result<(), String> {
        let board = match self.board.as_mut() {
            Some(board) => board,
            None => self.board.insert(open()?),
        };
        board.put_secret(&text)?;
        self.copied = Some((text, now));
        Ok(())
    }

    /// Takes the text back once it has been there for [`KEEP`].
    pub fn expire(&mut self, now: Moment) {
        if self.copied.as_ref().is_some_and(|(_, at)| now.saturating_sub(*at) >= KEEP) {
            self.take_back();
        }
    }

    /// Clears the clipboard if it still holds what this app put there (on lock, on expiry).
    pub fn take_back(&mut self) {
        let Some((text, _)) = self.copied.take() else { return };
        if let Some(board) = self.board.as_mut() {
            if board.holds(&text) {
                board.clear();
            }
        }
    }
}

/// The system clipboard (arboard: X11, or XWayland on Wayland).
pub struct SystemBoard(arboard::Clipboard);

impl SystemBoard {
    pub fn open() -> Result<Self, String> {
        arboard::Clipboard::new().map(SystemBoard).map_err(|e| format!("the clipboard is not available: {e}"))
    }
}

impl Board for SystemBoard {
    fn put_secret(&mut self, text: &str) -> Result<(), String> {
        let set = self.0.set();
        #[cfg(all(unix, not(any(target_os = "macos", target_os = "android", target_os = "emscripten"))))]
        let set = arboard::SetExtLinux::exclude_from_history(set);
        set.text(text).map_err(|e| format!("copying did not work: {e}"))
    }

    fn holds(&mut self, text: &str) -> bool {
        self.0.get_text().map(Zeroizing::new).is_ok_and(|held| held.as_str() == text)
    }

    fn clear(&mut self) {
        let _ = self.0.clear();
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, reason = "a test that fails should fail loudly")]

    use std::cell::RefCell;
    use std::rc::Rc;

    use super::*;

    /// A clipboard that is a string, shared with the test so it can "copy something else" meanwhile.
    #[derive(Clone, Default)]
    struct Memory(Rc<RefCell<String>>);

    impl Board for Memory {
        fn put_secret(&mut self, text: &str) -> Result<(), String> {
            *self.0.borrow_mut() = text.to_owned();
            Ok(())
        }
        fn holds(&mut self, text: &str) -> bool {
            *self.0.borrow() == text
        }
        fn clear(&mut self) {
            self.0.borrow_mut().clear();
        }
    }

    const KEY: &str = "7K3M-Q2P9-ABCD-EFGH-JKMN-PQRS-TVWX-YZ01";

    fn secs(s: u64) -> Moment {
        Duration::from_secs(1_000 + s)
    }

    #[test]
    fn issue_12_the_recovery_key_leaves_the_clipboard_after_30_seconds() {
        let board = Memory::default();
        let mut clip = SecretClip::new();
        clip.copy(|| Ok(board.clone()), Zeroizing::new(KEY.into()), secs(0)).unwrap();
        assert_eq!(*board.0.borrow(), KEY);
        clip.expire(secs(29));
        assert_eq!(*board.0.borrow(), KEY, "the key stays for 30 s so it can be pasted");
        clip.expire(secs(30));
        assert_eq!(
            *board.0.borrow(),
            "",
            "30 s after Copy the clipboard must no longer hold the recovery key"
        );
    }

    #[test]
    fn issue_12_lock_takes_the_key_back_but_leaves_what_was_copied_since() {
        let board = Memory::default();
        let mut clip = SecretClip::new();
        clip.copy(|| Ok(board.clone()), Zeroizing::new(KEY.into()), secs(0)).unwrap();
        clip.take_back();
        assert_eq!(*board.0.borrow(), "", "locking must clear the recovery key from the clipboard");

        clip.copy(|| unreachable!("the board is opened once"), Zeroizing::new(KEY.into()), secs(40)).unwrap();
        *board.0.borrow_mut() = "the person's own text".into();
        clip.take_back();
        assert_eq!(*board.0.borrow(), "the person's own text", "something copied since must not be cleared");
        clip.expire(secs(100));
        assert_eq!(*board.0.borrow(), "the person's own text");
    }

    #[test]
    fn issue_12_a_second_copy_restarts_the_30_seconds() {
        let board = Memory::default();
        let mut clip = SecretClip::new();
        clip.copy(|| Ok(board.clone()), Zeroizing::new(KEY.into()), secs(0)).unwrap();
        clip.copy(|| unreachable!(), Zeroizing::new(KEY.into()), secs(20)).unwrap();
        clip.expire(secs(45));
        assert_eq!(*board.0.borrow(), KEY);
        clip.expire(secs(50));
        assert_eq!(*board.0.borrow(), "");
    }

    /// Issue 12 §5 on a real X server: the key is offered with the `x-kde-passwordManagerHint` target, whose
    /// value is `secret`, and taking it back leaves the clipboard without it. Run in a child process that has the
    /// test's own Xvfb as its display.
    #[cfg(target_os = "linux")]
    #[test]
    fn issue_12_on_x11_the_copy_is_marked_secret_and_taken_back() {
        use std::process::Command;

        const TEST: &str = "clipboard::tests::issue_12_on_x11_the_copy_is_marked_secret_and_taken_back";
        if let Some(display) = std::env::var_os("REDRESS_CLIPBOARD_CHILD") {
            return x11::child(&display.to_string_lossy());
        }
        let (mut xvfb, display) = crate::commands::testing::start_xvfb();
        let status = Command::new(std::env::current_exe().unwrap())
            .args(["--exact", TEST, "--nocapture", "--test-threads=1"])
            .env("REDRESS_CLIPBOARD_CHILD", &display)
            .env("DISPLAY", &display)
            .env_remove("WAYLAND_DISPLAY")
            .status()
            .unwrap();
        let _ = xvfb.kill();
        let _ = xvfb.wait();
        assert!(status.success(), "the X11 clipboard child failed (its output is above)");
    }

    #[cfg(target_os = "linux")]
    mod x11 {
        use x11rb::connection::Connection;
        use x11rb::protocol::xproto::{AtomEnum, ConnectionExt, CreateWindowAux, WindowClass};
        use x11rb::protocol::Event;

        use super::*;

        /// Asks the clipboard's owner for `target`, as another application (a clipboard manager) would.
        fn convert(display: &str, target: &str) -> Option<Vec<u8>> {
            let (conn, screen) = x11rb::connect(Some(display)).unwrap();
            let root = conn.setup().roots[screen].root;
            let win = conn.generate_id().unwrap();
            conn.create_window(
                0,
                win,
                root,
                0,
                0,
                1,
                1,
                0,
                WindowClass::INPUT_OUTPUT,
                0,
                &CreateWindowAux::new(),
            )
            .unwrap();
            let atom = |name: &str| conn.intern_atom(false, name.as_bytes()).unwrap().reply().unwrap().atom;
            let (clipboard, wanted, slot) = (atom("CLIPBOARD"), atom(target), atom("REDRESS_TEST"));
            conn.convert_selection(win, clipboard, wanted, slot, x11rb::CURRENT_TIME).unwrap();
            conn.flush().unwrap();
            loop {
                if let Event::SelectionNotify(e) = conn.wait_for_event().unwrap() {
                    if e.property == u32::from(AtomEnum::NONE) {
                        return None;
                    }
                    break;
                }
            }
            let reply =
                conn.get_property(true, win, slot, AtomEnum::ANY, 0, 1 << 16).unwrap().reply().unwrap();
            if target == "TARGETS" {
                let names = reply
                    .value32()
                    .expect("TARGETS is a list of atoms")
                    .map(|a| conn.get_atom_name(a).unwrap().reply().unwrap().name)
                    .collect::<Vec<_>>()
                    .join(&b'\n');
                return Some(names);
            }
            Some(reply.value)
        }

        pub fn child(display: &str) {
            let mut clip = SecretClip::new();
            clip.copy(SystemBoard::open, Zeroizing::new(KEY.into()), secs(0))
                .expect("copy on the test's Xvfb");
            let targets =
                String::from_utf8(convert(display, "TARGETS").expect("the key is on the clipboard")).unwrap();
            assert!(
                targets.lines().any(|t| t == "x-kde-passwordManagerHint"),
                "clipboard managers must be told the copy is secret; targets offered: {targets:?}"
            );
            assert_eq!(convert(display, "x-kde-passwordManagerHint").as_deref(), Some(&b"secret"[..]));
            assert_eq!(convert(display, "UTF8_STRING").as_deref(), Some(KEY.as_bytes()), "the key itself");

            clip.take_back();
            let left = convert(display, "UTF8_STRING").unwrap_or_default();
            assert_ne!(
                left,
                KEY.as_bytes(),
                "after the lock the clipboard must no longer hold the recovery key"
            );
            println!("after take_back the clipboard holds {} bytes", left.len());
        }
    }
}
