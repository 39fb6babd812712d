//! The bundle section of `make bench`: Redress's counsel bundle beside qpdf merging the same PDFs.

use super::*;

/// 50 PDFs of 10 pages and 20 photos into one bundle (stamps, index, outline), beside qpdf merging the same 50
/// PDFs without stamps, in the same run.
pub(super) fn bundle_section(root: &Path) {
    const RUNS: usize = 9;
    use redress_core::bundle::BundleSpec;
    use redress_core::pdf::isolate::Worker;

    let files = root.join("bundle-files");
    fs::create_dir_all(&files).unwrap();
    let (mut vault, _) =
        Vault::create(&root.join("bundle-vault"), &pass(), fast(), Box::new(SystemClock)).unwrap();
    let mut ids = Vec::new();
    let mut pdfs = Vec::new();
    for n in 0..50 {
        let mut blocks = Vec::new();
        for page in 1..=10 {
            if page > 1 {
                blocks.push(Block::PageBreak);
            }
            blocks.push(Block::Heading { text: format!("Document {n}, page {page}"), bookmark: false });
            for k in 0..6 {
                blocks.push(Block::Paragraph(format!(
                    "Paragraph {k}: the court of first instance examined the case file № {n}-{page}-{k} and                      found that the applicant's publications were protected speech. Суд установил, что                      публикации заявителя являются выражением мнения. {}",
                    hex::encode(Sha256::digest(format!("{n}/{page}/{k}")))
                )));
            }
        }
        let doc =
            Document { title: format!("Document {n}"), language: "en".into(), blocks, ..Document::default() };
        let rendered = redress_core::pdf::render(&doc).unwrap();
        assert_eq!(rendered.pages, 10);
        let path = files.join(format!("document-{n:02}.pdf"));
        fs::write(&path, &rendered.bytes).unwrap();
        pdfs.push(path);
    }
    let mut photos = Vec::new();
    for n in 0..20u32 {
        let img = image::RgbImage::from_fn(2400, 1800, |x, y| {
            let noise = (x.wrapping_mul(2_654_435_761) ^ y.wrapping_mul(40_503) ^ n) % 32;
            image::Rgb([((x / 10 + noise) % 256) as u8, ((y / 8 + n * 9) % 256) as u8, (noise * 6) as u8])
        });
        let mut jpeg = Vec::new();
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 85)
            .encode(img.as_raw(), 2400, 1800, image::ExtendedColorType::Rgb8)
            .unwrap();
        let path = files.join(format!("photo-{n:02}.jpg"));
        fs::write(&path, &jpeg).unwrap();
        photos.push(path);
    }
    for path in pdfs.iter().chain(&photos) {
        let source = check_source(path).unwrap();
        ids.push(vault.journal_mut().import(&source, &EvidenceMeta::default(), &mut |_| true).unwrap().id);
    }
    let input_mib =
        pdfs.iter().chain(&photos).map(|p| fs::metadata(p).unwrap().len()).sum::<u64>() as f64 / MIB as f64;

    let qpdf = |out: &Path| {
        let s = Instant::now();
        let status = std::process::Command::new("qpdf")
            .arg("--empty")
            .arg("--pages")
            .args(&pdfs)
            .arg("--")
            .arg(out)
            .status()
            .unwrap();
        assert!(status.success());
        s.elapsed()
    };
    let worker = Worker::new(env!("CARGO_BIN_EXE_redress-worker"));
    let spec = BundleSpec::for_items(&ids);
    let before = rss_kib();
    let mut redress_runs = Vec::new();
    let mut qpdf_runs = Vec::new();
    let mut report = None;
    for run in 0..RUNS {
        qpdf_runs.push(qpdf(&root.join(format!("qpdf-{run}.pdf"))));
        let out = root.join(format!("bundle-{run}.pdf"));
        let s = Instant::now();
        report = Some(
            redress_core::bundle::export(&mut vault, &spec, None, &out, &worker, &mut |_| true).unwrap(),
        );
        redress_runs.push(s.elapsed());
    }
    let report = report.unwrap();
    assert!(report.pages > 500 + 20 + 2, "cover, index, the exhibits' 520 pages, verify page");
    let peak = hwm_kib();
    // Each export is compared with the qpdf run just before it: on a shared machine whose speed drifts by half
    // within minutes, the median of these paired ratios holds far steadier than a ratio of two medians.
    let mut ratios: Vec<f64> =
        redress_runs.iter().zip(&qpdf_runs).map(|(r, q)| r.as_secs_f64() / q.as_secs_f64()).collect();
    ratios.sort_by(f64::total_cmp);
    let ratio = ratios[ratios.len() / 2];
    let (r, q) = (median(redress_runs), median(qpdf_runs));
    println!(
        "bundle: 50 PDFs × 10 pages + 20 photos (2400×1800, {input_mib:.1} MiB in all) → {} pages, {:.1} MiB: \
         median of {RUNS} {:.0} ms, stamps + index + outline + SHA-256 checks, fdatasync; qpdf --empty --pages \
         (50 PDFs, no stamps, no sync) {:.0} ms, each run just before one of ours: {:.2}× qpdf (median of the \
         paired ratios, {:.2}–{:.2}) [goal ≤ 1.0×]; peak RSS {:.0} MiB (idle before {:.0} MiB; each exhibit \
         parsed in a separate worker process)",
        report.pages,
        report.bytes as f64 / MIB as f64,
        r.as_secs_f64() * 1e3,
        q.as_secs_f64() * 1e3,
        ratio,
        ratios[0],
        ratios[ratios.len() - 1],
        peak as f64 / 1024.0,
        before as f64 / 1024.0,
    );
}
