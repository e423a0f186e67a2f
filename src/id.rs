//! Call IDs: 26 characters of Crockford base32 encoding 16 bytes, the first 48 bits being the creation time in Unix
//! milliseconds (`docs/model.md#call-ids`).

const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// Why an ID is not in the server's format.
pub fn check_id(id: &str) -> Result<(), String> {
    if id.is_empty() {
        return Err("the call has no id".to_string());
    }
    if id.len() == 36 && id.bytes().filter(|b| *b == b'-').count() == 4 {
        return Err(format!("'{id}' is a UUID; Fn servers write 26-character ULID-style ids (UUIDs appear only in old documentation)"));
    }
    if id.len() != 26 {
        return Err(format!(
            "'{id}' has {} characters; a call id has 26",
            id.chars().count()
        ));
    }
    if let Some(c) = id.chars().find(|c| digit(*c).is_none()) {
        return Err(format!(
            "'{id}' contains '{c}', which is not in the id alphabet 0-9 A-Z without I, L, O, U"
        ));
    }
    if !matches!(id.as_bytes().first(), Some(b'0'..=b'7')) {
        return Err(format!(
            "'{id}' starts above '7', so it encodes more than 128 bits"
        ));
    }
    Ok(())
}

fn digit(c: char) -> Option<u64> {
    let up = c.to_ascii_uppercase() as u32;
    ALPHABET
        .iter()
        .position(|a| u32::from(*a) == up)
        .map(|p| p as u64)
}

/// The creation time embedded in a valid ID, in Unix milliseconds.
pub fn id_time_millis(id: &str) -> Option<i64> {
    check_id(id).ok()?;
    let mut v: u64 = 0;
    for c in id.chars().take(10) {
        v = (v << 5) | digit(c)?;
    }
    // 10 characters carry 50 bits; the top two are always zero for a valid 128-bit id.
    i64::try_from(v).ok()
}

// v2 listings write their cursors (the last id) in base64url.

const B64URL: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Base64url without padding (Go's `base64.RawURLEncoding`), as v2 servers write cursors.
pub fn base64url_encode(text: &str) -> String {
    let b = text.as_bytes();
    let mut out = String::with_capacity(b.len().div_ceil(3) * 4);
    for chunk in b.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, &x)| n | (u32::from(x) << (16 - 8 * i)));
        for i in 0..=chunk.len() {
            let idx = ((n >> (18 - 6 * i)) & 63) as usize;
            if let Some(&c) = B64URL.get(idx) {
                out.push(char::from(c));
            }
        }
    }
    out
}

/// The text of a base64url string without padding, as Go's `RawURLEncoding` decodes it (strict: no padding, no
/// other alphabet, no stray bits), when it is UTF-8.
pub fn base64url_decode(s: &str) -> Option<String> {
    if s.len() % 4 == 1 {
        return None;
    }
    let mut bytes = Vec::with_capacity(s.len() * 3 / 4);
    let mut acc = 0u32;
    let mut bits = 0;
    for c in s.bytes() {
        let v = B64URL.iter().position(|&x| x == c)? as u32;
        acc = (acc << 6) | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            bytes.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    if acc != 0 {
        return None; // stray bits: Go refuses them
    }
    String::from_utf8(bytes).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_embedded_time() {
        // created_at 2017-11-28T17:21:39.123Z in the fixtures
        assert_eq!(
            id_time_millis("01C01TC09K47WGE00000000000"),
            Some(1_511_889_699_123)
        );
        assert_eq!(
            id_time_millis("01c01tc09k47wge00000000000"),
            Some(1_511_889_699_123)
        );
        assert_eq!(id_time_millis("not an id"), None);
    }

    #[test]
    fn explains_bad_ids() {
        assert!(check_id("01C01TC09K47WGE00000000000").is_ok());
        assert!(check_id("f5621e8b-725a-4ba9-8323-b8cdc02ce37e")
            .unwrap_err()
            .contains("UUID"));
        assert!(check_id("01C01TC09K47WGE0000000000I")
            .unwrap_err()
            .contains("'I'"));
        assert!(check_id("81C01TC09K47WGE00000000000")
            .unwrap_err()
            .contains("above '7'"));
        assert!(check_id("").is_err());
        assert!(check_id("01C01").unwrap_err().contains("5 characters"));
    }
}
