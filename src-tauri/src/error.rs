//! The one error the window sees: `{code, reason, message, subject}`. `code` is what the UI branches on,
//! `reason` lets it translate an invalid input, `message` is the backend's English sentence as a fallback.

use serde::Serialize;

#[derive(Debug, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct CommandError {
    pub code: String,
    pub reason: String,
    pub message: String,
    pub subject: Option<String>,
}

impl CommandError {
    pub fn new(code: &str, message: impl Into<String>) -> Self {
        CommandError { code: code.into(), reason: code.into(), message: message.into(), subject: None }
    }

    pub fn locked() -> Self {
        CommandError::new("locked", "the vault is locked")
    }
}

impl From<redress_core::Error> for CommandError {
    fn from(e: redress_core::Error) -> Self {
        let subject = match &e {
            redress_core::Error::Duplicate { name, .. } => Some(name.clone()),
            _ => None,
        };
        CommandError { code: e.code().into(), reason: e.reason().into(), message: e.to_string(), subject }
    }
}

pub type CmdResult<T> = Result<T, CommandError>;
