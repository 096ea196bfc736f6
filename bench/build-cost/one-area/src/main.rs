//! Lists the users of a tenant, following `@odata.nextLink` to the last page.
//! Build-cost benchmark app: see `scripts/build-cost.sh` and `docs/benchmarks.md`.

use graph_requests::models::v1::User;
use graph_requests::Client;

#[tokio::main]
async fn main() -> graph_requests::Result<()> {
    let token = std::env::var("GRAPH_TOKEN").unwrap_or_default();
    let client = Client::builder().bearer_token(token).build()?;

    // GET /v1.0/users: the first page, then every next page.
    let request = client.v1().users().list_users().into_request();
    let users: Vec<User> = client.stream_pages::<User>(request).collect_items().await?;
    for user in &users {
        println!("{}", user.id.as_deref().unwrap_or("?"));
    }
    println!("{} users", users.len());
    Ok(())
}
