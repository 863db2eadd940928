//! The citizen service number (BSN) eleven-test.

/// Nine digits whose weighted sum (9, 8, …, 2, and −1 for the last) is divisible by 11, and not all zero.
pub fn valid_bsn(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 9 || !b.iter().all(u8::is_ascii_digit) || b.iter().all(|d| *d == b'0') {
        return false;
    }
    let sum: i64 = b
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let d = i64::from(d - b'0');
            if i == 8 {
                -d
            } else {
                d * (9 - i as i64)
            }
        })
        .sum();
    sum % 11 == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_eleven_test_accepts_valid_and_refuses_invalid_numbers() {
        assert!(valid_bsn("111222333"));
        assert!(valid_bsn("123456782"));
        assert!(!valid_bsn("123456789"));
        assert!(!valid_bsn("12345678"));
        assert!(!valid_bsn("000000000"));
        assert!(!valid_bsn("12345678a"));
    }
}
