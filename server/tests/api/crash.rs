//! Crash safety of the real binary: killed (SIGKILL) while a push of 100 mutations is in
//! flight, restarted on the same SQLite file, the client pushes again and every mutation
//! is applied exactly once, and the audit chain is intact (`server verify-audit`).

use std::time::Duration;

use serde_json::{Value, json};
use tokio::process::Command;

use crate::{
    binary::start,
    helpers::{same_origin_client, session_cookie, write_sample_dist},
};

const PASSWORD: &str = "crash test passphrase 2026";

async fn post(
    client: &reqwest::Client,
    url: &str,
    body: &Value,
    cookie: Option<&str>,
) -> reqwest::Response {
    let mut request = client.post(url).json(body);
    if let Some(cookie) = cookie {
        request = request.header(reqwest::header::COOKIE, cookie);
    }
    request.send().await.unwrap()
}

#[tokio::test]
async fn a_push_cut_off_by_a_crash_is_applied_exactly_once_after_the_restart() {
    let dir = tempfile::tempdir().unwrap();
    let database = format!("sqlite://{}", dir.path().join("crash.db").display());
    let dist = dir.path().join("built");
    write_sample_dist(&dist);
    let dist_arg = dist.display().to_string();
    let args = [
        "--addr",
        "127.0.0.1:0",
        "--database",
        &database,
        "--dist",
        &dist_arg,
    ];

    let mut server = start(&args, &[], dir.path()).await;
    let client = same_origin_client(&server.url);
    let signed_up = post(
        &client,
        &format!("{}/api/auth/sign-up", server.url),
        &json!({"login": "hanako", "display_name": "花子", "password": PASSWORD}),
        None,
    )
    .await;
    let cookie = session_cookie(&signed_up).unwrap();
    let family: Value = post(
        &client,
        &format!("{}/api/families", server.url),
        &json!({"child_name": "練馬 さくら", "child_birth_date": "2025-06-12"}),
        Some(&cookie),
    )
    .await
    .json()
    .await
    .unwrap();
    let family_id = family["id"].as_str().unwrap();
    let scope = format!("family:{family_id}");
    // A viewer, whose every read of the handbook is audited: the chain grows while the
    // server is killed.
    let invite: Value = post(
        &client,
        &format!("{}/api/families/{family_id}/invites", server.url),
        &json!({"role": "viewer"}),
        Some(&cookie),
    )
    .await
    .json()
    .await
    .unwrap();
    let signed_up = post(
        &client,
        &format!("{}/api/auth/sign-up", server.url),
        &json!({"login": "grandma", "display_name": "祖母", "password": PASSWORD}),
        None,
    )
    .await;
    let viewer = session_cookie(&signed_up).unwrap();
    let joined = post(
        &client,
        &format!("{}/api/invites/accept", server.url),
        &json!({"code": invite["code"]}),
        Some(&viewer),
    )
    .await;
    assert_eq!(joined.status(), 200);
    let mutations: Vec<Value> = (1..=100u64)
        .map(|n| {
            json!({"id": n, "op": {"op": "put", "id": format!("note-{n}"),
                "collection": "handbook_note", "scope": scope, "base_version": 0,
                "body": {"text": format!("記録 {n}"), "written_on": "2026-11-27", "author": "花子"}}})
        })
        .collect();
    let push = json!({"client_id": "crash-phone", "mutations": mutations});

    // The push goes out and the server is killed a little later, sooner each time,
    // until a kill lands before the answer (a push cut off); each restart is on the
    // same file. The delays sweep from 12 ms down so one lands inside the push.
    let mut cut_off = 0;
    let mut attempts = 0;
    for attempt in 0..24u64 {
        attempts += 1;
        let in_flight = {
            let (client, url, push, cookie) = (
                client.clone(),
                server.url.clone(),
                push.clone(),
                cookie.clone(),
            );
            tokio::spawn(async move {
                client
                    .post(format!("{url}/api/sync/push"))
                    .json(&push)
                    .header(reqwest::header::COOKIE, cookie)
                    .send()
                    .await
            })
        };
        let reading = {
            let (client, url, viewer) = (client.clone(), server.url.clone(), viewer.clone());
            tokio::spawn(async move {
                client
                    .get(format!(
                        "{url}/api/sync/pull?client_id=gm-{attempt}&cursor=0&scopes="
                    ))
                    .header(reqwest::header::COOKIE, viewer)
                    .send()
                    .await
            })
        };
        tokio::time::sleep(Duration::from_micros(12_000 - attempt * 500)).await;
        let pid = server.child.id().unwrap().to_string();
        let killed = Command::new("kill")
            .args(["-KILL", &pid])
            .status()
            .await
            .unwrap();
        assert!(killed.success());
        server.child.wait().await.unwrap();
        let _ = reading.await.unwrap();
        if in_flight.await.unwrap().is_err() {
            cut_off += 1;
        }
        server = start(&args, &[], dir.path()).await;
        if cut_off > 0 {
            break;
        }
    }
    eprintln!("crash: {cut_off} push cut off by a kill after {attempts} kills");
    assert!(cut_off > 0, "no kill landed while the push was under way");
    drop(server);

    // Restarted on the same file, the phone sends the same push again.
    let server = start(&args, &[], dir.path()).await;
    let client = same_origin_client(&server.url);
    let answer: Value = post(
        &client,
        &format!("{}/api/sync/push", server.url),
        &push,
        Some(&cookie),
    )
    .await
    .json()
    .await
    .unwrap();
    let results = answer["results"].as_array().expect("a push answer");
    assert_eq!(results.len(), 100);
    assert!(
        results.iter().all(|r| r["outcome"] == "applied"),
        "{answer}"
    );
    let mut versions: Vec<u64> = results
        .iter()
        .map(|r| r["version"].as_u64().unwrap())
        .collect();
    versions.dedup();
    assert_eq!(versions.len(), 100, "one version each: {versions:?}");
    let page: Value = client
        .get(format!(
            "{}/api/sync/pull?client_id=crash-phone&cursor=0&scopes=",
            server.url
        ))
        .header(reqwest::header::COOKIE, &cookie)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let notes = page["records"].as_array().unwrap();
    assert_eq!(notes.len(), 100, "each mutation applied exactly once");
    drop(server);

    let verified = Command::new(env!("CARGO_BIN_EXE_server"))
        .args(["--database", &database, "verify-audit"])
        .current_dir(dir.path())
        .output()
        .await
        .unwrap();
    eprintln!(
        "crash: {}",
        String::from_utf8_lossy(&verified.stdout).trim()
    );
    assert!(
        verified.status.success(),
        "{}",
        String::from_utf8_lossy(&verified.stderr)
    );
}
