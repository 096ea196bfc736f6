//! Opens a workbook session, calls an operation with it and closes it, with the generated
//! operations.
//!
//! ```text
//! GRAPH_TOKEN=... cargo run -p graph-requests --example workbook_session -- \
//!     --drive b!abc --activity 123 --item 01ABCDEF [--base-url http://127.0.0.1:8080]
//! ```
//!
//! `createSession` is sent as a long-running operation (`Prefer: respond-async`): when the
//! service answers `202 Accepted`, its `Location` is polled until the session is ready; when it
//! answers `201 Created` directly, the session is there at once.

mod common;

use graph_requests::beta::workbook::CreateSessionPath;
use graph_requests::models::beta::WorkbookSessionInfo;
use graph_requests::v1::workbook::{CloseSessionPath, RefreshSessionPath};
use graph_requests::{Error, Result};

#[tokio::main]
async fn main() -> Result<()> {
    let args = common::args();
    let client = common::client(&args)?;
    let arg = |name: &str, default: &str| args.get(name).cloned().unwrap_or(default.into());
    let (drive, activity, item) = (
        arg("drive", "drive-1"),
        arg("activity", "activity-1"),
        arg("item", "01ITEM"),
    );

    // Open: the generated builder makes the request, the runtime runs it as an LRO.
    let create = client
        .beta()
        .workbook()
        .create_session(CreateSessionPath::drives_activities(drive, activity))
        .persist_changes(true)
        .into_request();
    let session: WorkbookSessionInfo = client.send_lro(create).await?.wait().await?;
    let session_id = session.id.ok_or_else(|| Error::UnexpectedResponse {
        operation: "createSession",
        detail: "the session has no id".into(),
    })?;
    println!(
        "session {session_id} (persistChanges: {:?})",
        session.persist_changes
    );

    // Call with it.
    client
        .v1()
        .workbook()
        .refresh_session(
            RefreshSessionPath::me_drive_items(item.as_str()),
            session_id.as_str(),
        )
        .send()
        .await?;
    println!("session refreshed");

    // Close it.
    client
        .v1()
        .workbook()
        .close_session(CloseSessionPath::me_drive_items(item), session_id)
        .send()
        .await?;
    println!("session closed");
    Ok(())
}
