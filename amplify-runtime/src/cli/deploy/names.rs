//! Physical names as CloudFormation would resolve them, to tell whether a push renames
//! (and so replaces) a table or a bucket. Two templates can spell one name differently —
//! Amplify Gen 1 writes `Fn::Join` over parameters its parent passes, amplify-rs writes
//! `Fn::Sub` — so names are compared resolved: each `Ref` to a parameter is followed to the
//! value the parent stack passes (up to the root, where `env` is the environment's name),
//! conditions on known values are decided, and what is only known once deployed (an API
//! id, a stack's own name) stays a symbol named by where it comes from, equal on both
//! sides when it comes from the same resource.

use std::cell::RefCell;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde_json::Value as Json;

/// A resolved name: literal text and symbols for values known only once deployed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Part {
    /// Literal text.
    Text(String),
    /// A deploy-time value (`apiBlog#GraphQLAPI.ApiId`).
    Symbol(String),
}

/// A name as parts, adjacent texts merged.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Name(pub Vec<Part>);

impl Name {
    fn push(&mut self, part: Part) {
        match (self.0.last_mut(), part) {
            (_, Part::Text(t)) if t.is_empty() => {}
            (Some(Part::Text(last)), Part::Text(t)) => last.push_str(&t),
            (_, part) => self.0.push(part),
        }
    }

    fn extend(&mut self, other: Name) {
        other.0.into_iter().for_each(|p| self.push(p));
    }

    fn text(t: impl Into<String>) -> Name {
        let mut n = Name::default();
        n.push(Part::Text(t.into()));
        n
    }

    fn symbol(s: impl Into<String>) -> Name {
        Name(vec![Part::Symbol(s.into())])
    }

    /// The whole text, when the name has no symbol.
    fn literal(&self) -> Option<String> {
        let mut out = String::new();
        for p in &self.0 {
            match p {
                Part::Text(t) => out.push_str(t),
                Part::Symbol(_) => return None,
            }
        }
        Some(out)
    }

    /// The items of a list value, as a `CommaDelimitedList` parameter's text holds them
    /// (`"email,phone_number"`); a value known only once deployed is one item.
    fn items(&self) -> Vec<String> {
        match self.literal() {
            Some(text) => text
                .split(',')
                .map(str::trim)
                .filter(|item| !item.is_empty())
                .map(str::to_owned)
                .collect(),
            None if self.0 == [Part::Symbol("AWS::NoValue".into())] => Vec::new(),
            None => vec![self.render()],
        }
    }

    fn render(&self) -> String {
        self.0
            .iter()
            .map(|p| match p {
                Part::Text(t) => t.clone(),
                Part::Symbol(s) => format!("<{s}>"),
            })
            .collect()
    }
}

/// One template in its stack tree: its parent's scope and the `Parameters` the parent
/// passes it.
pub struct Scope<'a> {
    template: &'a Json,
    path: String,
    parent: Option<(&'a Scope<'a>, &'a Json)>,
    env: &'a str,
}

impl<'a> Scope<'a> {
    /// The root stack's scope, deployed as environment `env`.
    pub fn root(template: &'a Json, env: &'a str) -> Scope<'a> {
        Scope {
            template,
            path: String::new(),
            parent: None,
            env,
        }
    }

    /// The scope of `template`, nested in this one as resource `logical` (with the
    /// `Parameters` that resource passes; none when this template does not hold it).
    pub fn nested(&'a self, logical: &str, template: &'a Json) -> Scope<'a> {
        let passed = self.template["Resources"][logical]["Properties"]
            .get("Parameters")
            .filter(|p| p.is_object());
        Scope {
            template,
            path: if self.path.is_empty() {
                logical.to_owned()
            } else {
                format!("{}/{logical}", self.path)
            },
            parent: passed.map(|p| (self, p)),
            env: self.env,
        }
    }

    /// The name `value` resolves to in this template.
    pub fn resolve(&self, value: &Json) -> Name {
        match value {
            Json::String(s) => Name::text(s.clone()),
            Json::Number(n) => Name::text(n.to_string()),
            Json::Bool(b) => Name::text(b.to_string()),
            Json::Object(map) if map.len() == 1 => {
                let (key, args) = map.iter().next().expect("one entry");
                self.intrinsic(key, args)
                    .unwrap_or_else(|| Name::symbol(value.to_string()))
            }
            other => Name::symbol(other.to_string()),
        }
    }

    fn intrinsic(&self, key: &str, args: &Json) -> Option<Name> {
        let list = args.as_array();
        Some(match key {
            "Ref" => self.reference(args.as_str()?),
            "Fn::GetAtt" => {
                let (resource, attribute) = match args {
                    Json::String(s) => s.split_once('.')?,
                    _ => (list?.first()?.as_str()?, list?.get(1)?.as_str()?),
                };
                Name::symbol(format!("{}#{resource}.{attribute}", self.path))
            }
            "Fn::Sub" => match args {
                Json::String(text) => self.substitute(text, None),
                _ => self.substitute(list?.first()?.as_str()?, list?.get(1)),
            },
            "Fn::Join" => {
                let separator = list?.first()?.as_str()?;
                let mut out = Name::default();
                for (i, part) in list?.get(1)?.as_array()?.iter().enumerate() {
                    if i > 0 {
                        out.push(Part::Text(separator.to_owned()));
                    }
                    out.extend(self.resolve(part));
                }
                out
            }
            "Fn::Select" => self.select(list?.first()?, list?.get(1)?)?,
            "Fn::If" => {
                let branch = match self.condition_named(list?.first()?.as_str()?)? {
                    true => list?.get(1)?,
                    false => list?.get(2)?,
                };
                self.resolve(branch)
            }
            _ => return None,
        })
    }

    /// `Ref name`: a parameter's passed value (or default), the environment's name at
    /// the root, else a symbol.
    fn reference(&self, name: &str) -> Name {
        if name.starts_with("AWS::") {
            return match name {
                "AWS::StackName" | "AWS::StackId" => Name::symbol(format!("{}#{name}", self.path)),
                _ => Name::symbol(name),
            };
        }
        let declared = self.template["Parameters"].get(name);
        if declared.is_none() {
            return Name::symbol(format!("{}#{name}", self.path));
        }
        if let Some((parent, passed)) = self.parent {
            if let Some(value) = passed.get(name) {
                return parent.resolve(value);
            }
        } else if name == "env" {
            return Name::text(self.env);
        }
        match declared.and_then(|d| d.get("Default")) {
            Some(default) => self.resolve(default),
            None => Name::symbol(format!("{}#{name}", self.path)),
        }
    }

    /// `Fn::Sub`: `${Name}` and `${Resource.Attribute}` placeholders, `${!x}` escapes.
    fn substitute(&self, text: &str, vars: Option<&Json>) -> Name {
        let mut out = Name::default();
        let mut rest = text;
        while let Some(start) = rest.find("${") {
            out.push(Part::Text(rest[..start].to_owned()));
            let after = &rest[start + 2..];
            let Some(end) = after.find('}') else {
                out.push(Part::Text(rest[start..].to_owned()));
                return out;
            };
            let name = &after[..end];
            if let Some(literal) = name.strip_prefix('!') {
                out.push(Part::Text(format!("${{{literal}}}")));
            } else if let Some(value) = vars.and_then(|v| v.get(name)) {
                out.extend(self.resolve(value));
            } else if let Some((resource, attribute)) = name.split_once('.') {
                out.extend(Name::symbol(format!(
                    "{}#{resource}.{attribute}",
                    self.path
                )));
            } else {
                out.extend(self.reference(name));
            }
            rest = &after[end + 1..];
        }
        out.push(Part::Text(rest.to_owned()));
        out
    }

    /// `Fn::Select [i, Fn::Split [sep, x]]`, computed when `x` is literal.
    fn select(&self, index: &Json, from: &Json) -> Option<Name> {
        let index = index.as_u64().or_else(|| index.as_str()?.parse().ok())? as usize;
        let split = from.get("Fn::Split")?.as_array()?;
        let separator = split.first()?.as_str()?;
        let source = self.resolve(split.get(1)?);
        Some(match source.literal() {
            Some(text) => Name::text(text.split(separator).nth(index)?.to_owned()),
            None => Name::symbol(format!(
                "select {index} of '{}' split on '{separator}'",
                source.render()
            )),
        })
    }

    fn condition_named(&self, name: &str) -> Option<bool> {
        self.condition(self.template["Conditions"].get(name)?)
    }

    /// A condition's value, when what it compares is known.
    fn condition(&self, value: &Json) -> Option<bool> {
        let (key, args) = value.as_object()?.iter().next()?;
        let list = args.as_array();
        match key.as_str() {
            "Fn::Equals" => {
                let (a, b) = (self.resolve(list?.first()?), self.resolve(list?.get(1)?));
                match (a.literal(), b.literal()) {
                    (Some(a), Some(b)) => Some(a == b),
                    _ if a == b => Some(true),
                    _ => None,
                }
            }
            "Fn::Not" => self.condition(list?.first()?).map(|c| !c),
            "Fn::And" => list?
                .iter()
                .try_fold(true, |all, c| Some(all && self.condition(c)?)),
            "Fn::Or" => list?
                .iter()
                .try_fold(false, |any, c| Some(any || self.condition(c)?)),
            "Condition" => self.condition_named(args.as_str()?),
            _ => None,
        }
    }
}

/// A resource's own template: its file in the resource's folder, and its text.
type OwnTemplate = (PathBuf, Json);

/// The template files of a backend folder (`amplify/backend` or its deployed copy), read
/// as a tree of stacks to resolve names in: the root template, each resource's own
/// template (the one its root stack resource `<category><resource>` deploys) and the
/// stacks nested in it (`build/stacks/<logical id>.json`).
pub struct Tree {
    base: PathBuf,
    root: Json,
    /// Each resource's own template (file and text), read once: an API's models all
    /// resolve through it.
    own: RefCell<HashMap<(String, String), Option<OwnTemplate>>>,
}

impl Tree {
    /// The tree under `base`; its root template, when there is one.
    pub fn new(base: &Path) -> Tree {
        let root = read(&base.join("awscloudformation/build/root-cloudformation-stack.json"))
            .unwrap_or(Json::Null);
        Tree {
            base: base.to_owned(),
            root,
            own: RefCell::default(),
        }
    }

    /// `value` (a property of a resource in the template `file`, relative to the folder
    /// of resource `category/name`) resolved for environment `env`.
    pub fn resolve(
        &self,
        env: &str,
        category: &str,
        name: &str,
        file: &Path,
        value: &Json,
    ) -> Name {
        let root = Scope::root(&self.root, env);
        let folder = self.base.join(category).join(name);
        let mut cache = self.own.borrow_mut();
        let own_entry = cache
            .entry((category.to_owned(), name.to_owned()))
            .or_insert_with(|| {
                let file = own_template(&folder)?;
                let template = read(&folder.join(&file))?;
                Some((file, template))
            });
        let own_file = own_entry.as_ref().map(|(f, _)| f.as_path());
        let own = own_entry
            .as_ref()
            .map(|(_, t)| root.nested(&format!("{category}{name}"), t));
        let nested_in = file.parent().is_some_and(|p| p.ends_with("build/stacks"));
        match (&own, own_file == Some(file), nested_in) {
            (Some(own), true, _) => own.resolve(value),
            (Some(own), false, true) => {
                let logical = file.file_stem().map(|s| s.to_string_lossy().into_owned());
                match (logical, read(&folder.join(file))) {
                    (Some(logical), Some(template)) => {
                        own.nested(&logical, &template).resolve(value)
                    }
                    _ => Name::symbol(value.to_string()),
                }
            }
            _ => Name::symbol(value.to_string()),
        }
    }
}

impl Tree {
    /// A list property (`UsernameAttributes`), a list or a `Ref` to a `CommaDelimitedList`
    /// parameter, resolved as [`Tree::resolve`] does to its items, sorted: the same set
    /// however a template spells it (Gen 1 passes `"email"` to a list parameter). `None`
    /// (no such property) is the empty list.
    pub fn resolve_list(
        &self,
        env: &str,
        category: &str,
        name: &str,
        file: &Path,
        value: Option<&Json>,
    ) -> Vec<String> {
        let mut items: Vec<String> = match value {
            None => Vec::new(),
            Some(Json::Array(values)) => values
                .iter()
                .flat_map(|v| self.resolve(env, category, name, file, v).items())
                .collect(),
            Some(other) => self.resolve(env, category, name, file, other).items(),
        };
        items.sort();
        items.dedup();
        items
    }
}

fn read(path: &Path) -> Option<Json> {
    serde_json::from_str(&std::fs::read_to_string(path).ok()?).ok()
}

/// A resource's own template in its folder, as Amplify finds it: a `*template*.json` in
/// `build/`, else in the folder itself (a `*cloudformation-template*` one first).
fn own_template(folder: &Path) -> Option<PathBuf> {
    ["build", ""].iter().find_map(|dir| {
        let mut found: Vec<PathBuf> = std::fs::read_dir(folder.join(dir))
            .ok()?
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.contains("template") && n.ends_with(".json"))
            .map(|n| Path::new(dir).join(n))
            .collect();
        // Beside it may lie templates of other stacks (a link stack's): the resource's
        // own is the `cloudformation-template` one.
        found.sort_by_key(|p| {
            (
                !p.to_string_lossy().contains("cloudformation-template"),
                p.clone(),
            )
        });
        found.into_iter().next()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// Amplify Gen 1's root passes `env` as text and a model stack gets the API id and
    /// the environment through its API stack's parameters; amplify-rs passes `Ref env`
    /// and names the same table with `Fn::Sub`: both resolve to one name.
    #[test]
    fn a_model_table_named_by_join_or_by_sub_is_one_name() {
        let gen1_root = json!({"Resources": {"apiBlog": {"Type": "AWS::CloudFormation::Stack",
            "Properties": {"Parameters": {"env": "dev"}}}}});
        let gen1_api = json!({"Parameters": {"env": {"Type": "String"}}, "Resources": {
            "GraphQLAPI": {"Type": "AWS::AppSync::GraphQLApi"},
            "Todo": {"Type": "AWS::CloudFormation::Stack", "Properties": {"Parameters": {
                "refApiId": {"Fn::GetAtt": ["GraphQLAPI", "ApiId"]}, "refEnv": {"Ref": "env"}}}}}});
        let gen1_model =
            json!({"Parameters": {"refApiId": {"Type": "String"}, "refEnv": {"Type": "String"}}});
        let gen1_name =
            json!({"Fn::Join": ["", ["Todo-", {"Ref": "refApiId"}, "-", {"Ref": "refEnv"}]]});

        let ours_root = json!({"Parameters": {"env": {"Type": "String"}}, "Resources": {"apiBlog": {
            "Type": "AWS::CloudFormation::Stack", "Properties": {"Parameters": {"env": {"Ref": "env"}}}}}});
        let ours_api = json!({"Parameters": {"env": {"Type": "String"}}, "Resources": {
            "GraphQLAPI": {"Type": "AWS::AppSync::GraphQLApi"},
            "Todo": {"Type": "AWS::CloudFormation::Stack", "Properties": {"Parameters": {
                "ApiId": {"Fn::GetAtt": ["GraphQLAPI", "ApiId"]}, "env": {"Ref": "env"}}}}}});
        let ours_model =
            json!({"Parameters": {"ApiId": {"Type": "String"}, "env": {"Type": "String"}}});
        let ours_name = json!({"Fn::Sub": "Todo-${ApiId}-${env}"});

        let resolve = |root: &Json, api: &Json, model: &Json, name: &Json| {
            let root = Scope::root(root, "dev");
            let api = root.nested("apiBlog", api);
            api.nested("Todo", model).resolve(name)
        };
        let gen1 = resolve(&gen1_root, &gen1_api, &gen1_model, &gen1_name);
        let ours = resolve(&ours_root, &ours_api, &ours_model, &ours_name);
        assert_eq!(gen1, ours);
        assert_eq!(gen1.render(), "Todo-<apiBlog#GraphQLAPI.ApiId>-dev");
        let renamed = resolve(
            &ours_root,
            &ours_api,
            &ours_model,
            &json!({"Fn::Sub": "Note-${ApiId}-${env}"}),
        );
        assert_ne!(gen1, renamed);
    }

    /// Gen 1's bucket name (a condition on `env`, the stack name's suffix) and the one
    /// amplify-rs writes for `bucket_name` resolve alike; another environment does not.
    /// Gen 1's auth stack takes its sign-in attributes as a `CommaDelimitedList` its root
    /// passes as text; amplify-rs writes the list: both are the same items.
    #[test]
    fn a_list_parameter_s_text_is_its_items() {
        let gen1 = json!({"Parameters": {"usernameAttributes": {"Type": "CommaDelimitedList"}}});
        let root = json!({"Resources": {"authUsers": {"Properties": {"Parameters": {
            "usernameAttributes": "phone_number, email"}}}}});
        let root = Scope::root(&root, "dev");
        let passed = root
            .nested("authUsers", &gen1)
            .resolve(&json!({"Ref": "usernameAttributes"}));
        assert_eq!(passed.items(), ["phone_number", "email"]);
        let none = root.resolve(&json!({"Ref": "AWS::NoValue"}));
        assert!(none.items().is_empty());
        let unknown = root.resolve(&json!({"Fn::GetAtt": ["Pool", "Arn"]}));
        assert_eq!(unknown.items().len(), 1, "a deploy-time value is one item");
    }

    #[test]
    fn a_gen1_bucket_name_is_decided_on_the_environment() {
        let suffix = json!({"Fn::Select": [3, {"Fn::Split": ["-", {"Ref": "AWS::StackName"}]}]});
        let gen1 = json!({
            "Parameters": {"env": {"Type": "String"}, "bucketName": {"Type": "String"}},
            "Conditions": {"ShouldNotCreateEnvResources": {"Fn::Equals": [{"Ref": "env"}, "NONE"]}},
        });
        let gen1_name = json!({"Fn::If": ["ShouldNotCreateEnvResources", {"Ref": "bucketName"},
            {"Fn::Join": ["", [{"Ref": "bucketName"}, suffix.clone(), "-", {"Ref": "env"}]]}]});
        let gen1_root = json!({"Resources": {"storageFiles": {"Properties": {"Parameters": {
            "env": "dev", "bucketName": "filesbucket"}}}}});
        let ours = json!({"Parameters": {"env": {"Type": "String"}}});
        let ours_name = json!({"Fn::Join": ["", ["filesbucket", suffix, "-", {"Ref": "env"}]]});
        let ours_root = json!({"Parameters": {"env": {}}, "Resources": {"storageFiles": {"Properties": {
            "Parameters": {"env": {"Ref": "env"}}}}}});

        let root = Scope::root(&gen1_root, "dev");
        let a = root.nested("storageFiles", &gen1).resolve(&gen1_name);
        let root = Scope::root(&ours_root, "dev");
        let b = root.nested("storageFiles", &ours).resolve(&ours_name);
        assert_eq!(a, b);
        assert!(
            a.render()
                .starts_with("filesbucket<select 3 of '<storageFiles#AWS::StackName>'"),
            "{}",
            a.render()
        );
        let root = Scope::root(&ours_root, "prod");
        assert_ne!(root.nested("storageFiles", &ours).resolve(&ours_name), a);
    }

    #[test]
    fn literal_selects_are_computed_and_unknown_refs_stay_symbols() {
        let t = json!({"Parameters": {"p": {"Type": "String", "Default": "a-b-c"}}});
        let scope = Scope::root(&t, "dev");
        let v = json!({"Fn::Select": ["1", {"Fn::Split": ["-", {"Ref": "p"}]}]});
        assert_eq!(scope.resolve(&v), Name::text("b"));
        assert_eq!(
            scope
                .resolve(&json!({"Fn::Sub": "x-${Missing}-${!Literal}"}))
                .render(),
            "x-<#Missing>-${Literal}"
        );
    }

    #[test]
    fn a_resource_s_own_template_is_found_beside_link_templates() {
        let dir = tempfile::tempdir().unwrap();
        let build = dir.path().join("build");
        std::fs::create_dir_all(&build).unwrap();
        for f in [
            "Grants-link-template.json",
            "cloudformation-template.json",
            "parameters.json",
        ] {
            std::fs::write(build.join(f), "{}").unwrap();
        }
        assert_eq!(
            own_template(dir.path()),
            Some(PathBuf::from("build/cloudformation-template.json"))
        );
        let flat = tempfile::tempdir().unwrap();
        std::fs::write(flat.path().join("Fn-cloudformation-template.json"), "{}").unwrap();
        assert_eq!(
            own_template(flat.path()),
            Some(PathBuf::from("Fn-cloudformation-template.json"))
        );
    }
}
