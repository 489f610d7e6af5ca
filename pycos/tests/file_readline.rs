//! `readline` on pipes and regular files: short, empty, long and split
//! lines, a last line without `\n`, `readline_max`, mixing with `read`,
//! a timeout inside a line, and the size of what a line holds on to.

use pycos::io::AsyncFile;
use pycos::prelude::*;

fn pipe() -> (AsyncFile, AsyncFile) {
    let (reader, writer) = rustix::pipe::pipe().unwrap();
    (
        AsyncFile::new(reader).unwrap(),
        AsyncFile::new(writer).unwrap(),
    )
}

async fn lines(file: &AsyncFile) -> Vec<Vec<u8>> {
    let mut lines = Vec::new();
    loop {
        let line = file.readline().await.unwrap();
        if line.is_empty() {
            return lines;
        }
        lines.push(line);
    }
}

/// What `readline` should give for `data`: std's split, `\n` kept.
fn expected(data: &[u8]) -> Vec<Vec<u8>> {
    data.split_inclusive(|&b| b == b'\n')
        .map(<[u8]>::to_vec)
        .collect()
}

/// Lines of every kind: empty, short, one longer than any read chunk, one
/// of exactly a chunk, and a last one without `\n`.
fn sample() -> Vec<u8> {
    let mut data = Vec::new();
    data.extend_from_slice(b"\n\nshort\nx\n");
    data.extend((0..100_000).map(|i| b'a' + (i % 26) as u8));
    data.push(b'\n');
    data.extend(std::iter::repeat_n(b'z', 16 * 1024 - 1));
    data.push(b'\n');
    for i in 0..1_000 {
        data.extend_from_slice(format!("line {i}\n").as_bytes());
    }
    data.extend_from_slice(b"no newline at the end");
    data
}

#[pycos::test]
async fn lines_split_across_writes_come_out_whole() {
    let (reader, writer) = pipe();
    let data = sample();
    // Odd-sized pieces, so lines (and the long one) straddle the writes.
    let feed = Task::new(TaskSpec::new(
        "writer",
        (writer, data.clone()),
        |(writer, data), task| async move {
            for piece in data.chunks(7_001) {
                writer.write_full(piece).await.unwrap();
                task.sleep(0.0).await;
            }
        },
    ));
    assert_eq!(lines(&reader).await, expected(&data));
    feed.finish().await.unwrap();
}

#[pycos::test]
async fn lines_of_a_regular_file_come_out_whole() {
    let data = sample();
    let path = std::env::temp_dir().join(format!("pycos-file_readline-{}.txt", std::process::id()));
    std::fs::write(&path, &data).unwrap();
    let file = AsyncFile::open(&path).unwrap();
    assert!(file.is_threaded());
    assert_eq!(lines(&file).await, expected(&data));
    std::fs::remove_file(&path).unwrap();
}

#[pycos::test]
async fn a_short_line_holds_only_its_own_bytes() {
    let (reader, writer) = pipe();
    writer.write_full(b"ab\ncd\n").await.unwrap();
    for want in [&b"ab\n"[..], b"cd\n"] {
        let line = reader.readline().await.unwrap();
        assert_eq!(line, want);
        // It used to be a 16 KiB zeroed buffer per line, kept by the caller.
        assert!(
            line.capacity() < 1024,
            "a 3-byte line holds {} bytes",
            line.capacity()
        );
    }
}

#[pycos::test]
async fn readline_max_and_read_share_the_bytes_read_ahead() {
    let (reader, writer) = pipe();
    writer.write_full(b"0123456789\nabc\ntail").await.unwrap();
    drop(writer);
    assert_eq!(reader.readline_max(4).await.unwrap(), b"0123");
    assert_eq!(
        reader.readline_max(7).await.unwrap(),
        b"456789\n",
        "\\n at the limit"
    );
    assert_eq!(reader.read(2).await.unwrap(), b"ab");
    assert_eq!(reader.readline_max(0).await.unwrap(), b"c\n", "0: no limit");
    assert_eq!(reader.read(0).await.unwrap(), b"tail");
    assert_eq!(reader.readline().await.unwrap(), b"");
}

#[pycos::test(virtual_clock)]
async fn a_line_cut_by_a_timeout_is_kept_for_the_next_readline() {
    let (reader, writer) = pipe();
    writer.write_full(b"first half, ").await.unwrap();
    assert!(reader.readline().timeout(1.0).await.is_none(), "no \\n yet");
    writer.write_full(b"second half\nnext").await.unwrap();
    assert_eq!(
        reader.readline().await.unwrap(),
        b"first half, second half\n"
    );
    drop(writer);
    assert_eq!(reader.readline().await.unwrap(), b"next");
}
