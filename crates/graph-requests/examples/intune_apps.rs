//! Lists the tenant's Intune apps with their kinds, and with `--web-app URL` adds a web link
//! app first. Every kind of app is created and listed through `deviceAppManagement/mobileApps`,
//! whose generated operations take and return the base type `MobileApp`: a kind goes in with
//! `graph_models::upcast` and comes out with `downcast`.
//!
//! ```text
//! GRAPH_TOKEN=... cargo run -p graph-requests --features intune --example intune_apps -- \
//!     [--web-app https://contoso.com/app --name "Contoso app"] [--base-url http://127.0.0.1:8080]
//! ```

mod common;

use futures::StreamExt;
use graph_requests::models::v1::{MobileApp, WebApp};
use graph_requests::models::{upcast, GraphType};
use graph_requests::{Error, Result};

#[tokio::main]
async fn main() -> Result<()> {
    let args = common::args();
    let client = common::client(&args)?;
    let apps = client.v1().mobile_apps();

    if let Some(url) = args.get("web-app") {
        let app = WebApp {
            display_name: Some(args.get("name").cloned().unwrap_or_else(|| url.clone())),
            publisher: Some("graph-requests example".into()),
            app_url: Some(url.clone()),
            ..Default::default()
        };
        // `WebApp::default()` sets `@odata.type` to `#microsoft.graph.webApp`: Graph creates a
        // web app, not a bare `mobileApp`.
        let body: MobileApp = upcast(&app)
            .map_err(|e| Error::InvalidRequest(format!("the app as a mobileApp: {e}")))?;
        let created = apps.create_mobile_app(body).send().await?;
        println!("created {}", created.id.unwrap_or_default());
    }

    let mut items = apps.list_mobile_apps().stream_items();
    while let Some(app) = items.next().await {
        let app = app?;
        let kind = app.odata_type.as_deref().unwrap_or("?");
        let name = app.display_name.as_deref().unwrap_or_default();
        match app.downcast::<WebApp>() {
            Some(web) => println!("{kind:<40} {name} <{}>", web.app_url.unwrap_or_default()),
            None => println!("{kind:<40} {name}"),
        }
    }
    println!(
        "(kinds are `@odata.type`s; a web app is {})",
        WebApp::ODATA_TYPE
    );
    Ok(())
}
