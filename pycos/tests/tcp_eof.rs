//! End of input and message framing: recv and recvall at EOF (partial data
//! kept), recv_msg at a clean end, inside a frame, and against a peer that
//! announces a 4 GiB message.

#[path = "support/net.rs"]
mod net;

use std::io::ErrorKind;

use pycos::io::{FrameTooLarge, TruncatedFrame};

#[pycos::test]
async fn recv_gives_empty_at_eof() {
    let (client, server) = net::pair().await;
    client.sendall(b"last words").await.unwrap();
    drop(client);
    assert_eq!(server.recv(100).await.unwrap(), b"last words");
    assert!(server.recv(100).await.unwrap().is_empty());
    assert!(server.recv(100).await.unwrap().is_empty(), "EOF again");
}

#[pycos::test]
async fn recvall_keeps_partial_data_at_eof() {
    let (client, server) = net::pair().await;
    client.sendall(b"only six").await.unwrap();
    client.close().await.unwrap();
    // pycos returns b'' here and loses the bytes (§15.13).
    assert_eq!(server.recvall(100).await.unwrap(), b"only six");
    assert!(server.recvall(100).await.unwrap().is_empty());
}

#[pycos::test]
async fn recv_msg_none_at_a_clean_end_and_empty_messages_survive() {
    let (client, server) = net::pair().await;
    client.send_msg(b"one").await.unwrap();
    client.send_msg(b"").await.unwrap();
    client.send_msg(&vec![9_u8; 100_000]).await.unwrap();
    drop(client);
    assert_eq!(server.recv_msg().await.unwrap(), Some(b"one".to_vec()));
    assert_eq!(server.recv_msg().await.unwrap(), Some(Vec::new()));
    assert_eq!(server.recv_msg().await.unwrap(), Some(vec![9_u8; 100_000]));
    assert_eq!(server.recv_msg().await.unwrap(), None);
}

fn truncation(err: std::io::Error) -> TruncatedFrame {
    assert_eq!(err.kind(), ErrorKind::UnexpectedEof);
    err.into_inner()
        .unwrap()
        .downcast::<TruncatedFrame>()
        .map(|t| *t)
        .unwrap()
}

#[pycos::test]
async fn frame_cut_inside_the_payload_is_an_error_with_the_bytes() {
    let (client, server) = net::pair().await;
    client.sendall(&[0, 0, 0, 10]).await.unwrap();
    client.sendall(b"partial").await.unwrap();
    drop(client);
    let cut = truncation(server.recv_msg().await.unwrap_err());
    assert_eq!(cut.partial, b"partial");
    assert_eq!(cut.expected, 10);
    assert!(cut.in_payload);
}

#[pycos::test]
async fn frame_cut_inside_the_prefix_is_an_error() {
    let (client, server) = net::pair().await;
    client.sendall(&[0, 0]).await.unwrap();
    drop(client);
    let cut = truncation(server.recv_msg().await.unwrap_err());
    assert_eq!(cut.partial, [0, 0]);
    assert!(!cut.in_payload);
}

#[pycos::test]
async fn a_four_gib_length_prefix_is_refused_without_allocating() {
    let (client, server) = net::pair().await;
    client.sendall(&[0xff, 0xff, 0xff, 0xff]).await.unwrap();
    client.sendall(b"and a little").await.unwrap();
    let err = server.recv_msg().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidData);
    let too_large = *err
        .into_inner()
        .unwrap()
        .downcast::<FrameTooLarge>()
        .unwrap();
    assert_eq!(
        too_large,
        FrameTooLarge {
            len: u64::from(u32::MAX),
            max: pycos::io::DEFAULT_MAX_MSG_SIZE
        }
    );
}

#[pycos::test]
async fn the_message_limit_is_configurable() {
    let (client, server) = net::pair().await;
    server.set_max_msg_size(8);
    assert_eq!(server.max_msg_size(), 8);
    client.send_msg(b"12345678").await.unwrap();
    client.send_msg(b"123456789").await.unwrap();
    assert_eq!(server.recv_msg().await.unwrap().unwrap(), b"12345678");
    assert_eq!(
        server.recv_msg().await.unwrap_err().kind(),
        ErrorKind::InvalidData
    );
}

#[pycos::test]
async fn a_lying_length_allocates_only_what_arrives() {
    // 60 MiB announced (within the default limit), 3 bytes sent: the
    // receiver waits for more with a small buffer, then reports the cut.
    let (client, server) = net::pair().await;
    client.sendall(&(60_u32 << 20).to_be_bytes()).await.unwrap();
    client.sendall(b"abc").await.unwrap();
    drop(client);
    let cut = truncation(server.recv_msg().await.unwrap_err());
    assert_eq!(cut.partial, b"abc");
    assert_eq!(cut.expected, 60 << 20);
    assert!(
        cut.partial.capacity() <= 64 * 1024,
        "capacity {}",
        cut.partial.capacity()
    );
}

#[pycos::test]
async fn writing_to_a_closed_peer_fails_without_killing_the_process() {
    let (client, server) = net::pair().await;
    drop(server);
    let data = vec![0_u8; 1 << 20];
    let mut result = Ok(0);
    for _ in 0..50 {
        result = client.sendall(&data).await;
        if result.is_err() {
            break;
        }
    }
    let err = result.unwrap_err();
    assert!(
        matches!(
            err.kind(),
            ErrorKind::BrokenPipe | ErrorKind::ConnectionReset
        ),
        "{err}"
    );
}
