#![doc = "Fn Project call records: read, validate, write, check status transitions and filter. The Rust core has no \
          JavaScript in it; `wasm` is the only module that touches wasm-bindgen."]

pub mod batch;
pub mod datetime;
pub mod gojson;
pub mod id;
pub mod issue;
pub mod json;
pub mod model;
pub mod read;
pub mod status;

#[cfg(target_arch = "wasm32")]
pub mod wasm;
