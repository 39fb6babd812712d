//! The one error type of the backend. Each message names the input and what was expected, and is fit to show a
//! user as one line; `code()` gives the few causes a caller (CLI exit path, the app's UI) branches on, and an
//! invalid input carries a `Reason` a UI translates. `Code` and `Reason` are exported to TypeScript (ts-rs), so the
//! UI's message tables must name every one of them: they are an API, and their strings never change.

use std::path::PathBuf;

use serde::Serialize;

/// The causes a caller branches on; serialized (and printed by the CLI) as `as_str()`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
#[serde(rename_all = "snake_case")]
pub enum Code {
    WrongPassphrase,
    WrongRecoveryKey,
    /// No vault is open. The app's shell reports it; the core never does (it has no locked journal to call).
    Locked,
    NotFound,
    InvalidInput,
    Duplicate,
    Cancelled,
    Integrity,
    Vault,
    /// Everything a caller does not act on.
    Error,
}

impl Code {
    pub const ALL: [Code; 10] = [
        Code::WrongPassphrase,
        Code::WrongRecoveryKey,
        Code::Locked,
        Code::NotFound,
        Code::InvalidInput,
        Code::Duplicate,
        Code::Cancelled,
        Code::Integrity,
        Code::Vault,
        Code::Error,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Code::WrongPassphrase => "wrong_passphrase",
            Code::WrongRecoveryKey => "wrong_recovery_key",
            Code::Locked => "locked",
            Code::NotFound => "not_found",
            Code::InvalidInput => "invalid_input",
            Code::Duplicate => "duplicate",
            Code::Cancelled => "cancelled",
            Code::Integrity => "integrity",
            Code::Vault => "vault",
            Code::Error => "error",
        }
    }

    /// The code written as `as_str()` gives it, or `None`.
    pub fn parse(s: &str) -> Option<Code> {
        Code::ALL.into_iter().find(|c| c.as_str() == s)
    }
}

/// A code equals its text (`Code::NotFound == "not_found"`), so tests read as the UI sees them.
impl PartialEq<&str> for Code {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

/// Why an input was refused (`Error::Invalid`): each has a sentence in every language of the UI.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    /// Not one of the others: the message says what was wrong.
    Invalid,
    /// A required text is empty.
    Empty,
    TooLong,
    /// A control or text-direction character in a text.
    ForbiddenChar,
    BadDate,
    EmptyFile,
    IsFolder,
    MissingFile,
    Unreadable,
    /// Neither a file nor a folder (a device, a pipe).
    NotRegular,
    NoSpace,
    PassphraseShort,
    /// A file to write is a symbolic link.
    TargetIsLink,
    /// A file to write is a folder.
    TargetIsFolder,
    /// A file to write is inside the vault's folder.
    TargetInVault,
    NotWorkingLanguage,
    TrashedAnnex,
    DatesOutOfOrder,
    /// A CCF request without a type cannot be drafted.
    NoType,
    EmptyBundle,
    WeakPassword,
    /// OCR was asked of an item that is not a picture or scanned PDF.
    NotScan,
    /// Tesseract or one of the asked languages is not installed.
    OcrUnavailable,
    /// An OCR language list is not `rus+eng`-like.
    BadLanguages,
    /// OCR read no page of an item (each failed, or the PDF could not be opened); nothing was stored.
    OcrFailed,
    /// A translation link that cannot be made (an item linked to itself, to a translation, to a trashed item).
    TranslationLink,
}

impl Reason {
    pub const ALL: [Reason; 26] = [
        Reason::Invalid,
        Reason::Empty,
        Reason::TooLong,
        Reason::ForbiddenChar,
        Reason::BadDate,
        Reason::EmptyFile,
        Reason::IsFolder,
        Reason::MissingFile,
        Reason::Unreadable,
        Reason::NotRegular,
        Reason::NoSpace,
        Reason::PassphraseShort,
        Reason::TargetIsLink,
        Reason::TargetIsFolder,
        Reason::TargetInVault,
        Reason::NotWorkingLanguage,
        Reason::TrashedAnnex,
        Reason::DatesOutOfOrder,
        Reason::NoType,
        Reason::EmptyBundle,
        Reason::WeakPassword,
        Reason::NotScan,
        Reason::OcrUnavailable,
        Reason::BadLanguages,
        Reason::OcrFailed,
        Reason::TranslationLink,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Reason::Invalid => "invalid",
            Reason::Empty => "empty",
            Reason::TooLong => "too_long",
            Reason::ForbiddenChar => "forbidden_char",
            Reason::BadDate => "bad_date",
            Reason::EmptyFile => "empty_file",
            Reason::IsFolder => "is_folder",
            Reason::MissingFile => "missing_file",
            Reason::Unreadable => "unreadable",
            Reason::NotRegular => "not_regular",
            Reason::NoSpace => "no_space",
            Reason::PassphraseShort => "passphrase_short",
            Reason::TargetIsLink => "target_is_link",
            Reason::TargetIsFolder => "target_is_folder",
            Reason::TargetInVault => "target_in_vault",
            Reason::NotWorkingLanguage => "not_working_language",
            Reason::TrashedAnnex => "trashed_annex",
            Reason::DatesOutOfOrder => "dates_out_of_order",
            Reason::NoType => "no_type",
            Reason::EmptyBundle => "empty_bundle",
            Reason::WeakPassword => "weak_password",
            Reason::NotScan => "not_scan",
            Reason::OcrUnavailable => "ocr_unavailable",
            Reason::BadLanguages => "bad_languages",
            Reason::OcrFailed => "ocr_failed",
            Reason::TranslationLink => "translation_link",
        }
    }

    /// The reason written as `as_str()` gives it, or `None`.
    pub fn parse(s: &str) -> Option<Reason> {
        Reason::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

impl PartialEq<&str> for Reason {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

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
    Invalid { field: String, reason: Reason, message: String },
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
    /// The cause a caller acts on; everything else is `Code::Error`.
    pub fn error_code(&self) -> Code {
        match self {
            Error::WrongPassphrase(_) => Code::WrongPassphrase,
            Error::WrongRecoveryKey(_) => Code::WrongRecoveryKey,
            Error::VaultState(_) => Code::Vault,
            Error::NotFound { .. } => Code::NotFound,
            Error::Invalid { .. } => Code::InvalidInput,
            Error::Duplicate { .. } => Code::Duplicate,
            Error::Integrity(_) => Code::Integrity,
            Error::Cancelled => Code::Cancelled,
            _ => Code::Error,
        }
    }

    /// `error_code()` as text (`"not_found"`), as the CLI prints it.
    pub fn code(&self) -> &'static str {
        self.error_code().as_str()
    }

    /// Why an invalid input was refused; `None` for any other error.
    pub fn invalid_reason(&self) -> Option<Reason> {
        match self {
            Error::Invalid { reason, .. } => Some(*reason),
            _ => None,
        }
    }

    pub(crate) fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        Error::invalid_because(Reason::Invalid, field, message)
    }

    /// An invalid input with a reason a UI can translate (`Reason::EmptyFile`, `Reason::BadDate`, …).
    pub(crate) fn invalid_because(
        reason: Reason,
        field: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Error::Invalid { field: field.into(), reason, message: message.into() }
    }

    /// The reason of an invalid input as text, or the general code (`"too_long"`, `"not_found"`).
    pub fn reason(&self) -> &'static str {
        match self.invalid_reason() {
            Some(reason) => reason.as_str(),
            None => self.code(),
        }
    }

    pub(crate) fn io(context: impl Into<String>, source: std::io::Error) -> Self {
        Error::Io { context: context.into(), source }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::{Code, Reason};

    #[test]
    fn as_str_is_the_serialized_name() {
        for c in Code::ALL {
            let json = serde_json::to_string(&c).unwrap();
            assert_eq!(json, format!("\"{}\"", c.as_str()), "the CLI and the UI must read the same code");
            assert_eq!(Code::parse(c.as_str()), Some(c));
        }
        for r in Reason::ALL {
            let json = serde_json::to_string(&r).unwrap();
            assert_eq!(json, format!("\"{}\"", r.as_str()), "the CLI and the UI must read the same reason");
            assert_eq!(Reason::parse(r.as_str()), Some(r));
        }
    }
}
