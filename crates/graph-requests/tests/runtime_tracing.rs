//! The `tracing` span of a request, alone in its test binary: `tracing` caches per call site
//! whether anyone listens, so a thread-local subscriber next to concurrently running tests
//! would see spans only sometimes.

use std::sync::{Arc, Mutex};

use graph_requests::runtime::{encode_segment, ApiVersion, Client, OperationInfo, Request};
use http::Method;
use serde_json::{json, Value};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

const TOKEN: &str = "very-secret-token-123";

static GET_ITEM: OperationInfo = OperationInfo {
    name: "getItem",
    version: ApiVersion::V1,
    method: Method::GET,
    paths: &["/items/{id}/content"],
    clouds: None,
};

fn client(server: &MockServer) -> Client {
    Client::builder()
        .base_url(server.uri())
        .bearer_token(TOKEN)
        .build()
        .unwrap()
}

/// A minimal `tracing` subscriber that writes every span field and event field it sees.
struct Recorder(Arc<Mutex<String>>);

struct Visitor<'a>(&'a mut String);

impl tracing::field::Visit for Visitor<'_> {
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        self.0.push_str(&format!("{}={:?} ", field.name(), value));
    }
}

impl tracing::Subscriber for Recorder {
    fn enabled(&self, _: &tracing::Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, span: &tracing::span::Attributes<'_>) -> tracing::span::Id {
        let mut out = self.0.lock().unwrap();
        out.push_str(&format!("\nspan {} ", span.metadata().name()));
        span.record(&mut Visitor(&mut out));
        tracing::span::Id::from_u64(1)
    }
    fn record(&self, _: &tracing::span::Id, values: &tracing::span::Record<'_>) {
        values.record(&mut Visitor(&mut self.0.lock().unwrap()));
    }
    fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}
    fn event(&self, event: &tracing::Event<'_>) {
        let mut out = self.0.lock().unwrap();
        out.push_str("\nevent ");
        event.record(&mut Visitor(&mut out));
    }
    fn enter(&self, _: &tracing::span::Id) {}
    fn exit(&self, _: &tracing::span::Id) {}
}

#[tokio::test]
async fn tracing_spans_carry_the_template_status_and_attempt_but_no_secrets() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .mount(&server)
        .await;
    let log = Arc::new(Mutex::new(String::new()));
    let _guard = tracing::subscriber::set_default(Recorder(log.clone()));
    let client = client(&server);
    let mut req = Request::new(
        &GET_ITEM,
        format!("/items/{}/content", encode_segment("secret-item-id")),
    );
    req.query("$filter", "mail eq 'someone@example.com'");
    let _: Value = client.send_json(req).await.unwrap();
    let log = log.lock().unwrap().clone();
    assert!(log.contains("span graph_request"), "{log}");
    assert!(log.contains("operation=\"getItem\""), "{log}");
    assert!(log.contains("method=GET"), "{log}");
    assert!(log.contains("path=/items/{id}/content"), "{log}");
    assert!(log.contains("attempt=1"), "{log}");
    assert!(log.contains("status=200"), "{log}");
    assert!(!log.contains(TOKEN), "{log}");
    assert!(!log.contains("secret-item-id"), "{log}");
    assert!(!log.contains("someone@example.com"), "{log}");
}
