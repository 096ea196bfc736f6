//! Signs a user in in their browser (the authorization code grant with PKCE, as a desktop app
//! with a loopback redirect) and prints who they are: `GET /me` through the generated
//! `get_user`. The app registration needs the platform "Mobile and desktop applications" with
//! the redirect URI `http://localhost` (any port on the loopback is accepted).
//!
//! ```text
//! cargo run -p graph-requests --features users,client-credentials --example sign_in_browser -- \
//!     --client-id 00000000-0000-0000-0000-000000000000 [--tenant organizations] \
//!     [--authority http://127.0.0.1:8765] [--base-url http://127.0.0.1:8765]
//! ```

// Only the argument parser: the client is built here, with its own token provider.
#[allow(dead_code)]
mod common;

use std::collections::HashMap;
use std::sync::Arc;

use graph_requests::runtime::AuthorizationCodeCredentials;
use graph_requests::v1::users::GetUserPath;
use graph_requests::{Client, Error, Result};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

#[tokio::main]
async fn main() -> Result<()> {
    let args = common::args();
    let client_id = args
        .get("client-id")
        .ok_or_else(|| Error::InvalidRequest("give --client-id of an app registration".into()))?;
    let tenant = args.get("tenant").map_or("organizations", String::as_str);
    // The redirect comes back to this process: a port of the loopback that the system picks.
    let listener = TcpListener::bind("127.0.0.1:0").await.map_err(io_error)?;
    let port = listener.local_addr().map_err(io_error)?.port();
    let redirect_uri = format!("http://localhost:{port}/");
    let mut credentials =
        AuthorizationCodeCredentials::new(tenant, client_id.as_str(), redirect_uri, ["User.Read"])
            .on_refresh_token(|_| {
                eprintln!("(a refresh token came: a real app keeps it in a keyring)")
            });
    if let Some(host) = args.get("authority") {
        credentials = credentials.authority_host(host.as_str());
    }
    let credentials = Arc::new(credentials);

    let request = credentials.authorize()?;
    println!(
        "Open this page in a browser to sign in:\n\n  {}\n",
        request.url()
    );
    let answer = redirect(&listener).await?;
    if let Some(error) = answer.get("error") {
        return Err(Error::Authentication {
            code: Some(error.clone()),
            message: answer.get("error_description").cloned().unwrap_or_default(),
        });
    }
    let (Some(code), Some(state)) = (answer.get("code"), answer.get("state")) else {
        return Err(Error::InvalidRequest("the redirect brought no code".into()));
    };
    credentials.sign_in_with_code(&request, code, state).await?;

    let mut builder = Client::builder().token_provider(credentials.clone());
    if let Some(url) = args.get("base-url") {
        builder = builder.base_url(url.as_str());
    }
    let me = builder
        .build()?
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

/// Waits for the browser's redirect back (`GET /?code=..&state=..`, or `?error=..`), answers
/// it with a page saying the tab can be closed, and returns its query parameters. Other
/// requests (a browser's `/favicon.ico`) are answered `404` and waited past.
async fn redirect(listener: &TcpListener) -> Result<HashMap<String, String>> {
    loop {
        let (mut stream, _) = listener.accept().await.map_err(io_error)?;
        let mut line = String::new();
        BufReader::new(&mut stream)
            .read_line(&mut line)
            .await
            .map_err(io_error)?;
        // The request line: `GET /?code=...&state=... HTTP/1.1`.
        let target = line.split_whitespace().nth(1).unwrap_or("/");
        let url = reqwest::Url::parse(&format!("http://localhost{target}"))
            .map_err(|e| Error::InvalidRequest(format!("the redirect {target:?}: {e}")))?;
        let query: HashMap<String, String> = url.query_pairs().into_owned().collect();
        let done = url.path() == "/" && (query.contains_key("code") || query.contains_key("error"));
        let reply: &[u8] = if done {
            b"HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\nconnection: close\r\n\r\n\
              Signed in: you can close this tab."
        } else {
            b"HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\nconnection: close\r\n\r\n"
        };
        stream.write_all(reply).await.map_err(io_error)?;
        if done {
            return Ok(query);
        }
    }
}

fn io_error(e: std::io::Error) -> Error {
    Error::InvalidRequest(format!("the loopback listener: {e}"))
}
