//! The device authorization grant (`runtime::DeviceCodeCredentials`) against a local wiremock
//! server that plays the identity platform's device code and token endpoints and Graph.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use graph_requests::runtime::{DeviceCodeCredentials, DevicePrompt};
use graph_requests::{Client, Cloud};
use serde_json::json;
use wiremock::matchers::{body_string_contains, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

mod identity;
use identity::{authentication_code, bodies, get, graph_answers};

const DEVICE_PATH: &str = "/organizations/oauth2/v2.0/devicecode";
const TOKEN_PATH: &str = "/organizations/oauth2/v2.0/token";
const DEVICE_GRANT: &str = "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Adevice_code";
const MESSAGE: &str = "To sign in, use a web browser to open the page \
    https://microsoft.com/devicelogin and enter the code ABCD-1234 to authenticate.";

type Prompts = Arc<Mutex<Vec<DevicePrompt>>>;

/// Credentials against `server` whose prompts land in the returned list.
fn credentials(server: &MockServer) -> (DeviceCodeCredentials, Prompts) {
    let prompts = Prompts::default();
    let seen = prompts.clone();
    let credentials = DeviceCodeCredentials::new("organizations", "app-id", ["User.Read"])
        .authority_host(server.uri())
        .on_prompt(move |prompt| seen.lock().unwrap().push(prompt.clone()));
    (credentials, prompts)
}

fn client(server: &MockServer, credentials: DeviceCodeCredentials) -> Client {
    Client::builder()
        .base_url(server.uri())
        .token_provider(credentials)
        .build()
        .unwrap()
}

/// The device code endpoint hands out `device_code` (polled without waiting), `times` times.
async fn device_code(server: &MockServer, device_code: &str, times: u64) {
    Mock::given(method("POST"))
        .and(path(DEVICE_PATH))
        .and(body_string_contains("client_id=app-id"))
        .and(body_string_contains("scope=User.Read+offline_access"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "device_code": device_code,
            "user_code": "ABCD-1234",
            "verification_uri": "https://microsoft.com/devicelogin",
            "expires_in": 900,
            "interval": 0,
            "message": MESSAGE,
        })))
        .up_to_n_times(times)
        .expect(times)
        .mount(server)
        .await;
}

fn token(access: &str, expires_in: u64, refresh: Option<&str>) -> ResponseTemplate {
    let mut body = json!({
        "token_type": "Bearer", "scope": "User.Read", "expires_in": expires_in,
        "ext_expires_in": expires_in, "access_token": access,
    });
    if let Some(refresh) = refresh {
        body["refresh_token"] = json!(refresh);
    }
    ResponseTemplate::new(200).set_body_json(body)
}

fn oauth_error(status: u16, code: &str, description: &str) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_json(json!({
        "error": code, "error_description": description,
    }))
}

/// The token endpoint answers the polls for `device_code` with `answer`, `times` times.
async fn poll_answers(
    server: &MockServer,
    device_code: &str,
    answer: ResponseTemplate,
    times: u64,
) {
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .and(body_string_contains(DEVICE_GRANT))
        .and(body_string_contains(format!("device_code={device_code}")))
        .and(body_string_contains("client_id=app-id"))
        .respond_with(answer)
        .up_to_n_times(times)
        .expect(times)
        .mount(server)
        .await;
}

/// The token endpoint answers the refresh grant with `refresh` with `answer`, once.
async fn refresh_answers(server: &MockServer, refresh: &str, answer: ResponseTemplate) {
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .and(body_string_contains("grant_type=refresh_token"))
        .and(body_string_contains(format!("refresh_token={refresh}")))
        .and(body_string_contains("client_id=app-id"))
        .and(body_string_contains("scope=User.Read+offline_access"))
        .respond_with(answer)
        .up_to_n_times(1)
        .expect(1)
        .mount(server)
        .await;
}

#[tokio::test]
async fn the_device_flow_prompts_once_polls_until_signed_in_and_the_token_serves_requests() {
    let server = MockServer::start().await;
    device_code(&server, "dev-1", 1).await;
    poll_answers(
        &server,
        "dev-1",
        oauth_error(400, "authorization_pending", "AADSTS70016: pending"),
        1,
    )
    .await;
    poll_answers(&server, "dev-1", token("at-1", 3600, Some("rt-1")), 1).await;
    graph_answers(&server, "at-1", 6).await;
    let (credentials, prompts) = credentials(&server);
    let client = client(&server, credentials);
    get(&client).await.unwrap();
    get(&client).await.unwrap();
    // Concurrent requests with a token at hand start no flow either.
    let many: Vec<_> = (0..4).map(|_| get(&client)).collect();
    for r in futures::future::join_all(many).await {
        r.unwrap();
    }
    let prompts = prompts.lock().unwrap().clone();
    assert_eq!(prompts.len(), 1, "{prompts:?}");
    assert_eq!(prompts[0].user_code, "ABCD-1234");
    assert_eq!(prompts[0].message, MESSAGE);
    assert_eq!(
        prompts[0].verification_uri,
        "https://microsoft.com/devicelogin"
    );
    assert_eq!(prompts[0].expires_in, Duration::from_secs(900));
    // A public client: no secret anywhere.
    let sent = [
        bodies(&server, DEVICE_PATH).await,
        bodies(&server, TOKEN_PATH).await,
    ]
    .concat();
    assert_eq!(sent.len(), 3, "{sent:?}");
    assert!(
        sent.iter().all(|b| !b.contains("client_secret")),
        "{sent:?}"
    );
}

#[tokio::test]
async fn concurrent_first_requests_wait_for_one_sign_in() {
    let server = MockServer::start().await;
    device_code(&server, "dev-1", 1).await;
    poll_answers(
        &server,
        "dev-1",
        token("at-1", 3600, Some("rt-1")).set_delay(Duration::from_millis(100)),
        1,
    )
    .await;
    graph_answers(&server, "at-1", 4).await;
    let (credentials, prompts) = credentials(&server);
    let client = client(&server, credentials);
    let many: Vec<_> = (0..4).map(|_| get(&client)).collect();
    for r in futures::future::join_all(many).await {
        r.unwrap();
    }
    assert_eq!(prompts.lock().unwrap().len(), 1);
}

#[tokio::test]
async fn a_due_token_is_renewed_with_the_newest_refresh_token_without_a_new_flow() {
    let server = MockServer::start().await;
    device_code(&server, "dev-1", 1).await;
    // One-second tokens are due halfway.
    poll_answers(&server, "dev-1", token("at-1", 1, Some("rt-1")), 1).await;
    // The platform rotates the refresh token ...
    refresh_answers(&server, "rt-1", token("at-2", 1, Some("rt-2"))).await;
    // ... and the rotated one is used next; without a new one the last one is kept.
    refresh_answers(&server, "rt-2", token("at-3", 1, None)).await;
    refresh_answers(&server, "rt-2", token("at-4", 3600, None)).await;
    for bearer in ["at-1", "at-2", "at-3", "at-4"] {
        graph_answers(&server, bearer, 1).await;
    }
    let (credentials, prompts) = credentials(&server);
    let client = client(&server, credentials);
    get(&client).await.unwrap();
    for _ in 0..3 {
        tokio::time::sleep(Duration::from_millis(600)).await;
        get(&client).await.unwrap();
    }
    assert_eq!(prompts.lock().unwrap().len(), 1);
}

#[tokio::test]
async fn a_declined_sign_in_is_an_authentication_error_and_nothing_goes_to_graph() {
    let server = MockServer::start().await;
    device_code(&server, "dev-1", 1).await;
    poll_answers(
        &server,
        "dev-1",
        oauth_error(400, "authorization_pending", "AADSTS70016: pending"),
        1,
    )
    .await;
    poll_answers(
        &server,
        "dev-1",
        oauth_error(
            400,
            "authorization_declined",
            "AADSTS70000: the end user denied the authorization request",
        ),
        1,
    )
    .await;
    graph_answers(&server, "never", 0).await;
    let (credentials, prompts) = credentials(&server);
    let client = client(&server, credentials);
    let err = get(&client).await.unwrap_err();
    assert_eq!(authentication_code(&err), Some("authorization_declined"));
    assert!(bodies(&server, "/v1.0/me").await.is_empty());
    assert!(err.to_string().contains("AADSTS70000"), "{err}");
    assert_eq!(prompts.lock().unwrap().len(), 1);
}

#[tokio::test]
async fn an_expired_code_ends_the_sign_in() {
    let server = MockServer::start().await;
    // A code that has expired by the time it is polled.
    Mock::given(method("POST"))
        .and(path(DEVICE_PATH))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "device_code": "dev-1", "user_code": "ABCD-1234",
            "verification_uri": "https://microsoft.com/devicelogin",
            "expires_in": 0, "interval": 0, "message": MESSAGE,
        })))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .respond_with(oauth_error(400, "authorization_pending", "pending"))
        .mount(&server)
        .await;
    let (credentials, _) = credentials(&server);
    let err = credentials.sign_in().await.unwrap_err();
    assert_eq!(authentication_code(&err), Some("expired_token"));
    assert!(!credentials.signed_in());
}

#[tokio::test]
async fn a_refused_refresh_token_starts_a_new_device_flow() {
    let server = MockServer::start().await;
    device_code(&server, "dev-1", 1).await;
    device_code(&server, "dev-2", 1).await;
    poll_answers(&server, "dev-1", token("at-1", 1, Some("rt-1")), 1).await;
    refresh_answers(
        &server,
        "rt-1",
        oauth_error(
            400,
            "invalid_grant",
            "AADSTS700082: The refresh token has expired due to inactivity.",
        ),
    )
    .await;
    poll_answers(&server, "dev-2", token("at-2", 3600, Some("rt-2")), 1).await;
    graph_answers(&server, "at-1", 1).await;
    graph_answers(&server, "at-2", 1).await;
    let (credentials, prompts) = credentials(&server);
    let client = client(&server, credentials);
    get(&client).await.unwrap();
    tokio::time::sleep(Duration::from_millis(600)).await;
    get(&client).await.unwrap();
    assert_eq!(prompts.lock().unwrap().len(), 2);
}

#[tokio::test]
async fn the_platforms_trouble_keeps_the_refresh_token_and_prompts_no_one() {
    let server = MockServer::start().await;
    device_code(&server, "dev-1", 1).await;
    poll_answers(&server, "dev-1", token("at-1", 1, Some("rt-1")), 1).await;
    refresh_answers(
        &server,
        "rt-1",
        oauth_error(503, "temporarily_unavailable", "AADSTS90033: try again"),
    )
    .await;
    refresh_answers(&server, "rt-1", token("at-2", 3600, Some("rt-2"))).await;
    graph_answers(&server, "at-1", 0).await;
    graph_answers(&server, "at-2", 1).await;
    let (credentials, prompts) = credentials(&server);
    credentials.sign_in().await.unwrap();
    tokio::time::sleep(Duration::from_millis(600)).await;
    let client = client(&server, credentials);
    let err = get(&client).await.unwrap_err();
    assert_eq!(authentication_code(&err), Some("temporarily_unavailable"));
    // The refresh token was kept: the next request renews with it.
    get(&client).await.unwrap();
    assert_eq!(bodies(&server, "/v1.0/me").await.len(), 1);
    assert_eq!(prompts.lock().unwrap().len(), 1);
}

#[tokio::test]
async fn sign_in_up_front_then_requests_ask_the_platform_nothing() {
    let server = MockServer::start().await;
    device_code(&server, "dev-1", 1).await;
    poll_answers(&server, "dev-1", token("at-1", 3600, Some("rt-1")), 1).await;
    graph_answers(&server, "at-1", 2).await;
    let (credentials, prompts) = credentials(&server);
    assert!(!credentials.signed_in());
    credentials.sign_in().await.unwrap();
    assert!(credentials.signed_in());
    assert_eq!(prompts.lock().unwrap().len(), 1);
    // Signing in again with a fresh token at hand asks nothing either.
    credentials.sign_in().await.unwrap();
    let shown = format!("{credentials:?}");
    for secret in ["at-1", "rt-1", "dev-1"] {
        assert!(!shown.contains(secret), "{shown}");
    }
    assert!(
        shown.contains("app-id") && shown.contains("offline_access"),
        "{shown}"
    );
    let client = client(&server, credentials);
    get(&client).await.unwrap();
    get(&client).await.unwrap();
    assert_eq!(bodies(&server, TOKEN_PATH).await.len(), 1);
    assert_eq!(bodies(&server, DEVICE_PATH).await.len(), 1);
    assert_eq!(prompts.lock().unwrap().len(), 1);
}

#[test]
fn clouds_have_their_own_authority_and_default_scope() {
    let china =
        DeviceCodeCredentials::new("common", "app", Vec::<String>::new()).cloud(Cloud::China);
    assert_eq!(
        china.device_code_url(),
        "https://login.chinacloudapi.cn/common/oauth2/v2.0/devicecode"
    );
    assert_eq!(
        china.token_url(),
        "https://login.chinacloudapi.cn/common/oauth2/v2.0/token"
    );
    let shown = format!("{china:?}");
    assert!(
        shown.contains("https://microsoftgraph.chinacloudapi.cn/.default"),
        "{shown}"
    );
    let gov = DeviceCodeCredentials::new("t", "app", ["User.Read", "offline_access"])
        .cloud(Cloud::UsGovL4);
    assert_eq!(
        gov.token_url(),
        "https://login.microsoftonline.us/t/oauth2/v2.0/token"
    );
    let shown = format!("{gov:?}");
    assert_eq!(shown.matches("offline_access").count(), 1, "{shown}");
}

#[tokio::test]
async fn a_refresh_token_kept_from_an_earlier_run_saves_the_sign_in_and_new_ones_are_handed_out() {
    let server = MockServer::start().await;
    // No device flow at all.
    Mock::given(path(DEVICE_PATH))
        .respond_with(ResponseTemplate::new(500))
        .expect(0)
        .mount(&server)
        .await;
    refresh_answers(&server, "kept-rt", token("at-1", 3600, Some("rt-2"))).await;
    graph_answers(&server, "at-1", 2).await;
    let kept = Arc::new(Mutex::new(Vec::<String>::new()));
    let seen = kept.clone();
    let (credentials, prompts) = credentials(&server);
    let credentials = credentials
        .refresh_token("kept-rt")
        .on_refresh_token(move |token| seen.lock().unwrap().push(token.to_owned()));
    assert!(credentials.signed_in());
    let client = client(&server, credentials);
    get(&client).await.unwrap();
    get(&client).await.unwrap();
    assert!(prompts.lock().unwrap().is_empty());
    // The platform rotated the refresh token: the tool is handed the new one to keep.
    assert_eq!(*kept.lock().unwrap(), ["rt-2"]);
}
