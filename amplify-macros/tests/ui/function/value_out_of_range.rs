#[amplify_runtime::backend]
mod backend {
    #[function(runtime = rust(package = "f"), timeout = 901)]
    pub struct F;
}
fn main() {}
