//! Stored formats, frozen (review H1). `data/format-0.1` holds a vault, its key slots, its recovery key and a
//! backup as Redress 0.1 wrote them (made once by `cargo run -p redress-core --example format_fixtures`); they must
//! keep opening, verifying and reading back the same records. The audit chain's hash, the canonical JSON of each
//! stored state, the slot-file and backup headers and the shipped migrations are pinned by value, not by a round
//! trip through the code under test. A failure here means a stored format changed: add a new version instead.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDate, Utc};
use redress_core::bundle::{DisclosedItem, DisclosureState};
use redress_core::ccf::{
    Annex, ApplicantForm, ApplicantKind, CcfDates, DataConcerned, GroundArgument, RequestState,
    RequestStatus, Revision, Signer,
};
use redress_core::chronology::EventState;
use redress_core::contacts::{ContactRole, ContactState};
use redress_core::dates::FuzzyDate;
use redress_core::deadlines::{ComputedFrom, DeadlineKind, DeadlineState, DeadlineStatus, Due};
use redress_core::evidence::EvidenceState;
use redress_core::profile::{NoticeType, ProfileState};
use redress_core::records::translations::TranslationOf;
use redress_core::rules::RequestType;
use redress_core::secret::RecoveryKey;
use redress_core::vault::{Unlock, DB_FILE, FORMAT_VERSION, SLOTS_COPY_FILE, SLOTS_FILE};
use redress_core::{backup, Error, FixedClock, Kind, Vault};
use secrecy::SecretString;
use serde::de::DeserializeOwned;
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::common::*;

mod states;

const FIXTURE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/format-0.1");
const FIXTURE_PASSPHRASE: &str = "format fixture 0.1 passphrase";
/// The stamp of every entry of the fixture's chain (the generator's pinned clock).
const AT: &str = "2026-03-02T09:30:00.000Z";
/// The fixture's chain: 11 entries, the last one the backup's.
const ENTRIES: i64 = 11;
const HEAD: &str = "1fc8c552493f75c15fe4545147d89ec671761afab1753d92a7e498a19282bc58";
/// Entry 1 of every vault is `created`; this is its hash at `AT` (the chain's golden vector).
const FIRST_ENTRY: &str = "761c73f81ddfe0495d33c266d8ed95cd2b0c2cd034bbf8078aa110d8eddcabda";
const STATEMENT: &[u8] = b"Witness statement: the search of the newsroom began at 06:10 on 1 March 2022.\n";

// The states stored in the fixture, as the journal holds them (their canonical JSON).
const EVIDENCE: &str = concat!(
    r#"{"title":"Witness statement","original_name":"witness-statement.txt","#,
    r#""sha256":"a24dee5ebb3e75b9c94d89b7a52857cbd2e0c46c3ce1326a782b5cd1e8cc77dd","size":78,"#,
    r#""mime":"text/plain","doc_date":"2022-03-01","source":"A. Witness","language":"en","#,
    r#""description":"Signed statement of a colleague","tags":["search","witness"]}"#,
);
const PROFILE: &str = concat!(
    r#"{"name_latin":"Mikhail Orlov","name_native":"Михаил Орлов","date_of_birth":"1980-05-17","#,
    r#""nationalities":["RU"],"current_country":"LT","issuing_country":"RU","#,
    r#""notice_type":"red_notice","references":["A-1234/5-2023"]}"#,
);
const EVENT: &str = concat!(
    r#"{"date":"2022-03-01","title":"Search of the newsroom","place":"Moscow","#,
    r#""description":"Officers searched the newsroom and took the laptops.","evidence":[1]}"#,
);
const CONTACT: &str = concat!(
    r#"{"name":"Claire Dubois","firm":"Cabinet Fictif","role":"lawyer","jurisdiction":"FR","#,
    r#""languages":["fr","en"],"email":"claire.dubois@example.org","phone":"+33 1 23 45 67 89","#,
    r#""messenger":"@cdubois","notes":"Handles the CCF request.","power_of_attorney":"2026-01-10"}"#,
);
const DEADLINE_FIRST: &str = concat!(
    r#"{"title":"Reply to the CCF","due":{"type":"date_time","local":"2026-04-30T17:00:00","#,
    r#""zone":"Europe/Paris"},"kind":"ccf","contact":1,"event":1,"status":{"status":"open"},"#,
    r#""reminders":[30,7],"notes":"Ask for the file first."}"#,
);
const DEADLINE: &str = concat!(
    r#"{"title":"Reply to the CCF","due":{"type":"date_time","local":"2026-04-30T17:00:00","#,
    r#""zone":"Europe/Paris"},"kind":"ccf","contact":1,"event":1,"status":{"status":"extended","#,
    r#""to":{"type":"date","date":"2026-05-29"}},"reminders":[30,7],"notes":"Ask for the file first."}"#,
);
const COMPUTED_DEADLINE: &str = concat!(
    r#"{"title":"The CCF's decision on admissibility is expected (not a limit) — "#,
    r#"Deletion of the Red Notice","due":{"type":"date","date":"2026-03-25"},"kind":"ccf","#,
    r#""contact":1,"event":null,"status":{"status":"open"},"reminders":[14,3],"notes":"","#,
    r#""computed":{"request":1,"key":"ccf-admissibility-expected","#,
    r#""rule":"CCF practice reported by practitioners; no rule found","#,
    r#""from":"1 month after 2026-02-25"}}"#,
);
const REQUEST: &str = concat!(
    r#"{"title":"Deletion of the Red Notice","request_type":"correction_deletion","#,
    r#""language":"en","representative":1,"power_of_attorney":null,"identity_document":1,"#,
    r#""data":{"issuing_country":"","instrument":"unknown","references":[],"dates":""},"#,
    r#""facts":[1],"grounds":[{"ground":"political","#,
    r#""argument":"The charges punish journalism.","evidence":[1]}],"#,
    r#""annexes":[{"evidence":1,"confidential":true}],"revision":null,"confidentiality":"","#,
    r#""signature_place":"Vilnius","signature_date":"2026-02-20","status":"draft","#,
    r#""ccf":{"received":"2026-02-25","admissibility":null,"decision":null},"identity_complete":true}"#,
);
const DISCLOSURE: &str = concat!(
    r#"{"contact":1,"contact_name":"Claire Dubois, Cabinet Fictif","#,
    r#""items":[{"exhibit":1,"evidence":1,"title":"Witness statement","#,
    r#""sha256":"a24dee5ebb3e75b9c94d89b7a52857cbd2e0c46c3ce1326a782b5cd1e8cc77dd"}],"#,
    r#""file_name":"bundle.pdf","#,
    r#""sha256":"ff359e26bb1d53fe2d85b8286a4d75b6f7ade879546e6caf816aab159fc3e39d","pages":4,"#,
    r#""encrypted":false,"at":"2026-03-02T09:30:00Z"}"#,
);

fn fixture(name: &str) -> PathBuf {
    Path::new(FIXTURE).join(name)
}

fn fixture_pass() -> SecretString {
    SecretString::from(FIXTURE_PASSPHRASE.to_owned())
}

fn pinned() -> Box<FixedClock> {
    Box::new(FixedClock(AT.parse::<DateTime<Utc>>().unwrap()))
}

/// The SHA-256 of every committed fixture file: the tests compare them before and after, so a test that wrote
/// into the fixture (instead of its copy) fails.
fn committed() -> BTreeMap<PathBuf, String> {
    let files = snapshot(Path::new(FIXTURE));
    assert!(
        files.len() >= 5,
        "the fixture holds the vault's 3 files, the backup and the recovery key: {files:?}"
    );
    files.into_iter().map(|(path, bytes)| (path, hex::encode(Sha256::digest(bytes)))).collect()
}

/// A copy of the fixture vault in a scratch directory (`dir/vault`): tests never open the committed one.
fn vault_copy() -> tempfile::TempDir {
    let dir = scratch();
    fs::create_dir(dir.path().join("vault")).unwrap();
    for name in [DB_FILE, SLOTS_FILE, SLOTS_COPY_FILE] {
        fs::copy(fixture("vault").join(name), dir.path().join("vault").join(name)).unwrap();
    }
    dir
}

fn json<S: Serialize>(state: &S) -> String {
    serde_json::to_string(state).unwrap()
}

#[test]
fn the_0_1_vault_opens_verifies_and_reads_back_every_kind() {
    let before = committed();
    let dir = vault_copy();
    let path = dir.path().join("vault");
    let vault = Vault::open(&path, &fixture_pass(), pinned()).unwrap();
    let j = vault.journal();
    assert!(
        j.schema_version().unwrap() >= 4,
        "the 0.1 journal is at schema 4; opening only ever migrates up"
    );
    let report = j.verify().unwrap();
    assert!(report.ok(), "the 0.1 chain must verify with today's code: {:?}", report.problems);
    assert_eq!(
        (report.entries, report.head.as_str(), report.records, report.files_hashed),
        (ENTRIES, HEAD, 8, 1),
        "the 0.1 chain, its records and its one stored file"
    );

    let evidence = j.list_evidence(true).unwrap();
    assert_eq!(evidence.len(), 1, "one evidence item");
    assert_eq!(json(&evidence[0].state), EVIDENCE, "the evidence item must read back as stored");
    assert_eq!(
        j.read_evidence_range(evidence[0].id, 0, STATEMENT.len()).unwrap(),
        STATEMENT,
        "the stored file's bytes come back unchanged"
    );
    assert_eq!(json(&j.profile().unwrap().expect("the fixture has a profile")), PROFILE);
    let events = j.list_events(true).unwrap();
    assert_eq!(events.iter().map(|e| json(&e.state)).collect::<Vec<_>>(), [EVENT], "one event");
    let contacts = j.list_contacts(true).unwrap();
    assert_eq!(contacts.iter().map(|c| json(&c.state)).collect::<Vec<_>>(), [CONTACT], "one contact");
    let deadlines = j.list_deadlines(true).unwrap();
    assert_eq!(
        deadlines.iter().map(|d| json(&d.state)).collect::<Vec<_>>(),
        [COMPUTED_DEADLINE, DEADLINE],
        "the computed deadline (due first) and the one entered by hand, extended"
    );
    let requests = j.list_requests(true).unwrap();
    assert_eq!(requests.iter().map(|r| json(&r.state)).collect::<Vec<_>>(), [REQUEST], "one CCF request");
    let disclosures = j.disclosures(None).unwrap();
    assert_eq!(
        disclosures.iter().map(|d| json(&d.state)).collect::<Vec<_>>(),
        [DISCLOSURE],
        "one disclosure"
    );

    // A record's versions are its audit payloads, stamped by the clock that wrote them.
    let history = j.history(Kind::Deadline, 1).unwrap();
    let versions: Vec<(&str, &str, Option<&str>)> =
        history.iter().map(|e| (e.at.as_str(), e.action.as_str(), e.payload.as_deref())).collect();
    assert_eq!(
        versions,
        [(AT, "create", Some(DEADLINE_FIRST)), (AT, "edit", Some(DEADLINE))],
        "the deadline's two versions, as 0.1 recorded them"
    );
    let hits = j.search("newsroom", 10).unwrap();
    assert_eq!(
        hits.iter().map(|h| h.kind).collect::<Vec<_>>(),
        [Kind::Event],
        "the 0.1 search index still finds the event"
    );
    drop(vault);

    let err = Vault::open(&path, &SecretString::from("not the fixture passphrase".to_owned()), pinned())
        .unwrap_err();
    assert!(matches!(err, Error::WrongPassphrase(_)), "a wrong passphrase is told apart from damage: {err}");
    let recovery = fs::read_to_string(fixture("recovery-key.txt")).unwrap();
    let key = RecoveryKey::parse(recovery.trim()).unwrap();
    let vault = Vault::open_with_recovery(&path, &key, pinned()).unwrap();
    assert_eq!(vault.journal().chain_head().unwrap(), (ENTRIES, HEAD.to_owned()), "the recovery slot opens");
    drop(vault);
    assert_eq!(committed(), before, "the committed fixture must never be written to");
}

/// The chain's hash, version 1, written out here from its definition (`journal.rs`, `entry_hash`): SHA-256 over a
/// tag, the previous hash, the sequence number, three length-prefixed texts, the entity id (or `i64::MIN`) and the
/// payload's SHA-256.
fn entry_hash_v1(
    prev: &[u8],
    seq: i64,
    at: &str,
    action: &str,
    entity: &str,
    entity_id: Option<i64>,
    payload_hash: &[u8],
) -> String {
    let mut h = Sha256::new();
    h.update(b"redress audit v1\0");
    h.update(prev);
    h.update(seq.to_be_bytes());
    for field in [at, action, entity] {
        h.update((field.len() as u64).to_be_bytes());
        h.update(field.as_bytes());
    }
    h.update(entity_id.unwrap_or(i64::MIN).to_be_bytes());
    h.update(payload_hash);
    hex::encode(h.finalize())
}

#[test]
fn the_audit_chain_hash_is_version_1_entry_by_entry() {
    let payload_hash = Sha256::digest(br#"{"event":"created"}"#);
    assert_eq!(
        entry_hash_v1(&[0; 32], 1, AT, "created", "vault", None, &payload_hash),
        FIRST_ENTRY,
        "the golden vector of chain version 1"
    );

    let before = committed();
    let dir = vault_copy();
    let vault = Vault::open(&dir.path().join("vault"), &fixture_pass(), pinned()).unwrap();
    let conn = vault.raw_connection().unwrap();
    let mut stmt = conn
        .prepare(
            "SELECT seq, at, action, entity, entity_id, payload, payload_hash, prev_hash, hash FROM audit \
             ORDER BY seq",
        )
        .unwrap();
    type Row = (i64, String, String, String, Option<i64>, Option<String>, Vec<u8>, Vec<u8>, Vec<u8>);
    let rows: Vec<Row> = stmt
        .query_map([], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
                r.get(6)?,
                r.get(7)?,
                r.get(8)?,
            ))
        })
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(rows.len() as i64, ENTRIES, "the fixture's chain has {ENTRIES} entries");
    let mut prev = vec![0u8; 32];
    for (seq, at, action, entity, entity_id, payload, payload_hash, prev_hash, hash) in rows {
        assert_eq!(at, AT, "entry {seq} carries the generator's pinned time");
        let payload = payload.unwrap_or_else(|| panic!("entry {seq} keeps its payload (nothing was purged)"));
        assert_eq!(payload_hash, Sha256::digest(payload.as_bytes()).to_vec(), "entry {seq}: payload hash");
        assert_eq!(prev_hash, prev, "entry {seq} follows the one before");
        let expected = entry_hash_v1(&prev, seq, &at, &action, &entity, entity_id, &payload_hash);
        assert_eq!(hex::encode(&hash), expected, "entry {seq} ({action} {entity}) hashes as version 1 says");
        if seq == 1 {
            assert_eq!(hex::encode(&hash), FIRST_ENTRY, "entry 1 is the golden vector");
        }
        prev = hash;
    }
    assert_eq!(hex::encode(&prev), HEAD, "the chain head stored in the fixture");
    drop(stmt);
    drop(conn);
    drop(vault);
    assert_eq!(committed(), before, "the committed fixture must never be written to");
}

#[test]
fn the_0_1_backup_has_its_header_and_restores_verified() {
    let before = committed();
    let bytes = fs::read(fixture("vault.redress-backup")).unwrap();
    assert_eq!(&bytes[..16], b"REDRESS-BACKUP\0\x01", "the backup's magic and container version");
    let slots_len = u64::from_be_bytes(bytes[16..24].try_into().unwrap()) as usize;
    let slots: serde_json::Value = serde_json::from_slice(&bytes[24..24 + slots_len]).unwrap();
    assert_eq!(
        (slots["format"].as_str(), slots["version"].as_u64()),
        (Some("redress-vault"), Some(2)),
        "a backup carries the vault's slot file"
    );
    let db_at = 24 + slots_len;
    let db_len = u64::from_be_bytes(bytes[db_at..db_at + 8].try_into().unwrap()) as usize;
    assert_eq!(
        bytes.len(),
        db_at + 8 + db_len + 32,
        "header, slots, journal, then a 32-byte HMAC-SHA-256 tag"
    );

    let dir = scratch();
    let copy = dir.path().join("fixture.redress-backup");
    fs::copy(fixture("vault.redress-backup"), &copy).unwrap();
    let (vault, report) =
        backup::restore(&copy, &dir.path().join("restored"), &fixture_pass(), pinned(), &mut no_progress())
            .unwrap();
    assert!(report.ok(), "the 0.1 backup restores verified: {:?}", report.problems);
    assert_eq!((report.entries, report.head.as_str()), (ENTRIES, HEAD), "the backup holds the whole chain");
    let items = vault.journal().list_evidence(false).unwrap();
    assert_eq!(items.iter().map(|i| json(&i.state)).collect::<Vec<_>>(), [EVIDENCE], "and the evidence item");
    drop(vault);
    let recovery = fs::read_to_string(fixture("recovery-key.txt")).unwrap();
    let key = RecoveryKey::parse(recovery.trim()).unwrap();
    let (_, report) = backup::restore_with(
        &copy,
        &dir.path().join("by-recovery"),
        Unlock::Recovery(&key),
        pinned(),
        &mut no_progress(),
    )
    .unwrap();
    assert_eq!(report.head, HEAD, "the recovery key of the day opens the backup too");

    // Today's backups are written in the same container.
    let (mut fresh, _) = new_vault(dir.path());
    let out = dir.path().join("fresh.redress-backup");
    fresh.backup(&out, &mut no_progress()).unwrap();
    assert_eq!(&fs::read(&out).unwrap()[..16], &bytes[..16], "a new backup has the 0.1 magic");
    assert_eq!(committed(), before, "the committed fixture must never be written to");
}

/// The keys of a JSON object, in order.
fn keys(value: &serde_json::Value) -> Vec<&str> {
    value.as_object().unwrap().keys().map(String::as_str).collect()
}

/// A slot file's structure: the keys of each of its objects (sorted, as serde_json's map holds them).
fn structure(slots: &serde_json::Value) -> Vec<Vec<&str>> {
    let mut out = vec![keys(slots), keys(&slots["db"])];
    for slot in slots["slots"].as_array().unwrap() {
        out.push(keys(slot));
        out.push(keys(&slot["kdf"]));
    }
    out
}

#[test]
fn the_0_1_slot_files_keep_their_names_fields_and_values() {
    assert_eq!(
        (SLOTS_FILE, SLOTS_COPY_FILE, DB_FILE, FORMAT_VERSION),
        ("keyslots.json", "keyslots.copy.json", "journal.db", 2),
        "the vault's file names and slot-file format version"
    );
    let primary = fs::read(fixture("vault").join(SLOTS_FILE)).unwrap();
    let copy = fs::read(fixture("vault").join(SLOTS_COPY_FILE)).unwrap();
    assert_eq!(primary, copy, "both slot copies of the 0.1 vault are identical");
    let slots: serde_json::Value = serde_json::from_slice(&primary).unwrap();
    let root = ["checksum", "db", "format", "generation", "slots", "vault_id", "version"];
    let db = ["cipher_hmac", "cipher_page_size", "file"];
    let slot = ["aead", "kdf", "kind", "nonce", "wrapped_key"];
    let kdf = ["algorithm", "iterations", "memory_kib", "parallelism", "salt", "version"];
    let expected: Vec<Vec<&str>> =
        vec![root.to_vec(), db.to_vec(), slot.to_vec(), kdf.to_vec(), slot.to_vec(), kdf.to_vec()];
    assert_eq!(structure(&slots), expected, "the 0.1 slot file's fields");
    assert_eq!(
        (slots["format"].as_str(), slots["version"].as_u64(), slots["generation"].as_u64()),
        (Some("redress-vault"), Some(2), Some(1)),
        "the slot file's header"
    );
    assert_eq!(
        (slots["db"]["file"].as_str(), slots["db"]["cipher_hmac"].as_str()),
        (Some("journal.db"), Some("HMAC_SHA256")),
        "the journal it names and its page MAC"
    );
    for (slot, kind) in slots["slots"].as_array().unwrap().iter().zip(["passphrase", "recovery"]) {
        assert_eq!(
            (
                slot["kind"].as_str(),
                slot["kdf"]["algorithm"].as_str(),
                slot["kdf"]["version"].as_u64(),
                slot["aead"].as_str()
            ),
            (Some(kind), Some("argon2id"), Some(0x13), Some("xchacha20poly1305")),
            "the {kind} slot's algorithms"
        );
    }

    // A vault created today writes the same fields.
    let dir = scratch();
    let (vault, _) = new_vault(dir.path());
    drop(vault);
    let today: serde_json::Value =
        serde_json::from_slice(&fs::read(dir.path().join("vault").join(SLOTS_FILE)).unwrap()).unwrap();
    assert_eq!(structure(&today), expected, "a new vault's slot file has the 0.1 fields");
    assert_eq!(
        (today["format"].as_str(), today["version"].as_u64()),
        (Some("redress-vault"), Some(2)),
        "a new vault's slot-file header"
    );
}
