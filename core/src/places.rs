//! Countries and languages by code (issue 14 §4). The profile, contacts, requests and evidence keep a country as
//! its ISO 3166-1 alpha-2 code (`RU`) and a language as its ISO 639 code (`ru`), so every page and screen can name
//! it in its own language: a French draft says « Russie », an Arabic one «روسيا». The names are CLDR's, through
//! ICU4X's display names (`icu_experimental`, compiled data: nothing is read from disk or the network).
//!
//! What a person types is read as a code when it is one, or when it is a country's or language's name in any of
//! the languages Redress speaks (`Russia`, `Россия`, `russe`, `UK`); anything else is kept as typed and shown as
//! typed (`France; CCF`, `RUS`). So a value is either a code or the person's own words, never lost.

use std::collections::HashMap;
use std::sync::OnceLock;

use icu_experimental::displaynames::multi::{LanguageDisplayNames, RegionDisplayNames};
use icu_experimental::displaynames::{DisplayNamesOptions, Style};
use icu_locale_core::subtags::{Language, Region};
use icu_locale_core::Locale;
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// The languages Redress names places in: the interface's five and the drafts' other two. Any other asks English.
pub const NAMED_IN: [&str; 7] = ["en", "fr", "es", "ar", "ru", "uk", "tr"];

/// Codes CLDR names that are not countries a person holds or lives in: groupings (EU, euro area, UN, outlying
/// Oceania), the unknown region, pseudo-locales, and codes reserved beside ISO 3166-1 for places inside other
/// countries (Ascension, Clipperton, Sark, Diego Garcia, Ceuta and Melilla, Canary Islands, Tristan da Cunha).
/// Kosovo's XK stays: it is not in ISO 3166-1, but it is the code its passports and every registry use.
const NOT_COUNTRIES: [&str; 14] =
    ["EU", "EZ", "UN", "QO", "ZZ", "XA", "XB", "AC", "CP", "CQ", "DG", "EA", "IC", "TA"];

fn locale(lang: &str) -> Locale {
    let lang = if NAMED_IN.contains(&lang) { lang } else { "en" };
    lang.parse().unwrap_or(Locale::UNKNOWN)
}

fn regions(lang: &str, style: Option<Style>) -> Option<RegionDisplayNames> {
    let mut options = DisplayNamesOptions::default();
    options.style = style;
    RegionDisplayNames::try_new(locale(lang).into(), options).ok()
}

fn languages_in(lang: &str) -> Option<LanguageDisplayNames> {
    LanguageDisplayNames::try_new(locale(lang).into(), DisplayNamesOptions::default()).ok()
}

/// Every two-letter code of `A`–`Z` (upper case) or `a`–`z` (lower case).
fn two_letters(upper: bool) -> impl Iterator<Item = String> {
    let base = if upper { b'A' } else { b'a' };
    (0..26u8).flat_map(move |a| {
        (0..26u8).map(move |b| [char::from(base + a), char::from(base + b)].iter().collect())
    })
}

/// The country codes CLDR names, in code order.
fn country_codes() -> &'static [String] {
    static CODES: OnceLock<Vec<String>> = OnceLock::new();
    CODES.get_or_init(|| {
        let Some(names) = regions("en", None) else { return Vec::new() };
        two_letters(true)
            .filter(|c| !NOT_COUNTRIES.contains(&c.as_str()))
            .filter(|c| Region::try_from_str(c).is_ok_and(|r| names.of(r).is_some()))
            .collect()
    })
}

/// The ISO 639-1 (two-letter) language codes CLDR names, in code order.
fn language_codes() -> &'static [String] {
    static CODES: OnceLock<Vec<String>> = OnceLock::new();
    CODES.get_or_init(|| {
        let Some(names) = languages_in("en") else { return Vec::new() };
        two_letters(false)
            .filter(|c| Language::try_from_str(c).is_ok_and(|l| names.of(l).is_some()))
            .collect()
    })
}

/// The key a typed name is looked up by: trimmed, lower case, without accents or other marks, one kind of
/// apostrophe, no dots, single spaces (`Cote d'Ivoire` finds « Côte d’Ivoire »). The interface folds what is
/// typed the same way (`ui/src/lib/places.svelte.ts`, `fold`), so it can say beforehand what will be kept as typed.
pub fn key(typed: &str) -> String {
    typed
        .nfd()
        .filter(|c| !is_combining_mark(*c))
        .collect::<String>()
        .to_lowercase()
        .replace(['’', 'ʼ', '`'], "'")
        .replace('.', "")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Every name of every country in every language of `NAMED_IN` (long and short forms), to its code.
fn country_names() -> &'static HashMap<String, String> {
    static NAMES: OnceLock<HashMap<String, String>> = OnceLock::new();
    NAMES.get_or_init(|| {
        let mut map = HashMap::new();
        for lang in NAMED_IN {
            for style in [None, Some(Style::Short)] {
                let Some(names) = regions(lang, style) else { continue };
                for code in country_codes() {
                    if let Some(name) = Region::try_from_str(code).ok().and_then(|r| names.of(r)) {
                        map.entry(key(name)).or_insert_with(|| code.clone());
                    }
                }
            }
        }
        map
    })
}

/// Every name of every language in every language of `NAMED_IN`, to its code.
fn language_names() -> &'static HashMap<String, String> {
    static NAMES: OnceLock<HashMap<String, String>> = OnceLock::new();
    NAMES.get_or_init(|| {
        let mut map = HashMap::new();
        for lang in NAMED_IN {
            let Some(names) = languages_in(lang) else { continue };
            for code in language_codes() {
                if let Some(name) = Language::try_from_str(code).ok().and_then(|l| names.of(l)) {
                    map.entry(key(name)).or_insert_with(|| code.clone());
                }
            }
        }
        map
    })
}

/// The country code a typed value stands for: a code CLDR names (`ru` reads as `RU`), or a country's name in any
/// language of `NAMED_IN`; `None` when it is neither.
pub fn country_code(typed: &str) -> Option<String> {
    let t = typed.trim();
    if t.len() == 2 {
        let upper = t.to_ascii_uppercase();
        if country_codes().contains(&upper) {
            return Some(upper);
        }
    }
    country_names().get(&key(t)).cloned()
}

/// The language code a typed value stands for: a two-letter code CLDR names (`EN` reads as `en`), or a
/// language's name in any language of `NAMED_IN`; `None` when it is neither.
pub fn language_code(typed: &str) -> Option<String> {
    let t = typed.trim();
    if t.len() == 2 {
        let lower = t.to_ascii_lowercase();
        if language_codes().contains(&lower) {
            return Some(lower);
        }
    }
    language_names().get(&key(t)).cloned()
}

/// A typed country as it is stored: its code when it stands for one, else as typed (trimmed).
pub fn country(typed: &str) -> String {
    country_code(typed).unwrap_or_else(|| typed.trim().to_owned())
}

/// A typed language as it is stored: its code when it stands for one, else as typed (trimmed).
pub fn language(typed: &str) -> String {
    language_code(typed).unwrap_or_else(|| typed.trim().to_owned())
}

/// Several languages typed in one field (`ru, en`, `Russian and English` stays as typed): each part between
/// commas or semicolons stored as `language` stores it, joined with ", ".
pub fn language_list(typed: &str) -> String {
    typed
        .split([',', ';'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(language)
        .collect::<Vec<_>>()
        .join(", ")
}

/// A stored country named in `lang` (CLDR's name); a value that is not a code, as it was typed.
pub fn country_name(stored: &str, lang: &str) -> String {
    if stored.len() == 2 && country_codes().iter().any(|c| c == stored) {
        if let Some(name) =
            Region::try_from_str(stored).ok().and_then(|r| regions(lang, None)?.of(r).map(str::to_owned))
        {
            return name;
        }
    }
    stored.to_owned()
}

/// A stored language named in `lang` (CLDR's name, in the case CLDR gives it: lower case in French, Spanish,
/// Russian and Ukrainian); a value that is not a code, as it was typed.
pub fn language_name(stored: &str, lang: &str) -> String {
    if (2..=3).contains(&stored.len()) && stored.bytes().all(|b| b.is_ascii_lowercase()) {
        if let Some(name) =
            Language::try_from_str(stored).ok().and_then(|l| languages_in(lang)?.of(l).map(str::to_owned))
        {
            return name;
        }
    }
    stored.to_owned()
}

/// A stored list of languages (`ru, en`) named in `lang`, joined with ", ".
pub fn language_list_name(stored: &str, lang: &str) -> String {
    stored
        .split(", ")
        .filter(|p| !p.is_empty())
        .map(|p| language_name(p, lang))
        .collect::<Vec<_>>()
        .join(", ")
}

/// What the search index holds for a stored country: the value and, for a code, its name in every language of
/// `NAMED_IN`, so a search for « Lituanie » or «Литва» finds `LT`.
pub fn country_search_text(stored: &str) -> String {
    let mut words = vec![stored.to_owned()];
    if country_codes().iter().any(|c| c == stored) {
        words.extend(NAMED_IN.iter().map(|l| country_name(stored, l)));
    }
    words.dedup();
    words.join(" ")
}

/// What the search index holds for a stored language (or list of languages): each value and its names.
pub fn language_search_text(stored: &str) -> String {
    let mut words = Vec::new();
    for part in stored.split(", ").filter(|p| !p.is_empty()) {
        words.push(part.to_owned());
        words.extend(NAMED_IN.iter().map(|l| language_name(part, l)).filter(|n| n != part));
    }
    words.dedup();
    words.join(" ")
}

/// A country or language as a picker offers it: its code and its name in the reader's language.
#[derive(Debug, Clone, PartialEq, serde::Serialize, ts_rs::TS)]
#[ts(export)]
pub struct NamedPlace {
    pub code: String,
    pub name: String,
}

/// Every country and every two-letter language, named in `lang`, for the pickers of the profile, contacts,
/// requests and evidence (in code order: the reader sorts by name in their own collation).
#[derive(Debug, Clone, PartialEq, serde::Serialize, ts_rs::TS)]
#[ts(export)]
pub struct Places {
    pub countries: Vec<NamedPlace>,
    pub languages: Vec<NamedPlace>,
    /// Every name Redress reads as a country, in every language it speaks (folded by `key`), with its code: what
    /// the interface checks a typed value against before saying it will be kept as typed.
    pub country_keys: Vec<NamedPlace>,
    /// The same for languages.
    pub language_keys: Vec<NamedPlace>,
}

/// The countries and languages named in `lang`.
pub fn named_in(lang: &str) -> Places {
    let place = |(code, name): (String, String)| NamedPlace { code, name };
    Places {
        countries: countries(lang).into_iter().map(place).collect(),
        languages: languages(lang).into_iter().map(place).collect(),
        country_keys: keyed(country_names()),
        language_keys: keyed(language_names()),
    }
}

/// A map of folded names to codes as a list, sorted by name (the same list every time).
fn keyed(names: &HashMap<String, String>) -> Vec<NamedPlace> {
    let mut list: Vec<NamedPlace> =
        names.iter().map(|(name, code)| NamedPlace { code: code.clone(), name: name.clone() }).collect();
    list.sort_by(|a, b| a.name.cmp(&b.name));
    list
}

/// Every country as (code, name in `lang`), in code order (the reader sorts by name in their own collation).
pub fn countries(lang: &str) -> Vec<(String, String)> {
    let Some(names) = regions(lang, None) else { return Vec::new() };
    country_codes()
        .iter()
        .filter_map(|c| Some((c.clone(), names.of(Region::try_from_str(c).ok()?)?.to_owned())))
        .collect()
}

/// Every two-letter language as (code, name in `lang`), in code order.
pub fn languages(lang: &str) -> Vec<(String, String)> {
    let Some(names) = languages_in(lang) else { return Vec::new() };
    language_codes()
        .iter()
        .filter_map(|c| Some((c.clone(), names.of(Language::try_from_str(c).ok()?)?.to_owned())))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_country_typed_in_any_language_or_as_a_code_is_stored_as_its_code() {
        for typed in ["Russia", "russia ", "Россия", "Russie", "Rusia", "روسيا", "Росія", "Rusya", "RU", "ru"]
        {
            assert_eq!(country(typed), "RU", "{typed}");
        }
        assert_eq!(country("UK"), "GB", "CLDR's short English name of the United Kingdom");
        assert_eq!(country("United Kingdom"), "GB");
        assert_eq!(country("Côte d'Ivoire"), "CI", "a straight apostrophe matches CLDR's curly one");
        assert_eq!(country("Kosovo"), "XK");
        assert_eq!(country("Cote d'Ivoire"), "CI", "without its accent");
        assert_eq!(country("  Türkiye  "), "TR");
        assert_eq!(country("TURKIYE"), "TR", "Turkish dotted capital I and no diaeresis");
    }

    #[test]
    fn what_is_not_a_country_is_kept_as_typed() {
        for typed in ["France; CCF", "RUS", "Ruritania", "EU", "European Union", "ZZ", "Canary Islands"] {
            assert_eq!(country(typed), typed, "{typed}");
        }
        assert_eq!(country("  Ruritania "), "Ruritania", "trimmed");
    }

    #[test]
    fn a_country_is_named_in_each_language_from_cldr() {
        let names: Vec<String> = NAMED_IN.iter().map(|l| country_name("RU", l)).collect();
        assert_eq!(names, ["Russia", "Russie", "Rusia", "روسيا", "Россия", "Росія", "Rusya"]);
        assert_eq!(country_name("LT", "fr"), "Lituanie");
        assert_eq!(country_name("Ruritania", "fr"), "Ruritania", "a typed value is shown as typed");
        assert_eq!(
            country_name("RU", "de"),
            "Russia",
            "a language Redress does not speak names it in English"
        );
    }

    #[test]
    fn languages_by_code_and_name() {
        for typed in ["ru", "RU", "Russian", "русский", "russe", "الروسية", "Rusça"] {
            assert_eq!(language(typed), "ru", "{typed}");
        }
        assert_eq!(language("Klingon-ish"), "Klingon-ish");
        assert_eq!(language_list("ru, English; русский"), "ru, en, ru");
        assert_eq!(language_list("Russian and English"), "Russian and English");
        assert_eq!(language_name("en", "fr"), "anglais");
        assert_eq!(language_name("en", "ar"), "الإنجليزية");
        assert_eq!(language_list_name("ru, en", "es"), "ruso, inglés");
        assert_eq!(language_name("xx", "en"), "xx", "a code CLDR does not name is shown as stored");
    }

    #[test]
    fn the_lists_hold_the_countries_and_nothing_else() {
        let list = countries("en");
        let codes: Vec<&str> = list.iter().map(|(c, _)| c.as_str()).collect();
        for c in ["RU", "UA", "TR", "FR", "LT", "XK", "PS", "TW"] {
            assert!(codes.contains(&c), "{c} missing");
        }
        for c in NOT_COUNTRIES {
            assert!(!codes.contains(&c), "{c} is not a country");
        }
        assert!((245..=260).contains(&list.len()), "{} countries", list.len());
        assert!(countries("ar").iter().any(|(c, n)| c == "EG" && n == "مصر"));
        let langs = languages("ru");
        assert!(langs.iter().any(|(c, n)| c == "uk" && n == "украинский"));
        assert!(langs.len() > 150, "{} languages", langs.len());
        let all = named_in("ru");
        assert!(all.country_keys.iter().any(|k| k.name == "russia" && k.code == "RU"), "English names too");
        assert!(all.country_keys.iter().any(|k| k.name == "cote d'ivoire" && k.code == "CI"), "folded");
        assert!(all.language_keys.iter().any(|k| k.name == "anglais" && k.code == "en"));
        assert!(all.country_keys.iter().all(|k| k.name == key(&k.name)), "every name as `key` folds it");
    }
}
