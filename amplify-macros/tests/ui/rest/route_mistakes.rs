// One mistake per backend module.

#[amplify_runtime::backend]
mod no_paths {
    #[rest_api(authorizer = iam)]
    pub struct Shop;
}

#[amplify_runtime::backend]
mod route_without_slash {
    #[function(runtime = node(code = "fns/items"))]
    pub struct Items;

    #[rest_api(path(route = "items", function = Items))]
    pub struct Shop;
}

#[amplify_runtime::backend]
mod route_with_colon_parameter {
    #[function(runtime = node(code = "fns/items"))]
    pub struct Items;

    #[rest_api(path(route = "/items/:id", function = Items))]
    pub struct Shop;
}

#[amplify_runtime::backend]
mod route_twice {
    #[function(runtime = node(code = "fns/items"))]
    pub struct Items;

    #[rest_api(path(route = "/items", function = Items), path(route = "/items", function = Items))]
    pub struct Shop;
}

#[amplify_runtime::backend]
mod two_parameters_at_one_level {
    #[function(runtime = node(code = "fns/items"))]
    pub struct Items;

    #[rest_api(
        path(route = "/items/{id}", function = Items),
        path(route = "/items/{name}/tags", function = Items),
    )]
    pub struct Shop;
}

#[amplify_runtime::backend]
mod path_without_function {
    #[rest_api(path(route = "/items"))]
    pub struct Shop;
}

#[amplify_runtime::backend]
mod function_is_a_table {
    #[table(partition_key = id: string)]
    pub struct Items;

    #[rest_api(path(route = "/items", function = Items))]
    pub struct Shop;
}

#[amplify_runtime::backend]
mod misspelt_function {
    #[function(runtime = node(code = "fns/items"))]
    pub struct Items;

    #[rest_api(path(route = "/items", function = Itemz))]
    pub struct Shop;
}

#[amplify_runtime::backend]
mod unknown_operation {
    #[auth(sign_in = [email], identity_pool)]
    pub struct Users;

    #[function(runtime = node(code = "fns/items"))]
    pub struct Items;

    #[rest_api(path(route = "/items", function = Items, authenticated = [raed]))]
    pub struct Shop;
}

#[amplify_runtime::backend]
mod misspelt_path_key {
    #[auth(sign_in = [email], identity_pool(guest_access = true))]
    pub struct Users;

    #[function(runtime = node(code = "fns/items"))]
    pub struct Items;

    #[rest_api(path(route = "/items", function = Items, gest = [read]))]
    pub struct Shop;
}

fn main() {}
