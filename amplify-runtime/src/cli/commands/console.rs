//! `cargo amplify console [<resource>]`: the AWS console address of the environment's
//! root stack, or of one deployed resource. Printed, never opened: it works the same
//! over SSH and in CI.

use std::collections::BTreeMap;

use amplify_build::plan::Plan;
use serde_json::json;

use crate::cli::context::Context;
use crate::cli::error::{CliError, Result};
use crate::cli::state::project::Project;
use crate::cli::state::{MetaResource, RootValue};

/// Prints the console address of the root stack, or of `resource` (a resource name).
pub fn console(ctx: &Context, resource: Option<&str>, json: bool) -> Result<()> {
    let (project, env) = (&ctx.project, ctx.env()?);
    let provider = ctx.provider_info()?;
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

/// The resource's console page as its category names it (a user pool, a bucket, a
/// GraphQL API, a function, a table, a third-party category's own); otherwise its
/// nested stack.
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
    // The page the resource's category names, as deployed; else its nested stack.
    let page = deployed_console_page(project, resource);
    let filled = page.and_then(|page| fill(&page, region, &outputs));
    let url = match filled {
        Some(url) => url,
        None => {
            let logical = resource
                .provider_metadata
                .as_ref()
                .map(|m| m.logical_id.clone())
                .unwrap_or_else(|| name.to_owned());
            format!(
                "https://{region}.console.aws.amazon.com/cloudformation/home?region={region}#/stacks?filteringText={}&filteringStatus=active",
                encode(&format!("{root}-{logical}"))
            )
        }
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

/// The console page of `resource` in the plan that was deployed (kept in
/// `#current-cloud-backend`).
fn deployed_console_page(project: &Project, resource: &MetaResource) -> Option<String> {
    let logical = &resource.provider_metadata.as_ref()?.logical_id;
    let path = project
        .current_cloud_backend()
        .join("awscloudformation/build/deployment-plan.json");
    let plan: Plan = serde_json::from_str(&std::fs::read_to_string(path).ok()?).ok()?;
    plan.stacks
        .into_iter()
        .find(|s| &s.logical_id == logical)?
        .console
}

/// `page` with `{region}` and each `{<Output>}` filled in; `None` when an output it
/// names was not deployed.
fn fill(page: &str, region: &str, outputs: &BTreeMap<&str, &str>) -> Option<String> {
    let mut out = String::new();
    let mut rest = page;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let close = rest[open..].find('}')? + open;
        let name = &rest[open + 1..close];
        if name == "region" {
            out.push_str(region);
        } else {
            out.push_str(&encode(outputs.get(name)?));
        }
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_is_filled_from_the_region_and_outputs() {
        let outputs = BTreeMap::from([("QueueUrl", "https://sqs.x/1/Jobs-dev")]);
        assert_eq!(
            fill(
                "https://{region}.console/sqs#/queues/{QueueUrl}",
                "eu-west-1",
                &outputs
            )
            .as_deref(),
            Some("https://eu-west-1.console/sqs#/queues/https%3A%2F%2Fsqs.x%2F1%2FJobs-dev")
        );
        assert_eq!(fill("https://x/{Missing}", "eu-west-1", &outputs), None);
    }
}
