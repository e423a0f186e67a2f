//! Which status may follow which (`docs/transitions.md#the-diagram`). [`TABLE`] is the only place the diagram lives: every
//! answer here, the JavaScript fast path's matrix and the graph a UI draws are derived from it.
//!
//! Two views, as everywhere in this crate: `strict` is exactly the edges drawn in the model's diagram; `observed`
//! adds what real servers did (`running → timeout`) and accepts a recorded history that starts at any status, since
//! the server stored a call only once, when it ended.

use crate::issue::{Issue, IssueCode, Severity};
use crate::model::Call;
use crate::status::{CallStatus, Mode};
use serde::Serialize;
use std::cmp::Ordering;
#[cfg(target_arch = "wasm32")]
use tsify::Tsify;

/// Which views an edge belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EdgeKind {
    /// Drawn in the model's diagram: part of both modes.
    Drawn,
    /// Done by real servers but not drawn: the observed mode only.
    Observed,
}

impl EdgeKind {
    pub fn in_mode(self, mode: Mode) -> bool {
        match self {
            EdgeKind::Drawn => true,
            EdgeKind::Observed => mode == Mode::Observed,
        }
    }

    /// The modes the edge is part of, in [`MODES`] order.
    pub fn modes(self) -> Vec<Mode> {
        MODES.into_iter().filter(|m| self.in_mode(*m)).collect()
    }
}

/// One arrow of the diagram.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Edge {
    /// `None`: a new call, before it has any status.
    pub from: Option<CallStatus>,
    pub to: CallStatus,
    pub kind: EdgeKind,
}

const fn edge(from: Option<CallStatus>, to: CallStatus, kind: EdgeKind) -> Edge {
    Edge { from, to, kind }
}

/// The transition table. A retry is not here: the diagram's dotted path from the final statuses back to
/// queued/delayed is labelled "creates new call".
pub const TABLE: [Edge; 8] = [
    edge(None, CallStatus::Delayed, EdgeKind::Drawn),
    edge(None, CallStatus::Queued, EdgeKind::Drawn),
    edge(
        Some(CallStatus::Delayed),
        CallStatus::Queued,
        EdgeKind::Drawn,
    ),
    edge(
        Some(CallStatus::Queued),
        CallStatus::Running,
        EdgeKind::Drawn,
    ),
    edge(
        Some(CallStatus::Running),
        CallStatus::Success,
        EdgeKind::Drawn,
    ),
    edge(
        Some(CallStatus::Running),
        CallStatus::Error,
        EdgeKind::Drawn,
    ),
    edge(
        Some(CallStatus::Running),
        CallStatus::Cancelled,
        EdgeKind::Drawn,
    ),
    edge(
        Some(CallStatus::Running),
        CallStatus::Timeout,
        EdgeKind::Observed,
    ),
];

/// Both modes; the first is the default. This order is the mode axis of [`transition_matrix`].
pub const MODES: [Mode; 2] = [Mode::Observed, Mode::Strict];

fn edges(mode: Mode) -> impl Iterator<Item = &'static Edge> {
    TABLE.iter().filter(move |e| e.kind.in_mode(mode))
}

/// `from → to` is an edge of the mode. Staying in the same status is not a transition.
pub fn can_transition(from: CallStatus, to: CallStatus, mode: Mode) -> bool {
    edges(mode).any(|e| e.from == Some(from) && e.to == to)
}

/// A new call may start in this status.
pub fn can_start(status: CallStatus, mode: Mode) -> bool {
    edges(mode).any(|e| e.from.is_none() && e.to == status)
}

/// The statuses reachable from `from` in one step, in lifecycle order.
pub fn next_statuses(from: CallStatus, mode: Mode) -> Vec<CallStatus> {
    CallStatus::ALL
        .into_iter()
        .filter(|to| can_transition(from, *to, mode))
        .collect()
}

/// The statuses `to` is reachable from in one step, in lifecycle order (a new call not included).
pub fn previous_statuses(to: CallStatus, mode: Mode) -> Vec<CallStatus> {
    CallStatus::ALL
        .into_iter()
        .filter(|from| can_transition(*from, to, mode))
        .collect()
}

/// Where a new call starts, in lifecycle order. The same in both modes: the observed mode's leniency about a
/// history's first status is about records seen late, not about where calls begin.
pub fn initial_statuses(mode: Mode) -> Vec<CallStatus> {
    CallStatus::ALL
        .into_iter()
        .filter(|s| can_start(*s, mode))
        .collect()
}

/// No edge leaves it, in any mode.
pub fn is_terminal(status: CallStatus) -> bool {
    !TABLE.iter().any(|e| e.from == Some(status))
}

/// The status is part of the mode's graph (some edge of the mode reaches it). `timeout` is not part of `strict`.
pub fn in_mode(status: CallStatus, mode: Mode) -> bool {
    edges(mode).any(|e| e.to == status)
}

/// Byte `(m * 7 + from) * 7 + to` is 1 when `from → to` is allowed in mode `MODES[m]`, else 0; statuses indexed in
/// [`CallStatus::ALL`] order. What the JavaScript fast path of `canTransition` reads.
pub fn transition_matrix() -> Vec<u8> {
    let mut out = Vec::with_capacity(MODES.len() * CallStatus::ALL.len() * CallStatus::ALL.len());
    for mode in MODES {
        for from in CallStatus::ALL {
            for to in CallStatus::ALL {
                out.push(u8::from(can_transition(from, to, mode)));
            }
        }
    }
    out
}

/// Why a transition, a history step or an update is refused. Every code is reported with severity `error`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(Tsify))]
#[serde(rename_all = "snake_case")]
pub enum TransitionCode {
    /// Not one of the seven statuses.
    UnknownStatus,
    /// Strict mode only: `timeout` (or an empty status) is not a declared status.
    UndeclaredStatus,
    /// `from` and `to` are the same status: nothing moved (`checkTransition` only; histories and updates allow it).
    Unchanged,
    /// `from` is final: nothing follows it, and a retry creates a new call.
    FromTerminal,
    /// `to` comes later, but not directly: statuses in between are skipped.
    SkipsStatus,
    /// `to` comes before `from`: statuses never go back.
    GoesBack,
    /// Any other pair that is not an edge.
    IllegalTransition,
    /// Strict mode: a history (or a call without a status yet) starts somewhere a new call cannot start.
    NotInitial,
    /// The status went back to `""` (none) after having one.
    StatusCleared,
}

impl TransitionCode {
    pub fn as_str(self) -> &'static str {
        IssueCode::from(self).as_str()
    }
}

impl From<TransitionCode> for IssueCode {
    fn from(code: TransitionCode) -> IssueCode {
        match code {
            TransitionCode::UnknownStatus => IssueCode::UnknownStatus,
            TransitionCode::UndeclaredStatus => IssueCode::UndeclaredStatus,
            TransitionCode::Unchanged => IssueCode::Unchanged,
            TransitionCode::FromTerminal => IssueCode::FromTerminal,
            TransitionCode::SkipsStatus => IssueCode::SkipsStatus,
            TransitionCode::GoesBack => IssueCode::GoesBack,
            TransitionCode::IllegalTransition => IssueCode::IllegalTransition,
            TransitionCode::NotInitial => IssueCode::NotInitial,
            TransitionCode::StatusCleared => IssueCode::StatusCleared,
        }
    }
}

/// A refused transition: a stable code and a sentence that says why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransitionError {
    pub code: TransitionCode,
    pub message: String,
}

impl TransitionError {
    fn new(code: TransitionCode, message: String) -> TransitionError {
        TransitionError { code, message }
    }

    fn into_issue(self, path: &str) -> Issue {
        Issue::new(Severity::Error, self.code.into(), path, self.message)
    }
}

fn quoted(s: CallStatus) -> String {
    format!("'{}'", s.as_str())
}

/// `'a'`, `'a' or 'b'`, `'a', 'b' or 'c'`.
fn one_of(statuses: &[CallStatus]) -> String {
    let names: Vec<String> = statuses.iter().map(|s| quoted(*s)).collect();
    match names.split_last() {
        None => "nothing".to_string(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
    }
}

fn arrows(path: &[CallStatus]) -> String {
    path.iter()
        .map(|s| s.as_str())
        .collect::<Vec<_>>()
        .join(" → ")
}

/// The shortest chain of edges from `from` to `to` in the mode (both ends included).
fn route(from: CallStatus, to: CallStatus, mode: Mode) -> Option<Vec<CallStatus>> {
    let mut frontier = vec![vec![from]];
    let mut seen = vec![from];
    while !frontier.is_empty() {
        let mut next = Vec::new();
        for path in &frontier {
            let Some(&last) = path.last() else { continue };
            for s in next_statuses(last, mode) {
                if seen.contains(&s) {
                    continue;
                }
                let mut longer = path.clone();
                longer.push(s);
                if s == to {
                    return Some(longer);
                }
                seen.push(s);
                next.push(longer);
            }
        }
        frontier = next;
    }
    None
}

/// "'cancelled' is reachable only from 'running'", "'queued' is reachable only from 'delayed' or as a new call's
/// first status".
fn reachable_only_from(to: CallStatus, mode: Mode) -> String {
    let from = previous_statuses(to, mode);
    let start = can_start(to, mode);
    match (from.is_empty(), start) {
        (true, true) => format!("{} is only ever a new call's first status", quoted(to)),
        (true, false) => format!(
            "no call reaches {} in the {} mode",
            quoted(to),
            mode_name(mode)
        ),
        (false, true) => {
            format!(
                "{} is reachable only from {} or as a new call's first status",
                quoted(to),
                one_of(&from)
            )
        }
        (false, false) => format!("{} is reachable only from {}", quoted(to), one_of(&from)),
    }
}

fn mode_name(mode: Mode) -> &'static str {
    match mode {
        Mode::Observed => "observed",
        Mode::Strict => "strict",
    }
}

fn undeclared(status: CallStatus, mode: Mode) -> TransitionError {
    let extra: Vec<String> = TABLE
        .iter()
        .filter(|e| e.to == status && !e.kind.in_mode(mode))
        .map(|e| match e.from {
            Some(f) => format!("{} → {}", f.as_str(), e.to.as_str()),
            None => format!("(new) → {}", e.to.as_str()),
        })
        .collect();
    let hint = if extra.is_empty() {
        String::new()
    } else {
        format!("; the observed mode adds {}", extra.join(", "))
    };
    TransitionError::new(
        TransitionCode::UndeclaredStatus,
        format!(
            "{} is not a declared status: real servers write it, but no drawn edge reaches it{hint}",
            quoted(status)
        ),
    )
}

fn undeclared_empty() -> TransitionError {
    TransitionError::new(
        TransitionCode::UndeclaredStatus,
        "an empty status is not a declared status; the observed mode accepts it as a call that has none yet (the async \
         queue copy)"
            .to_string(),
    )
}

fn unknown(text: &str) -> TransitionError {
    let all: Vec<CallStatus> = CallStatus::ALL.to_vec();
    let hint = if CallStatus::parse(&text.to_ascii_lowercase()).is_some() {
        " (statuses are lower case)"
    } else {
        ""
    };
    TransitionError::new(
        TransitionCode::UnknownStatus,
        format!(
            "'{text}' is not a call status{hint}; the statuses are {}",
            one_of(&all)
        ),
    )
}

/// Checks `from → to`: `Ok` exactly when [`can_transition`] is true, otherwise the most telling reason.
pub fn check_transition(
    from: CallStatus,
    to: CallStatus,
    mode: Mode,
) -> Result<(), TransitionError> {
    for s in [from, to] {
        if !in_mode(s, mode) {
            return Err(undeclared(s, mode));
        }
    }
    if can_transition(from, to, mode) {
        return Ok(());
    }
    let (f, t) = (from.as_str(), to.as_str());
    if from == to {
        return Err(TransitionError::new(
            TransitionCode::Unchanged,
            format!("{f} → {t} is not a transition: the status does not change"),
        ));
    }
    if is_terminal(from) {
        return Err(TransitionError::new(
            TransitionCode::FromTerminal,
            format!(
                "{f} → {t} is not a transition: {} is final and nothing follows it; a retry creates a new call rather \
                 than moving a finished one",
                quoted(from)
            ),
        ));
    }
    let why = reachable_only_from(to, mode);
    if let Some(path) = route(from, to, mode) {
        return Err(TransitionError::new(
            TransitionCode::SkipsStatus,
            format!(
                "{f} → {t} skips a step: {why}, so the call goes {}",
                arrows(&path)
            ),
        ));
    }
    if let Some(path) = route(to, from, mode) {
        return Err(TransitionError::new(
            TransitionCode::GoesBack,
            format!(
                "{f} → {t} goes back: {why}, and statuses never return ({})",
                arrows(&path)
            ),
        ));
    }
    let next = next_statuses(from, mode);
    Err(TransitionError::new(
        TransitionCode::IllegalTransition,
        format!(
            "{f} → {t} is not a transition: {why}; from {} the call goes to {}",
            quoted(from),
            one_of(&next)
        ),
    ))
}

/// [`check_transition`] on status names as a caller wrote them; unknown names are reported, `from` first.
pub fn check_transition_names(from: &str, to: &str, mode: Mode) -> Result<(), TransitionError> {
    let from = CallStatus::parse(from).ok_or_else(|| unknown(from))?;
    let to = CallStatus::parse(to).ok_or_else(|| unknown(to))?;
    check_transition(from, to, mode)
}

/// One step of a recorded history or of an update, where `None` is the empty status (a call that has none yet) and
/// staying put is fine. From `None` the next status must be one a new call starts in, except in the observed mode,
/// where the first status seen may be any: the server stored a call only when it ended.
fn check_step(
    prev: Option<CallStatus>,
    next: Option<CallStatus>,
    mode: Mode,
) -> Result<(), TransitionError> {
    match (prev, next) {
        (None, None) => Ok(()),
        (Some(p), None) => Err(TransitionError::new(
            TransitionCode::StatusCleared,
            format!(
                "the status went from {} back to none (''): a call never loses its status",
                quoted(p)
            ),
        )),
        (None, Some(n)) => {
            if mode == Mode::Observed || can_start(n, mode) {
                Ok(())
            } else {
                Err(TransitionError::new(
                    TransitionCode::NotInitial,
                    format!(
                        "a new call starts as {}, not {}; the observed mode accepts any first status, since the server \
                         stored a call only when it ended",
                        one_of(&initial_statuses(mode)),
                        quoted(n)
                    ),
                ))
            }
        }
        (Some(p), Some(n)) if p == n => Ok(()),
        (Some(p), Some(n)) => check_transition(p, n, mode),
    }
}

/// A status of the mode, or why not. `None` is the empty status.
fn check_known(status: Option<CallStatus>, mode: Mode) -> Result<(), TransitionError> {
    match status {
        None if mode == Mode::Strict => Err(undeclared_empty()),
        Some(s) if !in_mode(s, mode) => Err(undeclared(s, mode)),
        _ => Ok(()),
    }
}

/// Issues of a sequence of statuses one call went through, oldest first (`path` `/3` is the fourth). Repeats are
/// allowed (snapshots of an unchanged call); `""` is a call without a status yet, allowed at the start in the
/// observed mode. A status that is unknown or not part of the mode is reported once and its steps are not checked.
pub fn validate_history<S: AsRef<str>>(statuses: &[S], mode: Mode) -> Vec<Issue> {
    let mut issues = Vec::new();
    // The state before the first entry is a new call; `None` in `prev` marks a state that could not be read.
    let mut prev: Option<Option<CallStatus>> = Some(None);
    for (i, text) in statuses.iter().enumerate() {
        let path = format!("/{i}");
        let text = text.as_ref();
        let parsed = if text.is_empty() {
            Ok(None)
        } else {
            CallStatus::parse(text)
                .map(Some)
                .ok_or_else(|| unknown(text))
        };
        let current = match parsed.and_then(|s| check_known(s, mode).map(|()| s)) {
            Ok(s) => Some(s),
            Err(e) => {
                issues.push(e.into_issue(&path));
                None
            }
        };
        if let (Some(p), Some(c)) = (prev, current) {
            if let Err(e) = check_step(p, c, mode) {
                issues.push(e.into_issue(&path));
            }
        }
        prev = current;
    }
    issues
}

/// Issues of an update: two snapshots of the same call, `before` then `after`. Paths point into `after`.
///
/// Errors: a different id (then nothing else is compared), a status change that is not an edge (staying put is
/// fine), a status not part of the mode, a time that was set and then changed or cleared. Warnings, as for one record:
/// a newly set time earlier than one before it, a call entering a final status without `completed_at`, `completed_at`
/// set while the call is not final, `error` text on a call whose status is not `error`.
pub fn check_call_update(before: &Call, after: &Call, mode: Mode) -> Vec<Issue> {
    let mut issues = Vec::new();
    if before.id != after.id {
        let hint = if before.id.eq_ignore_ascii_case(&after.id) {
            " (they differ only in case)"
        } else {
            ""
        };
        issues.push(Issue::new(
            Severity::Error,
            IssueCode::IdChanged,
            "/id",
            format!(
                "the snapshots are of different calls: '{}' then '{}'{hint}",
                before.id, after.id
            ),
        ));
        return issues;
    }

    let mut statuses_known = true;
    for (which, status) in [("before", before.status), ("after", after.status)] {
        if let Err(e) = check_known(status, mode) {
            statuses_known = false;
            let message = format!("{which} the update: {}", e.message);
            issues.push(TransitionError::new(e.code, message).into_issue("/status"));
        }
    }
    if statuses_known {
        if let Err(e) = check_step(before.status, after.status, mode) {
            issues.push(e.into_issue("/status"));
        }
    }

    let times = [
        ("created_at", before.created_at, after.created_at),
        ("started_at", before.started_at, after.started_at),
        ("completed_at", before.completed_at, after.completed_at),
    ];
    for (i, (name, was, now)) in times.iter().enumerate() {
        let path = format!("/{name}");
        if !was.is_zero() && was.cmp_instant(now) != Ordering::Equal {
            let what = if now.is_zero() {
                "is now cleared".to_string()
            } else {
                format!("is now {}", now.format())
            };
            issues.push(Issue::new(
                Severity::Error,
                IssueCode::TimeChanged,
                &path,
                format!("{name} was {} and {what}; a time is set once", was.format()),
            ));
        } else if was.is_zero() && !now.is_zero() {
            for (earlier_name, _, earlier) in times.iter().take(i) {
                if !earlier.is_zero() && now.cmp_instant(earlier) == Ordering::Less {
                    issues.push(Issue::new(
                        Severity::Warning,
                        IssueCode::TimeOrder,
                        &path,
                        format!(
                            "{name} ({}) is set before {earlier_name} ({})",
                            now.format(),
                            earlier.format()
                        ),
                    ));
                }
            }
        }
    }

    let final_before = before.status.is_some_and(is_terminal);
    let final_after = after.status.is_some_and(is_terminal);
    if let Some(st) = after.status.filter(|_| final_after && !final_before) {
        if after.completed_at.is_zero() {
            issues.push(Issue::new(
                Severity::Warning,
                IssueCode::CompletedAtNotSet,
                "/completed_at",
                format!(
                    "the call entered {}, a final status, but completed_at is not set",
                    quoted(st)
                ),
            ));
        }
    }
    if !final_after && before.completed_at.is_zero() && !after.completed_at.is_zero() {
        let status = after.status.map(quoted).unwrap_or_else(|| "''".to_string());
        issues.push(Issue::new(
            Severity::Warning,
            IssueCode::CompletedAtNotFinal,
            "/completed_at",
            format!("completed_at was set but the call is {status}, not final; it is set when a call ends"),
        ));
    }
    if !after.error.is_empty() && after.status != Some(CallStatus::Error) {
        let status = after.status.map(quoted).unwrap_or_else(|| "''".to_string());
        issues.push(Issue::new(
            Severity::Warning,
            IssueCode::ErrorWithoutErrorStatus,
            "/error",
            format!("error text is set but the status is {status}; the model sets it only for status 'error'"),
        ));
    }
    issues
}

/// A status as a node of the diagram.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(Tsify))]
pub struct TransitionNode {
    pub status: CallStatus,
    /// A new call may start here.
    pub initial: bool,
    /// No edge leaves it.
    pub terminal: bool,
    /// The modes the status is part of (`timeout`: observed only).
    pub modes: Vec<Mode>,
}

/// An arrow of the diagram.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(Tsify))]
#[cfg_attr(target_arch = "wasm32", tsify(missing_as_null))]
pub struct TransitionEdge {
    /// `null`: a new call, before it has any status.
    pub from: Option<CallStatus>,
    pub to: CallStatus,
    /// The modes the edge is part of: both for drawn edges, `["observed"]` for what only real servers did.
    pub modes: Vec<Mode>,
}

/// The diagram as data: nodes in lifecycle order, edges in table order, both limited to the mode asked for (the
/// default, observed, includes everything).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(Tsify))]
#[cfg_attr(target_arch = "wasm32", tsify(missing_as_null))]
pub struct TransitionGraph {
    pub mode: Mode,
    pub nodes: Vec<TransitionNode>,
    pub edges: Vec<TransitionEdge>,
}

pub fn transition_graph(mode: Mode) -> TransitionGraph {
    let nodes = CallStatus::ALL
        .into_iter()
        .filter(|s| in_mode(*s, mode))
        .map(|s| TransitionNode {
            status: s,
            initial: can_start(s, mode),
            terminal: is_terminal(s),
            modes: MODES.into_iter().filter(|m| in_mode(s, *m)).collect(),
        })
        .collect();
    let edges = edges(mode)
        .map(|e| TransitionEdge {
            from: e.from,
            to: e.to,
            modes: e.kind.modes(),
        })
        .collect();
    TransitionGraph { mode, nodes, edges }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::datetime::GoTime;
    use CallStatus::{Cancelled, Delayed, Error, Queued, Running, Success, Timeout};

    // The diagram written out by hand, independently of `TABLE`. Rows: from; columns: to; both in lifecycle order
    // (delayed, queued, running, success, error, cancelled, timeout). `x` = allowed.
    const STRICT: [&str; 7] = [
        ".x.....", // delayed
        "..x....", // queued
        "...xxx.", // running
        ".......", // success
        ".......", // error
        ".......", // cancelled
        ".......", // timeout
    ];
    const OBSERVED: [&str; 7] = [
        ".x.....", // delayed
        "..x....", // queued
        "...xxxx", // running
        ".......", // success
        ".......", // error
        ".......", // cancelled
        ".......", // timeout
    ];

    fn expected(from: usize, to: usize, mode: Mode) -> bool {
        let rows = if mode == Mode::Strict {
            STRICT
        } else {
            OBSERVED
        };
        rows[from].as_bytes()[to] == b'x'
    }

    #[test]
    fn every_pair_in_both_modes() {
        assert_eq!(MODES[0], Mode::default());
        let matrix = transition_matrix();
        assert_eq!(matrix.len(), 2 * 7 * 7);
        for (m, mode) in MODES.into_iter().enumerate() {
            for (f, from) in CallStatus::ALL.into_iter().enumerate() {
                for (t, to) in CallStatus::ALL.into_iter().enumerate() {
                    let want = expected(f, t, mode);
                    let what = format!("{from:?} → {to:?} in {mode:?}");
                    assert_eq!(can_transition(from, to, mode), want, "{what}");
                    assert_eq!(
                        matrix[(m * 7 + f) * 7 + t],
                        u8::from(want),
                        "matrix: {what}"
                    );
                    assert_eq!(
                        next_statuses(from, mode).contains(&to),
                        want,
                        "next: {what}"
                    );
                    assert_eq!(
                        previous_statuses(to, mode).contains(&from),
                        want,
                        "previous: {what}"
                    );
                    let checked = check_transition(from, to, mode);
                    assert_eq!(checked.is_ok(), want, "check: {what}: {checked:?}");
                    assert_eq!(
                        check_transition_names(from.as_str(), to.as_str(), mode),
                        checked
                    );
                    if let Err(e) = checked {
                        assert!(
                            e.message.contains(" → ") || e.code == TransitionCode::UndeclaredStatus,
                            "{what}: {e:?}"
                        );
                        // With this diagram every refusal has a more telling reason than the fallback.
                        assert_ne!(e.code, TransitionCode::IllegalTransition, "{what}");
                    }
                    // A history of the two is clean exactly when the step is allowed (or a repeat), given a start.
                    let mut history = vec![from.as_str(), to.as_str()];
                    if mode == Mode::Strict && can_start(from, mode) {
                        let clean = want || from == to;
                        assert_eq!(
                            validate_history(&history, mode).is_empty(),
                            clean,
                            "history: {what}"
                        );
                    }
                    history.insert(0, "");
                    if mode == Mode::Observed {
                        assert_eq!(
                            validate_history(&history, mode).is_empty(),
                            want || from == to,
                            "history: {what}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn terminal_initial_and_membership() {
        for s in CallStatus::ALL {
            assert_eq!(
                is_terminal(s),
                s.is_terminal(),
                "{s:?} agrees with status.rs"
            );
            assert_eq!(
                is_terminal(s),
                matches!(s, Success | Error | Cancelled | Timeout),
                "{s:?}"
            );
            assert!(in_mode(s, Mode::Observed));
            assert_eq!(in_mode(s, Mode::Strict), s != Timeout);
        }
        for mode in MODES {
            assert_eq!(initial_statuses(mode), vec![Delayed, Queued]);
        }
        assert_eq!(
            next_statuses(Running, Mode::Observed),
            vec![Success, Error, Cancelled, Timeout]
        );
        assert_eq!(
            next_statuses(Running, Mode::Strict),
            vec![Success, Error, Cancelled]
        );
        assert_eq!(next_statuses(Success, Mode::Observed), vec![]);
    }

    fn refused(from: CallStatus, to: CallStatus, mode: Mode) -> TransitionError {
        match check_transition(from, to, mode) {
            Err(e) => e,
            Ok(()) => panic!("{from:?} → {to:?} should be refused"),
        }
    }

    #[test]
    fn refusals_explain_themselves() {
        let e = refused(Queued, Cancelled, Mode::Observed);
        assert_eq!(e.code, TransitionCode::SkipsStatus);
        assert!(
            e.message
                .contains("'cancelled' is reachable only from 'running'"),
            "{}",
            e.message
        );
        assert!(
            e.message.contains("queued → running → cancelled"),
            "{}",
            e.message
        );

        let e = refused(Success, Queued, Mode::Strict);
        assert_eq!(e.code, TransitionCode::FromTerminal);
        assert!(
            e.message
                .contains("a retry creates a new call rather than moving a finished one"),
            "{}",
            e.message
        );

        let e = refused(Running, Queued, Mode::Observed);
        assert_eq!(e.code, TransitionCode::GoesBack);
        assert!(
            e.message.contains(
                "'queued' is reachable only from 'delayed' or as a new call's first status"
            ),
            "{}",
            e.message
        );

        let e = refused(Delayed, Running, Mode::Strict);
        assert_eq!(e.code, TransitionCode::SkipsStatus);
        assert!(
            e.message.contains("delayed → queued → running"),
            "{}",
            e.message
        );

        assert_eq!(
            refused(Running, Running, Mode::Observed).code,
            TransitionCode::Unchanged
        );

        let e = refused(Running, Timeout, Mode::Strict);
        assert_eq!(e.code, TransitionCode::UndeclaredStatus);
        assert!(
            e.message
                .contains("the observed mode adds running → timeout"),
            "{}",
            e.message
        );
        assert_eq!(
            refused(Timeout, Success, Mode::Strict).code,
            TransitionCode::UndeclaredStatus
        );
        assert_eq!(
            refused(Timeout, Success, Mode::Observed).code,
            TransitionCode::FromTerminal
        );

        let e = check_transition_names("Running", "bogus", Mode::Observed).unwrap_err();
        assert_eq!(e.code, TransitionCode::UnknownStatus);
        assert!(
            e.message
                .starts_with("'Running' is not a call status (statuses are lower case)"),
            "{}",
            e.message
        );
        let e = check_transition_names("running", "", Mode::Observed).unwrap_err();
        assert_eq!(e.code, TransitionCode::UnknownStatus);
        assert!(
            e.message.starts_with("'' is not a call status;"),
            "{}",
            e.message
        );
    }

    fn codes(issues: &[Issue]) -> Vec<(String, String)> {
        issues
            .iter()
            .map(|i| (i.path.clone(), i.code.to_string()))
            .collect()
    }

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(p, c)| (p.to_string(), c.to_string()))
            .collect()
    }

    #[test]
    fn histories() {
        let o = Mode::Observed;
        let s = Mode::Strict;
        let none: [&str; 0] = [];
        assert!(validate_history(&none, s).is_empty());
        assert!(validate_history(&["delayed", "queued", "running", "success"], s).is_empty());
        assert!(
            validate_history(&["queued", "queued", "running", "running", "error"], s).is_empty()
        );
        assert!(validate_history(&["running", "timeout"], o).is_empty());
        assert!(validate_history(&["success"], o).is_empty());
        assert!(validate_history(&["", "", "running", "success"], o).is_empty());
        assert!(validate_history(&[String::from("queued")], s).is_empty());

        assert_eq!(
            codes(&validate_history(&["success"], s)),
            pairs(&[("/0", "not_initial")])
        );
        assert_eq!(
            codes(&validate_history(&["running", "success"], s)),
            pairs(&[("/0", "not_initial")])
        );
        assert_eq!(
            codes(&validate_history(&["queued", "success"], o)),
            pairs(&[("/1", "skips_status")])
        );
        assert_eq!(
            codes(&validate_history(&["queued", "running", "timeout"], s)),
            pairs(&[("/2", "undeclared_status")])
        );
        assert_eq!(
            codes(&validate_history(&["", "queued"], s)),
            pairs(&[("/0", "undeclared_status")])
        );
        assert_eq!(
            codes(&validate_history(&["bogus", "running", "Success"], o)),
            pairs(&[("/0", "unknown_status"), ("/2", "unknown_status")])
        );
        assert_eq!(
            codes(&validate_history(&["running", "", "running"], o)),
            pairs(&[("/1", "status_cleared")])
        );
        assert_eq!(
            codes(&validate_history(
                &["queued", "running", "success", "queued", "running"],
                o
            )),
            pairs(&[("/3", "from_terminal")])
        );
        let issues = validate_history(&["running", "queued"], o);
        assert!(issues.iter().all(Issue::is_error));
        assert_eq!(codes(&issues), pairs(&[("/1", "goes_back")]));
    }

    fn time(s: &str) -> GoTime {
        GoTime::parse(s).unwrap()
    }

    fn call(status: Option<CallStatus>, created: &str, started: &str, completed: &str) -> Call {
        let zero = |s: &str| if s.is_empty() { GoTime::ZERO } else { time(s) };
        Call {
            id: "01C01TC09K47WGE00000000000".into(),
            status,
            app_name: "myapp".into(),
            path: "/hello".into(),
            created_at: zero(created),
            started_at: zero(started),
            completed_at: zero(completed),
            ..Call::default()
        }
    }

    const C: &str = "2017-11-28T17:21:39.123Z";
    const S: &str = "2017-11-28T17:21:39.125Z";
    const D: &str = "2017-11-28T17:21:41.002Z";

    #[test]
    fn updates() {
        let o = Mode::Observed;
        let st = Mode::Strict;
        let queued = call(Some(Queued), C, "", "");
        let running = call(Some(Running), C, S, "");
        let success = call(Some(Success), C, S, D);
        let mq_copy = call(None, C, "", "");

        for mode in MODES {
            assert!(check_call_update(&queued, &running, mode).is_empty());
            assert!(check_call_update(&running, &success, mode).is_empty());
            assert!(check_call_update(&success, &success, mode).is_empty());
        }
        assert!(check_call_update(&mq_copy, &success, o).is_empty());
        assert_eq!(
            codes(&check_call_update(&mq_copy, &success, st)),
            pairs(&[("/status", "undeclared_status")])
        );
        let timeout = call(Some(Timeout), C, S, D);
        assert!(check_call_update(&running, &timeout, o).is_empty());
        assert_eq!(
            codes(&check_call_update(&running, &timeout, st)),
            pairs(&[("/status", "undeclared_status")])
        );

        let mut other = success.clone();
        other.id = "01C01TC2JG47WGG00000000000".into();
        other.status = Some(Queued);
        assert_eq!(
            codes(&check_call_update(&running, &other, o)),
            pairs(&[("/id", "id_changed")])
        );

        let retried = call(Some(Queued), C, S, D);
        assert_eq!(
            codes(&check_call_update(&success, &retried, o)),
            pairs(&[("/status", "from_terminal")])
        );

        let mut moved = success.clone();
        moved.started_at = time("2017-11-28T17:21:40.000Z");
        assert_eq!(
            codes(&check_call_update(&running, &moved, o)),
            pairs(&[("/started_at", "time_changed")])
        );
        let cleared = call(Some(Running), C, "", "");
        assert_eq!(
            codes(&check_call_update(&running, &cleared, o)),
            pairs(&[("/started_at", "time_changed")])
        );
        // The same instant written in another offset is not a change.
        let mut same = running.clone();
        same.started_at = time("2017-11-28T20:21:39.125+03:00");
        assert!(check_call_update(&running, &same, o).is_empty());

        let no_completed = call(Some(Success), C, S, "");
        let issues = check_call_update(&running, &no_completed, o);
        assert_eq!(
            codes(&issues),
            pairs(&[("/completed_at", "completed_at_not_set")])
        );
        assert!(issues.iter().all(|i| !i.is_error()));
        let early = call(Some(Running), C, S, D);
        assert_eq!(
            codes(&check_call_update(&queued, &early, o)),
            pairs(&[("/completed_at", "completed_at_not_final")])
        );
        let backwards = call(Some(Success), C, S, "2017-11-28T17:21:39.000Z");
        assert_eq!(
            codes(&check_call_update(&running, &backwards, o)),
            pairs(&[
                ("/completed_at", "time_order"),
                ("/completed_at", "time_order")
            ])
        );

        let mut failed = success.clone();
        failed.error = "container exit code 1".into();
        assert_eq!(
            codes(&check_call_update(&running, &failed, o)),
            pairs(&[("/error", "error_without_error_status")])
        );
        failed.status = Some(Error);
        assert!(check_call_update(&running, &failed, o).is_empty());

        let lost = call(None, C, S, "");
        assert_eq!(
            codes(&check_call_update(&running, &lost, o)),
            pairs(&[("/status", "status_cleared")])
        );
    }

    #[test]
    fn graph() {
        let g = transition_graph(Mode::Observed);
        assert_eq!(
            g.nodes.iter().map(|n| n.status).collect::<Vec<_>>(),
            CallStatus::ALL.to_vec()
        );
        assert_eq!(g.edges.len(), 8);
        let timeout_edge = TransitionEdge {
            from: Some(Running),
            to: Timeout,
            modes: vec![Mode::Observed],
        };
        assert!(g.edges.contains(&timeout_edge));
        assert!(g.edges.contains(&TransitionEdge {
            from: None,
            to: Queued,
            modes: vec![Mode::Observed, Mode::Strict]
        }));
        let timeout_node = g.nodes.iter().find(|n| n.status == Timeout).unwrap();
        assert_eq!(
            (
                timeout_node.terminal,
                timeout_node.initial,
                timeout_node.modes.clone()
            ),
            (true, false, vec![Mode::Observed])
        );

        let g = transition_graph(Mode::Strict);
        assert_eq!(g.nodes.len(), 6);
        assert_eq!(g.edges.len(), 7);
        assert!(!g.edges.contains(&timeout_edge));
        // The graph and the answers agree.
        for mode in MODES {
            let g = transition_graph(mode);
            for from in CallStatus::ALL {
                for to in CallStatus::ALL {
                    let drawn = g.edges.iter().any(|e| e.from == Some(from) && e.to == to);
                    assert_eq!(drawn, can_transition(from, to, mode));
                }
            }
        }
    }
}
