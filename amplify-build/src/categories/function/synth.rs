//! Lambda: the function, its execution role with least-privilege grants, and the
//! environment variables that name the resources it was granted (Amplify's
//! `<CATEGORY>_<RESOURCE>_<OUTPUT>` convention, e.g. `STORAGE_POSTTABLE_NAME`).

use serde_json::json;

use super::{granted_variables, FunctionSpec};
use crate::category::model::Resource as Decl;
use crate::category::stack::{description, Binding, NestedStack, StackContext};
use crate::cfn::policy;
use crate::cfn::{list, obj, to_pretty_json, Resource, Template, Value};
use crate::plan::{Asset, CodeSource, EnvInput};

/// The nested stack of one function.
pub(super) fn nested_stack(
    resource: &Decl,
    spec: &FunctionSpec,
    cx: &StackContext<'_>,
) -> NestedStack {
    let name = &resource.name;
    let mut t = Template::new(description("function-Lambda"));
    t.string_param("env").describe("Amplify environment name");
    t.string_param("deploymentBucketName")
        .describe("Bucket holding the code zip");
    t.string_param("s3Key")
        .describe("Key of the code zip, content-addressed");
    cx.declare_dependency_parameters(&mut t);

    let function_name = Value::sub(format!("{name}-${{env}}"));
    let mut statements = vec![policy::write_logs(Value::sub(format!(
            "arn:${{AWS::Partition}}:logs:${{AWS::Region}}:${{AWS::AccountId}}:log-group:/aws/lambda/{name}-${{env}}:*"
        )))];
    for grant in &spec.grants {
        let target = cx
            .backend
            .resolve(&grant.target)
            .expect("validated reference");
        let parameter = |output: &str| StackContext::dependency_parameter(target, output);
        for (perm, _) in &grant.permissions {
            statements.extend(match &grant.part {
                None => target.kind.grant(target, perm, &parameter),
                Some((part, _)) => target.kind.grant_part(target, part, perm, &parameter),
            });
        }
    }
    if spec.tracing {
        statements.push(policy::allow(
            &["xray:PutTelemetryRecords", "xray:PutTraceSegments"],
            vec!["*".into()],
        ));
    }
    let mut role = Resource::new("AWS::IAM::Role")
        .prop(
            "AssumeRolePolicyDocument",
            policy::service_trust("lambda.amazonaws.com"),
        )
        .prop(
            "Policies",
            list([obj([
                ("PolicyName", Value::from(format!("{name}-execution"))),
                ("PolicyDocument", policy::document(statements)),
            ])]),
        );
    if spec.tracing {
        role = role.checkov_skip(
            "CKV_AWS_111",
            "X-Ray trace segments have no resource ARN: xray:PutTraceSegments needs Resource '*'",
        );
    }
    t.resource("LambdaExecutionRole", role);

    let mut variables = vec![
        ("ENV".to_owned(), Value::r#ref("env")),
        ("REGION".to_owned(), Value::r#ref("AWS::Region")),
    ];
    for var in granted_variables(spec, cx.backend) {
        variables.push((
            var.name,
            StackContext::dependency_ref(var.target, &var.output),
        ));
    }
    // Declared variables arrive as parameters whose default is the declared value, so
    // that an environment can override one without a new template.
    for (i, var) in spec.env.iter().enumerate() {
        let parameter = env_parameter(i);
        t.string_param(&parameter)
            .describe(format!("Environment variable {}", var.name))
            .default = Some(Value::from(var.value.as_str()));
        variables.push((var.name.clone(), Value::r#ref(&parameter)));
    }
    t.resource(
        "LambdaFunction",
        lambda(spec, function_name.clone(), variables),
    );

    t.output("Name", Value::r#ref("LambdaFunction")).description =
        Some("Lambda function name".into());
    t.output("Arn", Value::get_att("LambdaFunction", "Arn"))
        .description = Some("Lambda function ARN".into());
    t.output("Region", Value::r#ref("AWS::Region"));
    t.output("LambdaExecutionRole", Value::r#ref("LambdaExecutionRole"));
    t.output(
        "LambdaExecutionRoleArn",
        Value::get_att("LambdaExecutionRole", "Arn"),
    );

    let mut stack = NestedStack::new(t, format!("{name}-cloudformation-template.json"));
    for (i, var) in spec.env.iter().enumerate() {
        stack.bind(
            env_parameter(i),
            Binding::Input(EnvInput::Override {
                key: var.name.clone(),
                default: var.value.clone(),
            }),
        );
    }
    stack
        .bind(
            "deploymentBucketName",
            Binding::Input(EnvInput::DeploymentBucket),
        )
        .bind(
            "s3Key",
            Binding::Input(EnvInput::AssetKey {
                asset: name.clone(),
            }),
        );
    stack.assets.push(Asset::FunctionCode {
        id: name.clone(),
        source: match &spec.runtime {
            super::Runtime::Rust { package } => CodeSource::RustPackage {
                package: package.clone(),
            },
            super::Runtime::Node { code, .. } | super::Runtime::Python { code, .. } => {
                CodeSource::Folder { path: code.clone() }
            }
        },
        runtime: spec.runtime.lambda_runtime(),
        architecture: spec.architecture,
    });
    stack.backend_config.insert("build".into(), json!(true));
    stack
        .files
        .push(("amplify.state".into(), amplify_cli_state()));
    stack
}

/// `amplify.state`: how the Amplify CLI builds and packages the function when it pushes
/// or exports the folder. Its Node.js runtime with the legacy build zips `src/` as it is,
/// and push leaves there the files of the zip it deployed (see the runtime's
/// `deploy::amplify_cli`): the CLI has no Rust runtime, and its Python one would rebuild
/// the code with pipenv.
fn amplify_cli_state() -> String {
    to_pretty_json(&json!({
        "pluginId": "amplify-nodejs-function-runtime-provider",
        "functionRuntime": "nodejs",
        "useLegacyBuild": true,
        "defaultEditorFile": "src/bootstrap"
    }))
}

fn lambda(spec: &FunctionSpec, function_name: Value, variables: Vec<(String, Value)>) -> Resource {
    let arch = spec.architecture.lambda_name();
    let mut f = Resource::new("AWS::Lambda::Function")
        .prop("FunctionName", function_name)
        .prop("Handler", spec.runtime.handler())
        .prop("Runtime", spec.runtime.lambda_runtime())
        .prop("Architectures", vec![arch])
        .prop(
            "Code",
            obj([
                ("S3Bucket", Value::r#ref("deploymentBucketName")),
                ("S3Key", Value::r#ref("s3Key")),
            ]),
        )
        .prop("MemorySize", spec.memory)
        .prop("Timeout", spec.timeout)
        .prop("Role", Value::get_att("LambdaExecutionRole", "Arn"))
        .prop(
            "Environment",
            obj([("Variables", Value::Map(variables.into_iter().collect()))]),
        )
        .prop_opt("ReservedConcurrentExecutions", spec.reserved_concurrency);
    if spec.tracing {
        f = f.prop("TracingConfig", obj([("Mode", Value::from("Active"))]));
    }
    f.checkov_skip(
        "CKV_AWS_116",
        "AppSync and direct callers invoke synchronously and receive errors themselves; a dead-letter queue only serves asynchronous invocations",
    )
    .checkov_skip("CKV_AWS_117", "functions reach AWS APIs over the public endpoints; running in a VPC needs NAT and is not declared")
    .checkov_skip(
        "CKV_AWS_173",
        "environment variables hold resource names, not secrets, and Lambda encrypts them at rest with an AWS-managed key",
    )
    .checkov_skip(
        "CKV_AWS_45",
        "values are references and declared settings; amplify-rs rejects secret-looking names and values at compile time, where this entropy heuristic misfires",
    )
    .checkov_skip_if(
        spec.reserved_concurrency.is_none(),
        "CKV_AWS_115",
        "no concurrency reserved: new accounts often have too small a quota; declare `reserved_concurrency = N` to set one",
    )
}

/// The nested parameter of the `i`th declared environment variable (parameter names are
/// alphanumeric; variable names may have `_`).
fn env_parameter(i: usize) -> String {
    format!("envVar{i}")
}
