use std::fmt;

use bytes::Bytes;
use http::header::{HeaderName, HeaderValue};
use serde::Serialize;

use super::{ApiVersion, Cloud, Error, Result};

/// What the docs say about one operation, as the generated code hands it to the runtime.
#[derive(Debug)]
pub struct OperationInfo {
    /// The operation's name in the docs, e.g. `closeSession`.
    pub name: &'static str,
    /// API version.
    pub version: ApiVersion,
    /// HTTP method.
    pub method: http::Method,
    /// The documented path templates.
    pub paths: &'static [&'static str],
    /// The clouds the operation is documented as available on; `None` when the docs do not say.
    pub clouds: Option<&'static [Cloud]>,
}

impl OperationInfo {
    /// The documented path template that `path` (an encoded path, as given to
    /// [`Request::new`]) was built from, when one matches segment by segment.
    ///
    /// Used for tracing: spans carry the template, never the concrete identifiers.
    pub fn template_for(&self, path: &str) -> Option<&'static str> {
        let path = path.split(['?', '#']).next().unwrap_or(path);
        self.paths.iter().copied().find(|template| {
            let mut expected = template.split('/');
            let mut actual = path.split('/');
            loop {
                match (expected.next(), actual.next()) {
                    (None, None) => return true,
                    (Some(e), Some(a)) if e.contains('{') || e.eq_ignore_ascii_case(a) => {}
                    _ => return false,
                }
            }
        })
    }
}

/// Where a request goes.
#[derive(Debug, Clone)]
pub(crate) enum Target {
    /// A path below `{base}/{version}` plus query parameters, encoded when sent.
    Relative {
        path: String,
        query: Vec<(String, String)>,
    },
    /// An absolute URL handed out by the service (`@odata.nextLink`, `Location`,
    /// `resourceLocation`), used as is.
    Absolute(String),
}

/// A request body.
pub(crate) enum Body {
    /// Bytes that can be sent again when the request is retried.
    Bytes {
        bytes: Bytes,
        content_type: HeaderValue,
    },
    /// A one-shot streamed body; a request carrying one is never retried.
    Stream {
        body: Option<reqwest::Body>,
        content_type: HeaderValue,
    },
}

impl fmt::Debug for Body {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Body::Bytes {
                bytes,
                content_type,
            } => f
                .debug_struct("Bytes")
                .field("len", &bytes.len())
                .field("content_type", content_type)
                .finish(),
            Body::Stream { content_type, .. } => f
                .debug_struct("Stream")
                .field("content_type", content_type)
                .finish(),
        }
    }
}

/// A request ready to be sent: built by generated code, executed by [`super::Client`].
#[derive(Debug)]
pub struct Request {
    pub(crate) info: &'static OperationInfo,
    pub(crate) method: http::Method,
    pub(crate) version: ApiVersion,
    pub(crate) target: Target,
    pub(crate) headers: Vec<(HeaderName, HeaderValue)>,
    pub(crate) body: Option<Body>,
    pub(crate) error: Option<Error>,
    /// Sent without the bearer token even to the service's own host: an upload session's URL
    /// carries its own authorization, and Graph may refuse a `PUT` to it that has a token.
    pub(crate) anonymous: bool,
}

impl Request {
    /// Starts a request for `info` on an already encoded `path` (relative to the version root,
    /// starting with `/`). Path parameters must be encoded with [`super::encode_segment`].
    pub fn new(info: &'static OperationInfo, path: String) -> Self {
        Request {
            info,
            method: info.method.clone(),
            version: info.version,
            target: Target::Relative {
                path,
                query: Vec::new(),
            },
            headers: Vec::new(),
            body: None,
            error: None,
            anonymous: false,
        }
    }

    /// A follow-up request (next page, operation status, result resource) on an absolute URL
    /// handed out by the service. Keeps the headers of `original` when given.
    pub(crate) fn absolute(
        info: &'static OperationInfo,
        method: http::Method,
        url: String,
        headers: Vec<(HeaderName, HeaderValue)>,
    ) -> Self {
        Request {
            info,
            method,
            version: info.version,
            target: Target::Absolute(url),
            headers,
            body: None,
            error: None,
            anonymous: false,
        }
    }

    /// The operation this request is for.
    pub fn info(&self) -> &'static OperationInfo {
        self.info
    }

    /// The HTTP method that will be used.
    pub fn method(&self) -> &http::Method {
        &self.method
    }

    /// The API version the request goes to.
    pub fn version(&self) -> ApiVersion {
        self.version
    }

    /// The encoded path relative to the version root (or the absolute URL of a follow-up
    /// request).
    pub fn path(&self) -> &str {
        match &self.target {
            Target::Relative { path, .. } => path,
            Target::Absolute(url) => url,
        }
    }

    /// The query parameters added so far, unencoded.
    pub fn query_pairs(&self) -> &[(String, String)] {
        match &self.target {
            Target::Relative { query, .. } => query,
            Target::Absolute(_) => &[],
        }
    }

    /// Appends a path segment (encoded here), before the query string of the path if it has
    /// one: an OData type cast (`/microsoft.graph.user`). A URL handed out by the service has no
    /// path to extend: the request fails when sent.
    pub fn push_segment(&mut self, segment: &str) -> &mut Self {
        match &mut self.target {
            Target::Relative { path, .. } => {
                let at = path.find('?').unwrap_or(path.len());
                path.insert_str(at, &format!("/{}", super::encode_segment(segment)));
            }
            Target::Absolute(_) => {
                self.error.get_or_insert_with(|| {
                    Error::InvalidRequest(format!(
                        "segment {segment} cannot be added to a URL handed out by the service"
                    ))
                });
            }
        }
        self
    }

    /// Overrides the API version (for raw requests; generated operations carry their own).
    pub fn set_version(&mut self, version: ApiVersion) -> &mut Self {
        self.version = version;
        self
    }

    /// Adds a header. A name or value that is not valid HTTP (in particular one with CR or LF)
    /// makes the request invalid: sending it fails with [`Error::InvalidRequest`] and nothing
    /// reaches the wire.
    pub fn header(&mut self, name: &str, value: impl Into<String>) -> &mut Self {
        let value = value.into();
        match parse_header(name, &value) {
            Ok(pair) => self.headers.push(pair),
            Err(e) => {
                self.error.get_or_insert(e);
            }
        }
        self
    }

    /// Sets a header, replacing any earlier value of the same name.
    pub fn set_header(&mut self, name: &str, value: impl Into<String>) -> &mut Self {
        let value = value.into();
        match parse_header(name, &value) {
            Ok((name, value)) => {
                self.headers.retain(|(n, _)| *n != name);
                self.headers.push((name, value));
            }
            Err(e) => {
                self.error.get_or_insert(e);
            }
        }
        self
    }

    /// Adds a `Prefer` header value, e.g. `respond-async` or `odata.maxpagesize=50`.
    /// Several calls add several preferences.
    pub fn prefer(&mut self, value: impl Into<String>) -> &mut Self {
        self.header("Prefer", value)
    }

    /// Adds the `Prefer` value `preference` (lower case, e.g. `respond-async`) unless a
    /// `Prefer` header of the request already asks for it.
    pub(crate) fn prefer_once(&mut self, preference: &str) -> &mut Self {
        let asked = self
            .headers
            .iter()
            .filter(|(name, _)| name == http::header::HeaderName::from_static("prefer"))
            .any(|(_, value)| {
                value
                    .to_str()
                    .is_ok_and(|v| v.to_ascii_lowercase().contains(preference))
            });
        if asked {
            self
        } else {
            self.prefer(preference)
        }
    }

    /// Sets `ConsistencyLevel: eventual`, which Graph requires for advanced queries
    /// (`$count`, `$search`, some `$filter`/`$orderby` on directory objects).
    pub fn consistency_level_eventual(&mut self) -> &mut Self {
        self.set_header("ConsistencyLevel", "eventual")
    }

    /// Sets the `client-request-id` header; by default every request gets a fresh one.
    pub fn client_request_id(&mut self, id: impl Into<String>) -> &mut Self {
        self.set_header("client-request-id", id)
    }

    /// Adds a query parameter. Names and values are given raw and percent-encoded when sent
    /// (a space becomes `%20`, never `+`; `+`, `&`, `=`, `#` and `%` are escaped).
    pub fn query(&mut self, name: &str, value: impl Into<String>) -> &mut Self {
        match &mut self.target {
            Target::Relative { query, .. } => query.push((name.to_owned(), value.into())),
            Target::Absolute(_) => {
                self.error.get_or_insert_with(|| {
                    Error::InvalidRequest(format!(
                        "query option {name} cannot be added to a URL handed out by the service"
                    ))
                });
            }
        }
        self
    }

    /// Adds the OData query options set in `options`.
    pub fn odata(&mut self, options: &super::ODataQuery) -> &mut Self {
        for (name, value) in options.pairs() {
            self.query(name, value);
        }
        self
    }

    /// Sets a JSON body.
    pub fn json<T: Serialize + ?Sized>(&mut self, body: &T) -> &mut Self {
        match serde_json::to_vec(body) {
            Ok(bytes) => {
                self.body = Some(Body::Bytes {
                    bytes: Bytes::from(bytes),
                    content_type: HeaderValue::from_static("application/json"),
                })
            }
            Err(e) => {
                self.error.get_or_insert_with(|| {
                    Error::InvalidRequest(format!("body does not encode as JSON: {e}"))
                });
            }
        }
        self
    }

    /// Sets a body of raw bytes; it can be replayed, so the request may be retried.
    pub fn bytes(&mut self, content_type: &str, body: impl Into<Bytes>) -> &mut Self {
        match HeaderValue::from_str(content_type) {
            Ok(content_type) => {
                self.body = Some(Body::Bytes {
                    bytes: body.into(),
                    content_type,
                })
            }
            Err(_) => {
                self.error.get_or_insert_with(|| {
                    Error::InvalidRequest("content type is not a valid header value".into())
                });
            }
        }
        self
    }

    /// Sets a streamed body (e.g. an upload read from a file). A streamed body cannot be
    /// replayed, so a request carrying one is never retried.
    pub fn stream(&mut self, content_type: &str, body: impl Into<reqwest::Body>) -> &mut Self {
        match HeaderValue::from_str(content_type) {
            Ok(content_type) => {
                self.body = Some(Body::Stream {
                    body: Some(body.into()),
                    content_type,
                })
            }
            Err(_) => {
                self.error.get_or_insert_with(|| {
                    Error::InvalidRequest("content type is not a valid header value".into())
                });
            }
        }
        self
    }

    /// Whether the body (if any) can be sent again.
    pub fn is_replayable(&self) -> bool {
        !matches!(self.body, Some(Body::Stream { .. }))
    }

    /// Checks the request before anything is sent.
    pub(crate) fn check(&mut self) -> Result<()> {
        match self.error.take() {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }

    /// The value of a header set on the request.
    pub(crate) fn header_value(&self, name: &str) -> Option<&HeaderValue> {
        self.headers
            .iter()
            .find(|(n, _)| n.as_str().eq_ignore_ascii_case(name))
            .map(|(_, v)| v)
    }
}

fn parse_header(name: &str, value: &str) -> Result<(HeaderName, HeaderValue)> {
    if name.contains(['\r', '\n']) || value.contains(['\r', '\n']) {
        return Err(Error::InvalidRequest(format!(
            "header {:?} contains a line break",
            name.trim()
        )));
    }
    let name = HeaderName::from_bytes(name.as_bytes())
        .map_err(|_| Error::InvalidRequest(format!("{name:?} is not a valid header name")))?;
    let mut value = HeaderValue::from_str(value).map_err(|_| {
        Error::InvalidRequest(format!(
            "the value of header {name} is not a valid header value"
        ))
    })?;
    if name == http::header::AUTHORIZATION {
        value.set_sensitive(true);
    }
    Ok((name, value))
}
