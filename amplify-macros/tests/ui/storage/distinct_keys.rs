// A sort key must differ from the partition key, in the table and in each index.
#[amplify_runtime::backend]
mod table {
    #[table(partition_key = id: string, sort_key = id: string)]
    pub struct Notes;
}

#[amplify_runtime::backend]
mod index {
    #[table(partition_key = id: string, index(name = byOwner, partition_key = owner: string, sort_key = owner: string))]
    pub struct Notes;
}

fn main() {}
