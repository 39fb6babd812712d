//! Writes the stored-format fixtures that `core/tests/formats` opens: a vault holding one record of every kind
//! (and its audit chain), its key-slot files, its recovery key and a backup of it, as this version writes them.
//! Run once per released format, never to "fix" a failing test:
//!
//!     cargo run -p redress-core --example format_fixtures -- core/tests/data/format-0.1
//!
//! The vault is made with the throwaway KDF, a known passphrase and a pinned clock, then copied into 1 KiB
//! SQLCipher pages (the slot file names the page size, which every open reads from it) so the committed files stay
//! tens of KB instead of 64 KiB per table.

use std::error::Error;
use std::fs;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use redress_core::bundle::BundleSpec;
use redress_core::ccf::{Annex, GroundArgument, RequestInput};
use redress_core::chronology::EventInput;
use redress_core::contacts::{ContactInput, ContactRole};
use redress_core::deadlines::{DeadlineInput, DeadlineKind};
use redress_core::evidence::{check_source, EvidenceMeta};
use redress_core::pdf::isolate::{serve_if_requested, Worker};
use redress_core::profile::{NoticeType, ProfileInput};
use redress_core::rules::RequestType;
use redress_core::vault::{SLOTS_COPY_FILE, SLOTS_FILE};
use redress_core::{CreateOptions, FixedClock, KdfParams, Vault};
use secrecy::SecretString;
use sha2::{Digest, Sha256};

/// The fixtures' passphrase (the tests hold the same text).
const PASSPHRASE: &str = "format fixture 0.1 passphrase";
/// The instant every entry of the fixture's audit chain carries.
const AT: &str = "2026-03-02T09:30:00Z";
/// The page size the fixture's journal is copied into.
const SMALL_PAGE: u32 = 1024;

type Outcome<T> = std::result::Result<T, Box<dyn Error>>;

fn main() -> Outcome<()> {
    // The bundle export below runs its readers in workers started from this same program.
    serve_if_requested();
    let out = PathBuf::from(std::env::args().nth(1).ok_or("usage: format_fixtures OUTPUT_DIR")?);
    if out.exists() {
        return Err(format!(
            "'{}' exists; the fixtures of a released format are never rewritten",
            out.display()
        )
        .into());
    }
    fs::create_dir_all(&out)?;
    let work = out.join("work");
    fs::create_dir_all(&work)?;
    let result = write_fixtures(&out, &work);
    fs::remove_dir_all(&work)?;
    result
}

fn clock() -> Outcome<Box<FixedClock>> {
    Ok(Box::new(FixedClock(AT.parse::<DateTime<Utc>>()?)))
}

fn pass() -> SecretString {
    SecretString::from(PASSPHRASE.to_owned())
}

fn write_fixtures(out: &Path, work: &Path) -> Outcome<()> {
    let dir = out.join("vault");
    let options = CreateOptions { passphrase_kdf: KdfParams::THROWAWAY, recovery_kdf: KdfParams::THROWAWAY };
    let (mut vault, recovery) = Vault::create(&dir, &pass(), options, clock()?)?;
    fs::write(out.join("recovery-key.txt"), format!("{}\n", recovery.display().as_str()))?;
    fill(&mut vault, work)?;
    drop(vault);
    shrink(&dir, work)?;
    // Opened again from the small pages: the backup is made of them, and the open proves them.
    let mut vault = Vault::open(&dir, &pass(), clock()?)?;
    let report = vault.journal().verify()?;
    if !report.ok() {
        return Err(format!("the fixture does not verify: {:?}", report.problems).into());
    }
    vault.backup(&out.join("vault.redress-backup"), &mut |_| true)?;
    drop(vault);
    println!("fixtures written to {}", out.display());
    Ok(())
}

/// One record of every kind; a deadline entered by hand (a time in a zone, extended) and one computed from the
/// request; one bundle exported, for the disclosure log.
fn fill(vault: &mut Vault, work: &Path) -> Outcome<()> {
    let file = work.join("witness-statement.txt");
    fs::write(&file, "Witness statement: the search of the newsroom began at 06:10 on 1 March 2022.\n")?;
    let meta = EvidenceMeta {
        title: Some("Witness statement".into()),
        doc_date: "2022-03-01".into(),
        source: "A. Witness".into(),
        language: "en".into(),
        description: "Signed statement of a colleague".into(),
        tags: vec!["search".into(), "witness".into()],
    };
    let j = vault.journal_mut();
    let evidence = j.import(&check_source(&file)?, &meta, &mut |_| true)?.id;
    j.set_profile(&ProfileInput {
        name_latin: "Mikhail Orlov".into(),
        name_native: "Михаил Орлов".into(),
        date_of_birth: "1980-05-17".into(),
        nationalities: vec!["RU".into()],
        current_country: "LT".into(),
        issuing_country: "RU".into(),
        notice_type: NoticeType::RedNotice,
        references: vec!["A-1234/5-2023".into()],
    })?;
    let event = j.add_event(&EventInput {
        date: "2022-03-01".into(),
        title: "Search of the newsroom".into(),
        place: "Moscow".into(),
        description: "Officers searched the newsroom and took the laptops.".into(),
        evidence: vec![evidence],
    })?;
    let contact = j.add_contact(&ContactInput {
        name: "Claire Dubois".into(),
        firm: "Cabinet Fictif".into(),
        role: ContactRole::Lawyer,
        jurisdiction: "FR".into(),
        languages: vec!["fr".into(), "en".into()],
        email: "claire.dubois@example.org".into(),
        phone: "+33 1 23 45 67 89".into(),
        messenger: "@cdubois".into(),
        notes: "Handles the CCF request.".into(),
        power_of_attorney: "2026-01-10".into(),
    })?;
    let deadline = j.add_deadline(&DeadlineInput {
        title: "Reply to the CCF".into(),
        due: "2026-04-30 17:00 Europe/Paris".into(),
        kind: DeadlineKind::Ccf,
        contact: Some(contact),
        event: Some(event),
        reminders: vec![7, 30],
        notes: "Ask for the file first.".into(),
    })?;
    j.extend_deadline(deadline, "2026-05-29")?;
    let request = j.add_request(&RequestInput {
        title: "Deletion of the Red Notice".into(),
        request_type: Some(RequestType::CorrectionDeletion),
        language: "en".into(),
        representative: Some(contact),
        identity_document: Some(evidence),
        facts: vec![event],
        grounds: vec![GroundArgument {
            ground: "political".into(),
            argument: "The charges punish journalism.".into(),
            evidence: vec![evidence],
        }],
        annexes: vec![Annex { evidence, confidential: true }],
        signature_place: "Vilnius".into(),
        signature_date: "2026-02-20".into(),
        received: "2026-02-25".into(),
        identity_complete: true,
        ..RequestInput::default()
    })?;
    j.adopt_computed_deadline(request, "ccf-admissibility-expected")?;
    let spec = BundleSpec { contact: Some(contact), ..BundleSpec::for_items(&[evidence]) };
    redress_core::bundle::export(
        vault,
        &spec,
        None,
        &work.join("bundle.pdf"),
        &Worker::current_exe()?,
        &mut |_| true,
    )?;
    Ok(())
}

/// Copies the journal into `SMALL_PAGE` pages under the same key (`sqlcipher_export`, as a re-key does) and seals
/// both slot copies naming the new page size.
fn shrink(dir: &Path, work: &Path) -> Outcome<()> {
    let small = work.join("small.db");
    {
        let vault = Vault::open(dir, &pass(), clock()?)?;
        let version = vault.journal().schema_version()?;
        let conn = vault.raw_connection()?;
        // The connection may not create files: SQLite reads an empty file as an empty database.
        fs::write(&small, b"")?;
        conn.execute("ATTACH DATABASE ?1 AS small", [small.to_str().ok_or("the path is not UTF-8")?])?;
        conn.execute_batch(&format!(
            "PRAGMA small.cipher_page_size = {SMALL_PAGE}; PRAGMA small.cipher_hmac_algorithm = HMAC_SHA256;"
        ))?;
        conn.query_row("SELECT sqlcipher_export('small')", [], |_| Ok(()))?;
        conn.execute_batch(&format!("PRAGMA small.user_version = {version}; DETACH DATABASE small;"))?;
    }
    fs::rename(&small, dir.join("journal.db"))?;
    let pretty = fs::read_to_string(dir.join(SLOTS_FILE))?;
    let resized =
        pretty.replace("\"cipher_page_size\": 65536", &format!("\"cipher_page_size\": {SMALL_PAGE}"));
    if resized == pretty {
        return Err("the slot file does not name the page size as expected".into());
    }
    let sealed = reseal(&resized)?;
    fs::write(dir.join(SLOTS_FILE), &sealed)?;
    fs::write(dir.join(SLOTS_COPY_FILE), &sealed)?;
    Ok(())
}

/// The slot file with its checksum recomputed: SHA-256 of its compact JSON, in field order, without the checksum.
fn reseal(pretty: &str) -> Outcome<String> {
    let compact = compact(pretty);
    let start = compact.find(",\"checksum\":\"").ok_or("the slot file has no checksum")?;
    let end = compact[start + 13..].find('"').ok_or("the checksum is not closed")? + start + 14;
    let old = &compact[start + 13..end - 1];
    let bare = format!("{}{}", &compact[..start], &compact[end..]);
    let sum = hex::encode(Sha256::digest(bare.as_bytes()));
    Ok(pretty.replace(old, &sum))
}

/// JSON without the whitespace between tokens.
fn compact(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    let (mut in_string, mut escaped) = (false, false);
    for c in json.chars() {
        if in_string {
            out.push(c);
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_string = false,
                _ => {}
            }
        } else if c == '"' {
            in_string = true;
            out.push(c);
        } else if !c.is_whitespace() {
            out.push(c);
        }
    }
    out
}
