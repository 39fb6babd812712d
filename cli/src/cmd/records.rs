//! Records of every kind: `search`, `trash`, `untrash`, `purge`, `history` (any kind, by `--kind`), and the
//! chronology, contacts, deadlines and the case profile. `--kind` takes every name `redress_core::Kind` has, so
//! the CLI can do to a CCF request or a disclosure record whatever the journal allows.

use redress_core::chronology::EventInput;
use redress_core::contacts::{ContactInput, ContactRole};
use redress_core::deadlines::{DeadlineInput, DeadlineKind};
use redress_core::profile::{NoticeType, ProfileInput};
use redress_core::Kind;

use crate::args::{ContactCmd, DeadlineCmd, EventCmd, Global, ProfileCmd, RecordArgs, SearchArgs};
use crate::cmd::{err, open, CliResult};
use crate::output::json;

/// The kind named by `--kind` (`Kind::name`: evidence, event, request…).
fn kind(name: &str) -> CliResult<Kind> {
    name.parse().map_err(err)
}

pub fn search(g: &Global, SearchArgs { query, json: as_json }: SearchArgs) -> CliResult {
    let vault = open(g)?;
    let hits = vault.journal().search(&query, 50).map_err(err)?;
    if as_json {
        json(&hits)?;
    } else {
        for h in hits {
            println!("{:<9} {:>4}  {}  — {}", h.kind.name(), h.id, h.title, h.snippet.replace('\n', " "));
        }
    }
    Ok(())
}

pub fn trash(g: &Global, RecordArgs { id, kind: k }: RecordArgs) -> CliResult {
    let mut vault = open(g)?;
    vault.journal_mut().trash(kind(&k)?, id).map_err(err)?;
    println!("{k} {id} moved to the trash");
    Ok(())
}

pub fn untrash(g: &Global, RecordArgs { id, kind: k }: RecordArgs) -> CliResult {
    let mut vault = open(g)?;
    vault.journal_mut().restore(kind(&k)?, id).map_err(err)?;
    println!("{k} {id} restored from the trash");
    Ok(())
}

pub fn purge(g: &Global, RecordArgs { id, kind: k }: RecordArgs) -> CliResult {
    let mut vault = open(g)?;
    vault.journal_mut().purge(kind(&k)?, id).map_err(err)?;
    println!(
        "{k} {id} purged: its content, earlier versions and search-index words are erased from this \
         journal"
    );
    println!(
        "not reached: backups made before now and files or bundles exported earlier still hold it; the \
         history keeps a SHA-256 of each version, the disclosure log the titles and hashes it listed"
    );
    println!(
        "to make the old passphrase, recovery key and key files stop opening this journal, run \
         `redress-cli rekey` (copies of the journal made before still open with them)"
    );
    Ok(())
}

pub fn history(g: &Global, RecordArgs { id, kind: k }: RecordArgs) -> CliResult {
    let vault = open(g)?;
    for e in vault.journal().history(kind(&k)?, id).map_err(err)? {
        println!(
            "{:>5}  {}  {:<8} {}",
            e.seq,
            e.at,
            e.action,
            e.payload.unwrap_or_else(|| "(purged)".into())
        );
    }
    Ok(())
}

pub fn event(g: &Global, cmd: EventCmd) -> CliResult {
    match cmd {
        EventCmd::Add { date, title, place, description, evidence } => {
            let mut vault = open(g)?;
            let id = vault
                .journal_mut()
                .add_event(&EventInput { date, title, place, description, evidence })
                .map_err(err)?;
            println!("added event {id}");
        }
        EventCmd::List { json: as_json } => {
            let vault = open(g)?;
            let events = vault.journal().list_events(false).map_err(err)?;
            if as_json {
                json(&events)?;
            } else {
                for e in events {
                    println!(
                        "{:>4}  {:<18} {}  {}",
                        e.id,
                        e.state.date.to_string(),
                        e.state.title,
                        e.state.place
                    );
                }
            }
        }
    }
    Ok(())
}

pub fn contact(g: &Global, cmd: ContactCmd) -> CliResult {
    match cmd {
        ContactCmd::Add {
            name,
            firm,
            role,
            jurisdiction,
            languages,
            email,
            phone,
            messenger,
            notes,
            power_of_attorney,
        } => {
            let role: ContactRole = role.parse().map_err(err)?;
            let mut vault = open(g)?;
            let input = ContactInput {
                name,
                firm,
                role,
                jurisdiction,
                languages,
                email,
                phone,
                messenger,
                notes,
                power_of_attorney,
            };
            let id = vault.journal_mut().add_contact(&input).map_err(err)?;
            println!("added contact {id}");
        }
        ContactCmd::List { json: as_json } => {
            let vault = open(g)?;
            let contacts = vault.journal().list_contacts(false).map_err(err)?;
            if as_json {
                json(&contacts)?;
            } else {
                for c in contacts {
                    println!("{:>4}  {}  {}  {}", c.id, c.state.name, c.state.firm, c.state.email);
                }
            }
        }
    }
    Ok(())
}

pub fn deadline(g: &Global, cmd: DeadlineCmd) -> CliResult {
    match cmd {
        DeadlineCmd::Add { title, due, kind: k, contact, event, reminders, notes } => {
            let kind: DeadlineKind = k.parse().map_err(err)?;
            let mut vault = open(g)?;
            let input = DeadlineInput { title, due, kind, contact, event, reminders, notes };
            let id = vault.journal_mut().add_deadline(&input).map_err(err)?;
            println!("added deadline {id}");
        }
        DeadlineCmd::List { json: as_json } => {
            let vault = open(g)?;
            let list = vault.journal().list_deadlines(false).map_err(err)?;
            if as_json {
                json(&list)?;
            } else {
                for d in list {
                    println!("{:>4}  {:<28} {}", d.id, d.state.current_due().to_string(), d.state.title);
                }
            }
        }
        DeadlineCmd::Done { id, on } => {
            let on = match on {
                Some(text) => redress_core::dates::parse_day("--on", &text).map_err(err)?,
                None => chrono::Local::now().date_naive(),
            };
            let mut vault = open(g)?;
            vault.journal_mut().mark_deadline_done(id, on).map_err(err)?;
            println!("deadline {id} marked done");
        }
        DeadlineCmd::Adopt { request, key } => {
            let mut vault = open(g)?;
            let id = vault.journal_mut().adopt_computed_deadline(request, &key).map_err(err)?;
            println!("added deadline {id}, computed from request {request}");
        }
        DeadlineCmd::Extend { id, to } => {
            let mut vault = open(g)?;
            vault.journal_mut().extend_deadline(id, &to).map_err(err)?;
            println!("deadline {id} extended; the original date is kept");
        }
    }
    Ok(())
}

pub fn profile(g: &Global, cmd: ProfileCmd) -> CliResult {
    match cmd {
        ProfileCmd::Show { json: as_json } => {
            let vault = open(g)?;
            let profile = vault.journal().profile().map_err(err)?;
            if as_json {
                json(&profile)?;
            } else if let Some(p) = profile {
                println!("name (Latin):   {}", p.name_latin);
                println!("name (native):  {}", p.name_native);
                println!("date of birth:  {}", p.date_of_birth.map(|d| d.to_string()).unwrap_or_default());
                println!("nationalities:  {}", p.nationalities.join(", "));
                println!("lives in:       {}", p.current_country);
                println!("issuing country:{}", p.issuing_country);
                println!("references:     {}", p.references.join(", "));
            } else {
                println!("no case profile yet");
            }
        }
        ProfileCmd::Set {
            name_latin,
            name_native,
            date_of_birth,
            nationalities,
            current_country,
            issuing_country,
            notice_type,
            references,
        } => {
            let notice_type: NoticeType = notice_type.parse().map_err(err)?;
            let mut vault = open(g)?;
            let input = ProfileInput {
                name_latin,
                name_native,
                date_of_birth,
                nationalities,
                current_country,
                issuing_country,
                notice_type,
                references,
            };
            vault.journal_mut().set_profile(&input).map_err(err)?;
            println!("case profile saved");
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::kind;
    use redress_core::Kind;

    #[test]
    fn every_kind_of_record_can_be_named_with_kind() {
        for k in Kind::ALL {
            assert_eq!(kind(k.name()), Ok(k), "the README promises every journal operation from the CLI");
        }
        let refused = kind("ccf_request").unwrap_err();
        assert!(refused.contains("'ccf_request'") && refused.contains("request"), "{refused}");
    }
}
