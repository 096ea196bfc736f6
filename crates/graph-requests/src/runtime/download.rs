//! Content read as it arrives: a file's bytes, a photo, a report, without holding the whole body
//! in memory.

use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use futures::stream::{BoxStream, Stream, StreamExt};
use tokio::io::{AsyncWrite, AsyncWriteExt};

use super::{Client, Error, Request, Result};

/// The body of a successful response as a stream of chunks, with what its headers say about it.
/// Built by [`Client::send_stream`] (and the generated `send_stream()` of operations that answer
/// with content).
///
/// ```no_run
/// # async fn demo(client: graph_requests::Client) -> graph_requests::Result<()> {
/// let request = client.request(http::Method::GET, "/me/drive/items/01ABC/content");
/// let download = client.send_stream(request).await?;
/// let mut file = tokio::io::sink(); // e.g. a tokio::fs::File
/// let written = download.write_to(&mut file).await?;
/// println!("{written} bytes");
/// # Ok(()) }
/// ```
pub struct ContentStream {
    content_length: Option<u64>,
    content_type: Option<String>,
    operation: &'static str,
    chunks: BoxStream<'static, reqwest::Result<Bytes>>,
}

impl fmt::Debug for ContentStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ContentStream")
            .field("operation", &self.operation)
            .field("content_length", &self.content_length)
            .field("content_type", &self.content_type)
            .finish_non_exhaustive()
    }
}

impl ContentStream {
    /// The size the response announces (`Content-Length`), if it does.
    pub fn content_length(&self) -> Option<u64> {
        self.content_length
    }

    /// The response's `Content-Type`, if any.
    pub fn content_type(&self) -> Option<&str> {
        self.content_type.as_deref()
    }

    /// Writes every chunk to `out` as it arrives (then flushes it) and returns how many bytes
    /// were written. A body shorter than its `Content-Length` is an error: the connection
    /// dropped before the end.
    pub async fn write_to<W: AsyncWrite + Unpin>(mut self, out: &mut W) -> Result<u64> {
        let io = |e: std::io::Error| Error::InvalidRequest(format!("writing the content: {e}"));
        let mut written = 0u64;
        while let Some(chunk) = self.next().await {
            let chunk = chunk?;
            out.write_all(&chunk).await.map_err(io)?;
            written += chunk.len() as u64;
        }
        out.flush().await.map_err(io)?;
        match self.content_length {
            Some(expected) if expected != written => Err(Error::UnexpectedResponse {
                operation: self.operation,
                detail: format!("the body ended after {written} of {expected} bytes"),
            }),
            _ => Ok(written),
        }
    }
}

impl Stream for ContentStream {
    type Item = Result<Bytes>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let operation = self.operation;
        self.chunks
            .poll_next_unpin(cx)
            .map(|next| next.map(|chunk| chunk.map_err(|e| Error::from_transport(e, operation))))
    }
}

impl Client {
    /// Sends a request (with retries) and returns its successful body as a stream of chunks,
    /// read as the caller consumes it: for content too large to hold in memory. Redirects to a
    /// download URL (`302` of a drive item's `content`) are followed; the bearer token goes
    /// only to the configured host.
    pub async fn send_stream(&self, request: Request) -> Result<ContentStream> {
        let operation = request.info.name;
        let response = self.execute(request).await?;
        let content_type = response
            .headers()
            .get(http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        Ok(ContentStream {
            content_length: response.content_length(),
            content_type,
            operation,
            chunks: response.bytes_stream().boxed(),
        })
    }
}
