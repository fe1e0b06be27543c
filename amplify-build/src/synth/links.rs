//! Link stacks ([`crate::Link`]): what resources contribute outside their own stacks.
//! Each is a nested stack of the root whose parameters are the outputs it consumes, so
//! CloudFormation creates it after every resource it uses, and nothing depends on it.

use indexmap::IndexMap;

use crate::category::model::{Backend, Resource};
use crate::category::stack::{description, output_value, StackContext};
use crate::cfn::{Template, Value};
use crate::plan::content_hash;

/// One synthesised link stack.
pub(crate) struct LinkStack<'a> {
    /// The resource that declared it.
    pub owner: &'a Resource,
    /// `link<Resource><name>`.
    pub logical_id: String,
    /// Relative to the folder holding `amplify/`.
    pub template_path: String,
    pub template: Template,
    /// The template's text, made once.
    pub json: String,
    /// What the root passes for each parameter.
    pub parameters: IndexMap<String, Value>,
}

impl LinkStack<'_> {
    /// Its content-addressed key in the deployment bucket.
    pub fn template_key(&self) -> String {
        let hash = content_hash(self.json.as_bytes());
        format!(
            "amplify-cfn-templates/links/{}-{hash}.json",
            self.logical_id
        )
    }
}

/// Every link of the backend's created resources. A use of an unknown resource or of
/// an output it lacks is an error here (validation reports it at its token first).
pub(crate) fn link_stacks<'a>(
    backend: &'a Backend,
    errors: &mut Vec<String>,
) -> Vec<LinkStack<'a>> {
    let mut out = Vec::new();
    for owner in backend.resources.iter().filter(|r| !r.is_imported()) {
        for link in owner.kind.links(owner, backend) {
            let logical_id = format!("link{}{}", owner.name, link.name);
            let mut template = Template::new(description("link"));
            let mut parameters = IndexMap::new();
            for edge in &link.uses {
                let Some(target) = backend.resources.iter().find(|r| r.ident == edge.target) else {
                    errors.push(format!(
                        "the link `{logical_id}` of `{}` uses `{}`, which is not declared",
                        owner.ident, edge.target
                    ));
                    continue;
                };
                for output in &edge.outputs {
                    let name = StackContext::dependency_parameter(target, output);
                    template.string_param(name.clone());
                    parameters.insert(name, output_value(target, output));
                }
            }
            template
                .string_param("env")
                .describe("Amplify environment name");
            parameters.insert("env".into(), Value::r#ref("env"));
            for (id, resource) in link.resources {
                template.resource(id, resource);
            }
            if template.unused_parameters().contains(&"env") {
                template.parameters.shift_remove("env");
                parameters.shift_remove("env");
            }
            let unused = template.unused_parameters();
            if !unused.is_empty() {
                errors.push(format!(
                    "the link `{logical_id}` of `{}` consumes outputs none of its resources use ({}): the `#[{}]` category's link and its uses disagree",
                    owner.ident,
                    unused.join(", "),
                    owner.attribute()
                ));
            }
            out.push(LinkStack {
                owner,
                template_path: format!(
                    "amplify/backend/{}/{}/build/{}-link-template.json",
                    owner.category(),
                    owner.name,
                    link.name
                ),
                logical_id,
                json: template.to_json(),
                template,
                parameters,
            });
        }
    }
    out
}
