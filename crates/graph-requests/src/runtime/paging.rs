use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures::stream::{self, BoxStream, Stream, StreamExt};
use serde::de::DeserializeOwned;
use serde::Deserialize;

use super::request::Request;
use super::{Client, Result};

/// One page of a collection: `value`, `@odata.nextLink`, `@odata.deltaLink`, `@odata.count`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(bound(deserialize = "T: DeserializeOwned"))]
#[non_exhaustive]
pub struct Page<T> {
    /// The items of this page.
    #[serde(default = "Vec::new")]
    pub value: Vec<T>,
    /// `@odata.nextLink`: the URL of the next page, absent on the last page.
    #[serde(rename = "@odata.nextLink", default)]
    pub next_link: Option<String>,
    /// `@odata.deltaLink`: on the last page of a delta query, the URL for the next round.
    #[serde(rename = "@odata.deltaLink", default)]
    pub delta_link: Option<String>,
    /// `@odata.count`: the total number of items, when `$count=true` was asked for.
    #[serde(rename = "@odata.count", default)]
    pub count: Option<i64>,
    /// `@odata.context`, when present.
    #[serde(rename = "@odata.context", default)]
    pub context: Option<String>,
}

impl<T> Page<T> {
    /// A page from its parts.
    pub fn new(value: Vec<T>, next_link: Option<String>) -> Self {
        Page {
            value,
            next_link,
            delta_link: None,
            count: None,
            context: None,
        }
    }

    /// Whether this is the last page.
    pub fn is_last(&self) -> bool {
        self.next_link.is_none()
    }
}

impl<T> IntoIterator for Page<T> {
    type Item = T;
    type IntoIter = std::vec::IntoIter<T>;

    fn into_iter(self) -> Self::IntoIter {
        self.value.into_iter()
    }
}

/// The pages of a collection, fetched lazily: a page is requested only when the stream is
/// polled for it, by following `@odata.nextLink` (each page with the client's retries). The
/// stream ends after the last page, or after yielding the first error.
#[must_use = "streams do nothing unless polled"]
pub struct PageStream<T> {
    inner: BoxStream<'static, Result<Page<T>>>,
}

impl<T> fmt::Debug for PageStream<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PageStream")
    }
}

impl<T> Stream for PageStream<T> {
    type Item = Result<Page<T>>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.inner.as_mut().poll_next(cx)
    }
}

impl<T: Send + 'static> PageStream<T> {
    /// The items of all pages, one by one.
    pub fn items(self) -> BoxStream<'static, Result<T>> {
        self.flat_map(|page| match page {
            Ok(page) => stream::iter(page.value.into_iter().map(Ok)).left_stream(),
            Err(e) => stream::once(async move { Err(e) }).right_stream(),
        })
        .boxed()
    }

    /// Collects the items of all pages.
    pub async fn collect_items(self) -> Result<Vec<T>> {
        let mut items = Vec::new();
        let mut pages = self;
        while let Some(page) = pages.next().await {
            items.extend(page?.value);
        }
        Ok(items)
    }
}

/// The pages of a link handed out by the service, whatever operation it came from.
static FOLLOW: super::OperationInfo = super::OperationInfo {
    name: "nextLink",
    version: super::ApiVersion::V1,
    method: http::Method::GET,
    paths: &[],
    clouds: None,
};

enum State {
    First(Request),
    Next {
        url: String,
        info: &'static super::OperationInfo,
        headers: Vec<(http::HeaderName, http::HeaderValue)>,
    },
    Done,
}

impl Client {
    /// Sends a list request and decodes one page.
    pub async fn send_page<T: DeserializeOwned>(&self, request: Request) -> Result<Page<T>> {
        self.send_json(request).await
    }

    /// Sends a list request as `GET {collection}/$count`: the number of items its `$filter` or
    /// `$search` selects, which Graph answers as text. The options that shape a page (`$top`,
    /// `$skip`, `$select`, `$orderby`, `$expand`, `$count`) are left out, and
    /// `ConsistencyLevel: eventual` is set, which directory collections require for a count.
    pub async fn send_count(&self, mut request: Request) -> Result<u64> {
        const PAGE_OPTIONS: &[&str] =
            &["$top", "$skip", "$select", "$orderby", "$expand", "$count"];
        if let super::request::Target::Relative { path, query } = &mut request.target {
            path.push_str("/$count");
            query.retain(|(k, _)| !PAGE_OPTIONS.iter().any(|o| k.eq_ignore_ascii_case(o)));
        }
        request.set_header("ConsistencyLevel", "eventual");
        let name = request.info.name;
        let response = self.execute(request).await?;
        let bytes = super::client::read_body(response, name).await?;
        // A bare number is JSON; the service may put a byte order mark before it.
        let text = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(&bytes);
        super::client::decode(text, || format!("the count of {name}"))
    }

    /// Fetches the page at an `@odata.nextLink` (or `@odata.deltaLink`) URL.
    pub async fn next_page<T: DeserializeOwned>(
        &self,
        info: &'static super::OperationInfo,
        link: &str,
    ) -> Result<Page<T>> {
        let request = Request::absolute(info, http::Method::GET, link.to_owned(), Vec::new());
        self.send_json(request).await
    }

    /// All pages of a list request, following `@odata.nextLink` lazily to the end. Headers of
    /// the first request (e.g. `ConsistencyLevel`, `Prefer: odata.maxpagesize`) are sent with
    /// every page; query options are carried by the next links themselves.
    pub fn stream_pages<T>(&self, request: Request) -> PageStream<T>
    where
        T: DeserializeOwned + Send + 'static,
    {
        self.pages_from(State::First(request))
    }

    /// The pages from an `@odata.nextLink` or `@odata.deltaLink` URL on, following
    /// `@odata.nextLink` to the end: a delta query's next round (its last page has the
    /// `delta_link` of the round after), or a listing resumed where it stopped.
    ///
    /// ```no_run
    /// # async fn demo(client: graph_requests::Client, delta_link: String) -> graph_requests::Result<()> {
    /// use futures::StreamExt;
    /// let mut round = client.stream_pages_from::<serde_json::Value>(delta_link);
    /// let mut next_round = None;
    /// while let Some(page) = round.next().await {
    ///     let page = page?;
    ///     println!("{} changes", page.value.len());
    ///     next_round = page.delta_link.or(next_round);
    /// }
    /// # let _ = next_round; Ok(()) }
    /// ```
    pub fn stream_pages_from<T>(&self, link: impl Into<String>) -> PageStream<T>
    where
        T: DeserializeOwned + Send + 'static,
    {
        self.pages_from(State::Next {
            url: link.into(),
            info: &FOLLOW,
            headers: Vec::new(),
        })
    }

    fn pages_from<T>(&self, first: State) -> PageStream<T>
    where
        T: DeserializeOwned + Send + 'static,
    {
        let client = self.clone();
        let inner = stream::unfold(first, move |state| {
            let client = client.clone();
            async move {
                let (request, info, headers, current) = match state {
                    State::Done => return None,
                    State::First(request) => {
                        let info = request.info;
                        // Each page gets its own client-request-id.
                        let headers: Vec<_> = request
                            .headers
                            .iter()
                            .filter(|(name, _)| name != "client-request-id")
                            .cloned()
                            .collect();
                        (request, info, headers, None)
                    }
                    State::Next { url, info, headers } => {
                        let request = Request::absolute(
                            info,
                            http::Method::GET,
                            url.clone(),
                            headers.clone(),
                        );
                        (request, info, headers, Some(url))
                    }
                };
                match client.send_json::<Page<T>>(request).await {
                    Ok(page) => {
                        let next = match &page.next_link {
                            // A link that points at the page just fetched would loop forever.
                            Some(url) if Some(url) != current.as_ref() => State::Next {
                                url: url.clone(),
                                info,
                                headers,
                            },
                            _ => State::Done,
                        };
                        Some((Ok(page), next))
                    }
                    Err(e) => Some((Err(e), State::Done)),
                }
            }
        });
        PageStream {
            inner: inner.boxed(),
        }
    }

    /// The items of all pages of a list request, one by one (see
    /// [`stream_pages`](Self::stream_pages)).
    pub fn stream_items<T>(&self, request: Request) -> BoxStream<'static, Result<T>>
    where
        T: DeserializeOwned + Send + 'static,
    {
        self.stream_pages(request).items()
    }
}
