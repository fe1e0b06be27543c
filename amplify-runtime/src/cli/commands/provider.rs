//! Provider plugins: what deploys the backend. The commands (`init`, `status`, `push`,
//! `pull`, `delete`) go through [`Provider`] and do not know how a provider deploys; the
//! CloudFormation provider (`awscloudformation`, Amplify Gen 1's) is the one built in,
//! and the Gen 2 style of deployment can plug in beside it.

use std::future::Future;
use std::pin::Pin;

use amplify_build::plan::PROVIDER;

use super::env::{self, InitOptions};
use super::push::{self, PushOptions, PushReport};
use super::status::StatusOptions;
use super::{pull, status};
use crate::cli::context::Context;
use crate::cli::error::{CliError, Result};
use crate::cli::state::project::Project;

/// A provider's answer, later.
pub type Pending<'a, T> = Pin<Box<dyn Future<Output = Result<T>> + 'a>>;

/// What the commands need from a provider; each works on the context's environment.
pub trait Provider: Sync {
    /// Its name in `project-config.json`'s `providers` and in the state files.
    fn name(&self) -> &'static str;
    /// Creates an environment's root resources and its local state.
    fn init<'a>(&'a self, ctx: &'a Context, opts: &'a InitOptions) -> Pending<'a, ()>;
    /// Prints what a push would change.
    fn status<'a>(&'a self, ctx: &'a Context, opts: StatusOptions) -> Pending<'a, ()>;
    /// Deploys the backend.
    fn push<'a>(&'a self, ctx: &'a Context, opts: &'a PushOptions) -> Pending<'a, PushReport>;
    /// Refreshes outputs from what is deployed and writes the client configuration.
    fn pull<'a>(&'a self, ctx: &'a Context) -> Pending<'a, ()>;
    /// Deletes an environment: what was deployed and its local state.
    fn delete<'a>(&'a self, ctx: &'a Context, yes: bool) -> Pending<'a, ()>;
}

/// The CloudFormation provider: nested stacks under a root stack, a deployment bucket.
pub struct CloudFormation;

impl Provider for CloudFormation {
    fn name(&self) -> &'static str {
        PROVIDER
    }

    fn init<'a>(&'a self, ctx: &'a Context, opts: &'a InitOptions) -> Pending<'a, ()> {
        Box::pin(env::init(ctx, opts))
    }

    fn status<'a>(&'a self, ctx: &'a Context, opts: StatusOptions) -> Pending<'a, ()> {
        Box::pin(status::status(ctx, opts))
    }

    fn push<'a>(&'a self, ctx: &'a Context, opts: &'a PushOptions) -> Pending<'a, PushReport> {
        Box::pin(push::push(ctx, opts))
    }

    fn pull<'a>(&'a self, ctx: &'a Context) -> Pending<'a, ()> {
        Box::pin(pull::pull(ctx))
    }

    fn delete<'a>(&'a self, ctx: &'a Context, yes: bool) -> Pending<'a, ()> {
        Box::pin(env::delete(ctx, yes))
    }
}

/// Every provider, by name.
pub const PROVIDERS: &[&dyn Provider] = &[&CloudFormation];

/// The provider the project uses: the first of `project-config.json`'s `providers` (the
/// CloudFormation one when the file names none, or does not exist yet).
pub fn provider(project: &Project) -> Result<&'static dyn Provider> {
    let named = match project.project_config() {
        Ok(config) => config.providers.first().cloned(),
        Err(_) => None,
    };
    let Some(name) = named else {
        return Ok(&CloudFormation);
    };
    PROVIDERS
        .iter()
        .copied()
        .find(|p| p.name() == name)
        .ok_or_else(|| {
            let names: Vec<&str> = PROVIDERS.iter().map(|p| p.name()).collect();
            CliError::input(format!(
                "`amplify/.config/project-config.json` names provider `{name}`, which amplify-rs does not know"
            ))
            .help(format!("use one of: {}", names.join(", ")))
        })
}
