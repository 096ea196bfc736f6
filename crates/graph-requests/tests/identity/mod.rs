//! What the tests of the user token providers share: Graph played by the server, a request
//! through the client, the bodies the identity platform received, an error's OAuth code.

use graph_requests::{Client, Error};
use serde_json::json;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// Graph answers `GET /v1.0/me` with the bearer token `bearer`, `times` times.
pub async fn graph_answers(server: &MockServer, bearer: &str, times: u64) {
    Mock::given(method("GET"))
        .and(path("/v1.0/me"))
        .and(header("authorization", format!("Bearer {bearer}").as_str()))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "id": "me" })))
        .expect(times)
        .mount(server)
        .await;
}

/// `GET /me` through `client`.
pub async fn get(client: &Client) -> graph_requests::Result<serde_json::Value> {
    client
        .send_json(client.request(http::Method::GET, "/me"))
        .await
}

/// The bodies of the requests `server` received on `at`.
pub async fn bodies(server: &MockServer, at: &str) -> Vec<String> {
    server
        .received_requests()
        .await
        .unwrap()
        .into_iter()
        .filter(|r| r.url.path() == at)
        .map(|r| String::from_utf8(r.body).unwrap())
        .collect()
}

/// The OAuth 2.0 error code of an authentication error.
pub fn authentication_code(err: &Error) -> Option<&str> {
    match err {
        Error::Authentication { code, .. } => code.as_deref(),
        other => panic!("not an authentication error: {other:?}"),
    }
}
