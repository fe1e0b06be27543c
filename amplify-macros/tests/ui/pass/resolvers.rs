// A resolver function's types, from the API's schema: each field's typed event.
#[amplify_runtime::resolvers(schema = "../../../../amplify-macros/tests/ui/schema.graphql")]
mod api {}

use api::{answers, Call, Post};

fn answer(call: Call) -> Option<String> {
    match call {
        Call::CreatePost(event) => {
            let created: answers::CreatePost = Some(Post {
                id: "p-1".into(),
                title: event.arguments.title,
            });
            created.map(|p| p.id)
        }
        Call::GetPost(event) => Some(event.arguments.id),
        Call::ListPosts(event) => event.identity.and_then(|i| i.sub),
    }
}

fn main() {
    let call = Call::from_event(amplify_runtime::lambda::__private::serde_json::json!({
        "info": {"fieldName": "getPost", "parentTypeName": "Query"},
        "arguments": {"id": "p-9"},
    }))
    .unwrap();
    assert_eq!(answer(call).as_deref(), Some("p-9"));
}
