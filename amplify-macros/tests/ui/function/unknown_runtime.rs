#[amplify_runtime::backend]
mod backend {
    #[function(runtime = rsut(package = "f"))]
    pub struct F;
}
fn main() {}
