#[amplify_runtime::backend]
mod backend {
    #[table(name = "Items", partition_key = id: string)]
    pub struct Orders;
    #[table(name = "items", partition_key = id: string)]
    pub struct Products;
}
fn main() {}
