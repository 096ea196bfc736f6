//! The hand-written runtime that the generated operations call into: the [`Client`] and its
//! configuration, authentication, errors, retries, paging, long-running operations, streamed
//! downloads, large-file uploads, JSON batching and URL encoding. Nothing in here is generated.

mod auth;
#[cfg(feature = "client-credentials")]
mod auth_code;
mod batch;
mod cast;
mod client;
mod cloud;
#[cfg(feature = "client-credentials")]
mod credentials;
#[cfg(feature = "client-credentials")]
mod device_code;
mod download;
mod encode;
mod error;
mod lro;
mod odata;
mod operation;
mod paging;
mod request;
mod retry;
mod upload;
#[cfg(feature = "client-credentials")]
mod user_tokens;

pub use auth::{token_fn, FnToken, StaticToken, TokenFuture, TokenProvider};
#[cfg(feature = "client-credentials")]
pub use auth_code::{AuthorizationCodeCredentials, AuthorizationRequest};
pub use batch::{Batch, BatchId, BatchResponses};
pub use cast::Cast;
pub use client::{Client, ClientBuilder, DEFAULT_USER_AGENT};
pub use cloud::{ApiVersion, Cloud};
#[cfg(feature = "client-credentials")]
pub use credentials::ClientCredentials;
#[cfg(feature = "client-credentials")]
pub use device_code::{DeviceCodeCredentials, DevicePrompt};
pub use download::ContentStream;
pub use encode::{encode_item_path, encode_query_component, encode_segment, encode_string_literal};
pub use error::{ApiError, Error, InnerError, OperationFailure, Result};
pub use lro::{LongRunning, LroPolicy, OperationStatus};
pub use odata::{ODataQuery, QueryList};
pub use operation::{BatchItem, Content, Json, NoContent, Operation, Primitive, ReadAnswer};
pub use paging::{Page, PageStream};
pub use request::{OperationInfo, Request};
pub use retry::{retry_after, RetryPolicy};
pub use upload::{LargeFileUpload, UploadStatus, Uploaded, UPLOAD_FRAGMENT_UNIT};
