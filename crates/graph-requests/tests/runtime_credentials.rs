//! The client credentials grant (`runtime::ClientCredentials`) against a local wiremock server
//! that plays both the identity platform's token endpoint and Graph.

use std::time::Duration;

use graph_requests::runtime::ClientCredentials;
use graph_requests::{Client, Cloud, Error};
use serde_json::json;
use wiremock::matchers::{body_string_contains, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const TOKEN_PATH: &str = "/contoso.example/oauth2/v2.0/token";

fn credentials(server: &MockServer) -> ClientCredentials {
    ClientCredentials::new("contoso.example", "app-id", "s3cret").authority_host(server.uri())
}

fn client(server: &MockServer, credentials: ClientCredentials) -> Client {
    Client::builder()
        .base_url(server.uri())
        .token_provider(credentials)
        .build()
        .unwrap()
}

fn token(value: &str, expires_in: u64) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({
        "token_type": "Bearer", "expires_in": expires_in, "access_token": value
    }))
}

async fn graph_answers(server: &MockServer, bearer: &str, times: u64) {
    Mock::given(method("GET"))
        .and(path("/v1.0/organization"))
        .and(header("authorization", format!("Bearer {bearer}").as_str()))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "value": [] })))
        .expect(times)
        .mount(server)
        .await;
}

async fn get(client: &Client) -> graph_requests::Result<serde_json::Value> {
    client
        .send_json(client.request(http::Method::GET, "/organization"))
        .await
}

#[tokio::test]
async fn one_token_serves_requests_until_it_is_due() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .and(body_string_contains("grant_type=client_credentials"))
        .and(body_string_contains("client_id=app-id"))
        .and(body_string_contains("client_secret=s3cret"))
        .and(body_string_contains(
            "scope=https%3A%2F%2Fgraph.microsoft.com%2F.default",
        ))
        .respond_with(token("tok-1", 3600))
        .expect(1)
        .mount(&server)
        .await;
    graph_answers(&server, "tok-1", 7).await;
    let client = client(&server, credentials(&server));
    get(&client).await.unwrap();
    get(&client).await.unwrap();
    // Concurrent requests wait for one answer of the token endpoint.
    let many: Vec<_> = (0..5).map(|_| get(&client)).collect();
    for r in futures::future::join_all(many).await {
        r.unwrap();
    }
}

#[tokio::test]
async fn concurrent_first_requests_ask_for_one_token() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .respond_with(token("tok-1", 3600).set_delay(Duration::from_millis(100)))
        .expect(1)
        .mount(&server)
        .await;
    graph_answers(&server, "tok-1", 4).await;
    let client = client(&server, credentials(&server));
    let many: Vec<_> = (0..4).map(|_| get(&client)).collect();
    for r in futures::future::join_all(many).await {
        r.unwrap();
    }
}

#[tokio::test]
async fn a_token_is_renewed_before_it_expires() {
    let server = MockServer::start().await;
    // A one-second token is renewed halfway.
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .respond_with(token("tok-1", 1))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .respond_with(token("tok-2", 3600))
        .expect(1)
        .mount(&server)
        .await;
    graph_answers(&server, "tok-1", 1).await;
    graph_answers(&server, "tok-2", 1).await;
    let client = client(&server, credentials(&server));
    get(&client).await.unwrap();
    tokio::time::sleep(Duration::from_millis(600)).await;
    get(&client).await.unwrap();
}

#[tokio::test]
async fn refused_credentials_are_an_authentication_error_and_nothing_goes_to_graph() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .respond_with(ResponseTemplate::new(401).set_body_json(json!({
            "error": "invalid_client",
            "error_description": "AADSTS7000215: Invalid client secret provided."
        })))
        .mount(&server)
        .await;
    graph_answers(&server, "never", 0).await;
    let client = client(&server, credentials(&server));
    let err = get(&client).await.unwrap_err();
    match &err {
        Error::Authentication { code, message } => {
            assert_eq!(code.as_deref(), Some("invalid_client"));
            assert!(message.contains("AADSTS7000215"), "{message}");
        }
        other => panic!("{other:?}"),
    }
    assert!(
        err.to_string()
            .starts_with("no access token: invalid_client"),
        "{err}"
    );
}

#[test]
fn clouds_have_their_own_authority_and_scope_and_the_secret_is_not_shown() {
    let china = ClientCredentials::new("t", "app", "s3cret").cloud(Cloud::China);
    assert_eq!(
        china.token_url(),
        "https://login.chinacloudapi.cn/t/oauth2/v2.0/token"
    );
    let shown = format!("{china:?}");
    assert!(
        shown.contains("https://microsoftgraph.chinacloudapi.cn/.default"),
        "{shown}"
    );
    assert!(!shown.contains("s3cret"), "{shown}");
    let gov = ClientCredentials::new("t", "app", "s").cloud(Cloud::UsGovL5);
    assert_eq!(
        gov.token_url(),
        "https://login.microsoftonline.us/t/oauth2/v2.0/token"
    );
}
