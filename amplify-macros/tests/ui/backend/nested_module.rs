// Resources live directly in the backend module; one in a nested module is one error.
#[amplify_runtime::backend]
mod backend {
    #[table(partition_key = id: string)]
    pub struct Notes;

    pub mod more {
        #[table(partition_key = id: string)]
        pub struct Hidden;
    }
}

fn main() {
    let _ = backend::Notes::table_name();
}
