//! `cargo amplify console [<resource>]`: the AWS console address of the environment's
//! root stack, or of one deployed resource. Printed, never opened: it works the same
//! over SSH and in CI.

use serde_json::json;

use super::error::{CliError, Result};
use super::project::Project;
use super::state::RootValue;

/// Prints the console address of the root stack, or of `resource` (a resource name).
pub fn console(
    project: &Project,
    env: Option<&str>,
    resource: Option<&str>,
    json: bool,
) -> Result<()> {
    let env = project.resolve_env(env)?;
    let provider = project.env_provider(&env)?;
    let stack = provider.require(RootValue::StackName)?;
    let region = provider.region.as_deref().unwrap_or("us-east-1");
    let url = match resource {
        None => stack_url(region, provider.stack_id.as_deref().unwrap_or(stack)),
        Some(name) => resource_url(project, region, stack, name)?,
    };
    if json {
        println!("{}", json!({ "environment": env, "url": url }));
    } else {
        println!("{url}");
    }
    Ok(())
}

fn stack_url(region: &str, stack_id: &str) -> String {
    format!(
        "https://{region}.console.aws.amazon.com/cloudformation/home?region={region}#/stacks/stackinfo?stackId={}",
        encode(stack_id)
    )
}

/// A deep link for the outputs that identify a console page (a user pool, a bucket, a
/// GraphQL API, a function, a table); otherwise the resource's nested stack.
fn resource_url(project: &Project, region: &str, root: &str, name: &str) -> Result<String> {
    let meta = project.meta()?;
    let Some((_, _, resource)) = meta.resources().find(|(_, n, _)| *n == name) else {
        let names: Vec<&str> = meta.resources().map(|(_, n, _)| n).collect();
        return Err(
            CliError::input(format!("no deployed resource named `{name}`")).help(
                if names.is_empty() {
                    "push first: `cargo amplify push`".to_owned()
                } else {
                    format!("deployed resources: {}", names.join(", "))
                },
            ),
        );
    };
    let outputs = resource.string_outputs();
    let console = format!("https://{region}.console.aws.amazon.com");
    let url = if let Some(pool) = outputs.get("UserPoolId") {
        format!("{console}/cognito/v2/idp/user-pools/{pool}/users?region={region}")
    } else if let Some(api) = outputs.get("GraphQLAPIIdOutput") {
        format!("{console}/appsync/home?region={region}#/{api}/v1/home")
    } else if let Some(bucket) = outputs.get("BucketName") {
        format!("https://s3.console.aws.amazon.com/s3/buckets/{bucket}?region={region}")
    } else if let (Some(function), Some(_)) =
        (outputs.get("Name"), outputs.get("LambdaExecutionRole"))
    {
        format!("{console}/lambda/home?region={region}#/functions/{function}")
    } else if let (Some(table), Some(_)) = (outputs.get("Name"), outputs.get("PartitionKeyName")) {
        format!("{console}/dynamodbv2/home?region={region}#table?name={table}")
    } else {
        let logical = resource
            .provider_metadata
            .as_ref()
            .map(|m| m.logical_id.clone())
            .unwrap_or_else(|| name.to_owned());
        format!(
            "{console}/cloudformation/home?region={region}#/stacks?filteringText={}&filteringStatus=active",
            encode(&format!("{root}-{logical}"))
        )
    };
    Ok(url)
}

/// What a query value keeps as is: letters, digits and `- _ . ~` (RFC 3986 unreserved).
const QUERY: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// Percent-encoding of what console addresses carry in a query (ARNs, names).
fn encode(text: &str) -> String {
    percent_encoding::utf8_percent_encode(text, QUERY).to_string()
}
