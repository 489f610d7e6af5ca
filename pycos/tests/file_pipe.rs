//! AsyncFile on descriptors the reactor watches (an OS pipe, a FIFO, a
//! socket): read, read_full, read to the end, readline with read-ahead,
//! write, write_full, and pycos' timeout rules on a virtual clock.

#[path = "support/net.rs"]
mod net;

use std::io::ErrorKind;

use pycos::io::AsyncFile;
use pycos::prelude::*;

fn pipe() -> (AsyncFile, AsyncFile) {
    let (reader, writer) = rustix::pipe::pipe().unwrap();
    let (reader, writer) = (
        AsyncFile::new(reader).unwrap(),
        AsyncFile::new(writer).unwrap(),
    );
    assert!(!reader.is_threaded() && !writer.is_threaded());
    (reader, writer)
}

#[pycos::test]
async fn read_returns_after_the_first_read_and_read_zero_reads_to_the_end() {
    let (reader, writer) = pipe();
    assert_eq!(writer.write(b"hello").await.unwrap(), 5);
    assert_eq!(reader.read(100).await.unwrap(), b"hello");
    writer.write_full(b"abc").await.unwrap();
    assert_eq!(reader.read(2).await.unwrap(), b"ab");
    writer.write_full(b"defgh").await.unwrap();
    drop(writer);
    assert_eq!(reader.read(0).await.unwrap(), b"cdefgh");
    assert_eq!(reader.read(10).await.unwrap(), b"", "end of input");
}

#[pycos::test]
async fn readline_keeps_what_follows_the_line() {
    let (reader, writer) = pipe();
    writer.write_full(b"first line\nsecond").await.unwrap();
    assert_eq!(reader.readline().await.unwrap(), b"first line\n");
    writer.write_full(b" half\nthird\nrest").await.unwrap();
    assert_eq!(reader.readline().await.unwrap(), b"second half\n");
    assert_eq!(
        reader.read(3).await.unwrap(),
        b"thi",
        "read-ahead is served first"
    );
    assert_eq!(reader.readline_max(3).await.unwrap(), b"rd\n");
    drop(writer);
    assert_eq!(reader.readline_max(2).await.unwrap(), b"re");
    assert_eq!(
        reader.readline().await.unwrap(),
        b"st",
        "the rest at the end"
    );
    assert_eq!(reader.readline().await.unwrap(), b"");
}

#[pycos::test]
async fn large_transfer_through_a_pipe() {
    let (reader, writer) = pipe();
    let data: Vec<u8> = (0..5_000_000_u32).map(|i| (i % 241) as u8).collect();
    let expected = data.clone();
    let feeder = Task::new(TaskSpec::new(
        "feeder",
        writer,
        move |writer, _task| async move { writer.write_full(&data).await.unwrap() },
    ));
    let got = reader.read(0).await.unwrap();
    assert_eq!(feeder.finish().await.unwrap(), expected.len());
    assert!(got == expected);
}

#[pycos::test(virtual_clock)]
async fn read_timeouts_follow_pycos() {
    let (reader, writer) = pipe();
    reader.settimeout(2.0);
    assert_eq!(
        reader.read(10).await.unwrap_err().kind(),
        ErrorKind::TimedOut
    );
    assert_eq!(
        reader.read_full(10).await.unwrap_err().kind(),
        ErrorKind::TimedOut
    );
    writer.write_full(b"part").await.unwrap();
    let start = pycos::time::now().unwrap();
    assert_eq!(
        reader.read_full(10).await.unwrap(),
        b"part",
        "partial data on timeout"
    );
    assert_eq!(pycos::time::now().unwrap() - start, 2.0);
    writer.write_full(b"to the end").await.unwrap();
    assert_eq!(
        reader.read(0).await.unwrap(),
        b"to the end",
        "read to the end returns what came"
    );
    writer.write_full(b"no newline").await.unwrap();
    assert_eq!(
        reader.readline().await.unwrap_err().kind(),
        ErrorKind::TimedOut
    );
    writer.write_full(b" yet\n").await.unwrap();
    assert_eq!(
        reader.readline().await.unwrap(),
        b"no newline yet\n",
        "a timed-out line is kept"
    );
}

#[pycos::test(virtual_clock)]
async fn write_timeouts_report_the_count() {
    let (_reader, writer) = pipe();
    writer.settimeout(1.0);
    let data = vec![7_u8; 1 << 20];
    let written = writer.write_full(&data).await.unwrap();
    assert!(written > 0 && written < data.len(), "wrote {written}");
    assert_eq!(
        writer.write_full(&data).await.unwrap_err().kind(),
        ErrorKind::TimedOut
    );
    assert_eq!(
        writer.write(&data).await.unwrap_err().kind(),
        ErrorKind::TimedOut
    );
    assert_eq!(writer.gettimeout(), Some(std::time::Duration::from_secs(1)));
}

#[pycos::test(virtual_clock)]
async fn an_abandoned_read_loses_nothing() {
    let (reader, writer) = pipe();
    writer.write_full(b"12345").await.unwrap();
    assert!(reader.read_full(10).timeout(1.0).await.is_none());
    assert_eq!(reader.read(10).await.unwrap(), b"12345");
}

#[pycos::test]
async fn a_fifo_is_watched_by_the_reactor() {
    let path = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("fifo-{}", std::process::id()));
    let _ = std::fs::remove_file(&path);
    assert!(
        std::process::Command::new("mkfifo")
            .arg(&path)
            .status()
            .unwrap()
            .success()
    );
    // Opening the read end first (non-blocking) lets the write end open at once.
    let read_end = rustix::fs::open(
        &path,
        rustix::fs::OFlags::RDONLY | rustix::fs::OFlags::NONBLOCK,
        rustix::fs::Mode::empty(),
    );
    let reader = AsyncFile::new(read_end.unwrap()).unwrap();
    let writer =
        AsyncFile::new(std::fs::OpenOptions::new().write(true).open(&path).unwrap()).unwrap();
    assert!(!reader.is_threaded() && !writer.is_threaded());
    writer.write_full(b"through the fifo\n").await.unwrap();
    drop(writer);
    assert_eq!(reader.readline().await.unwrap(), b"through the fifo\n");
    assert_eq!(reader.read(0).await.unwrap(), b"");
    std::fs::remove_file(&path).unwrap();
}

#[pycos::test]
async fn a_socket_becomes_a_file_like_socket_afile() {
    let (client, server) = net::pair().await;
    let (client, server) = (AsyncFile::from(client), AsyncFile::from(server));
    let data: Vec<u8> = (0..1_000_000_u32).map(|i| (i % 199) as u8).collect();
    let expected = data.clone();
    let sender = Task::new(TaskSpec::new(
        "sender",
        client,
        move |client, _task| async move { client.write_full(&data).await.unwrap() },
    ));
    let mut got = Vec::new();
    loop {
        let chunk = server.read(16 * 1024).await.unwrap();
        if chunk.is_empty() {
            break;
        }
        got.extend_from_slice(&chunk);
    }
    assert_eq!(sender.finish().await.unwrap(), expected.len());
    assert!(got == expected);
}

#[pycos::test]
async fn bytes_kept_by_the_socket_move_to_the_file() {
    let (client, server) = net::pair().await;
    client.sendall(b"kept then more").await.unwrap();
    // An abandoned recvall keeps what it read in the socket...
    assert!(server.recvall(100).timeout(0.1).await.is_none());
    // ...and the file made from the socket serves it first.
    let file = AsyncFile::from(server);
    drop(client);
    assert_eq!(file.read(0).await.unwrap(), b"kept then more");
}
