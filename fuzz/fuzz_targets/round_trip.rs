//! read → write → read: whatever the reader accepts, the writer writes so that it reads back, and from then on the
//! call and its bytes are a fixed point. (The first write may normalise, exactly as Go does: date-times are
//! truncated to milliseconds, a v2 call gains its empty v2 keys.)
#![no_main]
use fn_calls::record::call_from_bytes;
use fn_calls::gojson::call_to_string;
use fn_calls::read::ReadOptions;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some(call) = call_from_bytes(data, ReadOptions::default()).call else { return };
    let text = call_to_string(&call);
    let Some(back) = call_from_bytes(text.as_bytes(), ReadOptions::default()).call else {
        panic!("the writer wrote a call the reader refuses: {text}")
    };
    let again = call_to_string(&back);
    assert_eq!(again, text, "writing is not stable");
    let Some(third) = call_from_bytes(again.as_bytes(), ReadOptions::default()).call else { panic!("{again}") };
    assert_eq!(third, back, "reading back changed the call: {text}");
    // only the documented normalisation may differ from the first reading
    assert_eq!((&back.id, &back.status, &back.stats.len(), &back.env_vars), (&call.id, &call.status, &call.stats.len(), &call.env_vars));
});
