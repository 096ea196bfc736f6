//! JSON batching: many requests in one `POST /$batch`.

use std::fmt;
use std::ops::Range;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;
use bytes::Bytes;
use http::header::{HeaderMap, HeaderName, HeaderValue, CONTENT_TYPE};
use http::StatusCode;
use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::{Map, Value};

use super::client::{decode, read_body};
use super::error::ApiError;
use super::operation::{BatchItem, Operation};
use super::request::{Body, Target};
use super::{ApiVersion, Client, Error, OperationInfo, Request, Result, RetryPolicy};

/// The most requests Microsoft Graph accepts in one batch.
const MAX_PER_BATCH: usize = 20;

/// The operation info of the outer `POST /$batch`.
static BATCH: OperationInfo = OperationInfo {
    name: "batch",
    version: ApiVersion::V1,
    method: http::Method::POST,
    paths: &["/$batch"],
    clouds: None,
};

/// Tells the batches apart, so that an id is only ever used with the batch it came from.
static NEXT_BATCH: AtomicU64 = AtomicU64::new(1);

impl Client {
    /// Starts a JSON batch: requests collected with [`Batch::add`] travel together in
    /// `POST /$batch` and are answered one by one in [`BatchResponses`].
    ///
    /// # Batching
    ///
    /// Any [`Request`] can be batched: a raw one from [`Client::request`] with [`Batch::add`],
    /// or a generated operation with [`Batch::add_operation`], whose answer then reads as the
    /// operation's `.send()` returns it ([`BatchResponses::get`]). Each item keeps its own method, path, query, headers and
    /// body, and succeeds or fails on its own; [`Batch::add_after`] makes an item wait for
    /// others (`dependsOn`). Graph takes at most 20 requests per batch, so
    /// [`Batch::send`] sends larger batches as several, one after the other, keeping items that
    /// depend on each other together. The outer `POST` is authenticated, traced and retried
    /// like any other request; items throttled on their own (`429`, `503`, `504`) are sent
    /// again in a follow-up batch, honouring their `Retry-After`, within the client's
    /// [`RetryPolicy`].
    ///
    /// ```no_run
    /// # #[cfg(feature = "files")]
    /// # async fn demo(client: &graph_requests::Client) -> graph_requests::Result<()> {
    /// use graph_requests::models::v1::Drive;
    /// use graph_requests::v1::drive::GetDrivePath;
    /// use http::{Method, StatusCode};
    ///
    /// let mut batch = client.batch();
    /// let drive = batch.add_operation(client.v1().drive().get_drive(GetDrivePath::me_drive()))?;
    /// let mut messages = client.request(Method::GET, "/me/messages");
    /// messages.query("$top", "5").query("$select", "subject");
    /// let messages = batch.add(messages)?;
    /// let mut folder = client.request(Method::POST, "/me/drive/root/children");
    /// folder.json(&serde_json::json!({ "name": "Reports", "folder": {} }));
    /// // Created only once the drive was read (and not at all if that failed: `424`).
    /// let folder = batch.add_after(folder, &[drive.id()])?;
    ///
    /// let answers = batch.send().await?;
    /// let drive: Drive = answers.get(drive)?;
    /// match answers.json::<serde_json::Value>(messages) {
    ///     Ok(page) => println!("{}", page["value"]),
    ///     Err(e) if e.status() == Some(StatusCode::FORBIDDEN) => println!("no mail access"),
    ///     Err(e) => return Err(e),
    /// }
    /// println!("{:?} {:?}", drive.id, answers.status(folder));
    /// # Ok(()) }
    /// ```
    pub fn batch(&self) -> Batch {
        Batch {
            client: self.clone(),
            serial: NEXT_BATCH.fetch_add(1, Ordering::Relaxed),
            version: None,
            items: Vec::new(),
        }
    }
}

/// Identifies one request of a [`Batch`] and its answer in [`BatchResponses`]. Displays as
/// the id sent in the batch (`1`, `2`, ...).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct BatchId {
    batch: u64,
    /// 1-based position in the batch, the id on the wire.
    number: u32,
}

impl BatchId {
    fn index(self) -> usize {
        self.number as usize - 1
    }
}

impl fmt::Display for BatchId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.number)
    }
}

/// Requests collected to be sent together with `POST /$batch`; start one with
/// [`Client::batch`], whose docs show a whole example.
#[derive(Debug)]
#[must_use = "a batch does nothing until it is sent"]
pub struct Batch {
    client: Client,
    serial: u64,
    version: Option<ApiVersion>,
    items: Vec<Item>,
}

/// One request as it goes into the batch.
#[derive(Debug)]
struct Item {
    name: &'static str,
    method: http::Method,
    /// Relative to the version root, `/me` already routed, query encoded.
    url: String,
    headers: Map<String, Value>,
    body: Option<Value>,
    /// Indices of the items this one waits for.
    depends_on: Vec<usize>,
}

impl Item {
    /// The item as Graph expects it, with id `index + 1`; `dependsOn` only when `with_deps`.
    fn wire(&self, index: usize, with_deps: bool) -> Value {
        let mut item = Map::new();
        item.insert("id".into(), Value::String((index + 1).to_string()));
        item.insert("method".into(), Value::String(self.method.as_str().into()));
        item.insert("url".into(), Value::String(self.url.clone()));
        if !self.headers.is_empty() {
            item.insert("headers".into(), Value::Object(self.headers.clone()));
        }
        if let Some(body) = &self.body {
            item.insert("body".into(), body.clone());
        }
        if with_deps && !self.depends_on.is_empty() {
            let ids = self
                .depends_on
                .iter()
                .map(|d| Value::String((d + 1).to_string()));
            item.insert("dependsOn".into(), Value::Array(ids.collect()));
        }
        Value::Object(item)
    }
}

impl Batch {
    /// Adds a request; its answer is looked up in [`BatchResponses`] with the id returned.
    ///
    /// Refused with [`Error::InvalidRequest`] (and nothing added): an invalid request, a
    /// streamed body (it cannot be embedded), a follow-up request on an absolute URL, and a
    /// request for another API version than the requests added before. An operation documented
    /// as unavailable on the client's cloud is refused with [`Error::CloudUnavailable`], as
    /// [`Client::execute`] does.
    pub fn add(&mut self, request: Request) -> Result<BatchId> {
        self.add_after(request, &[])
    }

    /// Adds a generated operation (a request builder with its inputs set); its answer reads
    /// as the operation's `.send()` would return it, with [`BatchResponses::get`]. Refused
    /// like [`add`](Self::add).
    pub fn add_operation<O: Operation>(&mut self, operation: O) -> Result<BatchItem<O>> {
        self.add_operation_after(operation, &[])
    }

    /// [`add_operation`](Self::add_operation) of an operation that runs only after the
    /// requests `depends_on`, as [`add_after`](Self::add_after).
    pub fn add_operation_after<O: Operation>(
        &mut self,
        operation: O,
        depends_on: &[BatchId],
    ) -> Result<BatchItem<O>> {
        self.add_after(operation.into_request(), depends_on)
            .map(BatchItem::new)
    }

    /// Adds a request that Graph runs only after the requests `depends_on` (added to this
    /// batch before) have completed; when one of them failed, this one is answered with
    /// `424 Failed Dependency` and not run. Refused like [`add`](Self::add), and also when an
    /// id in `depends_on` is not one of this batch.
    pub fn add_after(&mut self, mut request: Request, depends_on: &[BatchId]) -> Result<BatchId> {
        request.check()?;
        let info = request.info;
        self.client.check_cloud(info)?;
        let url = match &request.target {
            Target::Relative { path, query } => self.client.relative_url(path, query),
            Target::Absolute(url) => {
                return Err(Error::InvalidRequest(format!(
                    "{url:?} is an absolute URL; a batch only holds requests relative to the \
                     version root"
                )))
            }
        };
        if let Some(version) = self.version {
            if version != request.version {
                return Err(Error::InvalidRequest(format!(
                    "{} goes to {}, the batch to {}; one batch holds requests of one API version",
                    info.name,
                    request.version.segment(),
                    version.segment()
                )));
            }
        }
        let mut deps = Vec::new();
        for dep in depends_on {
            if dep.batch != self.serial || dep.index() >= self.items.len() {
                return Err(Error::InvalidRequest(format!(
                    "{} depends on request {dep}, which was not added to this batch",
                    info.name
                )));
            }
            if !deps.contains(&dep.index()) {
                deps.push(dep.index());
            }
        }
        let mut headers = Map::new();
        for (name, value) in &request.headers {
            let value = value.to_str().map_err(|_| {
                Error::InvalidRequest(format!(
                    "the value of header {name} is not text and cannot be batched"
                ))
            })?;
            match headers.get_mut(name.as_str()) {
                Some(Value::String(joined)) => {
                    joined.push_str(", ");
                    joined.push_str(value);
                }
                _ => {
                    headers.insert(name.as_str().into(), Value::String(value.into()));
                }
            }
        }
        let body = match &request.body {
            None => None,
            Some(Body::Stream { .. }) => {
                return Err(Error::InvalidRequest(format!(
                    "{} has a streamed body, which cannot be batched; use a bytes or JSON body",
                    info.name
                )))
            }
            Some(Body::Bytes {
                bytes,
                content_type,
            }) => {
                let content_type = content_type
                    .to_str()
                    .map_err(|_| Error::InvalidRequest("the content type is not text".into()))?;
                headers.insert(CONTENT_TYPE.as_str().into(), content_type.into());
                if is_json(content_type) {
                    let json = serde_json::from_slice(bytes).map_err(|e| {
                        Error::InvalidRequest(format!(
                            "the {content_type} body of {} is not JSON: {e}",
                            info.name
                        ))
                    })?;
                    Some(json)
                } else {
                    Some(Value::String(BASE64.encode(bytes)))
                }
            }
        };
        let number = u32::try_from(self.items.len() + 1)
            .map_err(|_| Error::InvalidRequest("too many requests in one batch".into()))?;
        self.version = Some(request.version);
        self.items.push(Item {
            name: info.name,
            method: request.method.clone(),
            url,
            headers,
            body,
            depends_on: deps,
        });
        Ok(BatchId {
            batch: self.serial,
            number,
        })
    }

    /// The number of requests added.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Whether no request was added.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Sends the batch and collects the answers.
    ///
    /// More than 20 requests go out as several batches, one after the other; items that
    /// depend on each other always travel together, and a group of more than 20 of them is
    /// refused with [`Error::InvalidRequest`] before anything is sent. Items answered with
    /// `429`, `503` or `504` and that no other item depends on are sent again in a follow-up
    /// batch after the longest of their waits (`Retry-After`, else backoff) as long as the
    /// client's [`RetryPolicy`] allows; their last answers are kept.
    ///
    /// Fails as a whole only when a `POST /$batch` itself fails (after its own retries) or its
    /// answer is not a batch response; the answers of earlier batches are then lost. An empty
    /// batch sends nothing.
    pub async fn send(self) -> Result<BatchResponses> {
        let deps: Vec<&[usize]> = self.items.iter().map(|i| &i.depends_on[..]).collect();
        let chunks = chunks(&deps, MAX_PER_BATCH)?;
        let mut has_dependents = vec![false; self.items.len()];
        for &d in deps.iter().copied().flatten() {
            has_dependents[d] = true;
        }
        let mut answers: Vec<Option<Answer>> = self.items.iter().map(|_| None).collect();
        for chunk in chunks {
            self.send_chunk(chunk, &has_dependents, &mut answers)
                .await?;
        }
        Ok(BatchResponses {
            serial: self.serial,
            answers,
        })
    }

    /// Sends the items of one chunk, then again those throttled on their own.
    async fn send_chunk(
        &self,
        chunk: Range<usize>,
        has_dependents: &[bool],
        answers: &mut [Option<Answer>],
    ) -> Result<()> {
        let policy: &RetryPolicy = self.client.retry_policy();
        let mut pending: Vec<usize> = chunk.collect();
        let mut attempt: u32 = 1;
        let mut waited = Duration::ZERO;
        loop {
            // A resent item depends on nothing sent with it: its dependencies are done.
            let with_deps = attempt == 1;
            let requests = pending
                .iter()
                .map(|&i| self.items[i].wire(i, with_deps))
                .collect();
            let received = self.post(Value::Array(requests)).await?;
            for raw in received {
                let index = raw
                    .id
                    .parse::<usize>()
                    .ok()
                    .and_then(|n| n.checked_sub(1))
                    .filter(|i| pending.contains(i));
                let Some(index) = index else {
                    tracing::debug!(id = raw.id, "batch answer for a request not sent; ignored");
                    continue;
                };
                answers[index] = Some(raw.into_answer(self.items[index].name)?);
            }
            let mut retry = Vec::new();
            let mut delay = Duration::ZERO;
            for &i in &pending {
                let Some(answer) = &answers[i] else {
                    return Err(Error::UnexpectedResponse {
                        operation: BATCH.name,
                        detail: format!("no answer to request {} ({})", i + 1, self.items[i].name),
                    });
                };
                if has_dependents[i] {
                    continue;
                }
                if let Some(d) = policy.next_delay(answer.status, &answer.headers, attempt, waited)
                {
                    retry.push(i);
                    delay = delay.max(d);
                }
            }
            if retry.is_empty() {
                return Ok(());
            }
            tracing::info!(
                requests = retry.len(),
                delay_ms = u64::try_from(delay.as_millis()).unwrap_or(u64::MAX),
                "batch requests throttled or unavailable; sending them again"
            );
            for &i in &retry {
                answers[i] = None;
            }
            tokio::time::sleep(delay).await;
            waited += delay;
            attempt += 1;
            pending = retry;
        }
    }

    /// One `POST /$batch` with `requests`, through [`Client::execute`].
    async fn post(&self, requests: Value) -> Result<Vec<RawAnswer>> {
        let mut request = Request::new(&BATCH, "/$batch".to_owned());
        request
            .set_version(self.version.unwrap_or(self.client.inner.version))
            .json(&serde_json::json!({ "requests": requests }));
        let response = self.client.execute(request).await?;
        let bytes = read_body(response, BATCH.name).await?;
        let envelope: Envelope = decode(&bytes, || "the response of $batch".to_owned())?;
        Ok(envelope.responses)
    }
}

/// Splits items `0..deps.len()` (`deps[i]`: the earlier items item `i` depends on) into
/// consecutive chunks of at most `max`, never separating an item from one it depends on.
fn chunks(deps: &[&[usize]], max: usize) -> Result<Vec<Range<usize>>> {
    // last[k]: the last item that depends on item k (k itself when none does).
    let mut last: Vec<usize> = (0..deps.len()).collect();
    for (item, deps) in deps.iter().enumerate() {
        for &d in *deps {
            last[d] = last[d].max(item);
        }
    }
    let mut chunks: Vec<Range<usize>> = Vec::new();
    let mut start = 0;
    let mut reach = 0;
    for (item, &last) in last.iter().enumerate() {
        reach = reach.max(last);
        if reach > item {
            continue;
        }
        // No later item depends on start..=item: a group that may be cut off.
        let group = start..item + 1;
        start = item + 1;
        if group.len() > max {
            return Err(Error::InvalidRequest(format!(
                "requests {} to {} depend on each other and are more than the {max} Graph \
                 takes in one batch",
                group.start + 1,
                group.end
            )));
        }
        match chunks.last_mut() {
            Some(chunk) if chunk.len() + group.len() <= max => chunk.end = group.end,
            _ => chunks.push(group),
        }
    }
    Ok(chunks)
}

#[derive(Deserialize)]
struct Envelope {
    responses: Vec<RawAnswer>,
}

#[derive(Deserialize)]
struct RawAnswer {
    id: String,
    status: u16,
    #[serde(default)]
    headers: Map<String, Value>,
    #[serde(default)]
    body: Value,
}

impl RawAnswer {
    fn into_answer(self, name: &'static str) -> Result<Answer> {
        let status = StatusCode::from_u16(self.status).map_err(|_| Error::UnexpectedResponse {
            operation: name,
            detail: format!(
                "batch request {} answered with status {}",
                self.id, self.status
            ),
        })?;
        let mut headers = HeaderMap::new();
        for (name, value) in self.headers {
            let value = match value {
                Value::String(s) => s,
                Value::Null => continue,
                other => other.to_string(),
            };
            if let (Ok(name), Ok(value)) = (
                HeaderName::from_bytes(name.as_bytes()),
                HeaderValue::from_str(&value),
            ) {
                headers.append(name, value);
            }
        }
        Ok(Answer {
            name,
            status,
            headers,
            body: self.body,
        })
    }
}

/// The answer to one item.
#[derive(Debug)]
struct Answer {
    /// The operation of the item, for messages.
    name: &'static str,
    status: StatusCode,
    headers: HeaderMap,
    body: Value,
}

impl Answer {
    /// Whether the body is a base64 string: Graph encodes a body that is not JSON.
    fn is_base64(&self) -> bool {
        matches!(self.body, Value::String(_))
            && self
                .headers
                .get(CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|ct| !is_json(ct))
    }

    /// The body as bytes: decoded from base64, or the JSON text (empty for no body).
    fn bytes(&self, id: BatchId) -> Result<Bytes> {
        match &self.body {
            Value::String(text) if self.is_base64() => BASE64
                .decode(text)
                .map(Bytes::from)
                .map_err(|e| Error::UnexpectedResponse {
                    operation: self.name,
                    detail: format!("the body of batch request {id} is not base64: {e}"),
                }),
            Value::Null => Ok(Bytes::new()),
            json => Ok(Bytes::from(json.to_string())),
        }
    }

    fn check(&self, id: BatchId) -> Result<()> {
        if self.status.as_u16() < 400 {
            return Ok(());
        }
        let body = self.bytes(id).unwrap_or_default();
        let error = ApiError::new(
            self.status,
            self.headers.clone(),
            String::from_utf8_lossy(&body).into_owned(),
        );
        Err(Error::Api(Box::new(error)))
    }
}

/// The answers to the requests of a [`Batch`], looked up by the [`BatchId`]s that
/// [`Batch::add`] returned. Each answer has its own status: an item that failed is an
/// [`Error::Api`] when read, exactly as if it had been sent alone.
#[derive(Debug)]
pub struct BatchResponses {
    serial: u64,
    answers: Vec<Option<Answer>>,
}

impl BatchResponses {
    fn answer(&self, id: BatchId) -> Result<&Answer> {
        let answer = (id.batch == self.serial)
            .then(|| self.answers.get(id.index()))
            .flatten()
            .and_then(Option::as_ref);
        answer.ok_or_else(|| {
            Error::InvalidRequest(format!("there is no answer to request {id} in this batch"))
        })
    }

    /// The status the request was answered with; `None` for an id of another batch.
    pub fn status(&self, id: BatchId) -> Option<StatusCode> {
        self.answer(id).ok().map(|a| a.status)
    }

    /// The headers of the answer to the request (e.g. `Location`, `ETag`).
    pub fn headers(&self, id: BatchId) -> Option<&HeaderMap> {
        self.answer(id).ok().map(|a| &a.headers)
    }

    /// Decodes the answer's body into `T` (an empty body decodes as JSON `null`, so `()` and
    /// `Option<_>` accept `204 No Content`). A status of 400 or more is an [`Error::Api`] with
    /// the item's status, headers and error body.
    pub fn json<T: DeserializeOwned>(&self, id: BatchId) -> Result<T> {
        let answer = self.answer(id)?;
        answer.check(id)?;
        let what = || format!("the response of {} (batch request {id})", answer.name);
        if answer.is_base64() {
            return decode(&answer.bytes(id)?, what);
        }
        T::deserialize(&answer.body).map_err(|source| Error::Decode {
            what: what(),
            source,
            snippet: answer.body.to_string().chars().take(200).collect(),
        })
    }

    /// The answer's body as bytes: a body that is not JSON (Graph sends it base64-encoded, e.g.
    /// file content) decoded, a JSON body as JSON text. Fails like [`json`](Self::json) on an
    /// error status.
    pub fn bytes(&self, id: BatchId) -> Result<Bytes> {
        let answer = self.answer(id)?;
        answer.check(id)?;
        answer.bytes(id)
    }

    /// Checks that the request succeeded, for answers without a body of interest.
    pub fn empty(&self, id: BatchId) -> Result<()> {
        self.answer(id)?.check(id)
    }
}

/// Whether a content type is JSON (`application/json`, `...+json`, with any parameters).
fn is_json(content_type: &str) -> bool {
    let essence = content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    essence == "application/json" || essence.ends_with("+json")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(deps: &[&[usize]], max: usize) -> Vec<Range<usize>> {
        chunks(deps, max).unwrap()
    }

    #[test]
    fn independent_items_fill_chunks_in_order() {
        let none: Vec<&[usize]> = vec![&[]; 45];
        assert_eq!(split(&none, 20), [0..20, 20..40, 40..45]);
        let one = split(&none[..20], 20);
        assert_eq!((one.len(), &one[0]), (1, &(0..20)));
        assert_eq!(split(&[], 20), Vec::<Range<usize>>::new());
    }

    #[test]
    fn a_dependency_chain_stays_in_one_chunk() {
        // 0..=2 independent, 3 <- 4 <- 5 a chain, 6 independent; chunks of 4.
        let deps: Vec<&[usize]> = vec![&[], &[], &[], &[], &[3], &[4], &[]];
        assert_eq!(split(&deps, 4), [0..3, 3..7]);
        // An item depending on an early one holds everything between together.
        let deps: Vec<&[usize]> = vec![&[], &[], &[], &[0], &[]];
        assert_eq!(split(&deps, 4), [0..4, 4..5]);
        // Two items depending on the same one.
        let deps: Vec<&[usize]> = vec![&[], &[], &[1], &[1], &[], &[]];
        assert_eq!(split(&deps, 3), [0..1, 1..4, 4..6]);
    }

    #[test]
    fn a_dependency_group_larger_than_a_batch_is_refused() {
        let mut deps: Vec<&[usize]> = vec![&[]; 25];
        deps[21] = &[0];
        let err = chunks(&deps, 20).unwrap_err();
        assert!(matches!(err, Error::InvalidRequest(_)), "{err:?}");
        assert!(err.to_string().contains("requests 1 to 22"), "{err}");
        // The same group fits when the batch is large enough.
        assert_eq!(chunks(&deps, 22).unwrap(), [0..22, 22..25]);
    }

    #[test]
    fn json_content_types() {
        assert!(is_json("application/json"));
        assert!(is_json("Application/JSON; charset=utf-8"));
        assert!(is_json("application/problem+json"));
        assert!(!is_json("text/plain"));
        assert!(!is_json("application/octet-stream"));
    }
}
