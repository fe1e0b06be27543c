//! Paginated queries page by page: a `list<Models>` or index query answers one page (a
//! `Model…Connection` of `items` and a `nextToken`); [`Pages`] calls it again with each
//! token until the API has no more.
//!
//! ```no_run
//! # async fn f(client: &amplify_runtime::graphql::Client) -> Result<(), amplify_runtime::graphql::Error> {
//! # struct Api; impl Api { async fn list_notes(_: &amplify_runtime::graphql::Client, _: Option<i32>, _: Option<String>) -> Result<Option<Page>, amplify_runtime::graphql::Error> { Ok(None) } }
//! # struct Page; impl amplify_runtime::graphql::Connection for Page { type Item = (); fn into_page(self) -> (Vec<()>, Option<String>) { (Vec::new(), None) } }
//! use amplify_runtime::graphql::Pages;
//! let mut pages = Pages::new(|token| Api::list_notes(client, Some(50), token));
//! while let Some(page) = pages.next_page().await {
//!     for note in page? { /* … */ }
//! }
//! # Ok(()) }
//! ```

use std::future::Future;

use super::Error;

/// One page of a paginated answer: the generated `Model…Connection` types (and any
/// object with `items` and `nextToken`) implement it.
pub trait Connection {
    /// What a page holds.
    type Item;
    /// The page's items (those the API returned as null left out) and the next page's
    /// token, if there is one.
    fn into_page(self) -> (Vec<Self::Item>, Option<String>);
}

/// The pages of a paginated query, fetched one call at a time: `fetch` is called with
/// `None` first, then with each page's `nextToken`, until a page has none.
pub struct Pages<F> {
    fetch: F,
    /// The token to fetch with next; `None` once the last page was fetched.
    next: Option<Option<String>>,
}

impl<F, Fut, C> Pages<F>
where
    F: FnMut(Option<String>) -> Fut,
    Fut: Future<Output = Result<Option<C>, Error>>,
    C: Connection,
{
    /// The pages `fetch` answers, from the first.
    pub fn new(fetch: F) -> Self {
        Pages {
            fetch,
            next: Some(None),
        }
    }

    /// The next page's items; `None` after the last page (or after an error, which is
    /// returned once).
    pub async fn next_page(&mut self) -> Option<Result<Vec<C::Item>, Error>> {
        let token = self.next.take()?;
        match (self.fetch)(token).await {
            Ok(Some(page)) => {
                let (items, next) = page.into_page();
                self.next = next.map(Some);
                Some(Ok(items))
            }
            Ok(None) => Some(Ok(Vec::new())),
            Err(e) => Some(Err(e)),
        }
    }

    /// Every item of every page, in order.
    pub async fn all(mut self) -> Result<Vec<C::Item>, Error> {
        let mut out = Vec::new();
        while let Some(page) = self.next_page().await {
            out.extend(page?);
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Page(Vec<Option<u32>>, Option<&'static str>);

    impl Connection for Page {
        type Item = u32;
        fn into_page(self) -> (Vec<u32>, Option<String>) {
            (
                self.0.into_iter().flatten().collect(),
                self.1.map(String::from),
            )
        }
    }

    /// Runs a future whose awaits are all ready (the test's fetches answer at once).
    fn run<T>(future: impl Future<Output = T>) -> T {
        let mut future = std::pin::pin!(future);
        let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
        match future.as_mut().poll(&mut cx) {
            std::task::Poll::Ready(value) => value,
            std::task::Poll::Pending => panic!("the test's futures are ready at once"),
        }
    }

    #[test]
    fn pages_follow_the_tokens_until_there_is_none() {
        let mut asked = Vec::new();
        let pages = Pages::new(|token: Option<String>| {
            asked.push(token.clone());
            let page = match token.as_deref() {
                None => Page(vec![Some(1), None, Some(2)], Some("a")),
                Some("a") => Page(vec![], Some("b")),
                _ => Page(vec![Some(3)], None),
            };
            async move { Ok(Some(page)) }
        });
        assert_eq!(run(pages.all()).unwrap(), vec![1, 2, 3]);
        assert_eq!(asked, vec![None, Some("a".into()), Some("b".into())]);
    }
}
