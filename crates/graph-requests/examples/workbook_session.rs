//! Opens a workbook session, calls an operation with it and closes it.
//!
//! ```text
//! GRAPH_TOKEN=... cargo run -p graph-requests --example workbook_session -- \
//!     --item 01ABCDEF... [--base-url http://127.0.0.1:8080]
//! ```
//!
//! `createSession` is sent with `Prefer: respond-async`: when the service answers
//! `202 Accepted`, the operation is polled until the session is ready.

mod common;

use graph_requests::runtime::{encode_segment, ApiVersion, Cloud, OperationInfo, Request};
use graph_requests::Result;
use serde::Deserialize;
use serde_json::json;

// The operations as `cargo xtask codegen` describes them to the runtime.
static CREATE_SESSION: OperationInfo = OperationInfo {
    name: "createSession",
    version: ApiVersion::V1,
    method: http::Method::POST,
    paths: &["/me/drive/items/{id}/workbook/createSession"],
    clouds: None,
};
static LIST_WORKSHEETS: OperationInfo = OperationInfo {
    name: "listWorksheets",
    version: ApiVersion::V1,
    method: http::Method::GET,
    paths: &["/me/drive/items/{id}/workbook/worksheets"],
    clouds: None,
};
static CLOSE_SESSION: OperationInfo = OperationInfo {
    name: "closeSession",
    version: ApiVersion::V1,
    method: http::Method::POST,
    paths: &["/me/drive/items/{id}/workbook/closeSession"],
    clouds: Some(&[Cloud::Global, Cloud::UsGovL4, Cloud::UsGovL5, Cloud::China]),
};

#[derive(Debug, Deserialize)]
struct SessionInfo {
    id: String,
    #[serde(rename = "persistChanges", default)]
    persist_changes: bool,
}

#[derive(Debug, Deserialize)]
struct Worksheet {
    name: String,
}

#[tokio::main]
async fn main() -> Result<()> {
    let args = common::args();
    let client = common::client(&args)?;
    let item = args.get("item").map(String::as_str).unwrap_or("01ITEM");
    let item = encode_segment(item);

    let mut create = Request::new(
        &CREATE_SESSION,
        format!("/me/drive/items/{item}/workbook/createSession"),
    );
    create.json(&json!({ "persistChanges": true }));
    let session: SessionInfo = client.send_lro(create).await?.wait().await?;
    println!(
        "session {} (persistChanges: {})",
        session.id, session.persist_changes
    );

    let mut list = Request::new(
        &LIST_WORKSHEETS,
        format!("/me/drive/items/{item}/workbook/worksheets"),
    );
    list.header("workbook-session-id", session.id.as_str())
        .query("$select", "name");
    let sheets = client.send_page::<Worksheet>(list).await?;
    for sheet in sheets.value {
        println!("worksheet {}", sheet.name);
    }

    let mut close = Request::new(
        &CLOSE_SESSION,
        format!("/me/drive/items/{item}/workbook/closeSession"),
    );
    close.header("workbook-session-id", session.id.as_str());
    client.send_empty(close).await?;
    println!("session closed");
    Ok(())
}
