//! The statuses a call can have, and the two views of them: the model as declared and drawn (`strict`) and the
//! server as it behaved (`observed`, which adds `timeout`). See `docs/transitions.md`.

use serde::Serialize;
#[cfg(target_arch = "wasm32")]
use tsify::Tsify;

/// Every status, in lifecycle order. `timeout` is not declared by the model but written by real servers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(Tsify))]
#[serde(rename_all = "lowercase")]
pub enum CallStatus {
    Delayed,
    Queued,
    Running,
    Success,
    Error,
    Cancelled,
    Timeout,
}

impl CallStatus {
    pub const ALL: [CallStatus; 7] = [
        CallStatus::Delayed,
        CallStatus::Queued,
        CallStatus::Running,
        CallStatus::Success,
        CallStatus::Error,
        CallStatus::Cancelled,
        CallStatus::Timeout,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            CallStatus::Delayed => "delayed",
            CallStatus::Queued => "queued",
            CallStatus::Running => "running",
            CallStatus::Success => "success",
            CallStatus::Error => "error",
            CallStatus::Cancelled => "cancelled",
            CallStatus::Timeout => "timeout",
        }
    }

    pub fn parse(s: &str) -> Option<CallStatus> {
        CallStatus::ALL.into_iter().find(|st| st.as_str() == s)
    }

    /// Declared in the model's `possibleStatuses` (everything but `timeout`).
    pub fn is_declared(self) -> bool {
        self != CallStatus::Timeout
    }

    /// No edge leaves it.
    pub fn is_terminal(self) -> bool {
        matches!(
            self,
            CallStatus::Success | CallStatus::Error | CallStatus::Cancelled | CallStatus::Timeout
        )
    }
}

/// Which view of the model a check follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(Tsify))]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    /// What real servers wrote is clean (`timeout`, terminal records with no history, `"status":""`).
    #[default]
    Observed,
    /// The model exactly as declared and drawn.
    Strict,
}

impl Mode {
    pub fn parse(s: &str) -> Option<Mode> {
        match s {
            "observed" => Some(Mode::Observed),
            "strict" => Some(Mode::Strict),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(Tsify))]
#[serde(rename_all = "lowercase")]
pub enum CallType {
    Sync,
    Async,
    /// From 0.3.613: the function answers at once and goes on running.
    Detached,
}

impl CallType {
    pub fn as_str(self) -> &'static str {
        match self {
            CallType::Sync => "sync",
            CallType::Async => "async",
            CallType::Detached => "detached",
        }
    }
    #[inline]
    pub fn parse(s: &str) -> Option<CallType> {
        [CallType::Sync, CallType::Async, CallType::Detached]
            .into_iter()
            .find(|t| t.as_str() == s)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(Tsify))]
#[serde(rename_all = "lowercase")]
pub enum CallFormat {
    Default,
    Http,
    Json,
}

impl CallFormat {
    pub fn as_str(self) -> &'static str {
        match self {
            CallFormat::Default => "default",
            CallFormat::Http => "http",
            CallFormat::Json => "json",
        }
    }
    #[inline]
    pub fn parse(s: &str) -> Option<CallFormat> {
        [CallFormat::Default, CallFormat::Http, CallFormat::Json]
            .into_iter()
            .find(|t| t.as_str() == s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for s in CallStatus::ALL {
            assert_eq!(CallStatus::parse(s.as_str()), Some(s));
        }
        assert_eq!(CallStatus::parse("Success"), None);
        assert_eq!(CallStatus::parse(""), None);
        assert!(!CallStatus::Timeout.is_declared());
        assert!(CallStatus::Timeout.is_terminal());
        assert!(!CallStatus::Running.is_terminal());
    }
}
