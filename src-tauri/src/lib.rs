//! The desktop shell: builds the Tauri app around `redress-core`.
//! Only commands, state, the preview protocol and the window live here; every rule lives in the core crate.

// The hooks let a test "drop" any path and save anywhere without a dialog: they must never reach a release build.
#[cfg(all(feature = "e2e-hooks", not(debug_assertions)))]
compile_error!(
    "the `e2e-hooks` feature is for the end-to-end tests only; it must not be built into a release"
);

mod clipboard;
mod commands;
mod contract;
mod desktop;
mod error;
mod guard;
mod idle;
mod page;
mod preview;
mod recent;
mod state;

use std::path::PathBuf;
use std::time::Duration;

use tauri::{AppHandle, DragDropEvent, Emitter, Manager, WindowEvent};
use tauri_plugin_notification::NotificationExt;

pub use crate::guard::web_sandbox_available;
use crate::state::{AppState, LockReason};

/// The vault the app opens: `REDRESS_VAULT_DIR` if set (tests, a vault on removable media), else the user's
/// data directory — the same default as `redress-cli`.
fn vault_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("REDRESS_VAULT_DIR") {
        return PathBuf::from(dir);
    }
    redress_core::vault::default_dir().unwrap_or_else(|| PathBuf::from("redress-vault"))
}

/// While the app runs, tells the person once a day when a deadline has entered its reminder window. The text
/// names no deadline: notifications can show on a locked screen.
fn watch_deadlines(app: tauri::AppHandle) {
    std::thread::spawn(move || {
        let mut notified_on = None;
        loop {
            std::thread::sleep(Duration::from_secs(60));
            let today = chrono::Local::now().date_naive();
            if notified_on == Some(today) {
                continue;
            }
            let state = app.state::<AppState>();
            let due = state
                .with_vault(|vault| Ok(vault.journal().deadlines_needing_attention(today)?.len()))
                .unwrap_or(0);
            if due > 0 {
                notified_on = Some(today);
                let _ = app
                    .notification()
                    .builder()
                    .title("Redress")
                    .body("A deadline needs your attention. Open Redress to see it.")
                    .show();
            }
        }
    });
}

/// Told to the page when the vault locked; the payload says why (`LockReason`). The page clears itself at once
/// (it may have locked by itself already); then it is replaced (see `page`).
pub const LOCKED_EVENT: &str = "vault-locked";

/// Locks the vault for `reason`; if one was open, tells the page and then replaces it with a fresh one.
pub(crate) fn lock_and_forget_the_page(app: &AppHandle, reason: LockReason) {
    if app.state::<AppState>().lock_because(reason) {
        forget_the_page(app, reason);
    }
}

/// After a lock of an open vault: the page clears itself at once, then is replaced by a new one.
fn forget_the_page(app: &AppHandle, reason: LockReason) {
    let _ = app.emit(LOCKED_EVENT, reason);
    page::start_afresh(app);
}

/// Locks the vault when the idle timer says so, even if the webview is hung or gone: it checks every second.
/// The same tick takes a copied recovery key off the clipboard when its time is up.
fn watch_idle(app: AppHandle) {
    std::thread::spawn(move || loop {
        std::thread::sleep(Duration::from_secs(1));
        let state = app.state::<AppState>();
        state.expire_clipboard(idle::now());
        if state.lock_if_idle(idle::now()) {
            forget_the_page(&app, LockReason::Idle);
        }
    });
}

/// Locks on sleep, session lock and screen saver. Connecting runs off the start-up path; a missing bus is one
/// line on stderr.
fn watch_desktop(app: AppHandle) {
    std::thread::spawn(move || {
        let missing = desktop::watch(move |trigger| {
            let reason = match trigger {
                desktop::Trigger::Sleep => LockReason::Sleep,
                desktop::Trigger::SessionLock => LockReason::SessionLock,
                desktop::Trigger::ScreenSaver => LockReason::ScreenSaver,
            };
            lock_and_forget_the_page(&app, reason);
        });
        for bus in missing {
            eprintln!("redress: no automatic lock from the {bus}");
        }
    });
}

pub fn run() {
    let builder = tauri::Builder::default()
        .plugin(tauri_plugin_single_instance::init(|app, _argv, _cwd| {
            if let Some(window) = app.get_webview_window("main") {
                let _ = window.unminimize();
                let _ = window.set_focus();
            }
        }))
        .plugin(tauri_plugin_window_state::Builder::default().build())
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_notification::init())
        .plugin(guard::navigation_guard())
        .manage(AppState::new(vault_dir()))
        .register_asynchronous_uri_scheme_protocol("evidence", |ctx, request, responder| {
            let app = ctx.app_handle().clone();
            std::thread::spawn(move || responder.respond(preview::respond(&app, &request)));
        })
        .on_window_event(|window, event| match event {
            WindowEvent::DragDrop(DragDropEvent::Drop { paths, .. }) => {
                commands::files_dropped(window.app_handle(), paths.clone());
            }
            WindowEvent::Focused(true) => window.app_handle().state::<AppState>().input(idle::now()),
            WindowEvent::Destroyed => window.app_handle().state::<AppState>().lock(),
            _ => {}
        })
        .setup(|app| {
            // GTK is up (setup runs on its thread) and no dialog has opened yet.
            recent::keep_out_of_recent_files();
            // Single instance: any demo vault left in the temp directory is from a run that was killed.
            redress_core::demo::remove_stale_temporary();
            watch_deadlines(app.handle().clone());
            watch_idle(app.handle().clone());
            watch_desktop(app.handle().clone());
            Ok(())
        });
    let builder = register_commands(builder);
    match builder.build(tauri::generate_context!()) {
        Ok(app) => app.run(|app, event| {
            if let tauri::RunEvent::Exit = event {
                app.state::<AppState>().lock();
            }
        }),
        Err(error) => {
            eprintln!("redress: the window could not start: {error}");
            std::process::exit(1);
        }
    }
}

macro_rules! app_commands {
    ($($extra:path),*) => {
        tauri::generate_handler![
            commands::vault::app_status,
            commands::vault::create_vault,
            commands::vault::unlock,
            commands::vault::unlock_with_recovery,
            commands::vault::open_demo,
            commands::vault::lock,
            commands::vault::activity,
            commands::vault::set_auto_lock,
            commands::vault::copy_recovery_key,
            commands::vault::change_passphrase,
            commands::records::overview,
            commands::vault::verify,
            commands::evidence::list_evidence,
            commands::evidence::evidence_detail,
            commands::evidence::pick_and_import,
            commands::evidence::import_dropped,
            commands::progress::cancel_task,
            commands::vault::rekey,
            commands::evidence::edit_evidence,
            commands::evidence::link_translation,
            commands::evidence::unlink_translation,
            commands::evidence::export_evidence,
            commands::records::trash,
            commands::records::untrash,
            commands::records::purge,
            commands::records::search,
            commands::records::list_events,
            commands::records::add_event,
            commands::records::edit_event,
            commands::records::list_contacts,
            commands::records::add_contact,
            commands::records::edit_contact,
            commands::records::list_deadlines,
            commands::records::add_deadline,
            commands::records::edit_deadline,
            commands::records::mark_deadline_done,
            commands::records::extend_deadline,
            commands::records::reopen_deadline,
            commands::records::get_profile,
            commands::records::set_profile,
            commands::vault::backup_now,
            commands::vault::restore_backup,
            commands::ccf::list_requests,
            commands::ccf::add_request,
            commands::ccf::edit_request,
            commands::ccf::request_checklist,
            commands::ccf::draft_sections,
            commands::ccf::grounds_library,
            commands::ccf::ground_summaries,
            commands::records::places,
            commands::ccf::computed_deadlines,
            commands::ccf::export_draft,
            commands::ccf::adopt_computed_deadline,
            commands::ccf::rule_list,
            commands::ccf::rule_compute,
            commands::bundle::bundle_plan,
            commands::bundle::request_bundle_spec,
            commands::bundle::export_bundle,
            commands::bundle::disclosures,
            commands::security::worker_protections,
            commands::security::app_protections,
            commands::scan::ocr_languages,
            commands::scan::recognise_evidence,
            commands::scan::evidence_text
            $(, $extra)*
        ]
    };
}

/// Every command is work for the idle lock (see `idle`): it postpones the lock, up to the cap.
fn counting_work(
    handler: impl Fn(tauri::ipc::Invoke<tauri::Wry>) -> bool + Send + Sync + 'static,
) -> impl Fn(tauri::ipc::Invoke<tauri::Wry>) -> bool + Send + Sync + 'static {
    move |invoke| {
        invoke.message.webview_ref().state::<AppState>().work(idle::now());
        handler(invoke)
    }
}

#[cfg(not(feature = "e2e-hooks"))]
fn register_commands(builder: tauri::Builder<tauri::Wry>) -> tauri::Builder<tauri::Wry> {
    builder.invoke_handler(counting_work(app_commands!()))
}

#[cfg(feature = "e2e-hooks")]
fn register_commands(builder: tauri::Builder<tauri::Wry>) -> tauri::Builder<tauri::Wry> {
    builder.invoke_handler(counting_work(app_commands!(commands::e2e::e2e_drop, commands::e2e::e2e_save_as)))
}
