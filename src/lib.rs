#![doc = "Fn Project call records: read, validate, write, check status transitions and filter. The Rust core has no \
          JavaScript in it; `wasm` is the only module that touches wasm-bindgen."]
// A panic in wasm is a trap that can poison the module: library code returns issues instead. Tests may unwrap.
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing,
        clippy::unreachable,
        clippy::todo,
        clippy::unimplemented
    )
)]

pub mod batch;
pub mod datetime;
pub mod error_groups;
pub mod fast_read;
pub mod filter;
pub mod generation;
pub mod glob;
pub mod gojson;
pub mod id;
pub mod index;
pub mod issue;
pub mod json;
pub mod model;
mod order;
pub mod projection;
pub mod query;
pub mod read;
pub mod record;
pub mod scan;
pub mod schema;
pub mod status;
pub mod summary;
pub mod transitions;
pub mod tree;
pub mod view;

#[cfg(target_arch = "wasm32")]
pub mod wasm;
