//! A minimal HTTP/1.1 client: requests written whole, answers read by
//! their status line, headers and `Content-Length` body.
//! Every connect, read and write is bounded by [`IO_WAIT`].

use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{Ipv4Addr, Shutdown, SocketAddr, TcpStream};
use std::time::Duration;

use serde_json::Value;

/// The longest any connect, read or write may take.
pub(crate) const IO_WAIT: Duration = Duration::from_secs(20);

/// An answer, read whole.
#[derive(Debug)]
pub(crate) struct Answer {
    pub(crate) status: u16,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) body: Vec<u8>,
}

impl Answer {
    /// The first header named `name` (any case).
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The `Content-Type`, or `""`.
    pub(crate) fn content_type(&self) -> &str {
        self.header("content-type").unwrap_or_default()
    }

    pub(crate) fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// The body as JSON; fails showing the answer when it is not.
    pub(crate) fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|err| {
            panic!(
                "answer {} is not JSON ({err}): {:?}",
                self.status,
                self.text()
            )
        })
    }
}

/// A connection to the dashboard.
pub(crate) struct Conn {
    reader: BufReader<TcpStream>,
}

impl Conn {
    /// Connects to 127.0.0.1:`port`.
    pub(crate) fn open(port: u16) -> io::Result<Conn> {
        let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
        let stream = TcpStream::connect_timeout(&addr, IO_WAIT)?;
        stream.set_read_timeout(Some(IO_WAIT))?;
        stream.set_write_timeout(Some(IO_WAIT))?;
        stream.set_nodelay(true)?;
        Ok(Conn {
            reader: BufReader::new(stream),
        })
    }

    /// Writes `bytes` as they are.
    pub(crate) fn send_raw(&mut self, bytes: &[u8]) -> io::Result<()> {
        let stream = self.reader.get_mut();
        stream.write_all(bytes)?;
        stream.flush()
    }

    /// Ends the writing half (the server reads the end of input).
    pub(crate) fn end_writes(&mut self) -> io::Result<()> {
        self.reader.get_ref().shutdown(Shutdown::Write)
    }

    /// Reads one answer (`head_only`: the answer to a HEAD, no body).
    pub(crate) fn read_answer(&mut self, head_only: bool) -> io::Result<Answer> {
        let bad = |why: String| io::Error::new(io::ErrorKind::InvalidData, why);
        let mut line = String::new();
        if self.reader.read_line(&mut line)? == 0 {
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "the connection closed before an answer",
            ));
        }
        let status = line
            .strip_prefix("HTTP/1.1 ")
            .and_then(|rest| rest.get(..3))
            .and_then(|code| code.parse::<u16>().ok())
            .ok_or_else(|| bad(format!("not a status line: {line:?}")))?;
        let mut headers = Vec::new();
        loop {
            line.clear();
            self.reader.read_line(&mut line)?;
            let header = line.trim_end_matches(['\r', '\n']);
            if header.is_empty() {
                break;
            }
            let (name, value) = header
                .split_once(':')
                .ok_or_else(|| bad(format!("not a header: {header:?}")))?;
            headers.push((name.trim().to_owned(), value.trim().to_owned()));
        }
        let length = headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case("content-length"))
            .map(|(_, v)| v.parse::<usize>())
            .ok_or_else(|| bad("an answer without Content-Length".into()))?
            .map_err(|err| bad(format!("bad Content-Length: {err}")))?;
        let mut body = vec![0; if head_only { 0 } else { length }];
        self.reader.read_exact(&mut body)?;
        Ok(Answer {
            status,
            headers,
            body,
        })
    }

    /// Whether the server closed the connection: the next read finds
    /// the end (within [`IO_WAIT`]).
    pub(crate) fn is_closed_by_server(&mut self) -> bool {
        let mut byte = [0u8; 1];
        matches!(self.reader.read(&mut byte), Ok(0))
    }

    /// Sends `request` and reads its answer.
    pub(crate) fn ask(&mut self, request: &[u8]) -> io::Result<Answer> {
        self.send_raw(request)?;
        self.read_answer(false)
    }
}

/// The bytes of a request. `host`: the `Host` header's value;
/// `headers`: more headers; a body gets its `Content-Length` and, for
/// a POST, the form content type.
pub(crate) fn request(
    method: &str,
    path: &str,
    host: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> Vec<u8> {
    let mut text = format!("{method} {path} HTTP/1.1\r\nHost: {host}\r\n");
    for (name, value) in headers {
        text.push_str(&format!("{name}: {value}\r\n"));
    }
    if method == "POST" || !body.is_empty() {
        text.push_str("Content-Type: application/x-www-form-urlencoded\r\n");
        text.push_str(&format!("Content-Length: {}\r\n", body.len()));
    }
    text.push_str("\r\n");
    text.push_str(body);
    text.into_bytes()
}

/// The bytes of `GET path` for `host`.
pub(crate) fn get(path: &str, host: &str) -> Vec<u8> {
    request("GET", path, host, &[], "")
}

/// `fields` as an `application/x-www-form-urlencoded` body.
pub(crate) fn form(fields: &[(&str, &str)]) -> String {
    let encode = |text: &str| -> String {
        text.bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                    char::from(b).to_string()
                }
                _ => format!("%{b:02X}"),
            })
            .collect()
    };
    fields
        .iter()
        .map(|(name, value)| format!("{}={}", encode(name), encode(value)))
        .collect::<Vec<_>>()
        .join("&")
}
