//! The one error type of the backend. Each message names the input and what was expected, and is fit to show a
//! user as one line; `code()` gives the few causes a caller (CLI exit path, the app's UI) branches on.

use std::path::PathBuf;

/// Every failure of a journal operation. An operation that returns an error has changed nothing.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("the passphrase is not correct for the vault in '{0}'")]
    WrongPassphrase(PathBuf),
    #[error("the recovery key is not correct for the vault in '{0}'")]
    WrongRecoveryKey(PathBuf),
    #[error("{0}")]
    VaultState(String),
    #[error("{what} {id} does not exist")]
    NotFound { what: &'static str, id: i64 },
    #[error("{field}: {message}")]
    Invalid { field: String, reason: &'static str, message: String },
    #[error("'{name}' has the same content as evidence item {existing_id} ('{existing_title}'); it was not imported again")]
    Duplicate { name: String, existing_id: i64, existing_title: String },
    #[error("{context}: {source}")]
    Io { context: String, source: std::io::Error },
    #[error("the journal database reported an error: {0}")]
    Database(#[from] rusqlite::Error),
    #[error("the journal holds a value of an unexpected type: {0}")]
    Stored(#[from] rusqlite::types::FromSqlError),
    #[error("integrity check failed: {0}")]
    Integrity(String),
    #[error("{0}")]
    Backup(String),
    #[error("cancelled; nothing was changed")]
    Cancelled,
    #[error("{0}")]
    Crypto(String),
}

impl Error {
    /// A stable identifier for the causes a caller acts on; everything else is `"error"`.
    pub fn code(&self) -> &'static str {
        match self {
            Error::WrongPassphrase(_) => "wrong_passphrase",
            Error::WrongRecoveryKey(_) => "wrong_recovery_key",
            Error::VaultState(_) => "vault",
            Error::NotFound { .. } => "not_found",
            Error::Invalid { .. } => "invalid_input",
            Error::Duplicate { .. } => "duplicate",
            Error::Integrity(_) => "integrity",
            Error::Cancelled => "cancelled",
            _ => "error",
        }
    }

    pub(crate) fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        Error::invalid_because("invalid", field, message)
    }

    /// An invalid input with a reason code a UI can translate (`empty_file`, `bad_date`, `too_long`, …).
    pub(crate) fn invalid_because(
        reason: &'static str,
        field: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Error::Invalid { field: field.into(), reason, message: message.into() }
    }

    /// The reason code of an invalid input, or the general code.
    pub fn reason(&self) -> &'static str {
        match self {
            Error::Invalid { reason, .. } => reason,
            other => other.code(),
        }
    }

    pub(crate) fn io(context: impl Into<String>, source: std::io::Error) -> Self {
        Error::Io { context: context.into(), source }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
