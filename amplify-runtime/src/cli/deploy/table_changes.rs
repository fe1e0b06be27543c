//! Changes to DynamoDB tables that CloudFormation cannot make in one update, or makes by
//! replacing the table (its items lost), found before anything is uploaded by comparing
//! each stack's template with the one last deployed (`#current-cloud-backend`).
//!
//! DynamoDB creates or deletes one global secondary index per table update, so a push
//! that adds two indexes to a table (two `@index` directives, say) would fail half-way in
//! CloudFormation: such tables are reported as [`IndexChange`]s, which push deploys in
//! steps ([`super::index_steps`]). A changed key or table name replaces the table, and a
//! table no longer declared (a renamed or removed `@model`, a removed `#[table]` or API) is
//! deleted: both lose the table's items, so push refuses them unless the user names the
//! table (`--allow-replace`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use amplify_build::plan::Plan;

use super::changes::{self, Operation, Row};
use super::names::Tree;
use serde::Deserialize;

/// A change that loses what a table or a user pool holds (items, accounts), said before a
/// push and refused unless allowed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableWarning {
    /// `table` or `user pool`.
    pub kind: &'static str,
    /// `api BlogApi`: the resource whose stack holds the table.
    pub resource: String,
    /// The table's (or user pool's) logical id.
    pub table: String,
    /// What happens to it.
    pub what: String,
    /// Whether it is all its resource holds, in the resource's own template (a table
    /// resource, an auth resource): then `--allow-replace` names it by its resource.
    pub by_resource: bool,
}

impl std::fmt::Display for TableWarning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} `{}` of {}: {}",
            self.kind, self.table, self.resource, self.what
        )
    }
}

/// A table whose global secondary indexes change more than once in one push.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexChange {
    /// `api BlogApi`: the resource whose stack holds the table.
    pub resource: String,
    /// The table's logical id.
    pub table: String,
    /// The template holding it, relative to the folder holding `amplify/`.
    pub template: String,
    /// The template last deployed.
    pub deployed: PathBuf,
    /// Indexes removed (a changed index is removed, then added again).
    pub removed: Vec<String>,
    /// Indexes added.
    pub added: Vec<String>,
}

impl IndexChange {
    /// Index creations and deletions, in the order they are applied: removals first.
    pub fn steps(&self) -> impl Iterator<Item = String> + '_ {
        let removed = self.removed.iter().map(|n| format!("removes `{n}`"));
        removed.chain(self.added.iter().map(|n| format!("adds `{n}`")))
    }

    /// How many table updates the change takes.
    pub fn count(&self) -> usize {
        self.removed.len() + self.added.len()
    }
}

/// What a push does to tables, beyond plain updates.
#[derive(Debug, Default)]
pub struct TableReport {
    /// Replacements and deletions to say before going on.
    pub warnings: Vec<TableWarning>,
    /// Tables whose indexes change more than once: deployed in steps.
    pub index_changes: Vec<IndexChange>,
}

#[derive(Deserialize)]
struct Template {
    #[serde(rename = "Resources", default)]
    resources: BTreeMap<String, TemplateResource>,
}

#[derive(Deserialize)]
struct TemplateResource {
    #[serde(rename = "Type")]
    kind: String,
    #[serde(rename = "Properties", default)]
    properties: Option<TableProperties>,
}

/// The properties of an `AWS::DynamoDB::Table` that decide replacement and index
/// changes, and of an `AWS::Cognito::UserPool` that decide its replacement (other
/// resources' properties read as the same struct, all defaulted).
#[derive(Deserialize, Default, PartialEq)]
struct TableProperties {
    #[serde(rename = "UsernameAttributes", default)]
    username_attributes: Option<serde_json::Value>,
    #[serde(rename = "AliasAttributes", default)]
    alias_attributes: Option<serde_json::Value>,
    #[serde(rename = "UsernameConfiguration", default)]
    username_configuration: Option<serde_json::Value>,
    #[serde(rename = "TableName", default)]
    table_name: Option<serde_json::Value>,
    #[serde(rename = "BucketName", default)]
    bucket_name: Option<serde_json::Value>,
    #[serde(rename = "KeySchema", default)]
    key_schema: Option<serde_json::Value>,
    #[serde(rename = "GlobalSecondaryIndexes", default)]
    indexes: Option<Indexes>,
}

/// `GlobalSecondaryIndexes`: a list, or an intrinsic (`{"Ref": "AWS::NoValue"}`) for none.
#[derive(Deserialize, PartialEq)]
#[serde(untagged)]
enum Indexes {
    List(Vec<Index>),
    Intrinsic(serde_json::Value),
}

#[derive(Deserialize, PartialEq)]
struct Index {
    #[serde(rename = "IndexName")]
    name: String,
    #[serde(rename = "KeySchema")]
    key_schema: serde_json::Value,
}

impl TableProperties {
    fn indexes(&self) -> BTreeMap<&str, &serde_json::Value> {
        match &self.indexes {
            Some(Indexes::List(list)) => list
                .iter()
                .map(|i| (i.name.as_str(), &i.key_schema))
                .collect(),
            _ => BTreeMap::new(),
        }
    }
}

/// A resource's tables or user pools by logical id, with the template's path in its
/// folder.
type Found = BTreeMap<String, (PathBuf, TableProperties)>;

const TABLE: &str = "AWS::DynamoDB::Table";
const USER_POOL: &str = "AWS::Cognito::UserPool";
const BUCKET: &str = "AWS::S3::Bucket";
const USER_POOL_GROUP: &str = "AWS::Cognito::UserPoolGroup";

/// What a resource's folder holds that a replacement would lose, by kind.
#[derive(Default)]
struct Stateful {
    tables: Found,
    pools: Found,
    buckets: Found,
    /// User pool groups: deleting one loses every user's membership in it.
    groups: Found,
}

/// The tables, user pools and buckets of every template in a resource's folder (its own,
/// and those of the stacks nested in it, such as a model's in its API's), each file read
/// once; none when the folder does not exist (a resource never deployed).
fn stateful(folder: &Path) -> Stateful {
    let mut found = Stateful::default();
    for rel in crate::cli::state::project::files_under(folder) {
        if rel.extension().is_none_or(|e| e != "json") {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(folder.join(&rel)) else {
            continue;
        };
        // Other JSON files (parameters, backend config) are not templates.
        let Ok(template) = serde_json::from_str::<Template>(&text) else {
            continue;
        };
        for (id, r) in template.resources {
            let kind = match r.kind.as_str() {
                TABLE => &mut found.tables,
                USER_POOL => &mut found.pools,
                BUCKET => &mut found.buckets,
                USER_POOL_GROUP => &mut found.groups,
                _ => continue,
            };
            kind.insert(id, (rel.clone(), r.properties.unwrap_or_default()));
        }
    }
    found
}

/// Checks the tables of the stacks a push updates or deletes (`rows`; an unchanged stack
/// keeps its tables) against the deployed ones under `root` (the folder holding
/// `amplify/`): what a push replaces or deletes, and the index changes it makes in steps.
pub fn check(root: &Path, plan: &Plan, rows: &[Row], env: &str) -> TableReport {
    let deleted: Vec<(String, String)> = rows
        .iter()
        .filter(|r| r.operation == Operation::Delete)
        .map(|r| {
            (
                format!("{} {}", r.category, r.name),
                format!("amplify/backend/{}/{}", r.category, r.name),
            )
        })
        .collect();
    let updated = plan
        .stacks
        .iter()
        .filter(|s| changes::updates(rows, s))
        .map(|s| (format!("{} {}", s.category, s.name), s.folder.as_str()));
    check_folders(
        root,
        env,
        updated.chain(deleted.iter().map(|(r, f)| (r.clone(), f.as_str()))),
    )
}

/// The user pools of a resource's folder that a push deletes (no longer declared) or
/// replaces (its sign-in attributes change, which CloudFormation cannot update): every
/// account in them is lost.
fn pools_lost(
    trees: &Trees<'_>,
    (category, name): (&str, &str),
    resource: &str,
    before: &Found,
    after: &Found,
    warnings: &mut Vec<TableWarning>,
) {
    for (id, old) in before {
        let what = match after.get(id) {
            None => "no longer declared: the push deletes it and every user account in it",
            Some(new) if trees.sign_in_changes(category, name, old, new) => {
                "its sign-in attributes or user-name case sensitivity change: CloudFormation replaces the user pool, and every user account in it is lost"
            }
            Some(_) => continue,
        };
        warnings.push(TableWarning {
            kind: "user pool",
            resource: resource.to_owned(),
            table: id.clone(),
            what: what.to_owned(),
            by_resource: false,
        });
    }
}

impl TableWarning {
    /// The name `--allow-replace` takes for it: its resource's name for a resource that
    /// is one table or one user pool, else its logical id (a `@model`'s `<Model>Table`).
    pub fn allow_name(&self) -> &str {
        let resource = self.resource.split_once(' ').map_or("", |(_, name)| name);
        if self.by_resource && !resource.is_empty() {
            resource
        } else {
            &self.table
        }
    }

    /// Whether `allowed` (the `--allow-replace` values) names this table, by the name
    /// [`TableWarning::allow_name`] gives or by its logical id.
    pub fn allowed_by(&self, allowed: &[String]) -> bool {
        allowed
            .iter()
            .any(|a| a == self.allow_name() || *a == self.table)
    }
}

/// The deployed and the planned templates, to resolve names in.
struct Trees<'e> {
    deployed: Tree,
    planned: Tree,
    env: &'e str,
}

impl Trees<'_> {
    /// Whether a user pool's sign-in attributes (`UsernameAttributes`, `AliasAttributes`,
    /// compared as resolved sets) or user-name case sensitivity change once the plan
    /// deploys: CloudFormation replaces the pool for either.
    fn sign_in_changes(
        &self,
        category: &str,
        name: &str,
        (old_rel, old): &(PathBuf, TableProperties),
        (new_rel, new): &(PathBuf, TableProperties),
    ) -> bool {
        let list = |tree: &Tree, rel: &Path, value: &Option<serde_json::Value>| {
            tree.resolve_list(self.env, category, name, rel, value.as_ref())
        };
        let case_sensitive = |tree: &Tree, rel: &Path, p: &TableProperties| {
            p.username_configuration
                .as_ref()
                .map(|c| tree.resolve(self.env, category, name, rel, &c["CaseSensitive"]))
        };
        let (was, is) = (&self.deployed, &self.planned);
        list(was, old_rel, &old.username_attributes) != list(is, new_rel, &new.username_attributes)
            || list(was, old_rel, &old.alias_attributes) != list(is, new_rel, &new.alias_attributes)
            || case_sensitive(was, old_rel, old) != case_sensitive(is, new_rel, new)
    }

    /// Whether a table's or a bucket's name resolves differently once the plan deploys
    /// (a name set on one side only is a change too: CloudFormation then picks one).
    fn renamed(
        &self,
        category: &str,
        name: &str,
        kind: &str,
        (old_rel, old): &(PathBuf, TableProperties),
        (new_rel, new): &(PathBuf, TableProperties),
    ) -> bool {
        let property = |p: &TableProperties| {
            if kind == BUCKET {
                p.bucket_name.clone()
            } else {
                p.table_name.clone()
            }
        };
        match (property(old), property(new)) {
            (None, None) => false,
            (Some(was), Some(is)) => {
                self.deployed
                    .resolve(self.env, category, name, old_rel, &was)
                    != self.planned.resolve(self.env, category, name, new_rel, &is)
            }
            _ => true,
        }
    }
}

/// [`check`] of each `(resource, folder)`: the folder's templates against their deployed
/// copies.
fn check_folders<'p>(
    root: &Path,
    env: &str,
    stacks: impl Iterator<Item = (String, &'p str)>,
) -> TableReport {
    let mut report = TableReport::default();
    let warnings = &mut report.warnings;
    let trees = Trees {
        deployed: Tree::new(&root.join("amplify/#current-cloud-backend")),
        planned: Tree::new(&root.join("amplify/backend")),
        env,
    };
    for (resource, folder) in stacks {
        let Some(rest) = folder.strip_prefix("amplify/backend/") else {
            continue;
        };
        let Some((category, name)) = rest.split_once('/') else {
            continue;
        };
        let deployed = root.join("amplify/#current-cloud-backend").join(rest);
        let first = warnings.len();
        let was = stateful(&deployed);
        let is = stateful(&root.join(folder));
        let (before, pools, pools_after) = (&was.tables, &was.pools, &is.pools);
        let after = &is.tables;
        pools_lost(
            &trees,
            (category, name),
            &resource,
            pools,
            pools_after,
            warnings,
        );
        let renamed =
            |kind: &str, old: &(PathBuf, TableProperties), new: &(PathBuf, TableProperties)| {
                trees.renamed(category, name, kind, old, new)
            };
        // Gen 1 keeps a pool's groups in a stack of their own (`auth/userPoolGroups`);
        // adopted, they are declared on the pool, and that stack is deleted.
        for id in was.groups.keys().filter(|id| !is.groups.contains_key(*id)) {
            warnings.push(TableWarning {
                kind: "user pool group",
                resource: resource.clone(),
                table: id.clone(),
                what: "no longer declared in this stack: the push deletes the group and every user's membership in it (a group of the same name declared in another stack cannot be created while this one exists)".into(),
                by_resource: false,
            });
        }
        for (id, old) in &was.buckets {
            if let Some(new) = is.buckets.get(id) {
                if renamed(BUCKET, old, new) {
                    warnings.push(TableWarning {
                        kind: "bucket",
                        resource: resource.clone(),
                        table: id.clone(),
                        what: "its name changes: CloudFormation replaces the bucket, and the app is given a new, empty one (the objects stay in the old bucket, outside the stack)".into(),
                        by_resource: false,
                    });
                }
            }
        }
        // One table or pool in the resource's own template (`build/<…>.json`, not a
        // nested stack's): the resource is that table or pool.
        let by_resource = match (before.len(), pools.len(), was.buckets.len()) {
            (1, 0, 0) => before
                .values()
                .all(|(rel, _)| rel.components().count() <= 2),
            (0, 1, 0) => pools.values().all(|(rel, _)| rel.components().count() <= 2),
            (0, 0, 1) => was
                .buckets
                .values()
                .all(|(rel, _)| rel.components().count() <= 2),
            _ => false,
        };
        for (id, deployed_entry) in before {
            let (deployed_rel, old) = deployed_entry;
            let warn = |what: String| TableWarning {
                kind: "table",
                resource: resource.clone(),
                table: id.clone(),
                what,
                by_resource: false,
            };
            let Some(planned_entry) = after.get(id) else {
                warnings.push(warn("no longer declared: the push deletes it and every item in it (a renamed `@model` or table is a new table; keep the old name to keep the items)".into()));
                continue;
            };
            let (rel, new) = planned_entry;
            if old.key_schema != new.key_schema {
                warnings.push(warn(
                    "its key changes: CloudFormation replaces the table, and its items are lost"
                        .into(),
                ));
                continue;
            }
            if renamed(TABLE, deployed_entry, planned_entry) {
                warnings.push(warn(
                    "its name changes: CloudFormation replaces the table, and its items are lost"
                        .into(),
                ));
                continue;
            }
            let (was, is) = (old.indexes(), new.indexes());
            let change = IndexChange {
                resource: resource.clone(),
                table: id.clone(),
                template: format!("{folder}/{}", rel.to_string_lossy().replace('\\', "/")),
                deployed: deployed.join(deployed_rel),
                removed: was
                    .iter()
                    .filter(|(name, key)| is.get(*name) != Some(*key))
                    .map(|(name, _)| (*name).to_owned())
                    .collect(),
                added: is
                    .iter()
                    .filter(|(name, key)| was.get(*name) != Some(*key))
                    .map(|(name, _)| (*name).to_owned())
                    .collect(),
            };
            if change.count() > 1 {
                report.index_changes.push(change);
            }
        }
        for w in &mut warnings[first..] {
            w.by_resource = by_resource;
        }
    }
    report
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(key: &str, indexes: &[(&str, &str)]) -> serde_json::Value {
        let gsis: Vec<serde_json::Value> = indexes
            .iter()
            .map(|(name, pk)| serde_json::json!({"IndexName": name, "KeySchema": [{"AttributeName": pk, "KeyType": "HASH"}], "Projection": {"ProjectionType": "ALL"}}))
            .collect();
        let gsis = if gsis.is_empty() {
            serde_json::json!({"Ref": "AWS::NoValue"})
        } else {
            serde_json::Value::Array(gsis)
        };
        serde_json::json!({"Type": "AWS::DynamoDB::Table", "Properties": {
            "KeySchema": [{"AttributeName": key, "KeyType": "HASH"}],
            "GlobalSecondaryIndexes": gsis
        }})
    }

    /// The report for an API stack that had `before` deployed and now has `after`.
    fn compare(before: serde_json::Value, after: serde_json::Value) -> TableReport {
        let dir = tempfile::tempdir().unwrap();
        let rel = "api/Blog/build/cloudformation-template.json";
        for (base, resources) in [
            ("amplify/#current-cloud-backend", before),
            ("amplify/backend", after),
        ] {
            let path = dir.path().join(base).join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(
                &path,
                serde_json::json!({"Resources": resources}).to_string(),
            )
            .unwrap();
        }
        check_folders(
            dir.path(),
            "dev",
            std::iter::once(("api Blog".to_owned(), "amplify/backend/api/Blog")),
        )
    }

    #[test]
    fn one_index_change_is_an_update_several_are_steps_removals_first() {
        let before = serde_json::json!({"PostTable": table("id", &[("byOld", "old")])});
        let one =
            serde_json::json!({"PostTable": table("id", &[("byOld", "old"), ("bySlug", "slug")])});
        let report = compare(before.clone(), one);
        assert_eq!(report.warnings, Vec::new());
        assert_eq!(report.index_changes, Vec::new());
        let three = serde_json::json!({"PostTable": table("id", &[("bySlug", "slug"), ("byAuthor", "author")])});
        let report = compare(before, three);
        assert_eq!(report.index_changes.len(), 1);
        let change = &report.index_changes[0];
        assert_eq!(
            (change.resource.as_str(), change.table.as_str()),
            ("api Blog", "PostTable")
        );
        assert_eq!(
            change.template,
            "amplify/backend/api/Blog/build/cloudformation-template.json"
        );
        assert!(change.deployed.ends_with(
            "amplify/#current-cloud-backend/api/Blog/build/cloudformation-template.json"
        ));
        let steps: Vec<String> = change.steps().collect();
        assert_eq!(
            steps,
            ["removes `byOld`", "adds `byAuthor`", "adds `bySlug`"]
        );
    }

    #[test]
    fn replaced_and_deleted_tables_are_said() {
        let before =
            serde_json::json!({"PostTable": table("id", &[]), "NoteTable": table("id", &[])});
        let after =
            serde_json::json!({"PostTable": table("slug", &[]), "MemoTable": table("id", &[])});
        let warnings = compare(before, after).warnings;
        let text: Vec<String> = warnings.iter().map(ToString::to_string).collect();
        assert_eq!(text.len(), 2, "{text:?}");
        assert!(
            text[0].starts_with(
                "table `NoteTable` of api Blog: no longer declared: the push deletes it"
            ),
            "{text:?}"
        );
        assert!(
            text[1].starts_with("table `PostTable` of api Blog: its key changes"),
            "{text:?}"
        );
    }

    #[test]
    fn a_removed_resource_loses_its_tables_and_only_a_named_one_is_allowed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(
            "amplify/#current-cloud-backend/storage/Notes/build/cloudformation-template.json",
        );
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        let template = serde_json::json!({"Resources": {"NotesTable": table("id", &[])}});
        std::fs::write(&path, template.to_string()).unwrap();
        let plan: Plan = serde_json::from_value(serde_json::json!({
            "format": amplify_build::plan::PLAN_FORMAT, "projectName": "notes", "inputs": [],
            "imported": [], "export": {"root": {}, "parameters": {}},
            "root": {"template": "root.json", "templateKey": "k", "parameters": []},
            "stacks": []
        }))
        .unwrap();
        let rows = [Row {
            category: "storage".into(),
            name: "Notes".into(),
            operation: Operation::Delete,
        }];
        let report = check(dir.path(), &plan, &rows, "dev");
        assert_eq!(report.warnings.len(), 1, "{:?}", report.warnings);
        let warning = &report.warnings[0];
        assert_eq!(warning.table, "NotesTable");
        assert!(
            warning.to_string().contains("no longer declared"),
            "{warning}"
        );
        assert_eq!(
            warning.allow_name(),
            "Notes",
            "a #[table] is named by its resource"
        );
        assert!(!warning.allowed_by(&["Other".into()]));
        assert!(warning.allowed_by(&["Notes".into()]));
        assert!(warning.allowed_by(&["NotesTable".into()]));
    }

    #[test]
    fn a_user_pool_removed_or_given_other_sign_in_settings_is_a_loss() {
        let dir = tempfile::tempdir().unwrap();
        let rel = "auth/Users/build/cloudformation-template.json";
        let pool = |attributes: &[&str]| {
            serde_json::json!({"Resources": {"UserPool": {"Type": "AWS::Cognito::UserPool",
                "Properties": {"UsernameAttributes": attributes}}}})
        };
        let write = |base: &str, t: serde_json::Value| {
            let path = dir.path().join(base).join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, t.to_string()).unwrap();
        };
        write("amplify/#current-cloud-backend", pool(&["email"]));
        write("amplify/backend", pool(&["email"]));
        let same = check_folders(
            dir.path(),
            "dev",
            std::iter::once(("auth Users".to_owned(), "amplify/backend/auth/Users")),
        );
        assert!(same.warnings.is_empty(), "{:?}", same.warnings);
        write("amplify/backend", pool(&["phone_number"]));
        let report = check_folders(
            dir.path(),
            "dev",
            std::iter::once(("auth Users".to_owned(), "amplify/backend/auth/Users")),
        );
        let text: Vec<String> = report.warnings.iter().map(ToString::to_string).collect();
        assert_eq!(
            text,
            ["user pool `UserPool` of auth Users: its sign-in attributes or user-name case sensitivity change: CloudFormation replaces the user pool, and every user account in it is lost"]
        );
        assert_eq!(report.warnings[0].allow_name(), "Users");
        // A pool deployed without `UsernameConfiguration` (older Gen 1 pools, case
        // sensitive) given one is replaced too.
        write(
            "amplify/backend",
            serde_json::json!({"Resources": {"UserPool": {
            "Type": "AWS::Cognito::UserPool", "Properties": {"UsernameAttributes": ["email"],
            "UsernameConfiguration": {"CaseSensitive": false}}}}}),
        );
        let report = check_folders(
            dir.path(),
            "dev",
            std::iter::once(("auth Users".to_owned(), "amplify/backend/auth/Users")),
        );
        assert_eq!(report.warnings.len(), 1, "{:?}", report.warnings);
        std::fs::remove_file(dir.path().join("amplify/backend").join(rel)).unwrap();
        let removed = check_folders(
            dir.path(),
            "dev",
            std::iter::once(("auth Users".to_owned(), "amplify/backend/auth/Users")),
        );
        assert!(removed.warnings[0].what.contains("every user account"));
    }

    /// A Gen 1 storage stack (names by `Fn::If`/`Fn::Join` over what its root passes)
    /// taken over by amplify-rs's (names by `Fn::Sub`/`Fn::Join` over `Ref env`): the same
    /// names are no rename; another bucket name is one, said as a bucket's loss.
    #[test]
    fn names_are_compared_resolved_across_spellings() {
        let dir = tempfile::tempdir().unwrap();
        let write = |base: &str, rel: &str, value: serde_json::Value| {
            let path = dir.path().join(base).join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, value.to_string()).unwrap();
        };
        let root = "awscloudformation/build/root-cloudformation-stack.json";
        let own = "storage/Files/build/cloudformation-template.json";
        let suffix =
            serde_json::json!({"Fn::Select": [3, {"Fn::Split": ["-", {"Ref": "AWS::StackName"}]}]});
        let deployed = "amplify/#current-cloud-backend";
        write(
            deployed,
            root,
            serde_json::json!({"Resources": {"storageFiles": {"Properties": {
            "Parameters": {"env": "dev", "bucketName": "files", "tableName": "notes"}}}}}),
        );
        write(
            deployed,
            own,
            serde_json::json!({
            "Parameters": {"env": {}, "bucketName": {}, "tableName": {}},
            "Conditions": {"ShouldNotCreateEnvResources": {"Fn::Equals": [{"Ref": "env"}, "NONE"]}},
            "Resources": {
                "S3Bucket": {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": {"Fn::If": [
                    "ShouldNotCreateEnvResources", {"Ref": "bucketName"},
                    {"Fn::Join": ["", [{"Ref": "bucketName"}, suffix.clone(), "-", {"Ref": "env"}]]}]}}},
                "DynamoDBTable": {"Type": "AWS::DynamoDB::Table", "Properties": {
                    "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}],
                    "TableName": {"Fn::If": ["ShouldNotCreateEnvResources", {"Ref": "tableName"},
                        {"Fn::Join": ["", [{"Ref": "tableName"}, "-", {"Ref": "env"}]]}]}}}}}),
        );
        let planned = |bucket: &str| {
            write(
                "amplify/backend",
                root,
                serde_json::json!({"Parameters": {"env": {}}, "Resources": {
                "storageFiles": {"Properties": {"Parameters": {"env": {"Ref": "env"}}}}}}),
            );
            write(
                "amplify/backend",
                own,
                serde_json::json!({"Parameters": {"env": {}}, "Resources": {
                "S3Bucket": {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": {"Fn::Join": ["", [
                    bucket, suffix.clone(), "-", {"Ref": "env"}]]}}},
                "DynamoDBTable": {"Type": "AWS::DynamoDB::Table", "Properties": {
                    "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}],
                    "TableName": {"Fn::Sub": "notes-${env}"}}}}}),
            );
            check_folders(
                dir.path(),
                "dev",
                std::iter::once(("storage Files".to_owned(), "amplify/backend/storage/Files")),
            )
        };
        assert_eq!(planned("files").warnings, Vec::new());
        let renamed = planned("photos").warnings;
        assert_eq!(renamed.len(), 1, "{renamed:?}");
        assert_eq!(
            (renamed[0].kind, renamed[0].table.as_str()),
            ("bucket", "S3Bucket")
        );
        assert!(
            renamed[0].what.contains("new, empty"),
            "{}",
            renamed[0].what
        );
    }
}
