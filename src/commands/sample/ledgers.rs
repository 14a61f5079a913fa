//! The rooms and owners ledger (房屋及业主台帐) and the configuration file `kefu.yaml` of the
//! sample estate.
//!
//! Input: the [`Estate`]. Output: one rooms record per home, and the YAML text of the
//! configuration (identity copied from the department's own `input/kefu.yaml`, the property's
//! buildings, staff and move-in groups). Failure: only the sink's.

use std::fmt::Write;

use crate::error::Error;

use super::estate::{Estate, Home, Status};
use super::record::{Rec, Sink, V};
use super::text::{COMPANY, DEPARTMENT, ESTATE, PROPERTY_NAME};
use super::yaml::scalar;
use super::{Ctx, SampleOptions};

/// 房屋及业主台帐: one row per room, owners with ID number and birthday, delivery, move-in and
/// occupancy at the end of the report month.
pub fn rooms(ctx: &Ctx, sink: &mut dyn Sink) -> Result<(), Error> {
    for home in &ctx.estate.homes {
        let mut rec = Rec::new();
        rec.put("room", V::Room(home.room))
            .int("building", i64::from(home.room.building))
            .int("unit", i64::from(home.room.unit))
            .put("area", V::Dec(f64::from(home.area) / 100.0))
            .text("owner", home.owner.name.clone())
            .text("id_number", home.owner.id_number.clone())
            .put("phone", V::Phone(home.owner.phone))
            .date("birthday", home.owner.birth)
            .opt("delivered", home.delivered.map(V::Date))
            .s("status", home.status.label());
        if home.status != Status::Vacant {
            rec.int("residents", i64::from(home.residents));
        }
        if let Some(h) = home.handover {
            rec.date("moved_in", h).text("archive_no", archive_no(home));
        }
        match (&home.tenant, home.status) {
            (Some(t), Status::Rented) => {
                rec.text("remarks", format!("租户{}", t.name));
            }
            (_, Status::Vacant) if home.handover.is_none() && home.registered.is_some() => {
                rec.s("remarks", "已预约入住");
            }
            (_, Status::Vacant) if home.handover.is_none() && home.delivered.is_some() => {
                rec.s("remarks", "未办理入住");
            }
            _ => {}
        }
        sink.row(rec)?;
    }
    Ok(())
}

/// The owner archive's number (业主档案建立、管理规程 3.1.3), shared by the rooms ledger and 05.
pub fn archive_no(home: &Home) -> String {
    format!("DA{:03}{}{:04}", home.room.building, home.room.unit, home.room.room)
}

/// The text of `kefu.yaml` for the sample estate.
pub fn config_yaml(estate: &Estate, options: &SampleOptions) -> String {
    let mut s = String::with_capacity(4096 + estate.buildings.len() * 120);
    s.push_str(
        "# kefu 配置（样例小区，由 kefu sample 生成）：发文单位与受控文件标识、小区楼栋、人员、入住办理分组。\n\n",
    );
    let _ = writeln!(s, "company: {COMPANY}");
    let _ = writeln!(s, "estate: {ESTATE}");
    let _ = writeln!(s, "department: {DEPARTMENT}");
    s.push_str(
        "
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
",
    );
    let _ = writeln!(s, "\nreport_month: {}", options.report_month);
    let _ = writeln!(s, "\nproperty:\n  name: {PROPERTY_NAME}\n  buildings:");
    for b in &estate.buildings {
        let _ = write!(
            s,
            "    - {{ number: {}, units: {}, first_floor: {}, top_floor: {}, rooms_per_floor: {}",
            b.number, b.units, b.first_floor, b.top_floor, b.rooms_per_floor
        );
        if let Some(c) = b.completed {
            let _ = write!(s, ", completed: {c}");
        }
        s.push_str(" }\n");
    }
    s.push_str("\nstaff:\n");
    for m in &estate.staff {
        let _ = writeln!(s, "  - {{ name: {}, roles: [{}] }}", scalar(&m.name), m.roles.join(", "));
    }
    s.push_str("\nmove_in_groups:\n");
    for g in &estate.groups {
        let buildings: Vec<String> = g.buildings.iter().map(u16::to_string).collect();
        let members: Vec<String> = g.members.iter().map(|m| scalar(m)).collect();
        let _ = writeln!(s, "  - name: {}", g.name);
        let _ = writeln!(s, "    buildings: [{}]", buildings.join(", "));
        let _ = writeln!(s, "    members: [{}]", members.join(", "));
    }
    s.push_str(
        "\n# 规程中的各项数字：期限、比例、时限、分类词表……默认值即《客服部作业指导手册》规定的值（手册未规定的为部门惯例），\n\
         # 修改后所有规则按新值执行。各项含义见 docs/rules.md。\n\
         rules:\n",
    );
    let mut params = crate::rules::RuleParams::default();
    params.dunning.counsel = super::text::COUNSEL.to_string();
    params.dunning.phone = super::text::SERVICE_PHONE.to_string();
    let defaults = serde_saphyr::to_string(&params).unwrap_or_default();
    for line in defaults.lines() {
        let _ = writeln!(s, "  {line}");
    }
    s
}
