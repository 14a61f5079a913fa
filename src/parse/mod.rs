//! Parsing cell text as staff type it into typed values: dates, times, months, money, room
//! numbers, phone numbers, ID numbers. Pure functions, no IO; every error is a Chinese sentence
//! naming the value and what was expected, ready to be placed after a cell location.

pub mod date;
pub mod idcard;
pub mod money;
pub mod phone;
pub mod room;
pub mod text;
