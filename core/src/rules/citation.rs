//! Citations of INTERPOL's and the CCF's texts, stored once and language-neutrally (instrument and article with its
//! paragraphs, RoP paragraph or edition, CCF decision number and year, resolution, or a principle of practice) with
//! the status and sources `docs/ccf-reference.md` gives them, and written per draft language in §7's forms.
//! The one rule: only a verified citation is ever written as a citation. `Citation::render` gives `None` for a
//! [check] or [reported] one, so no article or paragraph number the reference has not verified reaches a draft.

use serde::{Deserialize, Serialize};

use crate::rules::CitationStatus;

/// A text a citation points into (§7 gives each one's name per language).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
#[serde(rename_all = "snake_case")]
pub enum Instrument {
    /// INTERPOL's Constitution ("Const.").
    Constitution,
    /// The Statute of the CCF ("ST").
    CcfStatute,
    /// INTERPOL's Rules on the Processing of Data ("RPD"; French and Spanish "RTD").
    Rpd,
    /// The Repository of Practice on Articles 2(1) and 3 of the Constitution ("RoP").
    Rop,
    /// The CCF Operating Rules ("OR").
    OperatingRules,
}

impl Instrument {
    /// The short form the reference writes ("RPD 83(2)"), to find a citation's words in it.
    pub fn abbreviation(self) -> &'static str {
        match self {
            Instrument::Constitution => "Const.",
            Instrument::CcfStatute => "ST",
            Instrument::Rpd => "RPD",
            Instrument::Rop => "RoP",
            Instrument::OperatingRules => "OR",
        }
    }
}

/// What is cited. Numbers are kept as the texts write them ("83(1)(a)(ii)", "34(1)-(3)"), the same in every
/// language; `None` where the reference names a provision without a number ("rule article [check]").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Cite {
    Article {
        instrument: Instrument,
        article: Option<String>,
    },
    Paragraph {
        instrument: Instrument,
        paragraph: Option<String>,
    },
    /// An instrument as a whole, in one edition: "the Repository of Practice (2024)".
    Edition {
        instrument: Instrument,
        year: u16,
    },
    /// A CCF decision, or a published excerpt of one.
    Decision {
        number: u32,
        year: u16,
        #[serde(default)]
        excerpt: bool,
    },
    /// A General Assembly resolution by its reference ("AGN/20/RES/11") and year, unless the reference holds it
    /// ("GA-2017-86-RES-09").
    Resolution {
        reference: String,
        #[serde(default)]
        year: Option<u16>,
    },
    /// INTERPOL's refugee policy, circulated to NCBs in February 2015.
    RefugeePolicy,
    /// No text: a principle of the CCF's practice, or one practitioners report. Only ever stated in words.
    Practice,
}

/// Where a citation goes in a draft.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
#[serde(rename_all = "snake_case")]
pub enum Place {
    /// In the request: a verified citation in the ground's rules, a principle in its practice line.
    Body,
    /// In the notes for counsel only: cautions (an adverse decision, an exception, a limit of the ground).
    Counsel,
}

/// One citation of the reference, with its tag.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Citation {
    /// Unique within its ground or purpose; templates write `{{cite:ID}}` and language files key principles by it.
    pub id: String,
    #[serde(flatten)]
    pub cite: Cite,
    pub status: CitationStatus,
    /// The reference's sources for it (`S13`); none for [check].
    #[serde(default)]
    pub sources: Vec<String>,
    pub place: Place,
    /// The words of the reference it stands for, verbatim (the tests find them there). Never printed.
    pub from: String,
}

/// A language a draft can be written in (the CCF's working languages that Redress writes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Language {
    En,
    Fr,
    Es,
    Ar,
}

impl Language {
    fn of(code: &str) -> Option<Self> {
        match code {
            "en" => Some(Language::En),
            "fr" => Some(Language::Fr),
            "es" => Some(Language::Es),
            "ar" => Some(Language::Ar),
            _ => None,
        }
    }
}

impl Citation {
    /// The citation as a draft in `language` prints it, or `None` when it must not print as a citation: not
    /// verified, a principle of practice, a provision without a number, or a language Redress does not write.
    pub fn render(&self, language: &str) -> Option<String> {
        if self.status != CitationStatus::Verified {
            return None;
        }
        self.cite.written(language)
    }
}

impl Cite {
    /// The form this would have as a citation in `language`, whatever its status. Only `Citation::render` may
    /// print it; tests use it to look for a [check] citation where it must not be.
    pub fn written(&self, language: &str) -> Option<String> {
        use Instrument::*;
        use Language::*;
        let lang = Language::of(language)?;
        let text = match self {
            Cite::Article { instrument, article: Some(n) } => match (lang, instrument) {
                (En, Constitution) => format!("Article {n} of INTERPOL's Constitution"),
                (En, CcfStatute) => format!("Article {n} of the Statute of the CCF"),
                (En, Rpd) => format!("Article {n} RPD"),
                (En, OperatingRules) => format!("Article {n} of the CCF Operating Rules"),
                (Fr, Constitution) => format!("art. {n} du Statut d'INTERPOL"),
                (Fr, CcfStatute) => format!("art. {n} du Statut de la CCF"),
                (Fr, Rpd) => format!("art. {n} du RTD"),
                (Fr, OperatingRules) => format!("art. {n} des Règles de fonctionnement de la Commission"),
                (Es, Constitution) => format!("art. {n} del Estatuto de INTERPOL"),
                (Es, CcfStatute) => format!("art. {n} del Estatuto de la CCF"),
                (Es, Rpd) => format!("art. {n} del RTD"),
                (Es, OperatingRules) => format!("art. {n} de las Normas de Funcionamiento"),
                // §7: "المادة 3 من القانون الأساسي للإنتربول", the form INTERPOL's Arabic pages use; the other
                // instruments on the same pattern with §7's verified names. Numbers stay as the English text writes
                // them ("83(1)(a)(ii)"): whether the Arabic texts letter sub-paragraphs in Arabic is not verified.
                (Ar, Constitution) => format!("المادة {n} من القانون الأساسي للإنتربول"),
                (Ar, CcfStatute) => format!("المادة {n} من النظام الأساسي للجنة الرقابة على محفوظات الإنتربول"),
                (Ar, Rpd) => format!("المادة {n} من نظام الإنتربول لمعاملة البيانات"),
                (Ar, OperatingRules) => format!("المادة {n} من قواعد تشغيل اللجنة"),
                // The Repository of Practice has paragraphs, not articles.
                (_, Rop) => return None,
            },
            Cite::Paragraph { instrument: Rop, paragraph: Some(n) } => match lang {
                En => format!("paragraph {n} of the Repository of Practice"),
                Fr => format!("§ {n} du Recueil de pratiques"),
                // §7: never "para", which reads in Spanish as the preposition.
                Es => format!("párr. {n} del Directorio de procedimientos habituales"),
                Ar => format!("الفقرة {n} من دليل الممارسات"),
            },
            Cite::Edition { instrument: Rop, year } => match lang {
                En => format!("Repository of Practice ({year})"),
                Fr => format!("Recueil de pratiques ({year})"),
                Es => format!("Directorio de procedimientos habituales ({year})"),
                Ar => format!("دليل الممارسات ({year})"),
            },
            Cite::Decision { number, year, excerpt } => match (lang, excerpt) {
                (En, false) => format!("CCF Decision No. {number} ({year})"),
                (En, true) => format!("CCF Decision excerpt No. {number} ({year})"),
                (Fr, false) => format!("décision de la CCF n° {number} ({year})"),
                (Fr, true) => format!("extrait de la décision de la CCF n° {number} ({year})"),
                (Es, false) => format!("decisión de la CCF n.º {number} ({year})"),
                (Es, true) => format!("extracto de la decisión de la CCF n.º {number} ({year})"),
                (Ar, false) => format!("قرار لجنة الرقابة على محفوظات الإنتربول رقم {number} ({year})"),
                (Ar, true) => {
                    format!("مقتطف من قرار لجنة الرقابة على محفوظات الإنتربول رقم {number} ({year})")
                }
            },
            Cite::Resolution { reference, year } => {
                let year = year.map(|y| format!(" ({y})")).unwrap_or_default();
                match lang {
                    En => format!("resolution {reference}{year}"),
                    Fr => format!("résolution {reference}{year}"),
                    Es => format!("resolución {reference}{year}"),
                    Ar => format!("القرار {reference}{year}"),
                }
            }
            Cite::RefugeePolicy => match lang {
                En => "INTERPOL's refugee policy (circulated to NCBs in February 2015)".into(),
                Fr => {
                    "politique d'INTERPOL relative aux réfugiés (communiquée aux BCN en février 2015)".into()
                }
                Es => {
                    "política de INTERPOL relativa a los refugiados (comunicada a las OCN en febrero de 2015)"
                        .into()
                }
                Ar => {
                    "سياسة الإنتربول المتعلقة باللاجئين (المعمّمة على المكاتب المركزية الوطنية في فبراير 2015)"
                        .into()
                }
            },
            Cite::Article { article: None, .. }
            | Cite::Paragraph { .. }
            | Cite::Edition { .. }
            | Cite::Practice => return None,
        };
        Some(text)
    }

    /// The instrument this points into, if it is one of §7's.
    pub fn instrument(&self) -> Option<Instrument> {
        match self {
            Cite::Article { instrument, .. }
            | Cite::Paragraph { instrument, .. }
            | Cite::Edition { instrument, .. } => Some(*instrument),
            _ => None,
        }
    }

    /// What makes it a citation rather than a principle: the number, decision or resolution, as the reference
    /// writes it ("83(2)(b)(i)", "No. 2 (2018)"). A citation's `from` must contain it.
    pub fn key(&self) -> Vec<String> {
        match self {
            Cite::Article { article: Some(n), .. } | Cite::Paragraph { paragraph: Some(n), .. } => {
                vec![n.clone()]
            }
            Cite::Edition { year, .. } => vec![year.to_string()],
            Cite::Decision { number, year, .. } => vec![format!("No. {number}"), format!("({year})")],
            Cite::Resolution { reference, year } => {
                std::iter::once(reference.clone()).chain(year.map(|y| format!("({y})"))).collect()
            }
            Cite::RefugeePolicy => vec!["policy".into()],
            Cite::Article { article: None, .. }
            | Cite::Paragraph { paragraph: None, .. }
            | Cite::Practice => Vec::new(),
        }
    }
}

/// Citations joined as the language lists them ("a; b" in English and Spanish, "a ; b" in French, "a؛ b" with
/// the Arabic semicolon in Arabic).
pub fn join(language: &str, items: &[String]) -> String {
    items.join(match language {
        "fr" => " ; ",
        "ar" => "؛ ",
        _ => "; ",
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cite(cite: Cite, status: CitationStatus) -> Citation {
        Citation {
            id: "x".into(),
            cite,
            status,
            sources: vec!["S1".into()],
            place: Place::Body,
            from: String::new(),
        }
    }

    fn article(instrument: Instrument, n: &str) -> Cite {
        Cite::Article { instrument, article: Some(n.into()) }
    }

    #[test]
    fn verified_citations_are_written_in_the_forms_of_section_7() {
        let v = CitationStatus::Verified;
        let cases = [
            (article(Instrument::Rpd, "83(1)(a)(ii)"), "en", "Article 83(1)(a)(ii) RPD"),
            (article(Instrument::Rpd, "83(1)(a)(ii)"), "fr", "art. 83(1)(a)(ii) du RTD"),
            (article(Instrument::Rpd, "83(1)(a)(ii)"), "es", "art. 83(1)(a)(ii) del RTD"),
            (article(Instrument::Constitution, "3"), "en", "Article 3 of INTERPOL's Constitution"),
            (article(Instrument::Constitution, "3"), "fr", "art. 3 du Statut d'INTERPOL"),
            (article(Instrument::Constitution, "3"), "es", "art. 3 del Estatuto de INTERPOL"),
            (article(Instrument::CcfStatute, "42(2)"), "fr", "art. 42(2) du Statut de la CCF"),
            (article(Instrument::CcfStatute, "42(2)"), "es", "art. 42(2) del Estatuto de la CCF"),
            (Cite::Decision { number: 2, year: 2018, excerpt: false }, "en", "CCF Decision No. 2 (2018)"),
            (
                Cite::Decision { number: 2, year: 2018, excerpt: false },
                "fr",
                "décision de la CCF n° 2 (2018)",
            ),
            (
                Cite::Decision { number: 2, year: 2018, excerpt: false },
                "es",
                "decisión de la CCF n.º 2 (2018)",
            ),
            (
                Cite::Paragraph { instrument: Instrument::Rop, paragraph: Some("9".into()) },
                "fr",
                "§ 9 du Recueil de pratiques",
            ),
            (
                Cite::Paragraph { instrument: Instrument::Rop, paragraph: Some("9".into()) },
                "es",
                "párr. 9 del Directorio de procedimientos habituales",
            ),
            (Cite::Edition { instrument: Instrument::Rop, year: 2024 }, "fr", "Recueil de pratiques (2024)"),
            (
                Cite::Resolution { reference: "AGN/20/RES/11".into(), year: Some(1951) },
                "es",
                "resolución AGN/20/RES/11 (1951)",
            ),
            (article(Instrument::Constitution, "3"), "ar", "المادة 3 من القانون الأساسي للإنتربول"),
            (
                article(Instrument::Rpd, "83(1)(a)(ii)"),
                "ar",
                "المادة 83(1)(a)(ii) من نظام الإنتربول لمعاملة البيانات",
            ),
            (
                Cite::Paragraph { instrument: Instrument::Rop, paragraph: Some("9".into()) },
                "ar",
                "الفقرة 9 من دليل الممارسات",
            ),
        ];
        for (c, language, expected) in cases {
            assert_eq!(cite(c, v).render(language).as_deref(), Some(expected), "§7's form in '{language}'");
        }
    }

    #[test]
    fn only_a_verified_citation_is_ever_written() {
        for status in [CitationStatus::Check, CitationStatus::Reported] {
            for language in ["en", "fr", "es", "ar"] {
                let c = cite(article(Instrument::Rpd, "77(2)"), status);
                assert_eq!(c.render(language), None, "a {status:?} citation prints in no language");
            }
        }
        let practice = cite(Cite::Practice, CitationStatus::Verified);
        assert_eq!(practice.render("en"), None, "a principle of practice is stated in words, never cited");
        let unnamed =
            cite(Cite::Article { instrument: Instrument::Rpd, article: None }, CitationStatus::Verified);
        assert_eq!(unnamed.render("fr"), None, "a provision without a number has no citation");
        let rop = cite(article(Instrument::Rop, "9"), CitationStatus::Verified);
        assert_eq!(rop.render("en"), None, "the Repository of Practice has no articles");
        assert_eq!(cite(article(Instrument::Rpd, "12"), CitationStatus::Verified).render("ru"), None);
    }

    #[test]
    fn spanish_never_abbreviates_a_paragraph_as_para() {
        let c = cite(
            Cite::Paragraph { instrument: Instrument::Rop, paragraph: Some("32(e)".into()) },
            CitationStatus::Verified,
        );
        let es = c.render("es").unwrap_or_default();
        assert!(es.starts_with("párr. ") && !es.contains("para "), "{es}");
    }
}
