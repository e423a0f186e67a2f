//! The status transition exports: convert, delegate to `crate::transitions`, convert back.
//!
//! Predicates (`isStatus`, `canTransition`, `isTerminal`, `nextStatuses`) answer anything that is not one of the
//! seven status strings with `false` / `[]`; validators (`checkTransition`, `validateHistory`) report an unknown status
//! string as an issue and throw a `TypeError` for a value that is not a string at all. Bad options throw a
//! `TypeError` everywhere.

use super::{
    mode_option, read_input, to_js, type_error, type_name, validation_error, Input, IssueList,
};
use crate::issue::Issue;
use crate::model::Call;
use crate::read::ReadOptions;
use crate::record::{self, CallOutcome};
use crate::status::{CallStatus, Mode};
use crate::transitions::{self, TransitionCode, TransitionGraph, MODES};
use js_sys::Array;
use serde::Serialize;
use tsify::{Ts, Tsify};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// Options of the transition checks, read like every other export's: only `mode`, anything else is a `TypeError`.
#[derive(Debug, Clone, Default, Tsify)]
pub struct TransitionOptions {
    /// `"observed"` (default): the diagram plus `running → timeout`, and a history may start at any status.
    /// `"strict"`: exactly the drawn edges; `timeout` is not a status.
    #[serde(default)]
    #[tsify(optional)]
    pub mode: Option<Mode>,
}

fn mode_of(options: Option<Ts<TransitionOptions>>) -> Result<Mode, JsValue> {
    options.map_or(Ok(Mode::default()), |o| mode_option(&o.js_value()))
}

fn status_of(value: &JsValue) -> Option<CallStatus> {
    value.as_string().and_then(|s| CallStatus::parse(&s))
}

fn text_of(value: &JsValue, name: &str) -> Result<String, JsValue> {
    value.as_string().ok_or_else(|| {
        type_error(&format!(
            "{name} must be a status string, got {}",
            type_name(value)
        ))
    })
}

/// Statuses, in lifecycle order.
#[derive(Serialize, Tsify)]
pub struct StatusList(pub Vec<CallStatus>);

/// The seven statuses in lifecycle order (`timeout`, written by real servers but not declared, last). The package
/// also exports this as the constant `STATUSES`.
#[wasm_bindgen]
pub fn statuses() -> Result<Ts<StatusList>, JsValue> {
    to_js(&StatusList(CallStatus::ALL.to_vec()))
}

/// `value` is one of the seven status strings.
#[wasm_bindgen(js_name = isStatus, unchecked_return_type = "value is CallStatus")]
pub fn is_status(#[wasm_bindgen(unchecked_param_type = "unknown")] value: JsValue) -> bool {
    status_of(&value).is_some()
}

/// `from → to` is an edge of the mode's diagram. `false` for the same status twice and for anything that is not a
/// status string; throws a `TypeError` only for bad options.
#[wasm_bindgen(js_name = canTransition)]
pub fn can_transition(
    #[wasm_bindgen(unchecked_param_type = "string")] from: JsValue,
    #[wasm_bindgen(unchecked_param_type = "string")] to: JsValue,
    options: Option<Ts<TransitionOptions>>,
) -> Result<bool, JsValue> {
    let mode = mode_of(options)?;
    Ok(match (status_of(&from), status_of(&to)) {
        (Some(f), Some(t)) => transitions::can_transition(f, t, mode),
        _ => false,
    })
}

/// The statuses reachable from `from` in one step, in lifecycle order; `[]` for a final status or a non-status.
#[wasm_bindgen(js_name = nextStatuses)]
pub fn next_statuses(
    #[wasm_bindgen(unchecked_param_type = "string")] from: JsValue,
    options: Option<Ts<TransitionOptions>>,
) -> Result<Ts<StatusList>, JsValue> {
    let mode = mode_of(options)?;
    let next = status_of(&from)
        .map(|f| transitions::next_statuses(f, mode))
        .unwrap_or_default();
    to_js(&StatusList(next))
}

/// Where a new call starts: `["delayed", "queued"]` in both modes.
#[wasm_bindgen(js_name = initialStatuses)]
pub fn initial_statuses(options: Option<Ts<TransitionOptions>>) -> Result<Ts<StatusList>, JsValue> {
    to_js(&StatusList(transitions::initial_statuses(mode_of(
        options,
    )?)))
}

/// No transition leaves the status (`success`, `error`, `cancelled`, `timeout`). `false` for a non-status.
#[wasm_bindgen(js_name = isTerminal)]
pub fn is_terminal(#[wasm_bindgen(unchecked_param_type = "string")] status: JsValue) -> bool {
    status_of(&status).is_some_and(transitions::is_terminal)
}

/// The answer of `checkTransition`: `{ ok: true }` or why not.
#[derive(Serialize, Tsify)]
#[serde(untagged)]
pub enum TransitionCheck {
    Allowed(TransitionAllowed),
    Refused(TransitionRefused),
}

#[derive(Serialize, Tsify)]
pub struct TransitionAllowed {
    #[tsify(type = "true")]
    pub ok: bool,
}

#[derive(Serialize, Tsify)]
pub struct TransitionRefused {
    #[tsify(type = "false")]
    pub ok: bool,
    pub code: TransitionCode,
    /// Says in words why, e.g. that `cancelled` is reachable only from `running`.
    pub message: String,
}

/// `{ ok: true }` exactly when `canTransition` is true, else `{ ok: false, code, message }`. Throws a `TypeError`
/// when `from` or `to` is not a string.
#[wasm_bindgen(js_name = checkTransition)]
pub fn check_transition(
    #[wasm_bindgen(unchecked_param_type = "string")] from: JsValue,
    #[wasm_bindgen(unchecked_param_type = "string")] to: JsValue,
    options: Option<Ts<TransitionOptions>>,
) -> Result<Ts<TransitionCheck>, JsValue> {
    let mode = mode_of(options)?;
    let (from, to) = (text_of(&from, "from")?, text_of(&to, "to")?);
    let result = match transitions::check_transition_names(&from, &to, mode) {
        Ok(()) => TransitionCheck::Allowed(TransitionAllowed { ok: true }),
        Err(e) => TransitionCheck::Refused(TransitionRefused {
            ok: false,
            code: e.code,
            message: e.message,
        }),
    };
    to_js(&result)
}

/// Issues of the statuses one call went through, oldest first; `path` `"/3"` is the fourth. Repeats are fine; the
/// first status must be one a new call starts in (`delayed`, `queued`) except in the observed mode, where it may be
/// any status. Throws a `TypeError` when `statuses` is not an array of strings.
#[wasm_bindgen(js_name = validateHistory)]
pub fn validate_history(
    #[wasm_bindgen(unchecked_param_type = "readonly string[]")] statuses: JsValue,
    options: Option<Ts<TransitionOptions>>,
) -> Result<Ts<IssueList>, JsValue> {
    let mode = mode_of(options)?;
    let array: &Array = statuses
        .dyn_ref()
        .ok_or_else(|| type_error("statuses must be an array of status strings"))?;
    let texts = array
        .iter()
        .enumerate()
        .map(|(i, v)| text_of(&v, &format!("statuses[{i}]")))
        .collect::<Result<Vec<String>, JsValue>>()?;
    to_js(&IssueList(transitions::validate_history(&texts, mode)))
}

/// A snapshot is read in the observed mode whatever the check's mode, so that a strict check reports `timeout` or
/// `""` as an issue of the update instead of refusing to read the call.
fn read_snapshot(value: &JsValue, which: &str) -> Result<Call, JsValue> {
    let opts = ReadOptions {
        mode: Mode::Observed,
    };
    let outcome = match read_input(value) {
        Ok(Input::Bytes(bytes)) => record::call_from_bytes(&bytes, opts),
        Ok(Input::Tree(node, mut issues)) => {
            let mut outcome = record::call_from_tree(&node, opts, false);
            issues.append(&mut outcome.issues);
            let call = outcome.call.filter(|_| !issues.iter().any(Issue::is_error));
            CallOutcome { call, issues }
        }
        Err(issues) => CallOutcome { call: None, issues },
    };
    outcome.call.ok_or_else(|| {
        let err = validation_error(&outcome.issues);
        if let Some(e) = err.dyn_ref::<js_sys::Error>() {
            e.set_message(&format!("{which}: {}", String::from(e.message())));
        }
        err
    })
}

/// Issues of an update between two snapshots of one call (each a `Call`, JSON text or bytes, as `parseCall` takes):
/// the same id, a legal status edge or none, times set once and in order, `completed_at` set exactly when the call
/// becomes final, `error` text only with status `error`. Paths point into `after`. Throws a `CallValidationError`
/// (message prefixed `before:` or `after:`) when a snapshot is not a call.
#[wasm_bindgen(js_name = checkCallUpdate)]
pub fn check_call_update(
    #[wasm_bindgen(unchecked_param_type = "Call | CallInput")] before: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Call | CallInput")] after: JsValue,
    options: Option<Ts<TransitionOptions>>,
) -> Result<Ts<IssueList>, JsValue> {
    let mode = mode_of(options)?;
    let before = read_snapshot(&before, "before")?;
    let after = read_snapshot(&after, "after")?;
    to_js(&IssueList(transitions::check_call_update(
        &before, &after, mode,
    )))
}

/// The diagram as plain data, for drawing it: nodes in lifecycle order, edges (`from: null` is a new call) with the
/// modes each belongs to. The default (observed) graph holds everything; `{ mode: "strict" }` leaves out `timeout`.
#[wasm_bindgen(js_name = transitionGraph)]
pub fn transition_graph(
    options: Option<Ts<TransitionOptions>>,
) -> Result<Ts<TransitionGraph>, JsValue> {
    to_js(&transitions::transition_graph(mode_of(options)?))
}

/// The whole table as numbers, for code that answers `canTransition` without crossing into wasm (the package's own
/// `canTransition` does): `allowed[(m * 7 + from) * 7 + to]` is 1 when `statuses[from] → statuses[to]` is an edge in
/// mode `modes[m]`; `modes[0]` is the default.
#[derive(Serialize, Tsify)]
pub struct TransitionTable {
    pub statuses: Vec<CallStatus>,
    pub modes: Vec<Mode>,
    pub allowed: Vec<u8>,
}

#[wasm_bindgen(js_name = transitionTable)]
pub fn transition_table() -> Result<Ts<TransitionTable>, JsValue> {
    to_js(&TransitionTable {
        statuses: CallStatus::ALL.to_vec(),
        modes: MODES.to_vec(),
        allowed: transitions::transition_matrix(),
    })
}
