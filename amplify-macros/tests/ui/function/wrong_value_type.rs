#[amplify_runtime::backend]
mod backend {
    #[function(runtime = rust(package = "f"), memory = "lots")]
    pub struct F;
}
fn main() {}
