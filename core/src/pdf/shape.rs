//! Text that cannot be drawn one character after another: Arabic, whose letters join and form ligatures, and any
//! line of a right-to-left document, whose runs are ordered by the Unicode bidi algorithm (UAX #9, `unicode-bidi`).
//! A line is split into runs of one direction (in visual order), each run into runs of one font (Noto Sans or Noto
//! Naskh Arabic), and each of those is shaped with `rustybuzz` (HarfBuzz's algorithm: joining forms, lam-alef,
//! marks). The result is glyphs placed left to right, each carrying the characters it stands for in logical order,
//! which the PDF's /ToUnicode map gives back, so text copied from the page reads as it was written.
//!
//! Measuring and painting agree: a Latin run is shaped without kerning or ligatures, exactly as the unshaped path
//! measures it, and widths do not depend on the order runs are drawn in.

use std::cell::RefCell;
use std::ops::Range;
use std::rc::Rc;

use rustc_hash::FxHashMap;
use rustybuzz::{BufferClusterLevel, Direction, Feature, ShapePlan, UnicodeBuffer};
use unicode_bidi::{BidiClass, BidiDataSource, BidiInfo, HardcodedBidiData, Level};

use super::fonts::{Face, Script, Style};

/// Characters drawn with the Arabic font: the Arabic blocks, its presentation forms, and the joiners that steer
/// its joining.
pub(crate) fn is_arabic(c: char) -> bool {
    matches!(
        c as u32,
        0x0600..=0x06FF | 0x0750..=0x077F | 0x0870..=0x08FF | 0xFB50..=0xFDFF | 0xFE70..=0xFEFF | 0x200C | 0x200D
    )
}

/// Text the simple path cannot draw: it holds Arabic.
pub(crate) fn is_complex(text: &str) -> bool {
    text.chars().any(|c| c >= '\u{0600}' && is_arabic(c))
}

/// Whether a document in `language` (a BCP-47 tag) is written right to left.
pub(crate) fn is_rtl_language(language: &str) -> bool {
    let primary = language.split('-').next().unwrap_or("").to_ascii_lowercase();
    matches!(primary.as_str(), "ar" | "fa" | "he" | "ur" | "ps" | "ckb" | "yi" | "dv")
}

/// One glyph of a shaped line.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Glyph {
    pub(crate) script: Script,
    pub(crate) gid: u16,
    /// Where the glyph's origin sits, in points from the line's left end and above its baseline.
    pub(crate) x: f32,
    pub(crate) y: f32,
    /// The bytes of the line this glyph stands for, in logical order (two characters for a ligature); empty for
    /// the second and later glyphs of one character.
    pub(crate) text: Range<usize>,
}

/// A piece of text shaped in one font and direction, ready to place: its glyphs left to right (a mark after its
/// letter), in font units from the piece's left end.
#[derive(Debug)]
struct Shaped {
    glyphs: Box<[Placed]>,
    /// The piece's width.
    advance: i32,
}

#[derive(Debug, Clone, Copy)]
struct Placed {
    gid: u16,
    x: i32,
    y: i32,
    /// The bytes of the piece the glyph stands for (`Glyph::text`).
    start: u32,
    end: u32,
}

thread_local! {
    /// The pieces shaped while one document is laid out and painted, per style and direction: a word is shaped
    /// once to measure it and painted from the same result. Emptied by `ForgetOnDrop` when the document is done.
    static SHAPED: RefCell<[FxHashMap<String, Rc<Shaped>>; 4]> = RefCell::default();
}

/// Held while a document is laid out and painted; dropped, it forgets every piece of text shaped on this thread,
/// so none of the document's words stay in memory after it, whether it was finished or refused.
pub(crate) struct ForgetOnDrop;

impl Drop for ForgetOnDrop {
    fn drop(&mut self) {
        SHAPED.with(|cache| *cache.borrow_mut() = Default::default());
    }
}

/// The glyphs of one line of `text` at `size` points, placed right to left where the bidi algorithm says, and the
/// line's width. `rtl` is the direction of the paragraph the line belongs to (the document's). The glyphs come
/// left to right, as they are written into the PDF, except that a vowel mark comes after its letter: a reader of
/// the page (poppler's pdftotext) attaches a mark to the letter before it. Spaces between runs of two fonts (an
/// Arabic word and the next) are gaps, not glyphs.
pub(crate) fn line(face: &Face, text: &str, size: f32, rtl: bool) -> (Vec<Glyph>, f32) {
    let mut glyphs = Vec::new();
    let mut pen = 0.0;
    if text.is_empty() {
        return (glyphs, pen);
    }
    if rtl && all_right_to_left(text) {
        // The bidi algorithm would make the whole line one right-to-left run: skip it.
        let mut pieces = font_runs(text);
        pieces.reverse();
        for (script, range) in pieces {
            pen = shape_into(face, script, true, text, range, size, pen, &mut glyphs);
        }
        return (glyphs, pen);
    }
    line_by_bidi(face, text, size, rtl)
}

/// `line` through the bidi algorithm: the line's runs in visual order, each shaped in its direction.
fn line_by_bidi(face: &Face, text: &str, size: f32, rtl: bool) -> (Vec<Glyph>, f32) {
    let mut glyphs = Vec::new();
    let mut pen = 0.0;
    let base = if rtl { Level::rtl() } else { Level::ltr() };
    let info = BidiInfo::new_with_data_source(&DigitsLeftToRight, text, Some(base));
    for paragraph in &info.paragraphs {
        let (levels, runs) = info.visual_runs(paragraph, paragraph.range.clone());
        for run in runs {
            let run_rtl = levels.get(run.start).is_some_and(|l| l.is_rtl());
            let mut pieces = font_runs(&text[run.clone()]);
            if run_rtl {
                pieces.reverse();
            }
            for (script, range) in pieces {
                let range = run.start + range.start..run.start + range.end;
                pen = shape_into(face, script, run_rtl, text, range, size, pen, &mut glyphs);
            }
        }
    }
    (glyphs, pen)
}

/// Whether every character of a line in a right-to-left paragraph resolves to the paragraph's level, so the line is
/// one right-to-left run: it has no left-to-right letter, no digit of either kind and no explicit direction mark.
/// What is left are right-to-left letters, their marks, spaces and punctuation; without a number the separators
/// and terminators are neutrals (UAX #9, W6), and neutrals between right-to-left letters or at the ends of a
/// right-to-left line take its direction (N1, N2, L1). Most lines of an Arabic draft are such lines.
fn all_right_to_left(text: &str) -> bool {
    text.chars().all(|c| {
        c == ' '
            || matches!(
                DigitsLeftToRight.bidi_class(c),
                BidiClass::R
                    | BidiClass::AL
                    | BidiClass::NSM
                    | BidiClass::WS
                    | BidiClass::ON
                    | BidiClass::CS
                    | BidiClass::ES
                    | BidiClass::ET
            )
    })
}

/// Unicode's bidi classes, except that Western digits are strong left-to-right. Under the standard classes a
/// number after an Arabic word becomes an "Arabic number" and the separators between its groups turn right to
/// left, so "2024-03-01" shows as "01-03-2024", a case number "12-345-67" as "67-345-12" and "83(1)(a)(ii)" out of
/// order. Drafts write numbers in Western digits that must read as written (dates, case numbers, article
/// numbers, digests), as the interface isolates them: here the digits, and the separators between them, form a
/// left-to-right run.
struct DigitsLeftToRight;

impl BidiDataSource for DigitsLeftToRight {
    fn bidi_class(&self, c: char) -> BidiClass {
        match c {
            '0'..='9' | 'a'..='z' | 'A'..='Z' => BidiClass::L,
            ' ' => BidiClass::WS,
            // Arabic letters, the most of an Arabic line, without a search of the table.
            '\u{0621}'..='\u{063A}' | '\u{0641}'..='\u{064A}' => BidiClass::AL,
            _ => HardcodedBidiData.bidi_class(c),
        }
    }
}

/// The width of `text` at `size` points as `line` would draw it (the order of runs does not change it).
pub(crate) fn width(face: &Face, text: &str, size: f32) -> f32 {
    let mut total = 0.0;
    let mut add = |script: Script, piece: &str| {
        let units = shaped(face, script, script == Script::Arabic, piece).advance;
        total += units as f32 / face.font(script).units_per_em;
    };
    // The runs of one font, as `font_runs` finds them, without collecting them: a word is measured many times
    // while lines are broken.
    let mut start = 0;
    let mut current = None;
    for (i, c) in text.char_indices() {
        let script = if is_arabic(c) { Script::Arabic } else { Script::Latin };
        match current {
            Some(s) if s == script => {}
            Some(s) => {
                add(s, &text[start..i]);
                start = i;
                current = Some(script);
            }
            None => current = Some(script),
        }
    }
    if let Some(s) = current {
        add(s, &text[start..]);
    }
    total * size
}

/// `text` split into runs of one font, as byte ranges in order. Spaces are always Noto Sans's, as the line
/// breaker measures them between words, so an Arabic run is one word (Arabic does not join across a space).
fn font_runs(text: &str) -> Vec<(Script, Range<usize>)> {
    let mut runs: Vec<(Script, Range<usize>)> = Vec::new();
    for (i, c) in text.char_indices() {
        let end = i + c.len_utf8();
        let script = if is_arabic(c) { Script::Arabic } else { Script::Latin };
        match runs.last_mut() {
            Some(last) if last.0 == script => last.1.end = end,
            _ => runs.push((script, i..end)),
        }
    }
    runs
}

/// Shapes the bytes `range` of `line` in one font and direction; adds their glyphs (left to right) from `pen`, and
/// returns the new pen.
#[allow(clippy::too_many_arguments)]
fn shape_into(
    face: &Face,
    script: Script,
    rtl: bool,
    line: &str,
    range: Range<usize>,
    size: f32,
    pen: f32,
    out: &mut Vec<Glyph>,
) -> f32 {
    let piece = &line[range.clone()];
    if piece.bytes().all(|b| b == b' ') {
        // Spaces between words: a gap.
        return pen + piece.len() as f32 * face.char_width(' ', size);
    }
    let scale = size / face.font(script).units_per_em;
    let shaped = shaped(face, script, rtl, piece);
    out.extend(shaped.glyphs.iter().map(|g| Glyph {
        script,
        gid: g.gid,
        x: pen + g.x as f32 * scale,
        y: g.y as f32 * scale,
        text: range.start + g.start as usize..range.start + g.end as usize,
    }));
    pen + shaped.advance as f32 * scale
}

/// Whether the character at byte `cluster` of `piece` is an Arabic vowel or other combining mark.
fn is_mark_at(piece: &str, cluster: u32) -> bool {
    piece
        .get(cluster as usize..)
        .and_then(|rest| rest.chars().next())
        .is_some_and(|c| matches!(c as u32, 0x0610..=0x061A | 0x064B..=0x065F | 0x0670 | 0x06D6..=0x06ED))
}

/// `piece` shaped in `script`'s font of `face`, in one direction: from this document's cache when it was shaped
/// before.
fn shaped(face: &Face, script: Script, rtl: bool, piece: &str) -> Rc<Shaped> {
    let slot = usize::from(face.style == Style::Bold) * 2 + usize::from(rtl);
    if let Some(hit) = SHAPED.with(|cache| cache.borrow()[slot].get(piece).cloned()) {
        return hit;
    }
    let font = face.font(script);
    let direction = if rtl { Direction::RightToLeft } else { Direction::LeftToRight };
    let tag = script_tag(script);
    let plan = font.plans[usize::from(rtl)]
        .get_or_init(|| ShapePlan::new(&font.shaper, direction, Some(tag), None, &features(script)));
    let mut buffer = UnicodeBuffer::new();
    buffer.set_direction(direction);
    buffer.set_script(tag);
    buffer.set_cluster_level(BufferClusterLevel::Characters);
    buffer.push_str(piece);
    let output = rustybuzz::shape_with_plan(&font.shaper, plan, buffer);
    let shaped = Rc::new(placed(piece, rtl, &output));
    SHAPED.with(|cache| cache.borrow_mut()[slot].insert(piece.to_owned(), shaped.clone()));
    shaped
}

/// The shaper's glyphs of `piece` placed from its left end, a mark moved after its letter, and each given the
/// characters it stands for.
fn placed(piece: &str, rtl: bool, output: &rustybuzz::GlyphBuffer) -> Shaped {
    let mut pen = 0;
    let mut glyphs: Vec<(Placed, u32)> = output
        .glyph_infos()
        .iter()
        .zip(output.glyph_positions())
        .map(|(info, pos)| {
            let g = Placed {
                gid: u16::try_from(info.glyph_id).unwrap_or(0),
                x: pen + pos.x_offset,
                y: pos.y_offset,
                start: 0,
                end: 0,
            };
            pen += pos.x_advance;
            (g, info.cluster)
        })
        .collect();
    // Right to left, the shaper gives a letter's marks before it (visual order): each mark moves after its letter.
    if rtl {
        let mut i = 0;
        while i < glyphs.len() {
            let marks = glyphs[i..].iter().take_while(|(_, cluster)| is_mark_at(piece, *cluster)).count();
            if marks > 0 && i + marks < glyphs.len() {
                glyphs[i..=i + marks].rotate_right(1);
            }
            i += marks + 1;
        }
    }
    // The characters of each glyph: from its cluster to the next larger cluster (clusters are byte offsets, one
    // per character here, so a glyph made of two characters, a ligature, spans both). The first glyph of a
    // cluster carries them; the others carry none.
    let mut starts: Vec<u32> = glyphs.iter().map(|(_, cluster)| *cluster).collect();
    starts.sort_unstable();
    starts.dedup();
    let mut given = vec![false; starts.len()];
    let end_of_piece = u32::try_from(piece.len()).unwrap_or(u32::MAX);
    for (g, cluster) in &mut glyphs {
        let k = starts.partition_point(|&s| s < *cluster);
        if !given.get(k).copied().unwrap_or(true) {
            given[k] = true;
            g.start = *cluster;
            g.end = starts.get(k + 1).copied().unwrap_or(end_of_piece);
        }
    }
    Shaped { glyphs: glyphs.into_iter().map(|(g, _)| g).collect(), advance: pen }
}

fn script_tag(script: Script) -> rustybuzz::Script {
    match script {
        Script::Latin => rustybuzz::script::LATIN,
        Script::Arabic => rustybuzz::script::ARABIC,
    }
}

/// Latin runs are set glyph by glyph at their advances, as the unshaped path measures them: no kerning, no
/// ligatures. Arabic gets everything its font does.
fn features(script: Script) -> Vec<Feature> {
    match script {
        Script::Latin => [b"kern", b"liga", b"clig", b"calt"]
            .iter()
            .map(|tag| Feature::new(rustybuzz::ttf_parser::Tag::from_bytes(tag), 0, ..))
            .collect(),
        Script::Arabic => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::super::fonts::Fonts;
    use super::*;

    fn regular() -> &'static Face {
        &Fonts::get().unwrap().regular
    }

    fn logical(line: &str, glyphs: &[Glyph]) -> String {
        glyphs.iter().map(|g| &line[g.text.clone()]).collect()
    }

    /// The glyphs' characters as they stand on the page, left to right.
    fn visual(line: &str, glyphs: &[Glyph]) -> String {
        let mut sorted: Vec<&Glyph> = glyphs.iter().collect();
        sorted.sort_by(|a, b| a.x.total_cmp(&b.x));
        sorted.iter().map(|g| &line[g.text.clone()]).collect()
    }

    #[test]
    fn arabic_letters_join_and_lam_alef_takes_its_own_forms() {
        let face = regular();
        let gid = |text: &str| line(face, text, 11.0, true).0.iter().map(|g| g.gid).collect::<Vec<_>>();
        // Lam-alef is not two letters side by side: Noto Naskh draws it with forms of its own.
        let pair = line(face, "لا", 11.0, true).0;
        let mut letters: Vec<char> = logical("لا", &pair).chars().collect();
        letters.sort_unstable();
        assert_eq!(letters, ['ا', 'ل'], "{pair:?}");
        assert!(!pair.iter().any(|g| g.gid == gid("ل")[0] || g.gid == gid("ا")[0]), "{pair:?}");
        // The same letter takes a different glyph alone and inside a word (its isolated and medial forms).
        let alone = gid("ب")[0];
        let word = gid("ببب");
        assert_eq!(word.len(), 3);
        assert!(word.iter().all(|g| *g != alone), "joined forms differ from the isolated one");
        assert_ne!(word[0], word[1], "final and medial forms differ");
    }

    #[test]
    fn a_mixed_line_is_ordered_right_to_left_with_latin_runs_kept_left_to_right() {
        let face = regular();
        let text = "مقدم الطلب Mikhail Orlov في 2024-03-01";
        let (glyphs, width) = line(face, text, 11.0, true);
        assert!((width - face.width(text, 11.0)).abs() < 0.01, "painting and measuring agree");
        // Every character is given back once, and the /ToUnicode texts rebuild the words.
        let all = logical(text, &glyphs);
        let mut sorted_all: Vec<char> = all.chars().filter(|c| *c != ' ').collect();
        let mut sorted_text: Vec<char> = text.chars().filter(|c| *c != ' ').collect();
        sorted_all.sort_unstable();
        sorted_text.sort_unstable();
        assert_eq!(sorted_all, sorted_text);
        // Visual order, left to right: the date, then "في", then the Latin name, then the Arabic words.
        let x_of = |needle: &str| {
            let at = glyphs
                .iter()
                .position(|g| &text[g.text.clone()] == needle)
                .unwrap_or_else(|| panic!("{needle} in {glyphs:?}"));
            glyphs[at].x
        };
        assert!(x_of("M") < x_of("O"), "the Latin name reads left to right");
        assert!(x_of("2") < x_of("M"), "the date stands left of the name (it comes after it in the text)");
        assert!(x_of("M") < x_of("م"), "the Arabic that comes first in the text stands right");
        let shown = visual(text, &glyphs);
        assert!(shown.contains("Mikhail Orlov") && shown.contains("2024-03-01"), "{shown}");
    }

    #[test]
    fn numbers_in_arabic_read_as_written() {
        let face = regular();
        for number in ["2024-03-01", "12-345-67", "83(1)(a)(ii)", "9f86d081884c7d65"] {
            let text = format!("القضية رقم {number} في موسكو");
            let (glyphs, _) = line(face, &text, 11.0, true);
            let shown = visual(&text, &glyphs);
            assert!(shown.contains(number), "{number} in visual order: {shown}");
        }
    }

    #[test]
    fn a_vowel_mark_is_written_after_its_letter() {
        // "يُ": ya with damma. On the page the mark sits over the letter; in the PDF it follows it.
        let text = "لا يُعرض";
        let (glyphs, _) = line(regular(), text, 11.0, true);
        let ya = glyphs.iter().position(|g| &text[g.text.clone()] == "ي").unwrap();
        assert_eq!(&text[glyphs[ya + 1].text.clone()], "\u{064F}", "{glyphs:?}");
    }

    #[test]
    fn a_left_to_right_line_keeps_its_order() {
        let (glyphs, _) = line(regular(), "Name: Orlov", 11.0, false);
        assert_eq!(logical("Name: Orlov", &glyphs), "Name: Orlov");
        assert_eq!(visual("Name: Orlov", &glyphs), "Name: Orlov");
        assert!(glyphs.windows(2).all(|w| w[0].x <= w[1].x));
    }

    #[test]
    fn latin_shaped_is_as_wide_as_latin_measured() {
        let face = regular();
        let text = "AVAV office ffi — Wolf";
        let (_, shaped) = line(face, text, 11.0, true);
        let units: f32 = text.chars().map(|c| face.char_width(c, 11.0)).sum();
        assert!((shaped - units).abs() < 0.01, "no kerning or ligature in Latin runs: {shaped} vs {units}");
    }

    #[test]
    fn a_finished_document_leaves_no_words_behind() {
        let doc = crate::pdf::Document {
            language: "ar".into(),
            blocks: vec![crate::pdf::Block::Paragraph("الاسم السري Orlov".into())],
            ..Default::default()
        };
        crate::pdf::render(&doc).unwrap();
        let kept: usize = SHAPED.with(|cache| cache.borrow().iter().map(FxHashMap::len).sum());
        assert_eq!(kept, 0, "the shaped words are forgotten with the document");
        let _held = ForgetOnDrop;
        width(regular(), "السري", 11.0);
        assert!(
            SHAPED.with(|cache| cache.borrow().iter().any(|m| m.contains_key("السري"))),
            "kept while a document is made"
        );
    }

    #[test]
    fn a_line_without_left_to_right_text_is_drawn_as_the_bidi_algorithm_would() {
        let face = regular();
        let lines = [
            "يدفع مقدم الطلب بأن النشرة تستند إلى وقائع ذات طابع سياسي غالب،",
            "(الفقرة الأولى) «المادة الثالثة» - نعم؛ لا؟ % [ب]",
            "لا يُعرض . . .  ",
            "  مسودة لمراجعة المحامي — ليست استشارة قانونية",
        ];
        for text in lines {
            let fast = line(face, text, 11.0, true);
            // The general path: the bidi algorithm on the same line.
            assert_eq!(fast, line_by_bidi(face, text, 11.0, true), "{text}");
        }
        assert!(lines.iter().all(|l| all_right_to_left(l)), "the fast path was taken");
        // Arabic-Indic digits are numbers, and left-to-right letters and isolates change the order: the algorithm
        // decides.
        for mixed in ["المادة ١٢٣", "مقدم الطلب Orlov", "في 2024", "\u{2066}نعم\u{2069}", "القضية Ж"]
        {
            assert!(!all_right_to_left(mixed), "{mixed}");
        }
    }

    #[test]
    fn the_quick_bidi_classes_are_unicodes() {
        for c in ('\u{0}'..='\u{07FF}').chain(['\u{200C}', '\u{200D}', '\u{FEFF}']) {
            let ours = DigitsLeftToRight.bidi_class(c);
            if c.is_ascii_digit() {
                assert_eq!(ours, BidiClass::L, "{c:?}: Western digits read as written");
            } else {
                assert_eq!(ours, HardcodedBidiData.bidi_class(c), "{c:?}");
            }
        }
    }

    #[test]
    fn directions_by_language() {
        assert!(is_rtl_language("ar") && is_rtl_language("ar-EG") && is_rtl_language("AR"));
        assert!(!is_rtl_language("en") && !is_rtl_language("fr") && !is_rtl_language("arn"));
    }
}
