//! Comments and replies: the blog schema's `@model` types, through the typed operations
//! generated for them. A second user comments on the post, the author replies, a reader
//! with the API key pages through the post's comments (an `@index` query field) and
//! follows a comment to its replies (`@hasMany`); the owner rules hold — the post's
//! author cannot edit the commenter's comment, the API key cannot write — and the
//! commenter edits and deletes their own.

use amplify::graphql::{Client, Error as GraphqlError, Pages};

use crate::cloud::backend::blog_api::{
    CreateCommentInput, CreateReplyInput, DeleteCommentInput, ModelCommentFilterInput,
    ModelStringInput, UpdateCommentInput,
};
use crate::cloud::backend::BlogApi;
use crate::Error;

/// What the round trip made and saw, for `--json`.
#[derive(Debug)]
pub struct Summary {
    /// The comments written on the post.
    pub comments: usize,
    /// Pages the reader went through, one comment a page.
    pub pages: usize,
    /// The reply, as read back through the comment.
    pub reply: String,
}

/// The round trip on the post `post_id`, as its `author`, a `commenter` (both signed in)
/// and a `reader` (the API key).
pub async fn round_trip(
    post_id: &str,
    author: &Client,
    commenter: &Client,
    reader: &Client,
    say: &dyn Fn(String),
) -> Result<Summary, Error> {
    let texts = ["First!", "A fine post.", "More, please."];
    let mut ids = Vec::new();
    for text in texts {
        let input = CreateCommentInput {
            id: None,
            post_id: post_id.to_owned(),
            text: text.into(),
            owner: None,
        };
        let comment = BlogApi::create_comment(commenter, input, None)
            .await?
            .ok_or("createComment returned no comment")?;
        ids.push(comment.id);
    }
    let reply = CreateReplyInput {
        id: None,
        text: "Thank you!".into(),
        owner: None,
        comment_replies_id: Some(ids[1].clone()),
    };
    BlogApi::create_reply(author, reply, None)
        .await?
        .ok_or("createReply returned no reply")?;
    say(format!(
        "comments    -> {} comments by a second user, a reply by the author (@model types)",
        texts.len()
    ));

    // The post's comments through the index, one a page: `Pages` follows the tokens.
    let mut by_post = Pages::new(|token| {
        BlogApi::comments_by_post(reader, post_id.to_owned(), None, None, Some(1), token)
    });
    let (mut seen, mut pages) = (Vec::new(), 0);
    while let Some(page) = by_post.next_page().await {
        pages += 1;
        seen.extend(page?.into_iter().map(|c| c.text));
    }
    seen.sort();
    let mut expected: Vec<String> = texts.iter().map(|t| (*t).to_owned()).collect();
    expected.sort();
    if seen != expected {
        return Err(format!("commentsByPost paged through {seen:?}, not {expected:?}").into());
    }
    let filter = ModelCommentFilterInput {
        text: Some(ModelStringInput {
            contains: Some("post".into()),
            ..Default::default()
        }),
        ..Default::default()
    };
    let filtered =
        BlogApi::comments_by_post(reader, post_id.to_owned(), None, Some(filter), None, None)
            .await?
            .and_then(|p| p.items)
            .unwrap_or_default();
    if filtered.len() != 1 {
        return Err(format!(
            "the filter `text contains \"post\"` kept {} comments, not 1",
            filtered.len()
        )
        .into());
    }
    let with_replies = BlogApi::get_comment(reader, ids[1].clone())
        .await?
        .ok_or("getComment found no comment")?;
    let reply = with_replies
        .replies
        .and_then(|r| r.items)
        .into_iter()
        .flatten()
        .flatten()
        .map(|r| r.text)
        .next()
        .ok_or("the comment has no replies")?;
    say(format!(
        "by post     -> {} comments in {pages} pages (API key); the filter keeps 1; replies -> \"{reply}\"",
        seen.len()
    ));

    // Owner rules, in the resolvers: the author cannot change the commenter's comment,
    // the API key cannot write at all.
    let edit = |text: &str| UpdateCommentInput {
        id: ids[0].clone(),
        post_id: None,
        text: Some(text.into()),
        owner: None,
    };
    expect_refusal(
        BlogApi::update_comment(author, edit("Edited by someone else"), None).await,
        "the post's author updating another user's comment",
    )?;
    let anonymous = CreateCommentInput {
        id: None,
        post_id: post_id.to_owned(),
        text: "anonymous".into(),
        owner: None,
    };
    expect_refusal(
        BlogApi::create_comment(reader, anonymous, None).await,
        "the API key creating a comment",
    )?;
    let edited = BlogApi::update_comment(commenter, edit("First! (edited)"), None)
        .await?
        .ok_or("updateComment returned no comment")?;
    let removed = DeleteCommentInput { id: ids[0].clone() };
    BlogApi::delete_comment(commenter, removed, None).await?;
    if BlogApi::get_comment(reader, ids[0].clone())
        .await?
        .is_some()
    {
        return Err("the deleted comment is still there".into());
    }
    say(format!(
        "owner rules -> others refused (Unauthorized); the commenter edited \"{}\" and deleted it",
        edited.text
    ));
    Ok(Summary {
        comments: texts.len(),
        pages,
        reply,
    })
}

/// A call the rules must refuse: `Unauthorized`, and nothing else.
fn expect_refusal<T: std::fmt::Debug>(
    answer: Result<T, GraphqlError>,
    what: &str,
) -> Result<(), Error> {
    match answer {
        Err(GraphqlError::Graphql(errors))
            if errors
                .iter()
                .any(|e| e.error_type.as_deref() == Some("Unauthorized")) =>
        {
            Ok(())
        }
        other => Err(format!("{what} was not refused as Unauthorized: {other:?}").into()),
    }
}
