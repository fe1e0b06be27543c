#[amplify_runtime::backend]
mod backend {
    #[allow(non_camel_case_types)]
    #[table(partition_key = id: string)]
    pub struct post_table;
}
fn main() {}
