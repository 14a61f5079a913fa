//! Fictional people of the sample estate: names, mobile numbers, and resident ID numbers with a
//! valid GB 11643 check digit matching birth date and sex.
//!
//! Input: a random stream. Output: [`Person`] values. Nothing here fails: an ID number whose
//! check digit cannot be computed (never, for the digits produced here) gets `X`.

use chrono::{Datelike, NaiveDate};

use super::rng::Rng;
use super::text::{FAMOUS, GIVEN_FEMALE, GIVEN_MALE, REGION_CODES, SURNAMES};

/// A person: owner, tenant, staff member, courier.
#[derive(Debug, Clone)]
pub struct Person {
    /// Full name, surname first.
    pub name: String,
    /// Date of birth (also digits 7–14 of the ID number).
    pub birth: NaiveDate,
    /// 18-character ID number.
    pub id_number: String,
    /// 11-digit mobile number.
    pub phone: u64,
}

/// A fictional name: a common surname and one or two given characters; never a famous name.
pub fn name(rng: &mut Rng, female: bool) -> String {
    let given = if female { GIVEN_FEMALE } else { GIVEN_MALE };
    loop {
        let mut s = String::with_capacity(9);
        s.push_str(rng.text(SURNAMES));
        s.push_str(rng.text(given));
        if rng.chance(0.6) {
            s.push_str(rng.text(given));
        }
        if !FAMOUS.contains(&s.as_str()) {
            return s;
        }
    }
}

/// A fictional 11-digit mobile number 1[3-9]x xxxx xxxx.
pub fn phone(rng: &mut Rng) -> u64 {
    let second = rng.range(3, 9) as u64;
    let third = rng.below(10);
    10_000_000_000 + second * 1_000_000_000 + third * 100_000_000 + rng.below(100_000_000)
}

/// The GB 11643 check character of the first 17 digits.
pub fn check_char(first17: &str) -> char {
    crate::parse::idcard::check_digit(first17).unwrap_or('X')
}

/// An ID number for someone born on `birth` in Shenyang; the sequence digit's parity gives the sex.
pub fn id_number(rng: &mut Rng, birth: NaiveDate, female: bool) -> String {
    let region = rng.text(REGION_CODES);
    let mut seq = rng.below(500) * 2;
    if !female {
        seq += 1;
    }
    let first17 = format!("{region}{:04}{:02}{:02}{seq:03}", birth.year(), birth.month(), birth.day());
    let check = check_char(&first17);
    format!("{first17}{check}")
}

/// A birth date between 1950 and 2000.
pub fn birth(rng: &mut Rng) -> NaiveDate {
    let start = NaiveDate::from_ymd_opt(1950, 1, 1).unwrap_or(NaiveDate::MIN);
    let days = rng.below(51 * 365 + 12);
    start.checked_add_days(chrono::Days::new(days)).unwrap_or(start)
}

/// A complete fictional person.
pub fn person(rng: &mut Rng) -> Person {
    let female = rng.chance(0.5);
    let birth = birth(rng);
    Person { name: name(rng, female), birth, id_number: id_number(rng, birth, female), phone: phone(rng) }
}

/// Just a name and a phone (staff of other departments, couriers, clients).
pub fn contact(rng: &mut Rng) -> (String, u64) {
    let female = rng.chance(0.4);
    (name(rng, female), phone(rng))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn id_numbers_carry_birth_sex_and_check_digit() {
        let mut rng = Rng::new(11);
        for _ in 0..500 {
            let p = person(&mut rng);
            assert_eq!(p.id_number.chars().count(), 18);
            assert!(p.id_number.starts_with("2101"));
            assert_eq!(&p.id_number[6..14], p.birth.format("%Y%m%d").to_string());
            assert_eq!(Some(check_char(&p.id_number[..17])), p.id_number.chars().last());
            assert!((1950..=2000).contains(&p.birth.year()));
            let s = p.phone.to_string();
            assert_eq!(s.len(), 11);
            assert!(s.starts_with('1') && (b'3'..=b'9').contains(&s.as_bytes()[1]));
            assert!(!FAMOUS.contains(&p.name.as_str()));
        }
        for female in [true, false] {
            let born = birth(&mut rng);
            let id = id_number(&mut rng, born, female);
            assert_eq!((id.as_bytes()[16] - b'0').is_multiple_of(2), female, "{id}");
        }
    }
}
