//! `cargo amplify configure`: which AWS profile an environment uses, recorded the
//! Amplify way in `amplify/.config/local-aws-info.json` (per machine, git-ignored), and a
//! check that the credentials work. Every command then uses that profile for the
//! environment unless `--profile` says otherwise.

use serde_json::json;

use crate::cli::aws::credentials::{self, ProfileOrigin};
use crate::cli::aws::stack::Stacks;
use crate::cli::aws::{self, AwsSettings};
use crate::cli::context::Context;
use crate::cli::error::Result;
use crate::cli::state::project::{read_json, write_json, Project};
use crate::cli::state::{AwsConfigLevel, LocalAwsInfo, RootValue};

/// `configure [--env E] [--profile P] [--check] [--json]`.
pub struct ConfigureOptions {
    /// Record this profile for the environment.
    pub profile: Option<String>,
    /// Connect and read the root stack with the resulting settings.
    pub check: bool,
    /// Print JSON.
    pub json: bool,
}

/// The profile recorded for `env`, if any.
pub fn stored_profile(project: &Project, env: &str) -> Option<String> {
    let info: LocalAwsInfo = read_json(&project.local_aws_path()).ok().flatten()?;
    let level = info.0.get(env)?;
    if level.use_profile == Some(true) {
        level.profile_name.clone()
    } else {
        None
    }
}

/// The endpoint recorded for `env` (a local cloud it was deployed to), if any.
pub fn recorded_endpoint(project: &Project, env: &str) -> Option<String> {
    let info: LocalAwsInfo = read_json(&project.local_aws_path()).ok().flatten()?;
    info.0.get(env)?.endpoint_url.clone()
}

/// Records where `env` was deployed: `Some` endpoint for a local cloud, `None` for AWS.
pub fn record_endpoint(project: &Project, env: &str, endpoint: Option<&str>) -> Result<()> {
    let mut info: LocalAwsInfo = read_json(&project.local_aws_path())?.unwrap_or_default();
    let current = info.0.get(env).and_then(|l| l.endpoint_url.as_deref());
    if current == endpoint {
        return Ok(());
    }
    let level = info
        .0
        .entry(env.to_owned())
        .or_insert_with(|| AwsConfigLevel {
            config_level: "general".into(),
            ..AwsConfigLevel::default()
        });
    level.endpoint_url = endpoint.map(ToOwned::to_owned);
    write_json(&project.local_aws_path(), &info)
}

/// Records the profile (when given) and checks the credentials (when asked).
pub async fn configure(ctx: &Context, opts: &ConfigureOptions) -> Result<()> {
    let (project, settings, env) = (&ctx.project, &ctx.settings, ctx.env()?);
    let (profile, origin) = match (&opts.profile, &settings.profile) {
        (Some(p), _) => (Some(p.clone()), ProfileOrigin::Configuring),
        (None, Some(p)) => (Some(p.clone()), settings.profile_origin.clone()),
        (None, None) => (None, ProfileOrigin::Flag),
    };
    // Nothing is recorded that failed its check: a profile that does not exist is
    // refused, and with `--check` the credentials must work first.
    if let (Some(p), Some(_)) = (&profile, &opts.profile) {
        credentials::check_profile(p, &origin).await?;
    }
    let mut status = None;
    if opts.check {
        let checked = AwsSettings {
            profile: profile.clone(),
            profile_origin: origin,
            ..settings.clone()
        };
        let aws = aws::connect(&checked).await?;
        let stack = ctx.provider_info()?.require(RootValue::StackName)?;
        let info = Stacks::new(&aws).describe(stack).await?;
        status = Some(info.map_or_else(|| "missing".to_owned(), |i| i.status.as_str().to_owned()));
        if !opts.json {
            eprintln!(
                "The credentials work: stack {stack} is {}.",
                status.as_deref().unwrap_or_default()
            );
        }
    }
    if let Some(profile) = &opts.profile {
        let mut info: LocalAwsInfo = read_json(&project.local_aws_path())?.unwrap_or_default();
        info.0.insert(
            env.to_owned(),
            AwsConfigLevel {
                config_level: "project".into(),
                use_profile: Some(true),
                profile_name: Some(profile.clone()),
                ..AwsConfigLevel::default()
            },
        );
        write_json(&project.local_aws_path(), &info)?;
        if !opts.json {
            eprintln!("Environment `{env}` uses AWS profile `{profile}`.");
        }
    }
    if opts.json {
        println!(
            "{}",
            json!({ "environment": env, "profile": profile, "rootStackStatus": status })
        );
    } else if opts.profile.is_none() && !opts.check {
        match &profile {
            Some(p) => println!("Environment `{env}` uses AWS profile `{p}`."),
            None => println!("Environment `{env}` uses the default AWS credential chain."),
        }
    }
    Ok(())
}
