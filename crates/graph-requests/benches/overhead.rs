//! Time per request of Graph operations sent through this crate versus the same requests made
//! with plain `reqwest`, both against the same local HTTP server in the same run:
//!
//! - `post_empty`: the generated `v1().workbook().close_session(..)` operation (`POST`, a
//!   session header, `204 No Content`);
//! - `get_json`: a `GET` with `$select` decoded into a struct, built the way generated
//!   operations build requests (a static `OperationInfo`, `Request::new`, `Client::send_json`).
//!
//! Run with `cargo bench -p graph-requests --features files --bench overhead`. After criterion's report the bench
//! prints the overhead ratio measured by interleaving both clients.

use std::time::{Duration, Instant};

use criterion::{criterion_group, Criterion};
use graph_requests::runtime::{encode_segment, ApiVersion, Client, Cloud, OperationInfo, Request};
use graph_requests::v1::workbook::CloseSessionPath;
use serde::Deserialize;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio::runtime::Runtime;

const TOKEN: &str = "bench-token";
const BODY: &str = r#"{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#workbookSessionInfo","id":"cluster=PS1&session=15.SG2PEPF000005F8.A107.1.V22.87e0fbbd-2a9e-4b07-a4a8-d89e9d9b9a1a","persistChanges":true}"#;

static GET_SESSION: OperationInfo = OperationInfo {
    name: "getSessionInfo",
    version: ApiVersion::V1,
    method: http::Method::GET,
    paths: &["/me/drive/items/{id}/workbook/sessionInfoResource(key='{key}')"],
    clouds: Some(&[Cloud::Global]),
};

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct SessionInfo {
    id: String,
    #[serde(rename = "persistChanges")]
    persist_changes: bool,
}

/// A minimal keep-alive HTTP/1.1 server: answers every GET with `BODY` and every other
/// request with `204 No Content`, so that the server costs the same for both clients.
async fn serve(listener: TcpListener) {
    loop {
        let Ok((mut socket, _)) = listener.accept().await else {
            continue;
        };
        socket.set_nodelay(true).ok();
        tokio::spawn(async move {
            let mut buf = Vec::with_capacity(4096);
            let mut chunk = [0u8; 4096];
            loop {
                // Read one request: headers, then Content-Length bytes of body.
                let head_end = loop {
                    if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                        break i + 4;
                    }
                    match socket.read(&mut chunk).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => buf.extend_from_slice(&chunk[..n]),
                    }
                };
                let head = String::from_utf8_lossy(&buf[..head_end]).to_ascii_lowercase();
                let length: usize = head
                    .lines()
                    .find_map(|l| l.strip_prefix("content-length:"))
                    .and_then(|v| v.trim().parse().ok())
                    .unwrap_or(0);
                while buf.len() < head_end + length {
                    match socket.read(&mut chunk).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => buf.extend_from_slice(&chunk[..n]),
                    }
                }
                let response = if head.starts_with("get ") {
                    format!(
                        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{BODY}",
                        BODY.len()
                    )
                } else {
                    "HTTP/1.1 204 No Content\r\n\r\n".to_owned()
                };
                if socket.write_all(response.as_bytes()).await.is_err() {
                    return;
                }
                buf.drain(..head_end + length);
            }
        });
    }
}

struct Setup {
    base: String,
    graph: Client,
    plain: reqwest::Client,
}

fn setup(rt: &Runtime) -> Setup {
    let listener = rt.block_on(TcpListener::bind("127.0.0.1:0")).unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    rt.spawn(serve(listener));
    let graph = Client::builder()
        .base_url(&base)
        .bearer_token(TOKEN)
        .build()
        .unwrap();
    let plain = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::limited(10))
        .build()
        .unwrap();
    Setup { base, graph, plain }
}

async fn graph_get(client: &Client) {
    let mut req = Request::new(
        &GET_SESSION,
        format!(
            "/me/drive/items/{}/workbook/sessionInfoResource(key='{}')",
            encode_segment("01ABCDEF"),
            encode_segment("abc")
        ),
    );
    req.query("$select", "id,persistChanges");
    // The generated model (generated `Deserialize`, unknown properties kept), as a generated
    // operation returns it.
    let info: graph_requests::models::v1::WorkbookSessionInfo =
        client.send_json(req).await.unwrap();
    std::hint::black_box(info);
}

async fn plain_get(client: &reqwest::Client, base: &str) {
    let response = client
        .get(format!(
            "{base}/v1.0/me/drive/items/01ABCDEF/workbook/sessionInfoResource(key='abc')?$select=id,persistChanges"
        ))
        .bearer_auth(TOKEN)
        .send()
        .await
        .unwrap()
        .error_for_status()
        .unwrap();
    let info: SessionInfo = response.json().await.unwrap();
    std::hint::black_box(info);
}

/// The generated `closeSession` operation, exactly as a user calls it.
async fn graph_close(client: &Client) {
    client
        .v1()
        .workbook()
        .close_session(
            CloseSessionPath::me_drive_items("01ABCDEF"),
            "cluster=PS1&session=15.SG2",
        )
        .send()
        .await
        .unwrap();
}

async fn plain_close(client: &reqwest::Client, base: &str) {
    client
        .post(format!(
            "{base}/v1.0/me/drive/items/01ABCDEF/workbook/closeSession"
        ))
        .bearer_auth(TOKEN)
        .header("workbook-session-id", "cluster=PS1&session=15.SG2")
        .send()
        .await
        .unwrap()
        .error_for_status()
        .unwrap();
}

fn runtime() -> Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

fn bench(c: &mut Criterion) {
    let rt = runtime();
    let s = setup(&rt);
    let mut group = c.benchmark_group("get_json");
    group.bench_function("graph_requests", |b| {
        b.to_async(&rt).iter(|| graph_get(&s.graph))
    });
    group.bench_function("plain_reqwest", |b| {
        b.to_async(&rt).iter(|| plain_get(&s.plain, &s.base))
    });
    group.finish();
    let mut group = c.benchmark_group("post_empty");
    group.bench_function("graph_requests", |b| {
        b.to_async(&rt).iter(|| graph_close(&s.graph))
    });
    group.bench_function("plain_reqwest", |b| {
        b.to_async(&rt).iter(|| plain_close(&s.plain, &s.base))
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(Duration::from_secs(2))
        .measurement_time(Duration::from_secs(5));
    targets = bench
}

/// Interleaves both clients in rounds and prints the median time per request and the ratio,
/// so that both figures come from the same stretch of machine load.
fn ratio() {
    let rt = runtime();
    let s = setup(&rt);
    const ROUNDS: usize = 30;
    const PER_ROUND: u32 = 200;
    let mut rows = Vec::new();
    for (label, graph_first) in [("get_json", true), ("post_empty", false)] {
        let (mut ours, mut theirs) = (Vec::new(), Vec::new());
        rt.block_on(async {
            for _ in 0..PER_ROUND {
                graph_get(&s.graph).await;
                plain_get(&s.plain, &s.base).await;
            }
            for _ in 0..ROUNDS {
                let start = Instant::now();
                for _ in 0..PER_ROUND {
                    if graph_first {
                        graph_get(&s.graph).await;
                    } else {
                        graph_close(&s.graph).await;
                    }
                }
                ours.push(start.elapsed() / PER_ROUND);
                let start = Instant::now();
                for _ in 0..PER_ROUND {
                    if graph_first {
                        plain_get(&s.plain, &s.base).await;
                    } else {
                        plain_close(&s.plain, &s.base).await;
                    }
                }
                theirs.push(start.elapsed() / PER_ROUND);
            }
        });
        ours.sort();
        theirs.sort();
        let (o, t) = (ours[ROUNDS / 2], theirs[ROUNDS / 2]);
        rows.push(format!(
            "{label:<11} graph-requests {o:>10.2?}  plain reqwest {t:>10.2?}  ratio {:.2}",
            o.as_secs_f64() / t.as_secs_f64()
        ));
    }
    println!("\noverhead (median of {ROUNDS} interleaved rounds of {PER_ROUND} requests):");
    for row in rows {
        println!("  {row}");
    }
}

fn main() {
    benches();
    Criterion::default().configure_from_args().final_summary();
    // `cargo test --benches` runs the bench in test mode: keep that quick.
    if !std::env::args().any(|a| a == "--test") {
        ratio();
    }
}
