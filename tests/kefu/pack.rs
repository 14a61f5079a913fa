//! The controlled form pack: every form renders, carries its number and title, embeds its
//! fonts, fits its page, and comes out byte-identical from the same input.

use kefu::commands::pack::{self, PackOptions};
use kefu::forms::FormSet;
use kefu::render::PdfFlavor;
use kefu::render::filled;

use crate::pdf::Pdf;
use crate::{as_of, repo, setup};

fn render(number: u8, flavor: PdfFlavor) -> (Vec<u8>, kefu::render::Typeset) {
    let s = setup();
    let form = s.forms.get(number).unwrap();
    filled::render_single(&s.config, form, &s.typesetter, "01", as_of(), flavor, s.forms.dir())
        .unwrap_or_else(|e| panic!("form {number:02} failed: {e}"))
}

#[test]
fn all_31_forms_are_defined() {
    let numbers: Vec<u8> = setup().forms.iter().map(|f| f.number).collect();
    assert_eq!(numbers, (1..=31).collect::<Vec<u8>>());
}

#[test]
fn every_form_prints_its_number_and_title_with_embedded_fonts_and_no_warning() {
    let s = setup();
    let prefix = &s.config.document_control.form_prefix;
    for form in s.forms.iter() {
        let (bytes, typeset) = render(form.number, PdfFlavor::Plain);
        assert!(typeset.warnings.is_empty(), "form {:02}: typst warned: {:?}", form.number, typeset.warnings);
        let pdf = Pdf::parse(&bytes);
        let text = pdf.text();
        let code = form.code(prefix);
        assert!(text.contains(&code), "form {:02}: {code} not in its text", form.number);
        assert!(text.contains(&form.title), "form {:02}: title {} not in its text", form.number, form.title);
        assert!(text.contains("受控"), "form {:02}: no 受控 stamp", form.number);
        let fonts = pdf.fonts();
        assert!(!fonts.is_empty(), "form {:02}: no fonts", form.number);
        for (name, embedded) in fonts {
            assert!(embedded, "form {:02}: font {name} is not embedded", form.number);
        }
    }
}

#[test]
fn every_copy_of_every_blank_form_fits_one_page() {
    for form in setup().forms.iter() {
        let (bytes, _) = render(form.number, PdfFlavor::Plain);
        let pdf = Pdf::parse(&bytes);
        assert_eq!(pdf.page_count(), usize::from(form.copies), "form {:02} spills over its page", form.number);
        for (i, page) in pdf.page_texts().iter().enumerate() {
            assert!(page.contains("第 1 页 / 共 1 页"), "form {:02} copy {}: page numbering wrong", form.number, i + 1);
        }
        if form.copies > 1 {
            for i in 0..usize::from(form.copies) {
                let label = form.copy_label(i);
                assert!(
                    pdf.page_texts()[i].contains(label.as_str()),
                    "form {:02}: copy label {label} missing",
                    form.number
                );
            }
        }
    }
}

#[test]
fn every_form_passes_pdf_a_2b_export() {
    // PDF/A export refuses a character without a glyph, so this also guards against tofu.
    for form in setup().forms.iter() {
        let (bytes, _) = render(form.number, PdfFlavor::ArchiveA2b);
        assert!(bytes.starts_with(b"%PDF-"));
    }
}

#[test]
fn rendering_twice_is_byte_identical() {
    for number in 1..=31 {
        let (a, _) = render(number, PdfFlavor::Plain);
        let (b, _) = render(number, PdfFlavor::Plain);
        assert!(a == b, "form {number:02} differs between two renders");
    }
}

#[test]
fn the_pack_has_cover_contents_and_every_form_in_order() {
    let s = setup();
    let out = tempfile::tempdir().unwrap();
    let options = PackOptions { copies: 2, forms: (1..=31).collect(), as_of: as_of() };
    let report = pack::run(&s.config, &s.forms, &s.typesetter, &options, out.path()).unwrap();
    assert_eq!(report.packs, 2);
    assert_eq!(report.single_forms, 62);
    assert!(report.warnings.is_empty(), "{:?}", report.warnings);
    let dir = out.path().join(pack::PACK_DIR);
    let first = std::fs::read(dir.join("受控表单汇编-分发号01.pdf")).unwrap();
    let pdf = Pdf::parse(&first);
    let pages = pdf.page_texts();
    let form_pages: usize = s.forms.iter().map(|f| usize::from(f.copies)).sum();
    assert_eq!(pages.len(), report.pack_pages);
    assert!(pages.len() > form_pages, "cover and contents come before the forms");
    let cover = &pages[0];
    for text in [
        "沈阳银基物业有限公司",
        "地王住宅/客服部作业手册-01",
        "第1版 第0次修改",
        "2007年3月1日",
        "王敏",
        "吴恒军",
        "赵晓红",
        "受控表单汇编",
    ] {
        assert!(cover.contains(text), "cover lacks {text}: {cover}");
    }
    assert!(cover.contains("分发号 01") || cover.contains("01"), "cover lacks the distribution number");
    // The contents list every form under its procedure, in order.
    let contents: String = pages[1..pages.len() - form_pages].concat();
    let mut at = 0;
    for form in s.forms.iter() {
        let found = contents[at..].find(&form.title).unwrap_or_else(|| panic!("{} missing from contents", form.title));
        at += found;
    }
    for procedure in ["业主办理入住标准规程", "客户投诉处理规程", "钥匙管理规定", "社区文化活动规程"]
    {
        assert!(contents.contains(procedure), "contents lack {procedure}");
    }
    // Bookmarks lead to the cover, the contents and every form.
    let outline = pdf.outline_titles();
    assert_eq!(outline.len(), 2 + 31, "{outline:?}");
    assert_eq!(outline[..2], ["封面".to_string(), "目录".to_string()]);
    assert_eq!(outline[2 + 15], "地王/客服记录-16 工程部维修单");
    // The second copy differs only by its distribution number.
    let second = Pdf::parse(&std::fs::read(dir.join("受控表单汇编-分发号02.pdf")).unwrap());
    assert!(second.page_texts()[0].contains("02"));
    assert!(dir.join("分发号02/16-工程部维修单.pdf").exists());
    assert!(dir.join("分发号01/24-钥匙借用_领用登记表.pdf").exists());
}

#[test]
fn the_distribution_register_lists_each_copy_with_blank_recipients() {
    use calamine::{Reader, Xlsx, open_workbook};
    let s = setup();
    let out = tempfile::tempdir().unwrap();
    let options = PackOptions { copies: 3, forms: vec![1], as_of: as_of() };
    pack::run(&s.config, &s.forms, &s.typesetter, &options, out.path()).unwrap();
    let path = out.path().join(pack::PACK_DIR).join("受控文件发放登记表.xlsx");
    let mut wb: Xlsx<_> = open_workbook(&path).unwrap();
    let range = wb.worksheet_range("发放登记").unwrap();
    let cell = |r: u32, c: u32| range.get_value((r, c)).map(|v| v.to_string()).unwrap_or_default();
    assert_eq!(cell(0, 0), "受控文件发放登记表");
    assert_eq!(cell(2, 1), "分发号");
    assert_eq!(cell(2, 7), "领用人");
    for copy in 1..=3u32 {
        assert_eq!(cell(2 + copy, 1), format!("{copy:02}"));
        assert_eq!(cell(2 + copy, 3), "地王住宅/客服部作业手册-01");
        assert_eq!(cell(2 + copy, 7), "", "recipient is left blank for handwriting");
    }
    assert_eq!(cell(6, 1), "", "exactly three copies");
}

#[test]
fn the_whole_pack_is_byte_identical_across_runs() {
    let s = setup();
    let options = PackOptions { copies: 1, forms: vec![2, 5, 9, 16], as_of: as_of() };
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    pack::run(&s.config, &s.forms, &s.typesetter, &options, a.path()).unwrap();
    pack::run(&s.config, &s.forms, &s.typesetter, &options, b.path()).unwrap();
    let files = |root: &std::path::Path| {
        let mut out = Vec::new();
        let mut stack = vec![root.join(pack::PACK_DIR)];
        while let Some(dir) = stack.pop() {
            for e in std::fs::read_dir(dir).unwrap() {
                let p = e.unwrap().path();
                if p.is_dir() { stack.push(p) } else { out.push(p.strip_prefix(root).unwrap().to_path_buf()) }
            }
        }
        out.sort();
        out
    };
    let names = files(a.path());
    assert_eq!(names, files(b.path()));
    assert_eq!(names.len(), 1 + 4 + 1);
    for name in names {
        assert!(
            std::fs::read(a.path().join(&name)).unwrap() == std::fs::read(b.path().join(&name)).unwrap(),
            "{} differs",
            name.display()
        );
    }
}

#[test]
fn a_character_without_a_glyph_is_refused_not_printed_as_a_box() {
    let s = setup();
    let dir = repo("forms");
    let sources: Vec<(std::path::PathBuf, String)> = (1..=31)
        .map(|n| {
            let path = dir.join(format!("{n:02}.yaml"));
            let mut text = std::fs::read_to_string(&path).unwrap();
            if n == 15 {
                text = text.replace("label: 回访结果", "label: 回访结果☐");
            }
            (path, text)
        })
        .chain(ledger_sources())
        .collect();
    let forms = FormSet::from_sources(&dir, &sources).unwrap();
    let err =
        filled::render_single(&s.config, forms.get(15).unwrap(), &s.typesetter, "01", as_of(), PdfFlavor::Plain, &dir)
            .unwrap_err();
    assert_eq!(err.exit_code(), 2);
    assert!(err.to_string().contains("「☐」（U+2610）"), "{err}");
}

#[test]
fn a_broken_form_definition_is_located_and_all_problems_are_listed() {
    let dir = repo("forms");
    let sources: Vec<(std::path::PathBuf, String)> = (1..=31)
        .filter(|n| *n != 31)
        .map(|n| {
            let path = dir.join(format!("{n:02}.yaml"));
            let mut text = std::fs::read_to_string(&path).unwrap();
            if n == 16 {
                text = text.replace("kind: sheet", "kind: sheet\ncolour: red");
            }
            if n == 12 {
                text = text.replace("{usage}", "{usag}");
            }
            (path, text)
        })
        .chain(ledger_sources())
        .collect();
    let err = FormSet::from_sources(&dir, &sources).unwrap_err();
    let all = err.to_string();
    assert!(all.contains("16.yaml 第") && all.contains("未知的键 `colour`"), "{all}");
    assert!(all.contains("12.yaml") && all.contains("{usag} 没有对应的字段"), "{all}");
    assert!(all.contains("缺少表单定义：31"), "{all}");
}

fn ledger_sources() -> Vec<(std::path::PathBuf, String)> {
    ["rooms", "fees", "dunning"]
        .iter()
        .map(|id| {
            let path = repo("forms/ledgers").join(format!("{id}.yaml"));
            let text = std::fs::read_to_string(&path).unwrap();
            (path, text)
        })
        .collect()
}
