//! A JSON Schema (2020-12) of the call, written from the generations' layouts (`generation.rs`) and the Go types of
//! the fields, for people who stay with a JSON Schema validator or generate clients (`docs/generations.md`).
//!
//! The root schema accepts a call of any generation (the keys of every generation, Go's types, unknown keys
//! allowed as Go ignores them); `$defs` has one strict schema per generation (its keys only, those Go always writes
//! required). A schema cannot see what `JSON.parse` loses (integers above 2^53, duplicate keys, `1e3` for `1000`)
//! nor the checks between fields: the package's readers do both.

use crate::generation::{GENERATIONS, UNION};
use crate::status::CallStatus;

const DATE_TIME: &str = r#"{"type":"string","pattern":"^(\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?(Z|[+-]\\d{2}:\\d{2}))?$"}"#;

fn int_range(min: &str, max: &str) -> String {
    format!(r#"{{"type":"integer","minimum":{min},"maximum":{max}}}"#)
}

/// The schema of one key's value, as Go reads it.
fn value_schema(key: &str) -> String {
    let string = r#"{"type":"string"}"#.to_string();
    let string_map =
        r#"{"type":["object","null"],"additionalProperties":{"type":"string"}}"#.to_string();
    match key {
        "status" => {
            let mut values = vec![r#""""#.to_string()];
            values.extend(CallStatus::ALL.iter().map(|s| format!("\"{}\"", s.as_str())));
            format!(r#"{{"enum":[{}]}}"#, values.join(","))
        }
        "type" => r#"{"enum":["","sync","async","detached"]}"#.to_string(),
        "format" => r#"{"enum":["","default","http","json"]}"#.to_string(),
        "delay" | "timeout" | "idle_timeout" => int_range("-2147483648", "2147483647"),
        "priority" => r#"{"type":["integer","null"],"minimum":0,"maximum":2}"#.to_string(),
        "memory" => int_range("0", "18446744073709551615"),
        "tmpfs_size" => int_range("0", "4294967295"),
        "execution_duration" => int_range("-9223372036854775808", "9223372036854775807"),
        "cpus" => r#"{"type":["string","null"],"pattern":"^\\s*([0-9]+m|[0-9]*\\.?[0-9]*)\\s*$"}"#.to_string(),
        "base_env" | "env_vars" | "config" => string_map,
        "headers" => r#"{"type":["object","null"],"additionalProperties":{"type":["array","null"],"items":{"type":["string","null"]}}}"#.to_string(),
        "annotations" => r#"{"type":["object","null"]}"#.to_string(),
        "completed_at" | "created_at" | "started_at" => DATE_TIME.to_string(),
        "stats" => format!(
            r#"{{"type":["array","null"],"maxItems":240,"items":{{"type":["object","null"],"properties":{{"timestamp":{DATE_TIME},"metrics":{{"type":["object","null"],"additionalProperties":{}}}}},"additionalProperties":false}}}}"#,
            int_range("0", "18446744073709551615")
        ),
        _ => string,
    }
}

fn properties(keys: impl Iterator<Item = &'static str>) -> String {
    let props: Vec<String> = keys
        .map(|k| format!("\"{k}\":{}", value_schema(k)))
        .collect();
    format!("{{{}}}", props.join(","))
}

/// The schema's JSON text.
pub fn call_json_schema() -> String {
    let mut defs = Vec::new();
    for g in &GENERATIONS {
        let required: Vec<String> = g
            .keys
            .iter()
            .filter(|k| k.always)
            .map(|k| format!("\"{}\"", k.name))
            .collect();
        let last = g.last.unwrap_or("today");
        defs.push(format!(
            r#""call-{name}":{{"title":"A call as releases {name} to {last} write it","description":"{change}","type":"object","properties":{props},"required":[{req}],"additionalProperties":false}}"#,
            name = g.name,
            change = g.change.replace('"', "\\\""),
            props = properties(g.keys.iter().map(|k| k.name)),
            req = required.join(","),
        ));
    }
    let mut union_keys: Vec<&'static str> = UNION.iter().map(|k| k.name).collect();
    union_keys.dedup();
    format!(
        r#"{{"$schema":"https://json-schema.org/draft/2020-12/schema","title":"Fn call record","description":"A call of the Fn server, of any generation (0.3.205 to today). $defs has one strict schema per generation. Written from the fn-calls package's model; the package's readers also check what JSON.parse loses and the rules between fields.","type":"object","properties":{props},"required":["id","status","completed_at","created_at","started_at"],"$defs":{{{defs}}}}}"#,
        props = properties(union_keys.into_iter()),
        defs = defs.join(","),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_schema_is_json_with_one_definition_per_generation() {
        let text = call_json_schema();
        let node = crate::json::parse(text.as_bytes()).expect("valid JSON");
        let crate::json::Value::Object(members) = &node.value else {
            panic!("an object")
        };
        let defs = members.iter().find(|m| m.key.text == "$defs").unwrap();
        let crate::json::Value::Object(gens) = &defs.value.value else {
            panic!("$defs is an object")
        };
        assert_eq!(gens.len(), GENERATIONS.len());
        assert!(text
            .contains(r#""execution_duration":{"type":"integer","minimum":-9223372036854775808"#));
    }
}
