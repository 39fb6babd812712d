//! Scans: `ocr` reads an evidence item's pages with offline OCR in the isolated worker (this executable, started
//! again) and stores the text as a new version; `text` prints what was recognised, page by page. A page that
//! could not be read is said so, never shown as an empty page of text. `translation` links a translation to its
//! original.

use redress_core::pdf::isolate::Worker;
use redress_core::Kind;

use redress_core::records::translations::{language_name, TranslationInput};

use crate::args::{Global, JsonArgs, OcrArgs, TextArgs, TranslationCmd};
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

pub fn translation(g: &Global, cmd: TranslationCmd) -> CliResult {
    match cmd {
        TranslationCmd::Link { original, translation, language, translator, certified, date } => {
            let mut vault = open(g)?;
            let input = TranslationInput { original, language, translator, certified, date };
            vault.journal_mut().link_translation(translation, &input).map_err(err)?;
            let item = vault.journal().evidence(translation).map_err(err)?;
            let code = item.state.translation.map(|t| t.language).unwrap_or_default();
            println!(
                "evidence {translation} is now the {} translation of evidence {original}",
                language_name(&code, "en")
            );
            Ok(())
        }
        TranslationCmd::Unlink { translation } => {
            let mut vault = open(g)?;
            vault.journal_mut().unlink_translation(translation).map_err(err)?;
            println!("evidence {translation} is no longer linked as a translation (the item stays)");
            Ok(())
        }
        TranslationCmd::List(JsonArgs { json: as_json }) => {
            let vault = open(g)?;
            let links = vault.journal().translation_links().map_err(err)?;
            if as_json {
                return json(&links);
            }
            if links.is_empty() {
                println!("no translations are linked");
            }
            for l in links {
                let original = if l.original_title.is_empty() {
                    format!("{} (in the trash or erased)", l.link.original)
                } else {
                    format!("{} '{}'", l.link.original, l.original_title)
                };
                let mut details = vec![language_name(&l.link.language, "en")];
                if l.link.certified {
                    details.push("certified".into());
                }
                if !l.link.translator.is_empty() {
                    details.push(format!("by {}", l.link.translator));
                }
                if let Some(d) = l.link.date {
                    details.push(d.to_string());
                }
                println!("{} '{}' translates {original}: {}", l.translation, l.title, details.join(", "));
            }
            Ok(())
        }
    }
}
