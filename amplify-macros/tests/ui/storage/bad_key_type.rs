#[amplify_runtime::backend]
mod backend {
    #[table(partition_key = id: text)]
    pub struct Posts;
}
fn main() {}
