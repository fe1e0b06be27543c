//! Reading a CloudFormation template someone wrote (a custom resource's JSON file) into
//! the typed IR, so that it is checked, linted and deployed like a synthesised one:
//! intrinsic functions become [`Value`]'s variants, so the references a check follows
//! (which parameters are used) are seen in it too.

use std::borrow::Cow;

use indexmap::IndexMap;
use serde_json::Value as Json;

use super::{Output, Parameter, Resource, Template, Value};

/// Why a template cannot be read, in words for the declaration's error.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReadError {
    /// Not JSON.
    #[error("it is not JSON ({0}); write the template in JSON (YAML templates: convert them, e.g. with cfn-flip)")]
    Json(String),
    /// JSON, but not a template.
    #[error("{0}")]
    Shape(String),
}

fn shape(message: impl Into<String>) -> ReadError {
    ReadError::Shape(message.into())
}

/// The template in `text`.
pub fn read_template(text: &str) -> Result<Template, ReadError> {
    let doc: Json = serde_json::from_str(text).map_err(|e| ReadError::Json(e.to_string()))?;
    let Json::Object(doc) = doc else {
        return Err(shape(
            "it is not a template: a JSON object with `Resources` is",
        ));
    };
    for key in doc.keys() {
        if !matches!(
            key.as_str(),
            "AWSTemplateFormatVersion"
                | "Description"
                | "Parameters"
                | "Conditions"
                | "Resources"
                | "Outputs"
                | "Metadata"
        ) {
            return Err(shape(format!(
                "its `{key}` section is not supported; keep to Parameters, Conditions, Resources and Outputs (a Mappings table can become parameters or conditions)"
            )));
        }
    }
    let description = doc
        .get("Description")
        .and_then(Json::as_str)
        .unwrap_or_default();
    let mut template = Template::new(description);
    for (name, p) in section(&doc, "Parameters")? {
        template
            .parameters
            .insert(name.clone(), parameter(name, p)?);
    }
    for (name, c) in section(&doc, "Conditions")? {
        template.conditions.insert(name.clone(), value(c.clone()));
    }
    let resources = section(&doc, "Resources")?;
    if resources.is_empty() {
        return Err(shape(
            "it has no `Resources`: a template creates at least one",
        ));
    }
    for (name, r) in resources {
        template.resources.insert(name.clone(), resource(name, r)?);
    }
    for (name, o) in section(&doc, "Outputs")? {
        template.outputs.insert(name.clone(), output(name, o)?);
    }
    Ok(template)
}

fn section<'a>(
    doc: &'a serde_json::Map<String, Json>,
    key: &str,
) -> Result<Vec<(&'a String, &'a Json)>, ReadError> {
    match doc.get(key) {
        None => Ok(Vec::new()),
        Some(Json::Object(m)) => Ok(m.iter().collect()),
        Some(_) => Err(shape(format!("its `{key}` is not an object"))),
    }
}

fn parameter(name: &str, p: &Json) -> Result<Parameter, ReadError> {
    let kind = p["Type"]
        .as_str()
        .ok_or_else(|| shape(format!("parameter `{name}` has no `Type`")))?;
    let mut out = Parameter::new(Cow::Owned(kind.to_owned()));
    out.default = p.get("Default").cloned().map(value);
    out.description = p["Description"].as_str().map(ToOwned::to_owned);
    out.no_echo = p["NoEcho"] == Json::Bool(true) || p["NoEcho"] == "true";
    Ok(out)
}

fn resource(name: &str, r: &Json) -> Result<Resource, ReadError> {
    let kind = r["Type"]
        .as_str()
        .ok_or_else(|| shape(format!("resource `{name}` has no `Type`")))?;
    let mut out = Resource::new(Cow::Owned(kind.to_owned()));
    if let Some(Json::Object(props)) = r.get("Properties") {
        out.properties = props
            .iter()
            .map(|(k, v)| (k.clone(), value(v.clone())))
            .collect::<IndexMap<_, _>>();
    }
    out.condition = r["Condition"].as_str().map(ToOwned::to_owned);
    out.depends_on = match &r["DependsOn"] {
        Json::String(one) => vec![one.clone()],
        Json::Array(many) => many
            .iter()
            .filter_map(|d| d.as_str().map(ToOwned::to_owned))
            .collect(),
        _ => Vec::new(),
    };
    out.deletion_policy = policy(name, "DeletionPolicy", &r["DeletionPolicy"])?;
    out.update_replace_policy = policy(name, "UpdateReplacePolicy", &r["UpdateReplacePolicy"])?;
    out.metadata = r.get("Metadata").cloned().map(value);
    Ok(out)
}

fn policy(name: &str, key: &str, v: &Json) -> Result<Option<&'static str>, ReadError> {
    match v.as_str() {
        None if v.is_null() => Ok(None),
        Some("Delete") => Ok(Some("Delete")),
        Some("Retain") => Ok(Some("Retain")),
        Some("Snapshot") => Ok(Some("Snapshot")),
        Some("RetainExceptOnCreate") => Ok(Some("RetainExceptOnCreate")),
        _ => Err(shape(format!(
            "resource `{name}` has `{key}: {v}`; use Delete, Retain, Snapshot or RetainExceptOnCreate"
        ))),
    }
}

fn output(name: &str, o: &Json) -> Result<Output, ReadError> {
    let v = o
        .get("Value")
        .ok_or_else(|| shape(format!("output `{name}` has no `Value`")))?;
    Ok(Output {
        description: o["Description"].as_str().map(ToOwned::to_owned),
        value: value(v.clone()),
        condition: o["Condition"].as_str().map(ToOwned::to_owned),
        export: o.get("Export").cloned().map(value),
    })
}

/// A JSON value with its intrinsic functions as [`Value`]'s variants.
fn value(v: Json) -> Value {
    match v {
        Json::Null => Value::Map(IndexMap::new()),
        Json::Bool(b) => Value::Bool(b),
        Json::Number(n) => match n.as_i64() {
            Some(i) => Value::Int(i),
            // CloudFormation reads numbers from strings as well.
            None => Value::Str(n.to_string()),
        },
        Json::String(s) => Value::Str(s),
        Json::Array(items) => Value::List(items.into_iter().map(value).collect()),
        Json::Object(map) => intrinsic(map),
    }
}

fn intrinsic(map: serde_json::Map<String, Json>) -> Value {
    if map.len() == 1 {
        let (key, arg) = map.iter().next().expect("one entry");
        let args = arg.as_array().map(Vec::as_slice).unwrap_or_default();
        let text = |i: usize| args.get(i).and_then(Json::as_str).map(ToOwned::to_owned);
        let read = match (key.as_str(), arg) {
            ("Ref", Json::String(name)) => Some(Value::Ref(name.clone())),
            ("Fn::GetAtt", Json::String(dotted)) => dotted
                .split_once('.')
                .map(|(r, a)| Value::GetAtt(r.to_owned(), a.to_owned())),
            ("Fn::GetAtt", Json::Array(_)) => {
                text(0).zip(text(1)).map(|(r, a)| Value::GetAtt(r, a))
            }
            ("Fn::Sub", Json::String(s)) => Some(Value::Sub(s.clone())),
            ("Fn::Sub", Json::Array(_)) => match (text(0), args.get(1)) {
                (Some(s), Some(Json::Object(vars))) => Some(Value::SubWith(
                    s,
                    vars.iter()
                        .map(|(k, v)| (k.clone(), value(v.clone())))
                        .collect(),
                )),
                _ => None,
            },
            ("Fn::Join", Json::Array(_)) => match (text(0), args.get(1)) {
                (Some(sep), Some(Json::Array(parts))) => {
                    Some(Value::Join(sep, parts.iter().cloned().map(value).collect()))
                }
                _ => None,
            },
            ("Fn::If", Json::Array(_)) if args.len() == 3 => text(0).map(|c| {
                Value::If(
                    c,
                    Box::new(value(args[1].clone())),
                    Box::new(value(args[2].clone())),
                )
            }),
            ("Fn::Equals", Json::Array(_)) if args.len() == 2 => Some(Value::Equals(
                Box::new(value(args[0].clone())),
                Box::new(value(args[1].clone())),
            )),
            ("Fn::Not", Json::Array(_)) if args.len() == 1 => {
                Some(Value::Not(Box::new(value(args[0].clone()))))
            }
            ("Fn::ImportValue", v) => Some(Value::ImportValue(Box::new(value(v.clone())))),
            _ => None,
        };
        if let Some(read) = read {
            return read;
        }
    }
    // Any other object (other intrinsics included) is kept as it is, member by member.
    Value::Map(map.into_iter().map(|(k, v)| (k, value(v))).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEMPLATE: &str = r#"{
      "AWSTemplateFormatVersion": "2010-09-09",
      "Description": "alerts",
      "Parameters": {
        "env": {"Type": "String"},
        "storagePostTableArn": {"Type": "String"}
      },
      "Conditions": {"IsProd": {"Fn::Equals": [{"Ref": "env"}, "prod"]}},
      "Resources": {
        "Topic": {
          "Type": "AWS::SNS::Topic",
          "Properties": {
            "TopicName": {"Fn::Sub": "alerts-${env}"},
            "Tags": [{"Key": "table", "Value": {"Ref": "storagePostTableArn"}}]
          }
        }
      },
      "Outputs": {"TopicArn": {"Value": {"Ref": "Topic"}}, "Name": {"Value": {"Fn::GetAtt": ["Topic", "TopicName"]}}}
    }"#;

    #[test]
    fn a_template_reads_into_the_ir_with_its_references_seen() {
        let t = read_template(TEMPLATE).unwrap();
        assert_eq!(t.resources["Topic"].kind, "AWS::SNS::Topic");
        assert!(
            t.unused_parameters().is_empty(),
            "{:?}",
            t.unused_parameters()
        );
        assert_eq!(t.outputs.keys().collect::<Vec<_>>(), ["TopicArn", "Name"]);
        let written: Json = serde_json::from_str(&t.to_json()).unwrap();
        let original: Json = serde_json::from_str(TEMPLATE).unwrap();
        assert_eq!(written["Resources"], original["Resources"], "same meaning");
        assert_eq!(written["Conditions"], original["Conditions"]);
        assert_eq!(written["Outputs"], original["Outputs"]);
    }

    #[test]
    fn what_is_not_a_template_is_named() {
        assert!(matches!(read_template("{"), Err(ReadError::Json(_))));
        let e = read_template(r#"{"Resources": {}}"#).unwrap_err();
        assert!(e.to_string().contains("no `Resources`"), "{e}");
        let e =
            read_template(r#"{"Mappings": {}, "Resources": {"A": {"Type": "X"}}}"#).unwrap_err();
        assert!(
            e.to_string()
                .contains("`Mappings` section is not supported"),
            "{e}"
        );
        let e = read_template(r#"{"Resources": {"A": {"Properties": {}}}}"#).unwrap_err();
        assert!(e.to_string().contains("resource `A` has no `Type`"), "{e}");
    }
}
