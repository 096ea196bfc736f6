use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use http::header::{HeaderName, HeaderValue};
use serde::de::DeserializeOwned;
use tracing::Instrument;

use super::auth::{StaticToken, TokenProvider};
use super::encode::encode_query;
use super::error::ApiError;
use super::lro::LroPolicy;
use super::request::{Body, Target};
use super::{ApiVersion, Cloud, Error, OperationInfo, Request, Result, RetryPolicy};

/// The default `User-Agent`.
pub const DEFAULT_USER_AGENT: &str = concat!("graph-requests-rust/", env!("CARGO_PKG_VERSION"));

/// A Microsoft Graph client. Cheap to clone; clones share the connection pool and
/// configuration and can be moved to other tasks.
#[derive(Clone)]
pub struct Client {
    pub(crate) inner: Arc<Inner>,
}

#[derive(Clone)]
pub(crate) struct Inner {
    pub(crate) http: reqwest::Client,
    pub(crate) base_url: String,
    pub(crate) origin: Origin,
    pub(crate) cloud: Cloud,
    pub(crate) version: ApiVersion,
    pub(crate) token: Option<Arc<dyn TokenProvider>>,
    pub(crate) check_cloud: bool,
    /// The path that stands for `/me` in the requests sent ([`Client::as_user`]).
    pub(crate) me: Option<String>,
    pub(crate) retry: RetryPolicy,
    pub(crate) lro: LroPolicy,
    pub(crate) timeout: Option<Duration>,
    pub(crate) user_agent: HeaderValue,
    pub(crate) default_headers: Vec<(HeaderName, HeaderValue)>,
}

/// Scheme, host and port of the configured service root: the only place the token goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Origin {
    scheme: String,
    host: String,
    port: Option<u16>,
}

impl Origin {
    fn of(url: &reqwest::Url) -> Option<Origin> {
        Some(Origin {
            scheme: url.scheme().to_owned(),
            host: url.host_str()?.to_ascii_lowercase(),
            port: url.port_or_known_default(),
        })
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base_url)
            .field("cloud", &self.inner.cloud)
            .field("version", &self.inner.version)
            .field("token", &self.inner.token.as_ref().map(|_| "<redacted>"))
            .field("retry", &self.inner.retry)
            .field("lro", &self.inner.lro)
            .field("timeout", &self.inner.timeout)
            .field("me", &self.inner.me)
            .finish_non_exhaustive()
    }
}

/// Configures a [`Client`]; start with [`Client::builder`].
pub struct ClientBuilder {
    http: Option<reqwest::Client>,
    base_url: Option<String>,
    cloud: Cloud,
    version: ApiVersion,
    token: Option<Arc<dyn TokenProvider>>,
    check_cloud: bool,
    me: Option<String>,
    retry: RetryPolicy,
    lro: LroPolicy,
    timeout: Option<Duration>,
    connect_timeout: Option<Duration>,
    user_agent: Option<String>,
    default_headers: Vec<(String, String)>,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("base_url", &self.base_url)
            .field("cloud", &self.cloud)
            .field("version", &self.version)
            .field("token", &self.token.as_ref().map(|_| "<redacted>"))
            .field("retry", &self.retry)
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

impl ClientBuilder {
    /// The national cloud (default: Global). Sets the service root unless
    /// [`base_url`](Self::base_url) is given, and decides which operations are refused as
    /// documented unavailable.
    pub fn cloud(mut self, cloud: Cloud) -> Self {
        self.cloud = cloud;
        self
    }

    /// The API version of raw requests made with [`Client::request`] (default: v1.0).
    /// Generated operations always use the version they were generated from
    /// (`client.v1()…` or `client.beta()…`).
    pub fn api_version(mut self, version: ApiVersion) -> Self {
        self.version = version;
        self
    }

    /// A custom service root without the version, e.g. `http://127.0.0.1:8080` for a local
    /// test server. The bearer token is only ever sent to this scheme, host and port.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into().trim_end_matches('/').to_owned());
        self
    }

    /// A fixed bearer token.
    pub fn bearer_token(self, token: impl Into<String>) -> Self {
        self.token_provider(StaticToken::new(token))
    }

    /// A token provider asked before every attempt (so it may refresh).
    pub fn token_provider(mut self, provider: impl TokenProvider + 'static) -> Self {
        self.token = Some(Arc::new(provider));
        self
    }

    /// An async closure asked for the token before every attempt.
    pub fn token_fn<F, Fut>(self, f: F) -> Self
    where
        F: Fn() -> Fut + Send + Sync + 'static,
        Fut: std::future::Future<Output = Result<String>> + Send + 'static,
    {
        self.token_provider(super::auth::token_fn(f))
    }

    /// A caller-supplied `reqwest::Client` (its own TLS, proxy and pool settings are used;
    /// [`connect_timeout`](Self::connect_timeout) does not apply to it).
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// Time limit of one attempt, from sending to the end of the response body.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Time limit for establishing a connection (only for the client built here).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// The `User-Agent` header (default: [`DEFAULT_USER_AGENT`]).
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = Some(user_agent.into());
        self
    }

    /// A header sent with every request (request-level headers of the same name are sent
    /// too). An invalid name or value makes [`build`](Self::build) fail.
    pub fn default_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.default_headers.push((name.into(), value.into()));
        self
    }

    /// The retry policy (default: [`RetryPolicy::default`]).
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// How long-running operations are polled (default: [`LroPolicy::default`]).
    pub fn lro_policy(mut self, policy: LroPolicy) -> Self {
        self.lro = policy;
        self
    }

    /// Sends the requests for the signed-in user (`/me`, `/me/...`) for the user `id` (an
    /// object id or a user principal name) instead: to `/users/{id}`, `/users/{id}/...`.
    ///
    /// Microsoft Graph's `/me` is an alias of `/users/{id}` for the user of a delegated token,
    /// and many operations are documented only under `/me` (the drive and the workbook API
    /// among them). An application without a signed-in user (client credentials) calls them
    /// this way. See also [`Client::as_user`], which makes such a client from another.
    pub fn me_as_user(mut self, id: impl AsRef<str>) -> Self {
        self.me = Some(user_path(id.as_ref()));
        self
    }

    /// Sends operations even where the docs say they are unavailable on the configured cloud.
    pub fn ignore_cloud_availability(mut self) -> Self {
        self.check_cloud = false;
        self
    }

    /// Builds the client.
    pub fn build(self) -> Result<Client> {
        let http = match self.http {
            Some(http) => http,
            None => {
                // reqwest drops Authorization when a redirect leaves the host or port.
                let mut builder =
                    reqwest::Client::builder().redirect(reqwest::redirect::Policy::limited(10));
                if let Some(t) = self.connect_timeout {
                    builder = builder.connect_timeout(t);
                }
                builder.build().map_err(Error::Transport)?
            }
        };
        let base_url = self
            .base_url
            .unwrap_or_else(|| self.cloud.base_url().to_owned());
        let parsed = reqwest::Url::parse(&base_url).map_err(|e| {
            Error::InvalidRequest(format!("base URL {base_url:?} is not a URL: {e}"))
        })?;
        let origin = Origin::of(&parsed)
            .ok_or_else(|| Error::InvalidRequest(format!("base URL {base_url:?} has no host")))?;
        if parsed.query().is_some() || parsed.fragment().is_some() {
            return Err(Error::InvalidRequest(format!(
                "base URL {base_url:?} must not have a query or fragment"
            )));
        }
        let user_agent = self.user_agent.as_deref().unwrap_or(DEFAULT_USER_AGENT);
        let user_agent = header_value("User-Agent", user_agent)?;
        let mut default_headers = Vec::new();
        for (name, value) in &self.default_headers {
            let name = HeaderName::from_bytes(name.as_bytes()).map_err(|_| {
                Error::InvalidRequest(format!("{name:?} is not a valid header name"))
            })?;
            let value = header_value(name.as_str(), value)?;
            default_headers.push((name, value));
        }
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                base_url,
                origin,
                cloud: self.cloud,
                version: self.version,
                token: self.token,
                check_cloud: self.check_cloud,
                me: self.me,
                retry: self.retry,
                lro: self.lro,
                timeout: self.timeout,
                user_agent,
                default_headers,
            }),
        })
    }
}

/// `/users/{id}` with `id` encoded as one path segment.
fn user_path(id: &str) -> String {
    format!("/users/{}", super::encode_segment(id))
}

/// `path` with its first segment `me` (in any case) replaced by the path `me` stands for
/// (`/me/drive` → `/users/{id}/drive`), when one is given; otherwise `path` as it is. A segment
/// that only starts with `me` (`/messages`) is not the alias.
fn route_me<'a>(path: &'a str, me: Option<&str>) -> std::borrow::Cow<'a, str> {
    let Some(me) = me else {
        return path.into();
    };
    let rest = path
        .get(..3)
        .filter(|head| head.eq_ignore_ascii_case("/me"))
        .map(|_| &path[3..])
        .filter(|rest| rest.is_empty() || rest.starts_with(['/', '?']));
    match rest {
        Some(rest) => format!("{me}{rest}").into(),
        None => path.into(),
    }
}

fn header_value(name: &str, value: &str) -> Result<HeaderValue> {
    if value.contains(['\r', '\n']) {
        return Err(Error::InvalidRequest(format!(
            "header {name} contains a line break"
        )));
    }
    HeaderValue::from_str(value)
        .map_err(|_| Error::InvalidRequest(format!("the value of header {name} is not valid")))
}

/// The operation info of raw requests made with [`Client::request`].
static RAW: OperationInfo = OperationInfo {
    name: "request",
    version: ApiVersion::V1,
    method: http::Method::GET,
    paths: &[],
    clouds: None,
};

impl Client {
    /// Starts configuring a client.
    pub fn builder() -> ClientBuilder {
        ClientBuilder {
            http: None,
            base_url: None,
            cloud: Cloud::Global,
            version: ApiVersion::V1,
            token: None,
            check_cloud: true,
            me: None,
            retry: RetryPolicy::default(),
            lro: LroPolicy::default(),
            timeout: None,
            connect_timeout: None,
            user_agent: None,
            default_headers: Vec::new(),
        }
    }

    /// The configured national cloud.
    pub fn cloud(&self) -> Cloud {
        self.inner.cloud
    }

    /// The service root requests go to, without the version.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// The API version of raw requests.
    pub fn api_version(&self) -> ApiVersion {
        self.inner.version
    }

    /// The retry policy.
    pub fn retry_policy(&self) -> &RetryPolicy {
        &self.inner.retry
    }

    /// A client that sends the requests for the signed-in user (`/me`, `/me/...`) for the user
    /// `id` (an object id or a user principal name) instead, as
    /// [`ClientBuilder::me_as_user`] configures it; everything else (connection pool, token,
    /// cloud, policies) is shared with this client, which stays as it is.
    ///
    /// ```
    /// # fn demo(client: &graph_requests::Client) {
    /// // `/me/drive/...` operations, for a user, as a daemon app without a signed-in user.
    /// let adele = client.as_user("AdeleV@contoso.com");
    /// assert_eq!(adele.me_path(), Some("/users/AdeleV@contoso.com"));
    /// assert_eq!(client.me_path(), None);
    /// # }
    /// ```
    pub fn as_user(&self, id: impl AsRef<str>) -> Client {
        let mut inner = Inner::clone(&self.inner);
        inner.me = Some(user_path(id.as_ref()));
        Client {
            inner: Arc::new(inner),
        }
    }

    /// The path sent for `/me` ([`as_user`](Self::as_user)); `None` when `/me` is sent as is.
    pub fn me_path(&self) -> Option<&str> {
        self.inner.me.as_deref()
    }

    /// A raw request for anything the generated operations do not cover: `path` is relative
    /// to the version root configured with [`ClientBuilder::api_version`] and must already be
    /// encoded (use [`super::encode_segment`] for identifiers). Send it with
    /// [`send_json`](Self::send_json) and friends.
    pub fn request(&self, method: http::Method, path: impl Into<String>) -> Request {
        let mut path = path.into();
        if !path.starts_with('/') {
            path.insert(0, '/');
        }
        let mut request = Request::new(&RAW, path);
        request.method = method;
        request.version = self.inner.version;
        request
    }

    /// Sends a request and decodes the JSON response body into `T` (an empty body decodes as
    /// JSON `null`, so `()` and `Option<_>` accept `204 No Content`).
    pub async fn send_json<T: DeserializeOwned>(&self, request: Request) -> Result<T> {
        let name = request.info.name;
        let response = self.execute(request).await?;
        let bytes = read_body(response, name).await?;
        decode(&bytes, || format!("the response of {name}"))
    }

    /// Sends a request with `Prefer: return=representation` (unless it already asks for it) and
    /// decodes the resource the service then answers with instead of `204 No Content`.
    pub async fn send_representation<T: DeserializeOwned>(
        &self,
        mut request: Request,
    ) -> Result<T> {
        request.prefer_once("return=representation");
        self.send_json(request).await
    }

    /// Sends a request whose response has no body of interest (e.g. `204 No Content`).
    pub async fn send_empty(&self, request: Request) -> Result<()> {
        let name = request.info.name;
        let response = self.execute(request).await?;
        read_body(response, name).await.map(drop)
    }

    /// Sends a request and returns the response body as bytes (e.g. file content).
    pub async fn send_bytes(&self, request: Request) -> Result<bytes::Bytes> {
        let name = request.info.name;
        let response = self.execute(request).await?;
        read_body(response, name).await
    }

    /// Sends a request (with retries) and returns the successful raw response.
    ///
    /// Refuses, before anything is sent, a request that is invalid or whose operation is
    /// documented as unavailable on the configured cloud.
    pub async fn execute(&self, mut request: Request) -> Result<reqwest::Response> {
        request.check()?;
        let info = request.info;
        self.check_cloud(info)?;
        let (url, template) = match &request.target {
            Target::Relative { path, query } => {
                let url = format!(
                    "{}/{}{}",
                    self.inner.base_url,
                    request.version.segment(),
                    self.relative_url(path, query)
                );
                let template = info.template_for(path).unwrap_or(if info.paths.is_empty() {
                    path.split('?').next().unwrap_or_default()
                } else {
                    info.name
                });
                (url, template.to_owned())
            }
            Target::Absolute(url) => (url.clone(), format!("{} (follow-up)", info.name)),
        };
        let parsed = reqwest::Url::parse(&url)
            .map_err(|e| Error::InvalidRequest(format!("{url:?} is not a valid URL: {e}")))?;
        let same_origin = Origin::of(&parsed).as_ref() == Some(&self.inner.origin);
        let client_request_id = match request.header_value("client-request-id") {
            Some(id) => id.clone(),
            // A random (version 4) UUID; it needs to be unique, not unpredictable.
            None => {
                let uuid =
                    uuid::Builder::from_random_bytes(fastrand::u128(..).to_le_bytes()).into_uuid();
                let mut buf = uuid::Uuid::encode_buffer();
                HeaderValue::from_str(uuid.hyphenated().encode_lower(&mut buf))
                    .expect("a UUID is a valid header value")
            }
        };
        let span = tracing::info_span!(
            "graph_request",
            operation = info.name,
            method = %request.method,
            path = %template,
            client_request_id = client_request_id.to_str().unwrap_or_default(),
            attempt = tracing::field::Empty,
            status = tracing::field::Empty,
        );
        self.attempts(
            request,
            parsed,
            same_origin,
            client_request_id,
            span.clone(),
        )
        .instrument(span)
        .await
    }

    /// Refuses an operation documented as unavailable on the configured cloud (unless the
    /// client ignores cloud availability).
    pub(crate) fn check_cloud(&self, info: &OperationInfo) -> Result<()> {
        match info.clouds {
            Some(clouds) if self.inner.check_cloud && !clouds.contains(&self.inner.cloud) => {
                Err(Error::CloudUnavailable {
                    operation: info.name,
                    cloud: self.inner.cloud,
                })
            }
            _ => Ok(()),
        }
    }

    /// A relative request's path below the version root as sent: `/me` routed
    /// ([`Client::as_user`]), the query encoded.
    pub(crate) fn relative_url(&self, path: &str, query: &[(String, String)]) -> String {
        let mut url = route_me(path, self.inner.me.as_deref()).into_owned();
        if !query.is_empty() {
            url.push(if path.contains('?') { '&' } else { '?' });
            url.push_str(&encode_query(query));
        }
        url
    }

    async fn attempts(
        &self,
        mut request: Request,
        url: reqwest::Url,
        same_origin: bool,
        client_request_id: HeaderValue,
        span: tracing::Span,
    ) -> Result<reqwest::Response> {
        let inner = &*self.inner;
        let mut attempt: u32 = 0;
        let mut waited = Duration::ZERO;
        loop {
            attempt += 1;
            span.record("attempt", attempt);
            let mut builder = inner
                .http
                .request(request.method.clone(), url.clone())
                .header(http::header::USER_AGENT, inner.user_agent.clone());
            for (name, value) in &inner.default_headers {
                builder = builder.header(name, value);
            }
            for (name, value) in &request.headers {
                if name != "client-request-id" {
                    builder = builder.header(name, value);
                }
            }
            builder = builder.header("client-request-id", client_request_id.clone());
            if attempt > 1 {
                builder = builder.header("Retry-Attempt", (attempt - 1).to_string());
            }
            if same_origin && !request.anonymous {
                if let Some(token) = &inner.token {
                    let token = token.token().await?;
                    let mut value = HeaderValue::from_str(&format!("Bearer {token}"))
                        .map_err(|_| {
                            Error::InvalidRequest(
                                "the token provider returned a token that is not a valid header value"
                                    .into(),
                            )
                        })?;
                    value.set_sensitive(true);
                    builder = builder.header(http::header::AUTHORIZATION, value);
                }
            }
            let replayable = match &mut request.body {
                None => true,
                Some(Body::Bytes {
                    bytes,
                    content_type,
                }) => {
                    builder = builder
                        .header(http::header::CONTENT_TYPE, content_type.clone())
                        .body(bytes.clone());
                    true
                }
                Some(Body::Stream { body, content_type }) => {
                    let body = body.take().ok_or_else(|| {
                        Error::InvalidRequest("a streamed body can only be sent once".into())
                    })?;
                    builder = builder
                        .header(http::header::CONTENT_TYPE, content_type.clone())
                        .body(body);
                    false
                }
            };
            if let Some(timeout) = inner.timeout {
                builder = builder.timeout(timeout);
            }
            let response = builder
                .send()
                .await
                .map_err(|e| Error::from_transport(e, request.info.name))?;
            let status = response.status();
            span.record("status", status.as_u16());
            if status.is_success() {
                tracing::debug!("graph request succeeded");
                return Ok(response);
            }
            let delay = if replayable {
                inner
                    .retry
                    .next_delay(status, response.headers(), attempt, waited)
            } else {
                None
            };
            if let Some(delay) = delay {
                tracing::info!(
                    status = status.as_u16(),
                    delay_ms = u64::try_from(delay.as_millis()).unwrap_or(u64::MAX),
                    "graph request throttled or unavailable; retrying"
                );
                // Drain the body so the connection can be reused.
                let _ = response.bytes().await;
                tokio::time::sleep(delay).await;
                waited += delay;
                continue;
            }
            let headers = response.headers().clone();
            let body = response.text().await.unwrap_or_default();
            let error = ApiError::new(status, headers, body);
            tracing::debug!(code = error.code.as_deref(), "graph request failed");
            return Err(Error::Api(Box::new(error)));
        }
    }
}

pub(crate) async fn read_body(response: reqwest::Response, name: &str) -> Result<bytes::Bytes> {
    response
        .bytes()
        .await
        .map_err(|e| Error::from_transport(e, name))
}

/// Decodes a JSON body; an empty body decodes as `null`.
pub(crate) fn decode<T: DeserializeOwned>(
    bytes: &[u8],
    what: impl FnOnce() -> String,
) -> Result<T> {
    let trimmed = bytes.trim_ascii();
    let input: &[u8] = if trimmed.is_empty() { b"null" } else { bytes };
    serde_json::from_slice(input).map_err(|source| Error::Decode {
        what: what(),
        source,
        snippet: snippet(bytes),
    })
}

fn snippet(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(&bytes[..bytes.len().min(512)]);
    let mut end = text.len().min(200);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text[..end].to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn me_is_routed_only_as_a_whole_first_segment() {
        let user = Some("/users/a%2Fb");
        let cases = [
            ("/me", "/users/a%2Fb"),
            (
                "/me/drive/root:/a.xlsx:/workbook",
                "/users/a%2Fb/drive/root:/a.xlsx:/workbook",
            ),
            ("/ME/messages", "/users/a%2Fb/messages"),
            ("/me?$select=id", "/users/a%2Fb?$select=id"),
            ("/messages/me", "/messages/me"),
            ("/meetings/x", "/meetings/x"),
            ("/users/me", "/users/me"),
            ("/m", "/m"),
            ("", ""),
        ];
        for (path, want) in cases {
            assert_eq!(route_me(path, user), want, "{path}");
            assert_eq!(route_me(path, None), path);
        }
        assert_eq!(user_path("a/b"), "/users/a%2Fb");
        assert_eq!(user_path("AdeleV@contoso.com"), "/users/AdeleV@contoso.com");
    }
}
