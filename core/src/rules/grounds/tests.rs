//! Tests of the grounds library: every ground in every language and form, its citations against the reference,
//! and the template syntax (grammatical forms, citations, placeholders).

use std::collections::BTreeSet;

use super::*;
use crate::rules::citation::Cite;

const REFERENCE: &str = include_str!("../../../../docs/ccf-reference.md");
const LANGUAGES: [&str; 4] = ["en", "fr", "es", "ar"];
const FORMS: [ApplicantForm; 3] = [ApplicantForm::Neutral, ApplicantForm::Feminine, ApplicantForm::Masculine];

/// A tag of the reference's legend: `[V·S13]`, `[V·S28, S29]`, `[check]`, `[reported]`, `[reported, S36]`.
#[derive(Debug, Clone, PartialEq)]
struct Tag {
    status: CitationStatus,
    sources: Vec<String>,
}

/// A stretch of a table cell up to the tag that closes it (none for words after the cell's last tag).
#[derive(Debug)]
struct Piece {
    text: String,
    tag: Option<Tag>,
}

fn tag(inside: &str) -> Option<Tag> {
    let list = |s: &str| s.split(", ").map(|x| x.trim().to_string()).filter(|x| !x.is_empty()).collect();
    if let Some(rest) = inside.strip_prefix("V·") {
        Some(Tag { status: CitationStatus::Verified, sources: list(rest) })
    } else if inside == "check" {
        Some(Tag { status: CitationStatus::Check, sources: Vec::new() })
    } else {
        let rest = inside.strip_prefix("reported")?;
        Some(Tag { status: CitationStatus::Reported, sources: list(rest.trim_start_matches(',')) })
    }
}

/// A cell cut at its tags: "Const. 3 [V·S13]; RPD 11 [check]" gives "Const. 3" (V·S13), "RPD 11" (check).
fn pieces(cell: &str) -> Vec<Piece> {
    let trim = |s: &str| s.trim_start_matches(|c: char| " ;,)".contains(c)).trim_end().to_string();
    let mut out = Vec::new();
    let (mut from, mut at) = (0, 0);
    while let Some(open) = cell[at..].find('[').map(|i| i + at) {
        let Some(close) = cell[open..].find(']').map(|i| i + open) else { break };
        if let Some(t) = tag(&cell[open + 1..close]) {
            out.push(Piece { text: trim(&cell[from..open]), tag: Some(t) });
            from = close + 1;
        }
        at = close + 1;
    }
    let rest = trim(&cell[from..]);
    if !rest.is_empty() {
        out.push(Piece { text: rest, tag: None });
    }
    out
}

fn section(n: u32) -> &'static str {
    let start = REFERENCE.find(&format!("\n## {n}.")).expect("the reference has the section");
    let body = &REFERENCE[start + 1..];
    let end = body[1..].find("\n## ").map_or(body.len(), |i| i + 1);
    &body[..end]
}

/// A table's rows as their cells, header and separator left out.
fn rows(n: u32) -> Vec<Vec<&'static str>> {
    section(n)
        .lines()
        .filter(|l| l.starts_with('|'))
        .map(|l| {
            let cells: Vec<&str> = l.split('|').map(str::trim).collect();
            cells[1..cells.len() - 1].to_vec()
        })
        .filter(|cells| !cells[0].starts_with("---") && cells[0] != "id" && cells[0] != "type")
        .collect()
}

/// §4's row for `id`: [id, ground, citations, notes].
fn row(id: &str) -> Vec<&'static str> {
    rows(4).into_iter().find(|r| r[0] == id).unwrap_or_else(|| panic!("§4 has no row '{id}'"))
}

fn sources_listed() -> BTreeSet<String> {
    REFERENCE[REFERENCE.find("\n## Sources").expect("a source list")..]
        .lines()
        .filter_map(|l| l.strip_prefix("- S"))
        .filter_map(|l| l.split_whitespace().next())
        .map(|n| format!("S{n}"))
        .collect()
}

fn all() -> Vec<Library> {
    LANGUAGES.iter().map(|l| library(l).unwrap_or_else(|e| panic!("library '{l}': {e}"))).collect()
}

/// The parts of a number that its `from` must show: "83(2)(b)(i)" → 83, (2), (b), (i); "97-100" → 97, 100.
fn number_parts(number: &str) -> Vec<String> {
    let base_end = number.find('(').unwrap_or(number.len());
    let mut parts: Vec<String> =
        number[..base_end].split('-').filter(|p| !p.is_empty()).map(str::to_string).collect();
    let mut rest = &number[base_end..];
    while let Some(open) = rest.find('(') {
        let Some(close) = rest[open..].find(')').map(|i| i + open) else { break };
        parts.push(rest[open..=close].to_string());
        rest = &rest[close + 1..];
    }
    parts
}

/// Where in `cells` the words `from` stand, with the text of their cell up to them (for the abbreviation).
fn places<'a>(cells: &[&'a str], from: &str) -> Vec<(&'a str, Piece)> {
    let mut out = Vec::new();
    for cell in cells {
        for piece in pieces(cell) {
            if piece.text.contains(from) {
                let before = cell.find(from).map_or(*cell, |i| &cell[..i + from.len()]);
                out.push((before, piece));
            }
        }
    }
    out
}

/// Checks that `c` stands for words of `cells` whose tag gives its status and sources (or, for "(see X)",
/// that ground's same citation), and that the words show its number and instrument.
fn check_against(c: &Citation, cells: &[&str], what: &str, listed: &BTreeSet<String>) {
    let found = places(cells, &c.from);
    assert!(!found.is_empty(), "{what}: '{}' is not words of the reference's row {cells:?}", c.from);
    let own_tag = Tag { status: c.status, sources: c.sources.clone() };
    let matches = found.iter().any(|(_, piece)| match &piece.tag {
        Some(t) => {
            t.status == own_tag.status
                && own_tag.sources.iter().all(|s| t.sources.contains(s))
                && own_tag.sources.is_empty() == t.sources.is_empty()
        }
        None => piece
            .text
            .split("(see ")
            .nth(1)
            .and_then(|r| r.split(')').next())
            .and_then(|other| neutral().ok()?.grounds.remove(other))
            .is_some_and(|others| {
                others.iter().any(|o| o.cite == c.cite && o.status == c.status && o.sources == c.sources)
            }),
    });
    assert!(
        matches,
        "{what}: citation '{}' is tagged {:?} {:?}, but the reference tags '{}' otherwise: {:?}",
        c.id,
        c.status,
        c.sources,
        c.from,
        found.iter().map(|(_, p)| &p.tag).collect::<Vec<_>>()
    );
    for s in &c.sources {
        assert!(listed.contains(s), "{what}: source {s} is not in the reference's list of sources");
    }
    for part in c.cite.key().iter().flat_map(|k| match &c.cite {
        Cite::Article { .. } | Cite::Paragraph { .. } => number_parts(k),
        _ => vec![k.clone()],
    }) {
        assert!(c.from.contains(&part), "{what}: '{}' does not show '{part}' of citation '{}'", c.from, c.id);
    }
    if let Some(instrument) = c.cite.instrument() {
        let abbreviation = instrument.abbreviation();
        assert!(
            found.iter().any(|(before, _)| before.contains(abbreviation)),
            "{what}: '{}' is cited as {abbreviation}, which the reference does not name there",
            c.from
        );
    }
}

#[test]
fn each_language_has_every_ground_of_section_4_in_order() {
    let table_ids: Vec<&str> = rows(4).into_iter().map(|r| r[0]).collect();
    assert_eq!(table_ids, GROUND_IDS, "the library's ids must be those of §4, in its order");
    let neutral = neutral().unwrap();
    let cited: Vec<&str> = neutral.grounds.keys().map(String::as_str).collect();
    let mut sorted = table_ids.clone();
    sorted.sort_unstable();
    assert_eq!(cited, sorted, "citations.json must have an entry for each ground of §4 and no other");
    for (lib, language) in all().iter().zip(LANGUAGES) {
        assert_eq!(lib.language, language, "the file compiled in for '{language}' must say so");
        let ids: Vec<&str> = lib.grounds.iter().map(|g| g.id.as_str()).collect();
        assert_eq!(ids, table_ids, "library '{language}' must have every ground of §4, in its order");
        for g in &lib.grounds {
            for (field, value) in [("title", &g.title), ("summary", &g.summary), ("template", &g.template)] {
                assert!(!value.trim().is_empty(), "{language} {}: {field} must not be empty", g.id);
            }
            assert!(!g.citations.is_empty(), "{language} {}: a ground without citations", g.id);
            assert!(!g.evidence.is_empty(), "{language} {}: a ground without evidence hints", g.id);
        }
    }
}

/// Issue 10: every citation is the reference's own, with the status and sources its tag gives.
#[test]
fn every_citation_stands_for_words_of_its_row_with_their_status_and_sources() {
    let listed = sources_listed();
    assert!(listed.contains("S75"), "the reference's source list was read");
    for (id, citations) in neutral().unwrap().grounds {
        let r = row(&id);
        let mut ids = BTreeSet::new();
        for c in &citations {
            assert!(ids.insert(&c.id), "{id}: citation id '{}' twice", c.id);
            check_against(c, &r[1..], &id, &listed);
        }
    }
}

/// Issue 10: nothing §4 cites for a ground, with a tag, is left out of the library.
#[test]
fn nothing_the_reference_tags_for_a_ground_is_left_out() {
    for (id, citations) in neutral().unwrap().grounds {
        for cell in &row(&id)[1..] {
            for piece in pieces(cell) {
                let tagged = piece.tag.is_some() || piece.text.contains("(see ");
                if tagged {
                    assert!(
                        citations.iter().any(|c| piece.text.contains(&c.from)),
                        "{id}: the reference cites '{}' ({:?}) for this ground but the library leaves it out",
                        piece.text,
                        piece.tag
                    );
                }
            }
        }
    }
}

#[test]
fn the_purposes_cite_section_1_with_its_tags() {
    let listed = sources_listed();
    let cells: Vec<&str> = rows(1).into_iter().flat_map(|r| r.into_iter().skip(1)).collect();
    for purpose in ["access", "correction_deletion", "revision", "revision_window"] {
        let citations = purpose_citations(purpose).unwrap();
        assert!(!citations.is_empty());
        for c in &citations {
            assert_eq!(c.status, CitationStatus::Verified, "{purpose}: a purpose prints its citations");
            check_against(c, &cells, purpose, &listed);
        }
    }
    assert_eq!(
        purpose_text("access", "fr").unwrap(),
        "art. 29 du Statut de la CCF ; art. 18 du RTD ; art. 3(1)(c) du Statut de la CCF"
    );
    assert_eq!(purpose_text("revision", "es").unwrap(), "art. 42(1) del Estatuto de la CCF");
}

/// Issue 10: a [check] citation prints in no language as a number, neither in the lines a draft prints, nor
/// in the counsel notes, nor in a template: only its principle.
#[test]
fn no_unverified_citation_is_written_as_a_number_in_any_language() {
    let neutral = neutral().unwrap();
    for form in FORMS {
        for language in LANGUAGES {
            for g in library_in(language, form).unwrap().grounds {
                let printed = [g.lines.join("\n"), g.counsel.join("\n"), g.template.clone()].join("\n");
                for c in &neutral.grounds[&g.id] {
                    if c.status == CitationStatus::Verified {
                        continue;
                    }
                    for lang in LANGUAGES {
                        if let Some(number) = c.cite.written(lang) {
                            assert!(
                                !whole(&printed, &number),
                                "{language} {}: unverified '{number}' is printed:\n{printed}",
                                g.id
                            );
                        }
                    }
                    if let (Some(i), [first, ..]) = (c.cite.instrument(), c.cite.key().as_slice()) {
                        let short = format!("{} {first}", i.abbreviation());
                        assert!(!whole(&printed, &short), "{language} {}: '{short}' is printed", g.id);
                    }
                    let shown = g.citations.iter().find(|r| r.id == c.id).expect("each citation is shown");
                    assert!(!shown.cited, "{language} {}: '{}' is not verified, so not cited", g.id, c.id);
                    assert!(
                        g.counsel.iter().any(|n| n.contains(&shown.text))
                            || c.status == CitationStatus::Reported,
                        "{language} {}: unverified '{}' must be flagged for counsel",
                        g.id,
                        c.id
                    );
                }
            }
        }
    }
}

/// `needle` in `text` as a whole citation: not the start of a longer one ("art. 83(2)" in "art. 83(2)(b)(i)").
fn whole(text: &str, needle: &str) -> bool {
    text.match_indices(needle).any(|(i, _)| {
        !text[i + needle.len()..].starts_with(|c: char| c == '(' || c == '-' || c.is_ascii_digit())
    })
}

#[test]
fn every_verified_citation_is_printed_where_its_place_says() {
    for lib in all() {
        for g in &lib.grounds {
            for c in g.citations.iter().filter(|c| c.cited) {
                let (list, place) = match c.place {
                    Place::Body => (&g.lines, "the ground's lines"),
                    Place::Counsel => (&g.counsel, "the counsel notes"),
                };
                assert!(
                    list.iter().any(|l| l.contains(&c.text)),
                    "{} {}: '{}' must be printed in {place}",
                    lib.language,
                    g.id,
                    c.text
                );
            }
        }
    }
}

/// Issue 10 (review E3): French and Spanish drafts cite in their own language, in §7's forms, with none of the
/// library's English words or abbreviations.
#[test]
fn french_and_spanish_grounds_hold_no_english_and_cite_in_section_7_forms() {
    const ENGLISH: [&str; 15] = [
        "spirit",
        "taints",
        "RoP",
        "RPD",
        "Const.",
        "Decision No.",
        "CCF practice",
        "Article ",
        "Rules",
        "refugee",
        "Statute",
        "Repository",
        "resolution ",
        "ST ",
        "UDHR",
    ];
    for lib in all().into_iter().skip(1) {
        for g in &lib.grounds {
            let mut texts = vec![g.title.clone(), g.summary.clone(), g.template.clone()];
            texts.extend(g.lines.iter().chain(&g.counsel).chain(&g.evidence).cloned());
            texts.extend(g.citations.iter().map(|c| c.text.clone()));
            for text in &texts {
                for word in ENGLISH {
                    assert!(
                        !text.contains(word),
                        "{} {}: English '{word}' in \"{text}\"",
                        lib.language,
                        g.id
                    );
                }
                // "para" is a Spanish word; as an abbreviation before a number it is the English one.
                let para = text.match_indices("para ").any(|(i, _)| {
                    lib.language == "fr"
                        || text[i + 5..].starts_with(|c: char| c.is_ascii_digit() || c == '(')
                });
                assert!(!para, "{} {}: 'para' as an abbreviation in \"{text}\"", lib.language, g.id);
                assert!(
                    !text.contains("{{g:") && !text.contains("{{cite:"),
                    "{}: unresolved in {text}",
                    g.id
                );
            }
        }
    }
    let fr = library("fr").unwrap();
    let political = &fr.grounds[0];
    assert_eq!(
        political.lines[0],
        "Règles : art. 3 du Statut d'INTERPOL ; art. 34 du RTD ; résolution AGN/20/RES/11 (1951) ; \
         résolution AGN/53/RES/7 (1984) ; Recueil de pratiques (2024)."
    );
    let es = library("es").unwrap();
    let family = es.grounds.iter().find(|g| g.id == "family").unwrap();
    assert_eq!(family.lines, ["Normas: art. 83(1)(a)(i) del RTD; decisión de la CCF n.º 16 (2017)."]);
    let en = library("en").unwrap();
    let threshold = en.grounds.iter().find(|g| g.id == "threshold").unwrap();
    assert_eq!(threshold.lines, ["Rules: Article 83(1)(a)(ii) RPD."]);
    let limitation = en.grounds.iter().find(|g| g.id == "limitation").unwrap();
    assert_eq!(
        limitation.lines,
        ["CCF practice: the data must remain accurate and be supported by a valid arrest warrant."],
        "a ground resting only on [check] citations prints its principle, no number"
    );
}

/// Issue 10: every template frames the ground as the CCF does, on the processing of the data.
#[test]
fn every_template_frames_the_processing_of_the_data() {
    let framing = [
        ("en", "processing of the data"),
        ("fr", "traitement des données"),
        ("es", "tratamiento de los datos"),
    ];
    for (lib, (language, words)) in all().iter().zip(framing) {
        assert_eq!(lib.language, language);
        for g in &lib.grounds {
            if g.id == "revision-new-fact" {
                continue;
            }
            assert!(g.template.contains(words), "{language} {}: the template must say '{words}'", g.id);
        }
    }
}

/// Issue 10 (review E10): French and Spanish templates in the applicant's form; the neutral one never assumes.
#[test]
fn templates_follow_the_applicants_form_and_the_neutral_one_assumes_none() {
    let forbidden: [(&str, ApplicantForm, &[&str]); 6] = [
        (
            "fr",
            ApplicantForm::Neutral,
            &[
                "le requérant",
                "Le requérant",
                "la requérante",
                "La requérante",
                "du requérant",
                "au requérant",
            ],
        ),
        ("fr", ApplicantForm::Masculine, &["requérante"]),
        (
            "fr",
            ApplicantForm::Feminine,
            &["le requérant", "Le requérant", "du requérant", "partie requérante"],
        ),
        (
            "es",
            ApplicantForm::Neutral,
            &["el solicitante", "El solicitante", "la solicitante", "La solicitante"],
        ),
        ("es", ApplicantForm::Masculine, &["la solicitante", "La solicitante", "persona solicitante"]),
        ("es", ApplicantForm::Feminine, &["el solicitante", "El solicitante", "persona solicitante"]),
    ];
    for (language, form, words) in forbidden {
        for g in library_in(language, form).unwrap().grounds {
            for word in words {
                assert!(
                    !g.template.contains(word),
                    "{language} {form:?} {}: '{word}' in {}",
                    g.id,
                    g.template
                );
            }
        }
    }
    let fr = |form| {
        library_in("fr", form).unwrap().grounds.into_iter().find(|g| g.id == "no-extradition").unwrap()
    };
    assert!(fr(ApplicantForm::Masculine).template.starts_with("Le requérant a été localisé dans"));
    assert!(fr(ApplicantForm::Feminine).template.starts_with("La requérante a été localisée dans"));
    assert!(fr(ApplicantForm::Neutral).template.starts_with("La partie requérante a été localisée dans"));
    assert_eq!(
        in_form("{{g:a|b}} {{g:|e}} {{g:x}} {{g:1|2|3|4}} {{g:m|f", ApplicantForm::Neutral),
        "b e {{g:x}} {{g:1|2|3|4}} {{g:m|f",
        "two or three alternatives only; anything else stays as written"
    );
}

#[test]
fn templates_have_the_same_placeholders_in_every_language() {
    let libs = all();
    for (i, g) in libs[0].grounds.iter().enumerate() {
        let en: BTreeSet<String> = placeholders(&g.template).into_iter().collect();
        assert!(en.contains("evidence_list"), "{}: every template lists the evidence relied on", g.id);
        for lib in &libs[1..] {
            let other: BTreeSet<String> = placeholders(&lib.grounds[i].template).into_iter().collect();
            assert_eq!(other, en, "{}: '{}' must ask for the same facts as 'en'", g.id, lib.language);
        }
    }
    for lib in &libs {
        for g in &lib.grounds {
            let values = placeholders(&g.template)
                .into_iter()
                .map(|p| (p, "x".to_string()))
                .collect::<BTreeMap<_, _>>();
            let filled = g.fill(&values);
            assert!(
                !filled.contains("{{") && !filled.contains("}}") && !filled.contains('['),
                "{} {}: a malformed placeholder would reach the draft: {filled}",
                lib.language,
                g.id
            );
        }
    }
}

#[test]
fn fill_replaces_known_placeholders_and_shows_the_rest() {
    let ground = Ground {
        id: "t".into(),
        title: String::new(),
        summary: String::new(),
        citations: Vec::new(),
        lines: Vec::new(),
        counsel: Vec::new(),
        evidence: Vec::new(),
        template:
            "In {{issuing_country}} on {{ date_of_charges }}: {{facts}}. {{facts}} {{note}} {not} {{Bad}}"
                .into(),
    };
    assert_eq!(
        placeholders(&ground.template),
        ["issuing_country", "date_of_charges", "facts", "note"],
        "each name once, in order; '{{{{Bad}}}}' is not a placeholder"
    );
    let values: BTreeMap<String, String> = [
        ("issuing_country", "Ruritania"),
        ("date_of_charges", " 3 May 2021 "),
        ("facts", "{{note}}"),
        ("note", "   "),
        ("unused", "u"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    assert_eq!(
        ground.fill(&values),
        "In Ruritania on 3 May 2021: {{note}}. {{note}} [note] {not} {{Bad}}",
        "a value is inserted once and not expanded; a blank value shows its placeholder"
    );
    assert_eq!(
        ground.fill(&BTreeMap::new()),
        "In [issuing_country] on [date_of_charges]: [facts]. [facts] [note] {not} {{Bad}}",
        "with no values nothing may be silently dropped"
    );
    let unclosed = Ground { template: "a {{facts".into(), ..ground };
    assert_eq!(unclosed.fill(&values), "a {{facts", "an unclosed brace is text");
}

#[test]
fn unsupported_languages_are_refused_by_name() {
    assert!(library("ar").is_ok(), "Arabic is a working language with its own library");
    let russian = library("ru").expect_err("Russian is not a CCF working language");
    assert!(russian.to_string().contains("'ru'"), "the message must name the language: {russian}");
    assert!(library("EN").is_err(), "codes are lower case, as the drafter stores them");
}
