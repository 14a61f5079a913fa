//! The fast reader against calamine, on every fixture and on hand-made workbooks of every kind of
//! cell; broken and cut sheets fail with a reason, never a panic.

use std::io::Write;
use std::path::{Path, PathBuf};

use super::styles::{builtin_format, custom_format};
use super::xml::{TEST_CHUNK, Tok, scan};
use super::*;
use crate::load::cell::Cell;
use crate::load::workbook::read_sheets_via;

/// Every sheet's rows (trailing empty cells dropped), or the failure, as one reader sees them.
type Sheets = Vec<(String, Vec<(usize, Vec<Cell>)>)>;

fn read(path: &Path, fast: bool) -> Result<Sheets, String> {
    let mut out = Vec::new();
    let mut failed = None;
    read_sheets_via(path, None, fast, |name, _, _, again, strings, rows| {
        if again {
            out.pop();
        }
        let mut got = Vec::new();
        for row in rows {
            match row {
                Ok((r, cells)) => {
                    let mut cells: Vec<Cell> = cells.iter().map(|c| c.resolved(strings)).collect();
                    while cells.last() == Some(&Cell::Empty) {
                        cells.pop();
                    }
                    got.push((r, cells));
                }
                Err(e) => {
                    failed.get_or_insert(e);
                    break;
                }
            }
        }
        out.push((name.to_string(), got));
    })?;
    match failed {
        Some(e) => Err(e),
        None => Ok(out),
    }
}

/// The fast reader and calamine agree on `path`: the same cells, or both fail.
fn agree(path: &Path) {
    let fast = read(path, true);
    let slow = read(path, false);
    match (&fast, &slow) {
        (Ok(a), Ok(b)) => assert_eq!(a, b, "{}", path.display()),
        (Err(_), Err(_)) => {}
        _ => panic!("{}: fast {:?} / calamine {:?}", path.display(), fast.err(), slow.err()),
    }
}

fn xlsx_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            xlsx_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "xlsx" || e == "xlsm")
            && entry.metadata().is_ok_and(|m| m.len() < 8 << 20)
        {
            out.push(path);
        }
    }
}

#[test]
fn agrees_with_calamine_on_every_fixture_and_the_sample() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    xlsx_files(&root.join("tests/fixtures"), &mut files);
    xlsx_files(&root.join("input"), &mut files);
    assert!(files.len() > 50, "only {} workbooks found", files.len());
    let missed: Vec<_> = files.iter().filter(|f| Book::open(f).is_none()).collect();
    assert!(missed.len() * 5 < files.len(), "the fast reader left to calamine: {missed:#?}");
    for file in &files {
        agree(file);
    }
}

const STYLES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<numFmts count="3"><numFmt numFmtId="164" formatCode="yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;"/><numFmt numFmtId="165" formatCode="[h]:mm"/><numFmt numFmtId="166" formatCode="0.00&quot;元&quot;;[Red]-0.00"/></numFmts>
<cellXfs count="6"><xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="164"/><xf numFmtId="165"/><xf numFmtId="166"/><xf numFmtId="58"/></cellXfs>
</styleSheet>"#;

/// Writes a workbook of one sheet with `sheet_data` (the inside of `<sheetData>`), the
/// shared strings `sst`, and the styles above.
fn workbook(dir: &Path, name: &str, sheet_data: &str, sst: &str, date1904: bool) -> PathBuf {
    let path = dir.join(name);
    let file = std::fs::File::create(&path).unwrap();
    let mut zip = zip::ZipWriter::new(file);
    let opts = zip::write::SimpleFileOptions::default();
    let mut part = |name: &str, text: &str| {
        zip.start_file(name, opts).unwrap();
        zip.write_all(text.as_bytes()).unwrap();
    };
    part(
        "[Content_Types].xml",
        r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>"#,
    );
    part(
        "_rels/.rels",
        r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#,
    );
    part(
        "xl/_rels/workbook.xml.rels",
        r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>"#,
    );
    let pr = if date1904 { r#"<workbookPr date1904="1"/>"# } else { "" };
    part(
        "xl/workbook.xml",
        &format!(
            r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">{pr}<sheets><sheet name="台帐 &amp; 记录" sheetId="1" r:id="rId1"/></sheets></workbook>"#
        ),
    );
    part("xl/styles.xml", STYLES);
    part(
        "xl/sharedStrings.xml",
        &format!(
            r#"<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">{sst}</sst>"#
        ),
    );
    part(
        "xl/worksheets/sheet1.xml",
        &format!(
            r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="A1:C3"/><sheetData>{sheet_data}</sheetData><mergeCells count="1"><mergeCell ref="A5:A7"/></mergeCells></worksheet>"#
        ),
    );
    zip.finish().unwrap();
    path
}

const SST: &str = concat!(
    "<si><t>房号</t></si>",
    "<si><t xml:space=\"preserve\">  前后有空格  </t></si>",
    "<si><t>  去掉空格\r\n</t></si>",
    "<si><r><rPr><b/></rPr><t>富</t></r><r><t>文本</t></r><rPh sb=\"0\" eb=\"1\"><t>フ</t></rPh></si>",
    "<si><t>换行_x000D_转义 &amp; &lt;符号&gt; &#x5F20;&#19977;</t></si>",
    "<si/>",
    "<si><t><![CDATA[<c>不是标签</c>]]></t></si>",
    "<si><t>_x005F_x000D_ 与 _xD83D__xDE00_ 与 _xD800_</t></si>",
    "<si><t>一行\r\n二行\r三行</t></si>",
);

#[test]
fn agrees_with_calamine_on_every_kind_of_cell() {
    let dir = tempfile::tempdir().unwrap();
    let cases: &[(&str, &str)] = &[
        (
            "shared",
            r#"<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c><c r="D1" t="s"><v>3</v></c><c r="E1" t="s"><v>4</v></c><c r="F1" t="s"><v>5</v></c><c r="G1" t="s"><v>6</v></c><c r="H1" t="s"><v>7</v></c><c r="I1" t="s"><v>8</v></c><c r="J1" t="s"><v></v></c></row>"#,
        ),
        (
            "numbers and dates",
            r#"<row r="2"><c r="A2"><v>3</v></c><c r="B2" s="1"><v>45973</v></c><c r="C2" s="2"><v>45973.5</v></c><c r="D2" s="3"><v>1.25</v></c><c r="E2" s="4"><v>12.5</v></c><c r="F2" s="5"><v>45000</v></c><c r="G2" s="1"><v>59</v></c><c r="H2" s="1"><v>61</v></c><c r="I2" s="9"><v>7</v></c><c r="J2" s="1"><v>1e300</v></c><c r="K2" t="n"><v>-0.5</v></c><c r="L2"><v>abc</v></c><c r="M2" s="x"><v>2</v></c></row>"#,
        ),
        (
            "other types",
            r#"<row r="3"><c r="A3" t="b"><v>1</v></c><c r="B3" t="b"><v>0</v></c><c r="C3" t="e"><v>#REF!</v></c><c r="D3" t="str"><f>A1&amp;B1</f><v>公式_x000A_结果 &amp; 字</v></c><c r="E3" t="d"><v>2026-10-01T00:00:00</v></c><c r="F3" t="inlineStr"><is><t>内联 &lt;文本&gt;</t></is></c><c r="G3" t="inlineStr"><is><r><t>内</t></r><r><t>联</t></r></is></c><c r="H3" t="inlineStr"><v>忽略</v><is><t>保留</t></is></c><c r="I3"><f>SUM(A2:B2)</f><v>45976</v></c><c r="J3"><f>1/0</f></c><c r="K3" s="1"/><c r="L3" t="str"><v/></c><c r="M3" t="inlineStr"><is/></c><c r="N3" t="e"><v></v></c><c r="O3" t="str"><v></v></c><c r="P3" t="b"><v></v></c></row>"#,
        ),
        (
            "positions",
            r#"<row r="4"><c><v>1</v></c><c><v>2</v></c><c r="E4"><v>5</v></c><c><v>6</v></c></row><row><c><v>7</v></c></row><row r="9"/><row><c t="s"><v>0</v></c></row><row r="12" spans="1:3"><c r="C12"><v>1</v></c><c r="A12"><v>2</v></c></row>"#,
        ),
        (
            "markup",
            "<!-- 注释 --><row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c>\n  <c r=\"B1\" t=\"inlineStr\"><is><t><![CDATA[a</c>b]]></t></is></c></row><?pi x?><row r=\"2\"><c r='A2' t='str'><v>单引号\r\n属性</v></c><c r=\"B2\"><v>&#49;</v></c></row>",
        ),
        (
            "prefixed",
            r#"<x:row r="1" xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:c r="A1" t="s"><x:v>0</x:v></x:c><x:c r="B1" t="inlineStr"><x:is><x:t>前缀</x:t></x:is></x:c></x:row>"#,
        ),
        ("empty", ""),
    ];
    for (i, (what, data)) in cases.iter().enumerate() {
        for date1904 in [false, true] {
            // Every other case in chunks of a few bytes, so tokens are split everywhere.
            TEST_CHUNK.store(if date1904 { 3 } else { 0 }, std::sync::atomic::Ordering::Relaxed);
            let path = workbook(dir.path(), &format!("{i}-{date1904}.xlsx"), data, SST, date1904);
            assert!(Book::open(&path).is_some(), "{what}: not opened by the fast reader");
            agree(&path);
            let rows = read(&path, true).unwrap();
            assert_eq!(rows[0].0, "台帐 & 记录");
            assert!(!rows[0].1.is_empty() || data.is_empty(), "{what}: no rows read");
        }
    }
}

#[test]
fn broken_sheets_fail_with_a_reason_never_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        r#"<row r="1"><c r="A1" t="s"><v>99</v></c></row>"#,
        r#"<row r="1"><c r="A1" t="e"><v>#WHAT</v></c></row>"#,
        r#"<row r="1"><c r="A1" t="b"><v>maybe</v></c></row>"#,
        r#"<row r="1"><c r="A1" t="n"><v>x1</v></c></row>"#,
        r#"<row r="1"><c r="1A"><v>1</v></c></row>"#,
        r#"<row r="1"><c r="A1" t="zz"><v>1</v></c></row>"#,
        r#"<row r="1"><c r="A1"><x>1</x></c></row>"#,
        r#"<row r="1"><c r="A1" t="str"><v>&bogus;</v></c></row>"#,
    ];
    for (i, data) in cases.iter().enumerate() {
        let path = workbook(dir.path(), &format!("bad{i}.xlsx"), data, SST, false);
        let fast = read(&path, true);
        assert!(fast.is_err(), "case {i}: {fast:?}");
        if i < 4 {
            assert!(fast.as_ref().unwrap_err().contains("单元格 A1："), "case {i}: {fast:?}");
        }
        assert!(read(&path, false).is_err(), "case {i}: calamine read it");
    }
}

#[test]
fn every_cut_of_a_sheet_is_read_without_a_panic() {
    let xml = format!(
        "<worksheet><dimension ref=\"A1:C3\"/><sheetData>{}</sheetData><mergeCells><mergeCell ref=\"A1:A2\"/></mergeCells></worksheet>",
        r#"<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" s="1"><v>45973</v></c><c t="inlineStr"><is><r><t>富</t></r><rPh><t>フ</t></rPh></is></c></row><!-- x --><row><c t="str"><f>A1</f><v>&amp;_x000D_</v></c><c t="e"><v>#N/A</v></c><c><v><![CDATA[1]]></v></c></row>"#
    );
    let bytes = xml.as_bytes();
    for size in [0u8, 1, 5, 15, 0x80] {
        for cut in 0..=bytes.len() {
            let mut data = vec![size];
            data.extend_from_slice(&bytes[..cut]);
            fuzz_parts(&data);
        }
    }
}

#[test]
fn tokenizer_waits_for_the_rest_of_a_split_token() {
    let xml = br#"<c r="A1" t="s"><v>12</v></c><!-- x --><![CDATA[y]]>"#;
    for cut in 0..xml.len() {
        let part = &xml[..cut];
        if let Some(span) = scan(part, false).unwrap() {
            let whole = scan(xml, true).unwrap().unwrap();
            if span.kind != Tok::Text {
                assert_eq!(span.end, whole.end, "cut at {cut}");
            }
        }
    }
    assert_eq!(custom_format("yyyy\"年\"m\"月\""), Format::DateTime);
    assert_eq!(custom_format("0.00\"元\""), Format::Other);
    assert_eq!(custom_format("[h]:mm:ss"), Format::Duration);
    assert_eq!(custom_format("[Red]0.00"), Format::Other);
    assert_eq!(builtin_format(b"14"), Format::DateTime);
    assert_eq!(builtin_format(b"014"), Format::Other);
}
