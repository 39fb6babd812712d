//! `redress-cli`: the journal's operations from a terminal, for scripts, benchmarks and counsel.
//! The passphrase comes from the terminal (never echoed) or from `--passphrase-file`; errors are one line on
//! stderr and a non-zero exit code. Nothing here logs content: output is what the command was asked to show.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use redress_core::bundle::{BundleProgress, BundleSpec};
use redress_core::chronology::EventInput;
use redress_core::contacts::{ContactInput, ContactRole};
use redress_core::deadlines::{DeadlineInput, DeadlineKind};
use redress_core::evidence::{check_source, EvidenceMeta, Progress};
use redress_core::pdf::isolate::Worker;
use redress_core::profile::{NoticeType, ProfileInput};
use redress_core::secret::RecoveryKey;
use redress_core::vault::Unlock;
use redress_core::{backup, Error, Kind, SystemClock, Vault};
use secrecy::{ExposeSecret, SecretString};
use zeroize::Zeroizing;

#[derive(Parser)]
#[command(name = "redress-cli", version, about = "Redress: the encrypted case journal, from a terminal")]
struct Cli {
    #[command(flatten)]
    global: Global,
    #[command(subcommand)]
    command: Command,
}

#[derive(Args)]
struct Global {
    /// The vault directory (default: the user's data directory)
    #[arg(long, global = true, value_name = "DIR")]
    vault: Option<PathBuf>,
    /// Read the passphrase from this file instead of asking (first line; keep the file somewhere safe)
    #[arg(long, global = true, value_name = "FILE")]
    passphrase_file: Option<PathBuf>,
}

#[derive(Subcommand)]
#[allow(clippy::large_enum_variant, reason = "parsed once per run")]
enum Command {
    /// Create a new vault and print its recovery key once
    Init,
    /// Create a new vault holding the fictional demo case (every screen filled in)
    Demo,
    /// Import evidence files into the journal
    Import {
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
        #[arg(long)]
        title: Option<String>,
        #[arg(long = "tag")]
        tags: Vec<String>,
        /// Document date: YYYY, YYYY-MM, YYYY-MM-DD, optionally after "before", "after" or "about"
        #[arg(long)]
        date: Option<String>,
        #[arg(long)]
        description: Option<String>,
        #[arg(long)]
        source: Option<String>,
        #[arg(long)]
        language: Option<String>,
        /// Print "progress DONE TOTAL" lines on stderr
        #[arg(long)]
        progress: bool,
    },
    /// List evidence items
    List {
        #[arg(long)]
        json: bool,
        /// Include items in the trash
        #[arg(long)]
        trash: bool,
    },
    /// Show one evidence item
    Show {
        id: i64,
        #[arg(long)]
        json: bool,
    },
    /// Edit an evidence item's metadata (the prior version is kept)
    Edit {
        id: i64,
        #[arg(long)]
        title: Option<String>,
        #[arg(long)]
        date: Option<String>,
        #[arg(long)]
        description: Option<String>,
        #[arg(long)]
        source: Option<String>,
        #[arg(long)]
        language: Option<String>,
        #[arg(long = "tag")]
        tags: Option<Vec<String>>,
    },
    /// Write an evidence item's original bytes to OUT, checking its SHA-256
    Export {
        id: i64,
        out: PathBuf,
        /// Replace OUT if it exists (the old file stays until the new one is complete)
        #[arg(long)]
        replace: bool,
    },
    /// Search titles, descriptions, notes, chronology and contacts
    Search {
        query: String,
        #[arg(long)]
        json: bool,
    },
    /// Recompute the audit chain and every stored file's hash
    Verify {
        #[arg(long)]
        json: bool,
    },
    /// Write an encrypted backup of the vault to OUT
    Backup {
        out: PathBuf,
        /// Replace OUT if it exists (the old file stays until the new one is complete)
        #[arg(long)]
        replace: bool,
    },
    /// Restore a backup into a new vault directory given with --vault (with the passphrase, or the recovery key,
    /// that was valid when the backup was made)
    Restore {
        backup: PathBuf,
        /// Open the backup with its recovery key (read from this file) instead of its passphrase
        #[arg(long, value_name = "FILE")]
        recovery_key_file: Option<PathBuf>,
    },
    /// Change the passphrase only: the journal keeps its key, so earlier copies of the key slots (backups, disk
    /// images) still open it with the old passphrase. Use `rekey` when the passphrase may be known
    Passwd {
        #[arg(long, value_name = "FILE")]
        new_passphrase_file: Option<PathBuf>,
    },
    /// Re-encrypt the journal under a new key with a new passphrase and a new recovery key: the old passphrase,
    /// the old recovery key and every earlier copy of the key slots stop opening it
    Rekey {
        #[arg(long, value_name = "FILE")]
        new_passphrase_file: Option<PathBuf>,
        /// Print "progress DONE TOTAL" lines on stderr
        #[arg(long)]
        progress: bool,
    },
    /// Open the vault with the recovery key and set a new passphrase
    UnlockWithRecovery {
        #[arg(long, value_name = "FILE")]
        recovery_key_file: Option<PathBuf>,
        #[arg(long, value_name = "FILE")]
        new_passphrase_file: Option<PathBuf>,
    },
    /// Move a record to the trash
    Trash {
        id: i64,
        #[arg(long, default_value = "evidence")]
        kind: String,
    },
    /// Bring a record back from the trash
    Untrash {
        id: i64,
        #[arg(long, default_value = "evidence")]
        kind: String,
    },
    /// Erase a trashed record for good from this journal (not from earlier backups or exports; the audit chain
    /// keeps its hashes)
    Purge {
        id: i64,
        #[arg(long, default_value = "evidence")]
        kind: String,
    },
    /// Show a record's versions and actions
    History {
        id: i64,
        #[arg(long, default_value = "evidence")]
        kind: String,
    },
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
    Draft {
        id: i64,
        #[arg(long, value_name = "FILE.pdf", required_unless_present = "text")]
        out: Option<PathBuf>,
        /// Language of the draft: en, fr or es (default: the request's)
        #[arg(long)]
        lang: Option<String>,
        /// Print the draft's sections as plain text, ready to paste into the CCF portal
        #[arg(long, conflicts_with = "out")]
        text: bool,
        /// Replace OUT if it exists (the old file stays until the new one is complete)
        #[arg(long)]
        replace: bool,
    },
    /// The admissibility checklist of a CCF request
    Checklist {
        id: i64,
        #[arg(long)]
        json: bool,
    },
    /// All deadlines, with those computed from the CCF requests' dates and the rule each follows
    Deadlines {
        #[arg(long)]
        json: bool,
    },
    /// Export evidence as one indexed, stamped, bookmarked PDF for counsel (recorded in the disclosure log)
    Bundle {
        /// The annexes of a saved CCF request, in order, for its representative, with its facts
        #[arg(long, conflicts_with_all = ["items", "all"])]
        request: Option<i64>,
        /// These evidence items, in this order (comma-separated ids)
        #[arg(long, value_delimiter = ',', conflicts_with = "all")]
        items: Vec<i64>,
        /// Every evidence item not in the trash, by document date
        #[arg(long)]
        all: bool,
        #[arg(long, value_name = "FILE.pdf")]
        out: PathBuf,
        /// Replace OUT if it exists (the old file stays until the new one is complete)
        #[arg(long)]
        replace: bool,
        /// The contact the bundle is prepared for
        #[arg(long = "for", value_name = "CONTACT-ID")]
        for_contact: Option<i64>,
        /// Include these chronology events (comma-separated ids; --request includes its facts)
        #[arg(long, value_delimiter = ',')]
        events: Vec<i64>,
        /// Encrypt the bundle (AES-256) with the passphrase in this file (first line)
        #[arg(long, value_name = "FILE")]
        password_file: Option<PathBuf>,
        /// Keep pictures' metadata (EXIF, GPS): the originals are attached beside their page
        #[arg(long)]
        keep_metadata: bool,
        /// Attach this evidence item's original file, unchanged with all its metadata (repeat for each item);
        /// never done for a file the reader crashed or timed out on
        #[arg(long = "attach-original", value_name = "ID")]
        attach_original: Vec<i64>,
        /// Language of the pages Redress writes: en, fr or es
        #[arg(long)]
        lang: Option<String>,
        /// Print the plan (exhibits, how each appears, metadata to be removed) as JSON and write nothing
        #[arg(long)]
        plan: bool,
        #[arg(long)]
        json: bool,
    },
    /// The disclosure log: every bundle exported, with whom and which items
    Disclosures {
        /// Only those prepared for this contact
        #[arg(long = "for", value_name = "CONTACT-ID")]
        for_contact: Option<i64>,
        #[arg(long)]
        json: bool,
    },
    /// The deadline rules (reference §5): `rule list`, or `rule ID DATE` for the date a rule gives from an event
    /// on DATE (YYYY-MM-DD). Needs no vault
    #[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
    Rule(RuleArgs),
}

#[derive(Args)]
struct RuleArgs {
    #[command(subcommand)]
    list: Option<RuleCmd>,
    /// The rule's id, e.g. uk-part2-appeal (see `rule list`)
    #[arg(required = true)]
    id: Option<String>,
    /// The date of the event the rule counts from, YYYY-MM-DD
    #[arg(required = true, allow_hyphen_values = true)]
    date: Option<String>,
    /// The requested state's or the US filing office's time zone, e.g. Europe/Berlin (ECE and US rules only)
    #[arg(long)]
    zone: Option<String>,
    #[arg(long)]
    json: bool,
}

#[derive(Subcommand)]
enum RuleCmd {
    /// Every rule: id, event, what it computes, citation with its status, clock
    List {
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
enum RequestCmd {
    List {
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
enum EventCmd {
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
enum ContactCmd {
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
enum DeadlineCmd {
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
enum ProfileCmd {
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

type CliResult<T = ()> = Result<T, String>;

fn main() -> ExitCode {
    // Started as the isolated reader of an untrusted file? Then that is all this process does.
    redress_core::pdf::isolate::serve_if_requested();
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("redress-cli: error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn err(e: Error) -> String {
    e.to_string()
}

fn vault_dir(global: &Global) -> CliResult<PathBuf> {
    if let Some(dir) = &global.vault {
        return Ok(dir.clone());
    }
    directories::ProjectDirs::from("org", "Redress", "Redress")
        .map(|d| d.data_dir().join("vault"))
        .ok_or_else(|| "no home directory to keep the vault in; give --vault DIR".to_owned())
}

/// Refuses an output file in the vault folder or through a symlink, and an existing one unless `--replace`
/// was given (the writers then replace it only once the new file is complete).
fn output_target(global: &Global, out: &Path, replace: bool) -> CliResult {
    redress_core::files::check_target(out, Some(&vault_dir(global)?)).map_err(err)?;
    if !replace && out.exists() {
        return Err(format!(
            "'{}' already exists; choose a new file name, or give --replace to replace it",
            out.display()
        ));
    }
    Ok(())
}

fn read_secret_file(path: &Path, what: &str) -> CliResult<SecretString> {
    let bytes = Zeroizing::new(
        std::fs::read(path).map_err(|e| format!("cannot read the {what} file '{}': {e}", path.display()))?,
    );
    let text = std::str::from_utf8(&bytes)
        .map_err(|_| format!("the {what} file '{}' is not UTF-8 text", path.display()))?;
    let line = text.strip_suffix('\n').unwrap_or(text);
    let line = line.strip_suffix('\r').unwrap_or(line);
    Ok(SecretString::from(line.to_owned()))
}

fn prompt(text: &str) -> CliResult<SecretString> {
    if !std::io::stdin().is_terminal() && !Path::new("/dev/tty").exists() {
        return Err("no terminal to ask on; give --passphrase-file FILE".into());
    }
    rpassword::prompt_password(text)
        .map(SecretString::from)
        .map_err(|e| format!("cannot ask for the passphrase ({e}); give --passphrase-file FILE"))
}

fn passphrase(global: &Global) -> CliResult<SecretString> {
    match &global.passphrase_file {
        Some(p) => read_secret_file(p, "passphrase"),
        None => prompt("Passphrase: "),
    }
}

fn new_passphrase(file: Option<&Path>) -> CliResult<SecretString> {
    if let Some(p) = file {
        return read_secret_file(p, "new passphrase");
    }
    let first = prompt("New passphrase: ")?;
    let second = prompt("Repeat the new passphrase: ")?;
    if first.expose_secret() != second.expose_secret() {
        return Err("the two passphrases differ; nothing was changed".into());
    }
    Ok(first)
}

fn open(global: &Global) -> CliResult<Vault> {
    let dir = vault_dir(global)?;
    let pass = passphrase(global)?;
    Vault::open(&dir, &pass, Box::new(SystemClock)).map_err(err)
}

fn kind(name: &str) -> CliResult<Kind> {
    match name {
        "evidence" => Ok(Kind::Evidence),
        "event" => Ok(Kind::Event),
        "contact" => Ok(Kind::Contact),
        "deadline" => Ok(Kind::Deadline),
        other => Err(format!("--kind '{other}' is not one of evidence, event, contact, deadline")),
    }
}

fn json<T: serde::Serialize>(value: &T) -> CliResult {
    let text = serde_json::to_string_pretty(value).map_err(|e| format!("cannot encode JSON: {e}"))?;
    println!("{text}");
    Ok(())
}

fn progress_printer(enabled: bool) -> impl FnMut(Progress) -> bool {
    let tty = std::io::stderr().is_terminal();
    let mut last_percent = u64::MAX;
    move |p: Progress| {
        if enabled {
            eprintln!("progress {} {}", p.done, p.total);
        } else if tty && p.total > 16 * 1024 * 1024 {
            let percent = p.done * 100 / p.total.max(1);
            if percent != last_percent {
                last_percent = percent;
                eprint!("\r{percent:3}%");
                if p.done >= p.total {
                    eprint!("\r    \r");
                }
            }
        }
        true
    }
}

fn run(cli: Cli) -> CliResult {
    let g = &cli.global;
    match cli.command {
        Command::Init => {
            let dir = vault_dir(g)?;
            let pass = new_passphrase(g.passphrase_file.as_deref())?;
            let (vault, recovery) =
                Vault::create(&dir, &pass, Default::default(), Box::new(SystemClock)).map_err(err)?;
            println!("Created an encrypted vault in {}", dir.display());
            println!();
            println!("Recovery key (write it down now; it is shown only this once):");
            println!();
            println!("    {}", recovery.display().as_str());
            println!();
            println!("Without the passphrase or this key, nobody can open the vault, not even you.");
            vault.lock();
        }
        Command::Demo => {
            let dir = vault_dir(g)?;
            let pass = new_passphrase(g.passphrase_file.as_deref())?;
            let vault =
                redress_core::demo::create(&dir, &pass, chrono::Local::now().date_naive()).map_err(err)?;
            let items = vault.journal().list_evidence(false).map_err(err)?.len();
            println!("Created the fictional demo case in {} ({items} evidence items)", dir.display());
            vault.lock();
        }
        Command::Import { files, title, tags, date, description, source, language, progress } => {
            // Check every file before importing any: bad input changes nothing.
            let sources =
                files.iter().map(|f| check_source(f)).collect::<Result<Vec<_>, _>>().map_err(err)?;
            let mut vault = open(g)?;
            let meta = EvidenceMeta {
                title,
                doc_date: date.unwrap_or_default(),
                source: source.unwrap_or_default(),
                language: language.unwrap_or_default(),
                description: description.unwrap_or_default(),
                tags,
            };
            let mut imported = 0;
            for s in &sources {
                let mut report = progress_printer(progress);
                match vault.journal_mut().import(s, &meta, &mut report) {
                    Ok(item) => {
                        imported += 1;
                        println!("imported {} {} {} {}", item.id, item.sha256, item.size, item.mime);
                    }
                    Err(e @ Error::Duplicate { .. }) => println!("skipped: {e}"),
                    Err(e) => return Err(err(e)),
                }
            }
            if imported == 0 && sources.len() > 1 {
                println!("nothing new to import");
            }
        }
        Command::List { json: as_json, trash } => {
            let vault = open(g)?;
            let items = vault.journal().list_evidence(trash).map_err(err)?;
            if as_json {
                let rows: Vec<_> = items
                    .iter()
                    .map(|i| {
                        serde_json::json!({
                            "id": i.id, "title": i.state.title, "sha256": i.state.sha256,
                            "size": i.state.size, "type": i.state.mime, "trashed": i.trashed,
                        })
                    })
                    .collect();
                json(&rows)?;
            } else {
                for i in items {
                    println!(
                        "{:>4}  {:<24} {:>12}  {}  {}{}",
                        i.id,
                        i.state.mime,
                        i.state.size,
                        &i.state.sha256[..16],
                        i.state.title,
                        if i.trashed { "  (in trash)" } else { "" }
                    );
                }
            }
        }
        Command::Show { id, json: as_json } => {
            let vault = open(g)?;
            let item = vault.journal().evidence(id).map_err(err)?;
            let events = vault.journal().events_for_evidence(id).map_err(err)?;
            if as_json {
                json(
                    &serde_json::json!({ "item": item, "events": events.iter().map(|e| e.id).collect::<Vec<_>>() }),
                )?;
            } else {
                let s = &item.state;
                println!("id:            {}", item.id);
                println!("title:         {}", s.title);
                println!("file name:     {}", s.original_name);
                println!("type:          {}", s.mime);
                println!("size:          {} bytes", s.size);
                println!("sha256:        {}", s.sha256);
                println!("document date: {}", s.doc_date.map(|d| d.to_string()).unwrap_or_default());
                println!("source:        {}", s.source);
                println!("language:      {}", s.language);
                println!("tags:          {}", s.tags.join(", "));
                println!("in trash:      {}", if item.trashed { "yes" } else { "no" });
                println!(
                    "events:        {}",
                    events.iter().map(|e| e.id.to_string()).collect::<Vec<_>>().join(", ")
                );
                if !s.description.is_empty() {
                    println!("description:\n{}", s.description);
                }
            }
        }
        Command::Edit { id, title, date, description, source, language, tags } => {
            let mut vault = open(g)?;
            let current = vault.journal().evidence(id).map_err(err)?.state;
            let meta = EvidenceMeta {
                title: Some(title.unwrap_or(current.title)),
                doc_date: date.unwrap_or_else(|| current.doc_date.map(|d| d.to_string()).unwrap_or_default()),
                source: source.unwrap_or(current.source),
                language: language.unwrap_or(current.language),
                description: description.unwrap_or(current.description),
                tags: tags.unwrap_or(current.tags),
            };
            vault.journal_mut().edit_evidence(id, &meta).map_err(err)?;
            println!("edited evidence item {id}");
        }
        Command::Export { id, out, replace } => {
            output_target(g, &out, replace)?;
            let mut vault = open(g)?;
            let mut report = progress_printer(false);
            let sha = vault.journal_mut().export_evidence(id, &out, &mut report).map_err(err)?;
            println!("exported {id} to {} (sha256 {sha}, verified)", out.display());
        }
        Command::Search { query, json: as_json } => {
            let vault = open(g)?;
            let hits = vault.journal().search(&query, 50).map_err(err)?;
            if as_json {
                json(&hits)?;
            } else {
                for h in hits {
                    println!(
                        "{:<9} {:>4}  {}  — {}",
                        h.kind.name(),
                        h.id,
                        h.title,
                        h.snippet.replace('\n', " ")
                    );
                }
            }
        }
        Command::Verify { json: as_json } => {
            let vault = open(g)?;
            let report = vault.journal().verify().map_err(err)?;
            if as_json {
                json(&report)?;
            }
            if let Some(first) = report.problems.first() {
                if !as_json {
                    for p in &report.problems {
                        println!("problem: {}", p.message);
                    }
                }
                return Err(format!(
                    "the journal does not verify ({} problem(s)); first: {}",
                    report.problems.len(),
                    first.message
                ));
            }
            if !as_json {
                println!(
                    "journal verified: {} audit entries, {} records, {} files re-hashed; chain head {}",
                    report.entries, report.records, report.files_hashed, report.head
                );
            }
        }
        Command::Backup { out, replace } => {
            output_target(g, &out, replace)?;
            let mut vault = open(g)?;
            let mut report = progress_printer(false);
            let size = vault.backup(&out, &mut report).map_err(err)?;
            println!("backup written to {} ({size} bytes, encrypted)", out.display());
        }
        Command::Restore { backup: file, recovery_key_file } => {
            let Some(dir) = g.vault.clone() else {
                return Err("restore needs --vault DIR for the new vault".into());
            };
            let mut report = progress_printer(false);
            let (_vault, verified) = match &recovery_key_file {
                Some(path) => {
                    let code = read_secret_file(path, "recovery key")?;
                    let key = RecoveryKey::parse(code.expose_secret()).map_err(err)?;
                    backup::restore_with(
                        &file,
                        &dir,
                        Unlock::Recovery(&key),
                        Box::new(SystemClock),
                        &mut report,
                    )
                }
                None => {
                    let pass = passphrase(g)?;
                    backup::restore(&file, &dir, &pass, Box::new(SystemClock), &mut report)
                }
            }
            .map_err(err)?;
            println!(
                "restored into {}: {} audit entries and {} files verified",
                dir.display(),
                verified.entries,
                verified.files_hashed
            );
            if recovery_key_file.is_some() {
                println!(
                    "It still opens with the passphrase of the backup's day. To choose a new one, run \
                     `redress-cli unlock-with-recovery --vault {}`; if that key may be known to someone, then \
                     `redress-cli rekey`.",
                    dir.display()
                );
            }
        }
        Command::Passwd { new_passphrase_file } => {
            let mut vault = open(g)?;
            let new = new_passphrase(new_passphrase_file.as_deref())?;
            vault.change_passphrase(&new).map_err(err)?;
            println!("passphrase changed: the old one no longer opens this copy of the vault.");
            println!(
                "The journal keeps its key: backups and any earlier copy of the key slots still open with the \
                 passphrase of their day. If the old passphrase may be known to someone, run `redress-cli rekey`."
            );
        }
        Command::Rekey { new_passphrase_file, progress } => {
            let mut vault = open(g)?;
            let new = new_passphrase(new_passphrase_file.as_deref())?;
            let mut report = progress_printer(progress);
            let recovery = vault.rekey(&new, &mut report).map_err(err)?;
            println!("The journal is re-encrypted under a new key.");
            println!(
                "The old passphrase, the old recovery key and every earlier copy of the key slots no longer open it."
            );
            println!("Backups made before today still open with the passphrase of their day: replace them.");
            println!();
            println!("New recovery key (write it down now; it is shown only this once):");
            println!();
            println!("    {}", recovery.display().as_str());
            println!();
        }
        Command::UnlockWithRecovery { recovery_key_file, new_passphrase_file } => {
            let dir = vault_dir(g)?;
            let code = match &recovery_key_file {
                Some(p) => read_secret_file(p, "recovery key")?,
                None => prompt("Recovery key: ")?,
            };
            let key = RecoveryKey::parse(code.expose_secret()).map_err(err)?;
            let mut vault = Vault::open_with_recovery(&dir, &key, Box::new(SystemClock)).map_err(err)?;
            let new = new_passphrase(new_passphrase_file.as_deref())?;
            vault.change_passphrase(&new).map_err(err)?;
            println!("vault opened with the recovery key; the new passphrase is set");
            println!(
                "If the recovery key or the old passphrase may be known to someone, run `redress-cli rekey`: it \
                 gives the journal a new key and you a new recovery key."
            );
        }
        Command::Trash { id, kind: k } => {
            let mut vault = open(g)?;
            vault.journal_mut().trash(kind(&k)?, id).map_err(err)?;
            println!("{k} {id} moved to the trash");
        }
        Command::Untrash { id, kind: k } => {
            let mut vault = open(g)?;
            vault.journal_mut().restore(kind(&k)?, id).map_err(err)?;
            println!("{k} {id} restored from the trash");
        }
        Command::Purge { id, kind: k } => {
            let mut vault = open(g)?;
            vault.journal_mut().purge(kind(&k)?, id).map_err(err)?;
            println!(
                "{k} {id} purged: its content, earlier versions and search-index words are erased from this \
                 journal"
            );
            println!(
                "not reached: backups made before now and files or bundles exported earlier still hold it; the \
                 history keeps a SHA-256 of each version, the disclosure log the titles and hashes it listed"
            );
            println!(
                "to make the old passphrase, recovery key and key files stop opening this journal, run \
                 `redress-cli rekey` (copies of the journal made before still open with them)"
            );
        }
        Command::History { id, kind: k } => {
            let vault = open(g)?;
            for e in vault.journal().history(kind(&k)?, id).map_err(err)? {
                println!(
                    "{:>5}  {}  {:<8} {}",
                    e.seq,
                    e.at,
                    e.action,
                    e.payload.unwrap_or_else(|| "(purged)".into())
                );
            }
        }
        Command::Event(cmd) => match cmd {
            EventCmd::Add { date, title, place, description, evidence } => {
                let mut vault = open(g)?;
                let id = vault
                    .journal_mut()
                    .add_event(&EventInput { date, title, place, description, evidence })
                    .map_err(err)?;
                println!("added event {id}");
            }
            EventCmd::List { json: as_json } => {
                let vault = open(g)?;
                let events = vault.journal().list_events(false).map_err(err)?;
                if as_json {
                    json(&events)?;
                } else {
                    for e in events {
                        println!(
                            "{:>4}  {:<18} {}  {}",
                            e.id,
                            e.state.date.to_string(),
                            e.state.title,
                            e.state.place
                        );
                    }
                }
            }
        },
        Command::Contact(cmd) => match cmd {
            ContactCmd::Add {
                name,
                firm,
                role,
                jurisdiction,
                languages,
                email,
                phone,
                messenger,
                notes,
                power_of_attorney,
            } => {
                let role: ContactRole = role.parse().map_err(err)?;
                let mut vault = open(g)?;
                let input = ContactInput {
                    name,
                    firm,
                    role,
                    jurisdiction,
                    languages,
                    email,
                    phone,
                    messenger,
                    notes,
                    power_of_attorney,
                };
                let id = vault.journal_mut().add_contact(&input).map_err(err)?;
                println!("added contact {id}");
            }
            ContactCmd::List { json: as_json } => {
                let vault = open(g)?;
                let contacts = vault.journal().list_contacts(false).map_err(err)?;
                if as_json {
                    json(&contacts)?;
                } else {
                    for c in contacts {
                        println!("{:>4}  {}  {}  {}", c.id, c.state.name, c.state.firm, c.state.email);
                    }
                }
            }
        },
        Command::Deadline(cmd) => match cmd {
            DeadlineCmd::Add { title, due, kind: k, contact, event, reminders, notes } => {
                let kind: DeadlineKind = k.parse().map_err(err)?;
                let mut vault = open(g)?;
                let input = DeadlineInput { title, due, kind, contact, event, reminders, notes };
                let id = vault.journal_mut().add_deadline(&input).map_err(err)?;
                println!("added deadline {id}");
            }
            DeadlineCmd::List { json: as_json } => {
                let vault = open(g)?;
                let list = vault.journal().list_deadlines(false).map_err(err)?;
                if as_json {
                    json(&list)?;
                } else {
                    for d in list {
                        println!("{:>4}  {:<28} {}", d.id, d.state.current_due().to_string(), d.state.title);
                    }
                }
            }
            DeadlineCmd::Done { id, on } => {
                let on = match on {
                    Some(text) => redress_core::dates::parse_day("--on", &text).map_err(err)?,
                    None => chrono::Local::now().date_naive(),
                };
                let mut vault = open(g)?;
                vault.journal_mut().mark_deadline_done(id, on).map_err(err)?;
                println!("deadline {id} marked done");
            }
            DeadlineCmd::Adopt { request, key } => {
                let mut vault = open(g)?;
                let id = vault.journal_mut().adopt_computed_deadline(request, &key).map_err(err)?;
                println!("added deadline {id}, computed from request {request}");
            }
            DeadlineCmd::Extend { id, to } => {
                let mut vault = open(g)?;
                vault.journal_mut().extend_deadline(id, &to).map_err(err)?;
                println!("deadline {id} extended; the original date is kept");
            }
        },
        Command::Profile(cmd) => match cmd {
            ProfileCmd::Show { json: as_json } => {
                let vault = open(g)?;
                let profile = vault.journal().profile().map_err(err)?;
                if as_json {
                    json(&profile)?;
                } else if let Some(p) = profile {
                    println!("name (Latin):   {}", p.name_latin);
                    println!("name (native):  {}", p.name_native);
                    println!(
                        "date of birth:  {}",
                        p.date_of_birth.map(|d| d.to_string()).unwrap_or_default()
                    );
                    println!("nationalities:  {}", p.nationalities.join(", "));
                    println!("lives in:       {}", p.current_country);
                    println!("issuing country:{}", p.issuing_country);
                    println!("references:     {}", p.references.join(", "));
                } else {
                    println!("no case profile yet");
                }
            }
            ProfileCmd::Set {
                name_latin,
                name_native,
                date_of_birth,
                nationalities,
                current_country,
                issuing_country,
                notice_type,
                references,
            } => {
                let notice_type: NoticeType = notice_type.parse().map_err(err)?;
                let mut vault = open(g)?;
                let input = ProfileInput {
                    name_latin,
                    name_native,
                    date_of_birth,
                    nationalities,
                    current_country,
                    issuing_country,
                    notice_type,
                    references,
                };
                vault.journal_mut().set_profile(&input).map_err(err)?;
                println!("case profile saved");
            }
        },
        Command::Request(RequestCmd::List { json: as_json }) => {
            let vault = open(g)?;
            let list = vault.journal().list_requests(false).map_err(err)?;
            let rows: Vec<_> = list
                .iter()
                .map(|r| {
                    serde_json::json!({
                        "id": r.id, "title": r.state.title, "type": r.state.request_type,
                        "language": r.state.language, "status": r.state.status,
                    })
                })
                .collect();
            if as_json {
                json(&rows)?;
            } else {
                for r in rows {
                    println!(
                        "{:>4}  {:<20} {:<3} {:<16} {}",
                        r["id"],
                        r["type"].as_str().unwrap_or("(no type)"),
                        r["language"].as_str().unwrap_or(""),
                        r["status"].as_str().unwrap_or(""),
                        r["title"].as_str().unwrap_or("")
                    );
                }
            }
        }
        Command::Draft { id, out, lang, text, replace } => {
            let vault = open(g)?;
            let worker = Worker::current_exe().map_err(err)?;
            let pages =
                redress_core::ccf::draft::count_annex_pages(vault.journal(), &worker, id).map_err(err)?;
            let draft = redress_core::ccf::draft::assemble(vault.journal(), id, lang.as_deref(), &pages)
                .map_err(err)?;
            if text {
                for s in &draft.sections {
                    println!("=== {} ===\n{}\n", s.heading, s.text);
                }
            } else if let Some(out) = out {
                output_target(g, &out, replace)?;
                let rendered = redress_core::pdf::render(&draft.document).map_err(err)?;
                redress_core::files::write(&out, Some(vault.dir()), &rendered.bytes).map_err(err)?;
                println!(
                    "draft written to {} ({} pages); a draft for counsel, not legal advice",
                    out.display(),
                    rendered.pages
                );
                if !rendered.substituted.is_empty() {
                    let chars: Vec<String> =
                        rendered.substituted.iter().map(|c| format!("U+{:04X}", *c as u32)).collect();
                    println!(
                        "warning: characters the font lacks were replaced by U+FFFD: {}",
                        chars.join(" ")
                    );
                }
            }
        }
        Command::Checklist { id, json: as_json } => {
            let vault = open(g)?;
            let list = redress_core::ccf::draft::checklist(vault.journal(), id).map_err(err)?;
            if as_json {
                json(&list)?;
            } else {
                for i in &list.items {
                    match (i.passed, i.severity) {
                        (true, _) if i.overridden => {
                            println!("[ok]      {} (overridden by counsel's reason)", i.label)
                        }
                        (true, _) => println!("[ok]      {}", i.label),
                        (false, redress_core::ccf::Severity::Blocking) => {
                            println!("[missing] {} — {}", i.label, i.fix)
                        }
                        (false, redress_core::ccf::Severity::Warning) => {
                            println!("[warning] {} — {}", i.label, i.fix)
                        }
                    }
                }
                for w in &list.warnings {
                    println!("[warning] {}", w.message);
                }
            }
        }
        Command::Deadlines { json: as_json } => {
            let vault = open(g)?;
            let j = vault.journal();
            let mut rows = Vec::new();
            for d in j.list_deadlines(false).map_err(err)? {
                rows.push(serde_json::json!({
                    "id": d.id, "title": d.state.title, "due": d.state.current_due().to_string(),
                    "original_due": d.state.due.to_string(), "status": d.state.status, "computed": false,
                }));
            }
            for r in j.list_requests(false).map_err(err)? {
                for c in redress_core::ccf::request_deadlines(&r.state).map_err(err)? {
                    rows.push(serde_json::json!({
                        "request": r.id, "title": c.title, "due": c.due.to_string(), "rule": c.citation,
                        "rule_id": c.rule, "kind": c.kind, "status": c.status,
                        "computed_from": c.computed_from, "computed": true,
                        "due_in_lyon_ends": redress_core::rules::end_of_paris_day_in(c.due, "Europe/Paris").map_err(err)?,
                    }));
                }
            }
            rows.sort_by(|a, b| a["due"].as_str().cmp(&b["due"].as_str()));
            if as_json {
                json(&rows)?;
            } else {
                for r in rows {
                    let rule = r["rule"]
                        .as_str()
                        .map(|x| format!("  [{x}; computed {}]", r["computed_from"].as_str().unwrap_or("")))
                        .unwrap_or_default();
                    println!(
                        "{:<28} {}{rule}",
                        r["due"].as_str().unwrap_or(""),
                        r["title"].as_str().unwrap_or("")
                    );
                }
            }
        }
        Command::Bundle {
            request,
            items,
            all,
            out,
            replace,
            for_contact,
            events,
            password_file,
            keep_metadata,
            attach_original,
            lang,
            plan,
            json: as_json,
        } => {
            let mut vault = open(g)?;
            let mut spec = if let Some(id) = request {
                BundleSpec::for_request(vault.journal(), id).map_err(err)?
            } else if all {
                BundleSpec::all(vault.journal()).map_err(err)?
            } else if !items.is_empty() {
                BundleSpec::for_items(&items)
            } else {
                return Err("choose what to bundle: --request ID, --items ID,ID… or --all".into());
            };
            if for_contact.is_some() {
                spec.contact = for_contact;
            }
            if !events.is_empty() {
                spec.events = events;
            }
            if let Some(lang) = lang {
                spec.language = lang;
            }
            spec.keep_metadata = keep_metadata;
            spec.attach_originals = attach_original;
            let worker = Worker::current_exe().map_err(err)?;
            if plan {
                return json(&vault.journal().bundle_plan(&spec, &worker).map_err(err)?);
            }
            output_target(g, &out, replace)?;
            let password = password_file.map(|f| read_secret_file(&f, "bundle password")).transpose()?;
            let tty = std::io::stderr().is_terminal();
            let mut progress = |p: BundleProgress| {
                if tty {
                    eprint!("\r{:>3}/{} {:<12}", p.done, p.total, p.stage);
                    if p.done >= p.total {
                        eprint!("\r{:30}\r", "");
                    }
                }
                true
            };
            let report = redress_core::bundle::export(
                &mut vault,
                &spec,
                password.as_ref(),
                &out,
                &worker,
                &mut progress,
            )
            .map_err(err)?;
            if as_json {
                return json(&report);
            }
            println!(
                "bundle written to {} ({} exhibits, {} pages{}); SHA-256 {}",
                out.display(),
                report.exhibits,
                report.pages,
                if report.encrypted { ", AES-256 encrypted" } else { "" },
                report.sha256
            );
            if report.metadata_removed > 0 {
                println!("metadata (EXIF, GPS) removed from {} pictures", report.metadata_removed);
            }
            for p in &report.placeholders {
                println!("placeholder: exhibit {} (evidence {}): {}", p.number, p.evidence, p.reason);
            }
            println!("recorded in the disclosure log as entry {}", report.disclosure);
        }
        Command::Disclosures { for_contact, json: as_json } => {
            let vault = open(g)?;
            let list = vault.journal().disclosures(for_contact).map_err(err)?;
            if as_json {
                return json(&list);
            }
            for d in list {
                let who =
                    if d.state.contact_name.is_empty() { "(nobody named)" } else { &d.state.contact_name };
                println!(
                    "{:>4}  {}  {}  {} items  {}  {}",
                    d.id,
                    d.state.at.format("%Y-%m-%d %H:%M"),
                    who,
                    d.state.items.len(),
                    d.state.file_name,
                    d.state.sha256
                );
            }
        }
        Command::Rule(args) => return rule_command(args),
    }
    Ok(())
}

/// `rule list` and `rule ID DATE`: the rules of the reference's §5, computed without a vault.
fn rule_command(args: RuleArgs) -> CliResult {
    use redress_core::rules;
    if let Some(RuleCmd::List { json: as_json }) = args.list {
        let list = rules::list();
        if as_json {
            return json(&list);
        }
        for r in list {
            let clock = r.clock.as_deref().unwrap_or(match r.clock_of {
                rules::ClockOf::RequestedState => "the requested state's zone",
                _ => "the filing office's zone",
            });
            println!("{}", r.id);
            println!("    when:     {}", r.trigger_text);
            println!("    computes: {}", r.title);
            println!("    kind:     {}", rule_kind_words(r.kind, r.theirs));
            println!("    rule:     {} [{}]", r.citation, r.status.as_str());
            println!("    clock:    {clock}");
        }
        return Ok(());
    }
    let (Some(id), Some(date)) = (args.id, args.date) else {
        return Err("give a rule id and a date (YYYY-MM-DD), or `rule list`".into());
    };
    let id: rules::RuleId = id.parse().map_err(err)?;
    let from = redress_core::dates::parse_day("date", &date).map_err(err)?;
    let c = rules::compute(id, from, args.zone.as_deref()).map_err(err)?;
    if args.json {
        return json(&c);
    }
    let clock = c.clock.clone().unwrap_or_else(|| "the local zone (give --zone)".into());
    println!("{}  {}", c.due.format("%Y-%m-%d"), c.title);
    println!("    ends:     23:59 on that day, {clock}");
    println!("    kind:     {}", rule_kind_words(c.kind, c.theirs));
    println!("    counted:  {}", c.computed_from);
    println!("    rule:     {} [{}]", c.citation, c.status.as_str());
    for n in &c.notes {
        println!("    note:     {} [{}]", n.text, n.status.as_str());
    }
    Ok(())
}

fn rule_kind_words(kind: redress_core::rules::DueKind, theirs: bool) -> &'static str {
    match (kind, theirs) {
        (redress_core::rules::DueKind::Expectation, _) => "what to expect, not a limit",
        (_, true) => "a limit for the other side, not for you",
        (_, false) => "your limit",
    }
}
