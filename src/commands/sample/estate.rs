//! The sample estate itself: buildings sized to the requested number of households, every room
//! with its owner, area, delivery, move-in and occupancy, the department's staff and the people
//! of other departments the registers name.
//!
//! Input: [`SampleOptions`]. Output: an [`Estate`], a pure function of the options (the seed
//! drives everything). Nothing here fails; degenerate options (0 households, 0 months) give a
//! one-room, one-month estate.

use chrono::{Datelike, Days, NaiveDate, NaiveDateTime, NaiveTime};

use crate::config::Building;
use crate::model::YearMonth;
use crate::parse::room::RoomId;

use super::SampleOptions;
use super::people::{self, Person};
use super::rng::Rng;
use super::text::OTHER_DEPARTMENTS;

/// The months the events of the sample fall in.
#[derive(Debug, Clone)]
pub struct Window {
    /// The months, oldest first; the last is the report month.
    pub months: Vec<YearMonth>,
    /// First day of the first month.
    pub start: NaiveDate,
    /// Last day of the report month: no event lies after it.
    pub end: NaiveDate,
}

impl Window {
    fn new(options: &SampleOptions) -> Window {
        let mut months = vec![options.report_month];
        for _ in 1..options.months.max(1) {
            let first = months.first().copied().unwrap_or(options.report_month);
            months.insert(0, first.prev());
        }
        let start = months.first().copied().unwrap_or(options.report_month).first_day();
        Window { months, start, end: options.report_month.last_day() }
    }

    /// Every day of the window, in order.
    pub fn days(&self) -> impl Iterator<Item = NaiveDate> + '_ {
        self.start.iter_days().take_while(|d| *d <= self.end)
    }

    /// Every day of `month` that lies in the window.
    pub fn days_of(&self, month: YearMonth) -> impl Iterator<Item = NaiveDate> + '_ {
        month.first_day().iter_days().take_while(move |d| d.month() == month.month && *d <= self.end)
    }
}

/// `d` moved by `n` days (either way); `d` itself if that leaves the calendar.
pub fn shift(d: NaiveDate, n: i64) -> NaiveDate {
    let r =
        if n >= 0 { d.checked_add_days(Days::new(n as u64)) } else { d.checked_sub_days(Days::new(n.unsigned_abs())) };
    r.unwrap_or(d)
}

/// `d` at `h:m`.
pub fn at(d: NaiveDate, h: u32, m: u32) -> NaiveDateTime {
    d.and_time(NaiveTime::from_hms_opt(h.min(23), m.min(59), 0).unwrap_or(NaiveTime::MIN))
}

/// Who lives in a room at the end of the window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// 空置: not handed over, or the owner does not live there.
    Vacant,
    /// 自住
    Own,
    /// 出租
    Rented,
}

impl Status {
    /// The rooms ledger's wording.
    pub fn label(self) -> &'static str {
        match self {
            Status::Vacant => "空置",
            Status::Own => "自住",
            Status::Rented => "出租",
        }
    }
}

/// A room and its household.
#[derive(Debug, Clone)]
pub struct Home {
    /// The room number.
    pub room: RoomId,
    /// Index into [`Estate::buildings`].
    pub building: usize,
    /// Floor area in hundredths of a square metre.
    pub area: u32,
    /// The owner (on the purchase contract).
    pub owner: Person,
    /// Persons registered at move-in.
    pub residents: u8,
    /// Occupancy at the end of the window.
    pub status: Status,
    /// The building's delivery date (交付), when it lies in the window.
    pub delivered: Option<NaiveDate>,
    /// When the owner phoned for a move-in appointment (01), if in the window.
    pub registered: Option<NaiveDate>,
    /// The agreed appointment (may lie after the window: still pending).
    pub appointment: Option<NaiveDateTime>,
    /// The day keys were issued and the room inspected (02, 03): 入住日期.
    pub handover: Option<NaiveDate>,
    /// The tenant, for rooms let.
    pub tenant: Option<Person>,
    /// When the tenant moved in.
    pub rented_from: Option<NaiveDate>,
    /// Seed of everything else about the home.
    pub seed: u64,
}

impl Home {
    /// Whether someone lives there on `d`.
    pub fn occupied_on(&self, d: NaiveDate) -> bool {
        self.status != Status::Vacant && self.handover.is_some_and(|h| h <= d)
    }

    /// The person living there on `d` (tenant once rented, else the owner).
    pub fn resident_on(&self, d: NaiveDate) -> &Person {
        match (&self.tenant, self.rented_from) {
            (Some(t), Some(from)) if from <= d => t,
            _ => &self.owner,
        }
    }
}

/// A member of the department's staff.
#[derive(Debug, Clone)]
pub struct Staff {
    /// Name as written on forms.
    pub name: String,
    /// Work mobile.
    pub phone: u64,
    /// Roles, from [`crate::config::ROLES`].
    pub roles: Vec<&'static str>,
}

/// A move-in desk group (入住规程 4.3).
#[derive(Debug, Clone)]
pub struct Group {
    /// e.g. 第一组.
    pub name: &'static str,
    /// Building numbers it serves.
    pub buildings: Vec<u16>,
    /// Names of its staff.
    pub members: Vec<String>,
}

/// People of other departments and of the developer that registers name.
#[derive(Debug, Clone)]
pub struct Others {
    /// 地产客服部 staff.
    pub developer: Vec<(String, u64)>,
    /// 地产工程部 staff.
    pub developer_engineers: Vec<String>,
    /// 工程部 technicians.
    pub technicians: Vec<String>,
    /// Supervisor of each of [`OTHER_DEPARTMENTS`].
    pub heads: Vec<(&'static str, String)>,
    /// 中控室 operators.
    pub control_room: Vec<String>,
    /// Cleaners and guards who borrow keys.
    pub workers: Vec<(String, u64)>,
}

impl Others {
    /// The supervisor of `department`, or the first one known.
    pub fn head(&self, department: &str) -> &str {
        self.heads.iter().find(|(d, _)| *d == department).or(self.heads.first()).map(|(_, n)| n.as_str()).unwrap_or("")
    }
}

/// The whole sample estate.
#[derive(Debug, Clone)]
pub struct Estate {
    /// Seed of the whole estate.
    pub seed: u64,
    /// The months of events.
    pub window: Window,
    /// The buildings, as in `kefu.yaml`.
    pub buildings: Vec<Building>,
    /// Delivery date of each building (same index).
    pub delivery: Vec<NaiveDate>,
    /// Every room with its household, building by building.
    pub homes: Vec<Home>,
    /// The department's staff.
    pub staff: Vec<Staff>,
    /// Move-in desk groups.
    pub groups: Vec<Group>,
    /// People of other departments and of the developer.
    pub others: Others,
}

/// Households one 亲情管家 looks after (estates above 1,200 households get more stewards).
const HOUSEHOLDS_PER_STEWARD: u32 = 300;

/// The staff list: roles of each person, in order.
const STAFF_ROLES: &[&[&str]] = &[
    &["客服主管"],
    &["亲情管家", "入住办理"],
    &["亲情管家", "入住办理"],
    &["亲情管家"],
    &["亲情管家"],
    &["大堂管家", "钥匙管理"],
    &["大堂管家", "入住办理"],
    &["大堂管家", "入住办理"],
    &["档案管理员"],
    &["品质管理员"],
    &["客服内勤"],
    &["社区文化专员"],
    &["入住办理"],
    &["入住办理"],
    &["验房"],
    &["验房"],
    &["财务"],
    &["管理中心经理"],
];

impl Estate {
    /// Builds the estate for `options`.
    pub fn new(options: &SampleOptions) -> Estate {
        let window = Window::new(options);
        let buildings = buildings(options.seed, options.households.max(1), &window);
        let delivery = delivery_dates(&buildings, &window);
        let mut staff_rng = Rng::stream(options.seed, "staff", 0);
        // A 亲情管家 looks after about 300 households; large estates get more of them.
        let extra_stewards = options.households.div_ceil(HOUSEHOLDS_PER_STEWARD).saturating_sub(4) as usize;
        let steward: &[&str] = &["亲情管家"];
        let mut staff: Vec<Staff> = Vec::new();
        let mut taken: Vec<String> = Vec::new();
        for roles in STAFF_ROLES.iter().copied().chain(std::iter::repeat_n(steward, extra_stewards)) {
            let name = unique_name(&mut staff_rng, &taken);
            taken.push(name.clone());
            staff.push(Staff { name, phone: people::phone(&mut staff_rng), roles: roles.to_vec() });
        }
        let groups = groups(&buildings, &staff);
        let others = others(&mut staff_rng);
        let mut estate =
            Estate { seed: options.seed, window, buildings, delivery, homes: Vec::new(), staff, groups, others };
        estate.homes = homes(&estate);
        estate
    }

    /// Names of the staff holding `role`.
    pub fn with_role(&self, role: &str) -> Vec<&Staff> {
        self.staff.iter().filter(|s| s.roles.contains(&role)).collect()
    }

    /// The name of the first staff member with `role` (empty if none).
    pub fn first(&self, role: &str) -> &str {
        self.staff.iter().find(|s| s.roles.contains(&role)).map(|s| s.name.as_str()).unwrap_or("")
    }

    /// A random staff member with `role`.
    pub fn any<'a>(&'a self, rng: &mut Rng, role: &str) -> &'a Staff {
        let all = self.with_role(role);
        all.get(rng.index(all.len())).copied().or(self.staff.first()).unwrap_or(&FALLBACK)
    }

    /// The 亲情管家 responsible for the building with index `b`.
    pub fn steward(&self, b: usize) -> &Staff {
        let all = self.with_role("亲情管家");
        let n = all.len().max(1);
        all.get(b * n / self.buildings.len().max(1)).copied().or(self.staff.first()).unwrap_or(&FALLBACK)
    }

    /// The move-in group serving building number `number`.
    pub fn group_of(&self, number: u16) -> Option<&Group> {
        self.groups.iter().find(|g| g.buildings.contains(&number))
    }
}

static FALLBACK: Staff = Staff { name: String::new(), phone: 13_800_000_000, roles: Vec::new() };

/// A fictional name not already in `taken`.
fn unique_name(rng: &mut Rng, taken: &[String]) -> String {
    loop {
        let female = rng.chance(0.6);
        let n = people::name(rng, female);
        if !taken.contains(&n) {
            return n;
        }
    }
}

/// Buildings until the room count reaches `households`; the last one is cut to fit.
fn buildings(seed: u64, households: u32, window: &Window) -> Vec<Building> {
    let mut rng = Rng::stream(seed, "buildings", 0);
    let mut out = Vec::new();
    let mut remaining = i64::from(households);
    while remaining > 0 {
        let units = rng.range(2, 3) as u8;
        let per_floor = rng.range(2, 4) as u8;
        let shops = rng.chance(0.25);
        let first_floor: u16 = if shops { 5 } else { 1 };
        let per_level = i64::from(units) * i64::from(per_floor);
        let floors = rng.range(18, 33).min((remaining + per_level - 1) / per_level).max(1);
        remaining -= floors * per_level;
        let number = out.len() as u16 + 1;
        let completed = shift(window.start, -rng.range(60, 150));
        out.push(Building {
            number,
            units,
            first_floor,
            top_floor: first_floor + floors as u16 - 1,
            rooms_per_floor: per_floor,
            completed: Some(completed),
        });
    }
    out
}

/// Phase 1 is delivered on the 10th of the first month; with six months or more, the last
/// quarter of the buildings (phase 2) three months later.
fn delivery_dates(buildings: &[Building], window: &Window) -> Vec<NaiveDate> {
    let first = shift(window.start, 9);
    let phase2 = window.months.get(3).map(|m| shift(m.first_day(), 9));
    let cut = buildings.len() - buildings.len() / 4;
    (0..buildings.len())
        .map(|i| match phase2 {
            Some(d) if window.months.len() >= 6 && buildings.len() >= 4 && i >= cut => d,
            _ => first,
        })
        .collect()
}

/// Three groups (fewer for tiny estates) splitting the buildings, two 入住办理 staff each.
fn groups(buildings: &[Building], staff: &[Staff]) -> Vec<Group> {
    const NAMES: [&str; 3] = ["第一组", "第二组", "第三组"];
    let desk: Vec<&Staff> = staff.iter().filter(|s| s.roles.contains(&"入住办理")).collect();
    let n = buildings.len().clamp(1, 3);
    (0..n)
        .map(|g| Group {
            name: NAMES[g],
            buildings: buildings
                .iter()
                .enumerate()
                .filter(|(i, _)| i * n / buildings.len().max(1) == g)
                .map(|(_, b)| b.number)
                .collect(),
            members: desk.iter().skip(g * 2).take(2).map(|s| s.name.clone()).collect(),
        })
        .collect()
}

fn others(rng: &mut Rng) -> Others {
    let mut contact = |n: usize| (0..n).map(|_| people::contact(rng)).collect::<Vec<_>>();
    let developer = contact(3);
    let developer_engineers = contact(2).into_iter().map(|c| c.0).collect();
    let technicians = contact(8).into_iter().map(|c| c.0).collect();
    let control_room = contact(2).into_iter().map(|c| c.0).collect();
    let workers = contact(6);
    let heads = OTHER_DEPARTMENTS.iter().zip(contact(OTHER_DEPARTMENTS.len())).map(|(d, c)| (*d, c.0)).collect();
    Others { developer, developer_engineers, technicians, heads, control_room, workers }
}

/// Every room of every building with its household.
fn homes(estate: &Estate) -> Vec<Home> {
    let mut out = Vec::new();
    for (b, building) in estate.buildings.iter().enumerate() {
        let mut layout = Rng::stream(estate.seed, "layout", u64::from(building.number));
        let areas: Vec<u32> = (0..building.rooms_per_floor).map(|_| layout.range(6_800, 14_800) as u32).collect();
        for room in building.rooms() {
            let index = out.len() as u64;
            let area = areas.get(usize::from(room.room % 100).saturating_sub(1)).copied().unwrap_or(9_000);
            out.push(home(estate, b, room, area, Rng::stream(estate.seed, "home", index)));
        }
    }
    out
}

fn home(estate: &Estate, b: usize, room: RoomId, area: u32, mut rng: Rng) -> Home {
    let end = estate.window.end;
    let owner = people::person(&mut rng);
    let residents = [1u8, 2, 3, 4, 5][rng.weighted(&[10, 30, 30, 20, 10])];
    let seed = rng.next_u64();
    let delivered_on = estate.delivery.get(b).copied().unwrap_or(estate.window.start);
    let (registered, appointment, handover) = move_in(estate, delivered_on, &mut rng);
    let (status, tenant, rented_from) = match handover {
        Some(h) => occupancy(h, end, &mut rng),
        None => (Status::Vacant, None, None),
    };
    Home {
        room,
        building: b,
        area,
        owner,
        residents,
        status,
        delivered: Some(delivered_on).filter(|d| *d <= end),
        registered,
        appointment,
        handover,
        tenant,
        rented_from,
        seed,
    }
}

/// When the owner phoned, was given an appointment, and came for the keys (mostly soon after
/// delivery, a few much later or not within a year); each `None` when after the window.
fn move_in(
    estate: &Estate,
    delivered: NaiveDate,
    rng: &mut Rng,
) -> (Option<NaiveDate>, Option<NaiveDateTime>, Option<NaiveDate>) {
    let end = estate.window.end;
    let r = rng.unit();
    let offset = if r < 0.55 {
        Some(rng.range(0, 14))
    } else if r < 0.80 {
        Some(rng.range(15, 45))
    } else if r < 0.90 {
        Some(rng.range(46, 120))
    } else if r < 0.97 {
        Some(rng.range(121, 300))
    } else {
        None
    };
    let planned = offset.map(|o| shift(delivered, o));
    let lead = rng.range(2, 12);
    let earliest = shift(delivered, -8).max(estate.window.start);
    let registered = planned.map(|p| shift(p, -lead).max(earliest)).filter(|r| *r <= end);
    let rescheduled = rng.chance(0.08);
    let (Some(reg), Some(p)) = (registered, planned) else { return (registered, None, None) };
    let day = if rescheduled { shift(p, -rng.range(1, 5)) } else { p };
    let slot = rng.range(0, 15) as u32;
    let appointment = at(day.max(shift(reg, 1)), 9 + slot / 2, (slot % 2) * 30);
    let handover = Some(p.max(shift(reg, 1))).filter(|h| *h <= end);
    (registered, Some(appointment), handover)
}

/// Who lives in a room handed over on `handover`: 7 % 空置, 16 % 出租 (once the tenant has
/// moved in by the end of the window), the rest 自住.
fn occupancy(handover: NaiveDate, end: NaiveDate, rng: &mut Rng) -> (Status, Option<Person>, Option<NaiveDate>) {
    let r = rng.unit();
    if r < 0.07 {
        return (Status::Vacant, None, None);
    }
    if r < 0.23 {
        let from = shift(handover, rng.range(20, 150));
        if from <= end {
            return (Status::Rented, Some(people::person(rng)), Some(from));
        }
    }
    (Status::Own, None, None)
}
