//! AsyncFile on descriptors epoll cannot watch (regular files) and on
//! descriptors kept in blocking mode (`threaded`): a worker thread makes the
//! calls; timeouts and abandoned reads behave as in the reactor.

use std::io::{ErrorKind, Write};
use std::path::PathBuf;
use std::time::Duration;

use pycos::WaitExt;
use pycos::io::{AsyncFile, OpenError};

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

#[test]
fn a_file_that_cannot_be_opened_is_named_in_the_error() {
    let missing = temp("missing-named");
    let err = AsyncFile::open(&missing).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound, "the cause's kind is kept");
    let text = err.to_string();
    assert!(
        text.contains(missing.to_str().unwrap()) && text.starts_with("cannot open "),
        "{text}"
    );
    let detail = err.get_ref().and_then(|e| e.downcast_ref::<OpenError>());
    assert_eq!(detail.map(OpenError::path), Some(missing.as_path()));

    let nowhere = temp("no-such-dir").join("out.txt");
    let err = AsyncFile::create(&nowhere).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound);
    assert!(
        err.to_string()
            .starts_with(&format!("cannot create {}", nowhere.display())),
        "{err}"
    );
}

#[pycos::test(virtual_clock)]
async fn virtual_time_waits_for_a_threaded_read() {
    let (reader, writer) = rustix::pipe::pipe().unwrap();
    let reader = AsyncFile::threaded(reader).unwrap();
    // The data comes from outside, a little later in real time: the worker
    // is blocked in read(2) meanwhile, and no task can run.
    let late = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(100));
        std::fs::File::from(writer).write_all(b"late").unwrap();
    });
    let start = pycos::time::now().unwrap();
    let got = reader.read(10).timeout(5.0).await;
    let waited = pycos::time::now().unwrap() - start;
    late.join().unwrap();
    // Before, the clock jumped to the time limit at once: `None`.
    assert_eq!(
        got.map(Result::unwrap),
        Some(b"late".to_vec()),
        "the read's time limit passed on the virtual clock while the read \
         was still running on its thread"
    );
    assert!(waited < 5.0, "virtual time moved {waited} s");
}

#[pycos::test]
async fn stdin_is_served_by_a_thread() {
    let stdin = AsyncFile::stdin().unwrap();
    assert!(stdin.is_threaded());
}
