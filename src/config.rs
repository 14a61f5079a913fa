//! The department's configuration, `input/kefu.yaml`: who issues the documents.
//!
//! Input: the YAML file. Output: a validated [`Config`]. Failure: located [`Problems`] for
//! syntax, unknown or missing keys, and values that cannot be right (an empty company name, a
//! version 0). Later stages add their own sections (estate, staff, rule parameters).

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::error::{Problem, Problems};
use crate::yaml;

/// The file name of the configuration inside the input folder.
pub const CONFIG_FILE: &str = "kefu.yaml";

/// Everything in `input/kefu.yaml`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// The issuing company, e.g. 沈阳银基物业有限公司.
    pub company: String,
    /// The estate (项目) the department serves, e.g. 地王住宅.
    pub estate: String,
    /// The department, e.g. 客服部.
    pub department: String,
    /// Document control of the procedures manual the forms belong to.
    pub document_control: DocumentControl,
}

/// The controlled-document identity printed on every form (受控文件标识).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct DocumentControl {
    /// Title of the manual, e.g. 物业客服部作业指导手册.
    pub manual_title: String,
    /// The manual's document code, e.g. 地王住宅/客服部作业手册-01.
    pub manual_code: String,
    /// Prefix of the form codes, e.g. 地王/客服记录 (→ 地王/客服记录-01).
    pub form_prefix: String,
    /// Edition (版), from 1.
    pub edition: u32,
    /// Revision within the edition (修改次数), from 0.
    pub revision: u32,
    /// Date of issue (发布).
    pub issued: NaiveDate,
    /// Date the manual takes effect (实施).
    pub effective: NaiveDate,
    /// Who prepared the manual (编制).
    pub prepared_by: String,
    /// Who reviewed it (审核).
    pub reviewed_by: String,
    /// Who approved it (批准).
    pub approved_by: String,
}

impl DocumentControl {
    /// The version as printed: 第1版 第0次修改.
    pub fn version_text(&self) -> String {
        format!("第{}版 第{}次修改", self.edition, self.revision)
    }
}

impl Config {
    /// Reads `kefu.yaml` from the input folder.
    pub fn load(input_dir: &Path) -> Result<Config, Problems> {
        let path: PathBuf = input_dir.join(CONFIG_FILE);
        let text = std::fs::read_to_string(&path)
            .map_err(|e| Problem::in_file(&path, format!("无法读取配置文件：{}", crate::error::io_reason(&e))))?;
        Config::parse(&text, &path)
    }

    /// Parses and validates the configuration text; `origin` names the file in messages.
    pub fn parse(text: &str, origin: &Path) -> Result<Config, Problems> {
        let config: Config = yaml::from_str(text, origin)?;
        let problems = config.validate(origin);
        if problems.is_empty() { Ok(config) } else { Err(Problems(problems)) }
    }

    fn validate(&self, origin: &Path) -> Vec<Problem> {
        let dc = &self.document_control;
        let mut out = Vec::new();
        let texts = [
            ("company", &self.company),
            ("estate", &self.estate),
            ("department", &self.department),
            ("document_control.manual_title", &dc.manual_title),
            ("document_control.manual_code", &dc.manual_code),
            ("document_control.form_prefix", &dc.form_prefix),
            ("document_control.prepared_by", &dc.prepared_by),
            ("document_control.reviewed_by", &dc.reviewed_by),
            ("document_control.approved_by", &dc.approved_by),
        ];
        for (key, value) in texts {
            if value.trim().is_empty() {
                out.push(Problem::in_file(origin, format!("`{key}` 不能为空")));
            } else if value.chars().count() > 60 {
                out.push(Problem::in_file(
                    origin,
                    format!("`{key}` 长达 {} 字，超过 60 字，无法印在表头中", value.chars().count()),
                ));
            }
        }
        if dc.edition == 0 {
            out.push(Problem::in_file(origin, "`document_control.edition` 为 0，版次应从 1 开始"));
        }
        if dc.effective < dc.issued {
            out.push(Problem::in_file(origin, format!("实施日期 {} 早于发布日期 {}", dc.effective, dc.issued)));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "company: 沈阳银基物业有限公司
estate: 地王住宅
department: 客服部
document_control:
  manual_title: 物业客服部作业指导手册
  manual_code: 地王住宅/客服部作业手册-01
  form_prefix: 地王/客服记录
  edition: 1
  revision: 0
  issued: 2007-03-01
  effective: 2007-03-01
  prepared_by: 王敏
  reviewed_by: 吴恒军
  approved_by: 赵晓红
";

    #[test]
    fn sample_parses() {
        let c = Config::parse(SAMPLE, Path::new("kefu.yaml")).unwrap();
        assert_eq!(c.document_control.version_text(), "第1版 第0次修改");
    }

    #[test]
    fn unknown_key_is_refused_with_its_line() {
        let text = SAMPLE.replace("department: 客服部", "department: 客服部\ndepartmnet: 工程部");
        let err = Config::parse(&text, Path::new("kefu.yaml")).unwrap_err();
        assert_eq!(err.0.len(), 1);
        assert_eq!(err.0[0].location.row, Some(4));
        assert!(err.0[0].message.contains("未知的键 `departmnet`"), "{}", err.0[0]);
    }

    #[test]
    fn all_semantic_problems_are_reported_together() {
        let text = SAMPLE.replace("company: 沈阳银基物业有限公司", "company: ' '").replace("edition: 1", "edition: 0");
        let err = Config::parse(&text, Path::new("kefu.yaml")).unwrap_err();
        assert_eq!(err.0.len(), 2, "{err}");
    }
}
