//! Large-file uploads through an upload session, against a local wiremock server that plays
//! the session as `driveitem-createuploadsession.md` and `attachment-createuploadsession.md`
//! describe it: it takes byte ranges in order, answers `202 Accepted` with
//! `nextExpectedRanges` until the file is whole, then `201 Created`.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use graph_requests::runtime::{Client, Error, RetryPolicy, UPLOAD_FRAGMENT_UNIT};
use serde::Deserialize;
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

const SESSION: &str = "/up/session-1";

/// What the session has received, and how it misbehaves.
#[derive(Default)]
struct State {
    total: Option<u64>,
    bytes: Vec<u8>,
    puts: u32,
    /// The PUTs (1-based) answered `500` without taking their bytes.
    fail_puts: Vec<u32>,
    /// Outlook attachments: next ranges as `"start"`, and a final answer without a body.
    outlook: bool,
    /// Every `PUT` answered `202` asking for the start again.
    stuck: bool,
}

#[derive(Clone, Default)]
struct Session(Arc<Mutex<State>>);

impl Session {
    fn next_ranges(state: &State) -> serde_json::Value {
        let start = state.bytes.len();
        if state.outlook {
            json!([start.to_string()])
        } else {
            json!([format!("{start}-")])
        }
    }
}

impl Respond for Session {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let mut state = self.0.lock().unwrap();
        match request.method.as_str() {
            "GET" => ResponseTemplate::new(200).set_body_json(json!({
                "expirationDateTime": "2030-01-01T00:00:00Z",
                "nextExpectedRanges": Session::next_ranges(&state),
            })),
            "PUT" => {
                state.puts += 1;
                if state.fail_puts.contains(&state.puts) {
                    return ResponseTemplate::new(500)
                        .set_body_json(json!({"error": {"code": "generalException"}}));
                }
                if state.stuck {
                    return ResponseTemplate::new(202)
                        .set_body_json(json!({"nextExpectedRanges": ["0-"]}));
                }
                let range = request.headers["content-range"]
                    .to_str()
                    .unwrap()
                    .to_owned();
                let (span, total) = range
                    .strip_prefix("bytes ")
                    .unwrap()
                    .split_once('/')
                    .unwrap();
                let (start, end) = span.split_once('-').unwrap();
                let (start, end): (usize, usize) = (start.parse().unwrap(), end.parse().unwrap());
                let total: u64 = total.parse().unwrap();
                assert_eq!(
                    *state.total.get_or_insert(total),
                    total,
                    "the total never changes"
                );
                assert_eq!(
                    end + 1 - start,
                    request.body.len(),
                    "Content-Range matches the body"
                );
                if start != state.bytes.len() {
                    return ResponseTemplate::new(416);
                }
                state.bytes.extend_from_slice(&request.body);
                if (state.bytes.len() as u64) < total {
                    return ResponseTemplate::new(202).set_body_json(json!({
                        "expirationDateTime": "2030-01-01T00:00:00Z",
                        "nextExpectedRanges": Session::next_ranges(&state),
                    }));
                }
                if state.outlook {
                    ResponseTemplate::new(201)
                        .insert_header("Location", "https://outlook.example/attachments/1")
                } else {
                    ResponseTemplate::new(201).set_body_json(json!({
                        "id": "01ITEM", "name": "large.bin", "size": total, "file": {}
                    }))
                }
            }
            "DELETE" => ResponseTemplate::new(204),
            _ => ResponseTemplate::new(405),
        }
    }
}

#[derive(Debug, Deserialize)]
struct Item {
    id: String,
    size: u64,
}

async fn serve(state: State) -> (MockServer, Session) {
    let server = MockServer::start().await;
    let session = Session(Arc::new(Mutex::new(state)));
    Mock::given(path(SESSION))
        .respond_with(session.clone())
        .mount(&server)
        .await;
    (server, session)
}

fn client(server: &MockServer) -> Client {
    Client::builder()
        .base_url(server.uri())
        .bearer_token("graph-token")
        .retry_policy(RetryPolicy::default().with_base_delay(Duration::from_millis(5)))
        .build()
        .unwrap()
}

/// A file of `len` bytes that differ from one position to the next.
fn file(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i * 31 % 251) as u8).collect()
}

#[tokio::test]
async fn uploads_whole_units_in_order_without_the_token() {
    let (server, session) = serve(State::default()).await;
    let data = file(3 * UPLOAD_FRAGMENT_UNIT + 100);
    let url = format!("{}{SESSION}?tempauthtoken=abc", server.uri());
    let done = client(&server)
        .large_file_upload(url)
        .fragment_size(UPLOAD_FRAGMENT_UNIT)
        .upload::<Item>(data.clone())
        .await
        .unwrap();
    assert_eq!(done.resource.id, "01ITEM");
    assert_eq!(done.resource.size, data.len() as u64);
    assert_eq!(session.0.lock().unwrap().bytes, data);

    let puts = server.received_requests().await.unwrap();
    let ranges: Vec<&str> = puts
        .iter()
        .map(|r| r.headers["content-range"].to_str().unwrap())
        .collect();
    let unit = UPLOAD_FRAGMENT_UNIT;
    let total = data.len();
    assert_eq!(
        ranges,
        [
            format!("bytes 0-{}/{total}", unit - 1),
            format!("bytes {unit}-{}/{total}", 2 * unit - 1),
            format!("bytes {}-{}/{total}", 2 * unit, 3 * unit - 1),
            format!("bytes {}-{}/{total}", 3 * unit, total - 1),
        ]
    );
    // The upload URL is on the client's own host here, and still no token goes with it.
    assert!(puts
        .iter()
        .all(|r| !r.headers.contains_key("authorization")));
    assert!(puts
        .iter()
        .all(|r| r.url.query() == Some("tempauthtoken=abc")));
}

#[tokio::test]
async fn resumes_from_what_the_session_is_missing_after_a_server_error() {
    let (server, session) = serve(State {
        fail_puts: vec![2],
        ..Default::default()
    })
    .await;
    let data = file(2 * UPLOAD_FRAGMENT_UNIT + 7);
    let done = client(&server)
        .large_file_upload(format!("{}{SESSION}", server.uri()))
        .fragment_size(UPLOAD_FRAGMENT_UNIT)
        .upload_from::<Item, _>(std::io::Cursor::new(data.clone()), data.len() as u64)
        .await
        .unwrap();
    assert_eq!(done.resource.size, data.len() as u64);
    assert_eq!(session.0.lock().unwrap().bytes, data);
    let methods: Vec<String> = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(|r| r.method.to_string())
        .collect();
    // The second fragment failed: the status was asked, and the fragment sent again.
    assert_eq!(methods, ["PUT", "PUT", "GET", "PUT", "PUT"]);
}

#[tokio::test]
async fn outlook_sessions_answer_with_a_location_and_bare_offsets() {
    let (server, session) = serve(State {
        outlook: true,
        ..Default::default()
    })
    .await;
    let data = file(UPLOAD_FRAGMENT_UNIT * 5 / 2);
    let done = client(&server)
        .large_file_upload(format!("{}{SESSION}", server.uri()))
        .fragment_size(UPLOAD_FRAGMENT_UNIT)
        .upload::<()>(data.clone())
        .await
        .unwrap();
    assert_eq!(
        done.location.as_deref(),
        Some("https://outlook.example/attachments/1")
    );
    assert_eq!(session.0.lock().unwrap().bytes, data);
}

#[tokio::test]
async fn a_session_that_takes_nothing_ends_in_an_error() {
    let (server, session) = serve(State {
        stuck: true,
        ..Default::default()
    })
    .await;
    let err = client(&server)
        .large_file_upload(format!("{}{SESSION}", server.uri()))
        .fragment_size(UPLOAD_FRAGMENT_UNIT)
        .max_resumes(2)
        .upload::<Item>(file(2 * UPLOAD_FRAGMENT_UNIT))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::UnexpectedResponse { .. }), "{err:?}");
    // The first PUT, then one per allowed resume; the answer to the last one gives up.
    assert_eq!(session.0.lock().unwrap().puts, 3);
}

#[tokio::test]
async fn a_client_error_is_not_resumed() {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .respond_with(ResponseTemplate::new(409).set_body_json(json!({
            "error": {"code": "nameAlreadyExists", "message": "taken"}
        })))
        .mount(&server)
        .await;
    let err = client(&server)
        .large_file_upload(format!("{}{SESSION}", server.uri()))
        .upload::<Item>(file(10))
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(http::StatusCode::CONFLICT));
    assert_eq!(
        err.api().unwrap().code.as_deref(),
        Some("nameAlreadyExists")
    );
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

#[tokio::test]
async fn status_and_cancel_go_to_the_session_url_without_the_token() {
    let (server, _session) = serve(State::default()).await;
    let upload = client(&server).large_file_upload(format!("{}{SESSION}", server.uri()));
    let status = upload.status().await.unwrap();
    assert_eq!(status.next_offset(), Some(0));
    assert_eq!(status.next_expected_ranges, ["0-"]);
    upload.cancel().await.unwrap();
    let requests = server.received_requests().await.unwrap();
    let methods: Vec<&str> = requests.iter().map(|r| r.method.as_str()).collect();
    assert_eq!(methods, ["GET", "DELETE"]);
    assert!(requests
        .iter()
        .all(|r| !r.headers.contains_key("authorization")));
    let empty = client(&server)
        .large_file_upload(format!("{}{SESSION}", server.uri()))
        .upload::<Item>(Vec::new())
        .await
        .unwrap_err();
    assert!(matches!(empty, Error::InvalidRequest(_)), "{empty:?}");
}
