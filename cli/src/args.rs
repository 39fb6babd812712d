//! The command line as clap parses it: every command, flag and help text of `redress-cli`.
//! Scripts, the README and the tests depend on these names and texts: change one only on purpose. A command's
//! flags live in its own `…Args` struct so that each command group's function takes just what it needs; the
//! help a command shows comes from the doc comment on its `Command` variant, never from the struct.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

#[derive(Parser)]
#[command(name = "redress-cli", version, about = "Redress: the encrypted case journal, from a terminal")]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Args)]
pub struct Global {
    /// The vault directory (default: the user's data directory)
    #[arg(long, global = true, value_name = "DIR")]
    pub vault: Option<PathBuf>,
    /// Read the passphrase from this file instead of asking (first line; keep the file somewhere safe)
    #[arg(long, global = true, value_name = "FILE")]
    pub passphrase_file: Option<PathBuf>,
}

#[derive(Subcommand)]
#[allow(clippy::large_enum_variant, reason = "parsed once per run")]
pub enum Command {
    /// Create a new vault and print its recovery key once
    Init,
    /// Create a new vault holding the fictional demo case (every screen filled in)
    Demo,
    /// Import evidence files into the journal
    Import(ImportArgs),
    /// List evidence items
    List(ListArgs),
    /// Show one evidence item
    Show(ShowArgs),
    /// Edit an evidence item's metadata (the prior version is kept)
    Edit(EditArgs),
    /// Write an evidence item's original bytes to OUT, checking its SHA-256
    Export(ExportArgs),
    /// Search titles, descriptions, notes, chronology, contacts and the text recognised in scans
    Search(SearchArgs),
    /// Read a scanned page (a picture) with offline OCR, in the isolated worker, and keep its text in the journal
    /// as a new version (earlier runs are kept); progress lines on stderr
    Ocr(OcrArgs),
    /// The text recognised in an evidence item, page by page (the newest run, or --version N)
    Text(TextArgs),
    /// Translations linked to their originals: a bundle places each right after its original, and a CCF draft
    /// annexes it after the original it translates
    #[command(subcommand)]
    Translation(TranslationCmd),
    /// Recompute the audit chain and every stored file's hash
    Verify(JsonArgs),
    /// Write an encrypted backup of the vault to OUT
    Backup(BackupArgs),
    /// Restore a backup into a new vault directory given with --vault (with the passphrase, or the recovery key,
    /// that was valid when the backup was made)
    Restore(RestoreArgs),
    /// Change the passphrase only: the journal keeps its key, so earlier copies of the key slots (backups, disk
    /// images) still open it with the old passphrase. Use `rekey` when the passphrase may be known
    Passwd(PasswdArgs),
    /// Re-encrypt the journal under a new key with a new passphrase and a new recovery key: the old passphrase,
    /// the old recovery key and every earlier copy of the key slots stop opening it
    Rekey(RekeyArgs),
    /// Open the vault with the recovery key and set a new passphrase
    UnlockWithRecovery(UnlockWithRecoveryArgs),
    /// Move a record to the trash
    Trash(RecordArgs),
    /// Bring a record back from the trash
    Untrash(RecordArgs),
    /// Erase a trashed record for good from this journal (not from earlier backups or exports; the audit chain
    /// keeps its hashes)
    Purge(RecordArgs),
    /// Show a record's versions and actions
    History(RecordArgs),
    /// Chronology events
    #[command(subcommand)]
    Event(EventCmd),
    /// Contacts
    #[command(subcommand)]
    Contact(ContactCmd),
    /// Deadlines
    #[command(subcommand)]
    Deadline(DeadlineCmd),
    /// The case profile
    #[command(subcommand)]
    Profile(ProfileCmd),
    /// CCF review requests
    #[command(subcommand)]
    Request(RequestCmd),
    /// Write a CCF request as a PDF draft for counsel (--out), or print it as paste-ready text (--text)
    Draft(DraftArgs),
    /// The admissibility checklist of a CCF request
    Checklist(ShowArgs),
    /// All deadlines, with those computed from the CCF requests' dates and the rule each follows
    Deadlines(JsonArgs),
    /// Export evidence as one indexed, stamped, bookmarked PDF for counsel (recorded in the disclosure log)
    Bundle(BundleArgs),
    /// The disclosure log: every bundle exported, with whom and which items
    Disclosures(DisclosuresArgs),
    /// The deadline rules (reference §5): `rule list`, or `rule ID DATE` for the date a rule gives from an event
    /// on DATE (YYYY-MM-DD). Needs no vault
    #[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
    Rule(RuleArgs),
}

#[derive(Args)]
pub struct OcrArgs {
    pub id: i64,
    /// Languages joined by + (rus, eng, ukr, tur, ara, fra, spa); default: the item's language with English, or
    /// rus+eng
    #[arg(long, value_name = "LANGS")]
    pub lang: Option<String>,
    /// Also read the pages of a PDF that carry text of their own
    #[arg(long)]
    pub force: bool,
    #[arg(long)]
    pub json: bool,
}

#[derive(Args)]
pub struct TextArgs {
    pub id: i64,
    /// An earlier run (see `text ID --versions`)
    #[arg(long, value_name = "N")]
    pub version: Option<u32>,
    /// List the runs instead of the text
    #[arg(long)]
    pub versions: bool,
    #[arg(long)]
    pub json: bool,
}

#[derive(Subcommand)]
pub enum TranslationCmd {
    /// Mark evidence item TRANSLATION as the translation of item ORIGINAL (replaces an earlier link of it)
    Link {
        original: i64,
        translation: i64,
        /// The language of the translation, as a two-letter code (en, fr, es, ar, …)
        #[arg(long = "lang", value_name = "CODE")]
        language: String,
        #[arg(long, default_value = "")]
        translator: String,
        /// A certified (sworn) translation
        #[arg(long)]
        certified: bool,
        /// When it was translated (2024-05-02, 2024-05, 2024)
        #[arg(long, default_value = "")]
        date: String,
    },
    /// Remove item TRANSLATION's link to its original (the item stays)
    Unlink { translation: i64 },
    /// The translations and the originals they translate
    List(JsonArgs),
}

#[derive(Args)]
pub struct JsonArgs {
    #[arg(long)]
    pub json: bool,
}

#[derive(Args)]
pub struct ImportArgs {
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    #[arg(long)]
    pub title: Option<String>,
    #[arg(long = "tag")]
    pub tags: Vec<String>,
    /// Document date: YYYY, YYYY-MM, YYYY-MM-DD, optionally after "before", "after" or "about"
    #[arg(long)]
    pub date: Option<String>,
    #[arg(long)]
    pub description: Option<String>,
    #[arg(long)]
    pub source: Option<String>,
    #[arg(long)]
    pub language: Option<String>,
    /// Print "progress DONE TOTAL" lines on stderr
    #[arg(long)]
    pub progress: bool,
}

#[derive(Args)]
pub struct ListArgs {
    #[arg(long)]
    pub json: bool,
    /// Include items in the trash
    #[arg(long)]
    pub trash: bool,
}

// `show ID` and `checklist ID` (plain comments on these structs: a doc comment would become help text).
#[derive(Args)]
pub struct ShowArgs {
    pub id: i64,
    #[arg(long)]
    pub json: bool,
}

#[derive(Args)]
pub struct EditArgs {
    pub id: i64,
    #[arg(long)]
    pub title: Option<String>,
    #[arg(long)]
    pub date: Option<String>,
    #[arg(long)]
    pub description: Option<String>,
    #[arg(long)]
    pub source: Option<String>,
    #[arg(long)]
    pub language: Option<String>,
    #[arg(long = "tag")]
    pub tags: Option<Vec<String>>,
}

#[derive(Args)]
pub struct ExportArgs {
    pub id: i64,
    pub out: PathBuf,
    /// Replace OUT if it exists (the old file stays until the new one is complete)
    #[arg(long)]
    pub replace: bool,
}

#[derive(Args)]
pub struct SearchArgs {
    pub query: String,
    #[arg(long)]
    pub json: bool,
}

#[derive(Args)]
pub struct BackupArgs {
    pub out: PathBuf,
    /// Replace OUT if it exists (the old file stays until the new one is complete)
    #[arg(long)]
    pub replace: bool,
}

#[derive(Args)]
pub struct RestoreArgs {
    pub backup: PathBuf,
    /// Open the backup with its recovery key (read from this file) instead of its passphrase
    #[arg(long, value_name = "FILE")]
    pub recovery_key_file: Option<PathBuf>,
}

#[derive(Args)]
pub struct PasswdArgs {
    #[arg(long, value_name = "FILE")]
    pub new_passphrase_file: Option<PathBuf>,
}

#[derive(Args)]
pub struct RekeyArgs {
    #[arg(long, value_name = "FILE")]
    pub new_passphrase_file: Option<PathBuf>,
    /// Print "progress DONE TOTAL" lines on stderr
    #[arg(long)]
    pub progress: bool,
}

#[derive(Args)]
pub struct UnlockWithRecoveryArgs {
    #[arg(long, value_name = "FILE")]
    pub recovery_key_file: Option<PathBuf>,
    #[arg(long, value_name = "FILE")]
    pub new_passphrase_file: Option<PathBuf>,
}

// `trash`, `untrash`, `purge` and `history`: one record of any kind.
#[derive(Args)]
pub struct RecordArgs {
    pub id: i64,
    #[arg(long, default_value = "evidence")]
    pub kind: String,
}

#[derive(Args)]
pub struct DraftArgs {
    pub id: i64,
    #[arg(long, value_name = "FILE.pdf", required_unless_present = "text")]
    pub out: Option<PathBuf>,
    /// Language of the draft: en, fr or es (default: the request's)
    #[arg(long)]
    pub lang: Option<String>,
    /// Print the draft's sections as plain text, ready to paste into the CCF portal
    #[arg(long, conflicts_with = "out")]
    pub text: bool,
    /// Replace OUT if it exists (the old file stays until the new one is complete)
    #[arg(long)]
    pub replace: bool,
}

#[derive(Args)]
pub struct BundleArgs {
    /// The annexes of a saved CCF request, in order, for its representative, with its facts
    #[arg(long, conflicts_with_all = ["items", "all"])]
    pub request: Option<i64>,
    /// These evidence items, in this order (comma-separated ids)
    #[arg(long, value_delimiter = ',', conflicts_with = "all")]
    pub items: Vec<i64>,
    /// Every evidence item not in the trash, by document date
    #[arg(long)]
    pub all: bool,
    #[arg(long, value_name = "FILE.pdf")]
    pub out: PathBuf,
    /// Replace OUT if it exists (the old file stays until the new one is complete)
    #[arg(long)]
    pub replace: bool,
    /// The contact the bundle is prepared for
    #[arg(long = "for", value_name = "CONTACT-ID")]
    pub for_contact: Option<i64>,
    /// Include these chronology events (comma-separated ids; --request includes its facts)
    #[arg(long, value_delimiter = ',')]
    pub events: Vec<i64>,
    /// Encrypt the bundle (AES-256) with the passphrase in this file (first line)
    #[arg(long, value_name = "FILE")]
    pub password_file: Option<PathBuf>,
    /// Keep pictures' metadata (EXIF, GPS): the originals are attached beside their page
    #[arg(long)]
    pub keep_metadata: bool,
    /// Attach this evidence item's original file, unchanged with all its metadata (repeat for each item);
    /// never done for a file the reader crashed or timed out on
    #[arg(long = "attach-original", value_name = "ID")]
    pub attach_original: Vec<i64>,
    /// Language of the pages Redress writes: en, fr or es
    #[arg(long)]
    pub lang: Option<String>,
    /// Print the plan (exhibits, how each appears, metadata to be removed) as JSON and write nothing
    #[arg(long)]
    pub plan: bool,
    #[arg(long)]
    pub json: bool,
}

#[derive(Args)]
pub struct DisclosuresArgs {
    /// Only those prepared for this contact
    #[arg(long = "for", value_name = "CONTACT-ID")]
    pub for_contact: Option<i64>,
    #[arg(long)]
    pub json: bool,
}

#[derive(Args)]
pub struct RuleArgs {
    #[command(subcommand)]
    pub list: Option<RuleCmd>,
    /// The rule's id, e.g. uk-part2-appeal (see `rule list`)
    #[arg(required = true)]
    pub id: Option<String>,
    /// The date of the event the rule counts from, YYYY-MM-DD
    #[arg(required = true, allow_hyphen_values = true)]
    pub date: Option<String>,
    /// The requested state's or the US filing office's time zone, e.g. Europe/Berlin (ECE and US rules only)
    #[arg(long)]
    pub zone: Option<String>,
    #[arg(long)]
    pub json: bool,
}

#[derive(Subcommand)]
pub enum RuleCmd {
    /// Every rule: id, event, what it computes, citation with its status, clock
    List {
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
pub enum RequestCmd {
    List {
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
pub enum EventCmd {
    Add {
        #[arg(long)]
        date: String,
        #[arg(long)]
        title: String,
        #[arg(long, default_value = "")]
        place: String,
        #[arg(long, default_value = "")]
        description: String,
        #[arg(long = "evidence")]
        evidence: Vec<i64>,
    },
    List {
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
#[allow(clippy::large_enum_variant, reason = "parsed once per run")]
pub enum ContactCmd {
    Add {
        #[arg(long)]
        name: String,
        #[arg(long, default_value = "")]
        firm: String,
        #[arg(long, default_value = "other")]
        role: String,
        #[arg(long, default_value = "")]
        jurisdiction: String,
        #[arg(long = "language")]
        languages: Vec<String>,
        #[arg(long, default_value = "")]
        email: String,
        #[arg(long, default_value = "")]
        phone: String,
        #[arg(long, default_value = "")]
        messenger: String,
        #[arg(long, default_value = "")]
        notes: String,
        /// Date of the power of attorney, YYYY-MM-DD
        #[arg(long, default_value = "")]
        power_of_attorney: String,
    },
    List {
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
pub enum DeadlineCmd {
    Add {
        #[arg(long)]
        title: String,
        /// YYYY-MM-DD, or "YYYY-MM-DD HH:MM Zone/Name"
        #[arg(long)]
        due: String,
        #[arg(long, default_value = "other")]
        kind: String,
        #[arg(long)]
        contact: Option<i64>,
        #[arg(long)]
        event: Option<i64>,
        /// Reminder lead time in days (repeatable)
        #[arg(long = "remind")]
        reminders: Vec<u32>,
        #[arg(long, default_value = "")]
        notes: String,
    },
    List {
        #[arg(long)]
        json: bool,
    },
    Done {
        id: i64,
        /// The day it was done (default: today)
        #[arg(long)]
        on: Option<String>,
    },
    Extend {
        id: i64,
        #[arg(long)]
        to: String,
    },
    /// Add a deadline computed from a CCF request's dates (see `deadlines`) to your deadlines
    Adopt {
        #[arg(long)]
        request: i64,
        /// The computed deadline's rule id, e.g. ccf-access-decision
        #[arg(long)]
        key: String,
    },
}

#[derive(Subcommand)]
pub enum ProfileCmd {
    Show {
        #[arg(long)]
        json: bool,
    },
    Set {
        #[arg(long)]
        name_latin: String,
        #[arg(long, default_value = "")]
        name_native: String,
        #[arg(long, default_value = "")]
        date_of_birth: String,
        #[arg(long = "nationality")]
        nationalities: Vec<String>,
        #[arg(long, default_value = "")]
        current_country: String,
        #[arg(long, default_value = "")]
        issuing_country: String,
        #[arg(long, default_value = "unknown")]
        notice_type: String,
        #[arg(long = "reference")]
        references: Vec<String>,
    },
}
