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
use redress_core::rules::RequestType;
use redress_core::secret::RecoveryKey;
use redress_core::vault::{Unlock, DB_FILE, FORMAT_VERSION, SLOTS_COPY_FILE, SLOTS_FILE};
use redress_core::{backup, Error, FixedClock, Kind, Vault};
use secrecy::SecretString;
use serde::de::DeserializeOwned;
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::common::*;

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

/// Encodes `value`, compares it with `expected`, and decodes `expected` back to `value`: the literal, not the
/// code under test, is the reference.
fn pinned_json<S: Serialize + DeserializeOwned + PartialEq + std::fmt::Debug>(value: &S, expected: &str) {
    assert_eq!(json(value), expected, "the canonical JSON of a stored state must not change");
    assert_eq!(&serde_json::from_str::<S>(expected).unwrap(), value, "the stored form must decode");
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

#[test]
fn every_stored_state_keeps_its_canonical_json() {
    pinned_json(
        &ProfileState {
            name_latin: "Mikhail Orlov".into(),
            name_native: "Михаил Орлов".into(),
            date_of_birth: Some(day(1980, 5, 17)),
            nationalities: vec!["RU".into(), "IL".into()],
            current_country: "LT".into(),
            issuing_country: "RU".into(),
            notice_type: NoticeType::Diffusion,
            references: vec!["A-1/2023".into()],
        },
        concat!(
            r#"{"name_latin":"Mikhail Orlov","name_native":"Михаил Орлов","date_of_birth":"1980-05-17","#,
            r#""nationalities":["RU","IL"],"current_country":"LT","issuing_country":"RU","#,
            r#""notice_type":"diffusion","references":["A-1/2023"]}"#,
        ),
    );
    pinned_json(
        &EvidenceState {
            title: "Scan".into(),
            original_name: "scan.pdf".into(),
            sha256: "ab".repeat(32),
            size: 1234,
            mime: "application/pdf".into(),
            doc_date: Some(FuzzyDate::parse("date", "about 2019-03").unwrap()),
            source: "Court".into(),
            language: "ru".into(),
            description: "Ruling".into(),
            tags: vec!["court".into()],
        },
        concat!(
            r#"{"title":"Scan","original_name":"scan.pdf","#,
            r#""sha256":"abababababababababababababababababababababababababababababababab","size":1234,"#,
            r#""mime":"application/pdf","doc_date":"about 2019-03","source":"Court","language":"ru","#,
            r#""description":"Ruling","tags":["court"]}"#,
        ),
    );
    pinned_json(
        &EventState {
            date: FuzzyDate::parse("date", "before 2019-03-14").unwrap(),
            title: "Arrest".into(),
            place: "Minsk".into(),
            description: "Detained for 10 days".into(),
            evidence: vec![3, 1],
        },
        concat!(
            r#"{"date":"before 2019-03-14","title":"Arrest","place":"Minsk","#,
            r#""description":"Detained for 10 days","evidence":[3,1]}"#,
        ),
    );
    pinned_json(
        &ContactState {
            name: "A. Lawyer".into(),
            firm: String::new(),
            role: ContactRole::Ngo,
            jurisdiction: "DE".into(),
            languages: vec!["de".into()],
            email: "a@example.org".into(),
            phone: "+49 30 1".into(),
            messenger: String::new(),
            notes: "Line one\nline two".into(),
            power_of_attorney: None,
        },
        concat!(
            r#"{"name":"A. Lawyer","firm":"","role":"ngo","jurisdiction":"DE","languages":["de"],"#,
            r#""email":"a@example.org","phone":"+49 30 1","messenger":"","notes":"Line one\nline two","#,
            r#""power_of_attorney":null}"#,
        ),
    );
    let deadline = |due: Due, status: DeadlineStatus, computed: Option<ComputedFrom>| DeadlineState {
        title: "Appeal".into(),
        due,
        kind: DeadlineKind::Extradition,
        contact: Some(2),
        event: None,
        status,
        reminders: vec![14, 1],
        notes: String::new(),
        computed,
    };
    let paris =
        Due::DateTime { local: day(2027, 1, 31).and_hms_opt(17, 0, 0).unwrap(), zone: "Europe/Paris".into() };
    pinned_json(
        &deadline(paris.clone(), DeadlineStatus::Open, None),
        concat!(
            r#"{"title":"Appeal","due":{"type":"date_time","local":"2027-01-31T17:00:00","#,
            r#""zone":"Europe/Paris"},"kind":"extradition","contact":2,"event":null,"#,
            r#""status":{"status":"open"},"reminders":[14,1],"notes":""}"#,
        ),
    );
    pinned_json(
        &deadline(Due::Date { date: day(2027, 1, 5) }, DeadlineStatus::Done { on: day(2027, 1, 4) }, None),
        concat!(
            r#"{"title":"Appeal","due":{"type":"date","date":"2027-01-05"},"kind":"extradition","#,
            r#""contact":2,"event":null,"status":{"status":"done","on":"2027-01-04"},"reminders":[14,1],"#,
            r#""notes":""}"#,
        ),
    );
    pinned_json(
        &deadline(
            Due::Date { date: day(2027, 1, 5) },
            DeadlineStatus::Extended { to: paris },
            Some(ComputedFrom {
                request: 4,
                key: "ccf-access-decision".into(),
                rule: "ST 40(1)".into(),
                from: "4 months after 2026-09-05".into(),
            }),
        ),
        concat!(
            r#"{"title":"Appeal","due":{"type":"date","date":"2027-01-05"},"kind":"extradition","#,
            r#""contact":2,"event":null,"status":{"status":"extended","to":{"type":"date_time","#,
            r#""local":"2027-01-31T17:00:00","zone":"Europe/Paris"}},"reminders":[14,1],"notes":"","#,
            r#""computed":{"request":4,"key":"ccf-access-decision","rule":"ST 40(1)","#,
            r#""from":"4 months after 2026-09-05"}}"#,
        ),
    );
    let request = RequestState {
        title: "Revision".into(),
        request_type: Some(RequestType::Revision),
        language: "fr".into(),
        representative: Some(2),
        power_of_attorney: Some(5),
        identity_document: Some(1),
        data: DataConcerned {
            issuing_country: "RU".into(),
            instrument: NoticeType::RedNotice,
            references: vec!["A-1/2023".into()],
            dates: "issued 2022".into(),
        },
        facts: vec![7],
        grounds: vec![GroundArgument {
            ground: "refugee".into(),
            argument: "Status granted.".into(),
            evidence: vec![6],
        }],
        annexes: vec![Annex { evidence: 6, confidential: true }],
        revision: Some(Revision {
            revised_type: Some(RequestType::CorrectionDeletion),
            decision_reference: "CCF/2025/1".into(),
            decision_date: Some(day(2025, 6, 1)),
            new_fact: "A court refused extradition.".into(),
            discovered_on: Some(day(2025, 11, 25)),
            summary: "New ruling.".into(),
            why_unknown: "Given after the decision.".into(),
            why_decisive: "It finds the case political.".into(),
            late_reason: String::new(),
        }),
        confidentiality: "Do not share annex 1.".into(),
        signature_place: "Vilnius".into(),
        signature_date: Some(day(2026, 3, 1)),
        status: RequestStatus::SentToCounsel,
        ccf: CcfDates { received: Some(day(2026, 3, 5)), admissibility: None, decision: None },
        other_purposes: vec![RequestType::Access],
        applicant_kind: ApplicantKind::Minor,
        applicant_form: ApplicantForm::Feminine,
        identity_complete: true,
        identity_expiry: Some(day(2030, 1, 31)),
        entity_registration: None,
        entity_authority: None,
        minor_relationship: Some(8),
        signer: Signer::Representative,
    };
    pinned_json(
        &request,
        concat!(
            r#"{"title":"Revision","request_type":"revision","language":"fr","representative":2,"#,
            r#""power_of_attorney":5,"identity_document":1,"data":{"issuing_country":"RU","#,
            r#""instrument":"red_notice","references":["A-1/2023"],"dates":"issued 2022"},"facts":[7],"#,
            r#""grounds":[{"ground":"refugee","argument":"Status granted.","evidence":[6]}],"#,
            r#""annexes":[{"evidence":6,"confidential":true}],"#,
            r#""revision":{"revised_type":"correction_deletion","decision_reference":"CCF/2025/1","#,
            r#""decision_date":"2025-06-01","new_fact":"A court refused extradition.","#,
            r#""discovered_on":"2025-11-25","summary":"New ruling.","#,
            r#""why_unknown":"Given after the decision.","why_decisive":"It finds the case political."},"#,
            r#""confidentiality":"Do not share annex 1.","signature_place":"Vilnius","#,
            r#""signature_date":"2026-03-01","status":"sent_to_counsel","ccf":{"received":"2026-03-05","#,
            r#""admissibility":null,"decision":null},"other_purposes":["access"],"applicant_kind":"minor","#,
            r#""applicant_form":"feminine","identity_complete":true,"identity_expiry":"2030-01-31","#,
            r#""minor_relationship":8,"signer":"representative"}"#,
        ),
    );
    pinned_json(
        &DisclosureState {
            contact: None,
            contact_name: String::new(),
            items: vec![DisclosedItem {
                exhibit: 1,
                evidence: 6,
                title: "Ruling".into(),
                sha256: "cd".repeat(32),
            }],
            file_name: "bundle.pdf".into(),
            sha256: "ef".repeat(32),
            pages: 12,
            encrypted: true,
            at: "2026-11-28T14:05:09.250Z".parse().unwrap(),
        },
        concat!(
            r#"{"contact":null,"contact_name":"","items":[{"exhibit":1,"evidence":6,"title":"Ruling","#,
            r#""sha256":"cdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd"}],"#,
            r#""file_name":"bundle.pdf","#,
            r#""sha256":"efefefefefefefefefefefefefefefefefefefefefefefefefefefefefefefef","pages":12,"#,
            r#""encrypted":true,"at":"2026-11-28T14:05:09.250Z"}"#,
        ),
    );
}

/// The names an enum's values are stored under.
fn names<S: Serialize>(values: &[S]) -> Vec<String> {
    values.iter().map(|v| serde_json::to_value(v).unwrap().as_str().unwrap().to_owned()).collect()
}

#[test]
fn the_names_stored_for_kinds_and_choices_do_not_change() {
    let kinds = ["profile", "evidence", "event", "contact", "deadline", "request", "disclosure"];
    assert_eq!(Kind::ALL.map(Kind::name), kinds, "the audit chain's entity names");
    assert_eq!(names(&Kind::ALL), kinds, "a kind's stored name");
    assert_eq!(
        names(&[NoticeType::RedNotice, NoticeType::Diffusion, NoticeType::Unknown]),
        ["red_notice", "diffusion", "unknown"],
        "notice types"
    );
    assert_eq!(
        names(&[
            ContactRole::Lawyer,
            ContactRole::Translator,
            ContactRole::Ngo,
            ContactRole::Journalist,
            ContactRole::Family,
            ContactRole::Other
        ]),
        ["lawyer", "translator", "ngo", "journalist", "family", "other"],
        "contact roles"
    );
    assert_eq!(
        names(&[
            DeadlineKind::Ccf,
            DeadlineKind::Extradition,
            DeadlineKind::Asylum,
            DeadlineKind::Court,
            DeadlineKind::Other
        ]),
        ["ccf", "extradition", "asylum", "court", "other"],
        "deadline kinds"
    );
    assert_eq!(
        names(&[RequestType::Access, RequestType::CorrectionDeletion, RequestType::Revision]),
        ["access", "correction_deletion", "revision"],
        "request types"
    );
    assert_eq!(
        names(&[
            RequestStatus::Draft,
            RequestStatus::SentToCounsel,
            RequestStatus::Filed,
            RequestStatus::Decided
        ]),
        ["draft", "sent_to_counsel", "filed", "decided"],
        "request statuses"
    );
    assert_eq!(
        names(&[ApplicantKind::Person, ApplicantKind::Minor, ApplicantKind::Entity]),
        ["person", "minor", "entity"],
        "applicant kinds"
    );
    assert_eq!(
        names(&[ApplicantForm::Neutral, ApplicantForm::Feminine, ApplicantForm::Masculine]),
        ["neutral", "feminine", "masculine"],
        "applicant forms"
    );
    assert_eq!(
        names(&[Signer::Applicant, Signer::Representative]),
        ["applicant", "representative"],
        "signers"
    );
}

#[test]
fn shipped_migrations_are_never_edited() {
    // Found by name anywhere under core/src, so moving the folder keeps this test.
    const SHIPPED: [(&str, &str); 4] = [
        ("0001_journal.sql", "94ffe09db5efff1552f6a4c24bc979f4c8abd728a3111aefd5a1a3588d58759d"),
        ("0002_ccf_requests.sql", "5ed22fee1fc3c0bd645da6c49e15b15e5dd5567451f65acff1e98dbc639be7af"),
        ("0003_disclosures.sql", "29dd8cdeaf54ee62eaa501866eba056e41820aa64d0132b52447730eff6c0d90"),
        ("0004_search_secure_delete.sql", "4c91726fcd7fe8c5f3e19ab441ef954451b0826400e7922dc72c8fc5ffd1abe5"),
    ];
    let mut found = BTreeMap::new();
    let mut stack = vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("src")];
    while let Some(dir) = stack.pop() {
        for entry in fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if let Some(name) = path.file_name().and_then(|n| n.to_str()) {
                if SHIPPED.iter().any(|(shipped, _)| *shipped == name) {
                    let previous = found.insert(name.to_owned(), sha256_file(&path));
                    assert!(previous.is_none(), "migration {name} exists twice under core/src");
                }
            }
        }
    }
    for (name, digest) in SHIPPED {
        let Some(actual) = found.get(name) else {
            panic!("the shipped migration {name} is missing from core/src: migrations are never renamed or removed")
        };
        assert_eq!(actual, digest, "migration {name} has shipped: never edit it, add the next one instead");
    }
}
