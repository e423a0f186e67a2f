//! The shared wasm tests, run under Node by wasm-bindgen-test-runner.
#![cfg(target_arch = "wasm32")]
mod common;
