//! Just enough HTTP/1.1 for the dashboard, over a pycos socket: requests
//! parsed by `httparse` (headers) with a `Content-Length` body,
//! keep-alive and pipelining, and bounded sizes and waits so that a slow
//! or hostile client costs one task and a little memory.

use std::fmt::Write as _;
use std::time::Duration;

use pycos::{AsyncSocket, WaitExt};

/// The most a request's line and headers may take.
const MAX_HEAD: usize = 16 << 10;
/// The most a request's body may take (forms are small).
const MAX_BODY: usize = 1 << 20;
/// The most headers a request may have.
const MAX_HEADERS: usize = 64;
/// How long a connection may stay silent (between or within requests).
pub(crate) const IDLE: Duration = Duration::from_secs(30);

/// A request, read whole.
#[derive(Debug)]
pub(crate) struct Request {
    pub(crate) method: String,
    /// The path without its query.
    pub(crate) path: String,
    /// What follows `?`, undecoded.
    pub(crate) query: String,
    headers: Vec<(String, String)>,
    pub(crate) body: Vec<u8>,
    /// Whether the connection stays open after the answer.
    pub(crate) keep_alive: bool,
}

impl Request {
    /// The first header named `name` (any case).
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Why no request came.
#[derive(Debug)]
pub(crate) enum ReadError {
    /// The client closed the connection (or was silent too long) between
    /// requests: nothing to answer.
    Gone,
    /// The bytes are not a request this server takes: answered with this
    /// status and text, then the connection is closed.
    Bad(u16, String),
}

/// A connection's read side: bytes read but not yet taken by a request.
#[derive(Debug, Default)]
pub(crate) struct Reader {
    buf: Vec<u8>,
}

impl Reader {
    /// Reads the next request (pipelined bytes of a later one are kept).
    pub(crate) async fn next(&mut self, sock: &AsyncSocket) -> Result<Request, ReadError> {
        loop {
            if let Some(head) = parse_head(&self.buf)? {
                let need = head.len + head.body_len;
                while self.buf.len() < need {
                    self.fill(sock).await.map_err(|_| {
                        ReadError::Bad(400, "the body ended before its Content-Length".into())
                    })?;
                }
                let body = self.buf[head.len..need].to_vec();
                self.buf.drain(..need);
                return Ok(head.into_request(body));
            }
            if self.buf.len() > MAX_HEAD {
                return Err(ReadError::Bad(
                    431,
                    "the request's headers are too large".into(),
                ));
            }
            let started = !self.buf.is_empty();
            if let Err(gone) = self.fill(sock).await {
                return Err(if started {
                    ReadError::Bad(400, format!("the request ended early: {gone}"))
                } else {
                    ReadError::Gone
                });
            }
        }
    }

    /// Reads more bytes; `Err` when the connection closed or went silent.
    async fn fill(&mut self, sock: &AsyncSocket) -> Result<(), String> {
        let mut chunk = [0u8; 8192];
        match sock.recv_into(&mut chunk).timeout(IDLE).await {
            None => Err(format!("silent for {IDLE:?}")),
            Some(Ok(0)) => Err("closed".into()),
            Some(Ok(n)) => {
                self.buf.extend_from_slice(&chunk[..n]);
                Ok(())
            }
            Some(Err(err)) => Err(err.to_string()),
        }
    }
}

/// A parsed request line and headers.
struct Head {
    len: usize,
    body_len: usize,
    method: String,
    target: String,
    headers: Vec<(String, String)>,
    keep_alive: bool,
}

impl Head {
    fn into_request(self, body: Vec<u8>) -> Request {
        let (path, query) = match self.target.split_once('?') {
            Some((path, query)) => (path.to_owned(), query.to_owned()),
            None => (self.target, String::new()),
        };
        Request {
            method: self.method,
            path,
            query,
            headers: self.headers,
            body,
            keep_alive: self.keep_alive,
        }
    }
}

/// The head of the request at the start of `bytes`, once it is whole.
fn parse_head(bytes: &[u8]) -> Result<Option<Head>, ReadError> {
    let mut slots = [httparse::EMPTY_HEADER; MAX_HEADERS];
    let mut req = httparse::Request::new(&mut slots);
    let len = match req.parse(bytes) {
        Ok(httparse::Status::Complete(len)) => len,
        Ok(httparse::Status::Partial) => return Ok(None),
        Err(httparse::Error::TooManyHeaders) => {
            return Err(ReadError::Bad(431, "too many headers".into()));
        }
        Err(err) => return Err(ReadError::Bad(400, format!("not an HTTP request: {err}"))),
    };
    let mut headers = Vec::with_capacity(req.headers.len());
    for header in req.headers.iter() {
        let value = std::str::from_utf8(header.value)
            .map_err(|_| ReadError::Bad(400, format!("header {} is not text", header.name)))?;
        headers.push((header.name.to_owned(), value.trim().to_owned()));
    }
    let find = |name: &str| {
        headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    };
    if find("transfer-encoding").is_some() {
        return Err(ReadError::Bad(
            411,
            "send the body with a Content-Length (no chunked encoding)".into(),
        ));
    }
    // Two lengths that differ would let a request smuggle another.
    let mut lengths = headers
        .iter()
        .filter(|(n, _)| n.eq_ignore_ascii_case("content-length"))
        .map(|(_, v)| v.as_str());
    let body_len = match lengths.next() {
        None => 0,
        Some(text) => {
            let len = text
                .parse::<usize>()
                .map_err(|_| ReadError::Bad(400, format!("bad Content-Length {text:?}")))?;
            if lengths.any(|other| other != text) {
                return Err(ReadError::Bad(
                    400,
                    "Content-Length headers disagree".into(),
                ));
            }
            len
        }
    };
    if headers
        .iter()
        .filter(|(n, _)| n.eq_ignore_ascii_case("host"))
        .count()
        > 1
    {
        return Err(ReadError::Bad(400, "more than one Host header".into()));
    }
    if body_len > MAX_BODY {
        return Err(ReadError::Bad(
            413,
            format!("bodies over {MAX_BODY} bytes are refused"),
        ));
    }
    let connection = find("connection").map(str::to_ascii_lowercase);
    let keep_alive = match req.version {
        Some(1) => connection.as_deref() != Some("close"),
        _ => connection.as_deref() == Some("keep-alive"),
    };
    Ok(Some(Head {
        len,
        body_len,
        // httparse gives both once the head is complete.
        method: req.method.unwrap_or_default().to_owned(),
        target: origin_form(req.path.unwrap_or_default()).to_owned(),
        headers,
        keep_alive,
    }))
}

/// The path and query of a request target, also of one in absolute form
/// (`http://host:port/path?query`, which servers must take).
fn origin_form(target: &str) -> &str {
    let Some(rest) = target
        .strip_prefix("http://")
        .or_else(|| target.strip_prefix("https://"))
    else {
        return target;
    };
    rest.find('/').map_or("/", |slash| &rest[slash..])
}

/// An answer.
#[derive(Debug)]
pub(crate) struct Response {
    pub(crate) status: u16,
    pub(crate) content_type: &'static str,
    pub(crate) body: Vec<u8>,
    headers: Vec<(&'static str, String)>,
}

impl Response {
    pub(crate) fn new(status: u16, content_type: &'static str, body: impl Into<Vec<u8>>) -> Self {
        Response {
            status,
            content_type,
            body: body.into(),
            headers: Vec::new(),
        }
    }

    pub(crate) fn json(value: &serde_json::Value) -> Self {
        Response::new(200, "application/json; charset=utf-8", value.to_string())
    }

    /// An error as JSON: `{"error": why}`.
    pub(crate) fn error(status: u16, why: impl Into<String>) -> Self {
        let body = serde_json::json!({ "error": why.into() });
        Response::new(status, "application/json; charset=utf-8", body.to_string())
    }

    pub(crate) fn text(status: u16, text: impl Into<String>) -> Self {
        Response::new(status, "text/plain; charset=utf-8", text.into())
    }

    pub(crate) fn with_header(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.headers.push((name, value.into()));
        self
    }

    /// The bytes on the wire.
    pub(crate) fn encode(&self, keep_alive: bool, head_only: bool) -> Vec<u8> {
        let mut head = String::with_capacity(256);
        let _ = write!(
            head,
            "HTTP/1.1 {} {}\r\nContent-Type: {}\r\nContent-Length: {}\r\n\
             Cache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\n\
             Referrer-Policy: no-referrer\r\nConnection: {}\r\n",
            self.status,
            reason(self.status),
            self.content_type,
            self.body.len(),
            if keep_alive { "keep-alive" } else { "close" },
        );
        for (name, value) in &self.headers {
            let _ = write!(head, "{name}: {value}\r\n");
        }
        head.push_str("\r\n");
        let mut bytes = head.into_bytes();
        if !head_only {
            bytes.extend_from_slice(&self.body);
        }
        bytes
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        411 => "Length Required",
        413 => "Payload Too Large",
        421 => "Misdirected Request",
        431 => "Request Header Fields Too Large",
        503 => "Service Unavailable",
        _ => "Error",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn head(bytes: &str) -> Result<Option<Head>, ReadError> {
        parse_head(bytes.as_bytes())
    }

    #[test]
    fn a_whole_head_is_parsed_and_a_partial_one_waits() {
        assert!(
            head("GET /cluster_status HTTP/1.1\r\nHost: x")
                .unwrap()
                .is_none()
        );
        let h = head("POST /a?b=1 HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc")
            .unwrap()
            .unwrap();
        assert_eq!(h.body_len, 3);
        assert!(h.keep_alive, "HTTP/1.1 keeps the connection by default");
        let req = h.into_request(b"abc".to_vec());
        assert_eq!((req.path.as_str(), req.query.as_str()), ("/a", "b=1"));
        let close = head("GET / HTTP/1.1\r\nConnection: close\r\n\r\n")
            .unwrap()
            .unwrap();
        assert!(!close.keep_alive);
        let absolute = head("GET http://127.0.0.1:1/a?b HTTP/1.1\r\n\r\n")
            .unwrap()
            .unwrap();
        assert_eq!(absolute.target, "/a?b", "the absolute form's path");
        assert_eq!(origin_form("https://x"), "/");
        let old = head("GET / HTTP/1.0\r\n\r\n").unwrap().unwrap();
        assert!(!old.keep_alive, "HTTP/1.0 closes by default");
    }

    #[test]
    fn bad_requests_are_refused_with_a_status() {
        let status = |text: &str| match head(text) {
            Err(ReadError::Bad(status, _)) => status,
            other => panic!(
                "{text:?} gave {other:?}",
                other = other.map(|h| h.is_some())
            ),
        };
        assert_eq!(status("\x16\x03\x01 garbage\r\n\r\n"), 400);
        assert_eq!(status("GET / HTTP/1.1\r\nContent-Length: x\r\n\r\n"), 400);
        assert_eq!(
            status("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"),
            411
        );
        assert_eq!(
            status("POST / HTTP/1.1\r\nContent-Length: 99999999\r\n\r\n"),
            413
        );
        let two_lengths = "POST / HTTP/1.1\r\nContent-Length: 5\r\nContent-Length: 14\r\n\r\n";
        assert_eq!(status(two_lengths), 400, "lengths that disagree");
        assert_eq!(status("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"), 400);
        let many: String = (0..70).map(|i| format!("H{i}: v\r\n")).collect();
        assert_eq!(status(&format!("GET / HTTP/1.1\r\n{many}\r\n")), 431);
    }

    #[test]
    fn a_response_has_its_length_and_connection() {
        let bytes = Response::text(404, "no such page").encode(false, false);
        let text = String::from_utf8(bytes).unwrap();
        assert!(text.starts_with("HTTP/1.1 404 Not Found\r\n"), "{text}");
        assert!(text.contains("Content-Length: 12\r\n"));
        assert!(text.contains("Connection: close\r\n"));
        assert!(text.ends_with("\r\n\r\nno such page"));
        let head = Response::text(200, "body").encode(true, true);
        assert!(
            String::from_utf8(head).unwrap().ends_with("\r\n\r\n"),
            "HEAD has no body"
        );
    }
}
