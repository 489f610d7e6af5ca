//! `communicate`: feed stdin, collect stdout and stderr, wait for the end.
//!
//! The three run at once: a child that fills its stdout or stderr pipe
//! before it has read all its input would otherwise stop, waiting for a
//! reader that is still writing to it.

use std::io;

use super::AsyncPipe;
use crate::io::file::AsyncFile;
use crate::io::join::join3;

/// Bytes read at a time from an input file.
const FEED_CHUNK: usize = 64 * 1024;

/// What [`AsyncPipe::communicate`] writes to the process's stdin before
/// closing it.
#[derive(Debug, Default)]
pub enum Input {
    /// Nothing: stdin is closed at once.
    #[default]
    None,
    /// These bytes.
    Bytes(Vec<u8>),
    /// Everything read from this file (pycos accepts a file object).
    File(Box<AsyncFile>),
}

impl From<Vec<u8>> for Input {
    fn from(bytes: Vec<u8>) -> Input {
        Input::Bytes(bytes)
    }
}

impl From<&[u8]> for Input {
    fn from(bytes: &[u8]) -> Input {
        Input::Bytes(bytes.to_vec())
    }
}

impl<const N: usize> From<&[u8; N]> for Input {
    fn from(bytes: &[u8; N]) -> Input {
        Input::Bytes(bytes.to_vec())
    }
}

impl From<&str> for Input {
    fn from(text: &str) -> Input {
        Input::Bytes(text.as_bytes().to_vec())
    }
}

impl From<String> for Input {
    fn from(text: String) -> Input {
        Input::Bytes(text.into_bytes())
    }
}

impl From<AsyncFile> for Input {
    fn from(file: AsyncFile) -> Input {
        Input::File(Box::new(file))
    }
}

impl AsyncPipe {
    /// Writes `input` to stdin and closes it, collects stdout and stderr
    /// (those piped; `None` for the others) until they end, then waits for
    /// the processes to end (pycos' `communicate`). Large outputs on both
    /// streams do not deadlock: everything runs at once.
    ///
    /// A process that exits without reading all its input is not an error,
    /// as with std's `wait_with_output`.
    ///
    /// # Errors
    ///
    /// Read and write failures; a failure to collect the exit status.
    pub async fn communicate(
        &self,
        input: impl Into<Input>,
    ) -> io::Result<(Option<Vec<u8>>, Option<Vec<u8>>)> {
        let input = input.into();
        let stdin = self.take_stdin();
        let feed = async move {
            match stdin {
                Some(stdin) => feed(&stdin, input).await,
                None => Ok(()),
            }
        };
        let (fed, out, err) = join3(feed, drain(self.stdout()), drain(self.stderr())).await;
        match fed {
            Err(err) if err.kind() != io::ErrorKind::BrokenPipe => return Err(err),
            _ => {}
        }
        let (out, err) = (out?, err?);
        self.wait().await?;
        Ok((out, err))
    }
}

/// Writes `input` to `stdin`; closing is the caller's (dropping it).
async fn feed(stdin: &AsyncFile, input: Input) -> io::Result<()> {
    match input {
        Input::None => Ok(()),
        Input::Bytes(bytes) => write_all(stdin, &bytes).await,
        Input::File(file) => loop {
            let chunk = file.read(FEED_CHUNK).await?;
            if chunk.is_empty() {
                return Ok(());
            }
            write_all(stdin, &chunk).await?;
        },
    }
}

async fn write_all(stdin: &AsyncFile, data: &[u8]) -> io::Result<()> {
    let n = stdin.write_full(data).await?;
    if n < data.len() {
        return Err(io::Error::new(
            io::ErrorKind::TimedOut,
            "writing to the process timed out",
        ));
    }
    Ok(())
}

/// Everything up to the end of `stream`, if there is a stream.
async fn drain(stream: Option<&AsyncFile>) -> io::Result<Option<Vec<u8>>> {
    match stream {
        Some(stream) => stream.read(0).await.map(Some),
        None => Ok(None),
    }
}
