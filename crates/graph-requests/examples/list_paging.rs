//! Lists users page by page, following `@odata.nextLink` lazily.
//!
//! ```text
//! GRAPH_TOKEN=... cargo run -p graph-requests --example list_paging -- \
//!     [--filter "startswith(displayName,'A')"] [--top 50] [--base-url http://127.0.0.1:8080]
//! ```

mod common;

use futures::StreamExt;
use graph_requests::runtime::{ApiVersion, ODataQuery, OperationInfo, Request};
use graph_requests::Result;
use serde::Deserialize;

static LIST_USERS: OperationInfo = OperationInfo {
    name: "listUsers",
    version: ApiVersion::V1,
    method: http::Method::GET,
    paths: &["/users"],
    clouds: None,
};

#[derive(Debug, Deserialize)]
struct User {
    id: String,
    #[serde(rename = "displayName", default)]
    display_name: Option<String>,
}

#[tokio::main]
async fn main() -> Result<()> {
    let args = common::args();
    let client = common::client(&args)?;
    let top = args.get("top").and_then(|t| t.parse().ok()).unwrap_or(50);

    let mut query = ODataQuery::new()
        .select(["id", "displayName"])
        .top(top)
        .count(true);
    if let Some(filter) = args.get("filter") {
        query = query.filter(filter.as_str());
    }
    let mut req = Request::new(&LIST_USERS, "/users".into());
    // `$count` on directory objects needs the eventual consistency level.
    req.odata(&query).consistency_level_eventual();

    let mut pages = client.stream_pages::<User>(req);
    let mut n = 0;
    while let Some(page) = pages.next().await {
        let page = page?;
        if let Some(count) = page.count {
            println!("{count} users in all");
        }
        for user in page.value {
            n += 1;
            println!(
                "{n:>5} {} {}",
                user.id,
                user.display_name.unwrap_or_default()
            );
        }
    }
    Ok(())
}
