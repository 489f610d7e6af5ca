use std::io::BufRead as _;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use rustix::process::{Pid, Signal};

use super::*;
use crate::dispycos::cli::SERVER_ENV;
use crate::dispycos::cli::test_support::ScratchDir;

/// A `sleep 30` child, killed and reaped when dropped, pass or fail.
struct Sleeper(Child);

impl Sleeper {
    fn spawn() -> Self {
        let child = Command::new("sleep")
            .arg("30")
            .env_remove(SERVER_ENV)
            .spawn()
            .expect("spawn sleep");
        Self(child)
    }

    fn pid(&self) -> u32 {
        self.0.id()
    }

    /// Whether it exits within five seconds.
    fn exits_soon(&mut self) -> bool {
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if self.0.try_wait().expect("try_wait").is_some() {
                return true;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        false
    }

    fn is_running(&mut self) -> bool {
        self.0.try_wait().expect("try_wait").is_none()
    }
}

impl Drop for Sleeper {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A `sleep 30` that is not our child: started by a shell that exits, so
/// it belongs to whoever adopts orphans. Killed by its pid when dropped.
struct Orphan(u32);

impl Orphan {
    fn spawn(marked: bool) -> Self {
        let mut shell = Command::new("sh");
        shell
            .args(["-c", "sleep 30 >/dev/null 2>&1 & echo $!"])
            .env_remove(SERVER_ENV)
            .stdout(Stdio::piped());
        if marked {
            shell.env(SERVER_ENV, "1");
        }
        let mut shell = shell.spawn().expect("spawn sh");
        let mut line = String::new();
        let stdout = shell.stdout.take().expect("piped stdout");
        std::io::BufReader::new(stdout)
            .read_line(&mut line)
            .expect("read the pid");
        shell.wait().expect("the shell exits");
        Self(line.trim().parse().expect("a pid"))
    }

    fn is_alive(&self) -> bool {
        super::super::process::is_alive(self.0)
    }

    /// Whether it ends within five seconds.
    fn ends_soon(&self) -> bool {
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if !self.is_alive() {
                return true;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        false
    }
}

impl Drop for Orphan {
    fn drop(&mut self) {
        if let Some(pid) = i32::try_from(self.0).ok().and_then(Pid::from_raw) {
            let _ = rustix::process::kill_process(pid, Signal::KILL);
        }
    }
}

/// Leaves the file behind as a crashed node would.
fn crash(pid_file: PidFile) {
    std::mem::forget(pid_file);
}

fn started(pid: u32) -> u64 {
    ProcessStat::of(pid).expect("the process exists").started
}

#[test]
fn a_second_node_is_refused_while_the_file_exists() {
    let dir = ScratchDir::new();
    let path = PidFile::path_in(dir.path());
    let first = PidFile::create(&path, false).expect("the first node takes the file");
    assert_eq!(first.path(), path);
    assert!(path.starts_with(dir.path().join("dispycos")));
    let error = PidFile::create(&path, false).unwrap_err();
    assert_eq!(
        error.to_string(),
        format!(
            "Another dispycosnode seems to be running (pid file {}); \
             stop it, or start with --clean",
            path.display()
        )
    );
    drop(first);
    assert!(!path.exists(), "dropping removes the file");
    PidFile::create(&path, false).expect("free again");
}

#[test]
fn the_file_records_and_forgets_servers() {
    let dir = ScratchDir::new();
    let path = PidFile::path_in(dir.path());
    let mut pid_file = PidFile::create(&path, false).unwrap();
    let me = std::process::id();
    pid_file.record(me).unwrap();
    pid_file.record(1).unwrap();
    assert_eq!(pid_file.servers().collect::<Vec<_>>(), [me, 1]);
    let text = std::fs::read_to_string(&path).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 3, "{text}");
    assert_eq!(lines[0], format!("{me} {}", started(me)));
    pid_file.forget(me).unwrap();
    assert_eq!(pid_file.servers().collect::<Vec<_>>(), [1]);
    let text = std::fs::read_to_string(&path).unwrap();
    assert_eq!(text.lines().count(), 2, "ourselves stay first: {text}");
}

#[test]
fn clean_stops_a_recorded_child_and_takes_over() {
    let dir = ScratchDir::new();
    let path = PidFile::path_in(dir.path());
    let mut sleeper = Sleeper::spawn();
    let mut stale = PidFile::create(&path, false).unwrap();
    stale.record(sleeper.pid()).unwrap();
    crash(stale);

    let pid_file = PidFile::create(&path, true).expect("clean takes over");
    assert!(sleeper.exits_soon(), "the recorded child was stopped");
    assert_eq!(pid_file.servers().count(), 0);
    let text = std::fs::read_to_string(&path).unwrap();
    assert_eq!(
        text.trim().split(' ').next(),
        Some(&*std::process::id().to_string())
    );
}

#[test]
fn clean_stops_a_marked_server_that_is_not_our_child() {
    let dir = ScratchDir::new();
    let path = PidFile::path_in(dir.path());
    let server = Orphan::spawn(true);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, format!("{} {}\n", server.0, started(server.0))).unwrap();

    let _pid_file = PidFile::create(&path, true).expect("clean takes over");
    assert!(server.ends_soon(), "the marked server was stopped");
}

#[test]
fn clean_leaves_foreign_processes_alone() {
    let dir = ScratchDir::new();
    let path = PidFile::path_in(dir.path());
    let stranger = Orphan::spawn(false);
    let mut reused = Sleeper::spawn();
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let recorded = format!(
        "{} {}\nnot a pid\n{} {}\n",
        stranger.0,
        started(stranger.0),
        // A live pid with another start time: the recorded process ended
        // and this one got its pid.
        reused.pid(),
        started(reused.pid()).wrapping_add(1),
    );
    std::fs::write(&path, recorded).unwrap();

    let _pid_file = PidFile::create(&path, true).expect("clean takes over");
    assert!(stranger.is_alive(), "a process that is not ours was killed");
    assert!(reused.is_running(), "a reused pid was killed");
}
