//! The bundle as a `pdf::Document`: cover, index (one table per section), chronology, the exhibits' pages or
//! placeholders, the "how to verify" page, and a stamp on every page. Laid out twice: `PageMap` says where things
//! landed last time (pages of each exhibit, of the index), so the next layout can print the real numbers.

use std::collections::{BTreeMap, HashMap};

use super::exhibits::{Body, Note, Part};
use super::spec::Checked;
use super::texts::{fill, human_size, Texts};
use crate::error::{Error, Result};
use crate::pdf::{self, Block, Document};

pub(super) struct Cover {
    pub(super) case: String,
    pub(super) prepared_for: String,
    pub(super) date: String,
    pub(super) chain: (i64, String),
    pub(super) encrypted: bool,
}

/// Where things landed in the last layout (1-based pages): what the next layout prints in the index and stamps.
#[derive(Debug, Default, PartialEq, Eq)]
pub(super) struct PageMap {
    pub(super) total: u32,
    pub(super) index_page: u32,
    pub(super) chronology_page: Option<u32>,
    pub(super) verify_page: u32,
    /// Exhibit number → (first page, last page).
    pub(super) ranges: BTreeMap<u32, (u32, u32)>,
}

/// What to look for in the rendered document to find where things are.
#[derive(Default)]
pub(super) struct Anchors {
    /// Heading number (among the document's headings) of the index, the chronology and the verify page.
    pub(super) index: usize,
    pub(super) chronology: Option<usize>,
    pub(super) verify: usize,
    /// For each exhibit in order: its first slot (number among slots) or its heading.
    pub(super) exhibits: Vec<(u32, Anchor)>,
    /// (table, row) of the index → exhibit number.
    pub(super) index_rows: HashMap<(usize, usize), u32>,
}

pub(super) enum Anchor {
    Slots { first: usize, count: usize },
    Heading(usize),
}

impl PageMap {
    pub(super) fn from_rendered(r: &pdf::Rendered, a: &Anchors) -> Result<PageMap> {
        let heading = |h: usize| {
            r.section_pages
                .get(h)
                .map(|s| s.1)
                .ok_or_else(|| Error::Integrity("a heading went missing".into()))
        };
        let slot = |s: usize| {
            r.slot_pages.get(s).copied().ok_or_else(|| Error::Integrity("a slot went missing".into()))
        };
        let verify_page = heading(a.verify)?;
        let mut starts = Vec::with_capacity(a.exhibits.len());
        for (number, anchor) in &a.exhibits {
            let first = match anchor {
                Anchor::Slots { first, .. } => slot(*first)?,
                Anchor::Heading(h) => heading(*h)?,
            };
            starts.push((*number, first, anchor));
        }
        let mut ranges = BTreeMap::new();
        for (k, (number, first, anchor)) in starts.iter().enumerate() {
            let last = match anchor {
                Anchor::Slots { first, count } => slot(first + count.saturating_sub(1))?,
                Anchor::Heading(_) => {
                    starts.get(k + 1).map_or(verify_page, |n| n.1).saturating_sub(1).max(*first)
                }
            };
            ranges.insert(*number, (*first, last));
        }
        Ok(PageMap {
            total: r.pages,
            index_page: heading(a.index)?,
            chronology_page: a.chronology.map(heading).transpose()?,
            verify_page,
            ranges,
        })
    }
}

/// The bundle as a `pdf::Document`, numbered from `layout` (zeros on the first pass), and its anchors.
pub(super) fn document(
    language: &str,
    t: &Texts,
    cover: &Cover,
    checked: &Checked,
    parts: &[Part],
    layout: &PageMap,
) -> Result<(Document, Anchors)> {
    let mut blocks = Vec::new();
    let mut headings = 0usize;
    let mut heading = |blocks: &mut Vec<Block>, text: String| {
        blocks.push(Block::Heading { text, bookmark: false });
        headings += 1;
        headings - 1
    };
    let mut anchors = Anchors::default();
    // The widest numbers until the real ones are known, so the index takes its final room from the first pass.
    let total = if layout.total == 0 { 9999 } else { layout.total };

    blocks.push(Block::Title(t.title.clone()));
    let mut rows = Vec::new();
    if !cover.case.is_empty() {
        rows.push((t.case.clone(), cover.case.clone()));
    }
    let prepared = if cover.prepared_for.is_empty() { t.nobody.clone() } else { cover.prepared_for.clone() };
    rows.push((t.prepared_for.clone(), prepared));
    rows.push((t.date.clone(), cover.date.clone()));
    rows.push((t.items.clone(), checked.exhibits.len().to_string()));
    rows.push((t.pages.clone(), total.to_string()));
    let chain =
        fill(&t.chain_head_value, &[("seq", cover.chain.0.to_string()), ("hash", cover.chain.1.clone())]);
    rows.push((t.chain_head.clone(), chain));
    blocks.push(Block::KeyValue(rows));
    blocks.push(Block::Spacer(12.0));
    blocks.push(Block::Paragraph(t.cover_note.clone()));
    if cover.encrypted {
        blocks.push(Block::Paragraph(t.encrypted_note.clone()));
    }

    blocks.push(Block::PageBreak);
    anchors.index = heading(&mut blocks, t.index.clone());
    let header = vec![
        t.col_number.clone(),
        t.col_title.clone(),
        t.col_date.clone(),
        t.col_pages.clone(),
        t.col_sha256.clone(),
    ];
    let mut table = 0usize;
    let mut k = 0;
    while k < checked.exhibits.len() {
        let section = &checked.exhibits[k].0;
        let mut rows = Vec::new();
        while let Some((s, number, item)) = checked.exhibits.get(k) {
            if s != section {
                break;
            }
            let pages = match layout.ranges.get(number) {
                Some((a, b)) if a == b => a.to_string(),
                Some((a, b)) => format!("{a}–{b}"),
                None => "9999–9999".into(),
            };
            let date = item.state.doc_date.as_ref().map(|d| d.to_string()).unwrap_or_default();
            anchors.index_rows.insert((table, rows.len()), *number);
            let title = match checked.link_line(*number, t) {
                Some(line) => format!("{}\n{line}", item.state.title),
                None => item.state.title.clone(),
            };
            rows.push(vec![number.to_string(), title, date, pages, item.state.sha256.clone()]);
            k += 1;
        }
        heading(&mut blocks, section.clone());
        blocks.push(Block::Table {
            header: header.clone(),
            rows,
            widths: vec![0.07, 0.31, 0.14, 0.13, 0.35],
        });
        table += 1;
    }

    let numbers: HashMap<i64, u32> = checked.exhibits.iter().map(|(_, n, i)| (i.id, *n)).collect();
    if !checked.events.is_empty() {
        blocks.push(Block::PageBreak);
        anchors.chronology = Some(heading(&mut blocks, t.chronology.clone()));
        let rows = checked
            .events
            .iter()
            .map(|e| {
                let refs: Vec<String> = e
                    .state
                    .evidence
                    .iter()
                    .filter_map(|id| numbers.get(id))
                    .map(|n| fill(&t.exhibit_ref, &[("n", n.to_string())]))
                    .collect();
                let mut what = e.state.title.clone();
                if !e.state.description.trim().is_empty() {
                    what = format!("{what}\n{}", e.state.description.trim());
                }
                vec![e.state.date.to_string(), what, e.state.place.clone(), refs.join(", ")]
            })
            .collect();
        let header =
            vec![t.col_date.clone(), t.col_event.clone(), t.col_place.clone(), t.col_exhibits.clone()];
        blocks.push(Block::Table { header, rows, widths: vec![0.16, 0.52, 0.16, 0.16] });
    }

    let mut slots = 0usize;
    for part in parts {
        let item = checked.exhibits.iter().find(|e| e.1 == part.number).map(|e| &e.2);
        let title = item.map_or_else(|| part.title.clone(), |i| checked.heading_title(part.number, i, t));
        let head = fill(&t.exhibit_heading, &[("n", part.number.to_string()), ("title", title)]);
        match &part.body {
            Body::Pages(ex) => {
                for p in 0..ex.page_count() {
                    let (w, h) = ex.page_size(p);
                    blocks.push(Block::Slot { width: w, height: h, band: true });
                }
                anchors.exhibits.push((part.number, Anchor::Slots { first: slots, count: ex.page_count() }));
                slots += ex.page_count();
            }
            Body::Picture(..) => {
                blocks.push(Block::Slot { width: pdf::A4.0, height: pdf::A4.1, band: false });
                anchors.exhibits.push((part.number, Anchor::Slots { first: slots, count: 1 }));
                slots += 1;
            }
            Body::Text(text) => {
                blocks.push(Block::PageBreak);
                let h = heading(&mut blocks, head);
                anchors.exhibits.push((part.number, Anchor::Heading(h)));
                for para in text.split("\n\n") {
                    blocks.push(Block::Paragraph(para.to_owned()));
                }
            }
            Body::Placeholder { reason, note } => {
                blocks.push(Block::PageBreak);
                let h = heading(&mut blocks, head);
                anchors.exhibits.push((part.number, Anchor::Heading(h)));
                blocks.push(Block::Paragraph(t.placeholder_title.clone()));
                if let Some(item) = item {
                    let mut rows = vec![
                        (t.placeholder_file.clone(), item.state.original_name.clone()),
                        (t.placeholder_type.clone(), item.state.mime.clone()),
                        (t.placeholder_size.clone(), human_size(item.state.size)),
                        (t.placeholder_sha256.clone(), item.state.sha256.clone()),
                    ];
                    if let Some(d) = &item.state.doc_date {
                        rows.push((t.placeholder_date.clone(), d.to_string()));
                    }
                    if !item.state.description.trim().is_empty() {
                        rows.push((t.placeholder_description.clone(), item.state.description.clone()));
                    }
                    rows.push((t.placeholder_reason.clone(), reason.clone()));
                    blocks.push(Block::KeyValue(rows));
                }
                let note = match note {
                    Note::Attached => &t.attached_note,
                    Note::NotAttached => &t.not_attached_note,
                    Note::Withheld => &t.withheld_note,
                };
                blocks.push(Block::Paragraph(note.clone()));
            }
        }
    }
    blocks.push(Block::PageBreak);
    anchors.verify = heading(&mut blocks, t.verify.clone());
    blocks.push(Block::Paragraph(t.verify_intro.clone()));
    blocks.push(Block::KeyValue(vec![
        (t.verify_windows.clone(), t.verify_windows_cmd.clone()),
        (t.verify_macos.clone(), t.verify_macos_cmd.clone()),
        (t.verify_linux.clone(), t.verify_linux_cmd.clone()),
    ]));
    blocks.push(Block::Paragraph(t.verify_pages.clone()));
    blocks.push(Block::Paragraph(t.verify_chain.clone()));
    if parts.iter().any(|p| matches!(p.body, Body::Picture(..)) && p.attachment.is_some()) {
        blocks.push(Block::Paragraph(t.kept_metadata_note.clone()));
    }

    // The stamps of the exhibits typeset here share the footer's line: room is kept for the widest, on every pass.
    let label_samples = parts
        .iter()
        .filter(|p| matches!(p.body, Body::Text(_) | Body::Placeholder { .. }))
        .map(|p| {
            let wide = "9999".to_owned();
            fill(
                &t.stamp_exhibit,
                &[("n", checked.stamp_number(p.number, t)), ("i", wide.clone()), ("count", wide)],
            )
        })
        .collect();

    // Page labels: the stamp of every page, from the last layout.
    let mut page_labels = Vec::new();
    if layout.total > 0 {
        let mut owner: Vec<Option<(u32, u32, u32)>> = vec![None; layout.total as usize + 1];
        for (number, (a, b)) in &layout.ranges {
            for p in *a..=*b {
                if let Some(slot) = owner.get_mut(p as usize) {
                    *slot = Some((*number, p - a + 1, b - a + 1));
                }
            }
        }
        for p in 1..=layout.total {
            let pairs_total = [("page", p.to_string()), ("pages", layout.total.to_string())];
            let label = match owner.get(p as usize).copied().flatten() {
                Some((n, i, count)) => fill(
                    &t.stamp_exhibit,
                    &[
                        ("n", checked.stamp_number(n, t)),
                        ("i", i.to_string()),
                        ("count", count.to_string()),
                        pairs_total[0].clone(),
                        pairs_total[1].clone(),
                    ],
                ),
                None => fill(&t.stamp_bundle, &pairs_total),
            };
            page_labels.push(label);
        }
    }
    let doc = Document {
        title: if cover.case.is_empty() {
            t.title.clone()
        } else {
            format!("{} — {}", t.title, cover.case)
        },
        language: language.to_owned(),
        author: String::new(),
        subject: t.footer.clone(),
        footer: t.footer.clone(),
        page_label: t.stamp_bundle.clone(),
        page_labels,
        label_samples,
        blocks,
    };
    Ok((doc, anchors))
}
