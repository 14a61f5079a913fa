//! Registers kept as YAML: a list of records, each a mapping from column name to value.
//!
//! ```yaml
//! - 存档日期: 2026-10-08
//!   文件编号: 地产函〔2026〕12号
//!   文件名称: 关于3号楼外墙维修的工作联系函
//! ```
//! Input: the file's text. Output: rows of (column name, line, cell). Failure: a located YAML
//! problem (syntax, a record that is not a mapping, a nested value, an alias bomb).

use std::path::Path;

use serde::Deserialize;
use serde_saphyr::Spanned;

use crate::error::Problem;

use super::cell::Cell;

/// One record of a YAML register.
#[derive(Debug, Clone)]
pub struct YamlRow {
    /// 1-based line where the record starts.
    pub line: usize,
    /// (column name, 1-based line, value).
    pub cells: Vec<(String, usize, Cell)>,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum Scalar {
    Bool(bool),
    Int(i64),
    Float(f64),
    Text(String),
    Null(()),
}

/// A record's entries in file order (a map that keeps duplicates' positions for messages).
#[derive(Debug)]
struct Entries(Vec<(Spanned<String>, Spanned<Scalar>)>);

impl<'de> Deserialize<'de> for Entries {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visit;
        impl<'de> serde::de::Visitor<'de> for Visit {
            type Value = Entries;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("「列名: 值」的映射")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Entries, A::Error> {
                let mut out = Vec::new();
                while let Some(entry) = map.next_entry()? {
                    out.push(entry);
                }
                Ok(Entries(out))
            }
        }
        d.deserialize_map(Visit)
    }
}

/// Reads the records of a YAML register.
pub fn read(text: &str, origin: &Path) -> Result<Vec<YamlRow>, Problem> {
    if text.trim().is_empty() {
        return Ok(Vec::new());
    }
    let records: Vec<Spanned<Entries>> = crate::yaml::from_str(text, origin).map_err(|mut p| {
        p.message = format!("{}（YAML 台帐应是一个列表，每条记录是「列名: 值」的映射，值不能再嵌套）", p.message);
        p
    })?;
    Ok(records
        .into_iter()
        .map(|rec| {
            let line = rec.referenced.line() as usize;
            let mut cells: Vec<(String, usize, Cell)> = rec
                .value
                .0
                .into_iter()
                .map(|(k, v)| {
                    let cell = match v.value {
                        Scalar::Bool(b) => Cell::Bool(b),
                        // Integers stay text: phone and ID numbers must not pass through f64.
                        Scalar::Int(n) => Cell::Text(n.to_string().into()),
                        Scalar::Float(x) => Cell::Number(x),
                        Scalar::Text(s) => Cell::Text(s.into()),
                        Scalar::Null(()) => Cell::Empty,
                    };
                    (k.value, v.referenced.line() as usize, cell)
                })
                .collect();
            cells.sort_by_key(|c| c.1);
            YamlRow { line, cells }
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_keep_their_lines() {
        let text = "- 存档日期: 2026-10-08\n  份数: 2\n  电话: 13912345678\n- 存档日期: 2026/10/9\n  备注: ~\n";
        let rows = read(text, Path::new("06.yaml")).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].line, 1);
        assert_eq!(rows[0].cells[1], ("份数".to_string(), 2, Cell::Text("2".into())));
        assert_eq!(rows[0].cells[2].2, Cell::Text("13912345678".into()));
        assert_eq!(rows[1].line, 4);
        assert_eq!(rows[1].cells[1].2, Cell::Empty);
    }

    #[test]
    fn nested_values_are_refused_with_a_line() {
        let err = read("- 存档日期: 2026-10-08\n  份数: [1, 2]\n", Path::new("06.yaml")).unwrap_err();
        assert!(err.location.row.is_some(), "{err}");
        assert!(err.message.contains("YAML 台帐应是一个列表"), "{err}");
    }
}
