//! Evidence items: `import`, `list`, `show`, `edit`, `export`. An import checks every file before it writes
//! anything, so one bad file among many changes nothing; a duplicate is reported and skipped, not an error.

use redress_core::evidence::{check_source, EvidenceMeta};
use redress_core::Error;

use crate::args::{EditArgs, ExportArgs, Global, ImportArgs, ListArgs, ShowArgs};
use crate::cmd::{err, open, output_target, CliResult};
use crate::output::{json, progress_printer};

pub fn import(g: &Global, args: ImportArgs) -> CliResult {
    let ImportArgs { files, title, tags, date, description, source, language, progress } = args;
    // Check every file before importing any: bad input changes nothing.
    let sources = files.iter().map(|f| check_source(f)).collect::<Result<Vec<_>, _>>().map_err(err)?;
    let mut vault = open(g)?;
    let meta = EvidenceMeta {
        title,
        doc_date: date.unwrap_or_default(),
        source: source.unwrap_or_default(),
        language: language.unwrap_or_default(),
        description: description.unwrap_or_default(),
        tags,
    };
    let mut imported = 0;
    for s in &sources {
        let mut report = progress_printer(progress);
        match vault.journal_mut().import(s, &meta, &mut report) {
            Ok(item) => {
                imported += 1;
                println!("imported {} {} {} {}", item.id, item.sha256, item.size, item.mime);
            }
            Err(e @ Error::Duplicate { .. }) => println!("skipped: {e}"),
            Err(e) => return Err(err(e)),
        }
    }
    if imported == 0 && sources.len() > 1 {
        println!("nothing new to import");
    }
    Ok(())
}

pub fn list(g: &Global, ListArgs { json: as_json, trash }: ListArgs) -> CliResult {
    let vault = open(g)?;
    let items = vault.journal().list_evidence(trash).map_err(err)?;
    if as_json {
        let rows: Vec<_> = items
            .iter()
            .map(|i| {
                serde_json::json!({
                    "id": i.id, "title": i.state.title, "sha256": i.state.sha256,
                    "size": i.state.size, "type": i.state.mime, "trashed": i.trashed,
                })
            })
            .collect();
        json(&rows)?;
    } else {
        for i in items {
            println!(
                "{:>4}  {:<24} {:>12}  {}  {}{}",
                i.id,
                i.state.mime,
                i.state.size,
                &i.state.sha256[..16],
                i.state.title,
                if i.trashed { "  (in trash)" } else { "" }
            );
        }
    }
    Ok(())
}

pub fn show(g: &Global, ShowArgs { id, json: as_json }: ShowArgs) -> CliResult {
    let vault = open(g)?;
    let item = vault.journal().evidence(id).map_err(err)?;
    let events = vault.journal().events_for_evidence(id).map_err(err)?;
    if as_json {
        json(
            &serde_json::json!({ "item": item, "events": events.iter().map(|e| e.id).collect::<Vec<_>>() }),
        )?;
    } else {
        let s = &item.state;
        println!("id:            {}", item.id);
        println!("title:         {}", s.title);
        println!("file name:     {}", s.original_name);
        println!("type:          {}", s.mime);
        println!("size:          {} bytes", s.size);
        println!("sha256:        {}", s.sha256);
        println!("document date: {}", s.doc_date.map(|d| d.to_string()).unwrap_or_default());
        println!("source:        {}", s.source);
        println!("language:      {}", s.language);
        println!("tags:          {}", s.tags.join(", "));
        println!("in trash:      {}", if item.trashed { "yes" } else { "no" });
        println!("events:        {}", events.iter().map(|e| e.id.to_string()).collect::<Vec<_>>().join(", "));
        if let Some(t) = &s.translation {
            let certified = if t.certified { ", certified" } else { "" };
            println!("translation:   of evidence {} into {}{certified}", t.original, t.language);
        }
        let translations = vault.journal().translations_of(id).map_err(err)?;
        if !translations.is_empty() {
            let list: Vec<String> = translations
                .iter()
                .map(|t| {
                    format!("{} ({})", t.id, t.state.translation.as_ref().map_or("", |l| l.language.as_str()))
                })
                .collect();
            println!("translations:  {}", list.join(", "));
        }
        if !s.description.is_empty() {
            println!("description:\n{}", s.description);
        }
    }
    Ok(())
}

pub fn edit(g: &Global, args: EditArgs) -> CliResult {
    let EditArgs { id, title, date, description, source, language, tags } = args;
    let mut vault = open(g)?;
    let current = vault.journal().evidence(id).map_err(err)?.state;
    let meta = EvidenceMeta {
        title: Some(title.unwrap_or(current.title)),
        doc_date: date.unwrap_or_else(|| current.doc_date.map(|d| d.to_string()).unwrap_or_default()),
        source: source.unwrap_or(current.source),
        language: language.unwrap_or(current.language),
        description: description.unwrap_or(current.description),
        tags: tags.unwrap_or(current.tags),
    };
    vault.journal_mut().edit_evidence(id, &meta).map_err(err)?;
    println!("edited evidence item {id}");
    Ok(())
}

pub fn export(g: &Global, ExportArgs { id, out, replace }: ExportArgs) -> CliResult {
    output_target(g, &out, replace)?;
    let mut vault = open(g)?;
    let mut report = progress_printer(false);
    let sha = vault.journal_mut().export_evidence(id, &out, &mut report).map_err(err)?;
    println!("exported {id} to {} (sha256 {sha}, verified)", out.display());
    Ok(())
}
