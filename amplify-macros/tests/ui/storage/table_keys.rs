#[amplify_runtime::backend]
mod index_without_name {
    #[table(partition_key = id: string, index(partition_key = a: string))]
    pub struct T;
}

#[amplify_runtime::backend]
mod index_name_too_short {
    #[table(partition_key = id: string, index(name = ab, partition_key = a: string))]
    pub struct T;
}

#[amplify_runtime::backend]
mod index_name_wrong_type {
    #[table(partition_key = id: string, index(name = 12, partition_key = a: string))]
    pub struct T;
}

#[amplify_runtime::backend]
mod index_without_partition_key {
    #[table(partition_key = id: string, index(name = byA))]
    pub struct T;
}

#[amplify_runtime::backend]
mod index_twice {
    #[table(partition_key = id: string, index(name = byA, partition_key = a: string), index(name = byA, partition_key = b: string))]
    pub struct T;
}

#[amplify_runtime::backend]
mod key_without_type {
    #[table(partition_key = id)]
    pub struct T;
}

#[amplify_runtime::backend]
mod key_two_types {
    #[table(partition_key = id: string, index(name = byId, partition_key = id: number))]
    pub struct T;
}

#[amplify_runtime::backend]
mod billing_unknown {
    #[table(partition_key = id: string, billing = reserved)]
    pub struct T;
}

#[amplify_runtime::backend]
mod capacity_zero {
    #[table(partition_key = id: string, billing = provisioned(read = 0, write = 1))]
    pub struct T;
}

#[amplify_runtime::backend]
mod too_many_indexes {
    #[table(
        partition_key = id: string,
        index(name = ix1, partition_key = a: string), index(name = ix2, partition_key = a: string),
        index(name = ix3, partition_key = a: string), index(name = ix4, partition_key = a: string),
        index(name = ix5, partition_key = a: string), index(name = ix6, partition_key = a: string),
        index(name = ix7, partition_key = a: string), index(name = ix8, partition_key = a: string),
        index(name = ix9, partition_key = a: string), index(name = ix10, partition_key = a: string),
        index(name = ix11, partition_key = a: string), index(name = ix12, partition_key = a: string),
        index(name = ix13, partition_key = a: string), index(name = ix14, partition_key = a: string),
        index(name = ix15, partition_key = a: string), index(name = ix16, partition_key = a: string),
        index(name = ix17, partition_key = a: string), index(name = ix18, partition_key = a: string),
        index(name = ix19, partition_key = a: string), index(name = ix20, partition_key = a: string),
        index(name = ix21, partition_key = a: string),
    )]
    pub struct T;
}

fn main() {}
