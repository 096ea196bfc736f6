//! The runtime's request building, configuration, auth and errors, against a local wiremock
//! server. No generated code is involved: the tests build `OperationInfo`/`Request` by hand,
//! exactly as generated operations do.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use graph_requests::runtime::{
    encode_segment, ApiVersion, Client, Cloud, Error, ODataQuery, OperationInfo, Request,
    StaticToken,
};
use http::Method;
use serde_json::{json, Value};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const TOKEN: &str = "very-secret-token-123";

static GET_ITEM: OperationInfo = OperationInfo {
    name: "getItem",
    version: ApiVersion::V1,
    method: Method::GET,
    paths: &["/items/{id}/content"],
    clouds: None,
};

static LIST_USERS: OperationInfo = OperationInfo {
    name: "listUsers",
    version: ApiVersion::V1,
    method: Method::GET,
    paths: &["/users"],
    clouds: None,
};

static CLOSE_SESSION: OperationInfo = OperationInfo {
    name: "closeSession",
    version: ApiVersion::V1,
    method: Method::POST,
    paths: &["/me/drive/items/{id}/workbook/closeSession"],
    clouds: Some(&[Cloud::Global]),
};

static CREATE_COPILOT_SESSION: OperationInfo = OperationInfo {
    name: "createSession",
    version: ApiVersion::Beta,
    method: Method::POST,
    paths: &["/security/securityCopilot/workspaces/{workspaceId}/sessions"],
    clouds: Some(&[Cloud::Global]),
};

fn client(server: &MockServer) -> Client {
    Client::builder()
        .base_url(server.uri())
        .bearer_token(TOKEN)
        .build()
        .unwrap()
}

#[tokio::test]
async fn path_parameter_stays_one_encoded_segment() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"ok": true})))
        .mount(&server)
        .await;
    let req = Request::new(
        &GET_ITEM,
        format!("/items/{}/content", encode_segment("a/b?c#d")),
    );
    let body: Value = client(&server).send_json(req).await.unwrap();
    assert_eq!(body, json!({"ok": true}));
    let received = server.received_requests().await.unwrap();
    assert_eq!(received.len(), 1);
    assert_eq!(received[0].url.path(), "/v1.0/items/a%2Fb%3Fc%23d/content");
    assert_eq!(received[0].url.query(), None);
    assert_eq!(received[0].url.fragment(), None);
}

#[tokio::test]
async fn query_options_are_percent_encoded_with_percent_20() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1.0/users"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"value": []})))
        .mount(&server)
        .await;
    let mut req = Request::new(&LIST_USERS, "/users".into());
    req.query("$filter", "startswith(displayName,'a b')")
        .query("$search", "\"displayName:x+y&z=1#\"")
        .odata(
            &ODataQuery::new()
                .select(["id", "displayName"])
                .top(5)
                .count(true),
        )
        .consistency_level_eventual();
    let _: Value = client(&server).send_json(req).await.unwrap();
    let received = server.received_requests().await.unwrap();
    let raw = received[0].url.query().unwrap();
    assert_eq!(
        raw,
        "$filter=startswith(displayName,%27a%20b%27)\
         &$search=%22displayName:x%2By%26z%3D1%23%22\
         &$select=id,displayName&$top=5&$count=true"
    );
    assert!(!raw.contains('+'), "a space must not travel as '+': {raw}");
    let pairs: Vec<(String, String)> = received[0].url.query_pairs().into_owned().collect();
    assert_eq!(
        pairs[0],
        ("$filter".into(), "startswith(displayName,'a b')".into())
    );
    assert_eq!(
        pairs[1],
        ("$search".into(), "\"displayName:x+y&z=1#\"".into())
    );
    assert_eq!(received[0].headers["consistencylevel"], "eventual");
}

#[tokio::test]
async fn header_with_cr_or_lf_is_rejected_and_nothing_is_sent() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(204))
        .expect(0)
        .mount(&server)
        .await;
    let client = client(&server);
    for bad in ["abc\r\nX-Injected: 1", "abc\nX", "abc\r"] {
        let mut req = Request::new(
            &CLOSE_SESSION,
            "/me/drive/items/1/workbook/closeSession".into(),
        );
        req.header("workbook-session-id", bad);
        let err = client.send_empty(req).await.unwrap_err();
        assert!(matches!(err, Error::InvalidRequest(_)), "{err:?}");
        assert!(err.to_string().contains("workbook-session-id"), "{err}");
    }
    let mut req = Request::new(
        &CLOSE_SESSION,
        "/me/drive/items/1/workbook/closeSession".into(),
    );
    req.header("X-Bad\r\nName", "v");
    assert!(matches!(
        client.send_empty(req).await,
        Err(Error::InvalidRequest(_))
    ));
    // A CR/LF in a default header fails the build.
    let built = Client::builder()
        .base_url(server.uri())
        .default_header("x-tenant", "a\r\nb")
        .build();
    assert!(matches!(built, Err(Error::InvalidRequest(_))));
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn token_is_absent_from_debug_output() {
    let server = MockServer::start().await;
    let builder = Client::builder().base_url(server.uri()).bearer_token(TOKEN);
    assert!(!format!("{builder:?}").contains(TOKEN));
    let client = builder.build().unwrap();
    let debug = format!("{client:?} {client:#?}");
    assert!(!debug.contains(TOKEN), "{debug}");
    assert!(debug.contains("redacted"), "{debug}");
    assert!(!format!("{:?}", StaticToken::new(TOKEN)).contains(TOKEN));
    // The request the runtime builds carries no token either: it is added when sending.
    let req = Request::new(&LIST_USERS, "/users".into());
    assert!(!format!("{req:?}").contains(TOKEN));
    // An Authorization header set by hand is marked sensitive.
    let mut req = Request::new(&LIST_USERS, "/users".into());
    req.header("Authorization", format!("Bearer {TOKEN}"));
    assert!(!format!("{req:?}").contains(TOKEN));
}

#[tokio::test]
async fn token_is_sent_to_the_configured_host_only_also_not_on_redirects() {
    let graph = MockServer::start().await;
    let elsewhere = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1.0/users"))
        .respond_with(
            ResponseTemplate::new(302)
                .insert_header("Location", format!("{}/landing", elsewhere.uri())),
        )
        .mount(&graph)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"value": []})))
        .mount(&elsewhere)
        .await;
    let client = client(&graph);
    let _: Value = client
        .send_json(Request::new(&LIST_USERS, "/users".into()))
        .await
        .unwrap();
    let first = &graph.received_requests().await.unwrap()[0];
    assert_eq!(first.headers["authorization"], format!("Bearer {TOKEN}"));
    let redirected = elsewhere.received_requests().await.unwrap();
    assert_eq!(redirected.len(), 1);
    assert!(redirected[0].headers.get("authorization").is_none());

    // A next link pointing at another host is followed without the token.
    Mock::given(method("GET"))
        .and(path("/v1.0/groups"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "value": [1],
            "@odata.nextLink": format!("{}/v1.0/groups?$skiptoken=x", elsewhere.uri()),
        })))
        .mount(&graph)
        .await;
    let items: Vec<Value> = client
        .stream_pages::<Value>(Request::new(&LIST_USERS, "/groups".into()))
        .collect_items()
        .await
        .unwrap_or_default();
    assert_eq!(items.first(), Some(&json!(1)));
    for r in elsewhere.received_requests().await.unwrap() {
        assert!(r.headers.get("authorization").is_none(), "{r:?}");
    }
}

#[tokio::test]
async fn cloud_availability_refuses_without_sending_unless_opted_out() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({"id": "s1"})))
        .mount(&server)
        .await;
    let us_gov = Client::builder()
        .base_url(server.uri())
        .cloud(Cloud::UsGovL4)
        .bearer_token(TOKEN)
        .build()
        .unwrap();
    let req = || {
        let mut r = Request::new(
            &CREATE_COPILOT_SESSION,
            "/security/securityCopilot/workspaces/default/sessions".into(),
        );
        r.json(&json!({"displayName": "triage"}));
        r
    };
    let err = us_gov.send_json::<Value>(req()).await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::CloudUnavailable {
                operation: "createSession",
                cloud: Cloud::UsGovL4
            }
        ),
        "{err:?}"
    );
    let msg = err.to_string();
    assert!(msg.contains("US Government L4") && msg.contains("ignore_cloud_availability"));
    assert!(server.received_requests().await.unwrap().is_empty());

    let opted_out = Client::builder()
        .base_url(server.uri())
        .cloud(Cloud::UsGovL4)
        .ignore_cloud_availability()
        .build()
        .unwrap();
    let created: Value = opted_out.send_json(req()).await.unwrap();
    assert_eq!(created["id"], "s1");
    let received = server.received_requests().await.unwrap();
    assert_eq!(received.len(), 1);
    assert_eq!(
        received[0].url.path(),
        "/beta/security/securityCopilot/workspaces/default/sessions"
    );
    assert_eq!(received[0].headers["content-type"], "application/json");

    // The Global client may call it.
    let global = client(&server);
    assert!(global.send_json::<Value>(req()).await.is_ok());
}

#[test]
fn national_clouds_have_their_service_roots() {
    let roots: Vec<_> = [Cloud::Global, Cloud::UsGovL4, Cloud::UsGovL5, Cloud::China]
        .iter()
        .map(|c| {
            Client::builder()
                .cloud(*c)
                .build()
                .unwrap()
                .base_url()
                .to_owned()
        })
        .collect();
    assert_eq!(
        roots,
        [
            "https://graph.microsoft.com",
            "https://graph.microsoft.us",
            "https://dod-graph.microsoft.us",
            "https://microsoftgraph.chinacloudapi.cn"
        ]
    );
}

#[tokio::test]
async fn api_error_carries_graph_details_and_displays_one_line() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(404)
                .insert_header("request-id", "hdr-req")
                .set_body_json(json!({"error": {
                    "code": "itemNotFound",
                    "message": "The resource could not be found.",
                    "innerError": {
                        "request-id": "req-1",
                        "client-request-id": "client-1",
                        "date": "2024-01-01T00:00:00"
                    }
                }})),
        )
        .mount(&server)
        .await;
    let err = client(&server)
        .send_empty(Request::new(
            &CLOSE_SESSION,
            "/me/drive/items/1/workbook/closeSession".into(),
        ))
        .await
        .unwrap_err();
    let api = err.api().expect("an API error");
    assert_eq!(api.status, 404);
    assert_eq!(api.code.as_deref(), Some("itemNotFound"));
    assert_eq!(
        api.message.as_deref(),
        Some("The resource could not be found.")
    );
    let inner = api.inner_error.as_ref().unwrap();
    assert_eq!(inner.request_id.as_deref(), Some("req-1"));
    assert_eq!(inner.client_request_id.as_deref(), Some("client-1"));
    assert_eq!(inner.date.as_deref(), Some("2024-01-01T00:00:00"));
    assert_eq!(api.headers["request-id"], "hdr-req");
    let line = err.to_string();
    assert!(!line.contains('\n'));
    assert_eq!(
        line,
        "Graph returned 404 Not Found itemNotFound: The resource could not be found. (request-id req-1)"
    );
}

#[tokio::test]
async fn decode_error_names_what_failed_with_a_body_snippet() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_string("<html>proxy login</html>"))
        .mount(&server)
        .await;
    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct User {
        id: String,
    }
    let err = client(&server)
        .send_json::<User>(Request::new(&LIST_USERS, "/users".into()))
        .await
        .unwrap_err();
    match &err {
        Error::Decode { what, snippet, .. } => {
            assert!(what.contains("listUsers"));
            assert_eq!(snippet, "<html>proxy login</html>");
        }
        other => panic!("{other:?}"),
    }
    assert!(err.to_string().contains("proxy login"));
}

#[tokio::test]
async fn timeout_is_its_own_error() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(5)))
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(server.uri())
        .timeout(Duration::from_millis(200))
        .build()
        .unwrap();
    let err = client
        .send_empty(Request::new(&LIST_USERS, "/users".into()))
        .await
        .unwrap_err();
    assert!(err.is_timeout(), "{err:?}");
    assert_eq!(err.to_string(), "the request for listUsers timed out");
}

#[tokio::test]
async fn transport_error_is_readable() {
    // A port nobody listens on.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let uri = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let client = Client::builder().base_url(uri).build().unwrap();
    let err = client
        .send_empty(Request::new(&LIST_USERS, "/users".into()))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Transport(_)), "{err:?}");
    assert!(
        err.to_string()
            .starts_with("could not reach Microsoft Graph"),
        "{err}"
    );
}

#[tokio::test]
async fn headers_user_agent_and_fresh_client_request_id() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(header("workbook-session-id", "sess-1"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(server.uri())
        .bearer_token(TOKEN)
        .user_agent("my-app/1.0")
        .default_header("x-tenant", "contoso")
        .build()
        .unwrap();
    for _ in 0..2 {
        let mut req = Request::new(
            &CLOSE_SESSION,
            "/me/drive/items/1/workbook/closeSession".into(),
        );
        req.header("workbook-session-id", "sess-1")
            .prefer("return=minimal");
        client.send_empty(req).await.unwrap();
    }
    let mut req = Request::new(
        &CLOSE_SESSION,
        "/me/drive/items/1/workbook/closeSession".into(),
    );
    req.header("workbook-session-id", "sess-1")
        .client_request_id("mine");
    client.send_empty(req).await.unwrap();

    let received = server.received_requests().await.unwrap();
    assert_eq!(received.len(), 3);
    let ids: Vec<String> = received
        .iter()
        .map(|r| r.headers["client-request-id"].to_str().unwrap().to_owned())
        .collect();
    assert_ne!(ids[0], ids[1]);
    assert!(uuid_like(&ids[0]) && uuid_like(&ids[1]), "{ids:?}");
    assert_eq!(ids[2], "mine");
    for r in &received {
        assert_eq!(r.headers["user-agent"], "my-app/1.0");
        assert_eq!(r.headers["x-tenant"], "contoso");
        assert_eq!(r.headers.get_all("client-request-id").iter().count(), 1);
    }
    assert_eq!(received[0].headers["prefer"], "return=minimal");
}

fn uuid_like(s: &str) -> bool {
    s.len() == 36 && s.chars().filter(|c| *c == '-').count() == 4
}

#[tokio::test]
async fn token_closure_is_asked_for_each_request() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .mount(&server)
        .await;
    let calls = Arc::new(AtomicUsize::new(0));
    let counter = calls.clone();
    let client = Client::builder()
        .base_url(server.uri())
        .token_fn(move || {
            let n = counter.fetch_add(1, Ordering::SeqCst);
            async move { Ok(format!("token-{n}")) }
        })
        .build()
        .unwrap();
    for _ in 0..2 {
        let _: Value = client
            .send_json(Request::new(&LIST_USERS, "/users".into()))
            .await
            .unwrap();
    }
    assert_eq!(calls.load(Ordering::SeqCst), 2);
    let received = server.received_requests().await.unwrap();
    assert_eq!(received[0].headers["authorization"], "Bearer token-0");
    assert_eq!(received[1].headers["authorization"], "Bearer token-1");
}

#[tokio::test]
async fn raw_requests_use_the_builder_api_version_and_clients_are_shareable() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/beta/me"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": "me"})))
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(format!("{}/", server.uri()))
        .api_version(ApiVersion::Beta)
        .build()
        .unwrap();
    let tasks: Vec<_> = (0..4)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move {
                client
                    .send_json::<Value>(client.request(Method::GET, "me"))
                    .await
            })
        })
        .collect();
    for t in tasks {
        assert_eq!(t.await.unwrap().unwrap()["id"], "me");
    }
}

#[tokio::test]
async fn a_client_configured_for_a_user_sends_me_for_that_user() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1.0/users/4a1b%2F2c/messages"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"value": []})))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1.0/messages"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"value": []})))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(server.uri())
        .me_as_user("4a1b/2c")
        .build()
        .unwrap();
    assert_eq!(client.me_path(), Some("/users/4a1b%2F2c"));
    for path in ["/me/messages", "/messages"] {
        let page: Value = client
            .send_json(client.request(Method::GET, path))
            .await
            .unwrap();
        assert_eq!(page, json!({"value": []}));
    }
}

#[test]
fn public_types_are_send_sync_and_errors_box_into_std_error() {
    fn send_sync<T: Send + Sync + 'static>() {}
    fn send<T: Send + 'static>() {}
    send_sync::<Client>();
    send_sync::<Error>();
    send_sync::<graph_requests::runtime::ClientBuilder>();
    send::<graph_requests::runtime::PageStream<Value>>();
    send::<graph_requests::runtime::LongRunning<Value>>();
    send::<Request>();
    let boxed: Box<dyn std::error::Error + Send + Sync> =
        Box::new(Error::InvalidRequest("x".into()));
    assert_eq!(boxed.to_string(), "invalid request: x");
}

static UPDATE_TASK: OperationInfo = OperationInfo {
    name: "updateTask",
    version: ApiVersion::V1,
    method: Method::PATCH,
    paths: &["/planner/tasks/{id}"],
    clouds: None,
};

#[tokio::test]
async fn a_representation_is_asked_for_once_and_decoded() {
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .and(header("prefer", "return=representation"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": "t1", "title": "x"})))
        .mount(&server)
        .await;
    let c = client(&server);
    let task: Value = c
        .send_representation(Request::new(&UPDATE_TASK, "/planner/tasks/t1".to_owned()))
        .await
        .unwrap();
    assert_eq!(task["title"], "x");
    // Already asked for by the caller: not asked twice.
    let mut req = Request::new(&UPDATE_TASK, "/planner/tasks/t1".to_owned());
    req.prefer("return=representation");
    let _: Value = c.send_representation(req).await.unwrap();
    for r in server.received_requests().await.unwrap() {
        let prefer: Vec<_> = r.headers.get_all("prefer").iter().collect();
        assert_eq!(prefer, ["return=representation"]);
    }
    // Without the header the mock answers 404: the header is what the server saw.
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}

/// A derived type of the test: `Cast` needs only its name and a way to decode it.
#[derive(Debug, serde::Deserialize)]
struct Gizmo {
    id: String,
}

impl graph_requests::models::GraphType for Gizmo {
    const ODATA_TYPE: &'static str = "microsoft.graph.gizmo";
}

#[tokio::test]
async fn a_cast_puts_the_type_segment_after_the_path_and_decodes_the_derived_type() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1.0/users/microsoft.graph.gizmo"))
        .and(wiremock::matchers::query_param("$top", "2"))
        .and(wiremock::matchers::query_param("$select", "id"))
        .and(header("ConsistencyLevel", "eventual"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({ "value": [{ "id": "g1" }] })),
        )
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1.0/users/microsoft.graph.gizmo/$count"))
        .and(header("ConsistencyLevel", "eventual"))
        .respond_with(ResponseTemplate::new(200).set_body_string("7"))
        .expect(1)
        .mount(&server)
        .await;
    let client = client(&server);
    let list = || {
        let mut req = Request::new(&LIST_USERS, "/users".to_owned());
        req.query("$top", "2");
        req
    };
    let page = graph_requests::runtime::Cast::<Gizmo>::new(client.clone(), list())
        .query("$select", "id")
        .header("ConsistencyLevel", "eventual")
        .send()
        .await
        .unwrap();
    assert_eq!(page.value.len(), 1);
    assert_eq!(page.value[0].id, "g1");
    let count = graph_requests::runtime::Cast::<Gizmo>::new(client.clone(), list())
        .send_count()
        .await
        .unwrap();
    assert_eq!(count, 7);
}

#[test]
fn options_set_after_a_cast_go_into_its_request() {
    let server_less = Client::builder()
        .base_url("http://127.0.0.1:9")
        .bearer_token(TOKEN)
        .build()
        .unwrap();
    let mut list = Request::new(&LIST_USERS, "/users".to_owned());
    list.query("$top", "2");
    let req = graph_requests::runtime::Cast::<Gizmo>::new(server_less, list)
        .query("$select", "id")
        .header("ConsistencyLevel", "eventual")
        .into_request();
    assert_eq!(req.path(), "/users/microsoft.graph.gizmo");
    assert_eq!(
        req.query_pairs(),
        [
            ("$top".to_owned(), "2".to_owned()),
            ("$select".to_owned(), "id".to_owned())
        ]
    );
}

#[test]
fn a_segment_goes_before_a_query_string_written_into_the_path() {
    let mut req = Request::new(&LIST_USERS, "/users?$filter=x".to_owned());
    req.push_segment("microsoft.graph.gizmo");
    assert_eq!(req.path(), "/users/microsoft.graph.gizmo?$filter=x");
}
