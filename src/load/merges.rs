//! Merged blocks of cells as written in `<mergeCell ref="A5:A9"/>`: 0-based, inclusive.

/// A merged block: ((first row, first col), (last row, last col)), 0-based, inclusive.
pub type Block = ((usize, usize), (usize, usize));

/// `A5:C9` → ((4, 0), (8, 2)).
pub(super) fn block(reference: &str) -> Option<Block> {
    let (a, b) = reference.split_once(':')?;
    Some((cell(a)?, cell(b)?))
}

/// `AB12` → (11, 27).
fn cell(reference: &str) -> Option<(usize, usize)> {
    let letters = reference.bytes().take_while(u8::is_ascii_alphabetic).count();
    let (col, row) = reference.split_at(letters);
    let col = col.bytes().try_fold(0usize, |acc, b| {
        acc.checked_mul(26)?.checked_add(usize::from(b.to_ascii_uppercase().checked_sub(b'A')?) + 1)
    })?;
    let row: usize = row.parse().ok()?;
    Some((row.checked_sub(1)?, col.checked_sub(1)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references() {
        assert_eq!(block("A5:C9"), Some(((4, 0), (8, 2))));
        assert_eq!(block("AB12:AB12"), Some(((11, 27), (11, 27))));
        assert_eq!(block("A0:B1"), None);
        assert_eq!(block("nonsense"), None);
    }
}
