//! `redress-cli checklist` and `draft`: annex PDFs are counted in the isolated worker, never in the CLI's own
//! process (issue 9 §4), and the demo case's drafts cite only verified rules in their own language (issue 10).

use chrono::NaiveDate;
use redress_core::ccf::{Annex, RequestInput};
use redress_core::evidence::{check_source, EvidenceMeta};
use redress_core::rules::{CitationStatus, RequestType};

use crate::common::*;

/// A one-page PDF whose page tree sits in an object stream that inflates to 4 GiB of zeros (about 4 MB on disk).
/// Compressing 4 GiB takes minutes, so flate2 compresses the objects and the first MiBs of zeros, and the
/// (byte-aligned, identical) compressed form of one more MiB of zeros is repeated; the Adler-32 is computed.
fn write_inflating_pdf(path: &std::path::Path) {
    use std::io::Write;
    let objects = [
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
    ];
    let index = format!("2 0 3 {} ", objects[0].len() + 1);
    let head = format!("{index}{}\n{}\n", objects[0], objects[1]);
    const MIB: usize = 1 << 20;
    const CHUNKS: usize = 4096;
    let zeros = vec![0u8; MIB];
    let mut z = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::best());
    let mut deflated = |bytes: &[&[u8]]| -> Vec<u8> {
        for b in bytes {
            z.write_all(b).unwrap();
        }
        z.flush().unwrap();
        std::mem::take(z.get_mut())
    };
    let mut stream = vec![0x78, 0xda];
    stream.extend(deflated(&[head.as_bytes(), &zeros]));
    stream.extend(deflated(&[&zeros]));
    let one_mib = deflated(&[&zeros]);
    assert_eq!(deflated(&[&zeros]), one_mib, "a MiB of zeros after zeros compresses the same each time");
    for _ in 2..CHUNKS {
        stream.extend_from_slice(&one_mib);
    }
    stream.extend(z.finish().unwrap());
    let (mut a, mut b) = (1u64, 0u64);
    for byte in head.bytes() {
        a = (a + u64::from(byte)) % 65521;
        b = (b + a) % 65521;
    }
    b = (b + a * ((CHUNKS * MIB) as u64 % 65521)) % 65521;
    stream.extend_from_slice(&(((b << 16) | a) as u32).to_be_bytes());
    assert!(stream.len() < 8 << 20, "the bomb stays small on disk: {} bytes", stream.len());

    let mut pdf = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n".to_vec();
    let catalog = pdf.len();
    pdf.extend_from_slice(b"1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n");
    let objstm = pdf.len();
    pdf.extend_from_slice(
        format!(
            "4 0 obj\n<< /Type /ObjStm /N 2 /First {} /Filter /FlateDecode /Length {} >>\nstream\n",
            index.len(),
            stream.len()
        )
        .as_bytes(),
    );
    pdf.extend_from_slice(&stream);
    pdf.extend_from_slice(b"\nendstream\nendobj\n");
    let xref = pdf.len();
    // A cross-reference stream (W [1 4 2]): objects 2 and 3 live in object stream 4.
    let mut entries = Vec::new();
    for (kind, field, index) in [
        (0u8, 0u32, 0xffffu16),
        (1, catalog as u32, 0),
        (2, 4, 0),
        (2, 4, 1),
        (1, objstm as u32, 0),
        (1, xref as u32, 0),
    ] {
        entries.push(kind);
        entries.extend_from_slice(&field.to_be_bytes());
        entries.extend_from_slice(&index.to_be_bytes());
    }
    pdf.extend_from_slice(
        format!(
            "5 0 obj\n<< /Type /XRef /Size 6 /W [1 4 2] /Root 1 0 R /Length {} >>\nstream\n",
            entries.len()
        )
        .as_bytes(),
    );
    pdf.extend_from_slice(&entries);
    pdf.extend_from_slice(format!("\nendstream\nendobj\nstartxref\n{xref}\n%%EOF\n").as_bytes());
    std::fs::write(path, pdf).unwrap();
}

/// Issue 9 §4 (review H6): annex PDFs are untrusted and are counted in the isolated worker, with a bound on what
/// a stream may inflate to. With an annex whose page tree sits in an object stream of 4 GiB, `redress-cli
/// checklist` and `draft` finish under a 1.5 GB address-space limit without inflating it in their own process
/// (in-process lopdf used to grow to the limit, ~1.4 GB), its page count is "?", and a sound PDF is counted.
#[test]
fn issue_9_an_inflating_annex_pdf_is_never_parsed_in_process() {
    let dir = scratch();
    let (mut vault, _) = new_vault(dir.path());
    let bomb = dir.path().join("bomb.pdf");
    write_inflating_pdf(&bomb);
    let three = redress_core::pdf::render(&redress_core::pdf::Document {
        title: "Ruling".into(),
        language: "en".into(),
        author: String::new(),
        subject: String::new(),
        footer: "Ruling".into(),
        page_label: "{page}/{pages}".into(),
        page_labels: Vec::new(),
        label_samples: Vec::new(),
        blocks: vec![
            redress_core::pdf::Block::Paragraph("One".into()),
            redress_core::pdf::Block::PageBreak,
            redress_core::pdf::Block::Paragraph("Two".into()),
            redress_core::pdf::Block::PageBreak,
            redress_core::pdf::Block::Paragraph("Three".into()),
        ],
    })
    .unwrap();
    assert_eq!(three.pages, 3);
    let three_path = write(dir.path(), "ruling.pdf", &three.bytes);
    let mut add = |path: &std::path::Path, title: &str| {
        let source = check_source(path).unwrap();
        let meta = EvidenceMeta { title: Some(title.into()), ..Default::default() };
        vault.journal_mut().import(&source, &meta, &mut no_progress()).unwrap().id
    };
    let bomb = add(&bomb, "Arrest warrant");
    let ruling = add(&three_path, "Court ruling");
    let id = vault
        .journal_mut()
        .add_request(&RequestInput {
            title: "Access".into(),
            request_type: Some(RequestType::Access),
            language: "en".into(),
            annexes: vec![
                Annex { evidence: bomb, confidential: false },
                Annex { evidence: ruling, confidential: false },
            ],
            ..Default::default()
        })
        .unwrap();
    drop(vault);
    let pass_file = write(dir.path(), "pass", PASSPHRASE.as_bytes());
    let mut text = String::new();
    // Runs redress-cli under a 1.5 GB address-space limit; gives its output and its peak resident memory in KiB
    // (VmHWM, which only grows, read while it runs).
    let run = |args: &[&str]| -> (std::process::Output, u64) {
        let mut child = std::process::Command::new("prlimit")
            .arg("--as=1500000000")
            .arg("--")
            .arg(env!("CARGO_BIN_EXE_redress-cli"))
            .args(args)
            .arg("--vault")
            .arg(dir.path().join("vault"))
            .arg("--passphrase-file")
            .arg(&pass_file)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let status = format!("/proc/{}/status", child.id());
        let mut peak = 0;
        while child.try_wait().unwrap().is_none() {
            let hwm = std::fs::read_to_string(&status).ok().and_then(|s| {
                s.lines()
                    .find_map(|l| l.strip_prefix("VmHWM:")?.trim().strip_suffix("kB")?.trim().parse().ok())
            });
            peak = peak.max(hwm.unwrap_or(0));
            std::thread::sleep(std::time::Duration::from_millis(2));
        }
        (child.wait_with_output().unwrap(), peak)
    };
    let id = id.to_string();
    for args in [["checklist", &id, ""], ["draft", &id, "--text"]] {
        let args: Vec<&str> = args.into_iter().filter(|a| !a.is_empty()).collect();
        let (out, peak) = run(&args);
        assert!(
            out.status.success(),
            "`{}` must finish under a 1.5 GB address-space limit: {:?} {}",
            args[0],
            out.status,
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            peak < 512 * 1024,
            "`{}` must never inflate the annex in its own process: it held {peak} KiB at its peak",
            args[0]
        );
        if args[0] == "draft" {
            text = String::from_utf8_lossy(&out.stdout).into_owned();
        }
    }
    let line = |title: &str| text.lines().find(|l| l.contains(title)).unwrap_or_default().to_owned();
    assert!(line("Arrest warrant").contains(" — ? — "), "the bomb's pages are unknown:\n{text}");
    assert!(line("Court ruling").contains(" — 3 — "), "a sound PDF annex is counted by the worker:\n{text}");
}

/// Whitespace folded to single spaces: pdftotext breaks lines where the layout does.
fn folded(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Issue 10: every draft of the demo case, in each language, written by `redress-cli draft` (the CLI's own path:
/// annex pages counted in the worker) and read back with pdftotext. French and Spanish drafts hold none of the
/// library's English words and cite in §7's forms; no draft in any language prints a [check] citation as a
/// number; each ends with the notes for counsel.
#[test]
fn issue_10_drafts_of_the_demo_case_cite_only_verified_rules_in_their_own_language() {
    use crate::common::{page_texts, squeeze};
    let dir = scratch();
    let (mut vault, _) = new_vault(dir.path());
    redress_core::demo::fill(&mut vault, NaiveDate::from_ymd_opt(2026, 11, 28).unwrap()).unwrap();
    let requests = vault.journal().list_requests(false).unwrap();
    drop(vault);
    let pass_file = write(dir.path(), "pass", PASSPHRASE.as_bytes());
    // Everything a [check] citation could print as, in every language and in the reference's own short form.
    let mut unverified: Vec<String> = Vec::new();
    for citations in redress_core::grounds::ground_citations().unwrap().values() {
        for c in citations.iter().filter(|c| c.status != CitationStatus::Verified) {
            unverified.extend(
                ["en", "fr", "es", "ar"].iter().filter_map(|l| c.cite.written(l)).map(|w| squeeze(&w)),
            );
            if let (Some(i), [number, ..]) = (c.cite.instrument(), c.cite.key().as_slice()) {
                unverified.push(squeeze(&format!("{} {number}", i.abbreviation())));
            }
        }
    }
    assert!(unverified.contains(&squeeze("art. 77(2) du RTD")) && unverified.contains(&squeeze("RPD 35")));
    // The library's English: its words, abbreviations and citation forms (the demo's own facts are the person's
    // words, in whatever language they wrote them, and are not checked).
    const ENGLISH: [&str; 15] = [
        "spirit",
        "taints",
        "RoP",
        "RPD",
        "Const.",
        "Decision No.",
        "CCF practice",
        "Rules:",
        "Statute",
        "Repository",
        "resolution ",
        "UDHR",
        "ST 29",
        "ST 42",
        "INTERPOL's Constitution",
    ];
    for r in &requests {
        let form = r.state.applicant_form;
        for language in ["en", "fr", "es", "ar"] {
            let what = format!("request {} ('{}') in {language}", r.id, r.state.title);
            let pdf = dir.path().join(format!("draft-{}-{language}.pdf", r.id));
            let out = std::process::Command::new(env!("CARGO_BIN_EXE_redress-cli"))
                .args(["draft", &r.id.to_string(), "--lang", language, "--out"])
                .arg(&pdf)
                .arg("--vault")
                .arg(dir.path().join("vault"))
                .arg("--passphrase-file")
                .arg(&pass_file)
                .output()
                .unwrap();
            assert!(out.status.success(), "{what}: {}", String::from_utf8_lossy(&out.stderr));
            let text = folded(&page_texts(&pdf).join("\n"));
            let squeezed = squeeze(&text);
            // Arabic: poppler may read a mostly Latin page's Arabic lines word by word as they stand, and set
            // punctuation beside a Latin run on its other side, so each word's letters are looked for (the order
            // of an Arabic page is tested in the core's `pdf::arabic`).
            let all_letters = letters(&text);
            let printed = |line: &str| {
                if language == "ar" {
                    line.split_whitespace().map(letters).all(|w| all_letters.contains(&w))
                } else {
                    squeezed.contains(&squeeze(line))
                }
            };
            for number in &unverified {
                let printed = squeezed.match_indices(number.as_str()).any(|(i, _)| {
                    !squeezed[i + number.len()..].starts_with(|c: char| c == '(' || c.is_ascii_digit())
                });
                assert!(
                    !printed,
                    "{what}: the unverified citation '{number}' is printed as a number:\n{text}"
                );
            }
            let library = redress_core::grounds::library_in(language, form).unwrap();
            for g in &r.state.grounds {
                let ground = library.grounds.iter().find(|x| x.id == g.ground).unwrap();
                for line in ground.lines.iter().chain(&ground.counsel) {
                    assert!(printed(line), "{what}: '{line}' must be printed");
                }
            }
            let expected: &[&str] = match language {
                "fr" => &[
                    "art. 29 du Statut de la CCF",
                    "« RTD » désigne le Règlement d'INTERPOL sur le traitement des données",
                    "Notes à l'attention du conseil",
                ],
                "es" => &[
                    "art. 29 del Estatuto de la CCF",
                    "«RTD» designa el Reglamento de INTERPOL sobre el Tratamiento de Datos",
                    "Notas para la revisión jurídica",
                ],
                // Arabic names the RPD in full every time: no abbreviation to define.
                "ar" => &[
                    "المادة 29 من النظام الأساسي للجنة الرقابة على محفوظات الإنتربول",
                    "نظام الإنتربول لمعاملة البيانات",
                    "ملاحظات للمحامي",
                ],
                _ => &[
                    "Article 29 of the Statute of the CCF",
                    "“RPD” means INTERPOL's Rules on the Processing of Data",
                    "Notes for counsel",
                ],
            };
            let revision = r.state.request_type == Some(RequestType::Revision);
            for words in expected.iter().skip(usize::from(revision) * 2) {
                assert!(printed(words), "{what}: '{words}' must be in the draft:\n{text}");
            }
            if revision {
                let st42 = [
                    "Article 42(1) of the Statute of the CCF",
                    "art. 42(1) du Statut de la CCF",
                    "art. 42(1) del Estatuto de la CCF",
                    "المادة 42(1) من النظام الأساسي للجنة الرقابة على محفوظات الإنتربول",
                ];
                assert!(
                    st42.iter().any(|w| if language == "ar" {
                        w.starts_with('ا') && printed(w)
                    } else {
                        printed(w)
                    }),
                    "{what}: the revision cites ST 42(1)"
                );
            }
            if language == "en" {
                continue;
            }
            for word in ENGLISH {
                assert!(
                    !text.contains(word),
                    "{what}: English '{word}' from the library in the draft:\n{text}"
                );
            }
            for (i, _) in text.match_indices("para ") {
                let abbreviation =
                    language == "fr" || text[i + 5..].starts_with(|c: char| c.is_ascii_digit());
                assert!(!abbreviation, "{what}: 'para' as an abbreviation:\n{text}");
            }
            if language == "fr" && r.state.signer == redress_core::ccf::Signer::Representative {
                assert!(
                    text.contains("Claire Dubois, mandataire de Mikhail Andreevich Orlov"),
                    "{what}:\n{text}"
                );
            }
            if language == "fr" {
                assert!(!text.contains("en donner accès"), "{what}: review E9");
                assert!(text.contains("Le requérant"), "{what}: the demo applicant's chosen form");
            }
        }
    }
}
