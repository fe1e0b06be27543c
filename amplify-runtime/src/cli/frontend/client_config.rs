//! Client configuration documents from the plan's fragments and the deployed outputs in
//! `amplify-meta.json`: each resource's fragments (from its category) are filled with its
//! outputs and merged in declaration order, over the file's own skeleton.

use amplify_build::plan::{ClientFile, ClientFragment, Fragment, Plan};
use indexmap::IndexMap;
use serde_json::{json, Map, Value};

use crate::cli::state::{imported_outputs, AmplifyMeta};

/// What the documents are made from.
pub struct Inputs<'a> {
    /// `amplify-meta.json` after a push or pull.
    pub meta: &'a AmplifyMeta,
    /// The plan (each resource's fragments).
    pub plan: &'a Plan,
    /// Project name.
    pub project: &'a str,
    /// Environment name.
    pub env: &'a str,
    /// Outputs of CDK stacks merged with `config import-cdk-outputs`: stack → key → value.
    pub cdk: &'a IndexMap<String, IndexMap<String, String>>,
    /// The endpoint of the local cloud the environment lives on, if it is not AWS.
    pub local_cloud: Option<&'a str>,
}

impl Inputs<'_> {
    /// Each deployed resource's outputs with its fragments, in declaration order
    /// (created resources, then imported ones).
    fn deployed(&self) -> Vec<(IndexMap<String, String>, &[ClientFragment])> {
        let mut out = Vec::new();
        for stack in &self.plan.stacks {
            let Some(resource) = self.meta.get(&stack.category, &stack.name) else {
                continue;
            };
            let outputs: IndexMap<String, String> = resource
                .string_outputs()
                .into_iter()
                .map(|(k, v)| (k.to_owned(), v.to_owned()))
                .collect();
            if !outputs.is_empty() {
                out.push((outputs, stack.client_config.as_slice()));
            }
        }
        let provider = self.meta.provider().cloned().unwrap_or_default();
        for imported in &self.plan.imported {
            out.push((
                imported_outputs(imported, &provider),
                imported.client_config.as_slice(),
            ));
        }
        out
    }

    /// One document: the file's skeleton and every deployed resource's fragments of it.
    pub fn render(&self, file: ClientFile) -> Value {
        let region = self.meta.region();
        let mut doc = match file {
            ClientFile::AmplifyOutputs => json!({ "version": crate::config::SCHEMA_VERSION }),
            ClientFile::AwsExports => json!({ "aws_project_region": region }),
            ClientFile::AwsConfiguration => json!({
                "UserAgent": "aws-amplify-cli/0.1.0",
                "Version": "0.1.0",
                "IdentityManager": { "Default": {} }
            }),
            ClientFile::NativeAmplifyConfiguration => {
                json!({ "UserAgent": "aws-amplify-cli/2.0", "Version": "1.0" })
            }
        };
        for (outputs, fragments) in self.deployed() {
            for fragment in fragments.iter().filter(|f| f.file == file) {
                if let Some(value) = self.fill(&fragment.value, &outputs, &region) {
                    merge(&mut doc, value);
                }
            }
        }
        match file {
            ClientFile::AmplifyOutputs => self.finish_outputs(doc),
            ClientFile::AwsExports => self.with_cdk_exports(doc),
            _ => doc,
        }
    }

    fn fill(
        &self,
        fragment: &Fragment,
        outputs: &IndexMap<String, String>,
        region: &str,
    ) -> Option<Value> {
        match fragment {
            Fragment::Literal(v) => Some(v.clone()),
            Fragment::Output(name) => outputs.get(name).map(|v| json!(v)),
            Fragment::Region => Some(json!(outputs.get("Region").map_or(region, String::as_str))),
            Fragment::Document(file) => Some(self.render(*file)),
            Fragment::Object(fields) => Some(Value::Object(
                fields
                    .iter()
                    .filter_map(|(k, f)| Some((k.clone(), self.fill(f, outputs, region)?)))
                    .collect(),
            )),
            Fragment::List(items) => Some(Value::Array(
                items
                    .iter()
                    .filter_map(|f| self.fill(f, outputs, region))
                    .collect(),
            )),
        }
    }

    /// Gen 2's sections in the schema's order, then every resource's outputs by name
    /// under `custom.amplify_rs` (what the typed accessors read) and the CDK outputs.
    fn finish_outputs(&self, doc: Value) -> Value {
        let Value::Object(mut doc) = doc else {
            return doc;
        };
        let mut resources: IndexMap<String, Map<String, Value>> = IndexMap::new();
        for (category, name, resource) in self.meta.resources() {
            let flat: Map<String, Value> = resource
                .string_outputs()
                .into_iter()
                .map(|(k, v)| (k.to_owned(), json!(v)))
                .collect();
            if !resource.output.is_empty() {
                resources
                    .entry(category.to_owned())
                    .or_default()
                    .insert(name.to_owned(), Value::Object(flat));
            }
        }
        let mut custom = match doc.remove("custom") {
            Some(Value::Object(c)) => c,
            _ => Map::new(),
        };
        let mut ours =
            json!({ "project": self.project, "environment": self.env, "resources": resources });
        if let Some(url) = self.local_cloud {
            ours["endpoint_url"] = Value::from(url);
        }
        custom.insert("amplify_rs".into(), ours);
        if !self.cdk.is_empty() {
            custom.insert("cdk".into(), json!(self.cdk));
        }
        let mut ordered = Map::new();
        for key in ["version", "auth", "data", "storage"] {
            if let Some(v) = doc.remove(key) {
                ordered.insert(key.into(), v);
            }
        }
        ordered.extend(doc);
        ordered.insert("custom".into(), Value::Object(custom));
        Value::Object(ordered)
    }

    /// CDK outputs named like aws-exports keys (the seed's `aws_appsync_graphqlEndpoint`
    /// pattern) fill in what Amplify does not manage.
    fn with_cdk_exports(&self, mut doc: Value) -> Value {
        if let Value::Object(map) = &mut doc {
            for stack in self.cdk.values() {
                for (k, v) in stack {
                    if k.starts_with("aws_") && !map.contains_key(k) {
                        map.insert(k.clone(), json!(v));
                    }
                }
            }
        }
        doc
    }
}

/// Merges `value` into `doc`: objects key by key, lists appended, and otherwise the
/// value already there wins (so the first declared resource is the default one).
pub fn merge(doc: &mut Value, value: Value) {
    match (doc, value) {
        (Value::Object(into), Value::Object(from)) => {
            for (k, v) in from {
                match into.get_mut(&k) {
                    Some(existing) => merge(existing, v),
                    None => {
                        into.insert(k, v);
                    }
                }
            }
        }
        (Value::Array(into), Value::Array(from)) => into.extend(from),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::state::{MetaResource, ProviderInfo};

    /// The plan of a backend with auth, an API and a bucket, as synthesis writes it.
    fn plan() -> Plan {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("src")).unwrap();
        std::fs::write(
            dir.path().join("src/lib.rs"),
            r#"#[amplify::backend] mod backend {
                #[auth(sign_in = [email], required_attributes = [email], password(min_length = 10, numbers),
                       mfa = optional(totp), identity_pool(guest_access = true))]
                pub struct BlogAuth;
                #[api(schema = "schema.graphql", auth = api_key, additional_auth = [user_pool(BlogAuth)])]
                pub struct BlogApi;
                #[bucket(authenticated = [read])]
                pub struct Photos;
            }"#,
        )
        .unwrap();
        std::fs::write(dir.path().join("schema.graphql"), "type Query { a: Int }\n").unwrap();
        amplify_build::Config::new()
            .project_name("blog")
            .synthesize_in(dir.path())
            .unwrap();
        let text =
            std::fs::read_to_string(dir.path().join(amplify_build::plan::PLAN_FILE)).unwrap();
        serde_json::from_str(&text).unwrap()
    }

    fn deployed(outputs: serde_json::Value) -> MetaResource {
        MetaResource {
            output: outputs.as_object().unwrap().clone(),
            ..MetaResource::default()
        }
    }

    fn meta() -> AmplifyMeta {
        let mut meta = AmplifyMeta::default();
        meta.providers.insert(
            amplify_build::plan::PROVIDER.into(),
            ProviderInfo {
                region: Some("eu-west-1".into()),
                ..ProviderInfo::default()
            },
        );
        meta.insert("auth", "BlogAuth", deployed(json!({"UserPoolId": "eu-west-1_abc", "AppClientIDWeb": "web1", "AppClientID": "native1", "IdentityPoolId": "eu-west-1:pool"})));
        meta.insert("api", "BlogApi", deployed(json!({"GraphQLAPIEndpointOutput": "https://x/graphql", "GraphQLAPIKeyOutput": "da2-key"})));
        meta.insert(
            "storage",
            "Photos",
            deployed(json!({"BucketName": "photos-1", "Region": "eu-west-1"})),
        );
        meta
    }

    #[test]
    fn outputs_follow_the_gen2_schema() {
        let (plan, meta, cdk) = (plan(), meta(), IndexMap::new());
        let inputs = Inputs {
            meta: &meta,
            plan: &plan,
            project: "blog",
            env: "dev",
            cdk: &cdk,
            local_cloud: None,
        };
        let doc = inputs.render(ClientFile::AmplifyOutputs);
        let o = crate::config::Outputs::from_json(&doc.to_string(), "o").unwrap();
        let auth = o.auth.clone().unwrap();
        assert_eq!(auth.user_pool_client_id, "web1");
        assert_eq!(auth.mfa_configuration.as_deref(), Some("OPTIONAL"));
        assert_eq!(auth.username_attributes, ["email"]);
        assert!(auth.password_policy.unwrap().require_numbers);
        let data = o.data.clone().unwrap();
        assert_eq!(
            data.authorization_types,
            ["API_KEY", "AMAZON_COGNITO_USER_POOLS"]
        );
        assert_eq!(o.storage.clone().unwrap().buckets[0].name, "Photos");
        assert_eq!(
            o.output("storage", "Photos", "BucketName", "f").unwrap(),
            "photos-1"
        );
        let keys: Vec<&String> = doc.as_object().unwrap().keys().collect();
        assert_eq!(keys, ["version", "auth", "data", "storage", "custom"]);
    }

    #[test]
    fn native_config_uses_the_native_client() {
        let (plan, meta, cdk) = (plan(), meta(), IndexMap::new());
        let inputs = Inputs {
            meta: &meta,
            plan: &plan,
            project: "blog",
            env: "dev",
            cdk: &cdk,
            local_cloud: None,
        };
        let c = inputs.render(ClientFile::AwsConfiguration);
        assert_eq!(c["CognitoUserPool"]["Default"]["AppClientId"], "native1");
        assert_eq!(
            c["AppSync"]["Default"]["ClientDatabasePrefix"],
            "BlogApi_API_KEY"
        );
        assert_eq!(
            c["AppSync"]["BlogApi_AMAZON_COGNITO_USER_POOLS"]["AuthMode"],
            "AMAZON_COGNITO_USER_POOLS"
        );
        let native = inputs.render(ClientFile::NativeAmplifyConfiguration);
        assert_eq!(native["auth"]["plugins"]["awsCognitoAuthPlugin"], c);
        let exports = inputs.render(ClientFile::AwsExports);
        assert_eq!(exports["aws_project_region"], "eu-west-1");
        assert_eq!(exports["aws_user_pools_web_client_id"], "web1");
        assert_eq!(exports["aws_user_files_s3_bucket"], "photos-1");
    }

    #[test]
    fn the_first_value_wins_and_lists_grow() {
        let mut doc = json!({ "storage": { "bucket_name": "first", "buckets": [{"name": "A"}] } });
        merge(
            &mut doc,
            json!({ "storage": { "bucket_name": "second", "buckets": [{"name": "B"}], "aws_region": "r" } }),
        );
        assert_eq!(
            doc,
            json!({ "storage": { "bucket_name": "first", "buckets": [{"name": "A"}, {"name": "B"}], "aws_region": "r" } })
        );
    }
}
