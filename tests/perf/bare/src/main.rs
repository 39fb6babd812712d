//! A bare Tauri window: the baseline `make bench` measures the Redress app against.

fn main() {
    if let Err(error) = tauri::Builder::default().run(tauri::generate_context!()) {
        eprintln!("bare-window: {error}");
        std::process::exit(1);
    }
}
