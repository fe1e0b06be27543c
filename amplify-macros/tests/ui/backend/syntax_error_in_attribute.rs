#[amplify_runtime::backend]
mod backend {
    #[table(partition_key = = id)]
    pub struct Posts;
}
fn main() {}
