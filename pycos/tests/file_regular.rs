//! AsyncFile on descriptors epoll cannot watch (regular files) and on
//! descriptors kept in blocking mode (`threaded`): a worker thread makes the
//! calls; timeouts and abandoned reads behave as in the reactor.

use std::io::ErrorKind;
use std::path::PathBuf;

use pycos::io::AsyncFile;

fn temp(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("{name}-{}", std::process::id()))
}

#[pycos::test]
async fn regular_files_go_through_a_thread() {
    let path = temp("regular");
    let out = AsyncFile::create(&path).unwrap();
    assert!(out.is_threaded());
    let text: String = (0..2000).map(|i| format!("line {i}\n")).collect();
    assert_eq!(out.write_full(text.as_bytes()).await.unwrap(), text.len());
    out.close();

    let input = AsyncFile::open(&path).unwrap();
    assert!(input.is_threaded());
    assert_eq!(input.readline().await.unwrap(), b"line 0\n");
    assert_eq!(input.read(5).await.unwrap(), b"line ");
    assert_eq!(input.readline().await.unwrap(), b"1\n");
    let rest = input.read(0).await.unwrap();
    assert_eq!(rest.len(), text.len() - "line 0\nline 1\n".len());
    assert_eq!(input.read(10).await.unwrap(), b"", "end of file");
    std::fs::remove_file(&path).unwrap();
}

#[pycos::test]
async fn reading_a_missing_or_read_only_file_fails() {
    assert_eq!(
        AsyncFile::open(temp("missing")).unwrap_err().kind(),
        ErrorKind::NotFound
    );
    let path = temp("read-only");
    std::fs::write(&path, b"x").unwrap();
    let file = AsyncFile::open(&path).unwrap();
    assert!(file.write(b"y").await.is_err(), "opened for reading only");
    std::fs::remove_file(&path).unwrap();
}

#[pycos::test]
async fn threaded_pipe_timeouts_keep_late_data() {
    let (reader, writer) = rustix::pipe::pipe().unwrap();
    let reader = AsyncFile::threaded(reader).unwrap();
    let writer = AsyncFile::new(writer).unwrap();
    assert!(reader.is_threaded());
    reader.settimeout(0.05);
    // The worker stays blocked in read(2) after the task gives up...
    assert_eq!(
        reader.read(10).await.unwrap_err().kind(),
        ErrorKind::TimedOut
    );
    writer.write_full(b"late").await.unwrap();
    reader.settimeout(None);
    // ...and the next read takes over its result.
    assert_eq!(reader.read(10).await.unwrap(), b"late");
    drop(writer);
    assert_eq!(reader.read(0).await.unwrap(), b"");
}

#[pycos::test]
async fn stdin_is_served_by_a_thread() {
    let stdin = AsyncFile::stdin().unwrap();
    assert!(stdin.is_threaded());
}
