//! The remote function and messages of `rps_node_server` and
//! `rps_node_client`: the client sends a script to the server's
//! `dest_path` with `send_file`, then calls [`node_update_rps`](fn@node_update_rps), which
//! runs it, but only for a client that proves it knows the server's
//! authentication string:
//!
//! 1. the task sends the client a [`Challenge`] of 20 random bytes;
//! 2. the client answers (within 5 s) with an [`Answer`]: the
//!    HMAC-SHA256 of the challenge keyed with the authentication string
//!    ([`answer`]), so the string itself never crosses the network;
//! 3. the task checks it in constant time; a wrong or missing answer
//!    fails the task (`invalid authentication`) and nothing runs;
//! 4. otherwise it runs the script (`sh` for `.sh`, `python3` for `.py`,
//!    else the file itself) with the number given, collects its stdout
//!    and stderr with `AsyncPipe::communicate`, sends them to the client
//!    as a [`ScriptOutput`] and ends with the script's exit code.
//!
//! pycos' example hashes the string and the challenge with SHA-512; an
//! HMAC is the sound way to key a hash, so this port uses one (from
//! `ring`, which pycos-net already builds on).
//!
//! Defined in the library so that both programs link the same
//! [`RemoteFn`](pycos::rps::RemoteFn) type. The server's program sets
//! the authentication string and the scripts' directory with
//! [`serve`] before it registers the function; the task prints
//! `running SCRIPT for CLIENT` or `refused CLIENT: WHY` on its stdout.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;

use pycos::prelude::*;
use pycos::{Message, Task};
use ring::hmac;
use ring::rand::{SecureRandom, SystemRandom};
use serde::{Deserialize, Serialize};

/// The random bytes the server's task sends first.
#[derive(Debug, Clone, Serialize, Deserialize, Message)]
#[message(name = "pycos_examples::rps_node::Challenge")]
pub struct Challenge {
    /// 20 random bytes.
    pub bytes: Vec<u8>,
}

/// The client's answer to a [`Challenge`].
#[derive(Debug, Clone, Serialize, Deserialize, Message)]
#[message(name = "pycos_examples::rps_node::Answer")]
pub struct Answer {
    /// [`answer`] of the challenge.
    pub tag: Vec<u8>,
}

/// What the script printed, sent to the client before the task ends.
#[derive(Debug, Clone, Serialize, Deserialize, Message)]
#[message(name = "pycos_examples::rps_node::ScriptOutput")]
pub struct ScriptOutput {
    /// Its standard output.
    pub stdout: String,
    /// Its standard error.
    pub stderr: String,
}

/// The answer to `challenge` for the authentication string `auth`: the
/// HMAC-SHA256 of the challenge keyed with the string.
pub fn answer(auth: &str, challenge: &[u8]) -> Vec<u8> {
    let key = hmac::Key::new(hmac::HMAC_SHA256, auth.as_bytes());
    hmac::sign(&key, challenge).as_ref().to_vec()
}

/// The server's side: the authentication string and where scripts are.
struct Config {
    key: hmac::Key,
    scripts: PathBuf,
}

static CONFIG: OnceLock<Config> = OnceLock::new();

/// Sets the authentication string and the directory of the scripts (the
/// first call wins); `false` if they were set already.
pub fn serve(auth: &str, scripts: PathBuf) -> bool {
    let key = hmac::Key::new(hmac::HMAC_SHA256, auth.as_bytes());
    CONFIG.set(Config { key, scripts }).is_ok()
}

/// The command that runs `script`.
fn command(script: &Path) -> Command {
    match script.extension().and_then(|ext| ext.to_str()) {
        Some("sh") => {
            let mut cmd = Command::new("sh");
            cmd.arg(script);
            cmd
        }
        Some("py") => {
            let mut cmd = Command::new("python3");
            cmd.arg(script);
            cmd
        }
        _ => Command::new(script),
    }
}

/// Authenticates `client`, then runs the script `script` (a name in the
/// scripts' directory; any directory part is ignored) with the argument
/// `n`; ends with its exit code (-1 if a signal ended it).
#[task(remote, name = "pycos_examples::rps_node::node_update_rps")]
pub fn node_update_rps(client: Task, script: String, n: f64, task: TaskCtx) -> Result<i32, String> {
    let config = CONFIG.get().ok_or("the server is not set up")?;
    let refuse = |why: &str| {
        println!("refused {client}: {why}");
        Err(why.to_owned())
    };
    let mut bytes = vec![0; 20];
    SystemRandom::new()
        .fill(&mut bytes)
        .map_err(|_| "no random bytes")?;
    client
        .send(Challenge {
            bytes: bytes.clone(),
        })
        .map_err(|err| err.to_string())?;
    let reply = task
        .receive_matching(|msg| msg.is::<Answer>())
        .timeout(5.0)
        .await;
    let Some(reply) = reply else {
        return refuse("no answer to the challenge");
    };
    let tag = reply.downcast_ref::<Answer>().map(|a| a.tag.as_slice());
    if tag.is_none_or(|tag| hmac::verify(&config.key, &bytes, tag).is_err()) {
        return refuse("invalid authentication");
    }
    let name = Path::new(&script)
        .file_name()
        .ok_or_else(|| format!("invalid script {script:?}"))?;
    let path = config.scripts.join(name);
    if !path.is_file() {
        return refuse(&format!("no script {}", name.to_string_lossy()));
    }
    println!("running {} for {client}", name.to_string_lossy());
    let child = command(&path)
        .arg(n.to_string())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|err| format!("cannot run {}: {err}", path.display()))?;
    let pipe = AsyncPipe::new(child).map_err(|err| err.to_string())?;
    let (out, err) = pipe
        .communicate(pycos::io::Input::None)
        .await
        .map_err(|err| err.to_string())?;
    let text =
        |bytes: Option<Vec<u8>>| String::from_utf8_lossy(&bytes.unwrap_or_default()).into_owned();
    client
        .send(ScriptOutput {
            stdout: text(out),
            stderr: text(err),
        })
        .map_err(|err| err.to_string())?;
    let status = pipe.wait().await.map_err(|err| err.to_string())?;
    Ok(status.code().unwrap_or(-1))
}
