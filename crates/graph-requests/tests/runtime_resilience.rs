//! Retries, paging and long-running operations of the runtime, against a local wiremock
//! server. Waits are asserted with real (small) delays and generous bounds.

use std::time::{Duration, Instant, SystemTime};

use futures::StreamExt;
use graph_requests::runtime::{
    ApiVersion, Client, Error, LroPolicy, OperationInfo, Page, Request, RetryPolicy,
};
use http::Method;
use serde::Deserialize;
use serde_json::{json, Value};
use wiremock::matchers::{header, method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

static LIST_ITEMS: OperationInfo = OperationInfo {
    name: "listItems",
    version: ApiVersion::V1,
    method: Method::GET,
    paths: &["/items"],
    clouds: None,
};

static UPLOAD: OperationInfo = OperationInfo {
    name: "upload",
    version: ApiVersion::V1,
    method: Method::PUT,
    paths: &["/items/{id}/content"],
    clouds: None,
};

static CREATE_SESSION: OperationInfo = OperationInfo {
    name: "createSession",
    version: ApiVersion::V1,
    method: Method::POST,
    paths: &["/me/drive/items/{id}/workbook/createSession"],
    clouds: None,
};

fn client_with(server: &MockServer, retry: RetryPolicy) -> Client {
    Client::builder()
        .base_url(server.uri())
        .bearer_token("t")
        .retry_policy(retry)
        .lro_policy(
            LroPolicy::default()
                .with_poll_interval(Duration::from_millis(10))
                .with_max_wait(Duration::from_secs(20)),
        )
        .build()
        .unwrap()
}

fn client(server: &MockServer) -> Client {
    client_with(
        server,
        RetryPolicy::default().with_base_delay(Duration::from_millis(10)),
    )
}

fn list() -> Request {
    Request::new(&LIST_ITEMS, "/items".into())
}

async fn ok_after(server: &MockServer, first: ResponseTemplate, times: u64) {
    Mock::given(method("GET"))
        .respond_with(first)
        .up_to_n_times(times)
        .with_priority(1)
        .mount(server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"value": [1]})))
        .with_priority(2)
        .mount(server)
        .await;
}

#[tokio::test]
async fn retry_after_delta_seconds_is_honoured() {
    let server = MockServer::start().await;
    ok_after(
        &server,
        ResponseTemplate::new(429).insert_header("Retry-After", "1"),
        1,
    )
    .await;
    let start = Instant::now();
    let page: Page<i32> = client(&server).send_page(list()).await.unwrap();
    let waited = start.elapsed();
    assert_eq!(page.value, [1]);
    assert!(waited >= Duration::from_secs(1), "waited only {waited:?}");
    assert!(waited < Duration::from_secs(10), "waited {waited:?}");
    let received = server.received_requests().await.unwrap();
    assert_eq!(received.len(), 2);
    assert!(received[0].headers.get("retry-attempt").is_none());
    assert_eq!(received[1].headers["retry-attempt"], "1");
    // The same logical request keeps its client-request-id across attempts.
    assert_eq!(
        received[0].headers["client-request-id"],
        received[1].headers["client-request-id"]
    );
}

#[tokio::test]
async fn retry_after_http_date_is_honoured() {
    let server = MockServer::start().await;
    let when = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(2));
    ok_after(
        &server,
        ResponseTemplate::new(503).insert_header("Retry-After", when.as_str()),
        1,
    )
    .await;
    let start = Instant::now();
    let page: Page<i32> = client(&server).send_page(list()).await.unwrap();
    let waited = start.elapsed();
    assert_eq!(page.value, [1]);
    // The date has one-second resolution: the wait is between one and two seconds.
    assert!(
        waited >= Duration::from_millis(900),
        "waited only {waited:?}"
    );
    assert!(waited < Duration::from_secs(10), "waited {waited:?}");
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}

#[tokio::test]
async fn backoff_without_retry_after_then_success() {
    let server = MockServer::start().await;
    ok_after(&server, ResponseTemplate::new(504), 2).await;
    let retry = RetryPolicy::default().with_base_delay(Duration::from_millis(100));
    let start = Instant::now();
    let page: Page<i32> = client_with(&server, retry).send_page(list()).await.unwrap();
    // Two backoffs of at least 50 ms and 100 ms (equal jitter on 100 ms, 200 ms).
    assert!(start.elapsed() >= Duration::from_millis(150));
    assert_eq!(page.value, [1]);
    let received = server.received_requests().await.unwrap();
    assert_eq!(received.len(), 3);
    assert_eq!(received[2].headers["retry-attempt"], "2");
}

#[tokio::test]
async fn retries_stop_at_the_attempt_bound() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(503)
                .insert_header("Retry-After", "0")
                .set_body_json(
                    json!({"error": {"code": "serviceNotAvailable", "message": "busy"}}),
                ),
        )
        .mount(&server)
        .await;
    let retry = RetryPolicy::default().with_max_attempts(3);
    let err = client_with(&server, retry)
        .send_page::<i32>(list())
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(http::StatusCode::SERVICE_UNAVAILABLE));
    assert_eq!(
        err.api().unwrap().code.as_deref(),
        Some("serviceNotAvailable")
    );
    let received = server.received_requests().await.unwrap();
    assert_eq!(received.len(), 3);
    assert_eq!(received[2].headers["retry-attempt"], "2");
}

#[tokio::test]
async fn retries_stop_at_the_total_delay_bound() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "30"))
        .mount(&server)
        .await;
    let retry = RetryPolicy::default().with_max_total_delay(Duration::from_secs(1));
    let start = Instant::now();
    let err = client_with(&server, retry)
        .send_page::<i32>(list())
        .await
        .unwrap_err();
    assert!(start.elapsed() < Duration::from_secs(5));
    assert_eq!(err.status(), Some(http::StatusCode::TOO_MANY_REQUESTS));
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

#[tokio::test]
async fn other_errors_are_not_retried() {
    let server = MockServer::start().await;
    ok_after(&server, ResponseTemplate::new(500), 1).await;
    let err = client(&server).send_page::<i32>(list()).await.unwrap_err();
    assert_eq!(err.status(), Some(http::StatusCode::INTERNAL_SERVER_ERROR));
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

#[tokio::test]
async fn byte_bodies_are_replayed_and_streamed_bodies_are_not_retried() {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .respond_with(ResponseTemplate::new(503).insert_header("Retry-After", "0"))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("PUT"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": "f"})))
        .with_priority(2)
        .mount(&server)
        .await;
    let client = client(&server);
    let mut req = Request::new(&UPLOAD, "/items/1/content".into());
    req.bytes("text/plain", "hello");
    assert!(req.is_replayable());
    let _: Value = client.send_json(req).await.unwrap();
    let received = server.received_requests().await.unwrap();
    assert_eq!(received.len(), 2);
    assert_eq!(received[0].body, b"hello");
    assert_eq!(received[1].body, b"hello");
    assert_eq!(received[1].headers["content-type"], "text/plain");

    server.reset().await;
    Mock::given(method("PUT"))
        .respond_with(ResponseTemplate::new(503).insert_header("Retry-After", "0"))
        .mount(&server)
        .await;
    let chunks: Vec<Result<&'static str, std::io::Error>> = vec![Ok("hel"), Ok("lo")];
    let mut req = Request::new(&UPLOAD, "/items/1/content".into());
    req.stream(
        "text/plain",
        reqwest::Body::wrap_stream(futures::stream::iter(chunks)),
    );
    assert!(!req.is_replayable());
    let err = client.send_json::<Value>(req).await.unwrap_err();
    assert_eq!(err.status(), Some(http::StatusCode::SERVICE_UNAVAILABLE));
    let received = server.received_requests().await.unwrap();
    assert_eq!(received.len(), 1);
    assert_eq!(received[0].body, b"hello");
}

async fn three_pages(server: &MockServer) {
    let base = server.uri();
    Mock::given(method("GET"))
        .and(path("/v1.0/items"))
        .and(query_param("$top", "2"))
        .and(query_param_is_missing("$skiptoken"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "@odata.context": "ctx",
            "@odata.count": 5,
            "value": [1, 2],
            "@odata.nextLink": format!("{base}/v1.0/items?$top=2&$skiptoken=p2"),
        })))
        .mount(server)
        .await;
    Mock::given(method("GET"))
        .and(query_param("$skiptoken", "p2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "value": [3, 4],
            "@odata.nextLink": format!("{base}/v1.0/items?$top=2&$skiptoken=p3"),
        })))
        .mount(server)
        .await;
    Mock::given(method("GET"))
        .and(query_param("$skiptoken", "p3"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "value": [5],
            "@odata.deltaLink": format!("{base}/v1.0/items/delta?$deltatoken=d"),
        })))
        .mount(server)
        .await;
}

fn first_page_request() -> Request {
    let mut req = list();
    req.query("$top", "2").consistency_level_eventual();
    req
}

#[tokio::test]
async fn send_page_decodes_one_page() {
    let server = MockServer::start().await;
    three_pages(&server).await;
    let page: Page<i32> = client(&server)
        .send_page(first_page_request())
        .await
        .unwrap();
    assert_eq!(page.value, [1, 2]);
    assert_eq!(page.count, Some(5));
    assert_eq!(page.context.as_deref(), Some("ctx"));
    assert!(page.next_link.unwrap().ends_with("$skiptoken=p2"));
    assert_eq!(page.delta_link, None);
}

#[tokio::test]
async fn a_delta_round_streams_from_its_link_to_the_next_delta_link() {
    let server = MockServer::start().await;
    three_pages(&server).await;
    let client = client(&server);
    // Resumed at the second page's link: the second and third pages, with the token.
    let link = format!("{}/v1.0/items?$top=2&$skiptoken=p2", server.uri());
    let pages: Vec<Page<i32>> = client
        .stream_pages_from::<i32>(link)
        .map(|p| p.unwrap())
        .collect()
        .await;
    let values: Vec<Vec<i32>> = pages.iter().map(|p| p.value.clone()).collect();
    assert_eq!(values, [vec![3, 4], vec![5]]);
    assert!(pages[1]
        .delta_link
        .as_deref()
        .unwrap()
        .ends_with("$deltatoken=d"));
    let received = server.received_requests().await.unwrap();
    assert_eq!(received.len(), 2);
    assert!(received
        .iter()
        .all(|r| r.headers["authorization"] == "Bearer t"));
}

#[tokio::test]
async fn paging_follows_next_links_across_three_pages_lazily() {
    let server = MockServer::start().await;
    three_pages(&server).await;
    let client = client(&server);
    let mut pages = client.stream_pages::<i32>(first_page_request());
    // Nothing is sent before the stream is polled.
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert!(server.received_requests().await.unwrap().is_empty());

    let first = pages.next().await.unwrap().unwrap();
    assert_eq!(first.value, [1, 2]);
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
    let second = pages.next().await.unwrap().unwrap();
    assert_eq!(second.value, [3, 4]);
    let third = pages.next().await.unwrap().unwrap();
    assert_eq!(third.value, [5]);
    assert!(third.is_last());
    assert!(third.delta_link.unwrap().ends_with("$deltatoken=d"));
    assert!(pages.next().await.is_none());

    let received = server.received_requests().await.unwrap();
    assert_eq!(received.len(), 3);
    for r in &received {
        assert_eq!(r.headers["consistencylevel"], "eventual");
        assert_eq!(r.headers["authorization"], "Bearer t");
    }
    assert_ne!(
        received[0].headers["client-request-id"],
        received[1].headers["client-request-id"]
    );

    let items: Vec<i32> = client
        .stream_items::<i32>(first_page_request())
        .map(Result::unwrap)
        .collect()
        .await;
    assert_eq!(items, [1, 2, 3, 4, 5]);
}

#[tokio::test]
async fn paging_retries_a_throttled_page_and_ends_on_an_error() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(query_param("$skiptoken", "p2"))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "0"))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    three_pages(&server).await;
    let items = client(&server)
        .stream_pages::<i32>(first_page_request())
        .collect_items()
        .await
        .unwrap();
    assert_eq!(items, [1, 2, 3, 4, 5]);
    assert_eq!(server.received_requests().await.unwrap().len(), 4);

    server.reset().await;
    Mock::given(method("GET"))
        .and(query_param("$skiptoken", "p2"))
        .respond_with(ResponseTemplate::new(403))
        .with_priority(1)
        .mount(&server)
        .await;
    three_pages(&server).await;
    let results: Vec<_> = client(&server)
        .stream_pages::<i32>(first_page_request())
        .collect()
        .await;
    assert_eq!(results.len(), 2);
    assert!(results[0].is_ok());
    assert_eq!(
        results[1].as_ref().unwrap_err().status(),
        Some(http::StatusCode::FORBIDDEN)
    );
}

#[derive(Debug, Deserialize, PartialEq)]
struct SessionInfo {
    id: String,
    #[serde(rename = "persistChanges")]
    persist_changes: bool,
}

fn create_session() -> Request {
    let mut req = Request::new(
        &CREATE_SESSION,
        "/me/drive/items/01ABC/workbook/createSession".into(),
    );
    req.json(&json!({"persistChanges": true}));
    req
}

async fn accepted(server: &MockServer) {
    Mock::given(method("POST"))
        .and(path("/v1.0/me/drive/items/01ABC/workbook/createSession"))
        .and(header("prefer", "respond-async"))
        .respond_with(ResponseTemplate::new(202).insert_header(
            "Location",
            format!(
                "{}/v1.0/me/drive/items/01ABC/workbook/operations/op1",
                server.uri()
            ),
        ))
        .mount(server)
        .await;
}

#[tokio::test]
async fn long_running_operation_polls_to_success_and_fetches_the_resource() {
    let server = MockServer::start().await;
    accepted(&server).await;
    let ops = "/v1.0/me/drive/items/01ABC/workbook/operations/op1";
    Mock::given(method("GET"))
        .and(path(ops))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"id": "op1", "status": "notStarted"})),
        )
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(ops))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("Retry-After", "1")
                .set_body_json(json!({"id": "op1", "status": "running"})),
        )
        .up_to_n_times(1)
        .with_priority(2)
        .mount(&server)
        .await;
    let resource = format!(
        "{}/v1.0/me/drive/items/01ABC/workbook/sessionInfoResource(key='abc')",
        server.uri()
    );
    Mock::given(method("GET"))
        .and(path(ops))
        .respond_with(ResponseTemplate::new(200).set_body_json(
            json!({"id": "op1", "status": "succeeded", "resourceLocation": resource}),
        ))
        .with_priority(3)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(
            "/v1.0/me/drive/items/01ABC/workbook/sessionInfoResource(key='abc')",
        ))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"id": "session-1", "persistChanges": true})),
        )
        .mount(&server)
        .await;

    let client = client(&server);
    let op = client
        .send_lro::<SessionInfo>(create_session())
        .await
        .unwrap();
    assert!(!op.is_complete());
    assert!(op.location().unwrap().ends_with("/operations/op1"));
    let start = Instant::now();
    let session = op.wait().await.unwrap();
    assert!(
        start.elapsed() >= Duration::from_secs(1),
        "Retry-After of the status response was not honoured"
    );
    assert_eq!(
        session,
        SessionInfo {
            id: "session-1".into(),
            persist_changes: true
        }
    );
    let received = server.received_requests().await.unwrap();
    // POST, three polls, the resource.
    assert_eq!(received.len(), 5, "{received:#?}");
    assert_eq!(received[0].body, br#"{"persistChanges":true}"#);
    assert!(received
        .iter()
        .all(|r| r.headers["authorization"] == "Bearer t"));
}

#[tokio::test]
async fn long_running_operation_polls_to_failure() {
    let server = MockServer::start().await;
    accepted(&server).await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "id": "op1",
            "status": "failed",
            "error": {"code": "internalServerError", "message": "could not create the session"}
        })))
        .mount(&server)
        .await;
    let err = client(&server)
        .send_lro::<SessionInfo>(create_session())
        .await
        .unwrap()
        .wait()
        .await
        .unwrap_err();
    match &err {
        Error::OperationFailed(f) => {
            assert_eq!(f.operation, "createSession");
            assert_eq!(f.code.as_deref(), Some("internalServerError"));
            assert_eq!(f.body["status"], "failed");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        err.to_string(),
        "long-running operation createSession failed with internalServerError: could not create the session"
    );
}

#[tokio::test]
async fn long_running_operation_polling_is_bounded() {
    let server = MockServer::start().await;
    accepted(&server).await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"status": "running"})))
        .mount(&server)
        .await;
    let op = client(&server)
        .send_lro::<SessionInfo>(create_session())
        .await
        .unwrap();
    let policy = LroPolicy::default()
        .with_poll_interval(Duration::from_millis(5))
        .with_max_polls(3);
    let err = op.wait_with(&policy).await.unwrap_err();
    assert!(err.is_timeout(), "{err:?}");
    // POST and three polls.
    assert_eq!(server.received_requests().await.unwrap().len(), 4);
}

#[tokio::test]
async fn long_running_operation_answered_directly_is_complete() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(201).set_body_json(json!({"id": "s", "persistChanges": false})),
        )
        .mount(&server)
        .await;
    let op = client(&server)
        .send_lro::<SessionInfo>(create_session())
        .await
        .unwrap();
    assert!(op.is_complete());
    assert_eq!(op.wait().await.unwrap().id, "s");
    assert_eq!(server.received_requests().await.unwrap().len(), 1);

    // 202 without a Location is an error, not a hang.
    server.reset().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(202))
        .mount(&server)
        .await;
    let err = client(&server)
        .send_lro::<SessionInfo>(create_session())
        .await
        .unwrap_err();
    assert!(matches!(err, Error::UnexpectedResponse { .. }), "{err:?}");
}

/// OneNote's copies and print's `create` answer `202` with `Operation-Location`, not
/// `Location`, and report `Completed` (capitalised) when done.
#[tokio::test]
async fn long_running_operation_polls_operation_location() {
    let server = MockServer::start().await;
    let ops = "/v1.0/me/onenote/operations/copy-1";
    Mock::given(method("POST"))
        .and(header("prefer", "respond-async"))
        .respond_with(
            ResponseTemplate::new(202)
                .insert_header("Operation-Location", format!("{}{ops}", server.uri())),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(ops))
        .respond_with(ResponseTemplate::new(200).set_body_json(
            json!({"id": "session-2", "status": "Completed", "persistChanges": false}),
        ))
        .mount(&server)
        .await;
    let op = client(&server)
        .send_lro::<SessionInfo>(create_session())
        .await
        .unwrap();
    assert_eq!(
        op.location(),
        Some(format!("{}{ops}", server.uri()).as_str())
    );
    let done = op.wait().await.unwrap();
    assert_eq!(done.id, "session-2");
    assert!(!done.persist_changes);
}

/// Print's operations report `status` as an object whose `state` is the word.
#[tokio::test]
async fn long_running_status_may_be_an_object_with_a_state() {
    let server = MockServer::start().await;
    let ops = "/v1.0/print/operations/op-9";
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(202)
                .insert_header("Operation-Location", format!("{}{ops}", server.uri())),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(ops))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "id": "op-9",
            "status": {"state": "processing", "description": "Registering"},
        })))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(ops))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "id": "op-9",
            "status": {"state": "failed", "description": "Certificate rejected"},
        })))
        .with_priority(2)
        .mount(&server)
        .await;
    let op = client(&server)
        .send_lro::<SessionInfo>(create_session())
        .await
        .unwrap();
    let first = op.status().await.unwrap().unwrap();
    assert_eq!(first.status, "processing");
    assert!(!first.is_succeeded() && !first.is_failed());
    let err = op.wait().await.unwrap_err();
    assert!(matches!(err, Error::OperationFailed(_)), "{err:?}");
}
