//! The archive manager's filing log, 05 业主档案卷内目录: one volume per moved-in room, in room
//! order — the ten move-in documents of 业主档案建立、管理规程 3.1.1, then every later document of
//! the room the other registers show (工程部维修单, 部门工作联系单, 投诉处理书, lease contracts).
//!
//! Volumes are mostly opened (立卷) on the move-in day or the next weekday, a few days late now
//! and then, and a few never; later documents are mostly filed the same or the next day, a few
//! late and a few not at all — what the 3.1/3.3 deadline rules look for. No working-day calendar
//! is used: the next calendar day is never after the next working day. Input: the [`Ctx`].
//! Output: records streamed into a [`Sink`]. Failure: only the sink's.

use chrono::{Datelike, NaiveDate, Weekday};

use crate::error::Error;

use super::Ctx;
use super::estate::{Home, shift};
use super::ledgers::archive_no;
use super::movein::{id_copy_late, inspection};
use super::record::{Rec, Sink, V};
use super::repairs::{contact, repair_order};
use super::rng::Rng;

/// The documents of 3.1.1 with who produced them, in the order of the volume.
const MOVE_IN: [(&str, &str); 10] = [
    ("入住通知单", "地产客服部"),
    ("购房合同", "地产公司"),
    ("户型图", "地产公司"),
    ("业主身份证复印件", "业主"),
    ("入住手续", "客服部"),
    ("业主自然情况登记表", "业主"),
    ("业主临时公约", "业主"),
    ("装修管理协议", "装修管理部"),
    ("业主入住资料及物品领取确认书", "客服部"),
    ("房屋验收单", "客服部"),
];

/// A document filed after the volume was opened.
struct Later {
    home: u32,
    date: NaiveDate,
    title: String,
    /// The document's own number (维修单号 …), written as 文件编号.
    no: Option<String>,
    author: &'static str,
}

/// Every later document of every room, by room then date.
fn later_documents(ctx: &Ctx) -> Vec<Later> {
    let estate = ctx.estate;
    let end = ctx.end();
    let mut out = Vec::new();
    let mut push = |home: u32, date: NaiveDate, title: &str, no: Option<String>, author| {
        if date <= end {
            out.push(Later { home, date, title: title.to_string(), no, author });
        }
    };
    for r in &ctx.repairs {
        if r.warranty {
            let c = contact(estate, r);
            if let Some(done) = c.completed_on {
                push(r.home, done, "部门工作联系单", Some(r.order_no()), "地产客服部");
            }
            if let Some((o, _, _)) = c.overdue {
                push(r.home, o.completed.date(), "工程部维修单", Some(o.no), "工程部");
            }
        } else if r.in_home() {
            let o = repair_order(estate, r);
            push(r.home, o.completed.date(), "工程部维修单", Some(o.no), "工程部");
        }
    }
    for c in ctx.complaints.iter().filter(|c| c.valid) {
        if let (Some(no), Some(closed)) = (c.doc_no(), c.course(end).closed_on) {
            push(c.home, closed, "投诉处理书", Some(no), "客服部");
        }
    }
    for r in &ctx.rentals {
        if let (Some(signed), false) = (r.signed, r.sale) {
            push(r.home, signed, "房屋租赁合同（代理出租）", None, "客服部");
        }
    }
    out.sort_by(|a, b| (a.home, a.date).cmp(&(b.home, b.date)).then_with(|| a.no.cmp(&b.no)));
    out
}

/// `d`, or the Monday after when it falls on a weekend.
fn weekday_from(d: NaiveDate) -> NaiveDate {
    match d.weekday() {
        Weekday::Sat => shift(d, 2),
        Weekday::Sun => shift(d, 1),
        _ => d,
    }
}

/// When the volume of a room moved in on `moved` was opened: mostly that day or the next
/// weekday, 5 % two to eight days later, 0.5 % never.
fn filed_on(moved: NaiveDate, rng: &mut Rng) -> Option<NaiveDate> {
    let r = rng.unit();
    if r < 0.005 {
        return None;
    }
    Some(if r < 0.70 {
        moved
    } else if r < 0.95 {
        weekday_from(shift(moved, 1))
    } else {
        weekday_from(shift(moved, rng.range(2, 8)))
    })
}

/// When a later document of `date` was filed: the same or next day, 6 % two to nine days
/// later, 5 % not at all.
fn archived_on(date: NaiveDate, rng: &mut Rng) -> Option<NaiveDate> {
    let r = rng.unit();
    if r < 0.55 {
        Some(date)
    } else if r < 0.89 {
        Some(shift(date, 1))
    } else if r < 0.95 {
        Some(shift(date, rng.range(2, 9)))
    } else {
        None
    }
}

/// What a 05 row says about its volume (printed once above the table on paper): the required
/// parts on every row, 档案编号 and 已制电子版 on the volume's first row only, as staff keep it.
struct Volume<'a> {
    home: &'a Home,
    moved: NaiveDate,
    filed: NaiveDate,
    electronic: bool,
    archivist: &'a str,
}

impl Volume<'_> {
    fn row(&self, first: bool) -> Rec {
        let mut rec = Rec::new();
        rec.put("room", V::Room(self.home.room))
            .text("owner", self.home.owner.name.clone())
            .date("checked_in_on", self.moved)
            .date("filed_on", self.filed)
            .text("archivist_signature", self.archivist);
        if first {
            rec.text("archive_no", archive_no(self.home)).flag("electronic", self.electronic);
        }
        rec
    }
}

/// 05 业主档案卷内目录.
pub fn volumes(ctx: &Ctx, sink: &mut dyn Sink) -> Result<(), Error> {
    let estate = ctx.estate;
    let end = ctx.end();
    let archivist = estate.first("档案管理员");
    let later = later_documents(ctx);
    let mut next = later.iter().peekable();
    for (i, home) in estate.homes.iter().enumerate() {
        let mine: Vec<&Later> = std::iter::from_fn(|| next.next_if(|d| d.home == i as u32)).collect();
        let Some(moved) = home.handover else { continue };
        let mut rng = Rng::stream(home.seed, "archive", 0);
        let Some(filed) = filed_on(moved, &mut rng).filter(|f| *f <= end) else { continue };
        let vol = Volume { home, moved, filed, electronic: !rng.chance(0.04), archivist };
        let inspected = inspection(estate, home).map_or(moved, |x| x.date);
        // 02 shows the ID copy missing at handover: it is brought 3–10 days later (后补).
        let id_day = id_copy_late(home).then(|| shift(moved, rng.range(3, 10)));
        let mut page = 1;
        let mut pages = |rng: &mut Rng| {
            let n = rng.range(1, 6);
            let text = if n == 1 { page.to_string() } else { format!("{page}-{}", page + n - 1) };
            page += n;
            text
        };
        for (k, (title, author)) in MOVE_IN.iter().enumerate() {
            let (date, filed_at, remarks) = match (k, id_day) {
                (3, Some(d)) if d > end => continue, // still missing at the end of the window
                (3, Some(d)) => (d, d.max(filed), Some("后补")),
                (9, _) => (inspected, filed.max(inspected), None),
                _ => (moved, filed, None),
            };
            let mut rec = vol.row(k == 0);
            rec.text("doc_no", (k + 1).to_string())
                .s("author", author)
                .s("doc_title", title)
                .date("doc_date", date)
                .text("pages", pages(&mut rng))
                .flag("signed", !rng.chance(0.02))
                .date("archived_on", filed_at)
                .opt("remarks", remarks.map(V::Str));
            sink.row(rec)?;
        }
        for (n, doc) in mine.into_iter().enumerate() {
            let mut doc_rng = Rng::stream(home.seed, "filing", n as u64);
            let Some(archived) = archived_on(doc.date, &mut doc_rng).filter(|a| *a <= end) else { continue };
            let mut rec = vol.row(false);
            rec.opt("doc_no", doc.no.clone().map(V::Text))
                .s("author", doc.author)
                .text("doc_title", doc.title.clone())
                .date("doc_date", doc.date)
                .text("pages", pages(&mut rng))
                .flag("signed", true)
                .date("archived_on", archived.max(filed));
            sink.row(rec)?;
        }
    }
    Ok(())
}
