//! The CCF admissibility checklist (`docs/ccf-reference.md` §2): blocking items and warnings for one request,
//! read from the request and the evidence it annexes, with the portal's reported limits as measured warnings. Not
//! a record of its own: it is computed on demand, and the draft (`ccf::draft::checklist`) measures the pages first.

use chrono::NaiveDate;
use serde::Serialize;

use super::requests::{
    in_working_language, revision_window, ApplicantKind, Signer, DRAFT_LANGUAGES, MAX_ANNEXES,
    MAX_ARGUMENT_PAGES, MAX_REVISION_SUMMARY_PAGES,
};
use super::translations::{item_language, language_name};
use crate::error::Result;
use crate::rules::RequestType;
use crate::store::Journal;

/// A key enum: serialized as snake_case, and `as_str()` gives the same text (a test checks it).
macro_rules! keys {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => $text:literal,)* }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
        #[ts(export)]
        #[serde(rename_all = "snake_case")]
        pub enum $name {
            $($variant,)*
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant,)*];

            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text,)*
                }
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.as_str() == *other
            }
        }
    };
}

keys! {
    /// The stable key of a checklist line, which a UI translates (its English is in `label` and `fix`).
    CheckKey {
        TypeChosen => "type_chosen",
        SeveralPurposes => "several_purposes",
        EntityDocuments => "entity_documents",
        IdentityAnnexed => "identity_annexed",
        IdentityComplete => "identity_complete",
        IdentityValid => "identity_valid",
        MinorDocuments => "minor_documents",
        PowerOfAttorneyAnnexed => "power_of_attorney_annexed",
        WorkingLanguage => "working_language",
        Reasons => "reasons",
        PlaceholdersFilled => "placeholders_filled",
        SupportingDocuments => "supporting_documents",
        UnverifiedCitations => "unverified_citations",
        NewFact => "new_fact",
        RevisedDecision => "revised_decision",
        RevisionWindow => "revision_window",
        AnnexTranslation => "annex_translation",
        AnnexAvailable => "annex_available",
        Signed => "signed",
    }
}

keys! {
    /// The stable key of a portal-limit warning.
    WarningKey {
        TooManyAnnexes => "too_many_annexes",
        ArgumentsTooLong => "arguments_too_long",
        RevisionSummaryTooLong => "revision_summary_too_long",
    }
}

/// Whether a missing checklist item stops the draft from being ready (§2: "blocking") or is only shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Blocking,
    Warning,
}

/// One line of the admissibility checklist.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct CheckItem {
    /// Stable key for translation, e.g. `identity_annexed`.
    pub key: CheckKey,
    pub passed: bool,
    pub severity: Severity,
    /// What it checks, in English.
    pub label: String,
    /// How to fix it when missing, in English.
    pub fix: String,
    /// For an item about one annex: its number and evidence item, for a UI to word the fix itself.
    #[ts(type = "number | null")]
    pub annex: Option<u32>,
    #[ts(type = "number | null")]
    pub evidence: Option<i64>,
    /// For an item about one ground: its id.
    pub ground: Option<String>,
    /// A date the item is about (the last day of the revision window, the identity document's expiry).
    pub date: Option<NaiveDate>,
    /// Passed only because counsel wrote a reason to override it (the revision window).
    pub overridden: bool,
}

/// A portal limit exceeded, with the measured value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct LimitWarning {
    pub key: WarningKey,
    pub measured: u32,
    pub limit: u32,
    pub message: String,
}

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct Checklist {
    pub items: Vec<CheckItem>,
    pub warnings: Vec<LimitWarning>,
}

impl Checklist {
    /// Every blocking item passed; warnings never hold a draft back.
    pub fn ready(&self) -> bool {
        self.items.iter().all(|i| i.passed || i.severity == Severity::Warning)
    }
}

fn item(key: CheckKey, passed: bool, label: &str, fix: String) -> CheckItem {
    CheckItem {
        key,
        passed,
        severity: Severity::Blocking,
        label: label.into(),
        fix: if passed { String::new() } else { fix },
        annex: None,
        evidence: None,
        ground: None,
        date: None,
        overridden: false,
    }
}

fn warning(key: CheckKey, passed: bool, label: &str, fix: String) -> CheckItem {
    CheckItem { severity: Severity::Warning, ..item(key, passed, label, fix) }
}

fn needs_reasons(t: Option<RequestType>) -> bool {
    matches!(t, Some(RequestType::CorrectionDeletion) | Some(RequestType::Revision))
}

impl Journal {
    /// The admissibility checklist of a request (reference §2): blocking items and warnings, with the portal
    /// limits as measured warnings. `argument_pages` is the measured length of the grounds section as laid out in
    /// the draft.
    pub fn checklist(&self, id: i64, argument_pages: u32, revision_summary_pages: u32) -> Result<Checklist> {
        let r = self.request(id)?.state;
        let annexed = |e: Option<i64>| e.is_some_and(|e| r.annexes.iter().any(|a| a.evidence == e));
        let live = |e: i64| self.evidence(e).is_ok_and(|i| !i.trashed);
        let ready_annex = |e: Option<i64>| annexed(e) && e.is_some_and(live);
        let mut items = vec![item(
            CheckKey::TypeChosen,
            r.request_type.is_some(),
            "The purpose of the request is stated (access, correction/deletion, or revision)",
            "Choose the purpose of this request".into(),
        )];
        if r.request_type.is_some() && !r.other_purposes.is_empty() {
            items.push(warning(
                CheckKey::SeveralPurposes,
                false,
                "Several purposes in one request: the CCF has admitted access with deletion together (CCF Decision \
                 No. 2 (2018)), but the 2026 portal is reported to take one purpose per submission",
                "Keep them together, or make one request per purpose if the portal refuses the combination".into(),
            ));
        }
        if r.applicant_kind == ApplicantKind::Entity {
            items.push(item(
                CheckKey::EntityDocuments,
                ready_annex(r.entity_registration) && ready_annex(r.entity_authority),
                "For an entity: an official document with its full name, date of incorporation or registration and \
                 registration number, and proof that the signatory may act for it, annexed",
                "Annex both documents and mark them in the applicant step".into(),
            ));
        } else {
            items.push(item(
                CheckKey::IdentityAnnexed,
                ready_annex(r.identity_document),
                "A copy of an official identity document (name, family name, date of birth, photo), annexed",
                "Add the passport or ID card scan as an annex and mark it as the identity document".into(),
            ));
            items.push(item(
                CheckKey::IdentityComplete,
                r.identity_complete,
                "The copy of the identity document is complete: nothing covered, erased or illegible",
                "Check that the scan shows every part of the document, then confirm it".into(),
            ));
            let expired = match (r.identity_expiry, r.signature_date) {
                (Some(expiry), Some(signed)) => expiry < signed,
                _ => false,
            };
            let mut valid = warning(
                CheckKey::IdentityValid,
                r.identity_expiry.is_some() && !expired,
                "The identity document is valid on the date of signature (an expired document is a reported cause \
                 of rejection)",
                match r.identity_expiry {
                    None => "Give the expiry date of the identity document".into(),
                    Some(d) => format!("The identity document expired on {d}: annex a valid one"),
                },
            );
            valid.date = r.identity_expiry;
            items.push(valid);
            if r.applicant_kind == ApplicantKind::Minor {
                items.push(item(
                    CheckKey::MinorDocuments,
                    ready_annex(r.minor_relationship),
                    "For a minor: a document proving the relationship with the minor, annexed (the minor's own \
                     identity document is the identity document)",
                    "Annex the birth certificate or guardianship decision and mark it in the applicant step".into(),
                ));
            }
        }
        if r.representative.is_some() {
            items.push(item(
                CheckKey::PowerOfAttorneyAnnexed,
                ready_annex(r.power_of_attorney),
                "A power of attorney signed by the applicant, authorising the representative to access any \
                 information about the applicant in INTERPOL's files",
                "Add the signed power of attorney as an annex and mark it as such".into(),
            ));
        }
        items.push(item(
            CheckKey::WorkingLanguage,
            DRAFT_LANGUAGES.contains(&r.language.as_str()),
            "Written in a working language of the CCF (English, French, Spanish or Arabic)",
            "Choose English, French, Spanish or Arabic as the language of the draft".into(),
        ));
        let purposes: Vec<RequestType> =
            r.request_type.into_iter().chain(r.other_purposes.iter().copied()).collect();
        if purposes.iter().any(|p| needs_reasons(Some(*p))) {
            let reasons = r.grounds.iter().any(|g| !g.argument.trim().is_empty());
            items.push(item(
                CheckKey::Reasons,
                reasons,
                "Reasons: at least one ground, with your argument",
                "Select a ground and write why it applies to your case, with dates, names and places".into(),
            ));
            let mut left: Vec<String> = Vec::new();
            for g in &r.grounds {
                for name in crate::rules::grounds::unfilled(&g.argument) {
                    if !left.contains(&name) {
                        left.push(name);
                    }
                }
            }
            items.push(item(
                CheckKey::PlaceholdersFilled,
                left.is_empty(),
                "Every blank of the ground templates is filled with your facts",
                format!("Replace these blanks in your arguments with your own facts: {}", left.join(", ")),
            ));
            let supported = r.grounds.iter().any(|g| !g.evidence.is_empty())
                || r.annexes
                    .iter()
                    .any(|a| ![r.identity_document, r.power_of_attorney].contains(&Some(a.evidence)));
            items.push(warning(
                CheckKey::SupportingDocuments,
                supported,
                "Supporting documents for the grounds besides the identity document and the power of attorney \
                 (their absence is a reported cause of rejection)",
                "Link the evidence that supports each ground (court rulings, asylum decision, proof of your work)".into(),
            ));
        }
        let library = crate::rules::grounds::library("en")?;
        let citations = crate::rules::grounds::ground_citations()?;
        for g in &r.grounds {
            let unverified = citations
                .get(&g.ground)
                .is_some_and(|c| c.iter().any(|c| c.status == crate::rules::CitationStatus::Check));
            if unverified {
                let title =
                    library.grounds.iter().find(|x| x.id == g.ground).map_or(g.ground.as_str(), |x| &x.title);
                let mut flagged = warning(
                    CheckKey::UnverifiedCitations,
                    false,
                    &format!(
                        "Ground '{title}': some of what it rests on is not verified against the official texts; the \
                         draft states it as a principle, never as an article number, and flags it in its notes for \
                         counsel"
                    ),
                    "Counsel checks these points against the official texts before filing".into(),
                );
                flagged.ground = Some(g.ground.clone());
                items.push(flagged);
            }
        }
        if r.request_type == Some(RequestType::Revision) {
            let rev = r.revision.clone().unwrap_or_default();
            items.push(item(
                CheckKey::NewFact,
                [&rev.new_fact, &rev.why_unknown, &rev.why_decisive].iter().all(|t| !t.trim().is_empty())
                    && rev.discovered_on.is_some(),
                "For a revision: the new fact, the date it was discovered, why it was not known before, and why it \
                 could have changed the decision (ST 42(1))",
                "Describe the new fact, give the date you discovered it, and say why it was not known before and \
                 why it could have changed the decision"
                    .into(),
            ));
            items.push(item(
                CheckKey::RevisedDecision,
                rev.revised_type.is_some()
                    && !rev.decision_reference.trim().is_empty()
                    && rev.decision_date.is_some(),
                "For a revision: the CCF decision it concerns (reference, date, and type of the original request)",
                "Give the reference and date of the CCF decision and the type of the request it decided".into(),
            ));
            if let Some((due, late)) = revision_window(&r) {
                let reason = !rev.late_reason.trim().is_empty();
                let mut window = item(
                    CheckKey::RevisionWindow,
                    !late || reason,
                    &format!(
                        "For a revision: filed within 6 months of the discovery of the new fact (ST 42(2)); the last \
                         day was {due}"
                    ),
                    format!(
                        "The 6-month window ended on {due}. The CCF may refuse a late application; if counsel files \
                         it nonetheless, write the reason in the revision step"
                    ),
                );
                window.date = Some(due);
                window.overridden = late && reason;
                items.push(window);
            }
        }
        // Numbered as the draft lists them: each annex followed by its linked translations into the draft's
        // language.
        let listed = self.listed_annexes(&r, &r.language)?;
        for (n, a) in listed.iter().enumerate() {
            let number = u32::try_from(n + 1).ok();
            match self.evidence(a.evidence) {
                Ok(e) if !e.trashed => {
                    let language = item_language(&e.state);
                    if in_working_language(language) == Some(false) && !a.translated {
                        let into = language_name(&r.language, "en");
                        let mut translate = warning(
                            CheckKey::AnnexTranslation,
                            false,
                            &format!(
                                "Annex {} is in a language that is not a working language of the CCF ({language}) \
                                 and has no linked translation into {into}",
                                n + 1,
                            ),
                            format!(
                                "Import a translation into {into} and link it to this item as its translation: \
                                 the draft annexes it right after"
                            ),
                        );
                        translate.annex = number;
                        translate.evidence = Some(a.evidence);
                        items.push(translate);
                    }
                }
                _ => {
                    let mut missing = item(
                        CheckKey::AnnexAvailable,
                        false,
                        "Every annex is in the journal",
                        format!(
                            "Annex {} (evidence item {}) is in the trash or was purged: restore it or remove it",
                            n + 1,
                            a.evidence
                        ),
                    );
                    missing.annex = number;
                    missing.evidence = Some(a.evidence);
                    items.push(missing);
                }
            }
        }
        let signer_named = r.signer == Signer::Applicant || r.representative.is_some();
        items.push(item(
            CheckKey::Signed,
            !r.signature_place.trim().is_empty() && r.signature_date.is_some() && signer_named,
            "Signed by the applicant or by the duly authorised representative, with place and date",
            if signer_named {
                "Give the place and date of signature (whoever signs signs the final version)".into()
            } else {
                "The representative is to sign, but none is chosen: choose the representative, or let the applicant \
                 sign"
                    .into()
            },
        ));
        let mut warnings = Vec::new();
        if listed.len() > MAX_ANNEXES {
            warnings.push(LimitWarning {
                key: WarningKey::TooManyAnnexes,
                measured: listed.len() as u32,
                limit: MAX_ANNEXES as u32,
                message: format!(
                    "{} annexes; the portal reportedly accepts at most {MAX_ANNEXES}",
                    listed.len()
                ),
            });
        }
        if argument_pages > MAX_ARGUMENT_PAGES {
            warnings.push(LimitWarning {
                key: WarningKey::ArgumentsTooLong,
                measured: argument_pages,
                limit: MAX_ARGUMENT_PAGES,
                message: format!("the arguments take {argument_pages} pages; the portal reportedly accepts at most {MAX_ARGUMENT_PAGES}"),
            });
        }
        if r.request_type == Some(RequestType::Revision)
            && revision_summary_pages > MAX_REVISION_SUMMARY_PAGES
        {
            warnings.push(LimitWarning {
                key: WarningKey::RevisionSummaryTooLong,
                measured: revision_summary_pages,
                limit: MAX_REVISION_SUMMARY_PAGES,
                message: format!(
                    "the revision summary takes {revision_summary_pages} pages; it should be at most {MAX_REVISION_SUMMARY_PAGES}"
                ),
            });
        }
        Ok(Checklist { items, warnings })
    }
}

#[cfg(test)]
mod tests {
    use super::{CheckKey, WarningKey};

    #[test]
    fn keys_serialize_as_their_text() {
        for k in CheckKey::ALL {
            assert_eq!(
                serde_json::to_string(k).unwrap(),
                format!("\"{}\"", k.as_str()),
                "the UI reads the text"
            );
        }
        for k in WarningKey::ALL {
            assert_eq!(
                serde_json::to_string(k).unwrap(),
                format!("\"{}\"", k.as_str()),
                "the UI reads the text"
            );
        }
    }
}
