//! Creates a Security Copilot session (beta; documented for the Global cloud only, so a client
//! configured for another national cloud refuses it before sending anything).
//!
//! ```text
//! GRAPH_TOKEN=... cargo run -p graph-requests --example copilot_session -- \
//!     [--workspace default] [--name "Triage"] [--base-url http://127.0.0.1:8080]
//! ```

mod common;

use graph_requests::models::beta::security::security_copilot::Session;
use graph_requests::Result;

#[tokio::main]
async fn main() -> Result<()> {
    let args = common::args();
    let client = common::client(&args)?;
    let workspace = args
        .get("workspace")
        .map(String::as_str)
        .unwrap_or("default");
    let name = args.get("name").cloned().unwrap_or_else(|| "Triage".into());

    let session = client
        .beta()
        .security()
        .security_copilot()
        .sessions()
        .create_session(
            workspace,
            Session {
                display_name: Some(name),
                ..Session::default()
            },
        )
        .send()
        .await?;
    println!(
        "created session {} ({})",
        session.id.unwrap_or_default(),
        session.display_name.unwrap_or_default()
    );
    Ok(())
}
