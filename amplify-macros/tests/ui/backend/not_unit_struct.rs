#[amplify_runtime::backend]
mod backend {
    #[table(partition_key = id: string)]
    pub struct Posts {
        pub id: String,
    }
}
fn main() {}
