#[amplify_runtime::backend]
mod backend {
    #[table(sort_key = created: number)]
    pub struct Events;
}
fn main() {}
