// Two typos, two errors: the resource with a misspelt key is still emitted with its
// accessors, resources referring to it find it, the app calling its accessors compiles,
// and the misspelt key is read as the key it most likely means (no "missing key" follow-up).
#[amplify_runtime::backend]
mod backend {
    #[auth(sign_in = [email], identity_pool)]
    pub struct Auth;

    #[table(partiton_key = id: string)]
    pub struct NoteTable;

    #[function(runtime = rust(package = "notes-fn"), grant(NoteTable = [read, write]))]
    pub struct NotesFn;

    #[api(
        schema = "../../../../amplify-macros/tests/ui/schema.graphql",
        data_sources = [NotesFn, NoteTable],
        resolvers(Query::listPosts = NotesFn),
    )]
    pub struct Api;

    #[bucket(authenticated = [read, writ])]
    pub struct Photos;
}

fn main() {
    let _ = backend::NoteTable::table_name();
    let _ = backend::NoteTable::table_arn();
    let _ = backend::NotesFn::function_name();
    let _ = backend::Photos::bucket_name();
    let _ = backend::Api::endpoint();
}
