//! An idle scheduler sleeps in the kernel instead of polling.

#[cfg(target_os = "linux")]
#[test]
fn idle_scheduler_uses_no_cpu() {
    use pycos::prelude::*;

    #[task]
    fn long_wait(task: TaskCtx) {
        task.sleep(30.0).await;
    }
    #[task]
    fn ready() {}
    let sched = Pycos::builder().name("idle-probe").build().unwrap();
    // The thread names itself when it starts: wait until it has run a task.
    sched.spawn(ready()).value().unwrap();
    let t = sched.spawn(long_wait());
    let before = thread_cpu_ticks("idle-probe");
    std::thread::sleep(std::time::Duration::from_millis(300));
    let after = thread_cpu_ticks("idle-probe");
    // A busy-polling thread would burn ~30 ticks (10 ms each) here.
    assert!(
        after - before <= 2,
        "idle scheduler used {} ticks",
        after - before
    );
    t.terminate().unwrap();
    sched.finish().unwrap();
}

/// utime + stime of this process's thread named `name`, in clock ticks.
#[cfg(target_os = "linux")]
fn thread_cpu_ticks(name: &str) -> u64 {
    for entry in std::fs::read_dir("/proc/self/task").unwrap() {
        let dir = entry.unwrap().path();
        let comm = std::fs::read_to_string(dir.join("comm")).unwrap_or_default();
        if comm.trim() == name {
            let stat = std::fs::read_to_string(dir.join("stat")).unwrap();
            let fields: Vec<&str> = stat
                .rsplit(')')
                .next()
                .unwrap()
                .split_whitespace()
                .collect();
            return fields[11].parse::<u64>().unwrap() + fields[12].parse::<u64>().unwrap();
        }
    }
    panic!("no thread named {name}");
}
