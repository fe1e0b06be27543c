//! Post-deploy actions: what a category runs after its stack deployed.

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

/// A step a resource needs after its stack deployed that CloudFormation cannot take: SDK
/// calls such as a notification channel's credentials, seed data or a site's files.
/// `cargo amplify push` runs it after every stack deployed, and again only when its
/// inputs change; `status` shows it; `export` leaves it out with a warning.
///
/// It is a program, as the Amplify CLI's plugins are: an executable found on `PATH` (a
/// category crate installs it with `cargo install`), run in the crate's folder with the
/// environment's AWS settings (`AWS_REGION`, `AWS_PROFILE`, `AWS_ENDPOINT_URL`), the
/// [`ActionPayload`] as JSON on standard input. What it prints on standard output (JSON)
/// is kept as its result and handed back next time; a non-zero exit fails the push after
/// the stacks were recorded, so the next push runs it again. The string values of an
/// `outputs` object in the result become outputs of the resource, as a stack's are (what
/// the action created outside CloudFormation: a push project's id), for the client
/// configuration and the typed accessors.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PostDeployAction {
    /// Unique within the resource: the key of its result.
    pub id: String,
    /// What it does, for `status` and progress.
    pub description: String,
    /// The executable.
    pub program: String,
    /// Its arguments.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub args: Vec<String>,
    /// Named values it receives.
    pub inputs: IndexMap<String, ActionInput>,
}

/// One value a [`PostDeployAction`] receives.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(
    tag = "kind",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum ActionInput {
    /// A value known at synthesis.
    Literal {
        /// The value.
        value: serde_json::Value,
    },
    /// An output of the resource's own stack.
    Output {
        /// The output's name (checked against the template at synthesis).
        output: String,
    },
    /// The text of a file of the crate (seed data); a change to it runs the action again.
    File {
        /// Relative to the crate root.
        path: String,
    },
    /// A secret read from an environment variable when push runs: handed to the program,
    /// never written to a file (only its hash is kept, to notice a change).
    Secret {
        /// The variable.
        variable: String,
    },
}

/// What a [`PostDeployAction`]'s program reads on standard input.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ActionPayload {
    /// The Amplify environment.
    pub environment: String,
    /// Its AWS region.
    pub region: String,
    /// The resource's category.
    pub category: String,
    /// The resource's name.
    pub resource: String,
    /// The action's id.
    pub action: String,
    /// Each input's value, by name.
    pub inputs: IndexMap<String, serde_json::Value>,
    /// What the program printed the last time it ran in this environment.
    pub previous: Option<serde_json::Value>,
}
