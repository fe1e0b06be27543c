#[amplify_runtime::backend]
mod backend {
    #[function(runtime = rust(package = "f"), memory = 128, memory = 256)]
    pub struct F;
}
fn main() {}
