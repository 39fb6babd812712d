//! The one error the window sees: `{code, reason, message, subject}`. `code` is what the UI branches on,
//! `reason` lets it translate an invalid input, `message` is the backend's English sentence as a fallback.
//! `Code` and `Reason` are the core's enums (ts-rs), so the UI's tables must cover every value.

use redress_core::{Code, Reason};
use serde::Serialize;

/// The most specific cause: the reason of an invalid input, otherwise the code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(untagged)]
#[ts(export)]
pub enum Cause {
    Reason(Reason),
    Code(Code),
}

impl Cause {
    pub fn as_str(self) -> &'static str {
        match self {
            Cause::Reason(r) => r.as_str(),
            Cause::Code(c) => c.as_str(),
        }
    }
}

impl PartialEq<&str> for Cause {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

#[derive(Debug, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct CommandError {
    pub code: Code,
    pub reason: Cause,
    pub message: String,
    pub subject: Option<String>,
}

impl CommandError {
    /// An error the shell itself reports, with no reason beyond its code.
    pub fn with_code(code: Code, message: impl Into<String>) -> Self {
        CommandError { code, reason: Cause::Code(code), message: message.into(), subject: None }
    }

    pub fn locked() -> Self {
        CommandError::with_code(Code::Locked, "the vault is locked")
    }
}

impl From<redress_core::Error> for CommandError {
    fn from(e: redress_core::Error) -> Self {
        let subject = match &e {
            redress_core::Error::Duplicate { name, .. } => Some(name.clone()),
            _ => None,
        };
        let code = e.error_code();
        let reason = e.invalid_reason().map_or(Cause::Code(code), Cause::Reason);
        CommandError { code, reason, message: e.to_string(), subject }
    }
}

pub type CmdResult<T> = Result<T, CommandError>;

#[cfg(test)]
mod tests {
    use super::CommandError;

    #[test]
    fn serializes_the_same_strings_as_before() {
        let locked = serde_json::to_value(CommandError::locked()).unwrap();
        assert_eq!(locked["code"], "locked", "the UI branches on this string");
        assert_eq!(locked["reason"], "locked");
        let e = redress_core::Error::NotFound { what: "deadline", id: 3 };
        let json = serde_json::to_value(CommandError::from(e)).unwrap();
        assert_eq!((json["code"].as_str(), json["reason"].as_str()), (Some("not_found"), Some("not_found")));
    }
}
