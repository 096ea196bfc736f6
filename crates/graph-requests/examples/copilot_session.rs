//! Creates a Security Copilot session (beta; documented for the Global cloud only).
//!
//! ```text
//! GRAPH_TOKEN=... cargo run -p graph-requests --example copilot_session -- \
//!     [--workspace default] [--name "Triage"] [--base-url http://127.0.0.1:8080]
//! ```

mod common;

use graph_requests::runtime::{encode_segment, ApiVersion, Cloud, OperationInfo, Request};
use graph_requests::Result;
use serde::Deserialize;
use serde_json::json;

static CREATE_SESSION: OperationInfo = OperationInfo {
    name: "createSession",
    version: ApiVersion::Beta,
    method: http::Method::POST,
    paths: &["/security/securityCopilot/workspaces/{workspaceId}/sessions"],
    clouds: Some(&[Cloud::Global]),
};

#[derive(Debug, Deserialize)]
struct Session {
    id: String,
    #[serde(rename = "displayName", default)]
    display_name: Option<String>,
}

#[tokio::main]
async fn main() -> Result<()> {
    let args = common::args();
    let client = common::client(&args)?;
    let workspace = args
        .get("workspace")
        .map(String::as_str)
        .unwrap_or("default");
    let name = args.get("name").map(String::as_str).unwrap_or("Triage");

    let mut req = Request::new(
        &CREATE_SESSION,
        format!(
            "/security/securityCopilot/workspaces/{}/sessions",
            encode_segment(workspace)
        ),
    );
    req.json(&json!({ "displayName": name }));
    let session: Session = client.send_json(req).await?;
    println!(
        "created session {} ({})",
        session.id,
        session.display_name.unwrap_or_default()
    );
    Ok(())
}
