use std::fmt;
use std::future::Future;
use std::pin::Pin;

use super::Result;

/// A boxed future returned by a [`TokenProvider`].
pub type TokenFuture<'a> = Pin<Box<dyn Future<Output = Result<String>> + Send + 'a>>;

/// Supplies the bearer token for each request.
pub trait TokenProvider: Send + Sync {
    /// Returns the access token (without the `Bearer ` prefix).
    fn token(&self) -> TokenFuture<'_>;
}

/// A shared provider: keep an `Arc` of it to use it beside the client (e.g. to sign in before
/// the first request, or to ask whether a user is signed in).
impl<T: TokenProvider + ?Sized> TokenProvider for std::sync::Arc<T> {
    fn token(&self) -> TokenFuture<'_> {
        (**self).token()
    }
}

/// A fixed token. Its `Debug` output never shows the token.
#[derive(Clone)]
pub struct StaticToken(String);

impl StaticToken {
    /// Wraps a token.
    pub fn new(token: impl Into<String>) -> Self {
        StaticToken(token.into())
    }
}

impl fmt::Debug for StaticToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("StaticToken(<redacted>)")
    }
}

impl TokenProvider for StaticToken {
    fn token(&self) -> TokenFuture<'_> {
        let token = self.0.clone();
        Box::pin(async move { Ok(token) })
    }
}

/// A token provider backed by an async closure, e.g. one that asks an identity library and
/// caches the result. Build it with [`token_fn`].
pub struct FnToken<F>(F);

/// Wraps an async closure returning the access token as a [`TokenProvider`].
///
/// ```
/// let provider = graph_requests::runtime::token_fn(|| async {
///     std::env::var("GRAPH_TOKEN").map_err(|_| {
///         graph_requests::Error::InvalidRequest("GRAPH_TOKEN is not set".into())
///     })
/// });
/// # let _ = provider;
/// ```
pub fn token_fn<F, Fut>(f: F) -> FnToken<F>
where
    F: Fn() -> Fut + Send + Sync,
    Fut: Future<Output = Result<String>> + Send + 'static,
{
    FnToken(f)
}

impl<F> fmt::Debug for FnToken<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("FnToken(<closure>)")
    }
}

impl<F, Fut> TokenProvider for FnToken<F>
where
    F: Fn() -> Fut + Send + Sync,
    Fut: Future<Output = Result<String>> + Send + 'static,
{
    fn token(&self) -> TokenFuture<'_> {
        Box::pin((self.0)())
    }
}
