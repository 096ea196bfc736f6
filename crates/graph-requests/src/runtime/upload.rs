//! Large files through an upload session: the byte ranges `PUT` to the URL that a
//! `createUploadSession` operation hands out (OneDrive and SharePoint files, Outlook
//! attachments, Universal Print documents), as the docs of those operations describe.

use std::fmt;
use std::io::SeekFrom;

use bytes::Bytes;
use serde::de::DeserializeOwned;
use serde::Deserialize;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncSeek, AsyncSeekExt};

use super::client::{decode, read_body};
use super::{ApiVersion, Client, Error, OperationInfo, Request, Result};

/// Fragments other than the last must be a multiple of this many bytes (320 KiB), or Graph
/// may fail to commit the file.
pub const UPLOAD_FRAGMENT_UNIT: usize = 320 * 1024;

/// The default fragment: 3.75 MiB (12 units), which every kind of session takes (Outlook
/// attachments at most 4 MB a request; OneDrive up to 60 MiB).
const DEFAULT_FRAGMENT: usize = 12 * UPLOAD_FRAGMENT_UNIT;
const _: () = assert!(DEFAULT_FRAGMENT < 4_000_000);

/// The largest fragment: a request must carry less than 60 MiB.
const MAX_FRAGMENT: usize = 191 * UPLOAD_FRAGMENT_UNIT;
const _: () = assert!(MAX_FRAGMENT < 60 * 1024 * 1024);

/// How often an upload asks the session where to go on (after a dropped connection or a
/// `416 Requested Range Not Satisfiable`) without the server taking new bytes in between.
const DEFAULT_MAX_RESUMES: u32 = 3;

static PUT_RANGE: OperationInfo = OperationInfo {
    name: "uploadSession",
    version: ApiVersion::V1,
    method: http::Method::PUT,
    paths: &[],
    clouds: None,
};

/// An upload of one file through an upload session. Build it with
/// [`Client::large_file_upload`] from the session's `uploadUrl`.
///
/// The file goes up in fragments (3.75 MiB by default, a multiple of 320 KiB as Graph requires),
/// one after the other, each `PUT` with its `Content-Range` and without the bearer token (the
/// URL carries its own authorization). A fragment throttled or answered `503`/`504` is sent
/// again as the client's [`RetryPolicy`](super::RetryPolicy) says; after a dropped connection,
/// a `416` or a `5xx` the upload asks the session which bytes it is missing
/// (`nextExpectedRanges`) and goes on from there.
///
/// ```no_run
/// # #[cfg(feature = "files")]
/// # async fn demo(client: graph_requests::Client, file: Vec<u8>) -> graph_requests::Result<()> {
/// use graph_requests::models::v1::DriveItem;
/// use graph_requests::v1::items::CreateUploadSessionPath;
///
/// let session = client.v1().items()
///     .create_upload_session(CreateUploadSessionPath::me_drive_items("folder-id"))
///     .send()
///     .await?;
/// let url = session.upload_url.expect("an upload session has a URL");
/// let done = client.large_file_upload(url).upload::<DriveItem>(file).await?;
/// println!("uploaded {:?}", done.resource.name);
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct LargeFileUpload {
    client: Client,
    url: String,
    fragment: usize,
    max_resumes: u32,
}

/// What the last fragment's answer gave: the resource the upload made (a `driveItem` for a
/// file; nothing for an Outlook attachment, which answers `201 Created` with a `Location`).
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Uploaded<T> {
    /// The decoded body of the final answer (an empty body decodes as JSON `null`, so
    /// `Option<_>` and `()` accept one).
    pub resource: T,
    /// The `Location` header of the final answer, if any.
    pub location: Option<String>,
}

/// The state of an upload session: what `GET` on its URL answers.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct UploadStatus {
    /// When the session expires.
    #[serde(default)]
    pub expiration_date_time: Option<String>,
    /// The ranges the server is missing: `"start-end"`, `"start-"`, or (Outlook attachments)
    /// `"start"`.
    #[serde(default)]
    pub next_expected_ranges: Vec<String>,
}

impl UploadStatus {
    /// Where the first missing range starts, if the server names one.
    pub fn next_offset(&self) -> Option<u64> {
        let first = self.next_expected_ranges.first()?;
        first.split('-').next()?.trim().parse().ok()
    }
}

impl fmt::Debug for LargeFileUpload {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The URL's query carries the session's authorization: never shown.
        let shown = self.url.split('?').next().unwrap_or_default();
        f.debug_struct("LargeFileUpload")
            .field("url", &format_args!("{shown}?<redacted>"))
            .field("fragment", &self.fragment)
            .field("max_resumes", &self.max_resumes)
            .finish()
    }
}

impl Client {
    /// An upload of a large file to the `uploadUrl` of an upload session (see
    /// [`LargeFileUpload`]).
    pub fn large_file_upload(&self, upload_url: impl Into<String>) -> LargeFileUpload {
        LargeFileUpload {
            client: self.clone(),
            url: upload_url.into(),
            fragment: DEFAULT_FRAGMENT,
            max_resumes: DEFAULT_MAX_RESUMES,
        }
    }
}

impl LargeFileUpload {
    /// The size of each fragment but the last, rounded down to a multiple of 320 KiB, and
    /// kept between 320 KiB and the largest multiple under 60 MiB. The default, 3.75 MiB, suits
    /// every kind of session; OneDrive and SharePoint files go faster in larger fragments
    /// (e.g. 10 MiB), Outlook attachments take at most 4 MB a request.
    pub fn fragment_size(mut self, bytes: usize) -> Self {
        let units = (bytes / UPLOAD_FRAGMENT_UNIT).clamp(1, MAX_FRAGMENT / UPLOAD_FRAGMENT_UNIT);
        self.fragment = units * UPLOAD_FRAGMENT_UNIT;
        self
    }

    /// How many times in a row the upload may ask the session where to go on without the
    /// server taking new bytes (default 3); then the last error is returned.
    pub fn max_resumes(mut self, resumes: u32) -> Self {
        self.max_resumes = resumes;
        self
    }

    /// Uploads a file held in memory and decodes the final answer as `T`.
    pub async fn upload<T: DeserializeOwned>(&self, data: impl Into<Bytes>) -> Result<Uploaded<T>> {
        let data: Bytes = data.into();
        let len = data.len() as u64;
        self.upload_from(std::io::Cursor::new(data), len).await
    }

    /// Uploads `len` bytes read from `reader` (a `tokio::fs::File`, or anything that reads
    /// and seeks: a resumed upload reads again from where the server asks), and decodes the
    /// final answer as `T`. Only one fragment is in memory at a time.
    pub async fn upload_from<T, R>(&self, mut reader: R, len: u64) -> Result<Uploaded<T>>
    where
        T: DeserializeOwned,
        R: AsyncRead + AsyncSeek + Unpin + Send,
    {
        if len == 0 {
            return Err(Error::InvalidRequest(
                "an upload session takes at least one byte; create an empty file with a PUT of its content".into(),
            ));
        }
        let mut offset = 0u64;
        let mut resumes = 0u32;
        loop {
            let end = (offset + self.fragment as u64).min(len);
            let fragment = read_range(&mut reader, offset, end).await?;
            let error = match self.put(fragment, offset, end, len).await {
                Ok(Answer::More(status)) => {
                    let next = status.next_offset().unwrap_or(end);
                    self.check_offset(next, len)?;
                    if next > offset {
                        resumes = 0;
                    } else {
                        resumes += 1;
                        if resumes > self.max_resumes {
                            return Err(self.unexpected(format!(
                                "the session keeps asking for bytes from {next} on and takes none"
                            )));
                        }
                    }
                    offset = next;
                    continue;
                }
                Ok(Answer::Done(bytes, location)) => {
                    let resource = decode(&bytes, || "the answer to the last fragment".into())?;
                    return Ok(Uploaded { resource, location });
                }
                Err(e) if resumable(&e) => e,
                Err(e) => return Err(e),
            };
            resumes += 1;
            if resumes > self.max_resumes {
                return Err(error);
            }
            tracing::info!(
                offset,
                "upload fragment failed; asking the session where to go on"
            );
            let status = self.status().await?;
            offset = match status.next_offset() {
                Some(next) => {
                    self.check_offset(next, len)?;
                    next
                }
                // Nothing missing, yet no final answer: the file is whole, so send its last
                // fragment again for the answer.
                None => (len - 1) / self.fragment as u64 * self.fragment as u64,
            };
        }
    }

    /// Asks the session which bytes it is missing (`GET` on its URL).
    pub async fn status(&self) -> Result<UploadStatus> {
        let request = self.request(http::Method::GET);
        let response = self.client.execute(request).await.map_err(without_url)?;
        let bytes = read_body(response, PUT_RANGE.name)
            .await
            .map_err(without_url)?;
        decode(&bytes, || "the status of the upload session".into())
    }

    /// Cancels the session (`DELETE` on its URL): the server drops the bytes it holds.
    pub async fn cancel(&self) -> Result<()> {
        let request = self.request(http::Method::DELETE);
        let response = self.client.execute(request).await.map_err(without_url)?;
        read_body(response, PUT_RANGE.name)
            .await
            .map_err(without_url)?;
        Ok(())
    }

    fn request(&self, method: http::Method) -> Request {
        let mut request = Request::absolute(&PUT_RANGE, method, self.url.clone(), Vec::new());
        request.anonymous = true;
        request
    }

    async fn put(&self, fragment: Bytes, offset: u64, end: u64, len: u64) -> Result<Answer> {
        let mut request = self.request(http::Method::PUT);
        request
            .bytes("application/octet-stream", fragment)
            .header("Content-Range", format!("bytes {offset}-{}/{len}", end - 1));
        let response = self.client.execute(request).await.map_err(without_url)?;
        let status = response.status();
        let location = response
            .headers()
            .get(http::header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let bytes = read_body(response, PUT_RANGE.name)
            .await
            .map_err(without_url)?;
        if status == http::StatusCode::ACCEPTED {
            let state = decode(&bytes, || "the answer to an upload fragment".into())?;
            Ok(Answer::More(state))
        } else {
            Ok(Answer::Done(bytes, location))
        }
    }

    fn check_offset(&self, next: u64, len: u64) -> Result<()> {
        if next >= len {
            return Err(self.unexpected(format!(
                "the session asks for bytes from {next} on, past the end of the file ({len} bytes)"
            )));
        }
        Ok(())
    }

    fn unexpected(&self, detail: String) -> Error {
        Error::UnexpectedResponse {
            operation: PUT_RANGE.name,
            detail,
        }
    }
}

enum Answer {
    /// `202 Accepted`: the session wants more.
    More(UploadStatus),
    /// The final answer's body and `Location`.
    Done(Bytes, Option<String>),
}

/// Errors after which the session may still hold what it got: a dropped connection or a
/// timeout, a range it did not expect (`416`), a server error the retries did not cover.
fn resumable(e: &Error) -> bool {
    match e {
        Error::Transport(_) | Error::Timeout { .. } => true,
        Error::Api(api) => {
            api.status == http::StatusCode::RANGE_NOT_SATISFIABLE || api.status.is_server_error()
        }
        _ => false,
    }
}

/// Transport errors name their URL, and an upload session's URL carries its authorization.
fn without_url(e: Error) -> Error {
    match e {
        Error::Transport(e) => Error::Transport(e.without_url()),
        Error::Timeout { what, source } => Error::Timeout {
            what,
            source: source.map(reqwest::Error::without_url),
        },
        other => other,
    }
}

async fn read_range<R>(reader: &mut R, offset: u64, end: u64) -> Result<Bytes>
where
    R: AsyncRead + AsyncSeek + Unpin,
{
    let io = |e: std::io::Error| Error::InvalidRequest(format!("reading the file to upload: {e}"));
    reader.seek(SeekFrom::Start(offset)).await.map_err(io)?;
    let mut buf = vec![0; usize::try_from(end - offset).unwrap_or(usize::MAX)];
    reader.read_exact(&mut buf).await.map_err(io)?;
    Ok(Bytes::from(buf))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fragments_are_whole_units_within_bounds() {
        let client = Client::builder().build().unwrap();
        let up = |n| {
            client
                .large_file_upload("https://up.example/x")
                .fragment_size(n)
                .fragment
        };
        assert_eq!(up(0), UPLOAD_FRAGMENT_UNIT);
        assert_eq!(up(UPLOAD_FRAGMENT_UNIT * 3 + 5), UPLOAD_FRAGMENT_UNIT * 3);
        assert_eq!(up(usize::MAX), MAX_FRAGMENT);
    }

    #[test]
    fn next_offset_reads_every_documented_form() {
        let status = |r: &[&str]| UploadStatus {
            next_expected_ranges: r.iter().map(|s| s.to_string()).collect(),
            ..Default::default()
        };
        assert_eq!(status(&["26-"]).next_offset(), Some(26));
        assert_eq!(
            status(&["12345-55232", "77829-99375"]).next_offset(),
            Some(12345)
        );
        assert_eq!(status(&["2097152"]).next_offset(), Some(2097152));
        assert_eq!(status(&[]).next_offset(), None);
        assert_eq!(status(&["soon"]).next_offset(), None);
    }

    #[test]
    fn debug_hides_the_session_authorization() {
        let client = Client::builder().build().unwrap();
        let up = client.large_file_upload("https://up.example/s/1?tempauthtoken=secret");
        let shown = format!("{up:?}");
        assert!(!shown.contains("secret"), "{shown}");
        assert!(shown.contains("https://up.example/s/1"), "{shown}");
    }
}
