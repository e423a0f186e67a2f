//! Checked arguments: every export that takes bytes, a position or a list of positions converts it here, so each
//! accepts exactly what its TypeScript declaration says and anything else is a `TypeError` (a value of the wrong
//! kind) or a `RangeError` (a number outside what the call can take) naming the argument. Nothing is wrapped modulo
//! 2^32 or read as zero bytes.

use js_sys::{ArrayBuffer, DataView, Number, Uint32Array, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// What a value is, for a message: `a string`, `null`, `a Uint16Array`… (never the value itself, which may be huge).
pub(crate) fn kind_of(value: &JsValue) -> String {
    if value.is_undefined() {
        return "undefined".into();
    }
    if value.is_null() {
        return "null".into();
    }
    if value.is_string() {
        return "a string".into();
    }
    if let Some(n) = value.as_f64() {
        return format!("the number {}", number_text(n));
    }
    if value.is_bigint() {
        return "a bigint".into();
    }
    if value.as_bool().is_some() {
        return "a boolean".into();
    }
    if value.is_symbol() {
        return "a symbol".into();
    }
    if value.is_function() {
        return "a function".into();
    }
    if js_sys::Array::is_array(value) {
        return "an array".into();
    }
    let name = js_sys::Reflect::get(value, &"constructor".into())
        .ok()
        .and_then(|c| js_sys::Reflect::get(&c, &"name".into()).ok())
        .and_then(|n| n.as_string())
        .filter(|n| !n.is_empty() && n != "Object");
    match name {
        Some(n) => {
            let article = if n.starts_with(['A', 'E', 'I', 'O', 'U']) {
                "an"
            } else {
                "a"
            };
            format!("{article} {n}")
        }
        None => "an object".into(),
    }
}

/// A JS number as Rust's `Display` writes an `f64` (`1.5`, `0.0000001`, `NaN`, `inf`), from JavaScript's own
/// shortest digits: Rust's float formatting would add some 16 KB to the wasm module for a few messages.
pub(crate) fn number_text(n: f64) -> String {
    if n.is_nan() {
        return "NaN".into();
    }
    if n.is_infinite() {
        return if n > 0.0 { "inf" } else { "-inf" }.into();
    }
    if n == 0.0 {
        return if n.is_sign_negative() { "-0" } else { "0" }.into();
    }
    let shortest = Number::from(n)
        .to_string_with_radix(10)
        .map(String::from)
        .unwrap_or_default();
    crate::json::plain_decimal(&shortest)
}

fn type_error(message: String) -> JsValue {
    js_sys::TypeError::new(&message).into()
}

fn range_error(message: String) -> JsValue {
    js_sys::RangeError::new(&message).into()
}

/// A view of the bytes of a `Uint8Array` (a Node `Buffer` is one), an `ArrayBuffer` or a `DataView`, without a copy;
/// `None` for anything else.
pub(crate) fn byte_view(value: &JsValue) -> Option<Uint8Array> {
    if let Some(bytes) = value.dyn_ref::<Uint8Array>() {
        return Some(bytes.clone());
    }
    if let Some(buffer) = value.dyn_ref::<ArrayBuffer>() {
        return Some(Uint8Array::new(buffer));
    }
    if let Some(view) = value.dyn_ref::<DataView>() {
        return Some(Uint8Array::new_with_byte_offset_and_length(
            &view.buffer(),
            view.byte_offset() as u32,
            view.byte_length() as u32,
        ));
    }
    None
}

/// A byte argument (`who`: the function and argument, for the message).
pub(crate) fn bytes_arg(value: &JsValue, who: &str) -> Result<Uint8Array, JsValue> {
    byte_view(value).ok_or_else(|| {
        type_error(format!(
            "{who} must be a Uint8Array, an ArrayBuffer or a DataView (the UTF-8 bytes of the input), not {}",
            kind_of(value)
        ))
    })
}

/// A whole number (a JS `number` that is an integer), or a `TypeError`/`RangeError`.
fn whole_number(value: &JsValue, who: &str) -> Result<f64, JsValue> {
    let Some(n) = value.as_f64() else {
        return Err(type_error(format!(
            "{who} must be a number, not {}",
            kind_of(value)
        )));
    };
    if !Number::is_integer(value) {
        return Err(range_error(format!(
            "{who} must be a whole number, not {}",
            number_text(n)
        )));
    }
    Ok(n)
}

/// A position in something of length `len`: a whole number with `0 <= i < len`.
pub(crate) fn position_arg(value: &JsValue, len: usize, who: &str) -> Result<usize, JsValue> {
    let n = whole_number(value, who)?;
    if n < 0.0 || n >= len as f64 {
        return Err(range_error(format!(
            "{who}: position {} is outside the index (length {len})",
            number_text(n)
        )));
    }
    Ok(n as usize)
}

/// A bound of a range over something of length `len` (`slice`, `rows`): absent gives `default`; else a whole
/// number `>= 0`, clamped to `len`.
pub(crate) fn bound_arg(
    value: Option<&JsValue>,
    len: usize,
    default: usize,
    who: &str,
) -> Result<usize, JsValue> {
    let Some(value) = value.filter(|v| !v.is_undefined() && !v.is_null()) else {
        return Ok(default.min(len));
    };
    let n = whole_number(value, who)?;
    if n < 0.0 {
        return Err(range_error(format!(
            "{who} must be 0 or more, not {} (positions do not count from the end)",
            number_text(n)
        )));
    }
    Ok(if n >= len as f64 { len } else { n as usize })
}

/// Positions in something of length `len` (`summarize`, `errorGroups`): absent gives `None` (all); else a
/// `Uint32Array` or an array of whole numbers, each `< len` and none twice, so the list is never longer than `len`.
pub(crate) fn positions_arg(
    value: Option<&JsValue>,
    len: usize,
    who: &str,
) -> Result<Option<Vec<u32>>, JsValue> {
    let Some(value) = value.filter(|v| !v.is_undefined() && !v.is_null()) else {
        return Ok(None);
    };
    let count = if let Some(a) = value.dyn_ref::<Uint32Array>() {
        a.length() as usize
    } else if let Some(a) = value.dyn_ref::<js_sys::Array>() {
        a.length() as usize
    } else {
        return Err(type_error(format!(
            "{who} must be a Uint32Array or an array of positions, not {}",
            kind_of(value)
        )));
    };
    if count > len {
        return Err(range_error(format!(
            "{who}: {count} positions for an index of {len} calls (each position may appear once)"
        )));
    }
    let positions: Vec<u32> = if let Some(a) = value.dyn_ref::<Uint32Array>() {
        a.to_vec()
    } else {
        let mut out = Vec::with_capacity(count);
        let items: &js_sys::Array = value.unchecked_ref();
        for (k, item) in items.iter().enumerate() {
            let n = whole_number(&item, &format!("{who}[{k}]"))?;
            if n < 0.0 || n >= len as f64 {
                return Err(range_error(format!(
                    "{who}[{k}]: position {} is outside the index (length {len})",
                    number_text(n)
                )));
            }
            out.push(n as u32);
        }
        out
    };
    let mut seen = vec![false; len];
    for (k, p) in positions.iter().enumerate() {
        match seen.get_mut(*p as usize) {
            None => {
                return Err(range_error(format!(
                    "{who}[{k}]: position {p} is outside the index (length {len})"
                )))
            }
            Some(true) => {
                return Err(range_error(format!(
                    "{who}[{k}]: position {p} appears twice"
                )))
            }
            Some(slot) => *slot = true,
        }
    }
    Ok(Some(positions))
}

/// `options.max_record_bytes`: a whole number of bytes from 1 to 64 MiB. The full reader's tree of a record can
/// take some 35 times its text (`{"a":[0,0,0,…]}`), so past 64 MiB one record could exhaust wasm's 4 GiB.
pub(crate) fn max_record_bytes_arg(value: &JsValue) -> Result<usize, JsValue> {
    const MOST: usize = crate::scan::MOST_MAX_RECORD_BYTES;
    let who = "options.max_record_bytes";
    let n = whole_number(value, who)?;
    if !(1.0..=MOST as f64).contains(&n) {
        return Err(range_error(format!(
            "{who} must be from 1 to {MOST} bytes, not {}",
            number_text(n)
        )));
    }
    Ok(n as usize)
}
