//! The call records, with the wire's own snake_case keys (`docs/model.md#fields`).
//!
//! These types are what the reader produces and the writer consumes; their TypeScript declarations are generated
//! from them. `uint64` values are `bigint` in JavaScript so that nothing above 2^53 is ever rounded.

use crate::datetime::GoTime;
use crate::generation::GenerationId;
use crate::status::{CallFormat, CallStatus, CallType};
use serde::{Serialize, Serializer};
use std::collections::BTreeMap;
#[cfg(target_arch = "wasm32")]
use tsify::Tsify;

/// One invocation of a function, with every field any generation of the Fn server wrote (`docs/generations.md`).
/// A call object has the keys its generation's Go code writes: `app_name` and `path` until 2018, `app_id`,
/// `fn_id`, `trigger_id` later. Date-times are strings in Go's own format (`2017-11-28T17:21:39.123Z`, or with the
/// offset the server wrote); `0001-01-01T00:00:00.000Z` means "not set".
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(Tsify))]
#[cfg_attr(
    target_arch = "wasm32",
    tsify(hashmap_as_object, large_number_types_as_bigints, missing_as_null)
)]
pub struct Call {
    pub id: String,
    /// `""` occurs in the async queue copy of a call.
    #[serde(serialize_with = "status_or_empty")]
    #[cfg_attr(target_arch = "wasm32", tsify(type = "CallStatus | \"\""))]
    pub status: Option<CallStatus>,
    /// Written until 0.3.391 and again from 0.3.529 (empty in listings of those releases).
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub app_name: String,
    /// Route path; written until 0.3.562 (the v2 era has fns instead of routes).
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub path: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub image: String,
    /// Seconds before queueing.
    #[serde(skip_serializing_if = "is_zero_i32")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub delay: i32,
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub call_type: Option<CallType>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub format: Option<CallFormat>,
    #[serde(skip_serializing_if = "String::is_empty")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub payload: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub url: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub method: String,
    /// 0, 1 or 2. A pointer in Go, so `0` is written when set.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub priority: Option<i32>,
    /// Seconds.
    #[serde(skip_serializing_if = "is_zero_i32")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub timeout: i32,
    /// Seconds.
    #[serde(skip_serializing_if = "is_zero_i32")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub idle_timeout: i32,
    /// Size of the call's tmpfs in MB (`uint32`; from 0.3.457).
    #[serde(skip_serializing_if = "is_zero_u32")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub tmpfs_size: u32,
    /// MB (`uint64` on the wire).
    #[serde(skip_serializing_if = "is_zero_u64")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional, type = "bigint"))]
    pub memory: u64,
    /// CPU limit in millicores; JavaScript sees it as Go writes it, `"100m"` (from 0.3.293; Go also reads `"0.1"`).
    #[serde(skip_serializing_if = "is_zero_u64", serialize_with = "millicores")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional, type = "string"))]
    pub cpus: u64,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    #[cfg_attr(
        target_arch = "wasm32",
        tsify(optional, type = "Record<string, string>")
    )]
    pub base_env: BTreeMap<String, String>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    #[cfg_attr(
        target_arch = "wasm32",
        tsify(optional, type = "Record<string, string>")
    )]
    pub env_vars: BTreeMap<String, String>,
    /// The fn's configuration (from 0.3.278, replacing `base_env`).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    #[cfg_attr(
        target_arch = "wasm32",
        tsify(optional, type = "Record<string, string>")
    )]
    pub config: BTreeMap<String, String>,
    /// Annotations (from 0.3.388): each value is its JSON text, compact and exactly as written (numbers included);
    /// `JSON.parse` it to use it.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    #[cfg_attr(
        target_arch = "wasm32",
        tsify(optional, type = "Record<string, string>")
    )]
    pub annotations: BTreeMap<String, String>,
    /// The request's HTTP headers (from 0.3.278, replacing `env_vars`): each name to its values (`null` for a
    /// nil list, as Go writes it).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    #[cfg_attr(
        target_arch = "wasm32",
        tsify(optional, type = "Record<string, string[] | null>")
    )]
    pub headers: BTreeMap<String, Option<Vec<String>>>,
    /// Where the function's logs went (from 0.3.444).
    #[serde(skip_serializing_if = "String::is_empty")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub syslog_url: String,
    #[cfg_attr(target_arch = "wasm32", tsify(type = "string"))]
    pub completed_at: GoTime,
    #[cfg_attr(target_arch = "wasm32", tsify(type = "string"))]
    pub created_at: GoTime,
    #[cfg_attr(target_arch = "wasm32", tsify(type = "string"))]
    pub started_at: GoTime,
    /// How long the function ran, in nanoseconds (`int64`; from v0.3.719).
    #[serde(skip_serializing_if = "is_zero_i64")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional, type = "bigint"))]
    pub execution_duration: i64,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub stats: Vec<Stat>,
    /// Why the call failed.
    #[serde(skip_serializing_if = "String::is_empty")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub error: String,
    /// From 0.3.392 (always written).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub app_id: Option<String>,
    /// From 0.3.502 (always written).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub fn_id: Option<String>,
    /// From 0.3.502 (always written).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub trigger_id: Option<String>,
    /// The generation whose layout the call is written in (a position in `generation::GENERATIONS`), or `None`
    /// for a record mixing generations (written with every key it has). Not a key of the JSON.
    #[serde(skip)]
    pub generation: Option<GenerationId>,
}

impl Call {
    /// Has a key of the releases since March 2018 (`app_id`, `fn_id` or `trigger_id`).
    pub fn is_v2(&self) -> bool {
        self.app_id.is_some() || self.fn_id.is_some() || self.trigger_id.is_some()
    }

    /// The generation the call was read as; `None` for a call built in code, whose layout `gojson::layout_of` then
    /// picks from its fields (the model of 2017 unless it has a later field).
    pub fn layout_generation(&self) -> Option<GenerationId> {
        self.generation
    }

    /// `completed_at − started_at` in milliseconds, when both are set.
    pub fn duration_ms(&self) -> Option<i64> {
        duration_ms(&self.started_at, &self.completed_at)
    }
}

/// `completed − started` in milliseconds, when both are set.
pub fn duration_ms(started: &GoTime, completed: &GoTime) -> Option<i64> {
    if started.is_zero() || completed.is_zero() {
        return None;
    }
    Some(completed.unix_millis() - started.unix_millis())
}

/// One sample of a call's resource use. Metric values are `uint64` and do exceed 2^53 (Docker's `mem_limit`).
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(Tsify))]
#[cfg_attr(
    target_arch = "wasm32",
    tsify(hashmap_as_object, large_number_types_as_bigints, missing_as_null)
)]
pub struct Stat {
    #[cfg_attr(target_arch = "wasm32", tsify(type = "string"))]
    pub timestamp: GoTime,
    /// `null` when the server had no map (Go writes a nil map as `null`).
    #[cfg_attr(target_arch = "wasm32", tsify(type = "Record<string, bigint> | null"))]
    pub metrics: Option<BTreeMap<String, u64>>,
}

/// The log of one call.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(Tsify))]
pub struct CallLog {
    pub call_id: String,
    pub log: String,
    pub app_name: String,
}

impl Serialize for GoTime {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.format())
    }
}

fn status_or_empty<S: Serializer>(status: &Option<CallStatus>, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(status.map(CallStatus::as_str).unwrap_or(""))
}

fn is_zero_i32(v: &i32) -> bool {
    *v == 0
}

fn is_zero_u64(v: &u64) -> bool {
    *v == 0
}

fn is_zero_u32(v: &u32) -> bool {
    *v == 0
}

fn is_zero_i64(v: &i64) -> bool {
    *v == 0
}

fn millicores<S: Serializer>(v: &u64, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&format!("{v}m"))
}
