//! What a node tells a server process it starts: a small `key=value` file
//! in the server's own directory (mode 0600), named by the environment
//! variable [`SERVER_ENV`](super::SERVER_ENV). A file, not the
//! environment, so the secret is not visible in `/proc/<pid>/environ`.

use std::fmt::Write as _;
use std::net::IpAddr;
use std::path::{Path, PathBuf};

use crate::Location;
use crate::dispycos::proto::{Setup, SetupCall};

/// A server process's configuration.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ServerConfig {
    pub(crate) index: usize,
    pub(crate) name: String,
    pub(crate) host: IpAddr,
    pub(crate) port: u16,
    pub(crate) node: Location,
    pub(crate) scheduler: Location,
    pub(crate) auth: String,
    pub(crate) secret: String,
    pub(crate) msg_timeout: f64,
    pub(crate) dir: PathBuf,
    pub(crate) setup: Setup,
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().fold(String::new(), |mut out, b| {
        let _ = write!(out, "{b:02x}");
        out
    })
}

fn unhex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok())
        .collect()
}

fn call_text(call: &Option<SetupCall>) -> String {
    match call {
        None => String::new(),
        Some(call) => format!("{} {:x} {}", call.name, call.signature, hex(&call.args)),
    }
}

fn call_of(text: &str) -> Result<Option<SetupCall>, String> {
    if text.is_empty() {
        return Ok(None);
    }
    let mut parts = text.split(' ');
    let (Some(name), Some(sig), Some(args)) = (parts.next(), parts.next(), parts.next()) else {
        return Err(format!("bad setup call {text:?}"));
    };
    Ok(Some(SetupCall {
        name: name.to_owned(),
        signature: u64::from_str_radix(sig, 16).map_err(|e| format!("bad signature {sig}: {e}"))?,
        args: unhex(args).ok_or_else(|| format!("bad setup arguments {args:?}"))?,
    }))
}

impl ServerConfig {
    pub(crate) fn to_text(&self) -> String {
        let mut out = String::new();
        let lines = [
            ("index", self.index.to_string()),
            ("name", self.name.clone()),
            ("host", self.host.to_string()),
            ("port", self.port.to_string()),
            ("node", self.node.to_string()),
            ("scheduler", self.scheduler.to_string()),
            ("auth", self.auth.clone()),
            ("secret", hex(self.secret.as_bytes())),
            ("msg_timeout", self.msg_timeout.to_string()),
            ("dir", self.dir.to_string_lossy().into_owned()),
            ("node_setup", call_text(&self.setup.node_setup)),
            ("server_setup", call_text(&self.setup.server_setup)),
            ("disable_servers", self.setup.disable_servers.to_string()),
            ("restart_servers", self.setup.restart_servers.to_string()),
        ];
        for (key, value) in lines {
            let _ = writeln!(out, "{key}={value}");
        }
        out
    }

    pub(crate) fn from_text(text: &str) -> Result<ServerConfig, String> {
        let get = |key: &str| -> Result<&str, String> {
            text.lines()
                .find_map(|line| line.strip_prefix(key)?.strip_prefix('='))
                .ok_or_else(|| format!("no {key} in the server configuration"))
        };
        let parse_err = |key: &str, err: &dyn std::fmt::Display| format!("bad {key}: {err}");
        let secret = unhex(get("secret")?).ok_or("bad secret")?;
        Ok(ServerConfig {
            index: get("index")?.parse().map_err(|e| parse_err("index", &e))?,
            name: get("name")?.to_owned(),
            host: get("host")?.parse().map_err(|e| parse_err("host", &e))?,
            port: get("port")?.parse().map_err(|e| parse_err("port", &e))?,
            node: get("node")?.parse().map_err(|e| parse_err("node", &e))?,
            scheduler: get("scheduler")?
                .parse()
                .map_err(|e| parse_err("scheduler", &e))?,
            auth: get("auth")?.to_owned(),
            secret: String::from_utf8(secret).map_err(|e| parse_err("secret", &e))?,
            msg_timeout: get("msg_timeout")?
                .parse()
                .map_err(|e| parse_err("msg_timeout", &e))?,
            dir: PathBuf::from(get("dir")?),
            setup: Setup {
                node_setup: call_of(get("node_setup")?)?,
                server_setup: call_of(get("server_setup")?)?,
                disable_servers: get("disable_servers")? == "true",
                restart_servers: get("restart_servers")? == "true",
            },
        })
    }

    /// Writes the file (mode 0600) at `path`.
    pub(crate) fn write(&self, path: &Path) -> std::io::Result<()> {
        use std::io::Write as _;
        use std::os::unix::fs::OpenOptionsExt as _;
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .mode(0o600)
            .open(path)?;
        file.write_all(self.to_text().as_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_through_text() {
        let config = sample();
        let text = config.to_text();
        let back = ServerConfig::from_text(&text).unwrap();
        assert_eq!(back.to_text(), text);
        assert_eq!(back.secret, config.secret);
        assert_eq!(back.setup.node_setup, config.setup.node_setup);
    }

    fn sample() -> ServerConfig {
        ServerConfig {
            index: 1,
            name: "n_server-1".into(),
            host: "127.0.0.1".parse().unwrap(),
            port: 9707,
            node: "127.0.0.1:9706".parse().unwrap(),
            scheduler: "127.0.0.1:9705".parse().unwrap(),
            auth: "ab12".into(),
            secret: "s e=c\nret".into(),
            msg_timeout: 10.0,
            dir: "/tmp/x y".into(),
            setup: Setup {
                node_setup: Some(SetupCall {
                    name: "c::f".into(),
                    signature: 0xdead,
                    args: vec![1, 2, 255],
                }),
                server_setup: None,
                disable_servers: true,
                restart_servers: false,
            },
        }
    }

    #[test]
    fn a_missing_key_is_named() {
        let text = sample().to_text();
        let without_name: String = text
            .lines()
            .filter(|l| !l.starts_with("name="))
            .map(|l| format!("{l}\n"))
            .collect();
        let err = ServerConfig::from_text(&without_name).unwrap_err();
        assert!(err.contains("no name"), "{err}");
    }
}
