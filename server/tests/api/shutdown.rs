use std::time::Duration;

use crate::helpers::spawn_app;

#[tokio::test]
async fn a_graceful_shutdown_finishes_a_download_in_flight_and_then_refuses_new_requests() {
    let mut app = spawn_app().await;
    // A file big enough that its download is still under way when the shutdown starts.
    let size = 64 * 1024 * 1024;
    std::fs::write(app.dist.join("big-0123456789abcdef.bin"), vec![7u8; size]).unwrap();
    let mut download = app.get("/big-0123456789abcdef.bin").await;
    assert_eq!(download.status(), 200);
    let first = download.chunk().await.unwrap().expect("a first chunk");

    let stopped = app.shut_down();
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert!(
        !stopped.is_finished(),
        "the server must wait for the download"
    );

    let mut received = first.len();
    while let Some(chunk) = download.chunk().await.expect("the download is not cut off") {
        received += chunk.len();
    }
    assert_eq!(received, size);
    tokio::time::timeout(Duration::from_secs(10), stopped)
        .await
        .expect("the server stops once the download is done")
        .unwrap()
        .unwrap();

    let refused = reqwest::Client::new()
        .get(app.url("/api/health"))
        .send()
        .await;
    assert!(refused.is_err(), "a stopped server accepts no new request");
}
