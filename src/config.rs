//! The department's configuration, `input/kefu.yaml`: who issues the documents, the estate's
//! buildings and rooms, the staff and their roles, the reporting month.
//!
//! Input: the YAML file. Output: a validated [`Config`]. Failure: located [`Problems`] for
//! syntax, unknown or missing keys, and values that cannot be right (an empty company name, a
//! version 0, a building in two move-in groups, a group member who is not on the staff list).

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::model::YearMonth;
use crate::parse::room::RoomId;

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
    /// The month reported on when `--month` is not given; `--as-of` then defaults to its last day.
    #[serde(default)]
    pub report_month: Option<YearMonth>,
    /// The residential estate (小区) and its buildings.
    #[serde(default)]
    pub property: Option<Property>,
    /// The department's staff and their roles.
    #[serde(default)]
    pub staff: Vec<StaffMember>,
    /// The move-in desk groups, each serving its buildings (入住规程 4.3).
    #[serde(default)]
    pub move_in_groups: Vec<MoveInGroup>,
    /// The procedures' numbers (`rules:`): read with the rules' own types by the session
    /// (`rules::RuleParams::from_config`), so configuration does not depend on the rules.
    #[serde(default, skip_serializing)]
    #[expect(dead_code, reason = "accepted here, read by the session with the rules' types")]
    rules: Option<serde::de::IgnoredAny>,
}

/// The residential estate: its name and buildings.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Property {
    /// The estate's name, e.g. 地王国际花园.
    pub name: String,
    /// Its residential buildings.
    pub buildings: Vec<Building>,
}

/// A residential building: units (单元) × floors × rooms per floor.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Building {
    /// Building number (楼号).
    pub number: u16,
    /// Number of units (单元), numbered from 1.
    pub units: u8,
    /// Lowest residential floor (floors below are shops, e.g. the 1–4 层商场); default 1.
    #[serde(default = "first_floor")]
    pub first_floor: u16,
    /// Highest residential floor.
    pub top_floor: u16,
    /// Rooms per floor in each unit: floor 3 with 2 rooms has 301 and 302.
    pub rooms_per_floor: u8,
    /// Date the building passed completion acceptance (竣工验收合格日), from which the
    /// contractor's warranty runs.
    #[serde(default)]
    pub completed: Option<NaiveDate>,
}

fn first_floor() -> u16 {
    1
}

impl Building {
    /// Every room of the building, in unit, floor, door order.
    pub fn rooms(&self) -> impl Iterator<Item = RoomId> + '_ {
        (1..=self.units).flat_map(move |unit| {
            (self.first_floor..=self.top_floor).flat_map(move |floor| {
                (1..=u16::from(self.rooms_per_floor)).map(move |door| RoomId {
                    building: self.number,
                    unit,
                    room: floor * 100 + door,
                })
            })
        })
    }

    /// Whether `room` is one of the building's rooms.
    pub fn contains(&self, room: RoomId) -> bool {
        let floor = room.room / 100;
        let door = room.room % 100;
        room.building == self.number
            && (1..=self.units).contains(&room.unit)
            && (self.first_floor..=self.top_floor).contains(&floor)
            && (1..=u16::from(self.rooms_per_floor)).contains(&door)
    }
}

/// The roles the manual gives staff.
pub const ROLES: [&str; 12] = [
    "管理中心经理",
    "客服主管",
    "亲情管家",
    "大堂管家",
    "档案管理员",
    "品质管理员",
    "客服内勤",
    "社区文化专员",
    "入住办理",
    "验房",
    "财务",
    "钥匙管理",
];

/// A member of staff.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct StaffMember {
    /// Name as written on forms.
    pub name: String,
    /// Roles, from [`ROLES`].
    pub roles: Vec<String>,
}

/// A move-in desk group and the buildings it serves (入住规程 4.3).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct MoveInGroup {
    /// e.g. 第一组.
    pub name: String,
    /// Building numbers the group serves.
    pub buildings: Vec<u16>,
    /// Staff names.
    pub members: Vec<String>,
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
        self.validate_estate(origin, &mut out);
        out
    }

    fn validate_estate(&self, origin: &Path, out: &mut Vec<Problem>) {
        let mut say = |m: String| out.push(Problem::in_file(origin, m));
        let mut numbers = std::collections::BTreeSet::new();
        if let Some(p) = &self.property {
            if p.buildings.is_empty() {
                say("`property.buildings` 中没有任何楼".to_string());
            }
            for b in &p.buildings {
                let name = format!("{}号楼", b.number);
                if b.number == 0 || !numbers.insert(b.number) {
                    say(format!("楼号 {} 为 0 或重复", b.number));
                }
                if b.units == 0 || b.rooms_per_floor == 0 || b.rooms_per_floor > 99 {
                    say(format!("{name}：单元数和每层户数应在 1 至 99 之间"));
                }
                if b.first_floor == 0 || b.first_floor > b.top_floor || b.top_floor > 99 {
                    say(format!("{name}：楼层 {} 至 {} 不合理（应从 1 层起，至多 99 层）", b.first_floor, b.top_floor));
                }
            }
        }
        let mut names = std::collections::BTreeSet::new();
        for m in &self.staff {
            if m.name.trim().is_empty() || !names.insert(m.name.as_str()) {
                say(format!("员工姓名「{}」为空或重复", m.name));
            }
            for role in &m.roles {
                if !ROLES.contains(&role.as_str()) {
                    say(format!("员工「{}」的角色「{role}」未知，可用的角色：{}", m.name, ROLES.join("、")));
                }
            }
        }
        let mut served = std::collections::BTreeMap::new();
        for g in &self.move_in_groups {
            for b in &g.buildings {
                if !numbers.contains(b) {
                    say(format!("入住办理{}负责的 {b} 号楼不在 `property.buildings` 中", g.name));
                }
                if let Some(other) = served.insert(*b, g.name.as_str()) {
                    say(format!("{b} 号楼同时由{other}和{}负责；每栋楼只能归一个组（入住规程 4.3）", g.name));
                }
            }
            for member in &g.members {
                if !names.contains(member.as_str()) {
                    say(format!("入住办理{}的成员「{member}」不在 `staff` 名单中", g.name));
                }
            }
        }
        if !self.move_in_groups.is_empty() {
            for b in numbers.iter().filter(|b| !served.contains_key(b)) {
                say(format!("{b} 号楼没有分给任何入住办理组（入住规程 4.3）"));
            }
        }
    }

    /// Whether `room` exists in the configured buildings; `None` when no buildings are configured.
    pub fn has_room(&self, room: RoomId) -> Option<bool> {
        self.property.as_ref().map(|p| p.buildings.iter().any(|b| b.contains(room)))
    }

    /// The staff members holding `role`.
    pub fn staff_with(&self, role: &str) -> impl Iterator<Item = &StaffMember> {
        self.staff.iter().filter(move |m| m.roles.iter().any(|r| r == role))
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
