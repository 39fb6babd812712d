//! What the written bundle carries beyond its pages: its language, filled forms kept, an existing file replaced only
//! once the new one is complete, and the vault's clock on the cover and in the disclosure log.

use super::*;

#[test]
fn a_bundle_in_french_spanish_or_arabic_is_stamped_and_indexed_in_that_language() {
    let mut case = Case::new();
    let a = case.add("décision.pdf", &sample_pdf("DECISION", 2), "2021-05-04");
    let mut bogus = b"\x89PNG\r\n\x1a\n".to_vec();
    bogus.extend([0x13; 100]);
    let b = case.add("bogus.png", &bogus, "");
    for (language, index, stamp, unreadable) in [
        (
            "fr",
            "Bordereau des pièces",
            "Pièce 1 · page 2 sur 2 · page 4 sur 6 du dossier",
            "le fichier n'a pas pu être lu",
        ),
        (
            "es",
            "Índice de anexos",
            "Anexo 1 · página 2 de 2 · página 4 de 6 del expediente",
            "no se pudo leer el archivo",
        ),
        // Issue 14: the pages Redress writes in Arabic, right to left, read back in logical order.
        ("ar", "الفهرس", "المستند 1 · الصفحة 2 من 2 · صفحة الحزمة 4 من 6", "تعذّرت قراءة الملف"),
    ] {
        let out = case.out(&format!("bundle-{language}.pdf"));
        let spec = BundleSpec {
            language: language.into(),
            attach_originals: vec![b],
            ..BundleSpec::for_items(&[a, b])
        };
        let report = export(&mut case.vault, &spec, None, &out, &worker(), &mut |_| true).unwrap();
        assert_eq!(report.pages, 6, "cover, index, two pages, a placeholder, verify page");
        let pages = page_texts(&out);
        assert!(pages[1].contains(index), "{language}: {}", pages[1]);
        // Right to left, poppler copies a number and the "·" beside it in either order: compared without it.
        let dotless = |t: &str| squeeze(t).replace('·', "");
        assert!(dotless(&pages[3]).contains(&dotless(stamp)), "{language}: {}", pages[3]);
        if language != "ar" {
            assert!(pages[3].contains(stamp), "{language}: {}", pages[3]);
        }
        assert!(
            letters(&pages[4]).contains(&letters(unreadable)),
            "the reason is in {language}: {}",
            pages[4]
        );
        let list = tool("pdfdetach", &["-list"], &out);
        assert!(list.contains("002 - bogus.png"), "the original is attached under a numbered name: {list}");
        let catalog = lopdf::Document::load(&out).unwrap();
        let lang = catalog.catalog().unwrap().get(b"Lang").unwrap().as_str().unwrap().to_vec();
        assert_eq!(lang, language.as_bytes(), "the catalog's /Lang is the bundle's language");
    }
}

/// A one-page PDF whose page content is empty and whose text lives only in annotations' appearances: a filled
/// form field, and a hidden one.
fn form_pdf() -> Vec<u8> {
    let mut doc = lopdf::Document::with_version("1.7");
    let dict = |pairs: Vec<(&str, Object)>| {
        let mut d = lopdf::Dictionary::new();
        for (k, v) in pairs {
            d.set(k, v);
        }
        d
    };
    let name = |n: &str| Object::Name(n.as_bytes().to_vec());
    let nums = |v: &[f32]| Object::Array(v.iter().map(|x| Object::Real(*x)).collect());
    let font = doc.add_object(dict(vec![
        ("Type", name("Font")),
        ("Subtype", name("Type1")),
        ("BaseFont", name("Helvetica")),
    ]));
    let appearance = |doc: &mut lopdf::Document, text: &str| {
        let resources =
            dict(vec![("Font", Object::Dictionary(dict(vec![("Helv", Object::Reference(font))])))]);
        let content = format!("BT /Helv 10 Tf 2 6 Td ({text}) Tj ET").into_bytes();
        doc.add_object(lopdf::Stream::new(
            dict(vec![
                ("Type", name("XObject")),
                ("Subtype", name("Form")),
                ("BBox", nums(&[0.0, 0.0, 200.0, 20.0])),
                ("Resources", Object::Dictionary(resources)),
            ]),
            content,
        ))
    };
    let shown = appearance(&mut doc, "FILLED-VALUE-42");
    let hidden = appearance(&mut doc, "HIDDEN-VALUE-7");
    let widget = |ap: ObjectId, flags: i64, y: f32| {
        Object::Dictionary(dict(vec![
            ("Type", name("Annot")),
            ("Subtype", name("Widget")),
            ("F", Object::Integer(flags)),
            ("Rect", nums(&[100.0, y, 300.0, y + 20.0])),
            ("AP", Object::Dictionary(dict(vec![("N", Object::Reference(ap))]))),
        ]))
    };
    let pages = doc.new_object_id();
    let content = doc.add_object(lopdf::Stream::new(lopdf::Dictionary::new(), b"".to_vec()));
    let page = doc.add_object(dict(vec![
        ("Type", name("Page")),
        ("Parent", Object::Reference(pages)),
        ("Contents", Object::Reference(content)),
        ("MediaBox", nums(&[0.0, 0.0, 595.0, 842.0])),
        ("Annots", Object::Array(vec![widget(shown, 4, 700.0), widget(hidden, 2, 600.0)])),
    ]));
    doc.objects.insert(
        pages,
        Object::Dictionary(dict(vec![
            ("Type", name("Pages")),
            ("Kids", Object::Array(vec![Object::Reference(page)])),
            ("Count", Object::Integer(1)),
        ])),
    );
    let catalog = doc.add_object(dict(vec![("Type", name("Catalog")), ("Pages", Object::Reference(pages))]));
    doc.trailer.set("Root", Object::Reference(catalog));
    let mut out = Vec::new();
    doc.save_to(&mut out).unwrap();
    out
}

#[test]
fn a_filled_form_keeps_its_values_and_hidden_fields_stay_hidden() {
    let mut case = Case::new();
    let form = form_pdf();
    let original = write(&case.files, "form-original.pdf", &form);
    let direct = tool("pdftotext", &[], &original);
    assert!(!direct.contains("FILLED-VALUE-42"), "the value lives in the annotation, not the page content");
    let id = case.add("form.pdf", &form, "");
    let out = case.out("form-bundle.pdf");
    export(&mut case.vault, &BundleSpec::for_items(&[id]), None, &out, &worker(), &mut |_| true).unwrap();
    let pages = page_texts(&out);
    assert!(pages[2].contains("FILLED-VALUE-42"), "a form field's value must be on the page: {}", pages[2]);
    assert!(!pages[2].contains("HIDDEN-VALUE-7"), "a hidden field must stay hidden: {}", pages[2]);
    let doc = lopdf::Document::load(&out).unwrap();
    let exhibit_page = doc.get_pages()[&3];
    let annots = match doc.get_dictionary(exhibit_page).unwrap().get(b"Annots") {
        Ok(Object::Array(a)) => a.len(),
        _ => 0,
    };
    assert_eq!(annots, 0, "the exhibit's annotations are drawn, not carried over");
}

/// The library replaces a file at the chosen path (the save dialog asked the person; the CLI asks for
/// `--replace`), but only once the new bundle is complete: a cancel at the last moment leaves the old file as it
/// was, with nothing beside it and nothing logged.
#[test]
fn a_bundle_replaces_an_existing_file_only_once_it_is_complete() {
    let mut case = Case::new();
    let a = case.add("a.pdf", &sample_pdf("A", 1), "");
    let out = case.out("bundle.pdf");
    let old = b"an earlier file the person chose to replace".to_vec();
    fs::write(&out, &old).unwrap();
    let listing = |dir: &Path| {
        let mut names: Vec<_> = fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name()).collect();
        names.sort();
        names
    };
    let before = listing(&case.files);
    let spec = BundleSpec::for_items(&[a]);
    let mut writing = 0;
    let err = export(&mut case.vault, &spec, None, &out, &worker(), &mut |p| {
        // The second "writing" call comes after the bundle is written, just before it takes the name.
        writing += usize::from(p.stage == "writing");
        writing < 2
    })
    .unwrap_err();
    assert!(matches!(err, Error::Cancelled), "cancelled once written: {err}");
    assert_eq!(writing, 2, "the cancel came after the bundle was written in full");
    assert_eq!(fs::read(&out).unwrap(), old, "a cancelled export leaves the existing file byte for byte");
    assert_eq!(listing(&case.files), before, "and no temporary file beside it");
    assert!(case.vault.journal().disclosures(None).unwrap().is_empty(), "nothing was logged");

    let report = export(&mut case.vault, &spec, None, &out, &worker(), &mut |_| true).unwrap();
    assert_eq!(sha256_file(&out), report.sha256, "a complete export replaces the file whole");
    let info = tool("pdfinfo", &[], &out);
    assert_eq!(
        (crate::common::info_field(&info, "Pages"), report.pages),
        ("4".to_owned(), 4),
        "the replacement is the whole bundle: cover, index, the exhibit's page, verify page"
    );
    let log = case.vault.journal().disclosures(None).unwrap();
    assert_eq!(log.len(), 1, "the replacing export is logged once");
    assert_eq!(log[0].state.sha256, report.sha256, "the log holds the new file's hash");
}

/// The cover's date, the disclosure record's time and the audit stamp all come from the vault's clock, never
/// from the system's (style guide: time is passed in).
#[test]
fn the_cover_and_the_disclosure_log_carry_the_time_of_the_vaults_clock() {
    let dir = scratch();
    let at: chrono::DateTime<chrono::Utc> = "2031-05-17T09:30:00Z".parse().unwrap();
    let (vault, _) =
        Vault::create(&dir.path().join("vault"), &pass(), fast(), Box::new(FixedClock(at))).unwrap();
    let files = dir.path().join("files");
    fs::create_dir_all(&files).unwrap();
    let mut case = Case { _dir: dir, files, vault };
    let a = case.add("a.pdf", &sample_pdf("A", 1), "");
    let out = case.out("dated.pdf");
    let report =
        export(&mut case.vault, &BundleSpec::for_items(&[a]), None, &out, &worker(), &mut |_| true).unwrap();
    let cover = squeeze(&page_texts(&out)[0]);
    assert!(cover.contains("Date:2031-05-17"), "the cover is dated by the vault's clock: {cover}");
    let log = case.vault.journal().disclosures(None).unwrap();
    assert_eq!(log[0].state.at, at, "the disclosure record keeps the clock's time");
    let entry = case.vault.journal().history(Kind::Disclosure, report.disclosure).unwrap();
    assert_eq!(
        entry.iter().map(|e| e.at.as_str()).collect::<Vec<_>>(),
        ["2031-05-17T09:30:00.000Z"],
        "the audit entry of the export is stamped by the clock"
    );
}

/// A disk that fills up while the bundle is written. This test runs itself again in a process of its own under a
/// file size limit (`prlimit --fsize`, with SIGXFSZ ignored so that the write past the limit fails with EFBIG
/// instead of killing the process): the export stops half-way, says which file could not be written and why,
/// leaves no file and logs nothing.
#[test]
fn a_write_that_fails_half_way_names_the_file_and_leaves_nothing() {
    const CHILD: &str = "REDRESS_FSIZE_CHILD";
    const NAME: &str = "bundle::output::a_write_that_fails_half_way_names_the_file_and_leaves_nothing";
    const LIMIT: usize = 2 << 20;
    if let Some(dir) = std::env::var_os(CHILD) {
        let dir = PathBuf::from(dir);
        let mut vault = reopen(&dir);
        let ids: Vec<i64> =
            fs::read_to_string(dir.join("ids")).unwrap().split(',').map(|s| s.parse().unwrap()).collect();
        let out = dir.join("files").join("bundle.pdf");
        let err = export(&mut vault, &BundleSpec::for_items(&ids), None, &out, &worker(), &mut |_| true)
            .unwrap_err();
        let text = err.to_string();
        assert!(matches!(err, Error::Io { .. }), "an I/O error: {err:?}");
        assert!(text.contains("cannot write '") && text.contains("bundle.pdf'"), "names the file: {text}");
        assert!(text.contains("too large"), "says why (EFBIG): {text}");
        return;
    }
    let mut case = Case::new();
    // Noise pictures pass into the bundle as they are: three of them make it larger than the limit.
    let ids: Vec<i64> = (0..3u32)
        .map(|n| {
            let img = image::RgbImage::from_fn(1200, 900, |x, y| {
                let v = x.wrapping_mul(2_654_435_761) ^ y.wrapping_mul(40_503) ^ (n << 20);
                image::Rgb([(v >> 8) as u8, (v >> 16) as u8, (v >> 24) as u8])
            });
            let mut jpeg = Vec::new();
            image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 90)
                .encode(img.as_raw(), 1200, 900, image::ExtendedColorType::Rgb8)
                .unwrap();
            case.add(&format!("noise-{n}.jpg"), &jpeg, "")
        })
        .collect();
    let first = case.out("whole.pdf");
    let whole = export(&mut case.vault, &BundleSpec::for_items(&ids), None, &first, &worker(), &mut |_| true)
        .unwrap();
    assert!(whole.bytes > 2 * LIMIT as u64, "the bundle must be well over the limit: {} bytes", whole.bytes);
    fs::remove_file(&first).unwrap();
    let logged = case.vault.journal().disclosures(None).unwrap().len();
    let dir = case.files.parent().unwrap().to_path_buf();
    fs::write(dir.join("ids"), ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",")).unwrap();
    let before: Vec<_> = fs::read_dir(&case.files).unwrap().map(|e| e.unwrap().file_name()).collect();
    let run = Command::new("sh")
        .args([
            "-c",
            "trap '' XFSZ; exec prlimit --fsize=\"$1\" -- \"$0\" --exact \"$2\" --nocapture",
            std::env::current_exe().unwrap().to_str().unwrap(),
            &LIMIT.to_string(),
            NAME,
        ])
        .env(CHILD, &dir)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&run.stdout).into_owned() + &String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success() && text.contains("1 passed"), "the run under the limit failed:\n{text}");
    let after: Vec<_> = fs::read_dir(&case.files).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(after, before, "no file, whole or partial, is left where the bundle was to go");
    assert_eq!(
        case.vault.journal().disclosures(None).unwrap().len(),
        logged,
        "the failed export is not logged"
    );
}
