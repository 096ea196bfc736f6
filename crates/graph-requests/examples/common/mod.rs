//! Shared by the examples: the client from the environment and the command line.
//!
//! - `GRAPH_TOKEN`: the access token (required).
//! - `--base-url URL` (or `GRAPH_BASE_URL`): a service root other than the Global cloud, e.g.
//!   `http://127.0.0.1:8080` for a local server.
//! - any other `--name value` pairs are returned for the example to use.

use std::collections::HashMap;

use graph_requests::{Client, Error, Result};

/// Parses `--name value` pairs.
pub fn args() -> HashMap<String, String> {
    let mut out = HashMap::new();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        if let Some(name) = arg.strip_prefix("--") {
            let value = args.next().unwrap_or_default();
            out.insert(name.to_owned(), value);
        }
    }
    out
}

/// The client: token from `GRAPH_TOKEN`, base URL from `--base-url` or `GRAPH_BASE_URL`.
pub fn client(args: &HashMap<String, String>) -> Result<Client> {
    let token = std::env::var("GRAPH_TOKEN")
        .map_err(|_| Error::InvalidRequest("set GRAPH_TOKEN to an access token".into()))?;
    let mut builder = Client::builder().bearer_token(token);
    let base_url = args
        .get("base-url")
        .cloned()
        .or_else(|| std::env::var("GRAPH_BASE_URL").ok());
    if let Some(url) = base_url {
        builder = builder.base_url(url);
    }
    builder.build()
}
