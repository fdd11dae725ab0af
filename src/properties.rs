//! Checking an event's JSONB `properties` against its type's schema.
//!
//! Event types carry a JSON Schema; Mosaic uses a small, flat subset of it (an object of named scalar
//! fields with `type`, `enum`, `maxLength`, `minimum`, `maximum`, plus `required` and
//! `additionalProperties: false`). Checking that subset here, in a few lines that also compile to WASM,
//! keeps the browser's edit panel and the server in agreement without a schema engine in the bundle.

use serde_json::{Map, Value};

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PropertyError {
    /// `properties.<name>`, so a client can point at the field.
    pub field: String,
    pub problem: String,
}

pub fn validate(schema: &Value, properties: &Value) -> Vec<PropertyError> {
    let Some(object) = properties.as_object() else {
        return vec![PropertyError { field: "properties".into(), problem: "must be a JSON object".into() }];
    };
    let declared = schema.get("properties").and_then(Value::as_object).cloned().unwrap_or_default();
    let mut errors = Vec::new();

    for name in schema.get("required").and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str) {
        if !object.contains_key(name) {
            errors.push(error(name, "is required"));
        }
    }
    let closed = schema.get("additionalProperties") == Some(&Value::Bool(false));
    for (name, value) in object {
        match declared.get(name) {
            Some(field_schema) => errors.extend(check_field(name, field_schema, value)),
            None if closed => errors.push(error(name, "is not a known property of this event type")),
            None => {}
        }
    }
    errors
}

fn check_field(name: &str, schema: &Value, value: &Value) -> Option<PropertyError> {
    let rules: &Map<String, Value> = schema.as_object()?;
    if let Some(expected) = rules.get("type").and_then(Value::as_str) {
        let ok = match expected {
            "string" => value.is_string(),
            "number" => value.is_number(),
            "integer" => value.is_i64() || value.is_u64(),
            "boolean" => value.is_boolean(),
            "null" => value.is_null(),
            _ => true,
        };
        if !ok {
            return Some(error(name, &format!("must be a {expected}")));
        }
    }
    if let Some(allowed) = rules.get("enum").and_then(Value::as_array) {
        if !allowed.contains(value) {
            let names: Vec<String> = allowed.iter().map(Value::to_string).collect();
            return Some(error(name, &format!("must be one of {}", names.join(", "))));
        }
    }
    if let (Some(max), Some(s)) = (rules.get("maxLength").and_then(Value::as_u64), value.as_str()) {
        if s.chars().count() as u64 > max {
            return Some(error(name, &format!("must be at most {max} characters")));
        }
    }
    if let (Some(min), Some(n)) = (rules.get("minimum").and_then(Value::as_f64), value.as_f64()) {
        if n < min {
            return Some(error(name, &format!("must be at least {min}")));
        }
    }
    if let (Some(max), Some(n)) = (rules.get("maximum").and_then(Value::as_f64), value.as_f64()) {
        if n > max {
            return Some(error(name, &format!("must be at most {max}")));
        }
    }
    None
}

fn error(name: &str, problem: &str) -> PropertyError {
    PropertyError { field: format!("properties.{name}"), problem: problem.to_string() }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn shift_schema() -> Value {
        json!({
            "type": "object",
            "properties": {
                "role": {"type": "string", "maxLength": 5},
                "headcount": {"type": "integer", "minimum": 1},
                "kind": {"enum": ["regular", "on_call"]}
            },
            "required": ["role"],
            "additionalProperties": false
        })
    }

    #[test]
    fn valid_properties_pass() {
        assert!(validate(&shift_schema(), &json!({"role": "chef", "headcount": 2, "kind": "on_call"})).is_empty());
    }

    #[test]
    fn each_problem_names_its_field() {
        let errors = validate(&shift_schema(), &json!({"role": "sous-chef", "headcount": 0, "colour": "red", "kind": "x"}));
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        for f in ["properties.role", "properties.headcount", "properties.colour", "properties.kind"] {
            assert!(fields.contains(&f), "{f} missing from {errors:?}");
        }
    }

    #[test]
    fn a_missing_required_field_and_a_wrong_type_are_reported() {
        assert_eq!(validate(&shift_schema(), &json!({}))[0].problem, "is required");
        assert_eq!(validate(&shift_schema(), &json!({"role": 3}))[0].problem, "must be a string");
        assert_eq!(validate(&shift_schema(), &json!([1]))[0].field, "properties");
    }
}
