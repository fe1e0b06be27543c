#[amplify_runtime::backend]
mod backend {
    #[auth]
    pub struct Customers;
    #[auth]
    pub struct Staff;
}
fn main() {}
