//! The generations of the call's JSON (`docs/generations.md`): each release of the Fn server that changed which
//! keys a call has, or their order, starts a generation. A generation is the layout Go's `encoding/json` writes for
//! that release's struct: the keys in struct order, and which are written even when empty.
//!
//! Reading accepts every generation; the keys a record has tell which generations it fits, and the writer lays a
//! call out as the generation it was read as (or one the caller names).

/// One key of a generation's layout, and whether Go writes it even when empty (no `omitempty`, or a struct).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key {
    pub name: &'static str,
    pub always: bool,
}

const fn k(name: &'static str) -> Key {
    Key {
        name,
        always: false,
    }
}
const fn always(name: &'static str) -> Key {
    Key { name, always: true }
}

/// A generation: the releases that wrote calls with one layout.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Generation {
    /// The first release with this layout, which names the generation (`"0.3.205"`).
    pub name: &'static str,
    /// The last release with it (`None`: every release since).
    pub last: Option<&'static str>,
    /// The date of the first release (UTC, `YYYY-MM-DD`).
    pub since: &'static str,
    /// What changed from the generation before.
    pub change: &'static str,
    /// How servers of these releases listed calls: `"v1"`, `"v1, v2"`, `"v2"` or `"none"`.
    pub listing: &'static str,
    /// The keys in the order Go writes them.
    pub keys: &'static [Key],
}

impl Generation {
    pub fn has(&self, name: &str) -> bool {
        self.keys.iter().any(|k| k.name == name)
    }
}

const G_0_3_205: &[Key] = &[
    always("id"),
    always("status"),
    always("app_name"),
    always("path"),
    k("image"),
    k("delay"),
    k("type"),
    k("format"),
    k("payload"),
    k("url"),
    k("method"),
    k("priority"),
    k("timeout"),
    k("idle_timeout"),
    k("memory"),
    k("base_env"),
    k("env_vars"),
    always("completed_at"),
    always("created_at"),
    always("started_at"),
    k("stats"),
    k("error"),
];

const G_0_3_278: &[Key] = &[
    always("id"),
    always("status"),
    always("app_name"),
    always("path"),
    k("image"),
    k("delay"),
    k("type"),
    k("format"),
    k("payload"),
    k("url"),
    k("method"),
    k("priority"),
    k("timeout"),
    k("idle_timeout"),
    k("memory"),
    k("config"),
    k("headers"),
    always("completed_at"),
    always("created_at"),
    always("started_at"),
    k("stats"),
    k("error"),
];

const G_0_3_293: &[Key] = &[
    always("id"),
    always("status"),
    always("app_name"),
    always("path"),
    k("image"),
    k("delay"),
    k("type"),
    k("format"),
    k("payload"),
    k("url"),
    k("method"),
    k("priority"),
    k("timeout"),
    k("idle_timeout"),
    k("memory"),
    k("cpus"),
    k("config"),
    k("headers"),
    always("completed_at"),
    always("created_at"),
    always("started_at"),
    k("stats"),
    k("error"),
];

const G_0_3_388: &[Key] = &[
    always("id"),
    always("status"),
    always("app_name"),
    always("path"),
    k("image"),
    k("delay"),
    k("type"),
    k("format"),
    k("payload"),
    k("url"),
    k("method"),
    k("priority"),
    k("timeout"),
    k("idle_timeout"),
    k("memory"),
    k("cpus"),
    k("config"),
    k("annotations"),
    k("headers"),
    always("completed_at"),
    always("created_at"),
    always("started_at"),
    k("stats"),
    k("error"),
];

const G_0_3_392: &[Key] = &[
    always("id"),
    always("status"),
    always("path"),
    k("image"),
    k("delay"),
    k("type"),
    k("format"),
    k("payload"),
    k("url"),
    k("method"),
    k("priority"),
    k("timeout"),
    k("idle_timeout"),
    k("memory"),
    k("cpus"),
    k("config"),
    k("annotations"),
    k("headers"),
    always("completed_at"),
    always("created_at"),
    always("started_at"),
    k("stats"),
    k("error"),
    always("app_id"),
];

const G_0_3_444: &[Key] = &[
    always("id"),
    always("status"),
    always("path"),
    k("image"),
    k("delay"),
    k("type"),
    k("format"),
    k("payload"),
    k("url"),
    k("method"),
    k("priority"),
    k("timeout"),
    k("idle_timeout"),
    k("memory"),
    k("cpus"),
    k("config"),
    k("annotations"),
    k("headers"),
    k("syslog_url"),
    always("completed_at"),
    always("created_at"),
    always("started_at"),
    k("stats"),
    k("error"),
    always("app_id"),
];

const G_0_3_457: &[Key] = &[
    always("id"),
    always("status"),
    always("path"),
    k("image"),
    k("delay"),
    k("type"),
    k("format"),
    k("payload"),
    k("url"),
    k("method"),
    k("priority"),
    k("timeout"),
    k("idle_timeout"),
    k("tmpfs_size"),
    k("memory"),
    k("cpus"),
    k("config"),
    k("annotations"),
    k("headers"),
    k("syslog_url"),
    always("completed_at"),
    always("created_at"),
    always("started_at"),
    k("stats"),
    k("error"),
    always("app_id"),
];

const G_0_3_502: &[Key] = &[
    always("id"),
    always("status"),
    always("path"),
    k("image"),
    k("delay"),
    k("type"),
    k("format"),
    k("payload"),
    k("url"),
    k("method"),
    k("priority"),
    k("timeout"),
    k("idle_timeout"),
    k("tmpfs_size"),
    k("memory"),
    k("cpus"),
    k("config"),
    k("annotations"),
    k("headers"),
    k("syslog_url"),
    always("completed_at"),
    always("created_at"),
    always("started_at"),
    k("stats"),
    k("error"),
    always("app_id"),
    always("trigger_id"),
    always("fn_id"),
];

const G_0_3_529: &[Key] = &[
    always("id"),
    always("status"),
    always("path"),
    k("image"),
    k("delay"),
    k("type"),
    k("format"),
    k("payload"),
    k("url"),
    k("method"),
    k("priority"),
    k("timeout"),
    k("idle_timeout"),
    k("tmpfs_size"),
    k("memory"),
    k("cpus"),
    k("config"),
    k("annotations"),
    k("headers"),
    k("syslog_url"),
    always("completed_at"),
    always("created_at"),
    always("started_at"),
    k("stats"),
    k("error"),
    always("app_id"),
    always("app_name"),
    always("trigger_id"),
    always("fn_id"),
];

const G_0_3_563: &[Key] = &[
    always("id"),
    always("status"),
    k("image"),
    k("delay"),
    k("type"),
    k("format"),
    k("payload"),
    k("url"),
    k("method"),
    k("priority"),
    k("timeout"),
    k("idle_timeout"),
    k("tmpfs_size"),
    k("memory"),
    k("cpus"),
    k("config"),
    k("annotations"),
    k("headers"),
    k("syslog_url"),
    always("completed_at"),
    always("created_at"),
    always("started_at"),
    k("stats"),
    k("error"),
    always("app_id"),
    always("app_name"),
    always("trigger_id"),
    always("fn_id"),
];

const G_0_3_603: &[Key] = &[
    always("id"),
    always("status"),
    k("image"),
    k("delay"),
    k("type"),
    k("payload"),
    k("url"),
    k("method"),
    k("priority"),
    k("timeout"),
    k("idle_timeout"),
    k("tmpfs_size"),
    k("memory"),
    k("cpus"),
    k("config"),
    k("annotations"),
    k("headers"),
    k("syslog_url"),
    always("completed_at"),
    always("created_at"),
    always("started_at"),
    k("stats"),
    k("error"),
    always("app_id"),
    always("app_name"),
    always("trigger_id"),
    always("fn_id"),
];

const G_0_3_689: &[Key] = &[
    always("id"),
    always("status"),
    k("image"),
    k("delay"),
    k("type"),
    k("payload"),
    k("url"),
    k("method"),
    k("timeout"),
    k("idle_timeout"),
    k("tmpfs_size"),
    k("memory"),
    k("cpus"),
    k("config"),
    k("annotations"),
    k("headers"),
    k("syslog_url"),
    always("completed_at"),
    always("created_at"),
    always("started_at"),
    k("stats"),
    k("error"),
    always("app_id"),
    always("app_name"),
    always("trigger_id"),
    always("fn_id"),
];

const G_0_3_719: &[Key] = &[
    always("id"),
    always("status"),
    k("image"),
    k("delay"),
    k("type"),
    k("payload"),
    k("url"),
    k("method"),
    k("timeout"),
    k("idle_timeout"),
    k("tmpfs_size"),
    k("memory"),
    k("cpus"),
    k("config"),
    k("annotations"),
    k("headers"),
    k("syslog_url"),
    always("completed_at"),
    always("created_at"),
    always("started_at"),
    k("execution_duration"),
    k("stats"),
    k("error"),
    always("app_id"),
    always("app_name"),
    always("trigger_id"),
    always("fn_id"),
];

/// Every generation, oldest first. The index of a generation here is its [`GenerationId`].
pub const GENERATIONS: [Generation; 13] = [
    Generation {
        name: "0.3.205",
        last: Some("0.3.277"),
        since: "2017-11-28",
        change: "the first model: app_name, path, base_env, env_vars, priority",
        listing: "v1",
        keys: G_0_3_205,
    },
    Generation {
        name: "0.3.278",
        last: Some("0.3.292"),
        since: "2018-01-09",
        change:
            "base_env renamed config; env_vars replaced by headers (string to array of strings)",
        listing: "v1",
        keys: G_0_3_278,
    },
    Generation {
        name: "0.3.293",
        last: Some("0.3.387"),
        since: "2018-01-12",
        change: "+ cpus (millicores, written \"100m\")",
        listing: "v1",
        keys: G_0_3_293,
    },
    Generation {
        name: "0.3.388",
        last: Some("0.3.391"),
        since: "2018-03-22",
        change: "+ annotations (string to any JSON value)",
        listing: "v1",
        keys: G_0_3_388,
    },
    Generation {
        name: "0.3.392",
        last: Some("0.3.443"),
        since: "2018-03-26",
        change: "- app_name, + app_id (always written)",
        listing: "v1",
        keys: G_0_3_392,
    },
    Generation {
        name: "0.3.444",
        last: Some("0.3.456"),
        since: "2018-05-15",
        change: "+ syslog_url",
        listing: "v1",
        keys: G_0_3_444,
    },
    Generation {
        name: "0.3.457",
        last: Some("0.3.501"),
        since: "2018-05-25",
        change: "+ tmpfs_size (MB)",
        listing: "v1",
        keys: G_0_3_457,
    },
    Generation {
        name: "0.3.502",
        last: Some("0.3.528"),
        since: "2018-07-05",
        change: "+ trigger_id, fn_id (always written)",
        listing: "v1",
        keys: G_0_3_502,
    },
    Generation {
        name: "0.3.529",
        last: Some("0.3.562"),
        since: "2018-08-09",
        change: "+ app_name again, always written (empty in listings)",
        listing: "v1, v2",
        keys: G_0_3_529,
    },
    Generation {
        name: "0.3.563",
        last: Some("0.3.602"),
        since: "2018-09-17",
        change: "- path",
        listing: "v2",
        keys: G_0_3_563,
    },
    Generation {
        name: "0.3.603",
        last: Some("0.3.688"),
        since: "2018-10-26",
        change: "- format (type may be \"detached\" from 0.3.613)",
        listing: "v2",
        keys: G_0_3_603,
    },
    Generation {
        name: "0.3.689",
        last: Some("0.3.718"),
        since: "2019-04-08",
        change: "- priority; the call API is removed (410 Gone)",
        listing: "none",
        keys: G_0_3_689,
    },
    Generation {
        name: "0.3.719",
        last: None,
        since: "2019-07-08",
        change: "+ execution_duration (int64 nanoseconds)",
        listing: "none",
        keys: G_0_3_719,
    },
];

/// A position in [`GENERATIONS`].
pub type GenerationId = usize;

/// The generation of November 2017, the model's own (and the layout of a call built without one).
pub const FIRST: GenerationId = 0;

/// The generation of the given name (`"0.3.563"`), also accepting any release inside its range (`"0.3.688"`,
/// with or without a leading `v`).
pub fn by_name(name: &str) -> Option<GenerationId> {
    let release = parse_release(name)?;
    GENERATIONS
        .iter()
        .rposition(|g| parse_release(g.name).is_some_and(|first| first <= release))
}

fn parse_release(s: &str) -> Option<(u32, u32, u32)> {
    let s = s.strip_prefix('v').unwrap_or(s);
    let mut parts = s.split('.');
    let a = parts.next()?.parse().ok()?;
    let b = parts.next()?.parse().ok()?;
    let c = parts.next()?.parse().ok()?;
    parts.next().is_none().then_some((a, b, c))
}

/// The bit of a key in a key set: its position in [`UNION`] (`app_name` has one bit for both of its places).
pub fn key_bit(name: &str) -> Option<u64> {
    UNION.iter().position(|k| k.name == name).map(|i| 1u64 << i)
}

/// A set of keys as bits (keys no generation has are left out: they are unknown keys, the reader's business).
pub fn key_mask(keys: &[&str]) -> u64 {
    keys.iter().filter_map(|k| key_bit(k)).fold(0, |m, b| m | b)
}

/// Each generation's keys, and the keys it always writes, as bits; computed once.
fn masks() -> &'static [(u64, u64); 13] {
    static MASKS: std::sync::OnceLock<[(u64, u64); 13]> = std::sync::OnceLock::new();
    MASKS.get_or_init(|| {
        let mut out = [(0u64, 0u64); 13];
        for (slot, g) in out.iter_mut().zip(GENERATIONS.iter()) {
            for k in g.keys {
                let bit = key_bit(k.name).unwrap_or(0);
                slot.0 |= bit;
                if k.always {
                    slot.1 |= bit;
                }
            }
        }
        out
    })
}

/// The generations whose layout has every one of `keys` (the canonical names of a record's keys).
pub fn fitting(keys: &[&str]) -> Vec<GenerationId> {
    let present = key_mask(keys);
    masks()
        .iter()
        .enumerate()
        .filter(|(_, (all, _))| present & !all == 0)
        .map(|(g, _)| g)
        .collect()
}

/// The generation a record with these keys was most likely written by: among those it fits, the oldest whose
/// always-written keys it has all (Go wrote it; later ones that write the same bytes for it are not preferred);
/// else the oldest fitting generation sharing the most always-written keys. `None` when no generation has all
/// the keys (a record mixing generations). Bits, not strings: every record read goes through here.
pub fn detect(keys: &[&str]) -> Option<GenerationId> {
    detect_mask(key_mask(keys))
}

/// [`detect`] of a key set given as bits ([`key_bit`]).
pub fn detect_mask(present: u64) -> Option<GenerationId> {
    let mut best: Option<(GenerationId, u32)> = None;
    for (g, (all, always)) in masks().iter().enumerate() {
        if present & !all != 0 {
            continue; // a key this generation does not have
        }
        if always & !present == 0 {
            return Some(g);
        }
        let n = (always & present).count_ones();
        if best.is_none_or(|(_, m)| n > m) {
            best = Some((g, n));
        }
    }
    best.map(|(g, _)| g)
}

/// Pairs of keys that no generation has together, among `keys`: what makes a record mixed.
pub fn conflicts<'k>(keys: &[&'k str]) -> Vec<(&'k str, &'k str)> {
    let mut out = Vec::new();
    for (i, a) in keys.iter().enumerate() {
        for b in keys.iter().skip(i + 1) {
            if !GENERATIONS.iter().any(|g| g.has(a) && g.has(b)) {
                out.push((*a, *b));
            }
        }
    }
    out
}

/// The layout for a record mixing generations: every key any generation has, each at a place consistent with
/// every generation's order, so nothing a record holds is lost when it is written.
pub const UNION: &[Key] = &[
    always("id"),
    always("status"),
    k("app_name"),
    k("path"),
    k("image"),
    k("delay"),
    k("type"),
    k("format"),
    k("payload"),
    k("url"),
    k("method"),
    k("priority"),
    k("timeout"),
    k("idle_timeout"),
    k("tmpfs_size"),
    k("memory"),
    k("cpus"),
    k("base_env"),
    k("config"),
    k("annotations"),
    k("env_vars"),
    k("headers"),
    k("syslog_url"),
    always("completed_at"),
    always("created_at"),
    always("started_at"),
    k("execution_duration"),
    k("stats"),
    k("error"),
    k("app_id"),
    k("trigger_id"),
    k("fn_id"),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_layout_is_in_the_union_in_the_same_order() {
        for g in &GENERATIONS {
            let mut at = 0;
            for key in g.keys {
                // app_name moved from after status (2017) to after app_id (0.3.529): the union keeps the early
                // place, and the writer of a mixed record puts it there.
                if key.name == "app_name" && g.has("app_id") {
                    continue;
                }
                let pos = UNION
                    .iter()
                    .position(|u| u.name == key.name)
                    .unwrap_or_else(|| panic!("{} of {} not in UNION", key.name, g.name));
                assert!(pos >= at, "{} of {} out of order", key.name, g.name);
                at = pos;
            }
        }
    }

    #[test]
    fn names_and_releases_find_their_generation() {
        assert_eq!(by_name("0.3.205"), Some(0));
        assert_eq!(by_name("0.3.688"), Some(10));
        assert_eq!(by_name("v0.3.753"), Some(12));
        assert_eq!(by_name("0.3.562"), Some(8));
        assert_eq!(by_name("0.3.100"), None);
        assert_eq!(by_name("nope"), None);
    }

    #[test]
    fn detects_what_wrote_a_record() {
        let seed = [
            "id",
            "status",
            "app_name",
            "path",
            "completed_at",
            "created_at",
            "started_at",
        ];
        assert_eq!(detect(&seed), Some(0));
        let v2_list = [
            "id",
            "status",
            "completed_at",
            "created_at",
            "started_at",
            "app_id",
            "app_name",
            "trigger_id",
            "fn_id",
        ];
        assert_eq!(GENERATIONS[detect(&v2_list).unwrap()].name, "0.3.563");
        let head = [
            "id",
            "status",
            "completed_at",
            "created_at",
            "started_at",
            "execution_duration",
            "app_id",
            "app_name",
            "trigger_id",
            "fn_id",
        ];
        assert_eq!(GENERATIONS[detect(&head).unwrap()].name, "0.3.719");
        assert_eq!(detect(&["id", "base_env", "config"]), None);
        assert_eq!(
            conflicts(&["id", "base_env", "config"]),
            [("base_env", "config")]
        );
    }
}
