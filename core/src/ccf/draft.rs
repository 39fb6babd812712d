//! What a CCF draft says: the request's sections in the reference's order (`docs/ccf-reference.md` §3), in one of
//! the working languages, from the per-language templates in `assets/templates/`. The same content becomes the
//! PDF (blocks for `pdf::render`) and the paste-ready text for the portal's fields, so the two never disagree.
//! Annex PDFs are untrusted: their pages are counted in the isolated worker (`count_annex_pages`), never here.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use serde::Deserialize;

use crate::dates::{FuzzyDate, Qualifier};
use crate::error::{Error, Reason, Result};
use crate::isolate::Worker;
use crate::pdf::{self, Block, Document, Rendered};
use crate::places;
use crate::records::checklist::Checklist;
use crate::records::profile::NoticeType;
use crate::records::requests::{
    in_working_language, purpose_key, revision_window, ApplicantForm, RequestState, Signer, DRAFT_LANGUAGES,
};
use crate::records::translations::{item_language, language_name};
use crate::rules::RequestType;
use crate::store::Journal;

#[derive(Deserialize)]
struct Template {
    footer: String,
    page_label: String,
    notice: String,
    title: BTreeMap<String, String>,
    addressee: String,
    sections: BTreeMap<String, String>,
    labels: BTreeMap<String, String>,
    instrument: BTreeMap<String, String>,
    purpose: BTreeMap<String, String>,
    poa_annexed: String,
    poa_missing: String,
    not_represented: String,
    no_facts: String,
    annex_ref: String,
    confidentiality_intro: String,
    no_confidential: String,
    annex_header: Vec<String>,
    yes: String,
    no: String,
    hash_note: String,
    place_date: String,
    months: Vec<String>,
    date_format: String,
    /// How the first day of a month is written where it differs from "1" (French "1er").
    #[serde(default)]
    first_day: Option<String>,
    qualifiers: BTreeMap<String, String>,
    month_year: String,
    colon: String,
    confidential_mark: String,
    /// Defines the abbreviation of the RPD (French and Spanish "RTD") where a draft cites it.
    abbreviations: String,
    /// The signature block's name when the representative signs: `{name}` for `{applicant}`.
    signed_for: String,
    counsel_intro: String,
    counsel_none: String,
    /// `{due}`, `{citation}` (ST 42(2)) and `{reason}`.
    counsel_late: String,
    /// `{n}` and `{language}`.
    counsel_translation: String,
    /// An annex that translates another: `{language}` and `{n}` (the original's number).
    annex_translation: String,
    certified_mark: String,
}

/// The draft template in `language`, its wording resolved for the applicant's grammatical `form`.
fn template(language: &str, form: ApplicantForm) -> Result<Template> {
    let text = match language {
        "en" => include_str!("../../../assets/templates/en.json"),
        "fr" => include_str!("../../../assets/templates/fr.json"),
        "es" => include_str!("../../../assets/templates/es.json"),
        "ar" => include_str!("../../../assets/templates/ar.json"),
        other => {
            return Err(Error::invalid(
                "language",
                format!(
                    "'{}' is not a draft language (expected en, fr, es or ar)",
                    crate::text::shown(other)
                ),
            ))
        }
    };
    serde_json::from_str(&crate::rules::grounds::in_form(text, form))
        .map_err(|e| Error::Integrity(format!("the {language} draft template is damaged: {e}")))
}

impl Template {
    fn get<'a>(map: &'a BTreeMap<String, String>, key: &'a str) -> &'a str {
        map.get(key).map(String::as_str).unwrap_or(key)
    }
    fn label<'a>(&'a self, key: &'a str) -> &'a str {
        Self::get(&self.labels, key)
    }
    fn section<'a>(&'a self, key: &'a str) -> &'a str {
        Self::get(&self.sections, key)
    }
    fn day(&self, date: NaiveDate) -> String {
        let month = self.months.get(date.month0() as usize).cloned().unwrap_or_default();
        let day = match (&self.first_day, date.day()) {
            (Some(first), 1) => first.clone(),
            (_, d) => d.to_string(),
        };
        self.date_format
            .replace("{day}", &day)
            .replace("{month}", &month)
            .replace("{year}", &date.year().to_string())
    }
    fn fuzzy(&self, date: &FuzzyDate) -> String {
        let base = match (date.month, date.day) {
            (Some(m), Some(d)) => {
                NaiveDate::from_ymd_opt(date.year, m, d).map(|x| self.day(x)).unwrap_or_default()
            }
            (Some(m), None) => self
                .month_year
                .replace(
                    "{month}",
                    self.months.get(m.saturating_sub(1) as usize).map(String::as_str).unwrap_or(""),
                )
                .replace("{year}", &date.year.to_string()),
            _ => date.year.to_string(),
        };
        let key = match date.qualifier {
            Qualifier::On => return base,
            Qualifier::Before => "before",
            Qualifier::After => "after",
            Qualifier::About => "about",
        };
        Self::get(&self.qualifiers, key).replace("{date}", &base)
    }
}

/// One section of the draft as plain text, for pasting into the portal.
#[derive(Debug, Clone, serde::Serialize, ts_rs::TS)]
#[ts(export)]
pub struct Section {
    pub heading: String,
    pub text: String,
}

/// A request turned into a document: the blocks of the PDF and the same content as text per section.
#[derive(Debug, Clone)]
pub struct Draft {
    pub document: Document,
    pub sections: Vec<Section>,
    /// The grounds section alone, to measure its length against the portal's limit.
    pub argument_blocks: Vec<Block>,
    /// The revision summary alone (empty unless a revision).
    pub revision_blocks: Vec<Block>,
}

struct Builder {
    blocks: Vec<Block>,
    sections: Vec<Section>,
    current: Option<Section>,
}

impl Builder {
    fn heading(&mut self, text: &str) {
        if let Some(done) = self.current.take() {
            self.sections.push(done);
        }
        self.blocks.push(Block::Heading { text: text.into(), bookmark: true });
        self.current = Some(Section { heading: text.into(), text: String::new() });
    }
    fn text(&mut self, line: &str) {
        if let Some(s) = self.current.as_mut() {
            if !s.text.is_empty() {
                s.text.push('\n');
            }
            s.text.push_str(line);
        }
    }
    fn paragraph(&mut self, text: &str) {
        self.blocks.push(Block::Paragraph(text.into()));
        self.text(text);
        self.text("");
    }
    fn key_values(&mut self, rows: Vec<(String, String)>) {
        for (k, v) in &rows {
            self.text(&format!("{k} — {v}"));
        }
        self.text("");
        self.blocks.push(Block::KeyValue(rows));
    }
    fn finish(mut self) -> (Vec<Block>, Vec<Section>) {
        if let Some(done) = self.current.take() {
            self.sections.push(done);
        }
        for s in &mut self.sections {
            s.text = s.text.trim_end().to_owned();
        }
        (self.blocks, self.sections)
    }
}

fn type_key(t: RequestType) -> &'static str {
    purpose_key(t)
}

/// The page counts of a request's PDF annexes (by evidence id), counted in the worker by `count_annex_pages`.
#[derive(Debug, Clone, Default)]
pub struct AnnexPages(BTreeMap<i64, usize>);

/// Reaches the journal for one short step. The app's session implements it by taking its lock for each call, so
/// `count_annex_pages` holds that lock while it lists and reads annexes, never while a worker parses one (the
/// person can lock the vault meanwhile; the next step then fails as locked).
pub trait JournalAccess {
    type Error: From<Error>;
    fn with_journal<T>(&self, f: impl FnOnce(&Journal) -> Result<T>) -> std::result::Result<T, Self::Error>;
}

impl JournalAccess for Journal {
    type Error = Error;
    fn with_journal<T>(&self, f: impl FnOnce(&Journal) -> Result<T>) -> Result<T> {
        f(self)
    }
}

/// The largest annex PDF whose pages are counted; a larger one shows "?".
const MAX_COUNTED: u64 = 256 * 1024 * 1024;

/// Counts the pages of request `id`'s PDF annexes in `worker`, one at a time. A PDF that cannot be read, or that
/// the worker fails on (crash, memory or time limit), is left out and shows "?" in the draft.
pub fn count_annex_pages<A: JournalAccess>(
    access: &A,
    worker: &Worker,
    id: i64,
) -> std::result::Result<AnnexPages, A::Error> {
    let pdfs = access.with_journal(|journal| {
        let mut pdfs: Vec<(i64, u64)> = Vec::new();
        // The annexes and every translation linked to one (a draft in any language may list it).
        let mut ids: Vec<i64> = journal.request(id)?.state.annexes.iter().map(|a| a.evidence).collect();
        let linked = journal
            .list_evidence(false)?
            .into_iter()
            .filter(|i| i.state.translation.as_ref().is_some_and(|t| ids.contains(&t.original)));
        let linked: Vec<i64> = linked.map(|i| i.id).collect();
        ids.extend(linked);
        for evidence in ids {
            let Ok(item) = journal.evidence(evidence) else { continue };
            let fits = item.state.mime == "application/pdf" && item.state.size <= MAX_COUNTED;
            if fits && !pdfs.iter().any(|(e, _)| *e == evidence) {
                pdfs.push((evidence, item.state.size));
            }
        }
        Ok(pdfs)
    })?;
    let mut counter = worker.page_counter();
    let mut pages = AnnexPages::default();
    for (evidence, size) in pdfs {
        let bytes = access.with_journal(|journal| {
            Ok(journal.read_evidence_range(evidence, 0, size as usize).ok().map(zeroize::Zeroizing::new))
        })?;
        if let Some(Ok(n)) = bytes.map(|b| counter.count(&b)) {
            pages.0.insert(evidence, n);
        }
    }
    Ok(pages)
}

/// Pages of an annex: PDFs as counted by the worker ("?" if they were not), images one, other files none.
fn annex_pages(pages: &AnnexPages, id: i64, mime: &str) -> String {
    match mime {
        "application/pdf" => pages.0.get(&id).map_or_else(|| "?".into(), usize::to_string),
        m if m.starts_with("image/") => "1".into(),
        _ => "—".into(),
    }
}

/// Assembles request `id` as a draft in `language` (default: the request's own), its annexes' page counts from
/// `pages` (`count_annex_pages`).
pub fn assemble(journal: &Journal, id: i64, language: Option<&str>, pages: &AnnexPages) -> Result<Draft> {
    let request = journal.request(id)?;
    let r: &RequestState = &request.state;
    let language = language.unwrap_or(&r.language).to_lowercase();
    let t = template(&language, r.applicant_form)?;
    let Some(kind) = r.request_type else {
        return Err(Error::invalid_because(
            Reason::NoType,
            "request type",
            "choose access, correction/deletion or revision before making a draft",
        ));
    };
    let library = crate::rules::grounds::library_in(&language, r.applicant_form)?;
    let profile = journal.profile()?.unwrap_or_default();
    let title = Template::get(&t.title, type_key(kind)).to_owned();
    // Numbered as listed: each annex followed by its linked translations into the draft's language.
    let listed = journal.listed_annexes(r, &language)?;
    let annex_no = |evidence: i64| listed.iter().position(|a| a.evidence == evidence).map(|p| p + 1);
    let annex_list = |ids: &[i64]| -> String {
        ids.iter()
            .map(|e| match annex_no(*e) {
                Some(n) => t.annex_ref.replace("{n}", &n.to_string()),
                None => format!("#{e}"),
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut b = Builder { blocks: vec![Block::Title(title.clone())], sections: Vec::new(), current: None };
    b.blocks.push(Block::Paragraph(t.addressee.clone()));
    b.blocks.push(Block::Paragraph(t.notice.clone()));
    let purposes: Vec<RequestType> = std::iter::once(kind).chain(r.other_purposes.iter().copied()).collect();
    let cites_rpd = purposes.iter().any(|p| *p != RequestType::Revision)
        || r.grounds.iter().any(|g| {
            library.grounds.iter().any(|x| {
                x.id == g.ground
                    && x.citations.iter().any(|c| {
                        c.cited && c.place == crate::rules::citation::Place::Body && {
                            c.text.contains("RPD")
                                || c.text.contains("RTD")
                                || c.text.contains("نظام الإنتربول لمعاملة البيانات")
                        }
                    })
            })
        });
    // Arabic names the RPD in full each time and defines no abbreviation.
    if cites_rpd && !t.abbreviations.is_empty() {
        b.blocks.push(Block::Paragraph(t.abbreviations.clone()));
    }
    b.blocks.push(Block::Spacer(6.0));

    let mut revision_blocks = Vec::new();
    if kind == RequestType::Revision {
        let rev = r.revision.clone().unwrap_or_default();
        let start = b.blocks.len();
        b.heading(t.section("revision_summary"));
        let decision = match (rev.decision_reference.trim(), rev.decision_date) {
            ("", None) => t.label("not_known").to_owned(),
            (reference, Some(d)) => format!("{reference} ({})", t.day(d)),
            (reference, None) => reference.to_owned(),
        };
        b.key_values(vec![
            (t.label("decision_revised").into(), decision),
            (t.label("new_fact").into(), rev.new_fact.clone()),
            (
                t.label("discovered_on").into(),
                rev.discovered_on.map(|d| t.day(d)).unwrap_or_else(|| t.label("not_known").into()),
            ),
        ]);
        if !rev.summary.trim().is_empty() {
            b.paragraph(&rev.summary);
        }
        revision_blocks = b.blocks[start..].to_vec();
    }

    b.heading(t.section("applicant"));
    let mut rows = vec![(t.label("name_latin").to_owned(), profile.name_latin.clone())];
    if !profile.name_native.is_empty() {
        rows.push((t.label("name_native").into(), profile.name_native.clone()));
    }
    rows.push((
        t.label("date_of_birth").into(),
        profile.date_of_birth.map(|d| t.day(d)).unwrap_or_else(|| t.label("not_known").into()),
    ));
    // Countries are kept as codes and named in the draft's language (CLDR: « Russie », «روسيا»); a value that
    // names no country is printed as the person typed it.
    let country = |stored: &str| places::country_name(stored, &language);
    let comma = if language == "ar" { "، " } else { ", " };
    let nationalities: Vec<String> = profile.nationalities.iter().map(|n| country(n)).collect();
    rows.push((t.label("nationalities").into(), nationalities.join(comma)));
    rows.push((t.label("current_country").into(), country(&profile.current_country)));
    b.key_values(rows);

    b.heading(t.section("representative"));
    match r.representative.map(|c| journal.contact(c)).transpose()? {
        Some(c) => {
            let poa = match r.power_of_attorney.and_then(annex_no) {
                Some(n) => t.poa_annexed.replace("{n}", &n.to_string()),
                None => t.poa_missing.clone(),
            };
            b.key_values(vec![
                (t.label("representative").into(), c.state.name.clone()),
                (t.label("firm").into(), c.state.firm.clone()),
                (t.label("email").into(), c.state.email.clone()),
                (t.label("phone").into(), c.state.phone.clone()),
                (t.label("power_of_attorney").into(), poa),
            ]);
        }
        None => b.paragraph(&t.not_represented),
    }

    b.heading(t.section("request_type"));
    for purpose in &purposes {
        let citations = crate::rules::grounds::purpose_text(type_key(*purpose), &language)?;
        b.paragraph(&Template::get(&t.purpose, type_key(*purpose)).replace("{citations}", &citations));
    }

    b.heading(t.section("data"));
    let instrument = match r.data.instrument {
        NoticeType::RedNotice => "red_notice",
        NoticeType::Diffusion => "diffusion",
        NoticeType::Unknown => "unknown",
    };
    let or_unknown = |s: String| if s.trim().is_empty() { t.label("not_known").to_owned() } else { s };
    b.key_values(vec![
        (t.label("issuing_country").into(), or_unknown(country(&r.data.issuing_country))),
        (t.label("instrument").into(), Template::get(&t.instrument, instrument).to_owned()),
        (t.label("references").into(), or_unknown(r.data.references.join(", "))),
        (t.label("dates").into(), or_unknown(r.data.dates.clone())),
    ]);

    b.heading(t.section("facts"));
    if r.facts.is_empty() {
        b.paragraph(&t.no_facts);
    }
    let mut facts = Vec::new();
    for id in &r.facts {
        let e = journal.event(*id)?.state;
        let mut line = format!("{} — {}", t.fuzzy(&e.date), e.title);
        if !e.place.is_empty() {
            line.push_str(&format!(" ({})", e.place));
        }
        line.push('.');
        if !e.description.is_empty() {
            line.push(' ');
            line.push_str(&e.description);
        }
        let cited: Vec<i64> = e.evidence.iter().copied().filter(|x| annex_no(*x).is_some()).collect();
        if !cited.is_empty() {
            line.push_str(&format!(" [{}]", annex_list(&cited)));
        }
        facts.push(line);
    }
    if !facts.is_empty() {
        for (n, f) in facts.iter().enumerate() {
            b.text(&format!("{}. {f}", n + 1));
        }
        b.text("");
        b.blocks.push(Block::List(facts));
    }

    let grounds_start = b.blocks.len();
    b.heading(t.section("grounds"));
    for (n, g) in r.grounds.iter().enumerate() {
        let ground = library.grounds.iter().find(|x| x.id == g.ground);
        let name = ground.map(|x| x.title.clone()).unwrap_or_else(|| g.ground.clone());
        let heading = format!("6.{} {name}", n + 1);
        b.blocks.push(Block::Heading { text: heading.clone(), bookmark: false });
        b.text(&heading);
        // Only verified citations, then the principles the ground rests on (never an unverified number).
        for line in ground.map(|g| g.lines.as_slice()).unwrap_or_default() {
            b.paragraph(line);
        }
        if !g.argument.trim().is_empty() {
            b.paragraph(&g.argument);
        }
        if !g.evidence.is_empty() {
            b.paragraph(&format!("{}{}{}", t.label("supporting"), t.colon, annex_list(&g.evidence)));
        }
    }
    let argument_blocks = b.blocks[grounds_start..].to_vec();

    b.heading(t.section("confidentiality"));
    let confidential: Vec<usize> =
        listed.iter().enumerate().filter(|(_, a)| a.confidential).map(|(n, _)| n + 1).collect();
    if confidential.is_empty() && r.confidentiality.trim().is_empty() {
        b.paragraph(&t.no_confidential);
    } else {
        if !confidential.is_empty() {
            let list = confidential
                .iter()
                .map(|n| t.annex_ref.replace("{n}", &n.to_string()))
                .collect::<Vec<_>>()
                .join(", ");
            b.paragraph(&format!("{} {list}.", t.confidentiality_intro));
        }
        if !r.confidentiality.trim().is_empty() {
            b.paragraph(&r.confidentiality);
        }
    }

    b.heading(t.section("annexes"));
    let mut rows = Vec::new();
    for (n, a) in listed.iter().enumerate() {
        let item = journal.evidence(a.evidence)?;
        let s = &item.state;
        let translates = match (a.translates, &s.translation) {
            (Some(of), Some(link)) => {
                let mut line = t
                    .annex_translation
                    .replace("{language}", &language_name(&link.language, &language))
                    .replace("{n}", &of.to_string());
                if link.certified {
                    line = format!("{line} {}", t.certified_mark);
                }
                Some(line)
            }
            _ => None,
        };
        let date = s.doc_date.map(|d| t.fuzzy(&d)).unwrap_or_default();
        let pages = annex_pages(pages, a.evidence, &s.mime);
        let conf = if a.confidential { t.yes.clone() } else { t.no.clone() };
        let mut title = s.title.clone();
        if let Some(line) = &translates {
            title = format!("{title} — {line}");
        }
        b.text(&format!("{}. {} — {} — {} — SHA-256 {} — {}", n + 1, title, date, pages, s.sha256, conf));
        if a.confidential {
            title.push(' ');
            title.push_str(&t.confidential_mark);
        }
        // Four groups of 16 hex digits: a narrow column, and each group reads (and extracts) whole.
        let sha = s
            .sha256
            .as_bytes()
            .chunks(16)
            .map(|c| String::from_utf8_lossy(c).into_owned())
            .collect::<Vec<_>>()
            .join("\n");
        rows.push(vec![(n + 1).to_string(), title, date, pages, sha]);
    }
    if rows.is_empty() {
        b.paragraph(t.label("none"));
    } else {
        b.blocks.push(Block::Table {
            header: t.annex_header.clone(),
            rows,
            widths: vec![0.06, 0.37, 0.17, 0.12, 0.28],
        });
        b.paragraph(&t.hash_note);
    }

    b.heading(t.section("signature"));
    let place =
        if r.signature_place.trim().is_empty() { "…".to_owned() } else { r.signature_place.clone() };
    let date = r.signature_date.map(|d| t.day(d)).unwrap_or_else(|| "…".into());
    let place_date = t.place_date.replace("{place}", &place).replace("{date}", &date);
    let mut name = profile.name_latin.clone();
    if !profile.name_native.is_empty() {
        name.push_str(&format!(" ({})", profile.name_native));
    }
    // §2 item 5: the block names whoever actually signs.
    if r.signer == Signer::Representative {
        if let Some(c) = r.representative.map(|c| journal.contact(c)).transpose()? {
            name = t.signed_for.replace("{name}", &c.state.name).replace("{applicant}", &name);
        }
    }
    b.text(&place_date);
    b.text(&name);
    b.blocks.push(Block::Signature { place_date, name });

    // Notes for counsel, on a page of their own so that it can be removed before filing: what the draft does not
    // cite because the reference has not verified it, the grounds' cautions, and what the checklist flags.
    b.blocks.push(Block::PageBreak);
    b.heading(t.section("counsel_notes"));
    b.paragraph(&t.counsel_intro);
    let mut notes = Vec::new();
    for (n, g) in r.grounds.iter().enumerate() {
        if let Some(ground) = library.grounds.iter().find(|x| x.id == g.ground) {
            for note in &ground.counsel {
                notes.push(format!("6.{} {}{}{note}", n + 1, ground.title, t.colon));
            }
        }
    }
    if kind == RequestType::Revision {
        if let (Some((due, true)), Some(rev)) = (revision_window(r), r.revision.as_ref()) {
            let citation = crate::rules::grounds::purpose_citations("revision_window")?
                .iter()
                .filter_map(|c| c.render(&language))
                .collect::<Vec<_>>();
            let reason =
                if rev.late_reason.trim().is_empty() { "…".to_owned() } else { rev.late_reason.clone() };
            notes.push(
                t.counsel_late
                    .replace("{due}", &t.day(due))
                    .replace("{citation}", &crate::rules::citation::join(&language, &citation))
                    .replace("{reason}", &reason),
            );
        }
    }
    for (n, a) in listed.iter().enumerate() {
        let Ok(item) = journal.evidence(a.evidence) else { continue };
        let own = item_language(&item.state);
        if in_working_language(own) == Some(false) && !a.translated {
            notes.push(t.counsel_translation.replace("{n}", &(n + 1).to_string()).replace("{language}", own));
        }
    }
    if notes.is_empty() {
        b.paragraph(&t.counsel_none);
    } else {
        for (n, note) in notes.iter().enumerate() {
            b.text(&format!("{}. {note}", n + 1));
        }
        b.text("");
        b.blocks.push(Block::List(notes));
    }

    let (blocks, sections) = b.finish();
    let document = Document {
        title: format!("{title} — {}", profile.name_latin),
        language: language.clone(),
        author: profile.name_latin.clone(),
        subject: t.footer.clone(),
        footer: t.footer.clone(),
        page_label: t.page_label.clone(),
        page_labels: Vec::new(),
        label_samples: Vec::new(),
        blocks,
    };
    Ok(Draft { document, sections, argument_blocks, revision_blocks })
}

/// Renders request `id` as a PDF draft.
pub fn render(journal: &Journal, id: i64, language: Option<&str>, pages: &AnnexPages) -> Result<Rendered> {
    pdf::render(&assemble(journal, id, language, pages)?.document)
}

/// Writes a rendered draft to `target` atomically: a complete file replaces an existing one in one rename, or
/// nothing changes. A target in the vault's folder or through a symlink is refused.
pub fn save(vault: &crate::vault::Vault, rendered: &Rendered, target: &std::path::Path) -> Result<()> {
    crate::files::write(target, Some(vault.dir()), &rendered.bytes)
}

/// The admissibility checklist with the portal limits measured on the draft's own layout. Only the grounds and
/// the revision summary are measured, and they give no page counts, so no annex is read.
pub fn checklist(journal: &Journal, id: i64) -> Result<Checklist> {
    let state = journal.request(id)?.state;
    let (arguments, summary) = if state.request_type.is_some() {
        let draft = assemble(
            journal,
            id,
            Some(if DRAFT_LANGUAGES.contains(&state.language.as_str()) { &state.language } else { "en" }),
            &AnnexPages::default(),
        )?;
        let summary =
            if draft.revision_blocks.is_empty() { 0 } else { pdf::measure(&draft.revision_blocks)? };
        (pdf::measure(&draft.argument_blocks)?, summary)
    } else {
        (0, 0)
    };
    journal.checklist(id, arguments, summary)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "a test that fails should fail loudly")]

    use chrono::NaiveDate;

    #[test]
    fn french_writes_the_first_of_the_month_as_1er() {
        let fr = super::template("fr", super::ApplicantForm::Neutral).unwrap();
        assert_eq!(fr.day(NaiveDate::from_ymd_opt(2026, 12, 1).unwrap()), "1er décembre 2026");
        assert_eq!(fr.day(NaiveDate::from_ymd_opt(2026, 12, 2).unwrap()), "2 décembre 2026");
        let es = super::template("es", super::ApplicantForm::Neutral).unwrap();
        assert_eq!(es.day(NaiveDate::from_ymd_opt(2026, 12, 1).unwrap()), "1 de diciembre de 2026");
    }
}
