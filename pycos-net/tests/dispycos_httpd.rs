//! The dashboard in-process, without a cluster: it serves HTTPS with the
//! node's TLS setup (and refuses a client that does not speak TLS), it
//! becomes the client's status task and passes every message on to the
//! one the client had, and it follows those messages into its pages.
//! Only loopback is used.

use std::path::{Path, PathBuf};
use std::time::Duration;

use pycos::prelude::*;
use pycos_net::dispycos::{
    Client, DispycosStatus, HttpServer, HttpdError, NodeInfo, Status, StatusInfo,
};

/// A self-signed certificate for 127.0.0.1.
fn cert_files(dir: &Path) -> (PathBuf, PathBuf) {
    let (cert, key) = (dir.join("cert.pem"), dir.join("key.pem"));
    std::fs::create_dir_all(dir).unwrap();
    let made = rcgen::generate_simple_self_signed(vec!["127.0.0.1".to_owned()]).unwrap();
    std::fs::write(&key, made.signing_key.serialize_pem()).unwrap();
    std::fs::write(&cert, made.cert.pem()).unwrap();
    (cert, key)
}

/// Sends `request` over `sock` and reads the answer to its end (the
/// request asks the server to close).
async fn exchange(sock: &AsyncSocket, request: &str) -> String {
    sock.sendall(request.as_bytes())
        .await
        .expect("the request is sent");
    let mut answer = Vec::new();
    loop {
        match sock.recv(65536).timeout(10.0).await {
            Some(Ok(bytes)) if !bytes.is_empty() => answer.extend_from_slice(&bytes),
            _ => break,
        }
    }
    String::from_utf8_lossy(&answer).into_owned()
}

#[task]
fn https_get(at: std::net::SocketAddr, ca: PathBuf) -> String {
    let tls = pycos::io::TlsClient::from_pem_file(&ca).expect("the CA loads");
    let sock = AsyncSocket::create_connection(at, 10.0, None)
        .await
        .expect("connects");
    sock.start_tls_client(&tls)
        .await
        .expect("the TLS handshake");
    exchange(
        &sock,
        &format!("GET /cluster_status HTTP/1.1\r\nHost: {at}\r\nConnection: close\r\n\r\n"),
    )
    .await
}

#[task]
fn plain_get(at: std::net::SocketAddr) -> String {
    let sock = AsyncSocket::create_connection(at, 10.0, None)
        .await
        .expect("connects");
    exchange(
        &sock,
        &format!("GET /cluster_status HTTP/1.1\r\nHost: {at}\r\nConnection: close\r\n\r\n"),
    )
    .await
}

#[test]
fn serves_https_and_refuses_plain_http_on_a_tls_dashboard() {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("dispycos-httpd-tls");
    let (cert, key) = cert_files(&dir);
    let client = Client::builder().build().unwrap();
    let httpd = HttpServer::builder()
        .port(0)
        .tls(&cert, &key)
        .quiet(true)
        .start(&client)
        .unwrap();
    assert!(
        httpd.url().starts_with("https://127.0.0.1:"),
        "{}",
        httpd.url()
    );
    let at = httpd.location();
    let answer = Pycos::instance()
        .spawn(https_get(at, cert.clone()))
        .value()
        .unwrap();
    assert!(answer.starts_with("HTTP/1.1 200 OK\r\n"), "{answer}");
    assert!(answer.ends_with("\r\n\r\n[]"), "no nodes yet: {answer}");
    // A plain client gets no page: the connection ends without an answer.
    let plain = Pycos::instance().spawn(plain_get(at)).value().unwrap();
    assert!(!plain.contains("HTTP/1.1 200"), "{plain}");
}

#[test]
fn missing_tls_files_are_an_error_naming_them() {
    let client = Client::builder().build().unwrap();
    let err = HttpServer::builder()
        .port(0)
        .tls("/nonexistent/cert.pem", "/nonexistent/key.pem")
        .start(&client)
        .unwrap_err();
    assert!(matches!(err, HttpdError::Tls(_)), "{err:?}");
    assert!(err.to_string().contains("/nonexistent/cert.pem"), "{err}");
}

/// Collects what it receives, until told `"report"`: then gives it all.
#[task]
fn user_status(task: TaskCtx) -> Vec<String> {
    let mut seen = Vec::new();
    loop {
        let msg = task.receive().await;
        if msg.downcast_ref::<&str>() == Some(&"report") {
            return seen;
        }
        if let Some(status) = msg.downcast_ref::<DispycosStatus>() {
            seen.push(format!("{:?}", status.status));
        }
    }
}

#[test]
fn chains_the_clients_status_task_and_follows_the_messages() {
    let user = Pycos::instance().spawn(user_status());
    let client = Client::builder().status_task(&user).build().unwrap();
    let httpd = HttpServer::builder()
        .port(0)
        .quiet(true)
        .start(&client)
        .unwrap();
    let node = NodeInfo {
        name: "n1_dispycosnode".into(),
        location: "127.0.0.1:9706".parse().unwrap(),
        cpus: 4,
        platform: "linux".into(),
        avail: None,
    };
    let dashboard = httpd.status_task();
    for status in [Status::NodeDiscovered, Status::NodeInitialized] {
        dashboard
            .send(DispycosStatus {
                status,
                info: StatusInfo::Node(node.clone()),
            })
            .unwrap();
    }
    dashboard.send("report").unwrap();
    let seen = user.value_timeout(Duration::from_secs(10)).unwrap();
    assert_eq!(
        seen,
        vec!["NodeDiscovered", "NodeInitialized"],
        "passed on, in order"
    );
    let answer = Pycos::instance()
        .spawn(plain_get(httpd.location()))
        .value()
        .unwrap();
    let body = answer.split("\r\n\r\n").nth(1).unwrap_or_default();
    let nodes: serde_json::Value = serde_json::from_str(body).expect(body);
    assert_eq!(nodes[0]["name"], "n1_dispycosnode", "{nodes}");
    assert_eq!(nodes[0]["status"], "Initialized", "{nodes}");
    assert_eq!(nodes[0]["cpus"], 4, "{nodes}");
}
