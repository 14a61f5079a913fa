//! Complaints: the complaint register (18), a 投诉处理书 for every valid complaint (19), and the
//! liaison slips (21) that pass complaints and routine matters to other departments.
//!
//! About 2 % of occupied households complain each month, more in the heating season, when
//! heating complaints make up a third. Input: the [`Ctx`]. Output: records streamed into a
//! [`Sink`]. Failure: only the sink's.

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime};

use crate::error::Error;
use crate::model::YearMonth;

use super::Ctx;
use super::estate::{Estate, at, shift};
use super::record::{Rec, Sink, V};
use super::repairs::{heating, occupied_in};
use super::rng::Rng;
use super::text::{
    COMPLAINT_CATEGORIES, COMPLAINT_DEPARTMENTS, COMPLAINT_WEIGHTS, COMPLAINTS, HANDLINGS, HEATING_COMPLAINTS,
    INVESTIGATIONS, LIAISONS, RESULTS, VISIT_OPINIONS,
};

const CHANNELS: [&str; 4] = ["来电", "来访", "信函", "其他"];
const LEVELS: [&str; 3] = ["一般", "重大", "紧急"];

/// One complaint.
#[derive(Debug, Clone)]
pub struct Complaint {
    /// Index of the complaining household in the estate.
    pub home: u32,
    /// When it was received.
    pub received: NaiveDateTime,
    /// Index into the channel options (来电, 来访, 信函, 其他).
    pub channel: u8,
    /// Index into [`COMPLAINT_CATEGORIES`].
    pub category: u8,
    /// A heating complaint of the heating season.
    pub heating: bool,
    /// 有效 (else 无效).
    pub valid: bool,
    /// 0 一般, 1 重大, 2 紧急.
    pub level: u8,
    /// Number of its 投诉处理书 within the month (valid complaints only).
    pub doc: Option<u32>,
    /// Seed of its texts and course.
    pub seed: u64,
}

/// Every complaint of the window, in order of reception.
pub fn events(ctx: &Ctx) -> Vec<Complaint> {
    let estate = ctx.estate;
    let mut out = Vec::new();
    for (mi, &month) in estate.window.months.iter().enumerate() {
        let mut rng = Rng::stream(estate.seed, "complaints", mi as u64);
        let homes = occupied_in(estate, month);
        let winter = heating(month.month);
        let last = month.last_day().min(estate.window.end);
        let mut list = Vec::new();
        let rate = if winter { 0.026 } else { 0.02 };
        for _ in 0..rng.poisson(homes.len() as f64 * rate) {
            let Some(&(home, from)) = rng.pick(&homes) else { break };
            let day = shift(from, rng.range(0, (last - from).num_days()));
            let received = at(day, rng.range(8, 20) as u32, rng.range(0, 59) as u32);
            let is_heating = winter && rng.chance(0.35);
            let category = if is_heating { 2 } else { rng.weighted(&COMPLAINT_WEIGHTS) as u8 };
            let valid = is_heating || rng.chance(0.85);
            let level = if is_heating { u8::from(rng.chance(0.2)) } else { rng.weighted(&[85, 10, 5]) as u8 };
            let channel = rng.weighted(&[55, 35, 3, 7]) as u8;
            list.push(Complaint {
                home,
                received,
                channel,
                category,
                heating: is_heating,
                valid,
                level,
                doc: None,
                seed: rng.next_u64(),
            });
        }
        list.sort_by_key(|c| (c.received, c.home));
        let mut n = 0;
        for c in list.iter_mut().filter(|c| c.valid) {
            n += 1;
            c.doc = Some(n);
        }
        out.extend(list);
    }
    out
}

/// How a complaint went: deadline, closing, follow-up visit.
pub(super) struct Course {
    due_on: NaiveDate,
    /// The day the complaint was closed, if by the end of the window.
    pub(super) closed_on: Option<NaiveDate>,
    visit_on: Option<NaiveDate>,
    satisfaction: &'static str,
}

impl Complaint {
    fn category(&self) -> &'static str {
        COMPLAINT_CATEGORIES.get(usize::from(self.category)).copied().unwrap_or("其他")
    }

    fn department(&self) -> &'static str {
        COMPLAINT_DEPARTMENTS.get(usize::from(self.category)).copied().unwrap_or("客服部")
    }

    fn content(&self) -> String {
        let mut rng = Rng::stream(self.seed, "content", 0);
        let texts = if self.heating {
            HEATING_COMPLAINTS
        } else {
            COMPLAINTS.get(usize::from(self.category)).copied().unwrap_or(&[])
        };
        rng.text(texts).replace("{n}", &rng.range(14, 17).to_string())
    }

    pub(super) fn doc_no(&self) -> Option<String> {
        self.doc.map(|n| format!("TS{:02}{:02}-{n:03}", self.received.year() % 100, self.received.month()))
    }

    pub(super) fn course(&self, end: NaiveDate) -> Course {
        let mut rng = Rng::stream(self.seed, "course", 0);
        let day = self.received.date();
        let allowed = match self.level {
            2 => 1,
            1 => 3,
            _ => rng.range(5, 7),
        };
        let due_on = shift(day, allowed);
        let closed = if !self.valid {
            shift(day, 1)
        } else if rng.chance(0.85) {
            shift(day, rng.range(1, allowed))
        } else {
            shift(due_on, rng.range(1, 5))
        };
        let closed_on = Some(closed).filter(|d| *d <= end);
        let visit_on = closed_on.map(|d| shift(d, rng.range(0, 2))).filter(|d| *d <= end);
        let satisfaction = ["满意", "基本满意", "不满意"][rng.weighted(&[70, 22, 8])];
        Course { due_on, closed_on, visit_on, satisfaction }
    }
}

/// 18 投诉/意见接待台帐: every complaint.
pub fn register(ctx: &Ctx, sink: &mut dyn Sink) -> Result<(), Error> {
    let estate = ctx.estate;
    for c in &ctx.complaints {
        let Some(home) = estate.homes.get(c.home as usize) else { continue };
        let person = home.resident_on(c.received.date());
        let course = c.course(ctx.end());
        let mut rec = Rec::new();
        rec.dt("received_at", c.received)
            .put("room", V::Room(home.room))
            .text("complainant", person.name.clone())
            .put("phone", V::Phone(person.phone))
            .s("channel", CHANNELS[usize::from(c.channel) % 4])
            .text("content", c.content())
            .s("category", c.category())
            .s("validity", if c.valid { "有效" } else { "无效" })
            .s("level", LEVELS[usize::from(c.level) % 3])
            .opt("doc_no", c.doc_no().map(V::Text))
            .text("handler", format!("{}/{}", c.department(), head(estate, c.department())))
            .date("due_on", course.due_on)
            .opt("closed_on", course.closed_on.map(V::Date))
            .opt("visit_on", course.visit_on.map(V::Date))
            .text("receiver", estate.steward(home.building).name.clone());
        if course.visit_on.is_some() {
            rec.s("visit_result", course.satisfaction);
        }
        sink.row(rec)?;
    }
    Ok(())
}

/// The person heading `department` (客服部: the 客服主管).
fn head<'a>(estate: &'a Estate, department: &str) -> &'a str {
    if department == "客服部" { estate.first("客服主管") } else { estate.others.head(department) }
}

/// 19 投诉处理书: one per valid complaint.
pub fn sheets(ctx: &Ctx, sink: &mut dyn Sink) -> Result<(), Error> {
    let estate = ctx.estate;
    let supervisor = estate.first("客服主管").to_string();
    for c in ctx.complaints.iter().filter(|c| c.valid) {
        let Some(home) = estate.homes.get(c.home as usize) else { continue };
        let Some(doc_no) = c.doc_no() else { continue };
        let person = home.resident_on(c.received.date());
        let course = c.course(ctx.end());
        let mut rng = Rng::stream(c.seed, "sheet", 0);
        let steward = estate.steward(home.building).name.clone();
        let mut rec = Rec::new();
        rec.text("doc_no", doc_no)
            .dt("received_at", c.received)
            .text("complainant", person.name.clone())
            .put("room", V::Room(home.room))
            .put("phone", V::Phone(person.phone))
            .s("channel", CHANNELS[usize::from(c.channel) % 4])
            .text("content", c.content())
            .s("category", c.category())
            .s("validity", "有效")
            .s("level", LEVELS[usize::from(c.level) % 3])
            .s("investigation", rng.text(INVESTIGATIONS))
            .s("handling", rng.text(HANDLINGS))
            .s("handler", c.department())
            .date("due_on", course.due_on)
            .text("receiver_signature", steward.clone())
            .text("supervisor_signature", supervisor.clone());
        if let Some(closed) = course.closed_on {
            rec.s("result", rng.text(RESULTS))
                .date("closed_on", closed)
                .text("handler_signature", head(estate, c.department()).to_string());
        }
        if let Some(visit) = course.visit_on {
            rec.date("visit_on", visit)
                .s("visit_way", if rng.chance(0.7) { "电话" } else { "上门" })
                .text("visitor", steward)
                .s("satisfaction", course.satisfaction)
                .s("visit_opinion", rng.text(VISIT_OPINIONS))
                .text("complainant_signature", person.name.clone());
        }
        sink.row(rec)?;
    }
    Ok(())
}

/// One liaison slip: from a complaint (index) or a routine matter.
struct Slip {
    issued: NaiveDateTime,
    complaint: Option<usize>,
    routine: usize,
    seed: u64,
}

fn slips(ctx: &Ctx) -> Vec<Slip> {
    let estate = ctx.estate;
    let mut out = Vec::new();
    for (i, c) in ctx.complaints.iter().enumerate() {
        if c.valid && c.department() != "客服部" {
            let mut rng = Rng::stream(c.seed, "slip", 0);
            let issued = c.received + Duration::minutes(rng.range(10, 60));
            if issued.date() == c.received.date() {
                out.push(Slip { issued, complaint: Some(i), routine: 0, seed: rng.next_u64() });
            }
        }
    }
    for (mi, &month) in estate.window.months.iter().enumerate() {
        let mut rng = Rng::stream(estate.seed, "liaison", mi as u64);
        let days: Vec<NaiveDate> = estate.window.days_of(month).collect();
        let n = rng.poisson(3.0 + estate.homes.len() as f64 / 2_000.0);
        for _ in 0..n {
            let Some(&day) = rng.pick(&days) else { break };
            let issued = at(day, rng.range(9, 16) as u32, rng.range(0, 59) as u32);
            out.push(Slip { issued, complaint: None, routine: rng.index(LIAISONS.len()), seed: rng.next_u64() });
        }
    }
    out.sort_by_key(|s| (s.issued, s.complaint));
    out
}

/// 21 物业客服工作联系单: complaints passed to other departments, and routine requests.
pub fn liaisons(ctx: &Ctx, sink: &mut dyn Sink) -> Result<(), Error> {
    let estate = ctx.estate;
    let sender = estate.first("客服主管").to_string();
    let mut counter: Option<(YearMonth, u32)> = None;
    for slip in slips(ctx) {
        let month = YearMonth::of(slip.issued.date());
        let n = match counter {
            Some((m, n)) if m == month => n + 1,
            _ => 1,
        };
        counter = Some((month, n));
        let mut rng = Rng::stream(slip.seed, "liaisonrow", 0);
        let mut rec = Rec::new();
        rec.text("contact_no", format!("GZ{:02}{:02}-{n:03}", month.year % 100, month.month))
            .dt("issued_at", slip.issued)
            .s("from_dept", "客服部")
            .text("sender_signature", sender.clone());
        let (to, done) = match slip.complaint.and_then(|i| ctx.complaints.get(i)) {
            Some(c) => complaint_slip(ctx, &mut rec, c),
            None => routine_slip(ctx, &mut rec, &slip, &mut rng),
        };
        rec.s("to_dept", to).text("receiver_signature", estate.others.head(to).to_string());
        if let Some(done) = done {
            rec.s("result", rng.text(RESULTS))
                .dt("completed_at", done)
                .text("head_signature", estate.others.head(to).to_string());
        }
        sink.row(rec)?;
    }
    Ok(())
}

fn complaint_slip(ctx: &Ctx, rec: &mut Rec, c: &Complaint) -> (&'static str, Option<NaiveDateTime>) {
    let course = c.course(ctx.end());
    if let Some(home) = ctx.estate.homes.get(c.home as usize) {
        rec.put("room", V::Room(home.room));
    }
    rec.opt("related_no", c.doc_no().map(V::Text))
        .text("subject", format!("转办投诉（{}）", c.category()))
        .text("content", c.content())
        .dt("due_at", at(course.due_on, 17, 0));
    (c.department(), course.closed_on.map(|d| at(d, 16, 30)))
}

fn routine_slip(ctx: &Ctx, rec: &mut Rec, slip: &Slip, rng: &mut Rng) -> (&'static str, Option<NaiveDateTime>) {
    let (to, subject, content) = LIAISONS.get(slip.routine).copied().unwrap_or(LIAISONS[0]);
    let due = at(shift(slip.issued.date(), rng.range(2, 5)), 17, 0);
    rec.s("subject", subject).s("content", content).dt("due_at", due);
    let done = at(shift(slip.issued.date(), rng.range(1, 6)), 15, 0);
    (to, Some(done).filter(|d| d.date() <= ctx.end()))
}
