// One mistake per backend module: access rules the backend's auth cannot serve.

#[amplify_runtime::backend]
mod rules_without_auth {
    #[function(runtime = node(code = "fns/items"))]
    pub struct Items;

    #[rest_api(path(route = "/items", function = Items, authenticated = [read]))]
    pub struct Shop;
}

#[amplify_runtime::backend]
mod rules_without_identity_pool {
    #[auth(sign_in = [email])]
    pub struct Users;

    #[function(runtime = node(code = "fns/items"))]
    pub struct Items;

    #[rest_api(path(route = "/items", function = Items, authenticated = [read]))]
    pub struct Shop;
}

#[amplify_runtime::backend]
mod guests_without_guest_access {
    #[auth(sign_in = [email], identity_pool)]
    pub struct Users;

    #[function(runtime = node(code = "fns/items"))]
    pub struct Items;

    #[rest_api(path(route = "/items", function = Items, guest = [read]))]
    pub struct Shop;
}

#[amplify_runtime::backend]
mod misspelt_group {
    #[auth(sign_in = [email], groups = [Admins], identity_pool)]
    pub struct Users;

    #[function(runtime = node(code = "fns/items"))]
    pub struct Items;

    #[rest_api(path(route = "/items", function = Items, groups(Admin = [delete])))]
    pub struct Shop;
}

#[amplify_runtime::backend]
mod guests_with_a_user_pool_authorizer {
    #[auth(sign_in = [email])]
    pub struct Users;

    #[function(runtime = node(code = "fns/items"))]
    pub struct Items;

    #[rest_api(authorizer = user_pool, path(route = "/items", function = Items, guest = [read]))]
    pub struct Shop;
}

#[amplify_runtime::backend]
mod user_pool_authorizer_without_a_pool {
    #[function(runtime = node(code = "fns/items"))]
    pub struct Items;

    #[rest_api(authorizer = user_pool, path(route = "/items", function = Items, authenticated = [read]))]
    pub struct Shop;
}

#[amplify_runtime::backend]
mod unknown_authorizer {
    #[function(runtime = node(code = "fns/items"))]
    pub struct Items;

    #[rest_api(authorizer = cognito, path(route = "/items", function = Items))]
    pub struct Shop;
}

fn main() {}
