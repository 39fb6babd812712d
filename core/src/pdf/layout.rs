//! Our line layout: blocks become *strips* (one visual line each, with the space before it and whether it must
//! stay on the same page as the next), then strips are poured into A4 pages. Keeping lines together is all done
//! with `keep_with_next`: a heading keeps with the first two lines of what follows, a paragraph's first and last
//! two lines stay together (no orphans, no widows), a table row or key–value row stays whole. A run that cannot
//! fit even on an empty page is broken line by line rather than overflowing.

use super::fonts::{Cleaner, Face, Fonts, Style};
use super::Block;
use crate::error::{Error, Result};

/// A4 in points (210 × 297 mm).
pub(crate) const PAGE_W: f32 = 595.2756;
pub(crate) const PAGE_H: f32 = 841.8898;
/// 25 mm on every side; the footer sits inside the bottom margin.
pub(crate) const MARGIN_X: f32 = 70.866;
pub(crate) const MARGIN_TOP: f32 = 70.866;
pub(crate) const TEXT_W: f32 = PAGE_W - 2.0 * MARGIN_X;
/// Where the body ends, measured from the page bottom, with a footer of one or two lines.
pub(crate) const DEFAULT_BODY_BOTTOM: f32 = 70.866;

const BODY: f32 = 11.0;
const TITLE: f32 = 17.0;
const HEADING: f32 = 13.0;
const CELL: f32 = 9.5;
pub(crate) const FOOTER: f32 = 8.0;
/// Line height as a multiple of the type size.
const LEADING: f32 = 1.4;
/// Cap height of Noto Sans in em, to centre a line's capitals in its line height.
const CAP_HEIGHT: f32 = 0.714;
/// The footer's last baseline, 12 mm above the page bottom.
pub(crate) const FOOTER_BASELINE: f32 = 34.0;
const CELL_PAD_X: f32 = 4.0;
const CELL_PAD_Y: f32 = 3.0;
/// The smallest and largest side of a `Block::Slot` page: 1 inch and 200 inches, as PDF viewers accept.
pub(crate) const MIN_SLOT: f32 = 72.0;
pub(crate) const MAX_SLOT: f32 = 14_400.0;
/// Tolerance for float sums when checking whether something fits.
const EPS: f32 = 0.01;

/// Something drawn on a strip, positioned from the strip's top left corner (x to the right of the left margin,
/// y downwards).
#[derive(Debug, Clone)]
pub(crate) enum Item {
    Text { x: f32, baseline: f32, style: Style, size: f32, text: String },
    Rule { x1: f32, x2: f32, y: f32, width: f32, grey: f32 },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Role {
    Flow,
    PageBreak,
    /// The first line of heading number n (index into `Laid::sections`).
    Section(usize),
    TableHeader(usize),
    TableRow(usize),
    /// A page of its own, to be filled by the caller: slot number n (index into `Laid::slots`).
    Slot(usize),
}

/// One line of the flow.
#[derive(Debug, Clone)]
pub(crate) struct Strip {
    pub(crate) height: f32,
    /// Vertical space above the strip, dropped at the top of a page.
    pub(crate) space_before: f32,
    /// The strip must end up on the same page as the one after it.
    pub(crate) keep_with_next: bool,
    pub(crate) items: Vec<Item>,
    pub(crate) role: Role,
    /// For a line of a table's body: the row it belongs to (0-based), so a caller can link the row.
    pub(crate) row: Option<usize>,
}

impl Strip {
    fn new(height: f32) -> Strip {
        Strip {
            height,
            space_before: 0.0,
            keep_with_next: false,
            items: Vec::new(),
            role: Role::Flow,
            row: None,
        }
    }
}

/// A page left for the caller to fill (see `Block::Slot`), in points.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Slot {
    pub(crate) width: f32,
    pub(crate) height: f32,
    pub(crate) band: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum StripRef {
    Flow(usize),
    /// Strip k of table t's header, repeated at the top of a continuation page.
    Header(usize, usize),
}

#[derive(Debug, Clone, Copy)]
pub(crate) struct Placed {
    /// Distance of the strip's top below the top of the body area.
    pub(crate) top: f32,
    pub(crate) strip: StripRef,
}

#[derive(Debug, Clone)]
pub(crate) struct Section {
    pub(crate) text: String,
    pub(crate) bookmark: bool,
    /// 1-based page the heading starts on.
    pub(crate) page: u32,
    /// Distance of the heading's top below the top of the body area.
    pub(crate) top: f32,
}

/// Laid-out pages: what goes where, before anything is painted.
#[derive(Debug)]
pub(crate) struct Laid {
    strips: Vec<Strip>,
    headers: Vec<Vec<Strip>>,
    pub(crate) pages: Vec<Vec<Placed>>,
    pub(crate) sections: Vec<Section>,
    pub(crate) slots: Vec<Slot>,
}

impl Laid {
    /// The slot a page (0-based) is, if it is one.
    pub(crate) fn slot_of(&self, page: usize) -> Option<Slot> {
        let first = self.pages.get(page)?.first()?;
        match self.strip(first.strip)?.role {
            Role::Slot(n) => self.slots.get(n).copied(),
            _ => None,
        }
    }

    pub(crate) fn strip(&self, r: StripRef) -> Option<&Strip> {
        match r {
            StripRef::Flow(i) => self.strips.get(i),
            StripRef::Header(t, k) => self.headers.get(t).and_then(|h| h.get(k)),
        }
    }

    pub(crate) fn page_count(&self) -> u32 {
        u32::try_from(self.pages.len()).unwrap_or(u32::MAX)
    }
}

/// The footer text wrapped beside the page label, the same on every page.
pub(crate) struct Footer {
    pub(crate) lines: Vec<String>,
    label: String,
}

impl Footer {
    pub(crate) fn new(
        fonts: &Fonts,
        cleaner: &mut Cleaner<'_>,
        footer: &str,
        page_label: &str,
        samples: &[String],
    ) -> Footer {
        let label = cleaner.clean_line(page_label);
        let widest =
            |l: &str| fonts.regular.width(&l.replace("{page}", "0000").replace("{pages}", "0000"), FOOTER);
        let mut reserve = widest(&label);
        for sample in samples {
            reserve = reserve.max(widest(&cleaner.clean_line(sample)));
        }
        let reserve = reserve + 18.0;
        let room = (TEXT_W - reserve).max(TEXT_W * 0.4);
        let text = cleaner.clean_line(footer);
        let lines =
            if text.trim().is_empty() { Vec::new() } else { wrap(&fonts.regular, FOOTER, &text, room) };
        Footer { lines, label }
    }

    pub(crate) fn line_height() -> f32 {
        FOOTER * LEADING
    }

    /// The lowest point of the body, from the page bottom: the usual margin, or higher for a long footer.
    pub(crate) fn body_bottom(&self) -> f32 {
        let lines = self.lines.len().max(1) as f32;
        let footer_top = FOOTER_BASELINE + (lines - 1.0) * Footer::line_height() + FOOTER;
        (footer_top + 14.0).max(DEFAULT_BODY_BOTTOM)
    }

    pub(crate) fn label(&self, page: u32, pages: u32) -> String {
        self.label.replace("{pages}", &pages.to_string()).replace("{page}", &page.to_string())
    }

    /// A page's own label (already cleaned), with `{page}` and `{pages}` replaced.
    pub(crate) fn label_with(own: &str, page: u32, pages: u32) -> String {
        own.replace("{pages}", &pages.to_string()).replace("{page}", &page.to_string())
    }
}

/// Lays `blocks` out on pages whose body ends `body_bottom` points above the page bottom. With `rtl`, every line
/// is mirrored: text starts at the right margin, a key–value label stands right of its value, a list's numbers
/// right of its items, a table's first column at the right (the lines' own order is the painter's, by bidi).
pub(crate) fn lay_out<'f>(
    fonts: &'f Fonts,
    cleaner: &mut Cleaner<'f>,
    blocks: &[Block],
    body_bottom: f32,
    rtl: bool,
) -> Result<Laid> {
    let mut b = Builder {
        fonts,
        cleaner,
        strips: Vec::new(),
        headers: Vec::new(),
        sections: Vec::new(),
        slots: Vec::new(),
        pending: 0.0,
    };
    for (n, block) in blocks.iter().enumerate() {
        b.block(n, block)?;
    }
    let Builder { mut strips, mut headers, mut sections, slots, .. } = b;
    if rtl {
        for strip in strips.iter_mut().chain(headers.iter_mut().flatten()) {
            mirror(fonts, strip);
        }
    }
    let body_h = PAGE_H - MARGIN_TOP - body_bottom;
    let pages = paginate(&strips, &headers, &mut sections, body_h);
    Ok(Laid { strips, headers, pages, sections, slots })
}

/// The strip seen in a mirror: what stood at x from the left margin now ends x from the right margin.
fn mirror(fonts: &Fonts, strip: &mut Strip) {
    for item in &mut strip.items {
        match item {
            Item::Text { x, style, size, text, .. } => {
                *x = (TEXT_W - *x - fonts.face(*style).width(text, *size)).max(0.0);
            }
            Item::Rule { x1, x2, .. } => {
                (*x1, *x2) = (TEXT_W - *x2, TEXT_W - *x1);
            }
        }
    }
}

struct Builder<'a, 'f> {
    fonts: &'f Fonts,
    cleaner: &'a mut Cleaner<'f>,
    strips: Vec<Strip>,
    headers: Vec<Vec<Strip>>,
    sections: Vec<Section>,
    slots: Vec<Slot>,
    /// Space requested by `Spacer`s and by the previous block, added before the next block.
    pending: f32,
}

/// Where a line's baseline sits below its top: the capitals centred in the line height.
fn baseline(line_h: f32, size: f32) -> f32 {
    0.5 * (line_h + CAP_HEIGHT * size)
}

impl Builder<'_, '_> {
    fn block(&mut self, n: usize, block: &Block) -> Result<()> {
        match block {
            Block::Title(text) => {
                let lines = self.wrapped(text, Style::Bold, TITLE, TEXT_W);
                let face = self.fonts.face(Style::Bold);
                let space = self.take_space(0.0);
                for (i, line) in lines.into_iter().enumerate() {
                    let x = ((TEXT_W - face.width(&line, TITLE)) / 2.0).max(0.0);
                    let mut s = self.line(x, Style::Bold, TITLE, line);
                    s.space_before = if i == 0 { space } else { 0.0 };
                    // Like a heading, a title is never left alone at the bottom of a page.
                    s.keep_with_next = true;
                    self.strips.push(s);
                }
                self.pending = 10.0;
            }
            Block::Heading { text, bookmark } => {
                let lines = self.wrapped(text, Style::Bold, HEADING, TEXT_W);
                let space = self.take_space(14.0);
                let section = self.sections.len();
                self.sections.push(Section {
                    text: text.trim().to_owned(),
                    bookmark: *bookmark,
                    page: 0,
                    top: 0.0,
                });
                for (i, line) in lines.into_iter().enumerate() {
                    let mut s = self.line(0.0, Style::Bold, HEADING, line);
                    if i == 0 {
                        s.space_before = space;
                        s.role = Role::Section(section);
                    }
                    // A heading keeps with what follows, whose first lines keep together in turn.
                    s.keep_with_next = true;
                    self.strips.push(s);
                }
            }
            Block::Paragraph(text) => {
                let lines = self.wrapped(text.trim_end(), Style::Regular, BODY, TEXT_W);
                let space = self.take_space(6.0);
                let strips =
                    lines.into_iter().map(|l| vec![self.text(0.0, Style::Regular, BODY, l)]).collect();
                self.flowing(strips, BODY, space);
            }
            Block::KeyValue(rows) => self.key_values(rows),
            Block::List(items) => self.list(items),
            Block::Table { header, rows, widths } => self.table(n, header, rows, widths)?,
            Block::Spacer(points) => {
                if points.is_finite() && *points > 0.0 {
                    self.pending += points.min(PAGE_H);
                }
            }
            Block::PageBreak => {
                let mut s = Strip::new(0.0);
                s.role = Role::PageBreak;
                self.strips.push(s);
                self.pending = 0.0;
            }
            Block::Signature { place_date, name } => self.signature(place_date, name),
            Block::Slot { width, height, band } => {
                let ok = |v: &f32| v.is_finite() && (MIN_SLOT..=MAX_SLOT).contains(v);
                if !ok(width) || !ok(height) {
                    return Err(Error::invalid(
                        format!("block {}", n + 1),
                        format!(
                            "a page of {width} × {height} points is outside {MIN_SLOT}–{MAX_SLOT} points a side"
                        ),
                    ));
                }
                let mut s = Strip::new(0.0);
                s.role = Role::Slot(self.slots.len());
                self.slots.push(Slot { width: *width, height: *height, band: *band });
                self.strips.push(s);
                self.pending = 0.0;
            }
        }
        Ok(())
    }

    /// The block's own space before it, plus what a `Spacer` or the previous block asked for.
    fn take_space(&mut self, own: f32) -> f32 {
        let space = own + self.pending;
        self.pending = 0.0;
        space
    }

    /// `text` cleaned and wrapped; a blank text still yields one empty line so the block keeps its place.
    fn wrapped(&mut self, text: &str, style: Style, size: f32, width: f32) -> Vec<String> {
        let text = self.cleaner.clean(text);
        let text = text.trim_matches(|c| c == '\n' || c == ' ');
        if text.is_empty() {
            return vec![String::new()];
        }
        wrap(self.fonts.face(style), size, text, width)
    }

    fn text(&self, x: f32, style: Style, size: f32, text: String) -> Item {
        Item::Text { x, baseline: baseline(size * LEADING, size), style, size, text }
    }

    fn line(&self, x: f32, style: Style, size: f32, text: String) -> Strip {
        let mut s = Strip::new(size * LEADING);
        s.items.push(self.text(x, style, size, text));
        s
    }

    /// Lines of running text (a paragraph, a list item): the first two and the last two stay together.
    fn flowing(&mut self, lines: Vec<Vec<Item>>, size: f32, space: f32) {
        let n = lines.len();
        for (i, items) in lines.into_iter().enumerate() {
            let mut s = Strip::new(size * LEADING);
            s.items = items;
            s.space_before = if i == 0 { space } else { 0.0 };
            s.keep_with_next = n >= 2 && (i == 0 || i + 2 == n);
            self.strips.push(s);
        }
    }

    fn key_values(&mut self, rows: &[(String, String)]) {
        if rows.is_empty() {
            return;
        }
        let bold = self.fonts.face(Style::Bold);
        let labels: Vec<String> = rows.iter().map(|(l, _)| self.cleaner.clean(l)).collect();
        let widest = labels.iter().flat_map(|l| l.lines()).map(|l| bold.width(l, BODY)).fold(0.0, f32::max);
        let label_w = widest.min(TEXT_W * 0.38);
        let value_x = if label_w > 0.0 { label_w + 10.0 } else { 0.0 };
        let mut space = self.take_space(6.0);
        for (label, (_, value)) in labels.iter().zip(rows) {
            let label_lines = wrap_or_empty(bold, BODY, label, label_w);
            let value_lines = self.wrapped(value, Style::Regular, BODY, TEXT_W - value_x);
            let n = label_lines.len().max(value_lines.len());
            let mut label_lines = label_lines.into_iter();
            let mut value_lines = value_lines.into_iter();
            for i in 0..n {
                let mut s = Strip::new(BODY * LEADING);
                if let Some(l) = label_lines.next() {
                    s.items.push(self.text(0.0, Style::Bold, BODY, l));
                }
                if let Some(v) = value_lines.next() {
                    s.items.push(self.text(value_x, Style::Regular, BODY, v));
                }
                s.space_before = if i == 0 { space } else { 0.0 };
                s.keep_with_next = i + 1 < n;
                self.strips.push(s);
            }
            space = 2.0;
        }
    }

    fn list(&mut self, items: &[String]) {
        if items.is_empty() {
            return;
        }
        let regular = self.fonts.face(Style::Regular);
        let number_w = regular.width(&format!("{}.", items.len()), BODY);
        let indent = number_w + 6.0;
        let mut space = self.take_space(6.0);
        for (i, item) in items.iter().enumerate() {
            let number = format!("{}.", i + 1);
            let number_x = number_w - regular.width(&number, BODY);
            let lines = self.wrapped(item.trim_end(), Style::Regular, BODY, TEXT_W - indent);
            let mut strips = Vec::with_capacity(lines.len());
            for (k, line) in lines.into_iter().enumerate() {
                let mut items = Vec::with_capacity(2);
                if k == 0 {
                    items.push(self.text(number_x, Style::Regular, BODY, number.clone()));
                }
                items.push(self.text(indent, Style::Regular, BODY, line));
                strips.push(items);
            }
            self.flowing(strips, BODY, space);
            space = 3.0;
        }
    }

    fn table(&mut self, n: usize, header: &[String], rows: &[Vec<String>], widths: &[f32]) -> Result<()> {
        let columns =
            if header.is_empty() { rows.iter().map(Vec::len).max().unwrap_or(0) } else { header.len() };
        if columns == 0 {
            return Ok(());
        }
        let field = format!("block {}", n + 1);
        if let Some((i, row)) = rows.iter().enumerate().find(|(_, r)| r.len() > columns) {
            return Err(Error::invalid(
                field,
                format!("table row {} has {} cells; the table has {columns} columns", i + 1, row.len()),
            ));
        }
        let shares: Vec<f32> = if widths.is_empty() {
            vec![1.0; columns]
        } else if widths.len() != columns {
            return Err(Error::invalid(
                field,
                format!("the table has {columns} columns but {} widths", widths.len()),
            ));
        } else if widths.iter().any(|w| !w.is_finite() || *w <= 0.0) {
            return Err(Error::invalid(field, "table column widths must be positive numbers"));
        } else {
            widths.to_vec()
        };
        let total: f32 = shares.iter().sum();
        let col_w: Vec<f32> = shares.iter().map(|s| s / total * TEXT_W).collect();
        let col_x: Vec<f32> = col_w.iter().scan(0.0, |x, w| Some(std::mem::replace(x, *x + w))).collect();
        let table = self.headers.len();
        let space = self.take_space(8.0);

        let mut head = Vec::new();
        if !header.is_empty() {
            head = self.table_row(header, Style::Bold, &col_x, &col_w);
            if let Some(first) = head.first_mut() {
                first.items.push(Item::Rule { x1: 0.0, x2: TEXT_W, y: 0.0, width: 0.8, grey: 0.0 });
            }
            if let Some(last) = head.last_mut() {
                let y = last.height;
                last.items.push(Item::Rule { x1: 0.0, x2: TEXT_W, y, width: 0.8, grey: 0.0 });
            }
            for s in &mut head {
                s.role = Role::TableHeader(table);
                // The header never ends a page: it keeps with the first row.
                s.keep_with_next = true;
            }
        }
        let mut body = Vec::new();
        for (i, row) in rows.iter().enumerate() {
            let mut strips = self.table_row(row, Style::Regular, &col_x, &col_w);
            if let Some(first) = strips.first_mut() {
                let rule = if i == 0 { (header.is_empty()).then_some((0.8, 0.0)) } else { Some((0.4, 0.6)) };
                if let Some((width, grey)) = rule {
                    first.items.push(Item::Rule { x1: 0.0, x2: TEXT_W, y: 0.0, width, grey });
                }
            }
            for s in &mut strips {
                s.role = Role::TableRow(table);
                s.row = Some(i);
            }
            body.extend(strips);
        }
        if let Some(last) = body.last_mut() {
            let y = last.height;
            last.items.push(Item::Rule { x1: 0.0, x2: TEXT_W, y, width: 0.8, grey: 0.0 });
        } else if let Some(last) = head.last_mut() {
            last.keep_with_next = false;
        }
        let mut all = head.clone();
        all.extend(body);
        if let Some(first) = all.first_mut() {
            first.space_before = space;
        }
        self.strips.extend(all);
        self.headers.push(head);
        self.pending = 4.0;
        Ok(())
    }

    /// One table row as strips, one per line of its tallest cell; the row keeps together.
    fn table_row(&mut self, cells: &[String], style: Style, col_x: &[f32], col_w: &[f32]) -> Vec<Strip> {
        let line_h = CELL * LEADING;
        let mut cell_lines: Vec<Vec<String>> = Vec::with_capacity(col_w.len());
        for (k, w) in col_w.iter().enumerate() {
            let text = cells.get(k).map(String::as_str).unwrap_or("");
            cell_lines.push(self.wrapped(text, style, CELL, (w - 2.0 * CELL_PAD_X).max(1.0)));
        }
        let n = cell_lines.iter().map(Vec::len).max().unwrap_or(1).max(1);
        let mut strips = Vec::with_capacity(n);
        for i in 0..n {
            let top_pad = if i == 0 { CELL_PAD_Y } else { 0.0 };
            let bottom_pad = if i + 1 == n { CELL_PAD_Y } else { 0.0 };
            let mut s = Strip::new(line_h + top_pad + bottom_pad);
            for (k, lines) in cell_lines.iter_mut().enumerate() {
                if let Some(text) = lines.get_mut(i).map(std::mem::take) {
                    if !text.is_empty() {
                        let x = col_x.get(k).copied().unwrap_or(0.0) + CELL_PAD_X;
                        s.items.push(Item::Text {
                            x,
                            baseline: top_pad + baseline(line_h, CELL),
                            style,
                            size: CELL,
                            text,
                        });
                    }
                }
            }
            s.keep_with_next = i + 1 < n;
            strips.push(s);
        }
        strips
    }

    fn signature(&mut self, place_date: &str, name: &str) {
        let mut strips = Vec::new();
        if !place_date.trim().is_empty() {
            for line in self.wrapped(place_date, Style::Regular, BODY, TEXT_W) {
                strips.push(self.line(0.0, Style::Regular, BODY, line));
            }
        }
        // Room for a handwritten signature, and the line to sign on.
        let mut rule = Strip::new(44.0);
        rule.items.push(Item::Rule { x1: 0.0, x2: 220.0, y: 44.0, width: 0.6, grey: 0.0 });
        strips.push(rule);
        for line in self.wrapped(name, Style::Regular, BODY, TEXT_W) {
            strips.push(self.line(0.0, Style::Regular, BODY, line));
        }
        let space = self.take_space(24.0);
        let n = strips.len();
        for (i, mut s) in strips.into_iter().enumerate() {
            s.space_before = if i == 0 { space } else { 0.0 };
            s.keep_with_next = i + 1 < n;
            self.strips.push(s);
        }
    }
}

fn wrap_or_empty(face: &Face, size: f32, text: &str, width: f32) -> Vec<String> {
    let text = text.trim_matches(|c| c == '\n' || c == ' ');
    if text.is_empty() {
        Vec::new()
    } else {
        wrap(face, size, text, width)
    }
}

/// Breaks `text` into lines no wider than `width`: at spaces (runs of spaces count as one), at every `\n`, and
/// inside a word only when the word alone is wider than a line (a SHA-256 digest in a narrow column, a URL),
/// preferably after a `/`, `-`, `.` or similar. Ragged right; no hyphenation.
pub(crate) fn wrap(face: &Face, size: f32, text: &str, width: f32) -> Vec<String> {
    let space = face.width(" ", size);
    let mut out = Vec::new();
    for hard in text.split('\n') {
        let mut line = String::new();
        let mut line_w = 0.0;
        for word in hard.split(' ').filter(|w| !w.is_empty()) {
            let (fits, w) = fit(face, size, word, width);
            if fits == word.len() {
                if line.is_empty() {
                    line.push_str(word);
                    line_w = w;
                } else if line_w + space + w <= width + EPS {
                    line.push(' ');
                    line.push_str(word);
                    line_w += space + w;
                } else {
                    out.push(std::mem::replace(&mut line, word.to_owned()));
                    line_w = w;
                }
                continue;
            }
            // A word wider than a whole line: start it on this line if a fair part fits, then break at the margin.
            let mut rest = word;
            if !line.is_empty() {
                let room = width - line_w - space;
                if room >= width * 0.25 {
                    let (cut, _) = fit(face, size, rest, room);
                    if cut > 0 {
                        line.push(' ');
                        line.push_str(&rest[..cut]);
                        rest = &rest[cut..];
                    }
                }
                out.push(std::mem::take(&mut line));
            }
            loop {
                let (cut, w) = fit(face, size, rest, width);
                // At least one character per line, however narrow the column.
                let cut = if cut == 0 { rest.chars().next().map_or(rest.len(), char::len_utf8) } else { cut };
                if cut == rest.len() {
                    line = rest.to_owned();
                    line_w = w;
                    break;
                }
                out.push(rest[..cut].to_owned());
                rest = &rest[cut..];
            }
        }
        out.push(line);
    }
    out
}

/// The longest prefix of `word` (in bytes) no wider than `room`, and its width. When the word does not fit
/// whole, the cut moves back to just after a URL or path separator if one sits in the last 40% of the prefix.
fn fit(face: &Face, size: f32, word: &str, room: f32) -> (usize, f32) {
    if super::shape::is_complex(word) {
        return fit_shaped(face, size, word, room);
    }
    let mut w = 0.0;
    let mut best_break: Option<(usize, f32)> = None;
    for (i, c) in word.char_indices() {
        let cw = face.char_width(c, size);
        if w + cw > room + EPS {
            return match best_break {
                Some((at, bw)) if bw >= room * 0.6 => (at, bw),
                _ => (i, w),
            };
        }
        w += cw;
        if matches!(c, '/' | '-' | '_' | '.' | '?' | '&' | '=' | ',' | ';' | ':' | '#') {
            best_break = Some((i + c.len_utf8(), w));
        }
    }
    (word.len(), w)
}

/// `fit` for a word with Arabic in it, whose width is not the sum of its letters' (they join): the word whole if it
/// fits, else its longest prefix that does, each prefix shaped as it would be printed (only a word wider than its
/// column gets here).
fn fit_shaped(face: &Face, size: f32, word: &str, room: f32) -> (usize, f32) {
    let whole = face.width(word, size);
    if whole <= room + EPS {
        return (word.len(), whole);
    }
    let mut best = (0, 0.0);
    for (i, c) in word.char_indices() {
        let end = i + c.len_utf8();
        let w = face.width(&word[..end], size);
        if w > room + EPS {
            break;
        }
        best = (end, w);
    }
    best
}

/// Pours strips into pages of `body_h` points, keeping `keep_with_next` runs together where they fit on a page
/// and repeating a table's header on each page it continues on.
fn paginate(
    strips: &[Strip],
    headers: &[Vec<Strip>],
    sections: &mut [Section],
    body_h: f32,
) -> Vec<Vec<Placed>> {
    let mut pages: Vec<Vec<Placed>> = Vec::new();
    let mut page: Vec<Placed> = Vec::new();
    // Height used on the current page, and whether anything but a repeated header is on it.
    let mut y = 0.0;
    let mut content = false;
    let header_of = |s: &Strip| match s.role {
        Role::TableRow(t) => headers.get(t).filter(|h| !h.is_empty()).map(Vec::as_slice),
        _ => None,
    };
    // The last strip of a run too tall for any page, while that run is being broken line by line.
    let mut split_end: Option<usize> = None;
    let mut i = 0;
    while i < strips.len() {
        let s = &strips[i];
        if let Role::Slot(_) = s.role {
            if content || !page.is_empty() {
                pages.push(std::mem::take(&mut page));
            }
            pages.push(vec![Placed { top: 0.0, strip: StripRef::Flow(i) }]);
            y = 0.0;
            content = false;
            i += 1;
            continue;
        }
        if s.role == Role::PageBreak {
            if content {
                pages.push(std::mem::take(&mut page));
                y = 0.0;
                content = false;
            }
            i += 1;
            continue;
        }
        let header = header_of(s);
        if split_end.is_none_or(|end| i > end) {
            let mut j = i;
            while strips[j].keep_with_next
                && j + 1 < strips.len()
                && !matches!(strips[j + 1].role, Role::PageBreak | Role::Slot(_))
            {
                j += 1;
            }
            let run = |at_top: bool| -> f32 {
                strips[i..=j]
                    .iter()
                    .enumerate()
                    .map(|(k, s)| if k == 0 && at_top { s.height } else { s.space_before + s.height })
                    .sum()
            };
            if y + run(y == 0.0) <= body_h + EPS {
                for (k, strip) in strips.iter().enumerate().take(j + 1).skip(i) {
                    place(strip, StripRef::Flow(k), &mut page, &mut y, pages.len(), sections);
                }
                content = true;
                i = j + 1;
                continue;
            }
            let header_h: f32 = header.map_or(0.0, |h| h.iter().map(|h| h.height).sum());
            if content && header_h + run(header.is_none()) <= body_h + EPS {
                new_page(&mut pages, &mut page, &mut y, &mut content, header, sections);
                continue;
            }
            split_end = Some(j);
        }
        // The run does not fit on any page: break it line by line, filling each page, up to its end.
        let need = if y == 0.0 { s.height } else { s.space_before + s.height };
        if y + need <= body_h + EPS || !content {
            place(s, StripRef::Flow(i), &mut page, &mut y, pages.len(), sections);
            content = true;
            i += 1;
        } else {
            new_page(&mut pages, &mut page, &mut y, &mut content, header, sections);
        }
    }
    if !page.is_empty() || pages.is_empty() {
        pages.push(page);
    }
    pages
}

fn place(
    strip: &Strip,
    r: StripRef,
    page: &mut Vec<Placed>,
    y: &mut f32,
    done: usize,
    sections: &mut [Section],
) {
    let top = if *y == 0.0 { 0.0 } else { *y + strip.space_before };
    page.push(Placed { top, strip: r });
    *y = top + strip.height;
    if let Role::Section(n) = strip.role {
        if let Some(section) = sections.get_mut(n) {
            section.page = u32::try_from(done + 1).unwrap_or(u32::MAX);
            section.top = top;
        }
    }
}

fn new_page(
    pages: &mut Vec<Vec<Placed>>,
    page: &mut Vec<Placed>,
    y: &mut f32,
    content: &mut bool,
    header: Option<&[Strip]>,
    sections: &mut [Section],
) {
    pages.push(std::mem::take(page));
    *y = 0.0;
    *content = false;
    if let Some(header) = header {
        let table = header.first().and_then(|h| match h.role {
            Role::TableHeader(t) => Some(t),
            _ => None,
        });
        if let Some(t) = table {
            for (k, h) in header.iter().enumerate() {
                place(h, StripRef::Header(t, k), page, y, pages.len(), sections);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fonts() -> &'static Fonts {
        Fonts::get().unwrap()
    }

    fn pages(blocks: &[Block]) -> Laid {
        let f = fonts();
        lay_out(f, &mut Cleaner::new(f), blocks, DEFAULT_BODY_BOTTOM, false).unwrap()
    }

    fn texts(laid: &Laid, page: usize) -> Vec<String> {
        laid.pages[page]
            .iter()
            .filter_map(|p| laid.strip(p.strip))
            .flat_map(|s| s.items.iter())
            .filter_map(|i| match i {
                Item::Text { text, .. } => Some(text.clone()),
                Item::Rule { .. } => None,
            })
            .collect()
    }

    #[test]
    fn lines_never_exceed_the_width_and_keep_every_word() {
        let face = &fonts().regular;
        let text = "Le requérant, Михаил Андреевич Орлов, conteste la notice rouge émise à son encontre; \
                    the digest is 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08 and the link \
                    https://www.interpol.int/en/Who-we-are/Commission-for-the-Control-of-INTERPOL-s-Files-CCF/CCF-requests \
                    ends here.";
        for width in [60.0, 150.0, 300.0, TEXT_W] {
            let lines = wrap(face, BODY, text, width);
            for l in &lines {
                assert!(face.width(l, BODY) <= width + EPS, "'{l}' is wider than {width}");
            }
            let joined: String = lines.concat();
            let without_spaces: String = text.split_whitespace().collect();
            assert_eq!(joined.replace(' ', ""), without_spaces, "no character may be lost at width {width}");
        }
    }

    #[test]
    fn a_long_digest_is_broken_at_the_margin_and_urls_after_a_slash() {
        let face = &fonts().regular;
        let sha = "a".repeat(64);
        let lines = wrap(face, BODY, &sha, 100.0);
        assert!(lines.len() > 2 && lines.concat() == sha);
        let url = "https://example.org/some/long/path/that/does/not/fit/in/the/column";
        let lines = wrap(face, BODY, url, 120.0);
        assert!(lines.len() > 1);
        assert!(
            lines[..lines.len() - 1].iter().all(|l| l.ends_with('/')),
            "URL lines break after '/': {lines:?}"
        );
        // A zero-width column still makes progress.
        assert_eq!(wrap(face, BODY, "abc", 0.5), vec!["a", "b", "c"]);
    }

    #[test]
    fn hard_breaks_and_runs_of_spaces() {
        let face = &fonts().regular;
        assert_eq!(wrap(face, BODY, "a   b\n\nc", TEXT_W), vec!["a b", "", "c"]);
    }

    #[test]
    fn a_heading_is_never_the_last_thing_on_a_page() {
        // Fill a page almost completely, then a heading and a paragraph: the heading must move over.
        for filler in 30..50 {
            let mut blocks: Vec<Block> =
                (0..filler).map(|i| Block::Paragraph(format!("Line {i}."))).collect();
            blocks.push(Block::Heading { text: "Grounds".into(), bookmark: true });
            blocks.push(Block::Paragraph("First line of the section. ".repeat(40)));
            let laid = pages(&blocks);
            let page = laid.sections[0].page as usize - 1;
            let on_page = texts(&laid, page);
            let at = on_page.iter().position(|t| t == "Grounds").unwrap();
            assert!(
                on_page.len() >= at + 3,
                "filler {filler}: the heading needs two lines of its section after it"
            );
        }
    }

    #[test]
    fn tables_repeat_their_header_and_rows_stay_whole() {
        let rows: Vec<Vec<String>> = (0..120)
            .map(|i| vec![format!("2020-01-{:02}", i % 28 + 1), format!("Event number {i} ").repeat(3)])
            .collect();
        let laid = pages(&[Block::Table {
            header: vec!["Date".into(), "Event".into()],
            rows,
            widths: vec![0.25, 0.75],
        }]);
        assert!(laid.pages.len() > 2);
        for p in 0..laid.pages.len() {
            let t = texts(&laid, p);
            assert_eq!(&t[..2], ["Date", "Event"], "page {} starts with the header", p + 1);
        }
        for page in &laid.pages {
            for p in page {
                assert!(
                    p.top + laid.strip(p.strip).unwrap().height
                        <= PAGE_H - MARGIN_TOP - DEFAULT_BODY_BOTTOM + EPS
                );
            }
        }
    }

    #[test]
    fn a_row_taller_than_a_page_fills_each_page_and_keeps_its_header() {
        let long = (0..2500).map(|i| format!("w{i}")).collect::<Vec<_>>().join(" ");
        let blocks = [
            Block::Paragraph("Intro.".into()),
            Block::Table {
                header: vec!["A".into(), "B".into()],
                rows: vec![vec!["x".into(), long]],
                widths: vec![],
            },
        ];
        let laid = pages(&blocks);
        assert!(laid.pages.len() >= 3);
        let body_h = PAGE_H - MARGIN_TOP - DEFAULT_BODY_BOTTOM;
        for (n, page) in laid.pages.iter().enumerate() {
            let bottom = page.last().map(|p| p.top + laid.strip(p.strip).unwrap().height).unwrap();
            if n + 1 < laid.pages.len() {
                assert!(bottom > body_h - 20.0, "page {} is filled before the row goes on ({bottom})", n + 1);
            }
            assert_eq!(&texts(&laid, n)[..1], [if n == 0 { "Intro." } else { "A" }]);
        }
        let words: usize = (0..laid.pages.len())
            .flat_map(|n| texts(&laid, n))
            .map(|t| t.split(' ').filter(|w| w.starts_with('w')).count())
            .sum();
        assert_eq!(words, 2500, "every word of the cell is printed once");
    }

    #[test]
    fn paragraphs_split_without_orphans_or_widows() {
        let mut blocks = vec![Block::Paragraph("Opening.".into())];
        blocks
            .push(Block::Paragraph("Lorem ipsum dolor sit amet, consectetur adipiscing elit. ".repeat(150)));
        let laid = pages(&blocks);
        assert!(laid.pages.len() >= 2);
        for p in 0..laid.pages.len() {
            assert!(texts(&laid, p).len() >= 2, "no page holds a single orphan or widow line");
        }
    }

    #[test]
    fn page_breaks_do_not_make_blank_pages() {
        let laid =
            pages(&[Block::PageBreak, Block::Paragraph("a".into()), Block::PageBreak, Block::PageBreak]);
        assert_eq!(laid.pages.len(), 1);
        let laid = pages(&[]);
        assert_eq!(laid.pages.len(), 1, "an empty document is one (empty) page");
    }

    #[test]
    fn bad_tables_are_refused_with_a_clear_message() {
        let f = fonts();
        let err = lay_out(
            f,
            &mut Cleaner::new(f),
            &[Block::Table { header: vec!["a".into(), "b".into()], rows: vec![], widths: vec![1.0] }],
            DEFAULT_BODY_BOTTOM,
            false,
        )
        .unwrap_err();
        assert!(err.to_string().contains("2 columns but 1 widths"), "{err}");
    }
}
