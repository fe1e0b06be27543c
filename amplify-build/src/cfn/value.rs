//! CloudFormation property values, with intrinsic functions as types.
//!
//! Templates are built from [`Value`] rather than `serde_json::json!` blobs so that a
//! misspelt intrinsic (`Fn::GetAt`) cannot be written, and so that references can be
//! inspected (for example to list the parameters a template really uses).

use indexmap::IndexMap;
use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};

/// One value in a template: a literal, a container, or an intrinsic function.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// `true` / `false`.
    Bool(bool),
    /// An integer literal.
    Int(i64),
    /// A string literal.
    Str(String),
    /// A JSON array.
    List(Vec<Value>),
    /// A JSON object with keys in insertion order.
    Map(IndexMap<String, Value>),
    /// `{"Ref": name}`: a parameter, a resource or a pseudo parameter.
    Ref(String),
    /// `{"Fn::GetAtt": [resource, attribute]}`.
    GetAtt(String, String),
    /// `{"Fn::Sub": text}` with `${Name}` placeholders.
    Sub(String),
    /// `{"Fn::Sub": [text, {var: value}]}`.
    SubWith(String, IndexMap<String, Value>),
    /// `{"Fn::Join": [separator, parts]}`.
    Join(String, Vec<Value>),
    /// `{"Fn::If": [condition, then, else]}`.
    If(String, Box<Value>, Box<Value>),
    /// `{"Fn::Equals": [a, b]}` (conditions only).
    Equals(Box<Value>, Box<Value>),
    /// `{"Fn::Not": [condition]}` (conditions only).
    Not(Box<Value>),
    /// `{"Fn::ImportValue": name}`.
    ImportValue(Box<Value>),
}

impl Value {
    /// `{"Ref": "AWS::NoValue"}`: removes the property it is assigned to.
    pub fn no_value() -> Value {
        Value::Ref("AWS::NoValue".into())
    }

    /// A `Ref` to `name`.
    pub fn r#ref(name: impl Into<String>) -> Value {
        Value::Ref(name.into())
    }

    /// `Fn::GetAtt` on `resource.attribute`.
    pub fn get_att(resource: impl Into<String>, attribute: impl Into<String>) -> Value {
        Value::GetAtt(resource.into(), attribute.into())
    }

    /// `Fn::Sub` of a text with `${...}` placeholders.
    pub fn sub(text: impl Into<String>) -> Value {
        Value::Sub(text.into())
    }

    /// `Fn::Sub` when `text` has a placeholder; otherwise the plain string, with
    /// `${!x}` escapes turned back into the literal `${x}` they stand for.
    pub fn sub_if_needed(text: impl Into<String>) -> Value {
        let text = text.into();
        let mut has_placeholder = false;
        sub_placeholders(&text, &[], &mut |_| has_placeholder = true);
        if has_placeholder {
            Value::Sub(text)
        } else {
            Value::Str(text.replace("${!", "${"))
        }
    }

    /// Calls `f` on every `Ref` target and every `${Name}` placeholder of a `Fn::Sub`.
    pub fn visit_refs(&self, f: &mut dyn FnMut(&str)) {
        match self {
            Value::Bool(_) | Value::Int(_) | Value::Str(_) => {}
            Value::List(items) | Value::Join(_, items) => {
                items.iter().for_each(|v| v.visit_refs(f))
            }
            Value::Map(map) => map.values().for_each(|v| v.visit_refs(f)),
            Value::Ref(name) => f(name),
            Value::GetAtt(resource, _) => f(resource),
            Value::Sub(text) => sub_placeholders(text, &[], f),
            Value::SubWith(text, vars) => {
                let local: Vec<&str> = vars.keys().map(String::as_str).collect();
                sub_placeholders(text, &local, f);
                vars.values().for_each(|v| v.visit_refs(f));
            }
            Value::If(_, a, b) | Value::Equals(a, b) => {
                a.visit_refs(f);
                b.visit_refs(f);
            }
            Value::Not(v) | Value::ImportValue(v) => v.visit_refs(f),
        }
    }
}

/// Reports the names inside `${...}` of a `Fn::Sub` text, skipping `${!literal}`
/// escapes and the Sub's own variables. `${Res.Attr}` reports `Res`.
fn sub_placeholders(text: &str, local: &[&str], f: &mut dyn FnMut(&str)) {
    let mut rest = text;
    while let Some(start) = rest.find("${") {
        let after = &rest[start + 2..];
        let Some(end) = after.find('}') else { break };
        let name = &after[..end];
        if !name.starts_with('!') {
            let head = name.split('.').next().unwrap_or(name);
            if !local.contains(&name) {
                f(head);
            }
        }
        rest = &after[end + 1..];
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Self {
        Value::Str(s.to_owned())
    }
}

impl From<String> for Value {
    fn from(s: String) -> Self {
        Value::Str(s)
    }
}

impl From<&String> for Value {
    fn from(s: &String) -> Self {
        Value::Str(s.clone())
    }
}

impl From<bool> for Value {
    fn from(b: bool) -> Self {
        Value::Bool(b)
    }
}

impl From<i64> for Value {
    fn from(n: i64) -> Self {
        Value::Int(n)
    }
}

impl From<u32> for Value {
    fn from(n: u32) -> Self {
        Value::Int(n.into())
    }
}

impl<T: Into<Value>> From<Vec<T>> for Value {
    fn from(items: Vec<T>) -> Self {
        Value::List(items.into_iter().map(Into::into).collect())
    }
}

/// Builds a JSON object value from `(key, value)` pairs, keeping their order.
pub fn obj<K: Into<String>>(pairs: impl IntoIterator<Item = (K, Value)>) -> Value {
    Value::Map(pairs.into_iter().map(|(k, v)| (k.into(), v)).collect())
}

/// Builds a JSON array value.
pub fn list(items: impl IntoIterator<Item = Value>) -> Value {
    Value::List(items.into_iter().collect())
}

fn single<S: Serializer, V: Serialize + ?Sized>(
    s: S,
    key: &str,
    value: &V,
) -> Result<S::Ok, S::Error> {
    let mut map = s.serialize_map(Some(1))?;
    map.serialize_entry(key, value)?;
    map.end()
}

impl Serialize for Value {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Value::Bool(b) => s.serialize_bool(*b),
            Value::Int(n) => s.serialize_i64(*n),
            Value::Str(text) => s.serialize_str(text),
            Value::List(items) => items.serialize(s),
            Value::Map(map) => map.serialize(s),
            Value::Ref(name) => single(s, "Ref", name),
            Value::GetAtt(res, attr) => single(s, "Fn::GetAtt", &[res, attr]),
            Value::Sub(text) => single(s, "Fn::Sub", text),
            Value::SubWith(text, vars) => single(s, "Fn::Sub", &(text, vars)),
            Value::Join(sep, parts) => single(s, "Fn::Join", &(sep, parts)),
            Value::If(cond, a, b) => single(s, "Fn::If", &(cond, a, b)),
            Value::Equals(a, b) => single(s, "Fn::Equals", &(a, b)),
            Value::Not(v) => single(s, "Fn::Not", &[v]),
            Value::ImportValue(v) => single(s, "Fn::ImportValue", v),
        }
    }
}
