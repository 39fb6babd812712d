//! Contacts: lawyers and the other people of the case, with the date of any power of attorney. A contact is who
//! a bundle is prepared for and who represents a CCF request, so the disclosure log names them.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::dates::parse_optional_day;
use crate::error::{Error, Result};
use crate::store::{Indexed, Journal, Kind};
use crate::{places, text};

/// What a contact is to the case.
#[derive(ts_rs::TS)]
#[ts(export)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum ContactRole {
    Lawyer,
    Translator,
    Ngo,
    Journalist,
    Family,
    #[default]
    Other,
}

impl std::str::FromStr for ContactRole {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        serde_json::from_value(serde_json::Value::String(s.trim().to_lowercase())).map_err(|_| {
            Error::invalid(
                "role",
                format!(
                    "'{s}' is not a role (expected lawyer, translator, ngo, journalist, family or other)"
                ),
            )
        })
    }
}

/// Stored state of a contact. Hashed into the audit chain: do not change; add a new version.
#[derive(ts_rs::TS)]
#[ts(export)]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ContactState {
    pub name: String,
    pub firm: String,
    pub role: ContactRole,
    pub jurisdiction: String,
    pub languages: Vec<String>,
    pub email: String,
    pub phone: String,
    pub messenger: String,
    pub notes: String,
    pub power_of_attorney: Option<NaiveDate>,
}

#[derive(ts_rs::TS)]
#[ts(export)]
#[derive(Debug, Clone, Serialize)]
pub struct Contact {
    #[ts(type = "number")]
    pub id: i64,
    pub trashed: bool,
    #[serde(flatten)]
    pub state: ContactState,
}

/// What a person enters for a contact.
#[derive(ts_rs::TS)]
#[ts(export)]
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ContactInput {
    pub name: String,
    #[serde(default)]
    pub firm: String,
    #[serde(default)]
    pub role: ContactRole,
    #[serde(default)]
    pub jurisdiction: String,
    #[serde(default)]
    pub languages: Vec<String>,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub messenger: String,
    #[serde(default)]
    pub notes: String,
    /// `YYYY-MM-DD`, or empty.
    #[serde(default)]
    pub power_of_attorney: String,
}

pub(crate) fn indexed(state: &ContactState) -> Indexed {
    Indexed {
        title: state.name.clone(),
        body: [
            state.firm.as_str(),
            &places::country_search_text(&state.jurisdiction),
            state.email.as_str(),
            state.phone.as_str(),
            state.messenger.as_str(),
            state.notes.as_str(),
            &state.languages.iter().map(|l| places::language_search_text(l)).collect::<Vec<_>>().join(" "),
        ]
        .join("\n"),
    }
}

/// Languages as stored (`places::language`), duplicates kept once.
fn languages(typed: Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for l in typed.iter().map(|t| places::language(t)) {
        if !out.contains(&l) {
            out.push(l);
        }
    }
    out
}

fn clean(input: &ContactInput) -> Result<ContactState> {
    let email = text::optional_line("email", &input.email)?;
    if !email.is_empty() {
        let ok = email.split_once('@').is_some_and(|(user, host)| {
            !user.is_empty()
                && host.contains('.')
                && !host.starts_with('.')
                && !host.ends_with('.')
                && !email.contains(' ')
        });
        if !ok {
            return Err(Error::invalid(
                "email",
                format!(
                    "'{}' is not an email address (expected name@example.org)",
                    crate::text::shown(&email)
                ),
            ));
        }
    }
    let phone = text::optional_line("phone", &input.phone)?;
    if phone.chars().any(|c| !(c.is_ascii_digit() || " +-().".contains(c))) {
        return Err(Error::invalid("phone", "may hold only digits, spaces, +, -, ( and )"));
    }
    Ok(ContactState {
        name: text::line("name", &input.name)?,
        firm: text::optional_line("firm", &input.firm)?,
        role: input.role,
        jurisdiction: places::country(&text::optional_line("jurisdiction", &input.jurisdiction)?),
        languages: languages(text::labels("languages", &input.languages)?),
        email,
        phone,
        messenger: text::optional_line("messenger", &input.messenger)?,
        notes: text::text("notes", &input.notes)?,
        power_of_attorney: parse_optional_day("power of attorney date", &input.power_of_attorney)?,
    })
}

impl Journal {
    pub fn add_contact(&mut self, input: &ContactInput) -> Result<i64> {
        let state = clean(input)?;
        let key = state.name.to_lowercase();
        self.create_record(Kind::Contact, &state, &key, indexed(&state))
    }

    pub fn edit_contact(&mut self, id: i64, input: &ContactInput) -> Result<()> {
        self.get_record::<ContactState>(Kind::Contact, id)?;
        let state = clean(input)?;
        let key = state.name.to_lowercase();
        self.update_record(Kind::Contact, id, &state, &key, indexed(&state))
    }

    /// Stores as codes the jurisdiction and languages of contacts written before they were kept as codes (issue 14
    /// §4), each as a new version; values that name no country or language stay as typed. Contacts in the trash
    /// keep theirs (they are read as typed) until restored and edited. Returns how many changed.
    pub(crate) fn contact_places_as_codes(&mut self) -> Result<usize> {
        let mut changed = 0;
        for Contact { id, state, .. } in self.list_contacts(false)? {
            let mut new = state.clone();
            new.jurisdiction = places::country(&state.jurisdiction);
            new.languages = languages(state.languages.clone());
            if new != state {
                let key = new.name.to_lowercase();
                self.update_record(Kind::Contact, id, &new, &key, indexed(&new))?;
                changed += 1;
            }
        }
        Ok(changed)
    }

    pub fn contact(&self, id: i64) -> Result<Contact> {
        let (state, trashed) = self.get_record::<ContactState>(Kind::Contact, id)?;
        Ok(Contact { id, trashed, state })
    }

    pub fn list_contacts(&self, include_trashed: bool) -> Result<Vec<Contact>> {
        Ok(self
            .list_records::<ContactState>(Kind::Contact, include_trashed)?
            .into_iter()
            .map(|(id, state, trashed)| Contact { id, trashed, state })
            .collect())
    }
}
