//! Lists the users of a tenant with graph-rs-sdk 3.0.1, following `@odata.nextLink` to the
//! last page. Build-cost benchmark app: see `scripts/build-cost.sh` and `docs/benchmarks.md`.

use graph_rs_sdk::GraphClient;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let token = std::env::var("GRAPH_TOKEN").unwrap_or_default();
    let client = GraphClient::new(token.as_str());

    // GET /v1.0/users: every page, as JSON.
    let pages = client
        .users()
        .list_user()
        .paging()
        .json::<serde_json::Value>()
        .await?;
    let mut count = 0;
    for page in pages {
        let body = page.into_body()?;
        for user in body["value"].as_array().into_iter().flatten() {
            println!("{}", user["id"].as_str().unwrap_or("?"));
            count += 1;
        }
    }
    println!("{count} users");
    Ok(())
}
