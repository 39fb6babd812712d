//! The fictional demo case: a profile with a Cyrillic name beside its transliteration, a dozen documents (PDFs,
//! images, a text file), a chronology, contacts and deadlines, built from `assets/demo/` (compiled in, so the app
//! and `redress-cli demo` need no files at run time). Deadlines are set relative to the day passed in. The case's
//! own words (titles, descriptions, notes) come in each language of the interface (`assets/demo/texts/`, issue 14
//! §5); the drafts it holds stay in their working languages.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use secrecy::SecretString;
use serde::Deserialize;

use crate::ccf::{Annex, ApplicantForm, GroundArgument, RequestInput, RequestStatus, RevisionInput, Signer};
use crate::error::{Error, Result};
use crate::records::chronology::EventInput;
use crate::records::contacts::ContactInput;
use crate::records::deadlines::{DeadlineInput, DeadlineKind};
use crate::records::evidence::EvidenceMeta;
use crate::records::profile::ProfileInput;
use crate::rules::RequestType;
use crate::vault::{CreateOptions, Vault};
use crate::SystemClock;

const MANIFEST: &str = include_str!("../../assets/demo/case.json");

const FILES: &[(&str, &[u8])] = &[
    ("passport.jpg", include_bytes!("../../assets/demo/passport.jpg")),
    ("case-opening.pdf", include_bytes!("../../assets/demo/case-opening.pdf")),
    ("arrest-warrant.pdf", include_bytes!("../../assets/demo/arrest-warrant.pdf")),
    ("newspaper-article.png", include_bytes!("../../assets/demo/newspaper-article.png")),
    ("protest-photo.jpg", include_bytes!("../../assets/demo/protest-photo.jpg")),
    ("witness-statement.txt", include_bytes!("../../assets/demo/witness-statement.txt")),
    ("asylum-decision.pdf", include_bytes!("../../assets/demo/asylum-decision.pdf")),
    ("extradition-refused.pdf", include_bytes!("../../assets/demo/extradition-refused.pdf")),
    ("bank-letter.png", include_bytes!("../../assets/demo/bank-letter.png")),
    ("power-of-attorney.pdf", include_bytes!("../../assets/demo/power-of-attorney.pdf")),
    ("ccf-acknowledgement.pdf", include_bytes!("../../assets/demo/ccf-acknowledgement.pdf")),
    ("contract-dispute.pdf", include_bytes!("../../assets/demo/contract-dispute.pdf")),
];

#[derive(Deserialize)]
struct Manifest {
    profile: ProfileInput,
    evidence: Vec<DemoEvidence>,
    events: Vec<DemoEvent>,
    contacts: Vec<ContactInput>,
    deadlines: Vec<DemoDeadline>,
    requests: Vec<DemoRequest>,
}

#[derive(Deserialize)]
struct DemoRequest {
    title: String,
    request_type: RequestType,
    language: String,
    representative: String,
    power_of_attorney: String,
    identity_document: String,
    facts: Vec<String>,
    grounds: Vec<DemoGround>,
    annexes: Vec<(String, bool)>,
    revision: Option<DemoRevision>,
    confidentiality: String,
    signature_place: String,
    signature_in_days: i64,
    status: RequestStatus,
    received_days_ago: Option<i64>,
    admissibility_days_ago: Option<i64>,
    #[serde(default)]
    other_purposes: Vec<RequestType>,
    #[serde(default)]
    applicant_form: ApplicantForm,
    #[serde(default)]
    identity_complete: bool,
    #[serde(default)]
    identity_expiry: String,
    #[serde(default)]
    signer: Signer,
}

#[derive(Deserialize)]
struct DemoGround {
    ground: String,
    argument: String,
    evidence: Vec<String>,
}

#[derive(Deserialize)]
struct DemoRevision {
    revised_type: RequestType,
    decision_reference: String,
    decision_date: String,
    new_fact: String,
    discovered_on: String,
    summary: String,
    #[serde(default)]
    why_unknown: String,
    #[serde(default)]
    why_decisive: String,
}

#[derive(Deserialize)]
struct DemoEvidence {
    file: String,
    title: String,
    doc_date: String,
    source: String,
    language: String,
    tags: Vec<String>,
    description: String,
}

#[derive(Deserialize)]
struct DemoEvent {
    date: String,
    title: String,
    place: String,
    description: String,
    evidence: Vec<String>,
}

#[derive(Deserialize)]
struct DemoDeadline {
    title: String,
    due_in_days: i64,
    kind: DeadlineKind,
    contact: Option<String>,
    reminders: Vec<u32>,
    notes: String,
}

/// The case's own words in a language of the interface, entry by entry in the manifest's order; a field left
/// out keeps the English.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Texts {
    language: String,
    evidence: Vec<FieldTexts>,
    events: Vec<FieldTexts>,
    contacts: Vec<FieldTexts>,
    deadlines: Vec<FieldTexts>,
    requests: Vec<FieldTexts>,
    /// Each English tag of the case's documents, in this language.
    tags: std::collections::BTreeMap<String, String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FieldTexts {
    title: Option<String>,
    source: Option<String>,
    description: Option<String>,
    place: Option<String>,
    jurisdiction: Option<String>,
    notes: Option<String>,
}

/// The languages the demo case speaks besides English.
fn texts(language: &str) -> Result<Option<Texts>> {
    let text = match language {
        "en" => return Ok(None),
        "ru" => include_str!("../../assets/demo/texts/ru.json"),
        "uk" => include_str!("../../assets/demo/texts/uk.json"),
        "tr" => include_str!("../../assets/demo/texts/tr.json"),
        "ar" => include_str!("../../assets/demo/texts/ar.json"),
        other => {
            return Err(Error::invalid(
                "language",
                format!(
                    "the demo case is not written in '{}'; expected en, ru, uk, tr or ar",
                    crate::text::shown(other)
                ),
            ))
        }
    };
    let texts: Texts =
        serde_json::from_str(text).map_err(|e| broken(&format!("its {language} words: {e}")))?;
    if texts.language != language {
        return Err(broken(&format!("its {language} words say they are in '{}'", texts.language)));
    }
    Ok(Some(texts))
}

/// Puts `texts` over the manifest's English, checking that each list has an entry for each of the manifest's.
fn translate(m: &mut Manifest, t: Texts) -> Result<()> {
    fn over<T>(
        what: &str,
        items: &mut [T],
        texts: Vec<FieldTexts>,
        mut set: impl FnMut(&mut T, FieldTexts),
    ) -> Result<()> {
        if items.len() != texts.len() {
            return Err(broken(&format!("{} {what} in its words, {} in the case", texts.len(), items.len())));
        }
        items.iter_mut().zip(texts).for_each(|(item, text)| set(item, text));
        Ok(())
    }
    fn put(field: &mut String, text: Option<String>) {
        if let Some(text) = text {
            *field = text;
        }
    }
    for e in &mut m.evidence {
        for tag in &mut e.tags {
            *tag =
                t.tags.get(tag.as_str()).cloned().ok_or_else(|| {
                    broken(&format!("the tag '{tag}' has no word in its {} words", t.language))
                })?;
        }
    }
    over("documents", &mut m.evidence, t.evidence, |e, t| {
        put(&mut e.title, t.title);
        put(&mut e.source, t.source);
        put(&mut e.description, t.description);
    })?;
    over("events", &mut m.events, t.events, |e, t| {
        put(&mut e.title, t.title);
        put(&mut e.place, t.place);
        put(&mut e.description, t.description);
    })?;
    over("contacts", &mut m.contacts, t.contacts, |c, t| {
        put(&mut c.jurisdiction, t.jurisdiction);
        put(&mut c.notes, t.notes);
    })?;
    over("deadlines", &mut m.deadlines, t.deadlines, |d, t| {
        put(&mut d.title, t.title);
        put(&mut d.notes, t.notes);
    })?;
    over("requests", &mut m.requests, t.requests, |r, t| put(&mut r.title, t.title))
}

fn broken(what: &str) -> Error {
    Error::Integrity(format!("the built-in demo case is inconsistent: {what}"))
}

/// Fills an empty vault with the demo case in English; `today` anchors the deadlines.
pub fn fill(vault: &mut Vault, today: NaiveDate) -> Result<()> {
    fill_in(vault, today, "en")
}

/// Fills an empty vault with the demo case, its own words in `language` (en, ru, uk, tr or ar).
pub fn fill_in(vault: &mut Vault, today: NaiveDate, language: &str) -> Result<()> {
    let mut manifest: Manifest = serde_json::from_str(MANIFEST).map_err(|e| broken(&e.to_string()))?;
    // A request's facts name the case's events by their English titles.
    let english_events: Vec<String> = manifest.events.iter().map(|e| e.title.clone()).collect();
    if let Some(texts) = texts(language)? {
        translate(&mut manifest, texts)?;
    }
    let j = vault.journal_mut();
    j.set_profile(&manifest.profile)?;
    let mut ids = std::collections::HashMap::new();
    for item in &manifest.evidence {
        let bytes =
            FILES.iter().find(|(n, _)| *n == item.file).map(|(_, b)| *b).ok_or_else(|| broken(&item.file))?;
        let meta = EvidenceMeta {
            title: Some(item.title.clone()),
            doc_date: item.doc_date.clone(),
            source: item.source.clone(),
            language: item.language.clone(),
            description: item.description.clone(),
            tags: item.tags.clone(),
        };
        let mut reader: &[u8] = bytes;
        let imported = j.import_reader(&item.file, bytes.len() as u64, &mut reader, &meta, &mut |_| true)?;
        ids.insert(item.file.clone(), imported.id);
    }
    let events: Vec<EventInput> = manifest
        .events
        .iter()
        .map(|e| {
            Ok(EventInput {
                date: e.date.clone(),
                title: e.title.clone(),
                place: e.place.clone(),
                description: e.description.clone(),
                evidence: e
                    .evidence
                    .iter()
                    .map(|f| ids.get(f).copied().ok_or_else(|| broken(f)))
                    .collect::<Result<_>>()?,
            })
        })
        .collect::<Result<_>>()?;
    let event_ids = j.add_events(&events)?;
    let event_by_title: std::collections::HashMap<&str, i64> =
        english_events.iter().map(String::as_str).zip(event_ids.iter().copied()).collect();
    let mut contacts = std::collections::HashMap::new();
    for c in &manifest.contacts {
        contacts.insert(c.name.clone(), j.add_contact(c)?);
    }
    for d in &manifest.deadlines {
        let due = chrono::TimeDelta::try_days(d.due_in_days)
            .and_then(|delta| today.checked_add_signed(delta))
            .ok_or_else(|| broken("deadline date"))?;
        let contact = match &d.contact {
            Some(name) => Some(*contacts.get(name).ok_or_else(|| broken(name))?),
            None => None,
        };
        j.add_deadline(&DeadlineInput {
            title: d.title.clone(),
            due: due.format("%Y-%m-%d").to_string(),
            kind: d.kind,
            contact,
            event: None,
            reminders: d.reminders.clone(),
            notes: d.notes.clone(),
        })?;
    }
    let day = |offset: Option<i64>| -> Result<String> {
        match offset {
            None => Ok(String::new()),
            Some(days) => chrono::TimeDelta::try_days(-days)
                .and_then(|delta| today.checked_add_signed(delta))
                .map(|d| d.format("%Y-%m-%d").to_string())
                .ok_or_else(|| broken("request date")),
        }
    };
    let evidence = |file: &str| ids.get(file).copied().ok_or_else(|| broken(file));
    for r in &manifest.requests {
        let input = RequestInput {
            title: r.title.clone(),
            request_type: Some(r.request_type),
            language: r.language.clone(),
            representative: Some(*contacts.get(&r.representative).ok_or_else(|| broken(&r.representative))?),
            power_of_attorney: Some(evidence(&r.power_of_attorney)?),
            identity_document: Some(evidence(&r.identity_document)?),
            data: crate::ccf::DataConcerned {
                issuing_country: manifest.profile.issuing_country.clone(),
                instrument: manifest.profile.notice_type,
                references: manifest.profile.references.clone(),
                dates: "2022".into(),
            },
            facts: r
                .facts
                .iter()
                .map(|t| event_by_title.get(t.as_str()).copied().ok_or_else(|| broken(t)))
                .collect::<Result<_>>()?,
            grounds: r
                .grounds
                .iter()
                .map(|g| {
                    Ok(GroundArgument {
                        ground: g.ground.clone(),
                        argument: g.argument.clone(),
                        evidence: g.evidence.iter().map(|f| evidence(f)).collect::<Result<_>>()?,
                    })
                })
                .collect::<Result<_>>()?,
            annexes: r
                .annexes
                .iter()
                .map(|(f, confidential)| Ok(Annex { evidence: evidence(f)?, confidential: *confidential }))
                .collect::<Result<_>>()?,
            revision: r.revision.as_ref().map(|v| RevisionInput {
                revised_type: Some(v.revised_type),
                decision_reference: v.decision_reference.clone(),
                decision_date: v.decision_date.clone(),
                new_fact: v.new_fact.clone(),
                discovered_on: v.discovered_on.clone(),
                summary: v.summary.clone(),
                why_unknown: v.why_unknown.clone(),
                why_decisive: v.why_decisive.clone(),
                late_reason: String::new(),
            }),
            confidentiality: r.confidentiality.clone(),
            signature_place: r.signature_place.clone(),
            signature_date: day(Some(-r.signature_in_days))?,
            status: r.status,
            received: day(r.received_days_ago)?,
            admissibility: day(r.admissibility_days_ago)?,
            decision: String::new(),
            other_purposes: r.other_purposes.clone(),
            applicant_kind: Default::default(),
            applicant_form: r.applicant_form,
            identity_complete: r.identity_complete,
            identity_expiry: r.identity_expiry.clone(),
            entity_registration: None,
            entity_authority: None,
            minor_relationship: None,
            signer: r.signer,
        };
        j.add_request(&input)?;
    }
    Ok(())
}

/// Creates the demo case as a new vault in `dir` with the given passphrase (for `redress-cli demo`).
pub fn create(dir: &Path, passphrase: &SecretString, today: NaiveDate) -> Result<Vault> {
    let (mut vault, _recovery) =
        Vault::create(dir, passphrase, CreateOptions::default(), Box::new(SystemClock))?;
    fill(&mut vault, today)?;
    Ok(vault)
}

/// Opens the demo case, its words in `language`, in a new temporary vault for the app's "Explore a demo case". The
/// data is fictional, so the vault uses a fast key derivation and a random passphrase nobody needs; the caller
/// removes the directory.
pub fn open_temporary(today: NaiveDate, language: &str) -> Result<(Vault, PathBuf)> {
    let mut random = [0u8; 16];
    crate::secret::random_bytes(&mut random)?;
    let dir = std::env::temp_dir().join(format!("redress-demo-{}", hex::encode(&random[..6])));
    let pass = SecretString::from(hex::encode(random));
    let result = Vault::create_throwaway(&dir, &pass, Box::new(SystemClock)).and_then(|(mut vault, _)| {
        fill_in(&mut vault, today, language)?;
        Ok(vault)
    });
    match result {
        Ok(vault) => Ok((vault, dir)),
        Err(e) => {
            let _ = std::fs::remove_dir_all(&dir);
            Err(e)
        }
    }
}

/// Removes demo vaults left in the temporary directory by an app that was killed before it could clean up.
/// Only directories this module names (`redress-demo-…`) holding a vault's files are touched.
pub fn remove_stale_temporary() {
    let Ok(entries) = std::fs::read_dir(std::env::temp_dir()) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        let is_demo =
            path.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with("redress-demo-"));
        if is_demo && path.join(crate::vault::SLOTS_FILE).exists() {
            let _ = std::fs::remove_dir_all(&path);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_case_fills_every_screen_and_verifies() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 28).unwrap();
        let (vault, dir) = open_temporary(today, "en").unwrap();
        let j = vault.journal();
        let profile = j.profile().unwrap().unwrap();
        assert_eq!(profile.name_native, "Михаил Андреевич Орлов");
        let items = j.list_evidence(false).unwrap();
        assert_eq!(items.len(), 12);
        for kind in ["application/pdf", "image/jpeg", "image/png", "text/plain"] {
            assert!(items.iter().any(|i| i.state.mime == kind), "the demo needs a {kind}");
        }
        assert!(j.list_events(false).unwrap().len() >= 10);
        assert_eq!(j.list_contacts(false).unwrap().len(), 4);
        let attention = j.deadlines_needing_attention(today).unwrap();
        assert!(attention.len() >= 2, "the demo shows an overdue and an upcoming deadline");
        let requests = j.list_requests(false).unwrap();
        let types: Vec<_> = requests.iter().filter_map(|r| r.state.request_type).collect();
        for t in [RequestType::Access, RequestType::CorrectionDeletion, RequestType::Revision] {
            assert!(types.contains(&t), "the demo holds a request of each type");
        }
        for r in &requests {
            let list = crate::ccf::draft::checklist(j, r.id).unwrap();
            let blocking: Vec<&str> = list
                .items
                .iter()
                .filter(|i| !i.passed && i.severity == crate::ccf::Severity::Blocking)
                .map(|i| i.key.as_str())
                .collect();
            // The demo's revision rests on a ruling found in November 2023: filed today it is out of ST 42(2)'s
            // 6-month window, and the checklist shows how that holds a draft back until counsel writes a reason.
            let expected: &[&str] =
                if r.state.request_type == Some(RequestType::Revision) { &["revision_window"] } else { &[] };
            assert_eq!(blocking, expected, "the demo's request '{}': {:?}", r.state.title, list.items);
        }
        let combined =
            requests.iter().find(|r| !r.state.other_purposes.is_empty()).expect("a combined request");
        let list = crate::ccf::draft::checklist(j, combined.id).unwrap();
        assert!(
            list.items
                .iter()
                .any(|i| i.key == "several_purposes" && i.severity == crate::ccf::Severity::Warning),
            "access with deletion in one request is a warning, not a failure"
        );
        assert!(j.verify().unwrap().ok());
        drop(vault);
        std::fs::remove_dir_all(dir).unwrap();
    }

    /// Issue 14 §5: the demo speaks the person's language. In each language of the interface every document,
    /// event, deadline and request is titled in that language's script, the notes too; the facts a request relies
    /// on are still its events; the drafts' own arguments stay in the draft's working language.
    #[test]
    fn issue_14_the_demo_case_speaks_each_language_of_the_interface() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 28).unwrap();
        let (english, dir) = open_temporary(today, "en").unwrap();
        let en = english.journal();
        let by_id = |mut r: Vec<crate::records::requests::Request>| {
            r.sort_by_key(|r| r.id);
            r
        };
        let en_requests = by_id(en.list_requests(false).unwrap());
        let en_deadlines = en.list_deadlines(false).unwrap();
        let tags_of = |j: &crate::store::Journal| -> Vec<Vec<String>> {
            let mut items = j.list_evidence(false).unwrap();
            items.sort_by_key(|i| i.id);
            items.into_iter().map(|i| i.state.tags).collect()
        };
        let en_tags = tags_of(en);
        assert!(en_tags.iter().flatten().count() > 10, "the case's documents are tagged");
        std::fs::remove_dir_all(&dir).unwrap();
        for language in ["ru", "uk", "tr", "ar"] {
            let script = |text: &str| {
                text.chars().any(|c| match language {
                    "ru" | "uk" => ('\u{0400}'..='\u{04FF}').contains(&c),
                    "ar" => ('\u{0600}'..='\u{06FF}').contains(&c),
                    _ => "çğıöşüÇĞİÖŞÜ".contains(c),
                })
            };
            let (vault, dir) = open_temporary(today, language).unwrap();
            let j = vault.journal();
            let titles: Vec<String> = j
                .list_evidence(false)
                .unwrap()
                .into_iter()
                .map(|i| i.state.title)
                .chain(j.list_events(false).unwrap().into_iter().map(|e| e.state.title))
                .chain(j.list_deadlines(false).unwrap().into_iter().map(|d| d.state.title))
                .chain(j.list_requests(false).unwrap().into_iter().map(|r| r.state.title))
                .collect();
            let foreign: Vec<&String> = titles.iter().filter(|t| !script(t)).collect();
            assert!(foreign.len() <= 2, "{language}: titles not in the language's script: {foreign:?}");
            for (r, e) in by_id(j.list_requests(false).unwrap()).iter().zip(&en_requests) {
                assert_ne!(r.state.title, e.state.title, "{language}: the request's own title");
                assert_eq!(r.state.language, e.state.language, "{language}: the draft language stays");
                assert_eq!(
                    r.state.facts.len(),
                    e.state.facts.len(),
                    "{language}: the facts are still the events"
                );
                let args = |x: &crate::records::requests::Request| {
                    x.state.grounds.iter().map(|g| g.argument.clone()).collect::<Vec<_>>()
                };
                assert_eq!(
                    args(r),
                    args(e),
                    "{language}: the draft's arguments stay in its working language"
                );
            }
            // The documents' tags in the language too, each item with as many as in English.
            let tags = tags_of(j);
            assert_eq!(
                tags.iter().map(Vec::len).collect::<Vec<_>>(),
                en_tags.iter().map(Vec::len).collect::<Vec<_>>()
            );
            let english: Vec<&String> =
                tags.iter().flatten().filter(|t| en_tags.iter().flatten().any(|e| e == *t)).collect();
            assert!(english.is_empty(), "{language}: tags left in English: {english:?}");
            assert_eq!(j.list_deadlines(false).unwrap().len(), en_deadlines.len());
            assert!(j.verify().unwrap().ok());
            drop(vault);
            std::fs::remove_dir_all(dir).unwrap();
        }
        let e = open_temporary(today, "fr").unwrap_err().to_string();
        assert!(e.contains("expected en, ru, uk, tr or ar"), "{e}");
    }
}
