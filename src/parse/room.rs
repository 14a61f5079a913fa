//! Room text → [`RoomId`] (building, unit, door number) as staff type it: `1-2-301`, `1栋2单元301室`,
//! `1号楼2门301`, `1#2-301`, full-width or with spaces anywhere. Text with a part missing, a zero,
//! a door number without floor or position, or any other shape gives `Err` with one Chinese
//! sentence naming the value, what is wrong, and the accepted form `楼号-单元-房号，如 1-2-301`.

use std::fmt;
use std::str::FromStr;

use super::text::{is_dash, normalize, quote};

const FORM: &str = "应写成 楼号-单元-房号，如 1-2-301";

/// A room of the estate: building (楼号), unit (单元) and door number (房号) such as 301, whose
/// floor is `room / 100` and position on the floor `room % 100`. Displays and serialises as
/// `1-2-301`; ordered by building, then unit, then door number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
#[serde(into = "String", try_from = "String")]
pub struct RoomId {
    /// 楼号, 1–9999.
    pub building: u16,
    /// 单元, 1–255.
    pub unit: u8,
    /// 房号 (door number), floor × 100 + position, both at least 1: 101–9999.
    pub room: u16,
}

impl RoomId {
    /// The floor the room is on: 301 → 3, 1502 → 15.
    pub fn floor(&self) -> u16 {
        self.room / 100
    }
}

impl fmt::Display for RoomId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}-{}", self.building, self.unit, self.room)
    }
}

impl FromStr for RoomId {
    type Err = String;

    /// Same as [`parse_room`].
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        parse_room(s)
    }
}

impl From<RoomId> for String {
    /// The display form, `1-2-301`, used for serialising.
    fn from(room: RoomId) -> Self {
        room.to_string()
    }
}

impl TryFrom<String> for RoomId {
    type Error = String;

    /// Same as [`parse_room`], used for deserialising.
    fn try_from(s: String) -> Result<Self, Self::Error> {
        parse_room(&s)
    }
}

/// What the mark after a number says that number is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mark {
    /// `-`: any part but the last.
    Dash,
    /// `栋`, `幢`, `号楼`, `#`, `#楼`, `号`: a building.
    Building,
    /// `单元`, `门`: a unit.
    Unit,
    /// nothing or `室`: the end, after the door number.
    End,
    /// `号` at the very end (`301号`).
    EndNumber,
    /// anything else.
    Other,
}

fn mark_of(mark: &str, last: bool) -> Mark {
    if mark.is_empty() || mark == "室" {
        return Mark::End;
    }
    if mark == "-" {
        return Mark::Dash;
    }
    // A dash after a written mark (`1栋-2单元-301`) adds nothing.
    let mark = mark.strip_suffix('-').unwrap_or(mark);
    match mark {
        "号" if last => Mark::EndNumber,
        "栋" | "幢" | "号楼" | "#" | "#楼" | "号" => Mark::Building,
        "单元" | "门" => Mark::Unit,
        _ => Mark::Other,
    }
}

/// The number of a building or unit written alone, as registers with 楼号 and 单元 columns
/// hold them: `1`, `1号楼`, `1#楼`, `1#`, `1栋`, `1单元`, `一单元`, `十二号楼`, `01`.
pub fn part_number(s: &str) -> Option<u32> {
    let t: String = normalize(s).chars().filter(|c| !c.is_whitespace()).collect();
    let core =
        ["号楼", "#楼", "单元", "栋", "幢", "#", "号", "门", "楼"].iter().find_map(|m| t.strip_suffix(m)).unwrap_or(&t);
    if !core.is_empty() && core.bytes().all(|b| b.is_ascii_digit()) {
        return core.parse().ok().filter(|n| *n > 0);
    }
    chinese_number(core)
}

/// 一 … 九十九 as a number.
fn chinese_number(s: &str) -> Option<u32> {
    const DIGITS: &str = "一二三四五六七八九";
    let digit = |c: char| DIGITS.chars().position(|d| d == c).map(|i| i as u32 + 1);
    let chars: Vec<char> = s.chars().collect();
    match chars.as_slice() {
        ['十'] => Some(10),
        [d] => digit(*d),
        ['十', d] => Some(10 + digit(*d)?),
        [t, '十'] => Some(digit(*t)? * 10),
        [t, '十', d] => Some(digit(*t)? * 10 + digit(*d)?),
        _ => None,
    }
}

/// A room from its parts in separate columns (楼号, 单元, 房号): `1号楼` + `一单元` + `1801室`,
/// `1#` + `1` + `0302`. The door number may carry 室 and leading zeros.
pub fn room_from_parts(building: &str, unit: &str, door: &str) -> Result<RoomId, String> {
    let written = format!("{}／{}／{}", building.trim(), unit.trim(), door.trim());
    let fail = |reason: &str| {
        format!("{}不是有效房号：{reason}（楼号、单元、房号三列合起来，如 1号楼、1单元、301室）", quote(&written))
    };
    let b = part_number(building).ok_or_else(|| fail("楼号不是数字"))?;
    let u = part_number(unit).ok_or_else(|| fail("单元不是数字"))?;
    let d: String = normalize(door).chars().filter(|c| !c.is_whitespace()).collect();
    let d = d.strip_suffix('室').or_else(|| d.strip_suffix('号')).unwrap_or(&d);
    if d.is_empty() || !d.bytes().all(|c| c.is_ascii_digit()) {
        return Err(fail("房号不是数字"));
    }
    parse_room(&format!("{b}-{u}-{}", d.trim_start_matches('0'))).map_err(|e| fail(&e))
}

/// Parses a room as typed: `1-2-301`, `01-02-0301`, `1-2-301室`, `1栋2单元301`, `1栋2单元301室`,
/// `1号楼2单元301室`, `1幢2单元301`, `1#2-301`, `1#楼2单元301`, `1号楼2门301`, `1-2-1502`,
/// `1－2－301`, with spaces anywhere. Refuses a missing part (`1-301`: no unit), building or unit
/// 0, a door number with floor 0 or position 00 (`1-2-300`), a number of more than 4 digits, and
/// every other shape.
pub fn parse_room(s: &str) -> Result<RoomId, String> {
    let fail = |reason: &str| format!("{}不是有效房号：{reason}，{FORM}", quote(s));
    let t: String =
        normalize(s).chars().filter(|c| !c.is_whitespace()).map(|c| if is_dash(c) { '-' } else { c }).collect();
    if t.is_empty() {
        return Err(fail("内容为空"));
    }
    // Split into numbers, each with the mark that follows it.
    let mut parts: Vec<(&str, &str)> = Vec::with_capacity(3);
    let mut rest = t.as_str();
    while !rest.is_empty() {
        let n = rest.bytes().take_while(u8::is_ascii_digit).count();
        if n == 0 || parts.len() == 3 {
            return Err(fail("格式不对"));
        }
        let (number, after) = rest.split_at_checked(n).ok_or_else(|| fail("格式不对"))?;
        let m = after.find(|c: char| c.is_ascii_digit()).unwrap_or(after.len());
        let (mark, after) = after.split_at_checked(m).ok_or_else(|| fail("格式不对"))?;
        parts.push((number, mark));
        rest = after;
    }
    let count = parts.len();
    let marks: Vec<Mark> = parts.iter().enumerate().map(|(i, (_, mark))| mark_of(mark, i + 1 == count)).collect();
    let (building, unit, room) = match (parts.as_slice(), marks.as_slice()) {
        (
            [(b, _), (u, _), (r, _)],
            [Mark::Dash | Mark::Building, Mark::Dash | Mark::Unit, Mark::End | Mark::EndNumber],
        ) => (*b, *u, *r),
        (_, [Mark::Dash | Mark::Building, Mark::Dash | Mark::Unit]) => return Err(fail("缺少房号")),
        (_, [Mark::Unit, Mark::End | Mark::EndNumber]) => return Err(fail("缺少楼号")),
        (_, [Mark::Dash | Mark::Building, Mark::End | Mark::EndNumber]) => return Err(fail("缺少单元号")),
        (_, [Mark::Building | Mark::Dash]) => return Err(fail("缺少单元号和房号")),
        (_, [Mark::End | Mark::EndNumber]) => return Err(fail("缺少楼号和单元号")),
        _ => return Err(fail("格式不对")),
    };
    for (digits, what) in [(building, "楼号"), (unit, "单元号"), (room, "房号")] {
        if digits.len() > 4 {
            return Err(fail(&format!("{what}最多 4 位数字")));
        }
    }
    // At most four digits each, so every value fits a u16.
    let value = |digits: &str| digits.parse::<u16>().map_err(|_| fail("格式不对"));
    let (building, unit, room) = (value(building)?, value(unit)?, value(room)?);
    if building == 0 {
        return Err(fail("楼号不能为 0"));
    }
    let unit = match u8::try_from(unit) {
        Ok(0) => return Err(fail("单元号不能为 0")),
        Ok(unit) => unit,
        Err(_) => return Err(fail("单元号不能大于 255")),
    };
    if room / 100 == 0 {
        return Err(fail(&format!("房号 {room} 缺少楼层，应为楼层加两位户号（如 301 是 3 层 01 户）")));
    }
    if room % 100 == 0 {
        return Err(fail(&format!("房号 {room} 的户号为 00，应为楼层加两位户号（如 301 是 3 层 01 户）")));
    }
    Ok(RoomId { building, unit, room })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rooms_from_three_columns() {
        let r1801 = RoomId { building: 1, unit: 1, room: 1801 };
        for (b, u, d) in
            [("1号楼", "1单元", "1801"), ("1#楼", "一单元", "1801室"), ("1#", "1", "1801"), ("1", "１", "1801")]
        {
            assert_eq!(room_from_parts(b, u, d), Ok(r1801), "{b} {u} {d}");
        }
        assert_eq!(room_from_parts("3", "2", "0302"), Ok(RoomId { building: 3, unit: 2, room: 302 }));
        assert_eq!(part_number("十二号楼"), Some(12));
        assert!(room_from_parts("东楼", "1", "101").unwrap_err().contains("楼号不是数字"));
    }

    fn r(building: u16, unit: u8, room: u16) -> RoomId {
        RoomId { building, unit, room }
    }

    #[test]
    fn every_accepted_form() {
        for s in [
            "1-2-301",
            "01-02-0301",
            "001-2-301",
            "1-2-301室",
            "1-2-301号",
            "1栋2单元301",
            "1栋2单元301室",
            "1号楼2单元301室",
            "1幢2单元301",
            "1#2-301",
            "1#楼2单元301",
            "1号楼2门301",
            "1号2单元301",
            "1栋-2单元-301",
            "1#-2-301",
            "1－2－301",
            "１－２－３０１",
            "1—2—301",
            "1 - 2 - 301",
            " 1栋 2单元 301室 ",
            "1\u{3000}栋2单元301",
            "\u{FEFF}1-2-301",
            "1-2-3 01",
        ] {
            assert_eq!(parse_room(s), Ok(r(1, 2, 301)), "{s}");
        }
        assert_eq!(parse_room("1-2-1502"), Ok(r(1, 2, 1502)));
        assert_eq!(parse_room("12-3-2208"), Ok(r(12, 3, 2208)));
        assert_eq!(parse_room("9999-255-9999"), Ok(r(9999, 255, 9999)));
        assert_eq!(parse_room("1-1-101"), Ok(r(1, 1, 101)));
        assert_eq!(parse_room("1-1-199"), Ok(r(1, 1, 199)));
    }

    #[test]
    fn missing_parts_are_named() {
        assert_eq!(parse_room("1-301").unwrap_err(), format!("「1-301」不是有效房号：缺少单元号，{FORM}"));
        assert_eq!(parse_room("1栋301").unwrap_err(), format!("「1栋301」不是有效房号：缺少单元号，{FORM}"));
        assert_eq!(parse_room("1栋301室").unwrap_err(), format!("「1栋301室」不是有效房号：缺少单元号，{FORM}"));
        assert_eq!(parse_room("2单元301").unwrap_err(), format!("「2单元301」不是有效房号：缺少楼号，{FORM}"));
        assert_eq!(parse_room("1栋2单元").unwrap_err(), format!("「1栋2单元」不是有效房号：缺少房号，{FORM}"));
        assert_eq!(parse_room("1-2-").unwrap_err(), format!("「1-2-」不是有效房号：缺少房号，{FORM}"));
        assert_eq!(parse_room("301").unwrap_err(), format!("「301」不是有效房号：缺少楼号和单元号，{FORM}"));
        assert_eq!(parse_room("301室").unwrap_err(), format!("「301室」不是有效房号：缺少楼号和单元号，{FORM}"));
        assert_eq!(parse_room("1栋").unwrap_err(), format!("「1栋」不是有效房号：缺少单元号和房号，{FORM}"));
        assert_eq!(parse_room("").unwrap_err(), format!("「」不是有效房号：内容为空，{FORM}"));
    }

    #[test]
    fn bad_numbers_are_explained() {
        assert_eq!(parse_room("0-2-301").unwrap_err(), format!("「0-2-301」不是有效房号：楼号不能为 0，{FORM}"));
        assert_eq!(parse_room("1-0-301").unwrap_err(), format!("「1-0-301」不是有效房号：单元号不能为 0，{FORM}"));
        assert_eq!(
            parse_room("1-256-301").unwrap_err(),
            format!("「1-256-301」不是有效房号：单元号不能大于 255，{FORM}")
        );
        assert!(parse_room("1-2-300").unwrap_err().contains("房号 300 的户号为 00"));
        assert!(parse_room("1-2-31").unwrap_err().contains("房号 31 缺少楼层"));
        assert!(parse_room("1-2-0").unwrap_err().contains("房号 0 缺少楼层"));
        assert!(parse_room("1-2-0001").unwrap_err().contains("缺少楼层"));
        assert!(parse_room("1-2-12345").unwrap_err().contains("房号最多 4 位数字"));
        assert!(parse_room("12345-2-301").unwrap_err().contains("楼号最多 4 位数字"));
        assert!(parse_room("1-00002-301").unwrap_err().contains("单元号最多 4 位数字"));
    }

    #[test]
    fn other_shapes_show_the_form() {
        for s in [
            "A-2-301",
            "1-2-301-1",
            "1-2-3-4",
            "1单元2栋301",
            "1-2单元-301室室",
            "1/2/301",
            "1.2.301",
            "1楼2单元301",
            "一栋二单元301",
            "-1-2-301",
            "1--2-301",
            "1-2-301A",
            "1-2-B301",
            "1栋2单元301室x",
            "1-2-301室1",
            "栋",
            "-",
        ] {
            let e = parse_room(s).unwrap_err();
            assert!(e.starts_with(&quote(s)) && e.ends_with(FORM), "{s}: {e}");
        }
    }

    #[test]
    fn hostile_text() {
        for s in [
            " ".to_string(),
            "\0".into(),
            "1-2-301\0".into(),
            "😀".into(),
            "1😀2-301".into(),
            "1".repeat(10_000),
            "1-".repeat(10_000),
            "-".repeat(10_000),
            "栋".repeat(10_000),
            format!("1-2-{}", "0".repeat(10_000)),
            "\u{200B}".into(),
        ] {
            let e = parse_room(&s).unwrap_err();
            assert!(e.chars().count() < 200, "{e}");
            assert!(e.ends_with(FORM), "{e}");
        }
    }

    #[test]
    fn floor_display_and_order() {
        assert_eq!(r(1, 2, 301).floor(), 3);
        assert_eq!(r(1, 2, 1502).floor(), 15);
        assert_eq!(r(1, 2, 301).to_string(), "1-2-301");
        assert_eq!(r(10, 1, 2208).to_string(), "10-1-2208");
        let mut rooms = vec![r(2, 1, 101), r(1, 2, 101), r(1, 1, 1502), r(1, 1, 301)];
        rooms.sort();
        assert_eq!(rooms, vec![r(1, 1, 301), r(1, 1, 1502), r(1, 2, 101), r(2, 1, 101)]);
    }

    #[test]
    fn from_str_and_round_trip() {
        assert_eq!("1栋2单元301室".parse::<RoomId>(), Ok(r(1, 2, 301)));
        assert!("1-301".parse::<RoomId>().is_err());
        for room in [r(1, 2, 301), r(9999, 255, 9999), r(3, 1, 101)] {
            assert_eq!(parse_room(&room.to_string()), Ok(room));
        }
    }

    #[test]
    fn serde_as_display_string() {
        let room = r(1, 2, 301);
        assert_eq!(serde_json::to_string(&room).unwrap(), "\"1-2-301\"");
        assert_eq!(serde_json::from_str::<RoomId>("\"1栋2单元301室\"").unwrap(), room);
        let err = serde_json::from_str::<RoomId>("\"1-301\"").unwrap_err().to_string();
        assert!(err.contains("缺少单元号"), "{err}");
        assert!(serde_json::from_str::<RoomId>("{\"building\":1,\"unit\":2,\"room\":301}").is_err());
        let rooms: Vec<RoomId> = serde_json::from_str("[\"1-2-301\", \"2-1-101\"]").unwrap();
        assert_eq!(rooms, vec![r(1, 2, 301), r(2, 1, 101)]);
    }
}
