//! What a command works on, resolved once when it starts: the project, the AWS settings
//! (flags, then the environment's recorded profile and local cloud), the environment it
//! names (or the current one); and, the first time a command asks, the environment's
//! provider block, the deployment plan and the AWS clients. Nothing below the command
//! layer resolves these again.

use std::sync::{Mutex, OnceLock};

use amplify_build::plan::Plan;

use crate::cli::aws::{self, Aws, AwsSettings};
use crate::cli::deploy::events::Events;
use crate::cli::error::{CliError, Result};
use crate::cli::state::project::Project;
use crate::cli::state::synthesis;
use crate::cli::state::ProviderInfo;

/// One command's context.
pub struct Context {
    /// The crate and its `amplify/` folder.
    pub project: Project,
    /// How AWS is reached.
    pub settings: AwsSettings,
    /// The phases of the command's deployments, for its observers.
    pub events: Events,
    env: Option<String>,
    provider_info: OnceLock<ProviderInfo>,
    plan: OnceLock<Plan>,
    aws: Mutex<Option<Aws>>,
}

impl Context {
    /// The context of a command on `env` (the one it names, else the current one).
    pub fn new(project: Project, settings: AwsSettings, env: Option<String>) -> Self {
        Context {
            project,
            settings,
            events: Events::default(),
            env,
            provider_info: OnceLock::new(),
            plan: OnceLock::new(),
            aws: Mutex::new(None),
        }
    }

    /// The environment the command works on.
    pub fn env(&self) -> Result<&str> {
        if let Some(env) = &self.env {
            return Ok(env);
        }
        // Say why there is none: an unreadable `local-env-info.json` is not "no env".
        self.project.current_env()?;
        Err(
            CliError::input("no environment is initialised on this machine")
                .help("run `cargo amplify init --env dev --yes` first"),
        )
    }

    /// The environment's CloudFormation provider block in `team-provider-info.json`; an
    /// error naming the file when the environment does not exist.
    pub fn provider_info(&self) -> Result<&ProviderInfo> {
        cached(&self.provider_info, || {
            self.project.env_provider(self.env()?)
        })
    }

    /// The deployment plan, current with the crate's sources (synthesised first when a
    /// file it was made from changed).
    pub fn plan(&self) -> Result<&Plan> {
        cached(&self.plan, || synthesis::current_plan(&self.project))
    }

    /// The plan the command's cloud deploys: on the local cloud, without what it cannot
    /// run (each such stack listed second).
    pub fn target_plan(&self) -> Result<(Plan, Vec<amplify_build::plan::StackPlan>)> {
        let plan = self.plan()?.clone();
        Ok(if self.settings.is_local_cloud() {
            plan.for_local_cloud()
        } else {
            (plan, Vec::new())
        })
    }

    /// The AWS clients, connected on first use; every later use shares them and their
    /// call log.
    pub async fn aws(&self) -> Result<Aws> {
        if let Some(aws) = self.connected() {
            return Ok(aws);
        }
        let aws = aws::connect(&self.settings).await?;
        if let Ok(mut slot) = self.aws.lock() {
            *slot = Some(aws.clone());
        }
        Ok(aws)
    }

    /// The AWS clients if the command connected already.
    pub fn connected(&self) -> Option<Aws> {
        self.aws.lock().ok().and_then(|slot| slot.clone())
    }
}

/// The cell's value, made by `make` the first time (an error is not kept: the next call
/// tries again).
fn cached<T>(cell: &OnceLock<T>, make: impl FnOnce() -> Result<T>) -> Result<&T> {
    if let Some(value) = cell.get() {
        return Ok(value);
    }
    let value = make()?;
    Ok(cell.get_or_init(|| value))
}
