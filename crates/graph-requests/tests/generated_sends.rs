//! The generated operations' other ways to send, against a local wiremock server: a collection
//! operation streams every page (`stream_items`), an operation the docs describe as
//! long-running polls its `Location` (`send_long_running`), content streams as it arrives
//! (`send_stream`).

use std::time::Duration;

use futures::StreamExt;
use graph_requests::v1::workbook::CreateSessionPath;
use graph_requests::{Client, LroPolicy};
use serde_json::json;
use wiremock::matchers::{body_json, header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn client(server: &MockServer) -> Client {
    Client::builder()
        .base_url(server.uri())
        .bearer_token("test-token")
        .lro_policy(LroPolicy::default().with_poll_interval(Duration::from_millis(10)))
        .build()
        .unwrap()
}

#[tokio::test]
async fn list_users_streams_every_page() {
    let server = MockServer::start().await;
    let page = |n: usize, next: Option<String>| {
        let mut body =
            json!({ "value": [ { "id": format!("u{n}a") }, { "id": format!("u{n}b") } ] });
        if let Some(next) = next {
            body["@odata.nextLink"] = json!(next);
        }
        ResponseTemplate::new(200).set_body_json(body)
    };
    let uri = server.uri();
    Mock::given(method("GET"))
        .and(path("/v1.0/users"))
        .and(query_param("$top", "2"))
        .and(query_param("$select", "id"))
        .respond_with(page(1, Some(format!("{uri}/v1.0/users?$skiptoken=p2"))))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1.0/users"))
        .and(query_param("$skiptoken", "p2"))
        .respond_with(page(2, Some(format!("{uri}/v1.0/users?$skiptoken=p3"))))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1.0/users"))
        .and(query_param("$skiptoken", "p3"))
        .respond_with(page(3, None))
        .expect(1)
        .mount(&server)
        .await;

    let users: Vec<_> = client(&server)
        .v1()
        .users()
        .list_users()
        .top(2)
        .select("id")
        .stream_items()
        .collect()
        .await;
    let ids: Vec<String> = users.into_iter().map(|u| u.unwrap().id.unwrap()).collect();
    assert_eq!(ids, ["u1a", "u1b", "u2a", "u2b", "u3a", "u3b"]);
}

#[tokio::test]
async fn create_session_runs_as_a_long_running_operation() {
    let server = MockServer::start().await;
    let uri = server.uri();
    Mock::given(method("POST"))
        .and(path("/v1.0/me/drive/items/01ABC/workbook/createSession"))
        .and(header("prefer", "respond-async"))
        .and(body_json(json!({ "persistChanges": true })))
        .respond_with(ResponseTemplate::new(202).insert_header(
            "Location",
            format!("{uri}/v1.0/me/drive/items/01ABC/workbook/operations/op1"),
        ))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1.0/me/drive/items/01ABC/workbook/operations/op1"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({ "id": "op1", "status": "running" })),
        )
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1.0/me/drive/items/01ABC/workbook/operations/op1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(
            json!({ "id": "op1", "status": "succeeded", "resourceLocation": format!("{uri}/v1.0/session/s1") }),
        ))
        .with_priority(2)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1.0/session/s1"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({ "id": "session-1", "persistChanges": true })),
        )
        .expect(1)
        .mount(&server)
        .await;

    let body = graph_requests::models::v1::WorkbookSessionInfo {
        persist_changes: Some(true),
        ..Default::default()
    };
    let op = client(&server)
        .v1()
        .workbook()
        .create_session(CreateSessionPath::me_drive_items("01ABC"), body)
        .send_long_running()
        .await
        .unwrap();
    assert!(!op.is_complete());
    let session = op.wait().await.unwrap();
    assert_eq!(session.id.as_deref(), Some("session-1"));
    assert_eq!(session.persist_changes, Some(true));
}

#[tokio::test]
async fn an_operation_documented_for_me_is_sent_for_a_user_of_an_app() {
    // `createSession` is documented only under `/me/drive/...`; a daemon without a signed-in
    // user sends it for a user: `/me` becomes `/users/{id}` on the wire, nothing else changes.
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(
            "/v1.0/users/AdeleV@contoso.com/drive/items/01ABC/workbook/createSession",
        ))
        .and(header("authorization", "Bearer test-token"))
        .and(body_json(json!({ "persistChanges": false })))
        .respond_with(
            ResponseTemplate::new(201)
                .set_body_json(json!({ "id": "s2", "persistChanges": false })),
        )
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v1.0/me/drive/items/01ABC/workbook/createSession"))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({ "id": "s-me" })))
        .expect(1)
        .mount(&server)
        .await;
    let body = || graph_requests::models::v1::WorkbookSessionInfo {
        persist_changes: Some(false),
        ..Default::default()
    };
    let client = client(&server);
    let adele = client.as_user("AdeleV@contoso.com");
    // The client it was made from still sends `/me`.
    for (c, id) in [(&adele, "s2"), (&client, "s-me")] {
        let session = c
            .v1()
            .workbook()
            .create_session(CreateSessionPath::me_drive_items("01ABC"), body())
            .send()
            .await
            .unwrap();
        assert_eq!(session.id.as_deref(), Some(id));
    }
}

#[tokio::test]
async fn a_derived_type_built_from_default_names_itself_and_a_decoded_one_stays_as_it_was() {
    // `User` derives from `directoryObject`: built from `Default`, it sends its `@odata.type`
    // (how Graph tells a derived type in a collection of its base); decoded from JSON without
    // one, it sends none.
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .and(path("/v1.0/users/u1"))
        .and(body_json(
            json!({ "@odata.type": "#microsoft.graph.user", "displayName": "Adele" }),
        ))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    // The `/me` form that `user-update.md` shows only in its example (`me-alias`).
    Mock::given(method("PATCH"))
        .and(path("/v1.0/me"))
        .and(body_json(json!({ "displayName": "Alex" })))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let built = graph_requests::models::v1::User {
        display_name: Some("Adele".into()),
        ..Default::default()
    };
    assert_eq!(built.odata_type.as_deref(), Some("#microsoft.graph.user"));
    let decoded: graph_requests::models::v1::User =
        serde_json::from_value(json!({ "displayName": "Alex" })).unwrap();
    assert_eq!(decoded.odata_type, None);
    let client = client(&server);
    use graph_requests::v1::users::UpdateUserPath;
    for (to, user) in [
        (UpdateUserPath::users("u1"), built),
        (UpdateUserPath::me(), decoded),
    ] {
        client
            .v1()
            .users()
            .update_user(to, user)
            .send()
            .await
            .unwrap();
    }
}

#[tokio::test]
async fn a_photo_is_uploaded_as_its_bytes() {
    use graph_requests::v1::photo::PutPhotoContentPath;
    use wiremock::matchers::body_bytes;
    let server = MockServer::start().await;
    let jpeg: &[u8] = &[0xff, 0xd8, 0xff, 0xe0, 0, 0x10];
    Mock::given(method("PUT"))
        .and(path("/v1.0/me/photo/$value"))
        .and(header("content-type", "image/jpeg"))
        .and(body_bytes(jpeg.to_vec()))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("PUT"))
        .and(path("/v1.0/users/u1/photo/$value"))
        .and(header("content-type", "image/png"))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&server)
        .await;
    let photo = client(&server).v1().photo();
    photo
        .put_photo_content(PutPhotoContentPath::me(), jpeg.to_vec())
        .send()
        .await
        .unwrap();
    // The documented content type is a default; another one is set on the builder.
    photo
        .put_photo_content(PutPhotoContentPath::users("u1"), vec![1, 2, 3])
        .content_type("image/png")
        .send()
        .await
        .unwrap();
}

#[tokio::test]
async fn a_photo_is_downloaded_as_its_bytes_and_its_metadata_as_json() {
    // `profilephoto-get.md` documents both in subsections of its HTTP request section.
    use graph_requests::v1::photo::{GetPhotoContentPath, GetPhotoPath};
    let server = MockServer::start().await;
    let jpeg: &[u8] = &[0xff, 0xd8, 0xff, 0xe0, 0, 0x10];
    Mock::given(method("GET"))
        .and(path("/v1.0/users/u1/photo/$value"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("content-type", "image/jpeg")
                .set_body_bytes(jpeg.to_vec()),
        )
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1.0/me/photo"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "@odata.mediaContentType": "image/jpeg",
            "id": "240X240",
            "width": 240,
            "height": 240
        })))
        .expect(1)
        .mount(&server)
        .await;
    let photo = client(&server).v1().photo();
    let bytes = photo
        .get_photo_content(GetPhotoContentPath::users("u1"))
        .send()
        .await
        .unwrap();
    assert_eq!(&bytes[..], jpeg);
    let metadata = photo.get_photo(GetPhotoPath::me()).send().await.unwrap();
    assert_eq!(metadata.width, Some(240));
    assert_eq!(metadata.id.as_deref(), Some("240X240"));
    // What the type does not declare is kept.
    assert_eq!(
        metadata.additional_properties["@odata.mediaContentType"],
        json!("image/jpeg")
    );
}

#[tokio::test]
async fn a_flags_enum_is_sent_as_one_comma_separated_string() {
    // `partsToClone`: "A comma-separated list of the parts to clone".
    use graph_requests::models::v1::ClonableTeamParts;
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1.0/teams/t1/clone"))
        .and(body_json(json!({
            "displayName": "Library Assist",
            "partsToClone": "apps,tabs,settings"
        })))
        .respond_with(ResponseTemplate::new(202))
        .expect(1)
        .mount(&server)
        .await;
    client(&server)
        .v1()
        .clone_ops()
        .clone_team("t1")
        .display_name("Library Assist".to_owned())
        .parts_to_clone([
            ClonableTeamParts::Apps,
            ClonableTeamParts::Tabs,
            ClonableTeamParts::Settings,
        ])
        .send()
        .await
        .unwrap();
}

#[tokio::test]
async fn a_list_counts_what_its_filter_selects() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1.0/users/$count"))
        .and(query_param("$filter", "startswith(displayName,'a')"))
        .and(header("consistencylevel", "eventual"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("content-type", "text/plain")
                .set_body_bytes(b"\xef\xbb\xbf42".to_vec()),
        )
        .expect(1)
        .mount(&server)
        .await;
    let count = client(&server)
        .v1()
        .users()
        .list_users()
        .filter("startswith(displayName,'a')")
        .top(5)
        .select("id")
        .send_count()
        .await
        .unwrap();
    assert_eq!(count, 42);
    // The page-shaping options are not sent with a count.
    let received = &server.received_requests().await.unwrap()[0];
    let query = received.url.query().unwrap_or("");
    assert!(
        !query.contains("top") && !query.contains("select"),
        "{query}"
    );
}

#[tokio::test]
async fn a_kind_of_a_base_type_is_created_through_the_base_and_read_back_as_its_kind() {
    // `POST /deviceAppManagement/mobileApps` creates every kind of app: the docs give a page per
    // kind; the generated operation takes a `MobileApp` and answers one.
    use graph_requests::models::v1::{AndroidLobApp, MobileApp};
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1.0/deviceAppManagement/mobileApps"))
        .and(body_json(json!({
            "@odata.type": "#microsoft.graph.androidLobApp",
            "displayName": "Contoso",
            "packageId": "com.contoso.app"
        })))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({
            "@odata.type": "#microsoft.graph.androidLobApp",
            "id": "a1",
            "displayName": "Contoso",
            "packageId": "com.contoso.app"
        })))
        .expect(1)
        .mount(&server)
        .await;
    let app = AndroidLobApp {
        display_name: Some("Contoso".into()),
        package_id: Some("com.contoso.app".into()),
        ..Default::default()
    };
    let body: MobileApp = graph_requests::models::upcast(&app).unwrap();
    let created = client(&server)
        .v1()
        .mobile_apps()
        .create_mobile_app(body)
        .send()
        .await
        .unwrap();
    assert_eq!(created.id.as_deref(), Some("a1"));
    let android: AndroidLobApp = created.downcast().expect("an androidLobApp");
    assert_eq!(android.package_id.as_deref(), Some("com.contoso.app"));
}

#[tokio::test]
async fn file_content_streams_from_the_download_url_without_the_token() {
    use graph_requests::v1::content::DownloadContentsOfDriveItemPath;
    // Graph answers a drive item's `content` with a `302` to a pre-authenticated download URL
    // on another host; the content comes from there, chunk by chunk.
    let graph = MockServer::start().await;
    let storage = MockServer::start().await;
    let file: Vec<u8> = (0..1_000_003u32).map(|i| (i % 253) as u8).collect();
    Mock::given(method("GET"))
        .and(path("/v1.0/drives/d1/items/i1/content"))
        .and(header("authorization", "Bearer test-token"))
        .respond_with(
            ResponseTemplate::new(302)
                .insert_header("Location", format!("{}/dl/file.bin?sig=x", storage.uri())),
        )
        .expect(1)
        .mount(&graph)
        .await;
    Mock::given(method("GET"))
        .and(path("/dl/file.bin"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("Content-Type", "application/octet-stream")
                .set_body_bytes(file.clone()),
        )
        .expect(2)
        .mount(&storage)
        .await;
    let content = client(&graph).v1().content();
    let download = || {
        content.download_contents_of_drive_item(DownloadContentsOfDriveItemPath::drives_items(
            "d1", "i1",
        ))
    };
    let stream = download().send_stream().await.unwrap();
    assert_eq!(stream.content_length(), Some(file.len() as u64));
    assert_eq!(stream.content_type(), Some("application/octet-stream"));
    let chunks: Vec<bytes::Bytes> = stream.map(|c| c.unwrap()).collect().await;
    assert_eq!(chunks.concat(), file);

    graph.reset().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(302)
                .insert_header("Location", format!("{}/dl/file.bin?sig=x", storage.uri())),
        )
        .mount(&graph)
        .await;
    let mut out = Vec::new();
    let written = download()
        .send_stream()
        .await
        .unwrap()
        .write_to(&mut out)
        .await
        .unwrap();
    assert_eq!((written, out), (file.len() as u64, file));
    let fetched = storage.received_requests().await.unwrap();
    assert!(
        fetched
            .iter()
            .all(|r| !r.headers.contains_key("authorization")),
        "the token stays with Graph"
    );
}

#[tokio::test]
async fn a_timestamp_is_set_from_text_or_a_time_value_and_read_back_as_either() {
    // `expirationDateTime` is an `Edm.DateTimeOffset`: a `&str` sets it as written, a
    // `time::OffsetDateTime` (feature `time`) as RFC 3339; the answer's keeps Graph's seven
    // fractional digits as it came, and reads as a `time` value.
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1.0/me/drive/items/i1/invite"))
        .and(body_json(json!({
            "message": "Here it is",
            "roles": ["read", "write"],
            "expirationDateTime": "2030-01-01T00:00:00Z"
        })))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "value": [ { "id": "p1", "expirationDateTime": "2030-01-01T00:00:00.0000000Z" } ]
        })))
        .expect(if cfg!(feature = "time") { 2 } else { 1 })
        .mount(&server)
        .await;
    let client = client(&server);
    let invite = || {
        client
            .v1()
            .invite()
            .send_sharing_invitation(
                graph_requests::v1::invite::SendSharingInvitationPath::me_drive_items("i1"),
            )
            .message("Here it is")
            // A list from an array of `&str`.
            .roles(["read", "write"])
    };
    let page = invite()
        .expiration_date_time("2030-01-01T00:00:00Z")
        .send()
        .await
        .unwrap();
    let expires = page.value[0].expiration_date_time.clone().unwrap();
    assert_eq!(expires, "2030-01-01T00:00:00.0000000Z");

    #[cfg(feature = "time")]
    {
        let at = time::OffsetDateTime::from_unix_timestamp(1_893_456_000).unwrap();
        invite().expiration_date_time(at).send().await.unwrap();
        assert_eq!(expires.to_offset_date_time().unwrap(), at);
    }
}

#[tokio::test]
async fn a_batch_of_operations_reads_each_answer_as_its_send_would() {
    use graph_requests::models::v1::User;
    use graph_requests::v1::users::{GetUserPath, UpdateUserPath};
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1.0/$batch"))
        .and(body_json(json!({ "requests": [
            { "id": "1", "method": "GET", "url": "/users/u1" },
            { "id": "2", "method": "GET", "url": "/users?$top=2" },
            { "id": "3", "method": "DELETE", "url": "/users/u2" },
            { "id": "4", "method": "PATCH", "url": "/users/u3",
              "headers": { "content-type": "application/json" },
              "body": { "jobTitle": "Librarian" }, "dependsOn": ["3"] },
            { "id": "5", "method": "GET", "url": "/users/missing" },
        ] })))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({ "responses": [
            { "id": "4", "status": 204 },
            { "id": "2", "status": 200, "body": {
                "value": [ { "id": "u1" }, { "id": "u2" } ],
                "@odata.nextLink": "https://graph.microsoft.com/v1.0/users?$skiptoken=x" } },
            { "id": "1", "status": 200, "body": { "id": "u1", "displayName": "Adele" } },
            { "id": "5", "status": 404, "body": { "error": {
                "code": "Request_ResourceNotFound", "message": "no such user" } } },
            { "id": "3", "status": 204 },
        ] })),
        )
        .expect(1)
        .mount(&server)
        .await;
    let client = client(&server);
    let users = client.v1().users();
    let mut batch = client.batch();
    let user = batch
        .add_operation(users.get_user(GetUserPath::users("u1")))
        .unwrap();
    let listed = batch.add_operation(users.list_users().top(2)).unwrap();
    let deleted = batch.add_operation(users.delete_user("u2")).unwrap();
    let change = User {
        odata_type: None,
        job_title: Some("Librarian".into()),
        ..User::default()
    };
    let updated = batch
        .add_operation_after(
            users.update_user(UpdateUserPath::users("u3"), change),
            &[deleted.id()],
        )
        .unwrap();
    let missing = batch
        .add_operation(users.get_user(GetUserPath::users("missing")))
        .unwrap();
    let answers = batch.send().await.unwrap();

    // Each as its `send()` returns it: a `User`, a `Page<User>`, `()`, an `Option<User>`.
    let user: User = answers.get(user).unwrap();
    assert_eq!(user.display_name.as_deref(), Some("Adele"));
    let page = answers.get(listed).unwrap();
    assert_eq!(page.value.len(), 2);
    assert!(page.next_link.is_some());
    answers.get(deleted).unwrap();
    assert_eq!(answers.get(updated).unwrap(), None);
    let err = answers.get(missing).unwrap_err();
    assert_eq!(err.status(), Some(http::StatusCode::NOT_FOUND));
}

#[tokio::test]
async fn a_timestamp_query_argument_is_sent_as_rfc_3339() {
    // `calendarView?startDateTime=..&endDateTime=..`: text as written, or (feature `time`) a
    // `time` value as RFC 3339 (its own `Display` would write `2030-01-01 0:00:00.0 +00:00:00`).
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1.0/groups/g1/calendarView"))
        .and(query_param("startDateTime", "2030-01-01T00:00:00Z"))
        .and(query_param("endDateTime", "2030-01-02T02:00:00+02:00"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "value": [] })))
        .expect(if cfg!(feature = "time") { 2 } else { 1 })
        .mount(&server)
        .await;
    let client = client(&server);
    let view = client.v1().calendar_view();
    view.list_calendar_view("g1", "2030-01-01T00:00:00Z", "2030-01-02T02:00:00+02:00")
        .send()
        .await
        .unwrap();
    #[cfg(feature = "time")]
    {
        let start = time::OffsetDateTime::from_unix_timestamp(1_893_456_000).unwrap();
        let end = (start + time::Duration::hours(24))
            .to_offset(time::UtcOffset::from_hms(2, 0, 0).unwrap());
        view.list_calendar_view("g1", start, end)
            .send()
            .await
            .unwrap();
    }
}
