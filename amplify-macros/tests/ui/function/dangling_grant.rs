#[amplify_runtime::backend]
mod backend {
    #[table(partition_key = id: string)]
    pub struct PostTable;
    #[function(runtime = rust(package = "f"), grant(PostTabel = [read]))]
    pub struct F;
}
fn main() {}
