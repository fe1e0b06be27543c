//! Templates written as pretty JSON text directly, byte for byte as `serde_json`'s pretty
//! printer writes them (two-space indent, `": "`, the same escapes).
//!
//! Why not serde: build scripts run unoptimised, and there serde's generic layers cost
//! more than the text itself — a quarter of a large backend's synthesis went to
//! serialising templates. Writing the few shapes a template has by hand is several times
//! faster unoptimised. The output is checked against serde_json's in the tests below and
//! by every golden file.

use std::fmt::Write as _;

use indexmap::IndexMap;

use super::{Output, Parameter, Resource, Template, Value};

/// Pretty JSON text, built one token at a time.
struct Writer {
    out: String,
    depth: usize,
    /// Whether the innermost open container has a member yet.
    filled: Vec<bool>,
}

impl Writer {
    fn open(&mut self, bracket: char) {
        self.out.push(bracket);
        self.depth += 1;
        self.filled.push(false);
    }

    fn close(&mut self, bracket: char) {
        self.depth -= 1;
        if self.filled.pop().unwrap_or(false) {
            self.newline();
        }
        self.out.push(bracket);
    }

    fn newline(&mut self) {
        self.out.push('\n');
        for _ in 0..self.depth {
            self.out.push_str("  ");
        }
    }

    /// Starts the next member of the open container.
    fn next(&mut self) {
        if let Some(filled) = self.filled.last_mut() {
            if *filled {
                self.out.push(',');
            }
            *filled = true;
        }
        self.newline();
    }

    fn key(&mut self, key: &str) {
        self.next();
        self.string(key);
        self.out.push_str(": ");
    }

    fn string(&mut self, text: &str) {
        self.out.push('"');
        let mut plain = 0;
        for (i, byte) in text.bytes().enumerate() {
            let escape = match byte {
                b'"' => "\\\"",
                b'\\' => "\\\\",
                b'\n' => "\\n",
                b'\r' => "\\r",
                b'\t' => "\\t",
                0x08 => "\\b",
                0x0c => "\\f",
                0..=0x1f => "",
                _ => continue,
            };
            self.out.push_str(&text[plain..i]);
            if escape.is_empty() {
                let _ = write!(self.out, "\\u{byte:04x}");
            } else {
                self.out.push_str(escape);
            }
            plain = i + 1;
        }
        self.out.push_str(&text[plain..]);
        self.out.push('"');
    }

    fn value(&mut self, value: &Value) {
        match value {
            Value::Bool(b) => self.out.push_str(if *b { "true" } else { "false" }),
            Value::Int(n) => {
                let _ = write!(self.out, "{n}");
            }
            Value::Str(text) => self.string(text),
            Value::List(items) => self.list(items.iter().map(Item::Value)),
            Value::Map(map) => self.value_map(map),
            Value::Ref(name) => self.single("Ref", Item::Text(name)),
            Value::GetAtt(resource, attribute) => self.single(
                "Fn::GetAtt",
                Item::List(vec![Item::Text(resource), Item::Text(attribute)]),
            ),
            Value::Sub(text) => self.single("Fn::Sub", Item::Text(text)),
            Value::SubWith(text, vars) => self.single(
                "Fn::Sub",
                Item::List(vec![Item::Text(text), Item::Map(vars)]),
            ),
            Value::Join(separator, parts) => self.single(
                "Fn::Join",
                Item::List(vec![
                    Item::Text(separator),
                    Item::List(parts.iter().map(Item::Value).collect()),
                ]),
            ),
            Value::If(condition, a, b) => self.single(
                "Fn::If",
                Item::List(vec![Item::Text(condition), Item::Value(a), Item::Value(b)]),
            ),
            Value::Equals(a, b) => self.single(
                "Fn::Equals",
                Item::List(vec![Item::Value(a), Item::Value(b)]),
            ),
            Value::Not(v) => self.single("Fn::Not", Item::List(vec![Item::Value(v)])),
            Value::ImportValue(v) => self.single("Fn::ImportValue", Item::Value(v)),
        }
    }

    /// `{"key": item}`: an intrinsic function.
    fn single(&mut self, key: &str, item: Item<'_>) {
        self.open('{');
        self.key(key);
        self.item(item);
        self.close('}');
    }

    fn list<'a>(&mut self, items: impl Iterator<Item = Item<'a>>) {
        self.open('[');
        for item in items {
            self.next();
            self.item(item);
        }
        self.close(']');
    }

    fn item(&mut self, item: Item<'_>) {
        match item {
            Item::Text(text) => self.string(text),
            Item::Value(v) => self.value(v),
            Item::List(items) => self.list(items.into_iter()),
            Item::Map(map) => self.value_map(map),
        }
    }

    fn value_map(&mut self, map: &IndexMap<String, Value>) {
        self.open('{');
        for (k, v) in map {
            self.key(k);
            self.value(v);
        }
        self.close('}');
    }

    fn parameter(&mut self, p: &Parameter) {
        self.open('{');
        self.key("Type");
        self.string(&p.kind);
        if let Some(default) = &p.default {
            self.key("Default");
            self.value(default);
        }
        if let Some(description) = &p.description {
            self.key("Description");
            self.string(description);
        }
        if p.no_echo {
            self.key("NoEcho");
            self.out.push_str("true");
        }
        self.close('}');
    }

    fn resource(&mut self, r: &Resource) {
        self.open('{');
        self.key("Type");
        self.string(&r.kind);
        if let Some(condition) = &r.condition {
            self.key("Condition");
            self.string(condition);
        }
        if !r.depends_on.is_empty() {
            self.key("DependsOn");
            self.list(r.depends_on.iter().map(|d| Item::Text(d)));
        }
        if let Some(policy) = r.deletion_policy {
            self.key("DeletionPolicy");
            self.string(policy);
        }
        if let Some(policy) = r.update_replace_policy {
            self.key("UpdateReplacePolicy");
            self.string(policy);
        }
        if let Some(metadata) = &r.metadata {
            self.key("Metadata");
            self.value(metadata);
        }
        self.key("Properties");
        self.value_map(&r.properties);
        self.close('}');
    }

    fn output(&mut self, o: &Output) {
        self.open('{');
        if let Some(description) = &o.description {
            self.key("Description");
            self.string(description);
        }
        self.key("Value");
        self.value(&o.value);
        if let Some(condition) = &o.condition {
            self.key("Condition");
            self.string(condition);
        }
        if let Some(export) = &o.export {
            self.key("Export");
            self.value(export);
        }
        self.close('}');
    }

    fn section<T>(&mut self, key: &str, map: &IndexMap<String, T>, each: fn(&mut Self, &T)) {
        self.key(key);
        self.open('{');
        for (k, v) in map {
            self.key(k);
            each(self, v);
        }
        self.close('}');
    }
}

/// One member of a list written by hand: a string, a value, a nested list or a map.
enum Item<'a> {
    Text(&'a str),
    Value(&'a Value),
    List(Vec<Item<'a>>),
    Map(&'a IndexMap<String, Value>),
}

/// The template's pretty JSON text with a trailing newline.
pub(super) fn template(t: &Template) -> String {
    let mut w = Writer {
        out: String::with_capacity(4096),
        depth: 0,
        filled: Vec::new(),
    };
    w.open('{');
    w.key("AWSTemplateFormatVersion");
    w.string(t.format_version);
    if !t.description.is_empty() {
        w.key("Description");
        w.string(&t.description);
    }
    if !t.parameters.is_empty() {
        w.section("Parameters", &t.parameters, Writer::parameter);
    }
    if !t.conditions.is_empty() {
        w.section("Conditions", &t.conditions, Writer::value);
    }
    w.section("Resources", &t.resources, Writer::resource);
    if !t.outputs.is_empty() {
        w.section("Outputs", &t.outputs, Writer::output);
    }
    w.close('}');
    w.out.push('\n');
    w.out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cfn::{list, obj};

    /// Every shape a template holds, with every escape, written as serde_json writes it.
    #[test]
    fn the_text_is_serde_json_s_pretty_text() {
        let mut t = Template::new("a \"quoted\" \\ description\nwith\ttabs \u{1} and ünïcode/");
        t.string_param("env").describe("the environment");
        t.parameters.insert(
            "Secret".into(),
            Parameter {
                kind: "Number".into(),
                default: Some(Value::Int(-3)),
                description: None,
                no_echo: true,
            },
        );
        t.conditions.insert(
            "IsProd".into(),
            Value::Not(Box::new(Value::Equals(
                Box::new(Value::r#ref("env")),
                Box::new("prod".into()),
            ))),
        );
        let mut vars = IndexMap::new();
        vars.insert("Name".to_owned(), Value::get_att("R", "Arn"));
        let mut r = Resource::new("AWS::S3::Bucket")
            .prop("A", Value::SubWith("${Name}-x".into(), vars))
            .prop(
                "B",
                list([Value::Bool(true), Value::List(vec![]), obj::<&str>([])]),
            )
            .prop(
                "C",
                Value::If(
                    "IsProd".into(),
                    Box::new(Value::Join(
                        ",".into(),
                        vec!["a".into(), Value::sub("${env}")],
                    )),
                    Box::new(Value::ImportValue(Box::new(Value::no_value()))),
                ),
            )
            .checkov_skip("CKV_1", "why");
        r.depends_on = vec!["Other".into()];
        r.deletion_policy = Some("Retain");
        r.update_replace_policy = Some("Retain");
        r.condition = Some("IsProd".into());
        t.resource("Bucket", r);
        t.resource("Empty", Resource::new("AWS::SNS::Topic"));
        let out = t.output("Name", Value::r#ref("Bucket"));
        out.description = Some("name".into());
        out.condition = Some("IsProd".into());
        out.export = Some(obj([("Name", Value::sub("${AWS::StackName}-n"))]));
        let mut expected = serde_json::to_string_pretty(&t).unwrap();
        expected.push('\n');
        assert_eq!(template(&t), expected);
        let bare = Template::new("");
        let mut expected = serde_json::to_string_pretty(&bare).unwrap();
        expected.push('\n');
        assert_eq!(template(&bare), expected);
    }
}
