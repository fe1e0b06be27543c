//! The commands of `cargo amplify`, one module each; [`dispatch`] turns a command's flags
//! into its call. Commands sit on top: they read the [`Context`], drive the deploy
//! pipeline (`deploy`), state files (`state`), AWS (`aws`) and client configuration
//! (`frontend`), and nothing below imports them.

pub(crate) mod adopt;
pub(crate) mod configure;
pub(crate) mod console;
mod deployed;
pub(crate) mod env;
pub(crate) mod environments;
pub(crate) mod export;
pub(crate) mod local;
pub(crate) mod notifications;
pub(crate) mod pipeline;
mod preview;
pub(crate) mod provider;
pub(crate) mod pull;
pub(crate) mod push;
mod settle;
pub(crate) mod status;

use serde_json::json;

use crate::cli::args::{Command, ConfigCommand, EnvCommand, GenerateCommand, LocalCommand};
use crate::cli::context::Context;
use crate::cli::deploy::{self, publish};
use crate::cli::error::{CliError, Kind};
use crate::cli::state::synthesis;

/// One arm per command; each only turns flags into a call. The environment a command
/// names is already in `ctx` (see [`invocation`]).
pub(crate) async fn dispatch(ctx: &Context, command: Command) -> Result<u8, CliError> {
    let project = &ctx.project;
    if let Command::Run { yes, args, .. } = command {
        return run_app(ctx, yes, &args).await;
    }
    let done: Result<(), CliError> = match command {
        Command::Init {
            project_name, yes, ..
        } => {
            let options = env::InitOptions { project_name, yes };
            provider::provider(project)?.init(ctx, &options).await
        }
        Command::Status {
            json, show_secrets, ..
        } => {
            let opts = status::StatusOptions { json, show_secrets };
            provider::provider(project)?.status(ctx, opts).await
        }
        Command::Push {
            yes,
            force,
            json,
            allow_replace,
            ..
        } => {
            let options = push::PushOptions {
                yes,
                force,
                allow_replace,
            };
            let report = provider::provider(project)?.push(ctx, &options).await?;
            if json {
                print_push_report(&report, &ctx.events.seen());
            }
            Ok(())
        }
        Command::Publish { yes, .. } => {
            let plan = ctx.plan()?;
            if publish::folders(plan).next().is_none() {
                return Err(CliError::input(
                    "nothing to publish: no resource of this backend publishes a folder",
                )
                .help("declare a site with `#[hosting(...)]` in the backend module (or a category that publishes files), then run `cargo amplify publish` again; `cargo amplify push` deploys the rest"));
            }
            publish::build_all(project, plan)?;
            push_what_changed(ctx, yes).await.map(|_| ())
        }
        Command::Delete { yes, .. } => provider::provider(project)?.delete(ctx, yes).await,
        Command::Export { out, force, .. } => export::export(ctx, &out, force).map(|_| ()),
        Command::Adopt {
            gen1,
            amplify_rs_path,
        } => adopt::adopt(project, &gen1, amplify_rs_path.as_deref()).map(|done| {
            for file in &done.written {
                eprintln!("Wrote {file}");
            }
            for (resource, what) in &done.left {
                eprintln!("Not adopted: {resource}: {what}");
            }
            match &done.env {
                Some(env) => eprintln!("Next: `cargo build` synthesises `amplify/` from src/cloud.rs; `cargo amplify env checkout {env}` reads what Gen 1 deployed; `cargo amplify status` shows what the first push changes (it refuses to replace a user pool, a table or a bucket unless `--allow-replace` names it); `cargo amplify push` updates the Gen 1 stacks in place."),
                None => eprintln!("Next: `cargo build` synthesises `amplify/` from src/cloud.rs; `cargo amplify init` and `push` deploy it as a new environment."),
            }
        }),
        Command::Pull { .. } => provider::provider(project)?.pull(ctx).await,
        Command::Generate {
            what:
                GenerateCommand::Outputs {
                    stack,
                    app_id,
                    branch,
                    format,
                    out_dir,
                    ..
                },
        } => {
            let target = match (stack, app_id, branch) {
                (Some(stack), _, _) => Some(pipeline::StackTarget::Stack(stack)),
                (None, Some(app_id), Some(branch)) => {
                    Some(pipeline::StackTarget::Branch { app_id, branch })
                }
                _ => None,
            };
            match target {
                Some(target) => {
                    let outputs = pipeline::OutputsOptions { out_dir, format };
                    pipeline::generate_from_stack(ctx, &target, &outputs).await
                }
                None => pull::generate(ctx, format, out_dir.as_deref()).map(|_| ()),
            }
        }
        Command::Env { what } => env_command(ctx, what).await,
        Command::Local { what } => match what {
            LocalCommand::Start { port } => local::start(project, port),
            LocalCommand::Stop => local::stop(project),
            LocalCommand::Status { json } => local::status(project, json),
        },
        Command::PipelineDeploy {
            branch,
            app_id,
            outputs_out_dir,
            outputs_format,
            outputs_version: _,
        } => {
            let outputs = pipeline::OutputsOptions {
                out_dir: outputs_out_dir,
                format: outputs_format,
            };
            pipeline::pipeline_deploy(ctx, &branch, &app_id, &outputs).await
        }
        Command::Config {
            what: ConfigCommand::ImportCdkOutputs { file, .. },
        } => pull::import_cdk_outputs(ctx, &file),
        Command::Configure {
            use_profile,
            check,
            json,
            ..
        } => {
            let options = configure::ConfigureOptions {
                profile: use_profile,
                check,
                json,
            };
            configure::configure(ctx, &options).await
        }
        Command::Console { resource, json, .. } => {
            console::console(ctx, resource.as_deref(), json)
        }
        Command::Plugin { .. }
        | Command::External(_)
        | Command::NotificationsChannels
        | Command::Run { .. } => {
            unreachable!("handled before: plugins and actions in `run`, `run` in `run_app`")
        }
    };
    done.map(|()| 0)
}

/// The push `run` and `publish` start with: what changed, nothing forced.
async fn push_what_changed(ctx: &Context, yes: bool) -> Result<push::PushReport, CliError> {
    let options = push::PushOptions {
        yes,
        ..push::PushOptions::default()
    };
    provider::provider(&ctx.project)?.push(ctx, &options).await
}

/// `run`: a push (skipped by itself when nothing changed), then `cargo run` of the crate
/// with `args`; the app's exit code is the command's.
async fn run_app(ctx: &Context, yes: bool, args: &[String]) -> Result<u8, CliError> {
    push_what_changed(ctx, yes).await?;
    let root = &ctx.project.root;
    let status = std::process::Command::new(synthesis::cargo())
        .args(["run", "--quiet", "--manifest-path"])
        .arg(root.join("Cargo.toml"))
        .arg("--")
        .args(args)
        .current_dir(root)
        .status()
        .map_err(|e| CliError::new(Kind::Other, format!("cannot run `cargo run`: {e}")))?;
    Ok(status.code().map_or(1, |c| c.clamp(0, 255) as u8))
}

/// `push --json`: the planned operations, whether anything was deployed, the uploads,
/// the deployment's phases and the AWS calls made.
fn print_push_report(report: &push::PushReport, phases: &[deploy::events::Phase]) {
    let rows: Vec<_> = report
        .rows
        .iter()
        .map(|r| json!({ "category": r.category, "resourceName": r.name, "operation": r.operation.label() }))
        .collect();
    println!(
        "{}",
        serde_json::to_string_pretty(&json!({
            "resources": rows,
            "deployed": report.deployed,
            "uploaded": report.uploaded,
            "phases": phases,
            "apiCalls": report.api_calls,
        }))
        .expect("JSON")
    );
}

/// `env …`; the environment a subcommand names is the context's.
async fn env_command(ctx: &Context, what: EnvCommand) -> Result<(), CliError> {
    let project = &ctx.project;
    let provider = provider::provider(project)?;
    match what {
        EnvCommand::Add { yes, .. } => {
            let options = env::InitOptions {
                project_name: None,
                yes,
            };
            provider.init(ctx, &options).await
        }
        EnvCommand::List { json } => environments::list(project, json),
        EnvCommand::Checkout { .. } => environments::checkout(ctx).await,
        EnvCommand::Get { name, json } => environments::get(project, &name, json),
        EnvCommand::Pull => provider.pull(ctx).await,
        EnvCommand::Remove { name, yes } => {
            environments::check_removable(project, &name)?;
            provider.delete(ctx, yes).await
        }
        EnvCommand::Import { name, stack_name } => {
            environments::import(ctx, &name, &stack_name).await
        }
    }
}
