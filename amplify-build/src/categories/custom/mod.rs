//! `#[custom(...)]`: a CloudFormation template of the project in a nested stack of its own
//! (Amplify's `customCloudformation`), the escape hatch for what no category declares.
//! It takes other resources' outputs as parameters (`uses(PostTable = [Arn])` fills the
//! template's `storagePostTableArn`, Amplify's naming), values of its own
//! (`parameters(Retention = "7")`), and its outputs reach the rest as any category's
//! do: `amplify-meta.json`, typed accessors, `status`, and `custom.<Name>` in
//! `amplify_outputs.json`.

mod decl;

use indexmap::IndexMap;
use proc_macro2::Span;

use crate::category::model::{Backend, Reference};
use crate::category::stack::{Binding, NestedStack, StackContext};
use crate::category::{Category, Declared, Descriptor, Edge, OutputDef, ParseContext};
use crate::cfn::{Template, Value};
use crate::decl::args::ArgReader;
use crate::decl::diagnostics::{did_you_mean, Diagnostics};
use crate::plan::{ClientFile, ClientFragment, Fragment};

/// The custom category (a user's CloudFormation template).
pub struct Custom;

/// `#[custom(...)]`: one template.
#[derive(Debug, Clone)]
pub struct CustomSpec {
    /// The template file, relative to the crate root.
    pub path: String,
    /// The template, read.
    pub template: Template,
    /// Other resources' outputs it takes: the resource, each output with where it was
    /// written.
    pub uses: Vec<(Reference, Vec<(String, Span)>)>,
    /// Values of its own parameters.
    pub parameters: IndexMap<String, String>,
}

const KEYS: &[&str] = &["template", "uses", "parameters"];

impl Category for Custom {
    type Spec = CustomSpec;

    fn descriptor(&self) -> Descriptor {
        Descriptor {
            attribute: "custom",
            category: "custom",
            service: "customCloudformation",
            keys: KEYS,
            import: None,
            import_derived: &[],
            exportable: true,
            local_cloud: true,
        }
    }

    fn parse(&self, args: &mut ArgReader<'_>, cx: &ParseContext<'_>) -> Option<CustomSpec> {
        decl::parse(args, cx)
    }

    fn check(&self, it: Declared<'_, CustomSpec>, backend: &Backend, cx: &Diagnostics) {
        for (reference, outputs) in &it.spec.uses {
            let Some(target) = crate::category::model::resolve(
                backend,
                reference,
                "a resource whose outputs the template takes",
                cx,
            ) else {
                continue;
            };
            let offered = target.outputs();
            let names: Vec<&str> = offered.iter().map(|o| o.name.as_str()).collect();
            // Each output must exist, and the template take it under Amplify's name.
            for (output, span) in outputs {
                if !names.contains(&output.as_str()) {
                    let hint = did_you_mean(output, &names)
                        .map(|b| format!("did you mean `{b}`?"))
                        .unwrap_or_else(|| format!("it has: {}", names.join(", ")));
                    cx.error(
                        *span,
                        format!("`{}` has no output `{output}`; {hint}", reference.name),
                    );
                    continue;
                }
                let parameter = StackContext::dependency_parameter(target, output);
                if !it.spec.template.parameters.contains_key(&parameter) {
                    cx.error(
                        *span,
                        format!(
                            "`{}` does not declare the parameter `{parameter}` that carries `{}`'s `{output}`; add `\"{parameter}\": {{\"Type\": \"String\"}}` to its Parameters",
                            it.spec.path, reference.name
                        ),
                    );
                }
            }
        }
    }

    fn edges<'a>(&self, it: Declared<'a, CustomSpec>, _: &'a Backend) -> Vec<Edge<'a>> {
        it.spec
            .uses
            .iter()
            .map(|(reference, outputs)| Edge {
                target: &reference.name,
                span: reference.span,
                outputs: outputs.iter().map(|(o, _)| o.clone()).collect(),
            })
            .collect()
    }

    fn outputs(&self, spec: Option<&CustomSpec>) -> Vec<OutputDef> {
        let Some(spec) = spec else {
            return Vec::new();
        };
        spec.template
            .outputs
            .iter()
            .map(|(name, output)| {
                let doc = output
                    .description
                    .clone()
                    .unwrap_or_else(|| format!("The template's `{name}` output."));
                OutputDef::new(name).accessor(&decl::accessor_name(name), &doc)
            })
            .collect()
    }

    fn synthesize(&self, it: Declared<'_, CustomSpec>, cx: &StackContext<'_>) -> NestedStack {
        let mut template = it.spec.template.clone();
        cx.declare_dependency_parameters(&mut template);
        let mut stack = NestedStack::new(
            template,
            format!("{}-cloudformation-template.json", it.name),
        );
        for (name, value) in &it.spec.parameters {
            stack
                .bindings
                .insert(name.clone(), Binding::Literal(Value::from(value.as_str())));
        }
        stack
    }

    fn client_config(&self, it: Declared<'_, CustomSpec>, _: &Backend) -> Vec<ClientFragment> {
        // Gen 2's `custom` section is free-form: the resource's outputs under its name.
        let outputs: Vec<(String, Fragment)> = it
            .spec
            .template
            .outputs
            .keys()
            .map(|name| (name.clone(), Fragment::output(name)))
            .collect();
        if outputs.is_empty() {
            return Vec::new();
        }
        vec![ClientFragment {
            file: ClientFile::AmplifyOutputs,
            value: Fragment::object([(
                "custom",
                Fragment::object([(it.name.as_str(), Fragment::object(outputs))]),
            )]),
        }]
    }
}
