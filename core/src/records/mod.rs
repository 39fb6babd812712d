//! The records (layer 3): one module per kind of record the person keeps (profile, evidence, chronology,
//! contacts, deadlines, CCF requests, the disclosure log), each adding its own `impl Journal` block over the
//! generic store, plus the CCF admissibility checklist. They import the store and the leaves, never the vault or
//! a document. Shared here: bringing a record back from the trash. The store keeps no search text for a trashed
//! record (its index row is erased, so trashed words are not findable), so a restore rebuilds it from the stored
//! state with the record's own module: the store knows no kinds.

pub mod checklist;
pub mod chronology;
pub mod contacts;
pub mod deadlines;
pub mod disclosures;
pub mod evidence;
pub mod overview;
pub mod profile;
pub mod requests;
pub mod translations;

use crate::error::{Error, Result};
use crate::store::{Indexed, Journal, Kind};

/// The search text of a record of `kind` from its stored state (JSON).
fn index_text(kind: Kind, state: &str) -> Result<Indexed> {
    let bad = |e: serde_json::Error| Error::Integrity(format!("stored state unreadable: {e}"));
    Ok(match kind {
        Kind::Profile => profile::indexed(&serde_json::from_str(state).map_err(bad)?),
        Kind::Evidence => evidence::indexed(&serde_json::from_str(state).map_err(bad)?),
        Kind::Event => chronology::indexed(&serde_json::from_str(state).map_err(bad)?),
        Kind::Contact => contacts::indexed(&serde_json::from_str(state).map_err(bad)?),
        Kind::Deadline => deadlines::indexed(&serde_json::from_str(state).map_err(bad)?),
        Kind::Request => requests::indexed(&serde_json::from_str(state).map_err(bad)?),
        Kind::Disclosure => disclosures::indexed(&serde_json::from_str(state).map_err(bad)?),
    })
}

impl Journal {
    /// Issue 14 §4's migration: countries and languages typed before they were kept as codes are stored as codes
    /// where they name one (`Russia` becomes `RU`), each changed record as a new version in its history; values
    /// that name none stay as typed. The app and the CLI run it at every unlock: it writes nothing once done, and
    /// an unlock it did not finish (each record is its own transaction) is finished by the next. Records in the
    /// trash keep their values until restored. Returns how many records changed.
    pub fn store_places_as_codes(&mut self) -> Result<usize> {
        let profile = usize::from(self.profile_places_as_codes()?);
        Ok(profile
            + self.contact_places_as_codes()?
            + self.request_places_as_codes()?
            + self.evidence_places_as_codes()?)
    }

    /// Brings a record back from the trash, in its lists and in search.
    pub fn restore(&mut self, kind: Kind, id: i64) -> Result<()> {
        self.restore_record(kind, id, &|state| index_text(kind, state))
    }
}

#[cfg(test)]
mod tests {
    //! Issue 14 §4's migration, on records stored as a release before it stored them: written here through the
    //! store's own record writer (with their audit entries), as that release's records module did.
    #![allow(clippy::unwrap_used, reason = "a test that fails should fail loudly")]

    use secrecy::SecretString;

    use super::contacts::{ContactInput, ContactState};
    use super::evidence::EvidenceMeta;
    use super::profile::{ProfileInput, ProfileState};
    use super::*;
    use crate::store::SystemClock;
    use crate::vault::{CreateOptions, KdfParams, Vault};

    fn vault(dir: &std::path::Path) -> Vault {
        let fast = CreateOptions { passphrase_kdf: KdfParams::THROWAWAY, recovery_kdf: KdfParams::THROWAWAY };
        let pass = SecretString::from("places migration test");
        Vault::create(&dir.join("v"), &pass, fast, Box::new(SystemClock)).unwrap().0
    }

    #[test]
    fn places_typed_before_codes_become_codes_once_and_the_rest_stays_as_typed() {
        let dir = tempfile::tempdir().unwrap();
        let mut v = vault(dir.path());
        let j = v.journal_mut();
        // Today's writers store codes...
        j.set_profile(&ProfileInput { name_latin: "Mikhail Orlov".into(), ..Default::default() }).unwrap();
        let c1 = j.add_contact(&ContactInput { name: "Claire".into(), ..Default::default() }).unwrap();
        let c2 = j.add_contact(&ContactInput { name: "Jonas".into(), ..Default::default() }).unwrap();
        let meta = EvidenceMeta { title: Some("Statement".into()), ..Default::default() };
        let e = j.import_reader("s.txt", 3, &mut &b"abc"[..], &meta, &mut |_| true).unwrap().id;
        // ...so the older release's free text is put back as it stored it.
        let old = ProfileState {
            name_latin: "Mikhail Orlov".into(),
            nationalities: vec!["Russia".into(), "Ruritania".into(), "RU".into()],
            current_country: "Литва".into(),
            issuing_country: "Russian Federation".into(),
            ..Default::default()
        };
        j.update_record(Kind::Profile, 1, &old, "", profile::indexed(&old)).unwrap();
        let mut claire = j.contact(c1).unwrap().state;
        claire.jurisdiction = "France; CCF".into();
        claire.languages = vec!["French".into(), "en".into(), "Klingon".into()];
        j.update_record(Kind::Contact, c1, &claire, "claire", contacts::indexed(&claire)).unwrap();
        let mut jonas: ContactState = j.contact(c2).unwrap().state;
        jonas.jurisdiction = "Lithuania".into();
        j.update_record(Kind::Contact, c2, &jonas, "jonas", contacts::indexed(&jonas)).unwrap();
        let mut item = j.evidence(e).unwrap().state;
        item.language = "Russian, English".into();
        j.save_evidence_state(e, &item).unwrap();
        let input =
            requests::RequestInput { title: "Deletion".into(), language: "en".into(), ..Default::default() };
        let r = j.add_request(&input).unwrap();
        let mut request = j.request(r).unwrap().state;
        request.data.issuing_country = "Российская Федерация".into();
        j.update_record(Kind::Request, r, &request, "deletion", requests::indexed(&request)).unwrap();
        let mut request2 = request.clone();
        request2.data.issuing_country = "Türkiye".into();
        let r2 = j.add_request(&input).unwrap();
        j.update_record(Kind::Request, r2, &request2, "deletion", requests::indexed(&request2)).unwrap();
        let versions = j.history(Kind::Profile, 1).unwrap().len();
        assert!(j.search("Lituanie", 10).unwrap().is_empty(), "free text is found only as typed");

        assert_eq!(
            j.store_places_as_codes().unwrap(),
            5,
            "the profile, two contacts, the item and one request changed"
        );
        assert_eq!(j.request(r).unwrap().state.data.issuing_country, "Российская Федерация", "not CLDR's");
        assert_eq!(j.request(r2).unwrap().state.data.issuing_country, "TR");
        let p = j.profile().unwrap().unwrap();
        assert_eq!(p.nationalities, ["RU", "Ruritania"], "a code typed twice is kept once");
        assert_eq!(p.current_country, "LT");
        assert_eq!(p.issuing_country, "Russian Federation", "not a CLDR name: kept as typed");
        assert_eq!(j.history(Kind::Profile, 1).unwrap().len(), versions + 1, "a new version in its history");
        let claire = j.contact(c1).unwrap().state;
        assert_eq!(claire.jurisdiction, "France; CCF");
        assert_eq!(claire.languages, ["fr", "en", "Klingon"]);
        assert_eq!(j.contact(c2).unwrap().state.jurisdiction, "LT");
        assert_eq!(j.evidence(e).unwrap().state.language, "ru, en");
        let hits = j.search("Lituanie", 10).unwrap();
        assert!(
            hits.iter().any(|h| h.kind == Kind::Contact && h.id == c2),
            "found by its French name: {hits:?}"
        );

        assert_eq!(j.store_places_as_codes().unwrap(), 0, "the second unlock writes nothing");
        let report = j.verify().unwrap();
        assert!(report.problems.is_empty(), "the chain and every state still verify: {:?}", report.problems);
    }

    #[test]
    fn todays_writers_store_codes() {
        let dir = tempfile::tempdir().unwrap();
        let mut v = vault(dir.path());
        let j = v.journal_mut();
        let input = ProfileInput {
            name_latin: "A".into(),
            nationalities: vec!["Россия".into(), "russie".into(), "Utopia".into()],
            current_country: "Türkiye".into(),
            issuing_country: "ru".into(),
            ..Default::default()
        };
        j.set_profile(&input).unwrap();
        let p = j.profile().unwrap().unwrap();
        assert_eq!(
            (p.nationalities, p.current_country, p.issuing_country),
            (vec!["RU".to_owned(), "Utopia".to_owned()], "TR".to_owned(), "RU".to_owned())
        );
        assert_eq!(j.store_places_as_codes().unwrap(), 0);
        // A translation's language is a code too; its name in a language Redress speaks is read as one.
        assert_eq!(translations::language_code("language", "английский").unwrap(), "en");
        assert!(translations::language_code("language", "engl1sh").is_err());
    }
}
