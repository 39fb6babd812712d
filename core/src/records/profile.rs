//! The case profile: who the applicant is and what INTERPOL data concerns them. One per vault: it is record 1 of
//! its table, created by the first save and edited after (its versions stay in its history); it is never trashed.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::dates::parse_optional_day;
use crate::error::{Error, Result};
use crate::store::{Indexed, Journal, Kind};
use crate::{places, text};

/// Countries as stored (`places::country`), duplicates (`Russia` and `RU`) kept once.
fn countries(typed: Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for c in typed.iter().map(|t| places::country(t)) {
        if !out.contains(&c) {
            out.push(c);
        }
    }
    out
}

/// Which INTERPOL instrument the case is about.
#[derive(ts_rs::TS)]
#[ts(export)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum NoticeType {
    RedNotice,
    Diffusion,
    #[default]
    Unknown,
}

impl std::str::FromStr for NoticeType {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s.trim().to_lowercase().replace(['-', ' '], "_").as_str() {
            "red_notice" | "notice" => Ok(NoticeType::RedNotice),
            "diffusion" => Ok(NoticeType::Diffusion),
            "unknown" | "" => Ok(NoticeType::Unknown),
            _ => Err(Error::invalid(
                "notice type",
                format!("'{s}' is not one of red-notice, diffusion, unknown"),
            )),
        }
    }
}

/// Stored state of the case profile. Hashed into the audit chain: do not change; add a new version.
#[derive(ts_rs::TS)]
#[ts(export)]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct ProfileState {
    /// The applicant's name in Latin script (as in the passport's transliteration).
    pub name_latin: String,
    /// The applicant's name in their own script, e.g. Cyrillic.
    pub name_native: String,
    pub date_of_birth: Option<NaiveDate>,
    pub nationalities: Vec<String>,
    pub current_country: String,
    pub issuing_country: String,
    pub notice_type: NoticeType,
    pub references: Vec<String>,
}

/// What a person enters for the profile.
#[derive(ts_rs::TS)]
#[ts(export)]
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ProfileInput {
    pub name_latin: String,
    #[serde(default)]
    pub name_native: String,
    /// `YYYY-MM-DD`, or empty.
    #[serde(default)]
    pub date_of_birth: String,
    #[serde(default)]
    pub nationalities: Vec<String>,
    #[serde(default)]
    pub current_country: String,
    #[serde(default)]
    pub issuing_country: String,
    #[serde(default)]
    pub notice_type: NoticeType,
    #[serde(default)]
    pub references: Vec<String>,
}

pub(crate) fn indexed(state: &ProfileState) -> Indexed {
    Indexed {
        title: state.name_latin.clone(),
        body: [
            state.name_native.as_str(),
            &places::country_search_text(&state.current_country),
            &places::country_search_text(&state.issuing_country),
            &state.references.join(" "),
            &state.nationalities.iter().map(|n| places::country_search_text(n)).collect::<Vec<_>>().join(" "),
        ]
        .join("\n"),
    }
}

impl Journal {
    /// The profile, if one was entered.
    pub fn profile(&self) -> Result<Option<ProfileState>> {
        match self.get_record::<ProfileState>(Kind::Profile, 1) {
            Ok((state, _)) => Ok(Some(state)),
            Err(Error::NotFound { .. }) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Stores as codes the countries of a profile written before they were kept as codes (issue 14 §4), as a new
    /// version of it; values that name no country stay as typed. Returns whether it changed.
    pub(crate) fn profile_places_as_codes(&mut self) -> Result<bool> {
        let Some(mut state) = self.profile()? else { return Ok(false) };
        let before = state.clone();
        state.nationalities = countries(std::mem::take(&mut state.nationalities));
        state.current_country = places::country(&state.current_country);
        state.issuing_country = places::country(&state.issuing_country);
        if state == before {
            return Ok(false);
        }
        let idx = indexed(&state);
        self.update_record(Kind::Profile, 1, &state, "", idx)?;
        Ok(true)
    }

    /// Creates or replaces the profile; earlier versions stay in its history.
    pub fn set_profile(&mut self, input: &ProfileInput) -> Result<()> {
        let state = ProfileState {
            name_latin: text::line("name (Latin script)", &input.name_latin)?,
            name_native: text::optional_line("name (native script)", &input.name_native)?,
            date_of_birth: parse_optional_day("date of birth", &input.date_of_birth)?,
            nationalities: countries(text::labels("nationalities", &input.nationalities)?),
            current_country: places::country(&text::optional_line(
                "current country",
                &input.current_country,
            )?),
            issuing_country: places::country(&text::optional_line(
                "issuing country",
                &input.issuing_country,
            )?),
            notice_type: input.notice_type,
            references: text::labels("references", &input.references)?,
        };
        let idx = indexed(&state);
        if self.profile()?.is_some() {
            self.update_record(Kind::Profile, 1, &state, "", idx)
        } else {
            self.create_record(Kind::Profile, &state, "", idx).map(|_| ())
        }
    }
}
