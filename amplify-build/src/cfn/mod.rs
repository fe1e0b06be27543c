//! A typed CloudFormation intermediate representation.
//!
//! Logical ids live in ordered maps so that a template serialises to the same bytes
//! every time; [`Template::to_json`] is the only place JSON text is produced.

mod json;
pub mod policy;
mod read;
mod value;

use std::borrow::Cow;

use indexmap::IndexMap;
use serde::Serialize;

pub use read::{read_template, ReadError};
pub use value::{list, obj, Value};

/// A CloudFormation template.
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Template {
    #[serde(rename = "AWSTemplateFormatVersion")]
    format_version: &'static str,
    /// Free-text description; Amplify stores a JSON blob here.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// Input parameters by logical id.
    #[serde(skip_serializing_if = "IndexMap::is_empty")]
    pub parameters: IndexMap<String, Parameter>,
    /// Named conditions.
    #[serde(skip_serializing_if = "IndexMap::is_empty")]
    pub conditions: IndexMap<String, Value>,
    /// Resources by logical id.
    pub resources: IndexMap<String, Resource>,
    /// Outputs by logical id.
    #[serde(skip_serializing_if = "IndexMap::is_empty")]
    pub outputs: IndexMap<String, Output>,
}

impl Template {
    /// An empty template with the given description.
    pub fn new(description: impl Into<String>) -> Self {
        Template {
            format_version: "2010-09-09",
            description: description.into(),
            ..Template::default()
        }
    }

    /// Declares a `String` parameter.
    pub fn string_param(&mut self, name: impl Into<String>) -> &mut Parameter {
        self.parameters
            .entry(name.into())
            .or_insert_with(|| Parameter::new("String"))
    }

    /// Adds a resource.
    pub fn resource(&mut self, logical_id: impl Into<String>, resource: Resource) -> &mut Self {
        self.resources.insert(logical_id.into(), resource);
        self
    }

    /// Adds an output.
    pub fn output(&mut self, name: impl Into<String>, value: Value) -> &mut Output {
        let name = name.into();
        self.outputs.entry(name).or_insert(Output {
            description: None,
            value,
            condition: None,
            export: None,
        })
    }

    /// Pretty-printed JSON with a trailing newline: the exact bytes written to disk.
    pub fn to_json(&self) -> String {
        json::template(self)
    }

    /// Names of the parameters that no resource, output or condition refers to.
    ///
    /// Synthesis asserts this is empty: cfn-lint warns (W2001) on unused parameters.
    pub fn unused_parameters(&self) -> Vec<&str> {
        let mut used = std::collections::HashSet::new();
        let mut note = |name: &str| {
            used.insert(name.to_owned());
        };
        for c in self.conditions.values() {
            c.visit_refs(&mut note);
        }
        for r in self.resources.values() {
            for v in r.properties.values() {
                v.visit_refs(&mut note);
            }
        }
        for o in self.outputs.values() {
            o.value.visit_refs(&mut note);
        }
        self.parameters
            .keys()
            .filter(|k| !used.contains(k.as_str()))
            .map(String::as_str)
            .collect()
    }
}

/// Serialises any value as the project's canonical JSON text.
pub fn to_pretty_json<T: Serialize + ?Sized>(value: &T) -> String {
    let mut text =
        serde_json::to_string_pretty(value).expect("in-memory JSON serialisation cannot fail");
    text.push('\n');
    text
}

/// A template parameter.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Parameter {
    /// `String`, `Number`, `CommaDelimitedList`, …
    #[serde(rename = "Type")]
    pub kind: Cow<'static, str>,
    /// Default value, if the parameter is optional.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default: Option<Value>,
    /// Human-readable description.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// CloudFormation masks the value in its console and API answers.
    #[serde(rename = "NoEcho", skip_serializing_if = "std::ops::Not::not")]
    pub no_echo: bool,
}

impl Parameter {
    /// A parameter of the given CloudFormation type.
    pub fn new(kind: impl Into<Cow<'static, str>>) -> Self {
        Parameter {
            kind: kind.into(),
            default: None,
            description: None,
            no_echo: false,
        }
    }

    /// Masks the value (a secret).
    pub fn no_echo(&mut self) -> &mut Self {
        self.no_echo = true;
        self
    }

    /// Sets the description.
    pub fn describe(&mut self, text: impl Into<String>) -> &mut Self {
        self.description = Some(text.into());
        self
    }
}

/// A resource.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Resource {
    /// The resource type, e.g. `AWS::S3::Bucket`.
    #[serde(rename = "Type")]
    pub kind: Cow<'static, str>,
    /// Condition that gates the resource.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub condition: Option<String>,
    /// Explicit ordering dependencies (only where no `Ref`/`GetAtt` implies one).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub depends_on: Vec<String>,
    /// `Retain`, `Delete` or `Snapshot`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deletion_policy: Option<&'static str>,
    /// Policy applied when an update replaces the resource.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub update_replace_policy: Option<&'static str>,
    /// Resource metadata (e.g. documented checkov skips).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub metadata: Option<Value>,
    /// Resource properties; written even when empty (tools such as CDK's `CfnInclude`
    /// read `Properties` of every resource).
    pub properties: IndexMap<String, Value>,
}

impl Resource {
    /// A resource of `kind` with no properties yet.
    pub fn new(kind: impl Into<Cow<'static, str>>) -> Self {
        Resource {
            kind: kind.into(),
            condition: None,
            depends_on: Vec::new(),
            deletion_policy: None,
            update_replace_policy: None,
            metadata: None,
            properties: IndexMap::new(),
        }
    }

    /// Sets a property (builder style).
    pub fn prop(mut self, name: &str, value: impl Into<Value>) -> Self {
        self.properties.insert(name.to_owned(), value.into());
        self
    }

    /// Sets a property only when `value` is `Some`.
    pub fn prop_opt(self, name: &str, value: Option<impl Into<Value>>) -> Self {
        match value {
            Some(v) => self.prop(name, v),
            None => self,
        }
    }

    /// Keeps the physical resource when the stack is deleted or the resource replaced.
    pub fn retain(mut self) -> Self {
        self.deletion_policy = Some("Retain");
        self.update_replace_policy = Some("Retain");
        self
    }

    /// Gates the resource on a named condition.
    pub fn when(mut self, condition: impl Into<String>) -> Self {
        self.condition = Some(condition.into());
        self
    }

    /// Records a checkov exception only when `condition` holds (a user's explicit choice).
    pub fn checkov_skip_if(self, condition: bool, id: &str, comment: &str) -> Self {
        if condition {
            self.checkov_skip(id, comment)
        } else {
            self
        }
    }

    /// Records a deliberate, documented exception to a checkov rule.
    pub fn checkov_skip(mut self, id: &str, comment: &str) -> Self {
        let entry = obj([("id", Value::from(id)), ("comment", Value::from(comment))]);
        let skips = match self.metadata.take() {
            Some(Value::Map(mut meta)) => {
                if let Some(Value::Map(checkov)) = meta.get_mut("checkov") {
                    if let Some(Value::List(list)) = checkov.get_mut("skip") {
                        list.push(entry);
                    }
                    Value::Map(meta)
                } else {
                    meta.insert("checkov".into(), obj([("skip", list([entry]))]));
                    Value::Map(meta)
                }
            }
            _ => obj([("checkov", obj([("skip", list([entry]))]))]),
        };
        self.metadata = Some(skips);
        self
    }
}

/// A template output.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Output {
    /// Human-readable description.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The output's value.
    pub value: Value,
    /// Condition that gates the output.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub condition: Option<String>,
    /// Cross-stack export.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub export: Option<Value>,
}

impl Output {
    /// Exports the output under `name` (an expression, usually a `Fn::Sub`).
    pub fn export_as(&mut self, name: Value) -> &mut Self {
        self.export = Some(obj([("Name", name)]));
        self
    }

    /// Gates the output on a named condition.
    pub fn when(&mut self, condition: impl Into<String>) -> &mut Self {
        self.condition = Some(condition.into());
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn intrinsics_serialise_in_cloudformation_shape() {
        let v = obj([
            ("a", Value::r#ref("X")),
            ("b", Value::get_att("R", "Arn")),
            (
                "c",
                Value::Join("/".into(), vec!["x".into(), Value::r#ref("Y")]),
            ),
            (
                "d",
                Value::If(
                    "C".into(),
                    Box::new(1i64.into()),
                    Box::new(Value::no_value()),
                ),
            ),
        ]);
        let text = serde_json::to_string(&v).unwrap();
        assert_eq!(
            text,
            r#"{"a":{"Ref":"X"},"b":{"Fn::GetAtt":["R","Arn"]},"c":{"Fn::Join":["/",["x",{"Ref":"Y"}]]},"d":{"Fn::If":["C",1,{"Ref":"AWS::NoValue"}]}}"#
        );
    }

    #[test]
    fn unused_parameters_see_through_sub_placeholders() {
        let mut t = Template::new("t");
        t.string_param("env");
        t.string_param("unused");
        t.string_param("escaped");
        t.resource(
            "B",
            Resource::new("AWS::S3::Bucket").prop("BucketName", Value::sub("x-${env}-${!escaped}")),
        );
        assert_eq!(t.unused_parameters(), vec!["unused", "escaped"]);
    }

    #[test]
    fn sub_only_when_there_is_something_to_substitute() {
        assert_eq!(
            Value::sub_if_needed("private/${!cognito:sub}/"),
            Value::Str("private/${cognito:sub}/".into())
        );
        assert_eq!(Value::sub_if_needed("${B}/x"), Value::Sub("${B}/x".into()));
    }

    #[test]
    fn checkov_skips_accumulate() {
        let r = Resource::new("AWS::S3::Bucket")
            .checkov_skip("CKV_AWS_18", "a")
            .checkov_skip("CKV_AWS_21", "b");
        let text = serde_json::to_string(&r.metadata.unwrap()).unwrap();
        assert_eq!(
            text,
            r#"{"checkov":{"skip":[{"id":"CKV_AWS_18","comment":"a"},{"id":"CKV_AWS_21","comment":"b"}]}}"#
        );
    }
}
