//! Port of pycos' `pipe_csum.py`: `sha1sum` run as a child process through
//! an [`AsyncPipe`], fed a file twice — once with `communicate`, once by a
//! writer task while a reader task collects the output. Both lines match.
//!
//! ```text
//! cargo run -p pycos-examples --bin pipe_csum [file]   # default: this program
//! ```

use std::io;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::Arc;

use pycos::prelude::*;

fn sha1sum() -> io::Result<AsyncPipe> {
    let child = Command::new("sha1sum")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()?;
    AsyncPipe::new(child)
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).trim_end().to_owned()
}

#[task]
fn communicate(input: PathBuf) -> io::Result<()> {
    let pipe = sha1sum()?;
    let (stdout, _stderr) = pipe.communicate(AsyncFile::open(input)?).await?;
    println!("communicate sha1sum: {}", text(&stdout.unwrap_or_default()));
    Ok(())
}

#[task]
fn write_proc(fin: AsyncFile, pipe: Arc<AsyncPipe>) -> io::Result<()> {
    loop {
        let data = fin.read(8 * 1024).await?;
        if data.is_empty() {
            break;
        }
        let n = pipe.write_full(&data).await?;
        assert_eq!(n, data.len());
    }
    pipe.close_stdin();
    Ok(())
}

#[task]
fn read_proc(pipe: Arc<AsyncPipe>) -> io::Result<Vec<u8>> {
    pipe.read(0).await
}

#[task]
fn custom_feeder(input: PathBuf) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let pipe = Arc::new(sha1sum()?);
    let reader = Task::new(read_proc(pipe.clone()));
    Task::new(write_proc(AsyncFile::open(input)?, pipe.clone()));
    let stdout = reader.finish().await?;
    println!("     feeder sha1sum: {}", text(&stdout));
    Ok(())
}

#[pycos::main]
fn main() -> Result<(), Box<dyn std::error::Error>> {
    let input = std::env::args()
        .nth(1)
        .map_or_else(std::env::current_exe, |path| Ok(PathBuf::from(path)))?;
    Task::new(communicate(input.clone())).value()?;
    Task::new(custom_feeder(input));
    Ok(())
}
