//! Port of pycos' `pipe_grep.py`: `grep -i error | wc`, two chained child
//! processes behind one [`AsyncPipe`]; a writer task feeds the file's lines
//! to `grep`, a reader task prints what `wc` says.
//!
//! ```text
//! cargo run -p pycos-examples --bin pipe_grep [file]   # default /var/log/syslog
//! ```

use std::io;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::Arc;

use pycos::prelude::*;

#[task]
fn writer(apipe: Arc<AsyncPipe>, inp: PathBuf) -> io::Result<()> {
    let copy = async {
        let fd = AsyncFile::open(&inp)?;
        loop {
            let line = fd.readline().await?;
            if line.is_empty() {
                return Ok(());
            }
            apipe.write_full(&line).await?;
        }
    };
    let copied: io::Result<()> = copy.await;
    // Closed in every case, so grep (and then wc) always see the end.
    apipe.close_stdin();
    if let Err(err) = &copied {
        eprintln!("cannot copy {}: {err}", inp.display());
    }
    copied
}

#[task]
fn line_reader(apipe: Arc<AsyncPipe>) -> usize {
    let mut nlines = 0;
    loop {
        let line = match apipe.readline().await {
            Ok(line) => line,
            Err(err) => {
                eprintln!("read failed: {err}");
                break;
            }
        };
        nlines += 1;
        if line.is_empty() {
            break;
        }
        println!("{}", String::from_utf8_lossy(&line).trim_end_matches('\n'));
    }
    nlines
}

#[pycos::main]
fn main() -> io::Result<()> {
    let inp = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "/var/log/syslog".to_owned());
    let mut p1 = Command::new("grep")
        .args(["-i", "error"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()?;
    let grep_out = p1
        .stdout
        .take()
        .ok_or_else(|| io::Error::other("grep has no stdout"))?;
    let p2 = Command::new("wc")
        .stdin(grep_out)
        .stdout(Stdio::piped())
        .spawn()?;
    let async_pipe = Arc::new(AsyncPipe::chain(p1, p2)?);
    Task::new(writer(async_pipe.clone(), PathBuf::from(inp)));
    Task::new(line_reader(async_pipe));
    Ok(())
}
