//! CCF requests and deadline rules: `request list`, `draft`, `checklist`, `deadlines`, `rule`. Annex PDFs are
//! untrusted, so their pages are counted in the isolated worker (this executable, started again), never here.
//! `rule` needs no vault: it computes from the rule table alone.

use redress_core::pdf::isolate::Worker;
use redress_core::rules;

use crate::args::{DraftArgs, Global, JsonArgs, RequestCmd, RuleArgs, RuleCmd, ShowArgs};
use crate::cmd::{err, open, output_target, CliResult};
use crate::output::json;

pub fn request(g: &Global, cmd: RequestCmd) -> CliResult {
    let RequestCmd::List { json: as_json } = cmd;
    let vault = open(g)?;
    let list = vault.journal().list_requests(false).map_err(err)?;
    let rows: Vec<_> = list
        .iter()
        .map(|r| {
            serde_json::json!({
                "id": r.id, "title": r.state.title, "type": r.state.request_type,
                "language": r.state.language, "status": r.state.status,
            })
        })
        .collect();
    if as_json {
        json(&rows)?;
    } else {
        for r in rows {
            println!(
                "{:>4}  {:<20} {:<3} {:<16} {}",
                r["id"],
                r["type"].as_str().unwrap_or("(no type)"),
                r["language"].as_str().unwrap_or(""),
                r["status"].as_str().unwrap_or(""),
                r["title"].as_str().unwrap_or("")
            );
        }
    }
    Ok(())
}

pub fn draft(g: &Global, DraftArgs { id, out, lang, text, replace }: DraftArgs) -> CliResult {
    let vault = open(g)?;
    let worker = Worker::current_exe().map_err(err)?;
    let pages = redress_core::ccf::draft::count_annex_pages(vault.journal(), &worker, id).map_err(err)?;
    let draft =
        redress_core::ccf::draft::assemble(vault.journal(), id, lang.as_deref(), &pages).map_err(err)?;
    if text {
        for s in &draft.sections {
            println!("=== {} ===\n{}\n", s.heading, s.text);
        }
    } else if let Some(out) = out {
        output_target(g, &out, replace)?;
        let rendered = redress_core::pdf::render(&draft.document).map_err(err)?;
        redress_core::ccf::draft::save(&vault, &rendered, &out).map_err(err)?;
        println!(
            "draft written to {} ({} pages); a draft for counsel, not legal advice",
            out.display(),
            rendered.pages
        );
        if !rendered.substituted.is_empty() {
            let chars: Vec<String> =
                rendered.substituted.iter().map(|c| format!("U+{:04X}", *c as u32)).collect();
            println!("warning: characters the font lacks were replaced by U+FFFD: {}", chars.join(" "));
        }
    }
    Ok(())
}

pub fn checklist(g: &Global, ShowArgs { id, json: as_json }: ShowArgs) -> CliResult {
    let vault = open(g)?;
    let list = redress_core::ccf::draft::checklist(vault.journal(), id).map_err(err)?;
    if as_json {
        return json(&list);
    }
    for i in &list.items {
        match (i.passed, i.severity) {
            (true, _) if i.overridden => println!("[ok]      {} (overridden by counsel's reason)", i.label),
            (true, _) => println!("[ok]      {}", i.label),
            (false, redress_core::ccf::Severity::Blocking) => println!("[missing] {} — {}", i.label, i.fix),
            (false, redress_core::ccf::Severity::Warning) => println!("[warning] {} — {}", i.label, i.fix),
        }
    }
    for w in &list.warnings {
        println!("[warning] {}", w.message);
    }
    Ok(())
}

/// The deadlines the person set and those computed from each CCF request's dates, sorted by due date.
pub fn deadlines(g: &Global, JsonArgs { json: as_json }: JsonArgs) -> CliResult {
    let vault = open(g)?;
    let j = vault.journal();
    let mut rows = Vec::new();
    for d in j.list_deadlines(false).map_err(err)? {
        rows.push(serde_json::json!({
            "id": d.id, "title": d.state.title, "due": d.state.current_due().to_string(),
            "original_due": d.state.due.to_string(), "status": d.state.status, "computed": false,
        }));
    }
    for d in j.computed_deadlines("Europe/Paris").map_err(err)? {
        let c = d.computed;
        rows.push(serde_json::json!({
            "request": d.request, "title": c.title, "due": c.due.to_string(), "rule": c.citation,
            "rule_id": c.rule, "kind": c.kind, "status": c.status,
            "computed_from": c.computed_from, "computed": true,
            "due_in_lyon_ends": d.ends_in_lyon,
        }));
    }
    rows.sort_by(|a, b| a["due"].as_str().cmp(&b["due"].as_str()));
    if as_json {
        return json(&rows);
    }
    for r in rows {
        let rule = r["rule"]
            .as_str()
            .map(|x| format!("  [{x}; computed {}]", r["computed_from"].as_str().unwrap_or("")))
            .unwrap_or_default();
        println!("{:<28} {}{rule}", r["due"].as_str().unwrap_or(""), r["title"].as_str().unwrap_or(""));
    }
    Ok(())
}

/// `rule list` and `rule ID DATE`: the rules of the reference's §5, computed without a vault.
pub fn rule(args: RuleArgs) -> CliResult {
    if let Some(RuleCmd::List { json: as_json }) = args.list {
        let list = rules::list();
        if as_json {
            return json(&list);
        }
        for r in list {
            let clock = r.clock.as_deref().unwrap_or(match r.clock_of {
                rules::ClockOf::RequestedState => "the requested state's zone",
                _ => "the filing office's zone",
            });
            println!("{}", r.id);
            println!("    when:     {}", r.trigger_text);
            println!("    computes: {}", r.title);
            println!("    kind:     {}", rule_kind_words(r.kind, r.theirs));
            println!("    rule:     {} [{}]", r.citation, r.status.as_str());
            println!("    clock:    {clock}");
        }
        return Ok(());
    }
    let (Some(id), Some(date)) = (args.id, args.date) else {
        return Err("give a rule id and a date (YYYY-MM-DD), or `rule list`".into());
    };
    let id: rules::RuleId = id.parse().map_err(err)?;
    let from = redress_core::dates::parse_day("date", &date).map_err(err)?;
    let c = rules::compute(id, from, args.zone.as_deref()).map_err(err)?;
    if args.json {
        return json(&c);
    }
    let clock = c.clock.clone().unwrap_or_else(|| "the local zone (give --zone)".into());
    println!("{}  {}", c.due.format("%Y-%m-%d"), c.title);
    println!("    ends:     23:59 on that day, {clock}");
    println!("    kind:     {}", rule_kind_words(c.kind, c.theirs));
    println!("    counted:  {}", c.computed_from);
    println!("    rule:     {} [{}]", c.citation, c.status.as_str());
    for n in &c.notes {
        println!("    note:     {} [{}]", n.text, n.status.as_str());
    }
    Ok(())
}

fn rule_kind_words(kind: rules::DueKind, theirs: bool) -> &'static str {
    match (kind, theirs) {
        (rules::DueKind::Expectation, _) => "what to expect, not a limit",
        (_, true) => "a limit for the other side, not for you",
        (_, false) => "your limit",
    }
}
