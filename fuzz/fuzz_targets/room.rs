//! Room numbers in every spelling staff use; a parsed room prints and parses back to itself.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(s) = std::str::from_utf8(data)
        && let Ok(room) = kefu::parse::room::parse_room(s)
    {
        let again = kefu::parse::room::parse_room(&room.to_string());
        assert_eq!(again, Ok(room), "{s:?} → {room} does not read back");
    }
});
