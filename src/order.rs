//! The one text sort of the crate. Every ordering by text (the listing's newest-id-first, the call index's rows)
//! goes through [`descending`], so the standard library's sort is compiled once for it rather than
//! once for each element type and comparison (each copy is several KB of wasm).

use std::cmp::Reverse;

/// The positions of `keys`, largest key first; equal keys keep their input order (the position breaks the tie, so the
/// order is total and the unstable sort gives what a stable one would).
pub(crate) fn descending<'k>(keys: impl Iterator<Item = &'k str>) -> Vec<usize> {
    let mut keyed: Vec<(Reverse<&str>, usize)> =
        keys.enumerate().map(|(i, k)| (Reverse(k), i)).collect();
    keyed.sort_unstable();
    keyed.into_iter().map(|(_, i)| i).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn largest_first_and_equal_keys_in_input_order() {
        let keys = ["b", "a", "c", "b", "", "c"];
        assert_eq!(descending(keys.into_iter()), [2, 5, 0, 3, 1, 4]);
        assert_eq!(descending(std::iter::empty()), Vec::<usize>::new());
    }

    #[test]
    fn compares_bytes_not_lengths() {
        // "10" < "9" as text: ids are compared as the server compares them, byte by byte.
        assert_eq!(descending(["10", "9", "100"].into_iter()), [1, 2, 0]);
    }
}
