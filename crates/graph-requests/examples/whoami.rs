//! Signs a user in with a code shown in the terminal (the device authorization grant) and
//! prints who they are: `GET /me` through the generated `get_user`. The app registration must
//! allow public client flows.
//!
//! ```text
//! cargo run -p graph-requests --features users,client-credentials --example whoami -- \
//!     --client-id 00000000-0000-0000-0000-000000000000 [--tenant organizations] \
//!     [--authority http://127.0.0.1:8765] [--base-url http://127.0.0.1:8765]
//! ```

// Only the argument parser: the client is built here, with its own token provider.
#[allow(dead_code)]
mod common;

use std::sync::Arc;

use graph_requests::runtime::DeviceCodeCredentials;
use graph_requests::v1::users::GetUserPath;
use graph_requests::{Client, Error, Result};

#[tokio::main]
async fn main() -> Result<()> {
    let args = common::args();
    let client_id = args
        .get("client-id")
        .ok_or_else(|| Error::InvalidRequest("give --client-id of an app registration".into()))?;
    let tenant = args.get("tenant").map_or("organizations", String::as_str);
    let mut credentials = DeviceCodeCredentials::new(tenant, client_id.as_str(), ["User.Read"])
        .on_prompt(|prompt| println!("{}", prompt.message));
    if let Some(host) = args.get("authority") {
        credentials = credentials.authority_host(host.as_str());
    }
    // Kept beside the client: sign in before the first request, not during it.
    let credentials = Arc::new(credentials);
    credentials.sign_in().await?;

    let mut builder = Client::builder().token_provider(credentials.clone());
    if let Some(url) = args.get("base-url") {
        builder = builder.base_url(url.as_str());
    }
    let client = builder.build()?;
    let me = client
        .v1()
        .users()
        .get_user(GetUserPath::me())
        .select(["displayName", "userPrincipalName"])
        .send()
        .await?;
    println!(
        "signed in as {} <{}>",
        me.display_name.unwrap_or_default(),
        me.user_principal_name.unwrap_or_default()
    );
    Ok(())
}
