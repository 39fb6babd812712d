//! Dates as people give them: exact days, and fuzzy dates for the chronology ("2019", "2019-03", "before 2019-03-14").
//! Parsing refuses impossible dates (31 April, 29 February of a common year) with a message naming the field.

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::{Error, Reason, Result};

const YEARS: std::ops::RangeInclusive<i32> = 1800..=2200;

/// Only ASCII digits: `str::parse` would also take a sign ("2019-+1").
fn digits(part: &str) -> bool {
    part.bytes().all(|b| b.is_ascii_digit())
}

/// Parses an exact day written `YYYY-MM-DD`.
pub fn parse_day(field: &str, text: &str) -> Result<NaiveDate> {
    let text = text.trim();
    let invalid = || {
        Error::invalid_because(
            Reason::BadDate,
            field,
            format!("'{}' is not a real date (expected YYYY-MM-DD)", crate::text::shown(text)),
        )
    };
    let mut parts = text.split('-');
    let (Some(y), Some(m), Some(d), None) = (parts.next(), parts.next(), parts.next(), parts.next()) else {
        return Err(invalid());
    };
    if y.len() != 4 || m.len() != 2 || d.len() != 2 || ![y, m, d].iter().all(|p| digits(p)) {
        return Err(invalid());
    }
    let (Ok(y), Ok(m), Ok(d)) = (y.parse::<i32>(), m.parse::<u32>(), d.parse::<u32>()) else {
        return Err(invalid());
    };
    if !YEARS.contains(&y) {
        return Err(Error::invalid_because(
            Reason::BadDate,
            field,
            format!("year {y} is outside {}–{}", YEARS.start(), YEARS.end()),
        ));
    }
    NaiveDate::from_ymd_opt(y, m, d).ok_or_else(invalid)
}

/// Parses an optional day: empty text is `None`.
pub fn parse_optional_day(field: &str, text: &str) -> Result<Option<NaiveDate>> {
    if text.trim().is_empty() {
        Ok(None)
    } else {
        parse_day(field, text).map(Some)
    }
}

/// How a fuzzy date relates to the moment it names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Qualifier {
    On,
    About,
    Before,
    After,
}

/// A date known to a year, a month or a day, possibly only as "before" or "after" it.
/// Stored as its canonical text, e.g. `2019`, `2019-03`, `before 2019-03-14`, `about 2018`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct FuzzyDate {
    pub qualifier: Qualifier,
    pub year: i32,
    pub month: Option<u32>,
    pub day: Option<u32>,
}

impl FuzzyDate {
    /// Parses the canonical text; `field` names the input in the error.
    pub fn parse(field: &str, text: &str) -> Result<FuzzyDate> {
        let original = text;
        let text = text.trim();
        let lower = text.to_lowercase();
        let (qualifier, rest) = [
            ("before ", Qualifier::Before),
            ("after ", Qualifier::After),
            ("about ", Qualifier::About),
            ("circa ", Qualifier::About),
            ("~", Qualifier::About),
        ]
        .iter()
        .find(|(p, _)| lower.starts_with(p))
        .map(|(p, q)| (*q, text[p.len()..].trim()))
        .unwrap_or((Qualifier::On, text));
        let invalid = || {
            Error::invalid_because(Reason::BadDate,
                field,
                format!(
                    "'{}' is not a date (expected YYYY, YYYY-MM or YYYY-MM-DD, optionally after 'before', 'after' or 'about')",
                    crate::text::shown(original.trim())
                ),
            )
        };
        let parts: Vec<&str> = rest.split('-').collect();
        if parts.is_empty() || parts.len() > 3 || parts[0].len() != 4 || !parts.iter().all(|p| digits(p)) {
            return Err(invalid());
        }
        let year: i32 = parts[0].parse().map_err(|_| invalid())?;
        if !YEARS.contains(&year) {
            return Err(Error::invalid_because(
                Reason::BadDate,
                field,
                format!("year {year} is outside {}–{}", YEARS.start(), YEARS.end()),
            ));
        }
        let month = match parts.get(1) {
            None => None,
            Some(m) if m.len() == 2 => Some(m.parse::<u32>().map_err(|_| invalid())?),
            Some(_) => return Err(invalid()),
        };
        if let Some(m) = month {
            if !(1..=12).contains(&m) {
                return Err(Error::invalid_because(
                    Reason::BadDate,
                    field,
                    format!("month {m} does not exist (expected 01–12)"),
                ));
            }
        }
        let day = match parts.get(2) {
            None => None,
            Some(d) if d.len() == 2 => Some(d.parse::<u32>().map_err(|_| invalid())?),
            Some(_) => return Err(invalid()),
        };
        if let (Some(m), Some(d)) = (month, day) {
            if NaiveDate::from_ymd_opt(year, m, d).is_none() {
                return Err(Error::invalid_because(
                    Reason::BadDate,
                    field,
                    format!("{year:04}-{m:02}-{d:02} does not exist (that month has fewer days)"),
                ));
            }
        }
        Ok(FuzzyDate { qualifier, year, month, day })
    }

    /// An exact day.
    pub fn day(date: NaiveDate) -> FuzzyDate {
        FuzzyDate {
            qualifier: Qualifier::On,
            year: date.year(),
            month: Some(date.month()),
            day: Some(date.day()),
        }
    }

    /// The first day the date can mean.
    pub fn earliest(&self) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(self.year, self.month.unwrap_or(1), self.day.unwrap_or(1))
    }

    /// The last day the date can mean.
    pub fn latest(&self) -> Option<NaiveDate> {
        match (self.month, self.day) {
            (Some(m), Some(d)) => NaiveDate::from_ymd_opt(self.year, m, d),
            (Some(m), None) => {
                let (y, m) = if m == 12 { (self.year + 1, 1) } else { (self.year, m + 1) };
                NaiveDate::from_ymd_opt(y, m, 1).and_then(|d| d.pred_opt())
            }
            _ => NaiveDate::from_ymd_opt(self.year, 12, 31),
        }
    }

    /// A key that sorts dates on a timeline: "before X" just ahead of X, "after X" after everything within X.
    pub fn sort_key(&self) -> String {
        let (date, tie) = match self.qualifier {
            Qualifier::Before => (self.earliest(), '0'),
            Qualifier::On | Qualifier::About => (self.earliest(), '1'),
            Qualifier::After => (self.latest(), '2'),
        };
        match date {
            Some(d) => format!("{}{tie}", d.format("%Y-%m-%d")),
            None => format!("{:04}{tie}", self.year),
        }
    }
}

impl fmt::Display for FuzzyDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.qualifier {
            Qualifier::On => {}
            Qualifier::About => f.write_str("about ")?,
            Qualifier::Before => f.write_str("before ")?,
            Qualifier::After => f.write_str("after ")?,
        }
        write!(f, "{:04}", self.year)?;
        if let Some(m) = self.month {
            write!(f, "-{m:02}")?;
        }
        if let Some(d) = self.day {
            write!(f, "-{d:02}")?;
        }
        Ok(())
    }
}

impl FromStr for FuzzyDate {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        FuzzyDate::parse("date", s)
    }
}

impl Serialize for FuzzyDate {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for FuzzyDate {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        FuzzyDate::parse("date", &text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fuzzy_dates_round_trip_through_their_text() {
        for text in ["2019", "2019-03", "2019-03-14", "before 2019-03", "after 2019", "about 2018-12-31"] {
            let d = FuzzyDate::parse("date", text).unwrap();
            assert_eq!(d.to_string(), text, "the canonical text must come back unchanged");
            let json = serde_json::to_string(&d).unwrap();
            assert_eq!(serde_json::from_str::<FuzzyDate>(&json).unwrap(), d);
        }
        assert_eq!(FuzzyDate::parse("date", "~2018").unwrap().to_string(), "about 2018");
    }

    #[test]
    fn impossible_dates_are_refused_naming_the_field() {
        for bad in ["2023-02-29", "2019-13", "2019-04-31", "19-03-01", "yesterday", "2019-3-1", ""] {
            let err = FuzzyDate::parse("event date", bad).unwrap_err().to_string();
            assert!(err.starts_with("event date:"), "the error must name the field: {err}");
        }
        assert!(FuzzyDate::parse("d", "2024-02-29").is_ok(), "2024 is a leap year");
        assert!(parse_day("date of birth", "2023-02-29").is_err());
        assert!(parse_day("date of birth", "1985-07-14").is_ok());
    }

    #[test]
    fn sort_keys_order_a_timeline() {
        let keys: Vec<String> = ["before 2019-03", "2019-03", "2019-03-14", "after 2019-03", "2019-04-01"]
            .iter()
            .map(|t| FuzzyDate::parse("d", t).unwrap().sort_key())
            .collect();
        let mut sorted = keys.clone();
        sorted.sort();
        assert_eq!(keys, sorted);
    }

    /// The fixture the UI's copy of this parser is tested against too (`ui/src/lib/dates.test.ts`).
    #[test]
    fn parses_the_shared_cases_as_the_fixture_says() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/dates-cases.json");
        let cases: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        let cases = cases["fuzzy"].as_array().unwrap();
        assert!((20..=40).contains(&cases.len()), "the fixture is meant to stay small: {}", cases.len());
        for case in cases {
            let input = case["input"].as_str().unwrap();
            let got = FuzzyDate::parse("date", input).ok().map(|d| {
                let qualifier = match d.qualifier {
                    Qualifier::On => "on",
                    Qualifier::About => "about",
                    Qualifier::Before => "before",
                    Qualifier::After => "after",
                };
                serde_json::json!({ "qualifier": qualifier, "year": d.year, "month": d.month, "day": d.day })
            });
            assert_eq!(got.unwrap_or(serde_json::Value::Null), case["expected"], "input {input:?}");
        }
    }
}
