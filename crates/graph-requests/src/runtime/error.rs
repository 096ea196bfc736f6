use std::fmt;

use serde::Deserialize;

/// The result type of every operation.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong when calling Microsoft Graph.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The request could not be sent or the response could not be read.
    Transport(reqwest::Error),
    /// The request, or waiting for a long-running operation, took longer than allowed.
    Timeout {
        /// What timed out, e.g. `the request for closeSession`.
        what: String,
        /// The underlying transport error, for a request that timed out.
        source: Option<reqwest::Error>,
    },
    /// Graph answered with a non-success status.
    Api(Box<ApiError>),
    /// The response body did not decode into the documented type.
    Decode {
        /// What was being decoded.
        what: String,
        /// The serde error.
        source: serde_json::Error,
        /// The start of the body, for diagnosis.
        snippet: String,
    },
    /// The request was refused before anything was sent.
    InvalidRequest(String),
    /// The operation is documented as unavailable on the configured national cloud.
    CloudUnavailable {
        /// The operation name.
        operation: &'static str,
        /// The configured cloud.
        cloud: super::Cloud,
    },
    /// A long-running operation ended with status `failed`.
    OperationFailed(Box<OperationFailure>),
    /// No access token: the identity platform refused the credentials or could not be asked.
    Authentication {
        /// The OAuth 2.0 error code (`invalid_client`, `unauthorized_client`, ...), when the
        /// token endpoint answered with one.
        code: Option<String>,
        /// What went wrong, as the token endpoint or the transport says.
        message: String,
    },
    /// Graph answered in a way the protocol does not allow (e.g. `202 Accepted` to a
    /// long-running operation without a `Location` header).
    UnexpectedResponse {
        /// The operation name.
        operation: &'static str,
        /// What was wrong.
        detail: String,
    },
}

impl Error {
    /// The API error, when Graph answered with a non-success status.
    pub fn api(&self) -> Option<&ApiError> {
        match self {
            Error::Api(e) => Some(e),
            _ => None,
        }
    }

    /// The HTTP status Graph answered with, for API errors.
    pub fn status(&self) -> Option<http::StatusCode> {
        self.api().map(|e| e.status)
    }

    /// Whether this is a timeout.
    pub fn is_timeout(&self) -> bool {
        matches!(self, Error::Timeout { .. })
    }

    pub(crate) fn from_transport(e: reqwest::Error, operation: &str) -> Self {
        if e.is_timeout() {
            Error::Timeout {
                what: format!("the request for {operation}"),
                source: Some(e),
            }
        } else {
            Error::Transport(e)
        }
    }
}

/// The failure of a long-running operation: the final status document.
#[derive(Debug, Clone)]
pub struct OperationFailure {
    /// The operation that was started.
    pub operation: &'static str,
    /// The URL that was polled.
    pub location: String,
    /// `error.code` of the status document, when present.
    pub code: Option<String>,
    /// `error.message` of the status document, when present.
    pub message: Option<String>,
    /// The whole status document.
    pub body: serde_json::Value,
}

impl fmt::Display for OperationFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "long-running operation {} failed", self.operation)?;
        if let Some(code) = &self.code {
            write!(f, " with {code}")?;
        }
        if let Some(message) = &self.message {
            write!(f, ": {message}")?;
        }
        Ok(())
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Transport(e) => {
                write!(f, "could not reach Microsoft Graph: {e}")?;
                let mut source = std::error::Error::source(e);
                while let Some(inner) = source {
                    write!(f, ": {inner}")?;
                    source = inner.source();
                }
                Ok(())
            }
            Error::Timeout { what, .. } => write!(f, "{what} timed out"),
            Error::Api(e) => fmt::Display::fmt(e, f),
            Error::Decode {
                what,
                source,
                snippet,
            } => write!(
                f,
                "could not decode {what}: {source} (body starts with {:?})",
                truncate(snippet, 80)
            ),
            Error::InvalidRequest(msg) => write!(f, "invalid request: {msg}"),
            Error::CloudUnavailable { operation, cloud } => write!(
                f,
                "{operation} is documented as not available on {}; opt out with ClientBuilder::ignore_cloud_availability",
                cloud.name()
            ),
            Error::OperationFailed(failure) => fmt::Display::fmt(failure, f),
            Error::Authentication { code, message } => match code {
                Some(code) => write!(f, "no access token: {code}: {message}"),
                None => write!(f, "no access token: {message}"),
            },
            Error::UnexpectedResponse { operation, detail } => {
                write!(f, "unexpected response to {operation}: {detail}")
            }
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Transport(e) => Some(e),
            Error::Timeout {
                source: Some(e), ..
            } => Some(e),
            Error::Decode { source, .. } => Some(source),
            _ => None,
        }
    }
}

fn truncate(s: &str, max: usize) -> &str {
    match s.char_indices().nth(max) {
        Some((i, _)) => &s[..i],
        None => s,
    }
}

impl From<reqwest::Error> for Error {
    fn from(e: reqwest::Error) -> Self {
        Error::from_transport(e, "Microsoft Graph")
    }
}

/// A Graph error response: status, the `error` object of the body and the response headers.
#[derive(Debug, Clone)]
pub struct ApiError {
    /// HTTP status.
    pub status: http::StatusCode,
    /// `error.code`, when the body had one.
    pub code: Option<String>,
    /// `error.message`, when the body had one.
    pub message: Option<String>,
    /// `error.innerError`, when the body had one.
    pub inner_error: Option<InnerError>,
    /// The response headers.
    pub headers: http::HeaderMap,
    /// The raw body.
    pub body: String,
}

/// `error.innerError` of a Graph error body.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct InnerError {
    /// `request-id`.
    #[serde(rename = "request-id")]
    pub request_id: Option<String>,
    /// `client-request-id`.
    #[serde(rename = "client-request-id")]
    pub client_request_id: Option<String>,
    /// `date`.
    pub date: Option<String>,
}

#[derive(Deserialize)]
struct ErrorBody {
    error: ErrorObject,
}

#[derive(Deserialize)]
struct ErrorObject {
    code: Option<String>,
    message: Option<String>,
    #[serde(rename = "innerError", alias = "innererror")]
    inner_error: Option<InnerError>,
}

impl ApiError {
    pub(crate) fn new(status: http::StatusCode, headers: http::HeaderMap, body: String) -> Self {
        let parsed = serde_json::from_str::<ErrorBody>(&body)
            .ok()
            .map(|b| b.error);
        let (code, message, inner_error) = match parsed {
            Some(e) => (e.code, e.message, e.inner_error),
            None => (None, None, None),
        };
        ApiError {
            status,
            code,
            message,
            inner_error,
            headers,
            body,
        }
    }
}

impl ApiError {
    /// The `request-id` of the failed request: from `innerError`, else the response header.
    pub fn request_id(&self) -> Option<&str> {
        self.inner_error
            .as_ref()
            .and_then(|i| i.request_id.as_deref())
            .or_else(|| self.headers.get("request-id").and_then(|v| v.to_str().ok()))
    }

    /// The `client-request-id` of the failed request.
    pub fn client_request_id(&self) -> Option<&str> {
        self.inner_error
            .as_ref()
            .and_then(|i| i.client_request_id.as_deref())
            .or_else(|| {
                self.headers
                    .get("client-request-id")
                    .and_then(|v| v.to_str().ok())
            })
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Graph returned {}", self.status)?;
        if let Some(code) = &self.code {
            write!(f, " {code}")?;
        }
        if let Some(message) = &self.message {
            write!(f, ": {message}")?;
        }
        if self.code.is_none() && self.message.is_none() && !self.body.is_empty() {
            write!(f, ": {:?}", truncate(&self.body, 120))?;
        }
        if let Some(id) = self.request_id() {
            write!(f, " (request-id {id})")?;
        }
        Ok(())
    }
}
