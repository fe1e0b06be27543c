//! `cargo amplify`: init, status, push and delete an environment of a backend declared
//! in Rust. Thin command layer over the modules below; errors are rendered once, in
//! [`main`], with a documented exit code:
//! 0 success, 1 other failure, 2 bad input, 3 AWS unreachable or refusing,
//! 4 deployment rolled back, 5 another state-changing command holds the project lock, 76 a command hook failed,
//! 130 interrupted (a general plugin's own code for `cargo amplify <plugin>`).

mod args;
mod aws;
mod commands;
mod context;
mod deploy;
mod error;
mod frontend;
mod plugins;
mod progress;
mod prompt;
mod state;
mod tools;

use std::process::ExitCode;

use clap::Parser;

use args::{
    AmplifyArgs, CargoCli, Command, ConfigCommand, EnvCommand, GenerateCommand, LocalCommand,
    PluginCommand,
};
use aws::credentials;
use commands::{configure, notifications};
pub use error::{CliError, Kind};
use plugins::hooks;
use state::{lock, project};

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
        profile_origin: credentials::ProfileOrigin::Flag,
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
        // A program push runs; it needs no project of its own.
        Command::NotificationsChannels => return notifications::channels(&settings).await,
        Command::External(argv) => {
            let project = project::Project::find(&start).ok();
            return plugins::run_external(&argv, project.as_ref());
        }
        Command::Plugin {
            what: PluginCommand::List { json },
        } => {
            let project = project::Project::find(&start).ok();
            plugins::print(
                &plugins::list(project.as_ref(), &args::builtin_commands())?,
                json,
            );
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
            settings.profile_origin = credentials::ProfileOrigin::Recorded(env.clone());
        }
    }
    // Held until the command and its hooks are done; refused (exit 5) while another
    // state-changing command of this project runs.
    let _state_lock = if changes_state(&args.command) {
        let name = match &invocation.sub_command {
            Some(sub) => format!("{} {sub}", invocation.command),
            None => invocation.command.clone(),
        };
        Some(lock::StateLock::acquire(
            &project,
            &name,
            invocation.env.as_deref(),
        )?)
    } else {
        None
    };
    let settings = local_cloud(&project, &invocation, settings);
    let records_endpoint = deploys(&args.command);
    let ctx = context::Context::new(project, settings, invocation.env.clone());
    hooks::run(&ctx.project, hooks::Phase::Pre, &invocation, None, &[])?;
    let result = commands::dispatch(&ctx, args.command).await;
    let connected = aws::connected_endpoint();
    if let (Ok(_), true, Some(env), Some(endpoint)) =
        (&result, records_endpoint, &invocation.env, connected)
    {
        // Where the environment now lives, as this command reached it: its next
        // commands and the app's typed clients go there without AWS_ENDPOINT_URL.
        configure::record_endpoint(&ctx.project, env, endpoint.as_deref())?;
    }
    let post = hooks::run(
        &ctx.project,
        hooks::Phase::Post,
        &invocation,
        result.as_ref().err(),
        &ctx.events.seen(),
    );
    // The command's own failure is the one to report; a post-hook failure after a
    // success fails the command with the hook's code.
    let code = result?;
    post?;
    Ok(code)
}

/// `AWS_ENDPOINT_URL`, when set and not empty.
fn env_endpoint() -> Option<String> {
    std::env::var("AWS_ENDPOINT_URL")
        .ok()
        .filter(|u| !u.is_empty())
}

/// The settings with the local cloud the command's environment was deployed to, when
/// neither `--endpoint-url` nor `AWS_ENDPOINT_URL` names an endpoint.
fn local_cloud(
    project: &project::Project,
    invocation: &hooks::Invocation,
    mut settings: aws::AwsSettings,
) -> aws::AwsSettings {
    if settings.endpoint_url.is_some() || env_endpoint().is_some() {
        return settings;
    }
    let recorded = invocation
        .env
        .as_deref()
        .and_then(|env| configure::recorded_endpoint(project, env).map(|url| (env, url)));
    if let Some((env, url)) = recorded {
        tracing::info!(env, %url, "the environment lives on the local cloud");
        settings.endpoint_url = Some(url);
    }
    settings
}

/// Whether the command deploys to or reads from the environment's cloud, so that where
/// it went is recorded for the environment afterwards.
fn deploys(command: &Command) -> bool {
    match command {
        Command::Init { .. }
        | Command::Push { .. }
        | Command::Publish { .. }
        | Command::Run { .. }
        | Command::Pull { .. } => true,
        Command::Env { what } => matches!(
            what,
            EnvCommand::Add { .. } | EnvCommand::Import { .. } | EnvCommand::Pull
        ),
        _ => false,
    }
}

/// Whether the command writes the project's local state (the current environment's
/// files, `team-provider-info.json`, client configuration): those run one at a time.
/// `status` settles an interrupted push only after CloudFormation finished it, `export`
/// and `generate outputs --app-id/--stack` write elsewhere, `pipeline-deploy` keeps no
/// local state.
fn changes_state(command: &Command) -> bool {
    match command {
        Command::Init { .. }
        | Command::Push { .. }
        | Command::Publish { .. }
        | Command::Run { .. }
        | Command::Pull { .. }
        | Command::Delete { .. }
        | Command::Config { .. } => true,
        Command::Env { what } => !matches!(what, EnvCommand::List { .. } | EnvCommand::Get { .. }),
        Command::Configure { use_profile, .. } => use_profile.is_some(),
        Command::Generate {
            what: GenerateCommand::Outputs { stack, app_id, .. },
        } => stack.is_none() && app_id.is_none(),
        _ => false,
    }
}

/// How hooks name a command: `push`, `generate-outputs`… with the environment it uses.
fn invocation(command: &Command, project: &project::Project) -> hooks::Invocation {
    // The environment the command names, if it names one; else the current one.
    let (name, sub, named): (&str, Option<&str>, Option<&String>) = match command {
        Command::Init { env, .. } => ("init", None, Some(env)),
        Command::Status { env, .. } => ("status", None, env.as_ref()),
        Command::Push { env, .. } => ("push", None, env.as_ref()),
        Command::Publish { env, .. } => ("publish", None, env.as_ref()),
        Command::Pull { env } => ("pull", None, env.as_ref()),
        Command::Generate {
            what: GenerateCommand::Outputs { env, .. },
        } => ("generate", Some("outputs"), env.as_ref()),
        Command::Config {
            what: ConfigCommand::ImportCdkOutputs { env, .. },
        } => ("config", Some("import-cdk-outputs"), env.as_ref()),
        Command::Export { env, .. } => ("export", None, env.as_ref()),
        Command::Adopt { .. } => ("adopt", None, None),
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
        Command::NotificationsChannels => ("notifications-channels", None, None),
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
