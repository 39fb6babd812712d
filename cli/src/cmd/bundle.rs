//! The counsel bundle and the disclosure log: `bundle`, `disclosures`. Every bundle written is recorded in the
//! log; `--plan` shows what would be written (and what metadata removed) and writes nothing, logs nothing.

use std::io::IsTerminal;

use redress_core::bundle::{BundleProgress, BundleSpec};
use redress_core::pdf::isolate::Worker;

use crate::args::{BundleArgs, DisclosuresArgs, Global};
use crate::cmd::{err, open, output_target, CliResult};
use crate::output::json;
use crate::passphrase::read_secret_file;

pub fn bundle(g: &Global, args: BundleArgs) -> CliResult {
    let BundleArgs {
        request,
        items,
        all,
        out,
        replace,
        for_contact,
        events,
        password_file,
        keep_metadata,
        attach_original,
        lang,
        plan,
        json: as_json,
    } = args;
    let mut vault = open(g)?;
    let mut spec = if let Some(id) = request {
        BundleSpec::for_request(vault.journal(), id).map_err(err)?
    } else if all {
        BundleSpec::all(vault.journal()).map_err(err)?
    } else if !items.is_empty() {
        BundleSpec::for_items(&items)
    } else {
        return Err("choose what to bundle: --request ID, --items ID,ID… or --all".into());
    };
    if for_contact.is_some() {
        spec.contact = for_contact;
    }
    if !events.is_empty() {
        spec.events = events;
    }
    if let Some(lang) = lang {
        spec.language = lang;
    }
    spec.keep_metadata = keep_metadata;
    spec.attach_originals = attach_original;
    let worker = Worker::current_exe().map_err(err)?;
    if plan {
        return json(&vault.journal().bundle_plan(&spec, &worker).map_err(err)?);
    }
    output_target(g, &out, replace)?;
    let password = password_file.map(|f| read_secret_file(&f, "bundle password")).transpose()?;
    let tty = std::io::stderr().is_terminal();
    let mut progress = |p: BundleProgress| {
        if tty {
            eprint!("\r{:>3}/{} {:<12}", p.done, p.total, p.stage);
            if p.done >= p.total {
                eprint!("\r{:30}\r", "");
            }
        }
        true
    };
    let report =
        redress_core::bundle::export(&mut vault, &spec, password.as_ref(), &out, &worker, &mut progress)
            .map_err(err)?;
    if as_json {
        return json(&report);
    }
    println!(
        "bundle written to {} ({} exhibits, {} pages{}); SHA-256 {}",
        out.display(),
        report.exhibits,
        report.pages,
        if report.encrypted { ", AES-256 encrypted" } else { "" },
        report.sha256
    );
    if report.metadata_removed > 0 {
        println!("metadata (EXIF, GPS) removed from {} pictures", report.metadata_removed);
    }
    for p in &report.placeholders {
        println!("placeholder: exhibit {} (evidence {}): {}", p.number, p.evidence, p.reason);
    }
    println!("recorded in the disclosure log as entry {}", report.disclosure);
    Ok(())
}

pub fn disclosures(g: &Global, DisclosuresArgs { for_contact, json: as_json }: DisclosuresArgs) -> CliResult {
    let vault = open(g)?;
    let list = vault.journal().disclosures(for_contact).map_err(err)?;
    if as_json {
        return json(&list);
    }
    for d in list {
        let who = if d.state.contact_name.is_empty() { "(nobody named)" } else { &d.state.contact_name };
        println!(
            "{:>4}  {}  {}  {} items  {}  {}",
            d.id,
            d.state.at.format("%Y-%m-%d %H:%M"),
            who,
            d.state.items.len(),
            d.state.file_name,
            d.state.sha256
        );
    }
    Ok(())
}
