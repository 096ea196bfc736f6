//! The authorization code grant with PKCE (`runtime::AuthorizationCodeCredentials`) against a
//! local wiremock server that plays the identity platform's token endpoint and Graph.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use graph_requests::runtime::{AuthorizationCodeCredentials, AuthorizationRequest};
use graph_requests::Client;
use serde_json::json;
use wiremock::matchers::{body_string_contains, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

mod identity;
use identity::{authentication_code, bodies, get, graph_answers};

const TOKEN_PATH: &str = "/organizations/oauth2/v2.0/token";
const REDIRECT: &str = "http://localhost:8400/signed-in";

type Kept = Arc<Mutex<Vec<String>>>;

/// A web app's credentials against `server`; the refresh tokens it is handed land in the list.
fn credentials(server: &MockServer) -> (AuthorizationCodeCredentials, Kept) {
    let kept = Kept::default();
    let seen = kept.clone();
    let credentials =
        AuthorizationCodeCredentials::new("organizations", "app-id", REDIRECT, ["User.Read"])
            .client_secret("s3cret")
            .authority_host(server.uri())
            .on_refresh_token(move |token| seen.lock().unwrap().push(token.to_owned()));
    (credentials, kept)
}

fn client(server: &MockServer, credentials: AuthorizationCodeCredentials) -> Client {
    Client::builder()
        .base_url(server.uri())
        .token_provider(credentials)
        .build()
        .unwrap()
}

fn token(access: &str, expires_in: u64, refresh: &str) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({
        "token_type": "Bearer", "scope": "User.Read", "expires_in": expires_in,
        "access_token": access, "refresh_token": refresh,
    }))
}

fn query(url: &str) -> HashMap<String, String> {
    reqwest::Url::parse(url)
        .unwrap()
        .query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

#[tokio::test]
async fn the_sign_in_page_asks_for_a_code_with_a_pkce_challenge_and_a_fresh_state() {
    let server = MockServer::start().await;
    let (credentials, _) = credentials(&server);
    let request = credentials.authorize().unwrap();
    assert!(
        request.url().starts_with(&format!(
            "{}/organizations/oauth2/v2.0/authorize?",
            server.uri()
        )),
        "{}",
        request.url()
    );
    let q = query(request.url());
    assert_eq!(q["response_type"], "code");
    assert_eq!(q["client_id"], "app-id");
    assert_eq!(q["redirect_uri"], REDIRECT);
    assert_eq!(q["scope"], "User.Read offline_access");
    assert_eq!(q["code_challenge_method"], "S256");
    assert_eq!(q["code_challenge"].len(), 43, "{q:?}");
    assert_eq!(q["state"], request.state());
    // No secret and no verifier in the browser's address or in `Debug` (the stored form of
    // the request holds the verifier, for the exchange).
    let stored = serde_json::to_value(&request).unwrap();
    let verifier = stored["verifier"].as_str().unwrap();
    assert!((43..=128).contains(&verifier.len()), "{verifier}");
    let debug = format!("{request:?} {credentials:?}");
    for shown in [request.url(), debug.as_str()] {
        assert!(
            !shown.contains("s3cret") && !shown.contains(verifier),
            "{shown}"
        );
    }
    // Each sign-in its own state and challenge.
    let again = query(credentials.authorize().unwrap().url());
    assert_ne!(again["state"], q["state"]);
    assert_ne!(again["code_challenge"], q["code_challenge"]);
}

#[tokio::test]
async fn the_code_is_exchanged_with_the_verifier_and_the_token_serves_requests_and_is_renewed() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .and(body_string_contains("grant_type=authorization_code"))
        .and(body_string_contains("code=the-code"))
        .and(body_string_contains("code_verifier="))
        .and(body_string_contains("client_secret=s3cret"))
        .and(body_string_contains(
            "redirect_uri=http%3A%2F%2Flocalhost%3A8400%2Fsigned-in",
        ))
        // Renewed at once: a life of 2 s is due halfway.
        .respond_with(token("at-1", 2, "rt-1"))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .and(body_string_contains("grant_type=refresh_token"))
        .and(body_string_contains("refresh_token=rt-1"))
        .and(body_string_contains("client_secret=s3cret"))
        .and(body_string_contains("scope=User.Read+offline_access"))
        .respond_with(token("at-2", 3600, "rt-2"))
        .expect(1)
        .mount(&server)
        .await;
    graph_answers(&server, "at-1", 1).await;
    graph_answers(&server, "at-2", 2).await;

    let (credentials, kept) = credentials(&server);
    let request = credentials.authorize().unwrap();
    // A web app keeps the request in its session between the two requests of the browser.
    let stored = serde_json::to_string(&request).unwrap();
    let request: AuthorizationRequest = serde_json::from_str(&stored).unwrap();
    assert!(!credentials.signed_in());
    credentials
        .sign_in_with_code(&request, "the-code", request.state())
        .await
        .unwrap();
    assert!(credentials.signed_in());
    let client = client(&server, credentials);
    get(&client).await.unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    get(&client).await.unwrap();
    get(&client).await.unwrap();
    // Each new refresh token went to the app, once.
    assert_eq!(*kept.lock().unwrap(), ["rt-1", "rt-2"]);
    // The verifier sent is the one whose challenge the sign-in page got (RFC 7636: 43 to 128
    // characters), and it appeared nowhere else.
    let bodies = bodies(&server, TOKEN_PATH).await;
    let verifier = bodies[0]
        .split('&')
        .find_map(|p| p.strip_prefix("code_verifier="))
        .unwrap();
    assert!((43..=128).contains(&verifier.len()), "{verifier}");
    assert!(!request.url().contains(verifier));
    use base64::Engine as _;
    use sha2::Digest as _;
    let challenge = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .encode(sha2::Sha256::digest(verifier.as_bytes()));
    assert_eq!(query(request.url())["code_challenge"], challenge);
}

#[tokio::test]
async fn a_redirect_with_another_state_is_refused_without_asking_the_platform() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .respond_with(token("at-1", 3600, "rt-1"))
        .expect(0)
        .mount(&server)
        .await;
    let (credentials, _) = credentials(&server);
    let request = credentials.authorize().unwrap();
    let err = credentials
        .sign_in_with_code(&request, "the-code", "forged")
        .await
        .unwrap_err();
    assert_eq!(authentication_code(&err), Some("invalid_state"));
    assert!(!credentials.signed_in());
}

#[tokio::test]
async fn requests_before_a_sign_in_or_after_a_refused_refresh_token_need_the_user() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .and(body_string_contains("refresh_token=kept-rt"))
        .respond_with(token("at-9", 3600, "rt-9"))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    graph_answers(&server, "at-9", 1).await;

    // Nobody signed in: no request goes anywhere.
    let (fresh, _) = credentials(&server);
    let err = get(&client(&server, fresh)).await.unwrap_err();
    assert_eq!(authentication_code(&err), Some("interaction_required"));

    // A refresh token kept from an earlier run serves without a sign-in.
    let (returning, kept) = credentials(&server);
    let returning = returning.refresh_token("kept-rt");
    assert!(returning.signed_in());
    get(&client(&server, returning)).await.unwrap();
    assert_eq!(*kept.lock().unwrap(), ["rt-9"]);

    // A refused refresh token: the user has to sign in again.
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .respond_with(ResponseTemplate::new(400).set_body_json(json!({
            "error": "invalid_grant", "error_description": "AADSTS70008: expired",
        })))
        .expect(1)
        .mount(&server)
        .await;
    let (expired, _) = credentials(&server);
    let err = get(&client(&server, expired.refresh_token("old-rt")))
        .await
        .unwrap_err();
    assert_eq!(authentication_code(&err), Some("interaction_required"));
}
