//! Reading commands from standard input, as pycos' interactive examples do
//! with `input()`.

use std::io::{BufRead, Write};

/// Reads lines until one is `quit` or `exit` (any case) or input ends,
/// printing `prompt` before each (pycos' `input(prompt)` loop).
pub fn until_quit(prompt: &str) {
    let stdin = std::io::stdin();
    let mut line = String::new();
    loop {
        print!("{prompt}");
        let _ = std::io::stdout().flush();
        line.clear();
        match stdin.lock().read_line(&mut line) {
            Ok(0) | Err(_) => {
                if !prompt.is_empty() {
                    println!();
                }
                return;
            }
            Ok(_) => {}
        }
        let cmd = line.trim().to_lowercase();
        if cmd == "quit" || cmd == "exit" {
            return;
        }
    }
}

/// The address in argument `index`, or `default`.
///
/// # Panics
///
/// With a usage message when the argument is not `host:port`.
pub fn addr_arg(index: usize, default: &str) -> std::net::SocketAddr {
    let text = std::env::args()
        .nth(index)
        .unwrap_or_else(|| default.to_owned());
    text.parse()
        .unwrap_or_else(|err| panic!("expected host:port (like {default}), got {text:?}: {err}"))
}

/// The chat programs' `[host [port]]` arguments (default 127.0.0.1 and
/// `default_port`), as a socket address.
///
/// # Panics
///
/// With a usage message when they do not make an address.
pub fn host_port_args(default_port: &str) -> std::net::SocketAddr {
    let mut args = std::env::args().skip(1);
    let host = args.next().unwrap_or_else(|| "127.0.0.1".to_owned());
    let port = args.next().unwrap_or_else(|| default_port.to_owned());
    parse_addr(&host, &port)
}

/// `host` and `port` as a socket address (pycos' `(host, port)` pairs).
///
/// # Panics
///
/// With a usage message when they do not make an address.
pub fn parse_addr(host: &str, port: &str) -> std::net::SocketAddr {
    use std::net::ToSocketAddrs;
    (
        host,
        port.parse::<u16>()
            .unwrap_or_else(|err| panic!("bad port {port:?}: {err}")),
    )
        .to_socket_addrs()
        .ok()
        .and_then(|mut addrs| addrs.next())
        .unwrap_or_else(|| panic!("cannot resolve {host:?}"))
}
