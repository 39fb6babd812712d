//! Scans: `ocr` reads an evidence item's pages with offline OCR in the isolated worker (this executable, started
//! again) and stores the text as a new version; `text` prints what was recognised, page by page. A page that
//! could not be read is said so, never shown as an empty page of text.

use redress_core::pdf::isolate::Worker;
use redress_core::Kind;

use crate::args::{Global, OcrArgs, TextArgs};
use crate::cmd::{err, open, CliResult};
use crate::output::json;

pub fn ocr(g: &Global, OcrArgs { id, lang, force, json: as_json }: OcrArgs) -> CliResult {
    let mut vault = open(g)?;
    let worker = Worker::current_exe().map_err(err)?;
    let mut progress = |done: u32, total: u32| {
        eprintln!("progress {done} {total}");
        true
    };
    let outcome = redress_core::scan::recognise(
        vault.journal_mut(),
        &worker,
        id,
        lang.as_deref(),
        force,
        &mut progress,
    )
    .map_err(err)?;
    if as_json {
        return json(&outcome);
    }
    println!(
        "recognised evidence {id}: version {}, {} page(s), {} word(s), languages {}",
        outcome.version, outcome.pages, outcome.words, outcome.languages
    );
    for p in &outcome.skipped {
        match p.reason.as_str() {
            redress_core::scan::HAS_TEXT => {
                println!("page {}: has text of its own (not read; --force reads it)", p.page)
            }
            _ if p.detail.is_empty() => println!("page {} could not be read: {}", p.page, p.reason),
            _ => println!("page {} could not be read: {} ({})", p.page, p.reason, p.detail),
        }
    }
    if outcome.words == 0 {
        println!("no text was found");
    }
    Ok(())
}

pub fn text(g: &Global, TextArgs { id, version, versions, json: as_json }: TextArgs) -> CliResult {
    let vault = open(g)?;
    let journal = vault.journal();
    journal.evidence(id).map_err(err)?;
    if versions {
        let runs = journal.text_versions(Kind::Evidence, id).map_err(err)?;
        if as_json {
            return json(&runs);
        }
        for r in runs {
            println!("version {}  {}  {} page(s)  {}", r.version, r.languages, r.pages, r.at);
        }
        return Ok(());
    }
    let Some((run, pages)) = journal.recognised_pages(Kind::Evidence, id, version).map_err(err)? else {
        return Err(match version {
            Some(v) => format!("evidence item {id} has no recognised text of version {v}"),
            None => format!("evidence item {id} has no recognised text yet; run `redress-cli ocr {id}`"),
        });
    };
    if as_json {
        let pages: Vec<_> = pages
            .iter()
            .map(|p| serde_json::json!({ "page": p.page, "text": p.text, "problem": p.problem, "detail": p.detail }))
            .collect();
        return json(&serde_json::json!({ "version": run, "pages": pages }));
    }
    println!("evidence {id}, version {} ({}, {})", run.version, run.languages, run.at);
    for p in pages {
        println!("--- page {} ---", p.page);
        match &p.problem {
            Some(why) if why == redress_core::scan::HAS_TEXT => {
                println!("[this page has text of its own; not read]")
            }
            Some(why) => println!("[this page could not be read: {why} {}]", p.detail),
            None => println!("{}", p.text),
        }
    }
    Ok(())
}
