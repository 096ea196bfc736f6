//! One test per seed operation, against a real local HTTP server: the wire request (method,
//! path, headers, JSON body) and the decoded response.

use graph_requests::models::beta::security::security_copilot::Session;
use graph_requests::v1::workbook::CloseSessionPath;
use graph_requests::{beta, Client, Cloud, Error};
use serde_json::json;
use wiremock::matchers::{body_json, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn client(server: &MockServer) -> Client {
    Client::builder()
        .base_url(server.uri())
        .bearer_token("test-token")
        .build()
        .unwrap()
}

#[tokio::test]
async fn v1_close_session_by_item_id() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1.0/me/drive/items/item%2F1/workbook/closeSession"))
        .and(header("workbook-session-id", "session-1"))
        .and(header("authorization", "Bearer test-token"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    client(&server)
        .await
        .v1()
        .workbook()
        .close_session(CloseSessionPath::me_drive_items("item/1"), "session-1")
        .send()
        .await
        .unwrap();
}

#[tokio::test]
async fn v1_close_session_by_item_path_keeps_slashes() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(
            "/v1.0/me/drive/root:/Reports/Q1%20plan%3F.xlsx:/workbook/closeSession",
        ))
        .and(header("workbook-session-id", "s"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    client(&server)
        .await
        .v1()
        .workbook()
        .close_session(
            CloseSessionPath::me_drive_root("/Reports/Q1 plan?.xlsx"),
            "s",
        )
        .send()
        .await
        .unwrap();
}

#[tokio::test]
async fn v1_refresh_session_uses_the_reconciled_full_path() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1.0/me/drive/items/abc/workbook/refreshSession"))
        .and(header("workbook-session-id", "session-2"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    client(&server)
        .await
        .v1()
        .workbook()
        .refresh_session(
            graph_requests::v1::workbook::RefreshSessionPath::me_drive_items("abc"),
            "session-2",
        )
        .send()
        .await
        .unwrap();
}

#[tokio::test]
async fn beta_close_session() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/beta/me/drive/items/abc/workbook/closeSession"))
        .and(header("workbook-session-id", "session-3"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    client(&server)
        .await
        .beta()
        .workbook()
        .close_session(
            beta::workbook::CloseSessionPath::me_drive_items("abc"),
            "session-3",
        )
        .send()
        .await
        .unwrap();
}

#[tokio::test]
async fn beta_create_session_sends_the_parameters_and_decodes_the_session_info() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(
            "/beta/drives/d1/activities/a1/driveItem/workbook/createSession",
        ))
        .and(header("content-type", "application/json"))
        .and(body_json(
            json!({ "persistChanges": true, "commitExplicitly": false }),
        ))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "@odata.type": "#microsoft.graph.workbookSessionInfo",
            "id": "session-id",
            "persistChanges": true,
            "futureProperty": 1
        })))
        .expect(1)
        .mount(&server)
        .await;
    let info = client(&server)
        .await
        .beta()
        .workbook()
        .create_session(beta::workbook::CreateSessionPath::drives_activities(
            "d1", "a1",
        ))
        .persist_changes(true)
        .commit_explicitly(false)
        .send()
        .await
        .unwrap();
    assert_eq!(info.id.as_deref(), Some("session-id"));
    assert_eq!(info.persist_changes, Some(true));
    assert_eq!(
        info.odata_type.as_deref(),
        Some("#microsoft.graph.workbookSessionInfo")
    );
    // A property the docs do not list is kept.
    assert_eq!(info.additional_properties["futureProperty"], json!(1));
}

#[tokio::test]
async fn beta_security_copilot_create_session_decodes_all_four_fields() {
    let server = MockServer::start().await;
    // The documented 201 example of seed 003.
    let example = json!({
        "@odata.context": "https://graph.microsoft.com/beta/$metadata#security/securityCopilot/workspaces('default')/sessions/$entity",
        "id": "71a8abb6-ce18-496c-a8d4-4d0f51986c3e",
        "createdDateTime": "2025-09-17T01:03:14.07343Z",
        "lastModifiedDateTime": "2025-09-17T01:03:14.07343Z",
        "displayName": "Who am I"
    });
    Mock::given(method("POST"))
        .and(path(
            "/beta/security/securityCopilot/workspaces/default/sessions",
        ))
        .and(body_json(json!({
            "@odata.type": "#microsoft.graph.security.securityCopilot.session",
            "displayName": "Who am I"
        })))
        .respond_with(ResponseTemplate::new(201).set_body_json(example.clone()))
        .expect(1)
        .mount(&server)
        .await;
    let body = Session {
        odata_type: Some("#microsoft.graph.security.securityCopilot.session".into()),
        display_name: Some("Who am I".into()),
        ..Default::default()
    };
    let session = client(&server)
        .await
        .beta()
        .security()
        .security_copilot()
        .sessions()
        .create_session("default", body)
        .send()
        .await
        .unwrap();
    assert_eq!(
        session.id.as_deref(),
        Some("71a8abb6-ce18-496c-a8d4-4d0f51986c3e")
    );
    assert_eq!(
        session.created_date_time.as_deref(),
        Some("2025-09-17T01:03:14.07343Z")
    );
    assert_eq!(
        session.last_modified_date_time.as_deref(),
        Some("2025-09-17T01:03:14.07343Z")
    );
    assert_eq!(session.display_name.as_deref(), Some("Who am I"));
    // Round-trip: encoding again loses nothing of the example.
    assert_eq!(serde_json::to_value(&session).unwrap(), example);
}

#[tokio::test]
async fn close_session_is_refused_on_a_cloud_the_docs_exclude() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(204))
        .expect(0)
        .mount(&server)
        .await;
    let china = Client::builder()
        .base_url(server.uri())
        .cloud(Cloud::China)
        .bearer_token("t")
        .build()
        .unwrap();
    let err = china
        .v1()
        .workbook()
        .close_session(CloseSessionPath::me_drive_items("x"), "s")
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::CloudUnavailable { .. }), "{err}");
}
