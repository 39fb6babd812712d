//! The OCR section of `make bench` (issue 13): Redress's sandboxed OCR beside the `tesseract` command.

use super::*;

/// Issue 13: OCR of a 10-page scan at 300 dpi (A4, Russian and English lines drawn by ImageMagick, stored as an
/// image-only PDF of JPEG pages) through Redress (a sandboxed worker per core) beside the `tesseract` command on the
/// same page pictures (one process for the list, its own threads), in the same run; peak memory of each side's
/// processes sampled from /proc.
pub(super) fn ocr_bench(root: &Path) {
    const PAGES: usize = 10;
    let files = root.join("ocr-pages");
    fs::create_dir_all(&files).unwrap();
    let mut jpegs = Vec::new();
    for n in 0..PAGES {
        let png = files.join(format!("page-{n:02}.png"));
        let mut convert = std::process::Command::new("convert");
        convert.args([
            "-size",
            "2480x3508",
            "xc:white",
            "-font",
            "DejaVu-Sans",
            "-pointsize",
            "40",
            "-fill",
            "black",
        ]);
        for line in 0..36 {
            let text = if line % 2 == 0 {
                format!(
                    "{}. Постановление суда от {} марта 2019 года по делу № {}-{}",
                    line + 1,
                    line % 28 + 1,
                    1000 + n,
                    line
                )
            } else {
                format!(
                    "{}. The district court ordered the arrest of the applicant, case {}-{}",
                    line + 1,
                    1000 + n,
                    line
                )
            };
            convert.args(["-annotate", &format!("+150+{}", 200 + line * 90), &text]);
        }
        assert!(
            convert.args(["-colorspace", "Gray"]).arg(&png).status().unwrap().success(),
            "convert (ImageMagick)"
        );
        let jpeg = files.join(format!("page-{n:02}.jpg"));
        assert!(std::process::Command::new("convert")
            .arg(&png)
            .args(["-quality", "85"])
            .arg(&jpeg)
            .status()
            .unwrap()
            .success());
        jpegs.push(jpeg);
    }
    let pdf = files.join("scan.pdf");
    {
        use lopdf::{dictionary, Object, Stream};
        let mut doc = lopdf::Document::with_version("1.7");
        let pages_id = doc.new_object_id();
        let mut kids = Vec::new();
        for jpeg in &jpegs {
            let im = doc.add_object(Stream::new(
                dictionary! {
                    "Type" => "XObject", "Subtype" => "Image", "Width" => 2480, "Height" => 3508,
                    "ColorSpace" => "DeviceGray", "BitsPerComponent" => 8, "Filter" => "DCTDecode",
                },
                fs::read(jpeg).unwrap(),
            ));
            let content =
                doc.add_object(Stream::new(dictionary! {}, b"q 595 0 0 842 0 0 cm /Im1 Do Q".to_vec()));
            kids.push(Object::Reference(doc.add_object(dictionary! {
                "Type" => "Page", "Parent" => pages_id, "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
                "Resources" => dictionary! { "XObject" => dictionary! { "Im1" => im } }, "Contents" => content,
            })));
        }
        doc.objects.insert(
            pages_id,
            Object::Dictionary(dictionary! { "Type" => "Pages", "Kids" => kids, "Count" => PAGES as i64 }),
        );
        let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
        doc.trailer.set("Root", catalog);
        doc.save(&pdf).unwrap();
    }
    let (mut vault, _) =
        Vault::create(&root.join("ocr-vault"), &pass(), fast(), Box::new(SystemClock)).unwrap();
    let source = check_source(&pdf).unwrap();
    let id = vault.journal_mut().import(&source, &EvidenceMeta::default(), &mut |_| true).unwrap().id;
    use redress_core::pdf::isolate::Worker;
    let list = files.join("pages.txt");
    fs::write(&list, jpegs.iter().map(|j| format!("{}\n", j.display())).collect::<String>()).unwrap();
    let worker = Worker::new(env!("CARGO_BIN_EXE_redress-worker"))
        .with_ocr_program(env!("CARGO_BIN_EXE_redress-ocr-worker"));

    // The tesseract command at its best here: OpenMP off (its threads fight on few cores) and one process per core,
    // each on its share of the pages, as Redress's workers are.
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get()).clamp(1, 4);
    let shares: Vec<PathBuf> = (0..cores)
        .map(|c| {
            let share = files.join(format!("pages-{c}.txt"));
            let lines: String =
                jpegs.iter().skip(c).step_by(cores).map(|j| format!("{}\n", j.display())).collect();
            fs::write(&share, lines).unwrap();
            share
        })
        .collect();
    let tesseract = |lists: &[PathBuf], one_thread: bool| {
        let sampler = ChildMemory::start();
        let s = Instant::now();
        let children: Vec<_> = lists
            .iter()
            .map(|l| {
                let mut c = std::process::Command::new("tesseract");
                c.arg(l).arg("stdout").args(["-l", "rus+eng"]);
                if one_thread {
                    c.env("OMP_THREAD_LIMIT", "1");
                }
                c.stdout(std::process::Stdio::piped()).stderr(std::process::Stdio::null()).spawn().unwrap()
            })
            .collect();
        let mut text = String::new();
        for child in children {
            let out = child.wait_with_output().unwrap();
            assert!(out.status.success(), "tesseract failed");
            text.push_str(&String::from_utf8_lossy(&out.stdout));
        }
        (s.elapsed(), sampler.stop(), text)
    };
    let redress = |vault: &mut Vault| {
        let sampler = ChildMemory::start();
        let s = Instant::now();
        let outcome = redress_core::scan::recognise(
            vault.journal_mut(),
            &worker,
            id,
            Some("rus+eng"),
            false,
            &mut |_, _| true,
        )
        .unwrap();
        (s.elapsed(), sampler.stop(), outcome)
    };
    const RUNS: usize = 3;
    let (mut ours, mut theirs, mut ratios) = (Vec::new(), Vec::new(), Vec::new());
    let (mut our_mem, mut their_mem) = ((0, 0), (0, 0));
    let mut words = (0, 0);
    let (plain, _, _) = tesseract(std::slice::from_ref(&list), false);
    for _ in 0..RUNS {
        let (t, m, text) = tesseract(&shares, true);
        let (r, rm, outcome) = redress(&mut vault);
        ratios.push(r.as_secs_f64() / t.as_secs_f64());
        ours.push(r);
        theirs.push(t);
        our_mem = (our_mem.0.max(rm.0), our_mem.1.max(rm.1));
        their_mem = (their_mem.0.max(m.0), their_mem.1.max(m.1));
        words = (outcome.words, text.split_whitespace().count());
        assert_eq!(outcome.pages as usize, PAGES);
    }
    ratios.sort_by(f64::total_cmp);
    println!(
        "ocr: {PAGES}-page scan, A4 at 300 dpi, rus+eng: Redress (one sandboxed worker per core, {cores} here) \
         median of {RUNS} {:.1} s, {} words; the tesseract command on the same pages, one process per core with \
         OMP_THREAD_LIMIT=1, {:.1} s, {} words: {:.2}× (paired, {:.2}–{:.2}) [goal ≤ 1.1×] (the command as it \
         comes, one process with OpenMP's threads: {:.1} s, once); peak memory: Redress's workers {:.0} MiB \
         together, {:.0} MiB the largest; tesseract {:.0} MiB together, {:.0} MiB the largest",
        median(ours).as_secs_f64(),
        words.0,
        median(theirs).as_secs_f64(),
        words.1,
        ratios[RUNS / 2],
        ratios[0],
        ratios[RUNS - 1],
        plain.as_secs_f64(),
        our_mem.1 as f64 / 1024.0,
        our_mem.0 as f64 / 1024.0,
        their_mem.1 as f64 / 1024.0,
        their_mem.0 as f64 / 1024.0,
    );
}

/// Samples the memory of this process's children (and theirs) every 20 ms: the largest VmHWM of one process and
/// the largest sum of VmRSS at one moment, in KiB.
struct ChildMemory {
    stop: Arc<AtomicBool>,
    thread: std::thread::JoinHandle<(u64, u64)>,
}

impl ChildMemory {
    fn start() -> ChildMemory {
        let stop = Arc::new(AtomicBool::new(false));
        let flag = stop.clone();
        let thread = std::thread::spawn(move || {
            let field = |pid: &str, name: &str| -> u64 {
                let status = fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
                status
                    .lines()
                    .find_map(|l| l.strip_prefix(name))
                    .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
                    .unwrap_or(0)
            };
            let children = |pid: &str| -> Vec<String> {
                let mut out = Vec::new();
                for task in fs::read_dir(format!("/proc/{pid}/task")).into_iter().flatten().flatten() {
                    let list = fs::read_to_string(task.path().join("children")).unwrap_or_default();
                    out.extend(list.split_whitespace().map(str::to_owned));
                }
                out
            };
            let (mut largest, mut together) = (0, 0);
            while !flag.load(Ordering::Relaxed) {
                let mut all = Vec::new();
                let mut queue = children("self");
                while let Some(pid) = queue.pop() {
                    queue.extend(children(&pid));
                    all.push(pid);
                }
                let sum: u64 = all.iter().map(|p| field(p, "VmRSS:")).sum();
                together = u64::max(together, sum);
                largest = all.iter().map(|p| field(p, "VmHWM:")).fold(largest, u64::max);
                std::thread::sleep(Duration::from_millis(20));
            }
            (largest, together)
        });
        ChildMemory { stop, thread }
    }

    fn stop(self) -> (u64, u64) {
        self.stop.store(true, Ordering::Relaxed);
        self.thread.join().unwrap()
    }
}
