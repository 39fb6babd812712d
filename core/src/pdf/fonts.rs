//! The faces Redress prints with, each a pair: Noto Sans (Latin, Greek, Cyrillic) with Noto Naskh Arabic, in
//! Regular and Bold (all SIL OFL 1.1; `assets/fonts/OFL.txt`), compiled in and parsed once per process; their real
//! advance widths for measuring; and the cleaning of text before layout. What the faces cannot draw becomes a
//! visible U+FFFD *here*, before anything is measured, so what is measured is what is painted and no character
//! disappears without being reported. Text with Arabic in it is measured by shaping it (`shape`), as it is painted.

use std::collections::BTreeSet;
use std::sync::OnceLock;

use printpdf::ParsedFont;
use unicode_normalization::UnicodeNormalization;

use super::shape;
use crate::error::{Error, Result};

const REGULAR_TTF: &[u8] = include_bytes!("../../../assets/fonts/NotoSans-Regular.ttf");
const BOLD_TTF: &[u8] = include_bytes!("../../../assets/fonts/NotoSans-Bold.ttf");
const ARABIC_REGULAR_TTF: &[u8] = include_bytes!("../../../assets/fonts/NotoNaskhArabic-Regular.ttf");
const ARABIC_BOLD_TTF: &[u8] = include_bytes!("../../../assets/fonts/NotoNaskhArabic-Bold.ttf");

/// Advances of the code points below this (Latin, Greek, Cyrillic, Armenian, Hebrew, Arabic) sit in a table;
/// others are looked up.
const TABLE: u32 = 0x0700;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Style {
    Regular,
    Bold,
}

/// Which font of a face draws a character.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Script {
    /// Noto Sans: Latin, Greek, Cyrillic, digits and common punctuation.
    Latin,
    /// Noto Naskh Arabic: the Arabic script.
    Arabic,
}

/// One font file: printpdf's parse of it (for embedding and /W), the shaper's, and a table of advances.
pub(crate) struct Font {
    pub(crate) parsed: ParsedFont,
    pub(crate) shaper: rustybuzz::Face<'static>,
    pub(crate) units_per_em: f32,
    /// Advance in font units of each code point below `TABLE`; `None` where the font has no glyph.
    table: Vec<Option<u16>>,
    /// Shaping plans, made on first use: (right to left, shaped as Arabic).
    pub(crate) plans: [OnceLock<rustybuzz::ShapePlan>; 2],
    /// The glyph of each code point below `TABLE`, as printpdf maps a character it is given as text (0: none).
    glyphs: Vec<u16>,
    /// `pdf_width` of every glyph, by glyph id: a shaped line asks for each of its glyphs, and printpdf's own
    /// lookup takes a lock and reads the clock.
    pdf_widths: Vec<f32>,
}

impl Font {
    fn parse(name: &str, bytes: &'static [u8]) -> std::result::Result<Font, String> {
        let mut warnings = Vec::new();
        let parsed = ParsedFont::from_bytes(bytes, 0, &mut warnings)
            .ok_or_else(|| format!("the built-in font {name} could not be read"))?;
        let shaper = rustybuzz::Face::from_slice(bytes, 0)
            .ok_or_else(|| format!("the built-in font {name} could not be read for shaping"))?;
        let units_per_em = f32::from(parsed.font_metrics.units_per_em);
        if units_per_em <= 0.0 {
            return Err(format!("the built-in font {name} has no units per em"));
        }
        let table = (0..TABLE).map(|cp| char::from_u32(cp).and_then(|c| advance(&parsed, c))).collect();
        let pdf_widths = (0..parsed.num_glyphs)
            .map(|gid| {
                let units = shaper.glyph_hor_advance(rustybuzz::ttf_parser::GlyphId(gid)).unwrap_or(0);
                (f32::from(units) * 1000.0 / units_per_em).trunc()
            })
            .collect();
        let glyphs = (0..TABLE).map(|cp| parsed.lookup_glyph_index(cp).unwrap_or(0)).collect();
        Ok(Font { parsed, shaper, units_per_em, table, plans: Default::default(), glyphs, pdf_widths })
    }

    fn advance_units(&self, c: char) -> Option<u16> {
        match self.table.get(c as usize) {
            Some(known) => *known,
            None => advance(&self.parsed, c),
        }
    }

    pub(crate) fn has(&self, c: char) -> bool {
        self.advance_units(c).is_some()
    }

    /// The glyph printpdf draws for `c` when it is given as text (`TextItem::Text`): the font's cmap entry.
    pub(crate) fn glyph_of(&self, c: char) -> u16 {
        match self.glyphs.get(c as usize) {
            Some(gid) => *gid,
            None => self.parsed.lookup_glyph_index(u32::from(c)).unwrap_or(0),
        }
    }

    /// The glyph's width as printpdf writes it into the font's /W array (thousandths of an em, truncated): how far
    /// a viewer moves after drawing it.
    pub(crate) fn pdf_width(&self, gid: u16) -> f32 {
        self.pdf_widths.get(usize::from(gid)).copied().unwrap_or(0.0)
    }
}

/// One style of type: the Latin font and the Arabic font that goes with it.
pub(crate) struct Face {
    pub(crate) style: Style,
    pub(crate) latin: Font,
    pub(crate) arabic: Font,
}

impl Face {
    pub(crate) fn font(&self, script: Script) -> &Font {
        match script {
            Script::Latin => &self.latin,
            Script::Arabic => &self.arabic,
        }
    }

    pub(crate) fn has(&self, c: char) -> bool {
        if shape::is_arabic(c) {
            self.arabic.has(c)
        } else {
            self.latin.has(c)
        }
    }

    /// The width of `text` at `size` points, from the glyphs' advances in the font. Text with Arabic in it is
    /// shaped (joining forms and ligatures change widths); other text is the sum of its characters' advances (no
    /// kerning: the painter places glyphs by the same advances, so the two agree).
    pub(crate) fn width(&self, text: &str, size: f32) -> f32 {
        if shape::is_complex(text) {
            return shape::width(self, text, size);
        }
        let units: u32 = text.chars().map(|c| u32::from(self.latin.advance_units(c).unwrap_or(0))).sum();
        units as f32 * size / self.latin.units_per_em
    }

    /// The width of one character at `size` points (an Arabic letter in its isolated form).
    pub(crate) fn char_width(&self, c: char, size: f32) -> f32 {
        let font = if shape::is_arabic(c) { &self.arabic } else { &self.latin };
        f32::from(font.advance_units(c).unwrap_or(0)) * size / font.units_per_em
    }
}

/// The advance of `c` in font units, or `None` if the font maps it to no glyph (or to .notdef).
fn advance(font: &ParsedFont, c: char) -> Option<u16> {
    let gid = font.lookup_glyph_index(u32::from(c))?;
    (gid != 0).then(|| font.get_horizontal_advance(gid))
}

pub(crate) struct Fonts {
    pub(crate) regular: Face,
    pub(crate) bold: Face,
    /// What a character the faces lack is printed as: U+FFFD, or "?" should a face not have it.
    replacement: char,
}

static FONTS: OnceLock<std::result::Result<Fonts, String>> = OnceLock::new();

impl Fonts {
    /// The faces, parsed on first use (a few milliseconds) and kept for the life of the process.
    pub(crate) fn get() -> Result<&'static Fonts> {
        FONTS.get_or_init(Fonts::load).as_ref().map_err(|message| Error::Integrity(message.clone()))
    }

    fn load() -> std::result::Result<Fonts, String> {
        let regular = Face {
            style: Style::Regular,
            latin: Font::parse("Noto Sans Regular", REGULAR_TTF)?,
            arabic: Font::parse("Noto Naskh Arabic Regular", ARABIC_REGULAR_TTF)?,
        };
        let bold = Face {
            style: Style::Bold,
            latin: Font::parse("Noto Sans Bold", BOLD_TTF)?,
            arabic: Font::parse("Noto Naskh Arabic Bold", ARABIC_BOLD_TTF)?,
        };
        let replacement = if regular.has('\u{FFFD}') && bold.has('\u{FFFD}') { '\u{FFFD}' } else { '?' };
        Ok(Fonts { regular, bold, replacement })
    }

    pub(crate) fn face(&self, style: Style) -> &Face {
        match style {
            Style::Regular => &self.regular,
            Style::Bold => &self.bold,
        }
    }

    fn drawable(&self, c: char) -> bool {
        !crate::text::is_forbidden_in_line(c) && self.regular.has(c) && self.bold.has(c)
    }
}

/// Makes text printable and remembers what had to be replaced.
pub(crate) struct Cleaner<'f> {
    fonts: &'f Fonts,
    substituted: BTreeSet<char>,
}

impl<'f> Cleaner<'f> {
    pub(crate) fn new(fonts: &'f Fonts) -> Self {
        Cleaner { fonts, substituted: BTreeSet::new() }
    }

    /// `text` composed (NFC, so a decomposed "é" prints as one glyph), with line ends as `\n`, tabs as spaces,
    /// soft hyphens removed (we never hyphenate, and a drawn soft hyphen would be a visible stray "-") and every
    /// character the faces cannot draw replaced by the visible replacement character, and recorded.
    pub(crate) fn clean(&mut self, text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        let mut chars = text.nfc().peekable();
        while let Some(c) = chars.next() {
            match c {
                '\n' => out.push('\n'),
                '\r' => {
                    if chars.peek() != Some(&'\n') {
                        out.push('\n');
                    }
                }
                '\t' => out.push(' '),
                '\u{00AD}' => {}
                c if self.fonts.drawable(c) => out.push(c),
                c => {
                    self.substituted.insert(c);
                    out.push(self.fonts.replacement);
                }
            }
        }
        out
    }

    /// As `clean`, for text that must stay on one line (a footer, a page label): line breaks become spaces.
    pub(crate) fn clean_line(&mut self, text: &str) -> String {
        self.clean(text).replace('\n', " ")
    }

    pub(crate) fn substituted(self) -> Vec<char> {
        self.substituted.into_iter().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_faces_cover_latin_accents_and_cyrillic() {
        let fonts = Fonts::get().unwrap();
        for c in "AZaz09éèêëàâçôûùïîœæÉÀÇñÑáíóúü¿¡«»—–€№ЁёЖжЩщЪъЫыЭэЮюЯяІіЇїЄєҐґ".chars()
        {
            assert!(
                fonts.drawable(c),
                "{c} must print in both faces: drafts are in French, Spanish, Russian"
            );
        }
        assert_eq!(fonts.replacement, '\u{FFFD}');
    }

    #[test]
    fn undrawable_characters_are_replaced_visibly_and_reported() {
        let fonts = Fonts::get().unwrap();
        let mut cleaner = Cleaner::new(fonts);
        let cleaned = cleaner.clean("Name: 王 😀 e\u{0301}\u{202E}x\r\ny\tz\u{00AD}!");
        assert_eq!(cleaned, "Name: \u{FFFD} \u{FFFD} é\u{FFFD}x\ny z!");
        assert_eq!(cleaner.substituted(), vec!['\u{202E}', '王', '😀']);
    }

    #[test]
    fn widths_come_from_the_font() {
        let fonts = Fonts::get().unwrap();
        let w = fonts.regular.width("iiii", 10.0);
        let m = fonts.regular.width("MMMM", 10.0);
        assert!(w > 0.0 && m > 2.0 * w, "a proportional face: M is far wider than i ({w} vs {m})");
        assert!(fonts.bold.width("MMMM", 10.0) > m, "bold is wider than regular");
        assert!((fonts.regular.width("MMMM", 20.0) - 2.0 * m).abs() < 1e-3, "width scales with size");
    }

    #[test]
    fn glyph_widths_are_the_ones_the_pdf_writer_puts_in_w() {
        // printpdf fills a font's /W from the decoded glyph's advance (`get_scaled_glyph_width`): the painter's
        // TJ numbers are computed against `pdf_width`, so a glyph whose two widths differed would be misplaced.
        let fonts = Fonts::get().unwrap();
        for face in [&fonts.regular, &fonts.bold] {
            for font in [&face.latin, &face.arabic] {
                assert_eq!(font.pdf_widths.len(), usize::from(font.parsed.num_glyphs));
                for gid in 0..font.parsed.num_glyphs {
                    let written = font
                        .parsed
                        .get_or_decode_glyph(gid)
                        .map(|g| (f32::from(g.horz_advance) * 1000.0 / font.units_per_em).trunc())
                        .unwrap_or(0.0);
                    assert_eq!(font.pdf_width(gid), written, "glyph {gid}");
                }
                assert_eq!(
                    font.pdf_width(font.parsed.num_glyphs),
                    0.0,
                    "a glyph the font lacks has no width"
                );
            }
        }
    }
}
