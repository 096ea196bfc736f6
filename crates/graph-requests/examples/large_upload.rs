//! Uploads a local file to the signed-in user's OneDrive through an upload session: the
//! generated `create_upload_session` asks for the session, the runtime's `LargeFileUpload`
//! sends the file in 320 KiB-multiple fragments (resuming where the session says after a
//! dropped connection) and decodes the `driveItem` the last fragment answers with.
//!
//! ```text
//! GRAPH_TOKEN=... cargo run -p graph-requests --features files --example large_upload -- \
//!     --file ./video.mp4 --to Documents/video.mp4 [--fragment-mib 10] [--base-url http://127.0.0.1:8080]
//! ```

mod common;

use graph_requests::models::v1::{DriveItem, DriveItemUploadableProperties};
use graph_requests::v1::items::CreateUploadSessionPath;
use graph_requests::{Error, Result};

#[tokio::main]
async fn main() -> Result<()> {
    let args = common::args();
    let client = common::client(&args)?;
    let (Some(file), Some(to)) = (args.get("file"), args.get("to")) else {
        return Err(Error::InvalidRequest(
            "give --file PATH and --to DRIVE/PATH".into(),
        ));
    };
    let io = |e: std::io::Error| Error::InvalidRequest(format!("{file}: {e}"));
    let reader = tokio::fs::File::open(file).await.map_err(io)?;
    let len = reader.metadata().await.map_err(io)?.len();

    // The file's properties; an instance annotation the docs give in prose only goes in
    // `additional_properties`: a name already taken gets a new one.
    let mut item = DriveItemUploadableProperties {
        file_size: Some(len as i64),
        ..Default::default()
    };
    item.additional_properties
        .insert("@microsoft.graph.conflictBehavior".into(), "rename".into());
    let session = client
        .v1()
        .items()
        .create_upload_session(CreateUploadSessionPath::me_drive_root(to.as_str()))
        .item(item)
        .send()
        .await?;
    let url = session
        .upload_url
        .ok_or_else(|| Error::UnexpectedResponse {
            operation: "createUploadSession",
            detail: "the session has no uploadUrl".into(),
        })?;
    let mut upload = client.large_file_upload(url);
    if let Some(mib) = args
        .get("fragment-mib")
        .and_then(|m| m.parse::<usize>().ok())
    {
        upload = upload.fragment_size(mib * 1024 * 1024);
    }
    let done = upload.upload_from::<DriveItem, _>(reader, len).await?;
    let item = done.resource;
    println!(
        "uploaded {} ({} bytes) as {}",
        item.name.unwrap_or_default(),
        item.size.unwrap_or_default(),
        item.id.unwrap_or_default()
    );
    Ok(())
}
