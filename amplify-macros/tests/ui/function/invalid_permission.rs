#[amplify_runtime::backend]
mod backend {
    #[table(partition_key = id: string)]
    pub struct PostTable;
    #[function(runtime = rust(package = "f"), grant(PostTable = [read, invoke]))]
    pub struct F;
}
fn main() {}
