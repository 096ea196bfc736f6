//! JSON batching (`POST /$batch`) against a local wiremock server: the wire format of the
//! items, answers in any order, items that fail or are throttled on their own, and batches
//! larger than the 20 requests Graph takes at once.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use graph_requests::runtime::{
    ApiVersion, Batch, Client, Cloud, Error, OperationInfo, Request, RetryPolicy,
};
use http::{Method, StatusCode};
use serde::Deserialize;
use serde_json::{json, Value};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Respond, ResponseTemplate};

static GET_THING: OperationInfo = OperationInfo {
    name: "getThing",
    version: ApiVersion::V1,
    method: Method::GET,
    paths: &["/things/{id}"],
    clouds: None,
};

static CHINA_ONLY: OperationInfo = OperationInfo {
    name: "chinaOnly",
    version: ApiVersion::V1,
    method: Method::GET,
    paths: &["/china"],
    clouds: Some(&[Cloud::China]),
};

fn client_with(server: &MockServer, retry: RetryPolicy) -> Client {
    Client::builder()
        .base_url(server.uri())
        .bearer_token("t")
        .retry_policy(retry)
        .build()
        .unwrap()
}

fn client(server: &MockServer) -> Client {
    client_with(
        server,
        RetryPolicy::default().with_base_delay(Duration::from_millis(1)),
    )
}

fn get(client: &Client, path: &str) -> Request {
    client.request(Method::GET, path)
}

/// The `requests` of every `POST /$batch` the server received, in order.
async fn batches(server: &MockServer) -> Vec<Vec<Value>> {
    server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(|r| {
            assert_eq!(r.method.as_str(), "POST");
            assert_eq!(r.url.path(), "/v1.0/$batch");
            let body: Value = r.body_json().unwrap();
            body["requests"].as_array().unwrap().clone()
        })
        .collect()
}

fn ids(requests: &[Value]) -> Vec<&str> {
    requests.iter().map(|r| r["id"].as_str().unwrap()).collect()
}

/// Answers every item with 200 and `{"id": .., "url": ..}`, last item first.
struct Echo;

impl Respond for Echo {
    fn respond(&self, request: &wiremock::Request) -> ResponseTemplate {
        let body: Value = request.body_json().unwrap();
        let responses: Vec<Value> = body["requests"]
            .as_array()
            .unwrap()
            .iter()
            .rev()
            .map(|item| {
                json!({
                    "id": item["id"],
                    "status": 200,
                    "headers": { "Content-Type": "application/json" },
                    "body": { "id": item["id"], "url": item["url"] }
                })
            })
            .collect();
        ResponseTemplate::new(200).set_body_json(json!({ "responses": responses }))
    }
}

async fn mount(server: &MockServer, respond: impl Respond + 'static) {
    Mock::given(method("POST"))
        .and(path("/v1.0/$batch"))
        .respond_with(respond)
        .mount(server)
        .await;
}

async fn mount_answers(server: &MockServer, responses: Value) {
    mount(
        server,
        ResponseTemplate::new(200).set_body_json(json!({ "responses": responses })),
    )
    .await;
}

#[tokio::test]
async fn the_batch_body_carries_ids_methods_urls_headers_bodies_and_dependencies() {
    let server = MockServer::start().await;
    mount(&server, Echo).await;
    let client = client(&server);
    let mut batch = client.batch();

    let mut list = get(&client, "/me/messages");
    list.query("$top", "1")
        .query("$filter", "subject eq 'a b'")
        .prefer("outlook.body-content-type=\"text\"")
        .consistency_level_eventual();
    let list = batch.add(list).unwrap();

    let mut create = client.request(Method::POST, "/me/drive/root/children");
    create.json(&json!({ "name": "Reports", "folder": {} }));
    let create = batch.add_after(create, &[list]).unwrap();

    let mut upload = client.request(Method::PUT, "/me/drive/root:/a.txt:/content");
    upload.bytes("text/plain", &b"hello"[..]);
    let upload = batch.add_after(upload, &[list, create]).unwrap();

    let thing = batch
        .add(Request::new(&GET_THING, "/things/x%2Fy?$select=id".into()))
        .unwrap();
    assert_eq!(
        [list, create, upload, thing].map(|id| id.to_string()),
        ["1", "2", "3", "4"]
    );
    assert_eq!(batch.len(), 4);
    let answers = batch.send().await.unwrap();

    let received = server.received_requests().await.unwrap();
    assert_eq!(received.len(), 1);
    assert_eq!(received[0].headers["authorization"], "Bearer t");
    assert!(received[0].headers["content-type"]
        .to_str()
        .unwrap()
        .starts_with("application/json"));
    let requests = &batches(&server).await[0];
    assert_eq!(
        *requests,
        vec![
            json!({
                "id": "1",
                "method": "GET",
                "url": "/me/messages?$top=1&$filter=subject%20eq%20%27a%20b%27",
                "headers": {
                    "prefer": "outlook.body-content-type=\"text\"",
                    "consistencylevel": "eventual"
                }
            }),
            json!({
                "id": "2",
                "method": "POST",
                "url": "/me/drive/root/children",
                "headers": { "content-type": "application/json" },
                "body": { "name": "Reports", "folder": {} },
                "dependsOn": ["1"]
            }),
            json!({
                "id": "3",
                "method": "PUT",
                "url": "/me/drive/root:/a.txt:/content",
                "headers": { "content-type": "text/plain" },
                "body": "aGVsbG8=",
                "dependsOn": ["1", "2"]
            }),
            json!({ "id": "4", "method": "GET", "url": "/things/x%2Fy?$select=id" }),
        ]
    );
    for id in [list, create, upload, thing] {
        assert_eq!(answers.status(id), Some(StatusCode::OK));
    }
}

#[tokio::test]
async fn an_as_user_client_routes_me_inside_the_items() {
    let server = MockServer::start().await;
    mount(&server, Echo).await;
    let client = client(&server).as_user("adele@contoso.com");
    let mut batch = client.batch();
    let me = batch.add(get(&client, "/me")).unwrap();
    let drive = batch.add(get(&client, "/me/drive?$select=id")).unwrap();
    let messages = batch.add(get(&client, "/messages/me")).unwrap();
    let answers = batch.send().await.unwrap();
    let urls: Vec<String> = [me, drive, messages]
        .map(|id| {
            answers.json::<Value>(id).unwrap()["url"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .into();
    assert_eq!(
        urls,
        [
            "/users/adele@contoso.com",
            "/users/adele@contoso.com/drive?$select=id",
            "/messages/me"
        ]
    );
}

#[derive(Debug, Deserialize, PartialEq)]
struct Thing {
    id: String,
    size: u64,
}

#[derive(Debug, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
struct Person {
    display_name: String,
}

#[tokio::test]
async fn answers_in_any_order_decode_into_their_own_types() {
    let server = MockServer::start().await;
    mount_answers(
        &server,
        json!([
            { "id": "3", "status": 204, "body": null },
            { "id": "2", "status": 200, "headers": { "Content-Type": "application/json; odata.metadata=minimal" },
              "body": { "displayName": "Adele" } },
            { "id": "4", "status": 200, "headers": { "Content-Type": "image/png" }, "body": "iVBORw0=" },
            { "id": "1", "status": 200, "headers": { "Content-Type": "application/json", "ETag": "\"e1\"" },
              "body": { "id": "t1", "size": 42 } }
        ]),
    )
    .await;
    let client = client(&server);
    let mut batch = client.batch();
    let thing = batch
        .add(Request::new(&GET_THING, "/things/t1".into()))
        .unwrap();
    let person = batch.add(get(&client, "/me")).unwrap();
    let delete = batch
        .add(client.request(Method::DELETE, "/things/t2"))
        .unwrap();
    let photo = batch.add(get(&client, "/me/photo/$value")).unwrap();
    let answers = batch.send().await.unwrap();

    assert_eq!(
        answers.json::<Thing>(thing).unwrap(),
        Thing {
            id: "t1".into(),
            size: 42
        }
    );
    assert_eq!(answers.headers(thing).unwrap()["etag"], "\"e1\"");
    assert_eq!(
        answers.json::<Person>(person).unwrap(),
        Person {
            display_name: "Adele".into()
        }
    );
    assert_eq!(answers.status(delete), Some(StatusCode::NO_CONTENT));
    answers.empty(delete).unwrap();
    answers.json::<()>(delete).unwrap();
    assert_eq!(answers.json::<Option<Thing>>(delete).unwrap(), None);
    assert_eq!(&answers.bytes(photo).unwrap()[..], b"\x89PNG\r".as_slice());
    // A JSON answer as bytes is its JSON text.
    let text = answers.bytes(person).unwrap();
    assert_eq!(
        serde_json::from_slice::<Value>(&text).unwrap(),
        json!({ "displayName": "Adele" })
    );
    // A body that is not the documented type is a decode error naming the item.
    let err = answers.json::<Person>(thing).unwrap_err();
    assert!(matches!(err, Error::Decode { .. }), "{err:?}");
    assert!(
        err.to_string().contains("getThing (batch request 1)"),
        "{err}"
    );
}

#[cfg(feature = "users")]
#[tokio::test]
async fn generated_operations_are_batched_and_decode_into_models() {
    use graph_requests::models::v1::User;
    use graph_requests::v1::users::GetUserPath;

    let server = MockServer::start().await;
    mount(&server, |request: &wiremock::Request| {
        let body: Value = request.body_json().unwrap();
        let urls: Vec<&str> = body["requests"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["url"].as_str().unwrap())
            .collect();
        assert_eq!(urls, ["/me?$select=displayName", "/users/u%2F1"]);
        ResponseTemplate::new(200).set_body_json(json!({ "responses": [
            { "id": "2", "status": 200, "body": { "id": "u/1", "displayName": "Bob" } },
            { "id": "1", "status": 200, "body": { "id": "me", "displayName": "Adele" } }
        ]}))
    })
    .await;
    let client = client(&server);
    let mut batch = client.batch();
    let users = client.v1().users();
    let me = batch
        .add(
            users
                .get_user(GetUserPath::me())
                .select("displayName")
                .into_request(),
        )
        .unwrap();
    let bob = batch
        .add(users.get_user(GetUserPath::users("u/1")).into_request())
        .unwrap();
    let answers = batch.send().await.unwrap();
    let me: User = answers.json(me).unwrap();
    let bob: User = answers.json(bob).unwrap();
    assert_eq!(me.display_name.as_deref(), Some("Adele"));
    assert_eq!(bob.id.as_deref(), Some("u/1"));
}

#[tokio::test]
async fn an_item_that_fails_is_an_api_error_while_the_others_succeed() {
    let server = MockServer::start().await;
    mount_answers(
        &server,
        json!([
            { "id": "1", "status": 404,
              "headers": { "Content-Type": "application/json", "request-id": "r-1" },
              "body": { "error": { "code": "itemNotFound", "message": "The resource could not be found." } } },
            { "id": "2", "status": 200, "body": { "id": "t2", "size": 1 } },
            { "id": "3", "status": 424,
              "body": { "error": { "code": "FailedDependency", "message": "dependency failed" } } }
        ]),
    )
    .await;
    let client = client(&server);
    let mut batch = client.batch();
    let missing = batch
        .add(Request::new(&GET_THING, "/things/nope".into()))
        .unwrap();
    let found = batch
        .add(Request::new(&GET_THING, "/things/t2".into()))
        .unwrap();
    let dependent = batch
        .add_after(client.request(Method::DELETE, "/things/nope"), &[missing])
        .unwrap();
    let answers = batch.send().await.unwrap();

    let err = answers.json::<Thing>(missing).unwrap_err();
    assert_eq!(err.status(), Some(StatusCode::NOT_FOUND));
    let api = err.api().unwrap();
    assert_eq!(api.code.as_deref(), Some("itemNotFound"));
    assert_eq!(
        api.message.as_deref(),
        Some("The resource could not be found.")
    );
    assert_eq!(api.request_id(), Some("r-1"));
    assert!(err.to_string().contains("itemNotFound"), "{err}");
    assert_eq!(
        answers.empty(missing).unwrap_err().status(),
        Some(StatusCode::NOT_FOUND)
    );
    assert_eq!(answers.json::<Thing>(found).unwrap().id, "t2");
    let err = answers.empty(dependent).unwrap_err();
    assert_eq!(err.status(), Some(StatusCode::FAILED_DEPENDENCY));
    assert_eq!(err.api().unwrap().code.as_deref(), Some("FailedDependency"));

    // An id of another batch has no answer here.
    let other = client
        .batch()
        .add(get(&client, "/me"))
        .map(|id| (id, id.to_string()))
        .unwrap();
    assert_eq!(other.1, "1");
    assert_eq!(answers.status(other.0), None);
    let err = answers.json::<Value>(other.0).unwrap_err();
    assert!(matches!(err, Error::InvalidRequest(_)), "{err:?}");
}

/// First answers item 1 with 200 and item 2 with `429, Retry-After: 0`, then everything
/// with 200.
struct ThrottleOnce {
    calls: AtomicUsize,
}

impl Respond for ThrottleOnce {
    fn respond(&self, request: &wiremock::Request) -> ResponseTemplate {
        let call = self.calls.fetch_add(1, Ordering::SeqCst);
        let body: Value = request.body_json().unwrap();
        let responses: Vec<Value> = body["requests"]
            .as_array()
            .unwrap()
            .iter()
            .map(|item| {
                if call == 0 && item["id"] == "2" {
                    json!({ "id": "2", "status": 429, "headers": { "Retry-After": "0" },
                            "body": { "error": { "code": "TooManyRequests" } } })
                } else {
                    json!({ "id": item["id"], "status": 200, "body": { "call": call } })
                }
            })
            .collect();
        ResponseTemplate::new(200).set_body_json(json!({ "responses": responses }))
    }
}

#[tokio::test]
async fn an_item_throttled_on_its_own_is_sent_again_in_a_follow_up_batch() {
    let server = MockServer::start().await;
    mount(
        &server,
        ThrottleOnce {
            calls: AtomicUsize::new(0),
        },
    )
    .await;
    let client = client(&server);
    let mut batch = client.batch();
    let first = batch.add(get(&client, "/things/1")).unwrap();
    let mut write = client.request(Method::PATCH, "/things/2");
    write.json(&json!({ "size": 2 }));
    let second = batch.add_after(write, &[first]).unwrap();
    let third = batch.add(get(&client, "/things/3")).unwrap();
    let answers = batch.send().await.unwrap();

    let sent = batches(&server).await;
    assert_eq!(sent.len(), 2, "{sent:?}");
    assert_eq!(ids(&sent[0]), ["1", "2", "3"]);
    // Only the throttled item again, without its (already answered) dependency.
    assert_eq!(
        sent[1],
        vec![json!({
            "id": "2",
            "method": "PATCH",
            "url": "/things/2",
            "headers": { "content-type": "application/json" },
            "body": { "size": 2 }
        })]
    );
    assert_eq!(answers.json::<Value>(first).unwrap(), json!({ "call": 0 }));
    assert_eq!(answers.json::<Value>(second).unwrap(), json!({ "call": 1 }));
    assert_eq!(answers.json::<Value>(third).unwrap(), json!({ "call": 0 }));
}

#[tokio::test]
async fn an_item_throttled_every_time_keeps_its_last_answer_within_the_policy() {
    let server = MockServer::start().await;
    mount(&server, |request: &wiremock::Request| {
        let body: Value = request.body_json().unwrap();
        let responses: Vec<Value> = body["requests"]
            .as_array()
            .unwrap()
            .iter()
            .map(|item| {
                json!({ "id": item["id"], "status": 503,
                        "body": { "error": { "code": "serviceNotAvailable" } } })
            })
            .collect();
        ResponseTemplate::new(200).set_body_json(json!({ "responses": responses }))
    })
    .await;
    let client = client_with(
        &server,
        RetryPolicy::default()
            .with_max_attempts(3)
            .with_base_delay(Duration::from_millis(1)),
    );
    let mut batch = client.batch();
    let id = batch.add(get(&client, "/things/1")).unwrap();
    let answers = batch.send().await.unwrap();
    assert_eq!(batches(&server).await.len(), 3);
    let err = answers.json::<Value>(id).unwrap_err();
    assert_eq!(err.status(), Some(StatusCode::SERVICE_UNAVAILABLE));
    assert_eq!(
        err.api().unwrap().code.as_deref(),
        Some("serviceNotAvailable")
    );
}

#[tokio::test]
async fn a_throttled_item_that_others_depend_on_is_not_sent_again() {
    let server = MockServer::start().await;
    mount_answers(
        &server,
        json!([
            { "id": "1", "status": 429, "headers": { "Retry-After": "0" },
              "body": { "error": { "code": "TooManyRequests" } } },
            { "id": "2", "status": 424, "body": { "error": { "code": "FailedDependency" } } }
        ]),
    )
    .await;
    let client = client(&server);
    let mut batch = client.batch();
    let first = batch.add(get(&client, "/things/1")).unwrap();
    let second = batch
        .add_after(get(&client, "/things/2"), &[first])
        .unwrap();
    let answers = batch.send().await.unwrap();
    assert_eq!(batches(&server).await.len(), 1);
    assert_eq!(answers.status(first), Some(StatusCode::TOO_MANY_REQUESTS));
    assert_eq!(answers.status(second), Some(StatusCode::FAILED_DEPENDENCY));
}

#[tokio::test]
async fn the_batch_post_itself_is_retried_when_throttled() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(503).insert_header("Retry-After", "0"))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    mount(&server, Echo).await;
    let client = client(&server);
    let mut batch = client.batch();
    let id = batch.add(get(&client, "/things/1")).unwrap();
    let answers = batch.send().await.unwrap();
    let received = server.received_requests().await.unwrap();
    assert_eq!(received.len(), 2);
    assert_eq!(received[1].headers["retry-attempt"], "1");
    assert_eq!(answers.status(id), Some(StatusCode::OK));
}

#[tokio::test]
async fn twenty_five_requests_go_out_as_twenty_and_five() {
    let server = MockServer::start().await;
    mount(&server, Echo).await;
    let client = client(&server);
    let mut batch = client.batch();
    let ids_added: Vec<_> = (1..=25)
        .map(|n| batch.add(get(&client, &format!("/things/{n}"))).unwrap())
        .collect();
    let answers = batch.send().await.unwrap();

    let sent = batches(&server).await;
    assert_eq!(sent.len(), 2);
    let want: Vec<String> = (1..=20).map(|n| n.to_string()).collect();
    assert_eq!(ids(&sent[0]), want);
    assert_eq!(ids(&sent[1]), ["21", "22", "23", "24", "25"]);
    for (n, id) in (1..=25).zip(ids_added) {
        let body: Value = answers.json(id).unwrap();
        assert_eq!(body["url"], format!("/things/{n}"));
    }
}

#[tokio::test]
async fn dependent_requests_stay_in_one_batch_and_too_large_groups_are_refused() {
    let server = MockServer::start().await;
    mount(&server, Echo).await;
    let client = client(&server);

    // 18 independent, then a chain of 3: the chain moves to the second batch whole.
    let mut batch = client.batch();
    for n in 1..=18 {
        batch.add(get(&client, &format!("/things/{n}"))).unwrap();
    }
    let a = batch.add(get(&client, "/things/a")).unwrap();
    let b = batch.add_after(get(&client, "/things/b"), &[a]).unwrap();
    batch.add_after(get(&client, "/things/c"), &[b]).unwrap();
    batch.send().await.unwrap();
    let sent = batches(&server).await;
    assert_eq!(sent.iter().map(Vec::len).collect::<Vec<_>>(), [18, 3]);
    assert_eq!(sent[1][2]["dependsOn"], json!(["20"]));

    // A chain of 21 cannot be sent at all, and nothing is.
    server.reset().await;
    mount(&server, Echo).await;
    let mut batch = client.batch();
    let mut previous = batch.add(get(&client, "/things/0")).unwrap();
    for n in 1..21 {
        previous = batch
            .add_after(get(&client, &format!("/things/{n}")), &[previous])
            .unwrap();
    }
    let err = batch.send().await.unwrap_err();
    assert!(matches!(err, Error::InvalidRequest(_)), "{err:?}");
    assert!(server.received_requests().await.unwrap().is_empty());
}

fn refused(batch: &mut Batch, request: Request) -> Error {
    let err = batch.add(request).unwrap_err();
    assert_eq!(batch.len(), 0, "a refused request must not be added");
    err
}

#[test]
fn requests_that_cannot_be_batched_are_refused_when_added() {
    let client = Client::builder().bearer_token("t").build().unwrap();
    let mut batch = client.batch();

    let mut streamed = client.request(Method::PUT, "/me/drive/root:/a.bin:/content");
    streamed.stream("application/octet-stream", reqwest::Body::from("abc"));
    let err = refused(&mut batch, streamed);
    assert!(matches!(err, Error::InvalidRequest(_)), "{err:?}");
    assert!(err.to_string().contains("streamed"), "{err}");

    let mut invalid = get(&client, "/me");
    invalid.header("workbook-session-id", "a\r\nb");
    let err = refused(&mut batch, invalid);
    assert!(matches!(err, Error::InvalidRequest(_)), "{err:?}");

    let mut not_json = client.request(Method::POST, "/things");
    not_json.bytes("application/json", &b"{not json"[..]);
    let err = refused(&mut batch, not_json);
    assert!(matches!(err, Error::InvalidRequest(_)), "{err:?}");

    let err = refused(&mut batch, Request::new(&CHINA_ONLY, "/china".into()));
    assert!(
        matches!(
            err,
            Error::CloudUnavailable {
                operation: "chinaOnly",
                cloud: Cloud::Global
            }
        ),
        "{err:?}"
    );
    let lenient = Client::builder()
        .ignore_cloud_availability()
        .build()
        .unwrap();
    lenient
        .batch()
        .add(Request::new(&CHINA_ONLY, "/china".into()))
        .unwrap();

    // The first request decides the version of the batch.
    let v1 = batch.add(get(&client, "/me")).unwrap();
    let mut beta = get(&client, "/me");
    beta.set_version(ApiVersion::Beta);
    let err = batch.add(beta).unwrap_err();
    assert!(matches!(err, Error::InvalidRequest(_)), "{err:?}");
    assert!(err.to_string().contains("beta"), "{err}");

    // A dependency must be a request of this batch.
    let mut other = client.batch();
    other.add(get(&client, "/a")).unwrap();
    let foreign = other.add(get(&client, "/b")).unwrap();
    let err = batch
        .add_after(get(&client, "/me/drive"), &[foreign])
        .unwrap_err();
    assert!(matches!(err, Error::InvalidRequest(_)), "{err:?}");
    assert!(err.to_string().contains("request 2"), "{err}");
    assert_eq!(batch.len(), 1);
    let next = batch.add_after(get(&client, "/me/drive"), &[v1]).unwrap();
    assert_eq!(next.to_string(), "2");
}

#[tokio::test]
async fn an_empty_batch_sends_nothing() {
    let server = MockServer::start().await;
    mount(&server, Echo).await;
    let client = client(&server);
    let batch = client.batch();
    assert!(batch.is_empty());
    batch.send().await.unwrap();
    assert!(server.received_requests().await.unwrap().is_empty());
}

/// An operation of the app's own, as the generated ones are: a request and how its answer reads.
struct Counted(Request);

impl graph_requests::runtime::Operation for Counted {
    type Answer = graph_requests::runtime::Primitive<u64>;
    fn into_request(self) -> Request {
        self.0
    }
}

struct Photo(Request);

impl graph_requests::runtime::Operation for Photo {
    type Answer = graph_requests::runtime::Content;
    fn into_request(self) -> Request {
        self.0
    }
}

#[tokio::test]
async fn operations_read_their_answers_typed_a_wrapped_value_and_content() {
    let server = MockServer::start().await;
    mount_answers(
        &server,
        json!([
            { "id": "2", "status": 200, "headers": { "Content-Type": "image/jpeg" },
              "body": "/9j/4A==" },
            { "id": "1", "status": 200, "body": { "value": 42 } },
            { "id": "3", "status": 200, "body": { "value": "not a number" } },
        ]),
    )
    .await;
    let client = client(&server);
    let mut batch = client.batch();
    let count = batch
        .add_operation(Counted(get(&client, "/users/$count")))
        .unwrap();
    let photo = batch
        .add_operation(Photo(get(&client, "/me/photo/$value")))
        .unwrap();
    let wrong = batch
        .add_operation(Counted(get(&client, "/groups/$count")))
        .unwrap();
    assert_eq!(photo.id().to_string(), "2");
    let answers = batch.send().await.unwrap();
    assert_eq!(answers.get(count).unwrap(), 42);
    assert_eq!(&answers.get(photo).unwrap()[..], &[0xff, 0xd8, 0xff, 0xe0]);
    assert!(matches!(answers.get(wrong), Err(Error::Decode { .. })));
    // An item of another batch has no answer here.
    let other = client
        .batch()
        .add_operation(Counted(get(&client, "/users/$count")))
        .unwrap();
    assert!(matches!(answers.get(other), Err(Error::InvalidRequest(_))));
}
