//! What the end-to-end tests share: the WebDriver client, the harness that runs the app, the leak scanner.
#![allow(dead_code, reason = "not every test uses every helper")]

pub mod harness;
pub mod leaks;
pub mod webdriver;
