#[amplify_runtime::backend]
mod two_attributes {
    #[table(partition_key = id: string)]
    #[bucket]
    pub struct Both;
}

#[amplify_runtime::backend]
mod attribute_on_enum {
    #[table(partition_key = id: string)]
    pub enum Posts {
        A,
    }
}

#[amplify_runtime::backend]
mod generic_struct {
    #[table(partition_key = id: string)]
    pub struct Posts<T>(core::marker::PhantomData<T>);
}

#[amplify_runtime::backend]
mod name_value_attribute {
    #[table = "posts"]
    pub struct Posts;
}

#[amplify_runtime::backend]
mod name_not_a_string {
    #[table(name = Posts2, partition_key = id: string)]
    pub struct Posts;
}

fn main() {}
