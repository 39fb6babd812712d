//! The desktop shell: builds the Tauri app around `redress-core`.
//! Only commands, state and the window live here; every rule lives in the core crate.

pub fn run() {
    let result = tauri::Builder::default().run(tauri::generate_context!());
    if let Err(error) = result {
        eprintln!("redress: the window could not start: {error}");
        std::process::exit(1);
    }
}
