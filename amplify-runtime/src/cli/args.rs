//! The command line: `cargo amplify` subcommands and flags, as clap parses them.

use std::ffi::OsString;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::cli::frontend;

const EXAMPLES: &str = "Examples:
  cargo amplify init --env dev --yes        create an environment (root stack, bucket, roles)
  cargo amplify status                      what a push would change
  cargo amplify push --yes                  deploy, then write the client configuration
  cargo amplify publish --yes               build the site's folder, deploy, upload it
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
pub(super) enum CargoCli {
    /// Deploy and manage an Amplify backend declared with `#[amplify::backend]`.
    Amplify(AmplifyArgs),
}

#[derive(Args)]
#[command(version, after_help = EXAMPLES)]
pub(super) struct AmplifyArgs {
    #[command(flatten)]
    pub(super) global: GlobalArgs,
    #[command(subcommand)]
    pub(super) command: Command,
}

/// The names of the built-in commands (`status`, `env`…): a general plugin of the same
/// name is never run.
pub(super) fn builtin_commands() -> Vec<String> {
    use clap::Subcommand as _;
    Command::augment_subcommands(clap::Command::new("amplify"))
        .get_subcommands()
        .map(|c| c.get_name().to_owned())
        .collect()
}

#[derive(Args)]
pub(super) struct GlobalArgs {
    /// AWS profile to use.
    #[arg(long, global = true)]
    pub(super) profile: Option<String>,
    /// AWS region (default: AWS_REGION or the profile's region).
    #[arg(long, global = true)]
    pub(super) region: Option<String>,
    /// A role to assume with the credentials found (e.g. a target account's deployment role).
    #[arg(long, global = true)]
    pub(super) role_arn: Option<String>,
    /// Endpoint of an AWS emulator, e.g. http://127.0.0.1:4566 (default: AWS_ENDPOINT_URL).
    #[arg(long, global = true)]
    pub(super) endpoint_url: Option<String>,
    /// The crate to work on (default: the current directory or its nearest parent crate).
    #[arg(short = 'C', long = "project-dir", global = true)]
    pub(super) project_dir: Option<PathBuf>,
    /// More detail on stderr: -v what is done, -vv every AWS call and file, -vvv all
    /// (RUST_LOG, when set, decides instead).
    #[arg(short = 'v', long = "verbose", action = clap::ArgAction::Count, global = true)]
    pub(super) verbose: u8,
}

#[derive(Subcommand)]
pub(super) enum Command {
    /// The post-deploy action of `#[notifications]` push channels (run by `push`).
    #[command(hide = true)]
    NotificationsChannels,
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
        /// A table, user pool, bucket or user pool group this push may replace or delete,
        /// losing what it holds (the name the refusal gives); repeatable.
        #[arg(long = "allow-replace", value_name = "NAME")]
        allow_replace: Vec<String>,
    },
    /// Build the folders the backend publishes (a site), then push: deploy what changed
    /// and upload each folder whose files changed.
    Publish {
        /// Environment (default: the current one).
        #[arg(long)]
        env: Option<String>,
        /// Do not ask for confirmation.
        #[arg(long, short = 'y')]
        yes: bool,
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
    /// Write the Rust declaration of an Amplify Gen 1 project into this crate
    /// (`src/cloud.rs`, `build.rs`, schemas, function code, dependencies).
    Adopt {
        /// The Gen 1 project: the folder holding its `amplify/`.
        gen1: PathBuf,
        /// Depend on a local amplify-rs checkout instead of crates.io.
        #[arg(long, hide = true)]
        amplify_rs_path: Option<PathBuf>,
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
pub(super) enum LocalCommand {
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
pub(super) enum EnvCommand {
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
pub(super) enum PluginCommand {
    /// List every plugin by type.
    List {
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
pub(super) enum GenerateCommand {
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
pub(super) enum ConfigCommand {
    /// Merge a `cdk deploy --outputs-file` JSON into the client configuration.
    ImportCdkOutputs {
        /// The CDK outputs file.
        file: PathBuf,
        /// Environment (default: the current one).
        #[arg(long)]
        env: Option<String>,
    },
}
