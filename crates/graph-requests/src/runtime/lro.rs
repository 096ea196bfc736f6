use std::fmt;
use std::time::{Duration, SystemTime};

use serde::de::DeserializeOwned;
use serde_json::Value;

use super::client::{decode, read_body};
use super::error::OperationFailure;
use super::request::Request;
use super::retry::retry_after;
use super::{Client, Error, OperationInfo, Result};

/// How a long-running operation is polled.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct LroPolicy {
    /// The wait between polls when the service gives no `Retry-After`. Default 1 s.
    pub poll_interval: Duration,
    /// The longest total wait before giving up with [`Error::Timeout`]. Default 5 min.
    pub max_wait: Duration,
    /// The most status requests before giving up with [`Error::Timeout`]. Default 300.
    pub max_polls: u32,
}

impl Default for LroPolicy {
    fn default() -> Self {
        LroPolicy {
            poll_interval: Duration::from_secs(1),
            max_wait: Duration::from_secs(300),
            max_polls: 300,
        }
    }
}

impl LroPolicy {
    /// Sets the wait between polls (without `Retry-After`).
    pub fn with_poll_interval(mut self, interval: Duration) -> Self {
        self.poll_interval = interval;
        self
    }

    /// Sets the longest total wait.
    pub fn with_max_wait(mut self, max_wait: Duration) -> Self {
        self.max_wait = max_wait;
        self
    }

    /// Sets the most status requests.
    pub fn with_max_polls(mut self, max_polls: u32) -> Self {
        self.max_polls = max_polls;
        self
    }
}

/// The state of a long-running operation as one status request reported it.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct OperationStatus {
    /// `status` as sent: `notStarted`, `running`, `succeeded`, `failed` (and, for some
    /// services, `inProgress`, `completed`); for print's operations, `status.state`.
    pub status: String,
    /// `resourceLocation`: where the result can be fetched, when the operation made one.
    pub resource_location: Option<String>,
    /// `Retry-After` of the status response.
    pub retry_after: Option<Duration>,
    /// The whole status document.
    pub body: Value,
}

impl OperationStatus {
    /// Whether the operation finished successfully.
    pub fn is_succeeded(&self) -> bool {
        matches!(
            self.status.to_ascii_lowercase().as_str(),
            "succeeded" | "completed"
        )
    }

    /// Whether the operation finished unsuccessfully.
    pub fn is_failed(&self) -> bool {
        matches!(
            self.status.to_ascii_lowercase().as_str(),
            "failed" | "cancelled" | "canceled"
        )
    }
}

enum State<T> {
    Done(T),
    Pending {
        location: String,
        retry_after: Option<Duration>,
    },
}

/// A long-running operation started with [`Client::send_lro`]: either already complete (the
/// service answered `200`/`201` directly) or accepted (`202 Accepted` with a `Location`, or
/// `Operation-Location`, to poll). [`wait`](Self::wait) yields the result.
#[must_use = "a long-running operation yields its result only through wait()"]
pub struct LongRunning<T> {
    client: Client,
    info: &'static OperationInfo,
    state: State<T>,
}

impl<T> fmt::Debug for LongRunning<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("LongRunning");
        d.field("operation", &self.info.name);
        match &self.state {
            State::Done(_) => d.field("state", &"complete"),
            State::Pending { location, .. } => d.field("location", location),
        };
        d.finish()
    }
}

impl<T: DeserializeOwned> LongRunning<T> {
    /// Whether the result is already there (the service answered synchronously).
    pub fn is_complete(&self) -> bool {
        matches!(self.state, State::Done(_))
    }

    /// The URL to poll, for an accepted operation.
    pub fn location(&self) -> Option<&str> {
        match &self.state {
            State::Pending { location, .. } => Some(location),
            State::Done(_) => None,
        }
    }

    /// Asks the service once for the operation's status (no waiting). `None` for an operation
    /// that was complete from the start.
    pub async fn status(&self) -> Result<Option<OperationStatus>> {
        match &self.state {
            State::Done(_) => Ok(None),
            State::Pending { location, .. } => self.fetch_status(location).await.map(Some),
        }
    }

    /// Polls until the operation `succeeded` or `failed`, with the client's [`LroPolicy`].
    pub async fn wait(self) -> Result<T> {
        let policy = self.client.inner.lro.clone();
        self.wait_with(&policy).await
    }

    /// Polls until the operation `succeeded` or `failed`, honouring `Retry-After` of the
    /// service and otherwise waiting `policy.poll_interval` between polls; gives up with
    /// [`Error::Timeout`] after `policy.max_wait` or `policy.max_polls`. On success, the
    /// result is fetched from `resourceLocation` when the status names one, otherwise
    /// decoded from the status document itself.
    pub async fn wait_with(self, policy: &LroPolicy) -> Result<T> {
        let (location, first_wait) = match self.state {
            State::Done(value) => return Ok(value),
            State::Pending {
                ref location,
                retry_after,
            } => (location.clone(), retry_after),
        };
        let mut delay = first_wait.unwrap_or(policy.poll_interval);
        let mut waited = Duration::ZERO;
        for _ in 0..policy.max_polls {
            if waited + delay > policy.max_wait {
                break;
            }
            tokio::time::sleep(delay).await;
            waited += delay;
            let status = self.fetch_status(&location).await?;
            tracing::debug!(
                operation = self.info.name,
                status = %status.status,
                "long-running operation polled"
            );
            if status.is_succeeded() {
                return self.finish(status).await;
            }
            if status.is_failed() {
                let error = status.body.get("error");
                let text = |key: &str| {
                    error
                        .and_then(|e| e.get(key))
                        .and_then(Value::as_str)
                        .map(str::to_owned)
                };
                return Err(Error::OperationFailed(Box::new(OperationFailure {
                    operation: self.info.name,
                    location,
                    code: text("code"),
                    message: text("message"),
                    body: status.body,
                })));
            }
            delay = status.retry_after.unwrap_or(policy.poll_interval);
        }
        Err(Error::Timeout {
            what: format!(
                "waiting for the long-running operation {} (gave up after {:?})",
                self.info.name, waited
            ),
            source: None,
        })
    }

    async fn fetch_status(&self, location: &str) -> Result<OperationStatus> {
        let request = Request::absolute(
            self.info,
            http::Method::GET,
            location.to_owned(),
            Vec::new(),
        );
        let response = self.client.execute(request).await?;
        let retry_after = retry_after(response.headers(), SystemTime::now());
        let bytes = read_body(response, self.info.name).await?;
        let body: Value = decode(&bytes, || {
            format!(
                "the status of the long-running operation {}",
                self.info.name
            )
        })?;
        let text = |key: &str| body.get(key).and_then(Value::as_str).map(str::to_owned);
        // `status` is a word, or (print's operations) an object whose `state` is the word.
        let status = text("status").or_else(|| {
            let state = body.get("status")?.get("state")?.as_str()?;
            Some(state.to_owned())
        });
        Ok(OperationStatus {
            status: status.unwrap_or_else(|| "running".to_owned()),
            resource_location: text("resourceLocation"),
            retry_after,
            body,
        })
    }

    async fn finish(&self, status: OperationStatus) -> Result<T> {
        match status.resource_location {
            Some(url) => {
                let request = Request::absolute(self.info, http::Method::GET, url, Vec::new());
                self.client.send_json(request).await
            }
            None => serde_json::from_value::<T>(status.body.clone()).or_else(|source| {
                // `()` and `Option<_>` accept an operation that produced nothing.
                serde_json::from_value::<T>(Value::Null).map_err(|_| Error::Decode {
                    what: format!(
                        "the result of the long-running operation {}",
                        self.info.name
                    ),
                    source,
                    snippet: status.body.to_string().chars().take(200).collect(),
                })
            }),
        }
    }
}

impl Client {
    /// Starts a long-running operation: sends the request with `Prefer: respond-async`. A
    /// `202 Accepted` with a `Location` (or `Operation-Location`) header gives a pending
    /// handle; a direct `200`/`201` gives a handle that is already complete with the decoded
    /// body.
    pub async fn send_lro<T: DeserializeOwned>(
        &self,
        mut request: Request,
    ) -> Result<LongRunning<T>> {
        let info = request.info;
        request.prefer_once("respond-async");
        let response = self.execute(request).await?;
        if response.status() == http::StatusCode::ACCEPTED {
            // `Location` (most services) or `Operation-Location` (OneNote's copies, print).
            let location = [http::header::LOCATION.as_str(), "operation-location"]
                .into_iter()
                .find_map(|name| response.headers().get(name)?.to_str().ok())
                .ok_or_else(|| Error::UnexpectedResponse {
                    operation: info.name,
                    detail: "202 Accepted without a Location or Operation-Location header to poll"
                        .into(),
                })?;
            // A relative Location is resolved against the URL that answered.
            let location = response
                .url()
                .join(location)
                .map_err(|e| Error::UnexpectedResponse {
                    operation: info.name,
                    detail: format!("Location {location:?} is not a URL: {e}"),
                })?
                .to_string();
            let retry_after = retry_after(response.headers(), SystemTime::now());
            return Ok(LongRunning {
                client: self.clone(),
                info,
                state: State::Pending {
                    location,
                    retry_after,
                },
            });
        }
        let bytes = read_body(response, info.name).await?;
        let value = decode(&bytes, || format!("the response of {}", info.name))?;
        Ok(LongRunning {
            client: self.clone(),
            info,
            state: State::Done(value),
        })
    }
}
