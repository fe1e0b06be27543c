#[amplify_runtime::backend]
mod no_runtime {
    #[function(memory = 256)]
    pub struct F;
}

#[amplify_runtime::backend]
mod rust_without_package {
    #[function(runtime = rust)]
    pub struct F;
}

#[amplify_runtime::backend]
mod bad_package_name {
    #[function(runtime = rust(package = "9lives"))]
    pub struct F;
}

#[amplify_runtime::backend]
mod old_node {
    #[function(runtime = node(code = "fn", version = 18))]
    pub struct F;
}

#[amplify_runtime::backend]
mod old_python {
    #[function(runtime = python(code = "fn", version = "2.7"))]
    pub struct F;
}

#[amplify_runtime::backend]
mod node_without_code {
    #[function(runtime = node(version = 22))]
    pub struct F;
}

#[amplify_runtime::backend]
mod runtime_as_string {
    #[function(runtime = "rust")]
    pub struct F;
}

#[amplify_runtime::backend]
mod unknown_architecture {
    #[function(runtime = rust(package = "f"), architecture = arm)]
    pub struct F;
}

#[amplify_runtime::backend]
mod memory_without_value {
    #[function(runtime = rust(package = "f"), memory)]
    pub struct F;
}

#[amplify_runtime::backend]
mod concurrency_too_high {
    #[function(runtime = rust(package = "f"), reserved_concurrency = 5000)]
    pub struct F;
}

#[amplify_runtime::backend]
mod tracing_not_bool {
    #[function(runtime = rust(package = "f"), tracing = "on")]
    pub struct F;
}

fn main() {}
