//! The deployment plan ([`crate::plan::Plan`]) from the synthesised stacks: what the CLI
//! needs to deploy them, read from the IR rather than recovered from files.

use indexmap::IndexMap;

use super::links::LinkStack;
use super::{derived_output, export, root, Synthesized};
use crate::category::model::Backend;
use crate::category::stack::{Binding, ProjectSettings};
use crate::cfn::Template;
use crate::plan::{
    Asset, CategoryInfo, ChildStack, ImportedResource, LinkPlan, Plan, RootPlan, RootSecret,
    StackInput, StackPlan, PLAN_FORMAT, ROOT_TEMPLATE_FILE,
};

pub(super) fn plan(
    backend: &Backend,
    (stacks, links): (&[Synthesized], &[LinkStack]),
    root: &Template,
    root_json: &str,
    project: &ProjectSettings,
) -> Plan {
    Plan {
        format: PLAN_FORMAT,
        project_name: project.project_name.clone(),
        inputs: Vec::new(),
        root: RootPlan {
            template: ROOT_TEMPLATE_FILE.to_owned(),
            template_key: super::root_template_key(root_json),
            parameters: root.parameters.keys().cloned().collect(),
            secrets: stacks
                .iter()
                .flat_map(|s| {
                    s.stack
                        .bindings
                        .iter()
                        .filter_map(move |(parameter, binding)| match binding {
                            Binding::Input(crate::plan::EnvInput::Secret { variable }) => {
                                Some(RootSecret {
                                    parameter: root::secret_parameter(s.resource, parameter),
                                    variable: variable.clone(),
                                    logical_id: s.resource.logical_id(),
                                })
                            }
                            _ => None,
                        })
                })
                .collect(),
            links: links
                .iter()
                .map(|l| LinkPlan {
                    logical_id: l.logical_id.clone(),
                    resource: l.owner.name.clone(),
                    template: l.template_path.clone(),
                    template_key: l.template_key(),
                })
                .collect(),
            groups: Vec::new(),
            left_out: Vec::new(),
        },
        stacks: stacks.iter().map(|s| stack_plan(backend, s)).collect(),
        imported: backend
            .resources
            .iter()
            .filter(|r| r.is_imported())
            .map(|r| {
                let ids = r.imported.clone().unwrap_or_default();
                let derived: IndexMap<String, String> = r
                    .kind
                    .descriptor()
                    .import_derived
                    .iter()
                    .filter(|(output, _)| !ids.contains_key(*output))
                    .filter_map(|(output, _)| {
                        Some(((*output).to_owned(), derived_output(r, output)?))
                    })
                    .collect();
                ImportedResource {
                    category: r.category().to_owned(),
                    name: r.name.clone(),
                    service: r.service().to_owned(),
                    outputs: ids,
                    derived,
                    client_config: r.kind.client_config(r, backend),
                }
            })
            .collect(),
        export: export::export_plan(root, stacks, links),
        categories: categories(backend),
        backend_config: Default::default(),
    }
}

/// Each category of the backend's resources, once, in declaration order.
fn categories(backend: &Backend) -> Vec<CategoryInfo> {
    let mut out: Vec<CategoryInfo> = Vec::new();
    for r in &backend.resources {
        if !out.iter().any(|c| c.attribute == r.attribute()) {
            out.push(CategoryInfo {
                attribute: r.attribute().to_owned(),
                category: r.category().to_owned(),
                service: r.service().to_owned(),
            });
        }
    }
    out
}

fn stack_plan(backend: &Backend, s: &Synthesized) -> StackPlan {
    let folder = s.folder();
    let inputs = s
        .stack
        .bindings
        .iter()
        .filter_map(|(parameter, binding)| match binding {
            Binding::Input(input) => Some(StackInput {
                parameter: parameter.clone(),
                input: input.clone(),
            }),
            _ => None,
        })
        .collect();
    // Asset files are named relative to the resource's folder by their category.
    let assets = s
        .stack
        .assets
        .iter()
        .cloned()
        .map(|asset| match asset {
            Asset::Files {
                prefix,
                export_folder,
                mut files,
            } => {
                for file in &mut files {
                    file.path = format!("{folder}/{}", file.path);
                }
                Asset::Files {
                    prefix,
                    export_folder,
                    files,
                }
            }
            other => other,
        })
        .collect();
    let descriptor = s.resource.kind.descriptor();
    let children = s
        .stack
        .children
        .iter()
        .map(|c| ChildStack {
            logical_id: c.logical_id.clone(),
            template: format!("{folder}/{}", c.template),
            export_template: format!(
                "{}/{}/{}",
                descriptor.category, s.resource.name, c.export_template
            ),
        })
        .collect();
    StackPlan {
        category: descriptor.category.to_owned(),
        name: s.resource.name.clone(),
        service: descriptor.service.to_owned(),
        logical_id: s.resource.logical_id(),
        template: format!("{folder}/{}", s.stack.template_path),
        template_key: s.key.clone(),
        folder,
        inputs,
        assets,
        outputs: s.resource.outputs(),
        client_config: s.resource.kind.client_config(s.resource, backend),
        exportable: descriptor.exportable,
        local_cloud: descriptor.local_cloud,
        actions: s.stack.actions.clone(),
        console: s.resource.kind.console_page().map(str::to_owned),
        children,
    }
}
