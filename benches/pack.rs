//! `cargo bench --bench pack`: the cost of printing controlled forms, beside raw typst.
//!
//! Measures (release build, one thread): indexing the embedded fonts (cold start), loading the
//! templates, one blank form through kefu (view → JSON → typst → glyph check → PDF) against raw
//! typst compiling the same template with the same data in a minimal World with fonts loaded once,
//! and the whole pack. Prints a Markdown table for docs/benchmarks.md. Peak memory of a full CLI
//! run is measured by scripts/bench.sh.

use std::collections::HashMap;
use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use kefu::commands::pack::{self, PackOptions};
use kefu::config::Config;
use kefu::forms::FormSet;
use kefu::render::filled::{self, PackView};
use kefu::render::{FontStore, PdfFlavor, TemplateStore, Typesetter};
use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime, Duration as TypstDuration};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};
use typst_layout::PagedDocument;

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

/// Median wall time of `f`. typst memoizes layout across compilations (comemo), so repeating
/// one document would measure cache hits; with `cold_cache` every run starts from an empty cache,
/// which is what a new document costs.
fn time<T>(runs: usize, cold_cache: bool, mut f: impl FnMut() -> T) -> Duration {
    black_box(f()); // warm-up: page faults, lazy statics
    median(
        (0..runs)
            .map(|_| {
                if cold_cache {
                    typst::comemo::evict(0);
                }
                let t = Instant::now();
                black_box(f());
                t.elapsed()
            })
            .collect(),
    )
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

/// The reference: typst with nothing of kefu's — fonts read once from fonts/, the same
/// template files, the same JSON bytes.
struct RawWorld {
    library: LazyHash<Library>,
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
    sources: HashMap<FileId, Source>,
    main: FileId,
    data_id: FileId,
    data: Bytes,
}

fn id(path: &str) -> FileId {
    RootedPath::new(VirtualRoot::Project, VirtualPath::new(path).unwrap()).intern()
}

impl RawWorld {
    fn new(root: &Path) -> RawWorld {
        let fonts: Vec<Font> = ["NotoSerifSC-Regular", "NotoSerifSC-Bold", "NotoSansSC-Regular", "NotoSansSC-Bold"]
            .iter()
            .flat_map(|n| Font::iter(Bytes::new(std::fs::read(root.join(format!("fonts/{n}.ttf"))).unwrap())))
            .collect();
        let mut sources = HashMap::new();
        for rel in [
            "pack.typ",
            "lib/style.typ",
            "lib/controlled.typ",
            "lib/forms.typ",
            "lib/register.typ",
            "lib/sheet.typ",
            "lib/letter.typ",
        ] {
            let fid = id(&format!("/{rel}"));
            sources.insert(fid, Source::new(fid, std::fs::read_to_string(root.join("templates").join(rel)).unwrap()));
        }
        RawWorld {
            library: LazyHash::new(Library::builder().build()),
            book: LazyHash::new(FontBook::from_fonts(&fonts)),
            fonts,
            sources,
            main: id("/pack.typ"),
            data_id: id("/data.json"),
            data: Bytes::new(Vec::<u8>::new()),
        }
    }
}

impl World for RawWorld {
    fn library(&self) -> &LazyHash<Library> {
        &self.library
    }
    fn book(&self) -> &LazyHash<FontBook> {
        &self.book
    }
    fn main(&self) -> FileId {
        self.main
    }
    fn source(&self, id: FileId) -> FileResult<Source> {
        self.sources.get(&id).cloned().ok_or(FileError::NotSource)
    }
    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == self.data_id {
            return Ok(self.data.clone());
        }
        self.sources.get(&id).map(|s| Bytes::from_string(s.clone())).ok_or(FileError::AccessDenied)
    }
    fn font(&self, index: usize) -> Option<Font> {
        self.fonts.get(index).cloned()
    }
    fn today(&self, _: Option<TypstDuration>) -> Option<Datetime> {
        Datetime::from_ymd(2026, 11, 27)
    }
}

fn raw_pdf(world: &RawWorld) -> Vec<u8> {
    let doc = typst::compile::<PagedDocument>(world).output.expect("compiles");
    let options = typst_pdf::PdfOptions { tagged: false, ..Default::default() };
    typst_pdf::pdf(&doc, &options).expect("exports")
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let as_of = NaiveDate::from_ymd_opt(2026, 11, 27).unwrap();
    let mut rows: Vec<(String, String)> = Vec::new();

    let t = Instant::now();
    let fonts = FontStore::embedded();
    rows.push(("Index the embedded fonts (first call in the process, cold)".into(), ms(t.elapsed())));
    rows.push(("Index the embedded fonts (again, warm)".into(), ms(time(20, false, FontStore::embedded))));
    let t = Instant::now();
    let templates = TemplateStore::load(&root.join("templates")).unwrap();
    rows.push(("Load and parse the templates".into(), ms(t.elapsed())));
    let config = Config::load(&root.join("input")).unwrap();
    let forms = FormSet::load(&root.join("forms")).unwrap();
    let typesetter = Typesetter::new(fonts, templates);

    let mut raw = RawWorld::new(root);
    let mut ratios: Vec<f64> = Vec::new();
    for (number, what) in
        [(1u8, "register, A4 landscape, 1 page"), (16, "sheet, 2 copies = 2 pages"), (12, "letter, 1 page")]
    {
        let form = forms.get(number).unwrap();
        let pages = usize::from(form.copies);
        let kefu_t = time(30, true, || {
            filled::render_single(&config, form, &typesetter, "01", as_of, PdfFlavor::Plain, forms.dir()).unwrap()
        });
        let view = PackView::new(&config, &[form], "01", as_of, false);
        raw.data = Bytes::new(serde_json::to_vec(&view).unwrap());
        let raw_t = time(30, true, || raw_pdf(&raw));
        let cached_t = time(30, false, || {
            filled::render_single(&config, form, &typesetter, "01", as_of, PdfFlavor::Plain, forms.dir()).unwrap()
        });
        let per = |d: Duration| d / pages as u32;
        let ratio = kefu_t.as_secs_f64() / raw_t.as_secs_f64();
        ratios.push(ratio);
        rows.push((format!("Form {number:02} ({what}): kefu, per page"), ms(per(kefu_t))));
        rows.push((format!("Form {number:02}: raw typst, same template and data, per page"), ms(per(raw_t))));
        rows.push((format!("Form {number:02}: kefu ÷ raw typst"), format!("{ratio:.2}×")));
        rows.push((
            format!("Form {number:02}: kefu, same document again (typst cache warm), per page"),
            ms(per(cached_t)),
        ));
    }

    // A filled register, as the monthly report and the archive print them: form 15 with 30 rows.
    {
        let form = forms.get(15).unwrap();
        let records: Vec<Vec<String>> = (0..30)
            .map(|i| {
                vec![
                    format!("2026-10-{:02} 09:{:02}", 1 + i % 28, i % 60),
                    format!("{}-1-{}01", 1 + i % 9, 1 + i % 30),
                    "王建国".to_string(),
                    format!("138****{:04}", 1000 + i),
                    "卫生间地漏返水，楼下邻居反映顶棚渗水".to_string(),
                    "入室".to_string(),
                    "工程部维修单".to_string(),
                    format!("WX2610-{:05}", i + 1),
                    "李娜".to_string(),
                    format!("2026-10-{:02} 11:30", 1 + i % 28),
                    "已回访，业主满意".to_string(),
                ]
            })
            .collect();
        let filled = filled::Filled { document: Default::default(), rows: records, total: None };
        let mut n_pages = 0;
        let kefu_t = time(20, true, || {
            let (_, t) =
                filled::render_filled(&config, form, &filled, &typesetter, as_of, "bench/15".into(), forms.dir())
                    .unwrap();
            n_pages = t.document.pages().len();
        });
        raw.data = Bytes::new(serde_json::to_vec(&PackView::filled(&config, form, &filled, as_of)).unwrap());
        let raw_t = time(20, true, || raw_pdf(&raw));
        let ratio = kefu_t.as_secs_f64() / raw_t.as_secs_f64();
        ratios.push(ratio);
        let per = |d: Duration| d / n_pages.max(1) as u32;
        rows.push((format!("Form 15 filled with 30 rows ({n_pages} pages): kefu, per page"), ms(per(kefu_t))));
        rows.push(("Form 15 filled: raw typst, same template and data, per page".into(), ms(per(raw_t))));
        rows.push(("Form 15 filled: kefu ÷ raw typst".into(), format!("{ratio:.2}×")));
    }

    let out = std::env::temp_dir().join(format!("kefu-bench-{}", std::process::id()));
    let options = PackOptions { copies: 1, forms: (1..=31).collect(), as_of };
    let mut pages = 0;
    let pack_t = time(5, true, || {
        let r = pack::run(&config, &forms, &typesetter, &options, &out).unwrap();
        pages = r.pack_pages + forms.iter().map(|f| usize::from(f.copies)).sum::<usize>();
    });
    let _ = std::fs::remove_dir_all(&out);
    rows.push(("Whole pack, 1 copy: pack PDF + 31 single-form PDFs + xlsx".into(), ms(pack_t)));
    rows.push((
        "Whole pack: pages typeset per second".into(),
        format!("{:.0} pages/s ({pages} pages)", pages as f64 / pack_t.as_secs_f64()),
    ));

    let worst = ratios.iter().cloned().fold(0.0, f64::max);
    rows.push(("Worst kefu ÷ raw typst ratio over the four documents".into(), format!("{worst:.2}×")));
    println!("| Measurement | Median |\n| --- | --- |");
    for (what, value) in rows {
        println!("| {what} | {value} |");
    }
}
