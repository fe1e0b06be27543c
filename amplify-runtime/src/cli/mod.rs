//! `cargo amplify`: init, status, push and delete an environment of a backend declared
//! in Rust. Thin command layer over the modules below; errors are rendered once, in
//! [`main`], with a documented exit code:
//! 0 success, 1 other failure, 2 bad input, 3 AWS unreachable or refusing,
//! 4 deployment rolled back, 5 another push holds the lock, 76 a command hook failed,
//! 130 interrupted (a general plugin's own code for `cargo amplify <plugin>`).

mod actions;
mod assets;
mod aws;
mod changes;
mod client_config;
mod configure;
mod console;
mod deploy;
mod env;
mod environments;
mod error;
mod export;
mod finalize;
mod frontend;
mod gen2;
mod hooks;
mod inputs;
mod local;
mod lock;
mod pending;
mod pipeline;
mod plugins;
mod progress;
mod project;
mod prompt;
mod provider;
mod pull;
mod reconcile;
mod rust_function;
mod stack;
mod state;
mod status;
mod synthesis;
mod tags;
mod tools;

use std::ffi::OsString;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use serde_json::json;

pub use error::{CliError, Kind};

const EXAMPLES: &str = "Examples:
  cargo amplify init --env dev --yes        create an environment (root stack, bucket, roles)
  cargo amplify status                      what a push would change
  cargo amplify push --yes                  deploy, then write the client configuration
  cargo amplify generate outputs --format aws-exports --out-dir web/src
  cargo amplify console PostTable           the AWS console page of a resource
  cargo amplify configure --use-profile staging --check
  cargo amplify export --out ../cdk-app     hand the backend to a CDK app
  cargo amplify plugin list                 every plugin: categories, provider, frontends, PATH
  cargo amplify delete --yes                delete the environment and its local state

Hooks: amplify/hooks/pre-push.sh, post-push.js … (exit 76 when one fails).
Plugins: `cargo amplify <name>` runs `cargo-amplify-<name>` from PATH.";

#[derive(Parser)]
#[command(name = "cargo", bin_name = "cargo")]
enum CargoCli {
    /// Deploy and manage an Amplify backend declared with `#[amplify::backend]`.
    Amplify(AmplifyArgs),
}

#[derive(Args)]
#[command(version, after_help = EXAMPLES)]
struct AmplifyArgs {
    #[command(flatten)]
    global: GlobalArgs,
    #[command(subcommand)]
    command: Command,
}

#[derive(Args)]
struct GlobalArgs {
    /// AWS profile to use.
    #[arg(long, global = true)]
    profile: Option<String>,
    /// AWS region (default: AWS_REGION or the profile's region).
    #[arg(long, global = true)]
    region: Option<String>,
    /// A role to assume with the credentials found (e.g. a target account's deployment role).
    #[arg(long, global = true)]
    role_arn: Option<String>,
    /// Endpoint of an AWS emulator, e.g. http://127.0.0.1:4566 (default: AWS_ENDPOINT_URL).
    #[arg(long, global = true)]
    endpoint_url: Option<String>,
    /// The crate to work on (default: the current directory or its nearest parent crate).
    #[arg(short = 'C', long = "project-dir", global = true)]
    project_dir: Option<PathBuf>,
    /// More detail on stderr: -v what is done, -vv every AWS call and file, -vvv all
    /// (RUST_LOG, when set, decides instead).
    #[arg(short = 'v', long = "verbose", action = clap::ArgAction::Count, global = true)]
    verbose: u8,
}

#[derive(Subcommand)]
enum Command {
    /// Create an environment: its root stack, deployment bucket and roles.
    Init {
        /// Project name (3–20 letters and digits); default: project-config.json.
        #[arg(long)]
        project_name: Option<String>,
        /// Environment name (2–10 lowercase letters).
        #[arg(long, default_value = "dev")]
        env: String,
        /// Do not ask for confirmation.
        #[arg(long, short = 'y')]
        yes: bool,
    },
    /// Show what a push would create, update or delete.
    Status {
        /// Environment (default: the current one).
        #[arg(long)]
        env: Option<String>,
        /// Print JSON.
        #[arg(long)]
        json: bool,
        /// Print credentials (an API key) instead of masking them.
        #[arg(long)]
        show_secrets: bool,
    },
    /// Deploy the backend to the environment.
    Push {
        /// Environment (default: the current one).
        #[arg(long)]
        env: Option<String>,
        /// Do not ask for confirmation.
        #[arg(long, short = 'y')]
        yes: bool,
        /// Deploy even when nothing changed.
        #[arg(long)]
        force: bool,
        /// Print a JSON report (operations, uploads, API calls) on stdout.
        #[arg(long)]
        json: bool,
    },
    /// Refresh outputs from the deployed stacks and write the client configuration.
    Pull {
        /// Environment (default: the current one).
        #[arg(long)]
        env: Option<String>,
    },
    /// Write client configuration from local state.
    Generate {
        #[command(subcommand)]
        what: GenerateCommand,
    },
    /// Configuration that comes from elsewhere.
    Config {
        #[command(subcommand)]
        what: ConfigCommand,
    },
    /// Write the backend as a folder the CDK construct AmplifyExportedBackend includes.
    Export {
        /// Folder to write `amplify-export-<project>/` into.
        #[arg(long)]
        out: PathBuf,
        /// Environment whose names to use (default: the current one).
        #[arg(long)]
        env: Option<String>,
        /// Replace an existing folder that `cargo amplify export` did not write.
        #[arg(long)]
        force: bool,
    },
    /// Delete the environment: its stacks, its deployment bucket and its local state.
    Delete {
        /// Environment (default: the current one).
        #[arg(long)]
        env: Option<String>,
        /// Do not ask for confirmation.
        #[arg(long, short = 'y')]
        yes: bool,
    },
    /// Push, then run the app (`cargo run`) with the configuration just written.
    Run {
        /// Environment (default: the current one).
        #[arg(long)]
        env: Option<String>,
        /// Do not ask for confirmation before deploying.
        #[arg(long, short = 'y')]
        yes: bool,
        /// Arguments for the app, after `--`.
        #[arg(last = true)]
        args: Vec<String>,
    },
    /// A local AWS cloud (the pinned emulator) for this crate: start, stop, status.
    Local {
        #[command(subcommand)]
        what: LocalCommand,
    },
    /// Environments: add, list, checkout, get, pull, remove, import.
    Env {
        #[command(subcommand)]
        what: EnvCommand,
    },
    /// CI: deploy an app's branch (stack named the Gen 2 way) and write its outputs.
    PipelineDeploy {
        /// The branch being deployed.
        #[arg(long)]
        branch: String,
        /// The Amplify app id (any stable id of the app).
        #[arg(long)]
        app_id: String,
        /// Folder for the client configuration (default: the crate root).
        #[arg(long)]
        outputs_out_dir: Option<PathBuf>,
        /// The client configuration format.
        #[arg(long, value_enum, default_value_t = frontend::Format::AmplifyOutputs)]
        outputs_format: frontend::Format,
        /// The amplify_outputs.json schema version (amplify-rs writes 1.4).
        #[arg(long, default_value = "1.4", value_parser = ["1.4"])]
        outputs_version: String,
    },
    /// Record or check the AWS profile an environment uses.
    Configure {
        /// Environment (default: the current one).
        #[arg(long)]
        env: Option<String>,
        /// Use this profile for the environment from now on (local-aws-info.json).
        #[arg(long = "use-profile", value_name = "PROFILE")]
        use_profile: Option<String>,
        /// Check that the credentials work: read the environment's root stack.
        #[arg(long)]
        check: bool,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Print the AWS console address of the root stack, or of a resource.
    Console {
        /// A resource name (default: the root stack).
        resource: Option<String>,
        /// Environment (default: the current one).
        #[arg(long)]
        env: Option<String>,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Category, provider, frontend and general plugins.
    Plugin {
        #[command(subcommand)]
        what: PluginCommand,
    },
    /// A general plugin: `cargo amplify <name>` runs `cargo-amplify-<name>` from PATH.
    #[command(external_subcommand)]
    External(Vec<OsString>),
}

#[derive(Subcommand)]
enum LocalCommand {
    /// Start it (installing it on first use) and print the variables to export.
    Start {
        /// Port (default: the one used last, else 4566).
        #[arg(long)]
        port: Option<u16>,
    },
    /// Stop it, saving its state for the next start.
    Stop,
    /// Whether it runs, and on which port.
    Status {
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
enum EnvCommand {
    /// Create an environment (as `init --env <name>`) and switch to it.
    Add {
        /// Its name (2–10 lowercase letters).
        name: String,
        /// Do not ask for confirmation.
        #[arg(long, short = 'y')]
        yes: bool,
    },
    /// Every environment; `*` marks the current one.
    List {
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Switch to an environment: its last pushed state and client configuration.
    Checkout {
        /// The environment.
        name: String,
    },
    /// One environment's root stack, bucket and roles.
    Get {
        /// The environment.
        #[arg(long)]
        name: String,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Refresh the current environment's outputs (as `pull`).
    Pull,
    /// Delete an environment's stacks and bucket (not the current one).
    Remove {
        /// The environment.
        name: String,
        /// Do not ask for confirmation.
        #[arg(long, short = 'y')]
        yes: bool,
    },
    /// Register an environment someone else created, from its root stack.
    Import {
        /// The name to give it here.
        #[arg(long)]
        name: String,
        /// Its root stack.
        #[arg(long)]
        stack_name: String,
    },
}

#[derive(Subcommand)]
enum PluginCommand {
    /// List every plugin by type.
    List {
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
enum GenerateCommand {
    /// One client configuration file, from local state or from a deployed stack.
    Outputs {
        /// Environment (default: the current one).
        #[arg(long, conflicts_with_all = ["stack", "app_id"])]
        env: Option<String>,
        /// Read this deployed root stack instead of local state.
        #[arg(long, conflicts_with = "app_id")]
        stack: Option<String>,
        /// Read the deployed branch of this app (with --branch) instead of local state.
        #[arg(long, requires = "branch")]
        app_id: Option<String>,
        /// The branch (with --app-id).
        #[arg(long, requires = "app_id")]
        branch: Option<String>,
        /// The file to write.
        #[arg(long, value_enum, default_value_t = frontend::Format::AmplifyOutputs)]
        format: frontend::Format,
        /// Folder to write into (default: the crate root).
        #[arg(long)]
        out_dir: Option<PathBuf>,
    },
}

#[derive(Subcommand)]
enum ConfigCommand {
    /// Merge a `cdk deploy --outputs-file` JSON into the client configuration.
    ImportCdkOutputs {
        /// The CDK outputs file.
        file: PathBuf,
        /// Environment (default: the current one).
        #[arg(long)]
        env: Option<String>,
    },
}

/// Entry point of the `cargo-amplify` binary.
pub fn main() -> ExitCode {
    let CargoCli::Amplify(args) = CargoCli::parse();
    init_logging(args.global.verbose);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::from(1);
        }
    };
    match runtime.block_on(run(args)) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("{e}");
            ExitCode::from(e.exit_code())
        }
    }
}

/// Log lines (through `tracing`) go to stderr: warnings by default, more with `-v`, or
/// whatever `RUST_LOG` says.
fn init_logging(verbose: u8) {
    use tracing_subscriber::EnvFilter;
    let level = match verbose {
        0 => "warn",
        1 => "warn,amplify_runtime=info,amplify_build=info",
        2 => "warn,amplify_runtime=debug,amplify_build=debug",
        _ => "trace",
    };
    let filter = match std::env::var("RUST_LOG") {
        Ok(spec) if !spec.is_empty() => EnvFilter::new(spec),
        _ => EnvFilter::new(level),
    };
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .without_time()
        .with_target(false)
        .try_init();
}

/// Runs one command between its pre- and post-hooks; the exit code on success.
async fn run(args: AmplifyArgs) -> Result<u8, CliError> {
    let settings = aws::AwsSettings {
        profile: args.global.profile,
        region: args.global.region,
        endpoint_url: args.global.endpoint_url,
        role_arn: args.global.role_arn,
    };
    let start = match args.global.project_dir {
        Some(dir) => dir,
        None => std::env::current_dir().map_err(|e| {
            CliError::new(
                Kind::Other,
                format!("cannot read the current directory: {e}"),
            )
        })?,
    };
    match args.command {
        Command::External(argv) => {
            let project = project::Project::find(&start).ok();
            return plugins::run_external(&argv, project.as_ref());
        }
        Command::Plugin {
            what: PluginCommand::List { json },
        } => {
            let project = project::Project::find(&start).ok();
            plugins::print(&plugins::list(project.as_ref())?, json);
            return Ok(0);
        }
        _ => {}
    }
    let project = project::Project::find(&start)?;
    let invocation = invocation(&args.command, &project);
    // The profile recorded for the environment (`configure --use-profile`), unless
    // `--profile` names one.
    let mut settings = settings;
    if settings.profile.is_none() {
        if let Some(env) = &invocation.env {
            settings.profile = configure::stored_profile(&project, env);
        }
    }
    hooks::run(&project, hooks::Phase::Pre, &invocation, None)?;
    let result = dispatch(&project, &settings, args.command).await;
    let post = hooks::run(
        &project,
        hooks::Phase::Post,
        &invocation,
        result.as_ref().err(),
    );
    // The command's own failure is the one to report; a post-hook failure after a
    // success fails the command with the hook's code.
    let code = result?;
    post?;
    Ok(code)
}

/// How hooks name a command: `push`, `generate-outputs`… with the environment it uses.
fn invocation(command: &Command, project: &project::Project) -> hooks::Invocation {
    // The environment the command names, if it names one; else the current one.
    let (name, sub, named): (&str, Option<&str>, Option<&String>) = match command {
        Command::Init { env, .. } => ("init", None, Some(env)),
        Command::Status { env, .. } => ("status", None, env.as_ref()),
        Command::Push { env, .. } => ("push", None, env.as_ref()),
        Command::Pull { env } => ("pull", None, env.as_ref()),
        Command::Generate {
            what: GenerateCommand::Outputs { env, .. },
        } => ("generate", Some("outputs"), env.as_ref()),
        Command::Config {
            what: ConfigCommand::ImportCdkOutputs { env, .. },
        } => ("config", Some("import-cdk-outputs"), env.as_ref()),
        Command::Export { env, .. } => ("export", None, env.as_ref()),
        Command::Delete { env, .. } => ("delete", None, env.as_ref()),
        Command::Run { env, .. } => ("run", None, env.as_ref()),
        Command::PipelineDeploy { .. } => ("pipeline-deploy", None, None),
        Command::Local { what } => match what {
            LocalCommand::Start { .. } => ("local", Some("start"), None),
            LocalCommand::Stop => ("local", Some("stop"), None),
            LocalCommand::Status { .. } => ("local", Some("status"), None),
        },
        Command::Env { what } => match what {
            EnvCommand::Add { name, .. } => ("env", Some("add"), Some(name)),
            EnvCommand::List { .. } => ("env", Some("list"), None),
            EnvCommand::Checkout { name } => ("env", Some("checkout"), Some(name)),
            EnvCommand::Get { name, .. } => ("env", Some("get"), Some(name)),
            EnvCommand::Pull => ("env", Some("pull"), None),
            EnvCommand::Remove { name, .. } => ("env", Some("remove"), Some(name)),
            EnvCommand::Import { name, .. } => ("env", Some("import"), Some(name)),
        },
        Command::Configure { env, .. } => ("configure", None, env.as_ref()),
        Command::Console { env, .. } => ("console", None, env.as_ref()),
        Command::Plugin { .. } | Command::External(_) => ("plugin", None, None),
    };
    hooks::Invocation {
        command: name.to_owned(),
        sub_command: sub.map(str::to_owned),
        env: named
            .cloned()
            .or_else(|| project.current_env().ok().flatten()),
        argv: std::env::args().skip(2).collect(),
    }
}

/// One arm per command; each only turns flags into a call.
async fn dispatch(
    project: &project::Project,
    settings: &aws::AwsSettings,
    command: Command,
) -> Result<u8, CliError> {
    if let Command::Run { env, yes, args } = command {
        return run_app(project, settings, env, yes, &args).await;
    }
    let done: Result<(), CliError> = match command {
        Command::Init {
            project_name,
            env,
            yes,
        } => {
            let options = env::InitOptions {
                project_name,
                env,
                yes,
            };
            provider::provider(project)?
                .init(project, settings, &options)
                .await
        }
        Command::Status {
            env,
            json,
            show_secrets,
        } => {
            let opts = status::StatusOptions { json, show_secrets };
            provider::provider(project)?
                .status(project, settings, env.as_deref(), opts)
                .await
        }
        Command::Push {
            env,
            yes,
            force,
            json,
        } => {
            let options = deploy::PushOptions { env, yes, force };
            let report = provider::provider(project)?
                .push(project, settings, &options)
                .await?;
            if json {
                print_push_report(&report);
            }
            Ok(())
        }
        Command::Delete { env, yes } => {
            provider::provider(project)?
                .delete(project, settings, env.as_deref(), yes)
                .await
        }
        Command::Export { out, env, force } => {
            export::export(project, env.as_deref(), &out, force).map(|_| ())
        }
        Command::Pull { env } => {
            provider::provider(project)?
                .pull(project, settings, env.as_deref())
                .await
        }
        Command::Generate {
            what:
                GenerateCommand::Outputs {
                    env,
                    stack,
                    app_id,
                    branch,
                    format,
                    out_dir,
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
                    pipeline::generate_from_stack(project, settings, &target, &outputs).await
                }
                None => {
                    pull::generate(project, env.as_deref(), format, out_dir.as_deref()).map(|_| ())
                }
            }
        }
        Command::Env { what } => env_command(project, settings, what).await,
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
            pipeline::pipeline_deploy(project, settings, &branch, &app_id, &outputs).await
        }
        Command::Config {
            what: ConfigCommand::ImportCdkOutputs { file, env },
        } => pull::import_cdk_outputs(project, env.as_deref(), &file),
        Command::Configure {
            env,
            use_profile,
            check,
            json,
        } => {
            let options = configure::ConfigureOptions {
                env,
                profile: use_profile,
                check,
                json,
            };
            configure::configure(project, settings, &options).await
        }
        Command::Console {
            resource,
            env,
            json,
        } => console::console(project, env.as_deref(), resource.as_deref(), json),
        Command::Plugin { .. } | Command::External(_) | Command::Run { .. } => {
            unreachable!("handled before: plugins in `run`, `run` in `run_app`")
        }
    };
    done.map(|()| 0)
}

/// `run`: a push (skipped by itself when nothing changed), then `cargo run` of the crate
/// with `args`; the app's exit code is the command's.
async fn run_app(
    project: &project::Project,
    settings: &aws::AwsSettings,
    env: Option<String>,
    yes: bool,
    args: &[String],
) -> Result<u8, CliError> {
    let options = deploy::PushOptions {
        env,
        yes,
        force: false,
    };
    provider::provider(project)?
        .push(project, settings, &options)
        .await?;
    let status = std::process::Command::new(synthesis::cargo())
        .args(["run", "--quiet", "--manifest-path"])
        .arg(project.root.join("Cargo.toml"))
        .arg("--")
        .args(args)
        .current_dir(&project.root)
        .status()
        .map_err(|e| CliError::new(Kind::Other, format!("cannot run `cargo run`: {e}")))?;
    Ok(status.code().map_or(1, |c| c.clamp(0, 255) as u8))
}

/// `push --json`: the planned operations, whether anything was deployed, the uploads and
/// the AWS calls made.
fn print_push_report(report: &deploy::PushReport) {
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
            "apiCalls": report.api_calls,
        }))
        .expect("JSON")
    );
}

/// `env …`.
async fn env_command(
    project: &project::Project,
    settings: &aws::AwsSettings,
    what: EnvCommand,
) -> Result<(), CliError> {
    let provider = provider::provider(project)?;
    match what {
        EnvCommand::Add { name, yes } => {
            let options = env::InitOptions {
                project_name: None,
                env: name,
                yes,
            };
            provider.init(project, settings, &options).await
        }
        EnvCommand::List { json } => environments::list(project, json),
        EnvCommand::Checkout { name } => environments::checkout(project, settings, &name).await,
        EnvCommand::Get { name, json } => environments::get(project, &name, json),
        EnvCommand::Pull => provider.pull(project, settings, None).await,
        EnvCommand::Remove { name, yes } => {
            environments::check_removable(project, &name)?;
            provider.delete(project, settings, Some(&name), yes).await
        }
        EnvCommand::Import { name, stack_name } => {
            environments::import(project, settings, &name, &stack_name).await
        }
    }
}
