//! The error messages, one test per rule. The messages are part of the
//! interface (the ui-tests pin them), so they are compared whole.

use super::support::{Macro, errors, task_errors};

const SELF_ONLY_RECEIVE: &str = "`receive` is self-only: only the task itself can call it, on \
     its injected `task: TaskCtx`; to talk to another task use `other.send(msg)`";

fn one(item: &str) -> String {
    let mut errors = task_errors(item);
    assert_eq!(errors.len(), 1, "{errors:#?}");
    errors.remove(0)
}

#[test]
fn options() {
    assert_eq!(
        errors(
            Macro::Task,
            "bogus, crate = \"a\", crate = \"b\"",
            "fn f() {}"
        ),
        [
            "unknown option `bogus` for #[task]; valid options: `local`, `remote`, \
             `name = \"my_crate::function\"`, `manual`, `crate = \"path::to::pycos\"`",
            "duplicate option `crate`",
        ]
    );
    assert_eq!(
        errors(Macro::Task, "local = true", "fn f() {}"),
        ["expected `local`"]
    );
    assert_eq!(
        errors(Macro::Test, "virtual_clock = 1, flavor", "fn t() {}"),
        [
            "expected `true` or `false`",
            "unknown option `flavor` for #[pycos::test]; valid options: `virtual_clock`, \
             `crate = \"path::to::pycos\"`",
        ]
    );
    assert_eq!(
        errors(Macro::Main, "crate = 5", "fn main() {}"),
        ["expected a string: `crate = \"path::to::pycos\"`"]
    );
    assert_eq!(
        errors(Macro::Main, "log = 1, local", "fn main() {}"),
        [
            "expected `true` or `false`",
            "unknown option `local` for #[pycos::main]; valid options: `log = false`, \
             `crate = \"path::to::pycos\"`",
        ]
    );
}

#[test]
fn remote_options() {
    assert_eq!(
        errors(Macro::Task, "remote, local", "fn f() {}"),
        [
            "a task cannot be both `remote` and `local`: a remote task is created from \
             arguments that crossed the wire, on any thread; remove `local`"
        ]
    );
    assert_eq!(
        errors(Macro::Task, "manual, name = \"x\"", "fn f() {}"),
        [
            "`name` is the name of a remote task function: write \
             `#[task(remote, name = \"...\")]`",
            "`manual` applies to remote task functions: write `#[task(remote, manual)]`",
        ]
    );
    assert_eq!(
        errors(Macro::Task, "remote, name = \"\"", "fn f() {}"),
        ["a remote name cannot be empty"]
    );
    assert_eq!(
        errors(Macro::Task, "remote, remote = 1", "fn f() {}"),
        ["duplicate option `remote`"]
    );
    assert_eq!(
        errors(
            Macro::Task,
            "remote",
            "fn f<T: Send + 'static>(v: T) -> u8 { 0 }"
        ),
        [
            "a #[task(remote)] function cannot be generic: peers create it by one name and one \
             signature; write a non-generic #[task(remote)] function for each instantiation you \
             need"
        ]
    );
}

#[test]
fn not_a_function() {
    assert_eq!(
        one("struct Server { n: u32 }"),
        "#[task] applies to free functions (`fn` or `async fn`), not to a struct"
    );
    assert_eq!(
        one("impl Server { fn run(self) {} }"),
        "#[task] applies to free functions (`fn` or `async fn`), not to an impl block"
    );
    assert_eq!(
        one("const N: u32 = 1;"),
        "#[task] applies to free functions (`fn` or `async fn`), not to a const"
    );
    assert_eq!(
        one("|x: u32| x + 1"),
        "#[task] applies to free functions (`fn` or `async fn`), not to this item"
    );
}

#[test]
fn qualifiers_and_receivers() {
    assert_eq!(
        task_errors("const unsafe extern \"C\" fn f(self, x: u32) {}"),
        [
            "#[task] functions cannot be `const`",
            "#[task] functions cannot be `unsafe`: use an `unsafe` block in the body",
            "#[task] functions cannot have an `extern` ABI",
            "#[task] makes a free function; move the method body to a free function taking \
             the value as an argument",
        ]
    );
    assert_eq!(
        one("fn f<'a>(x: u32) {}"),
        "#[task] functions cannot have lifetime parameters: task arguments are moved to the \
         scheduler thread and must be `'static`"
    );
}

#[test]
fn injected_parameter() {
    assert_eq!(
        one("fn f(task: Task) {}"),
        "the `task` parameter is injected by #[task] and must have type `TaskCtx`"
    );
    assert_eq!(
        one("fn f(task: &TaskCtx) {}"),
        "the `task` parameter is injected by #[task] and must have type `TaskCtx`"
    );
    assert_eq!(
        one("fn f(ctx: pycos::TaskCtx) {}"),
        "the injected `TaskCtx` parameter must be named `task`"
    );
    assert_eq!(
        one("fn f(task: TaskCtx, task: TaskCtx) {}"),
        "duplicate `task` parameter"
    );
}

#[test]
fn borrowed_arguments() {
    assert_eq!(
        task_errors("fn f(a: &str, b: &mut Config, c: Vec<&[u8]>, d: &'static str) {}"),
        [
            "task arguments are moved to the scheduler thread and must be owned: take \
             `String` instead of `&str`, or an `Arc<str>`",
            "task arguments are moved to the scheduler thread and must be owned: take \
             `Config` instead of `&mut Config`, or an `Arc<Config>`",
            "task arguments are moved to the scheduler thread and must be owned: take \
             `Vec<u8>` instead of `&[u8]`, or an `Arc<[u8]>`",
        ]
    );
    assert_eq!(
        one("fn f(a: Cow<'a, str>, f: Box<dyn Fn(&str) + Send>, g: fn(&u8)) {}"),
        "task arguments are moved to the scheduler thread and must be `'static`: remove the \
         lifetime `'a` (own the data, or share it with `Arc<T>`)"
    );
    assert_eq!(
        one("fn f(x: impl Display) {}"),
        "`impl Trait` is not allowed in #[task] arguments: add a generic parameter \
         `T: Display + Send + 'static` and take a `T`"
    );
    assert_eq!(
        one("fn f() -> impl Display { 1 }"),
        "`impl Trait` is not allowed as a task's return type: name the type"
    );
}

#[test]
fn thread_sleep() {
    let message = "`std::thread::sleep` blocks the scheduler thread and every task on it; \
                   use `task.sleep(secs).await`";
    assert_eq!(
        task_errors(
            "fn f(task: TaskCtx) {
                std::thread::sleep(Duration::from_secs(1));
                let nap = || thread::sleep(d);
                async { ::std::thread::sleep(d) }.await;
                println!(\"{:?}\", thread::sleep(d));
                tokio::time::sleep(d).await;
                async_std::task::sleep(d).await;
                fn helper() { std::thread::sleep(d) } // its own code
                std::thread::spawn(move || std::thread::sleep(d)); // another thread
            }"
        ),
        [message; 4]
    );
}

#[test]
fn stdin() {
    let message = "blocking stdin read on the scheduler thread; read stdin on an \
                   `AsyncThreadPool` (`pool.async_task(..).await`) or with `AsyncFile`";
    assert_eq!(
        task_errors(
            "fn f(pool: AsyncThreadPool) {
                std::io::stdin().read_line(&mut line);
                let lines = io::stdin().lines();
                let async_stdin = tokio::io::stdin();
                let stdin = stdin();
                stdin.lock(); // a local named stdin is fine
                pool.async_task(|| std::io::stdin().read_line(&mut s)).await;
            }"
        ),
        [message; 3]
    );
}

#[test]
fn std_sockets() {
    assert_eq!(
        task_errors(
            "fn f() {
                let s = std::net::TcpStream::connect(addr);
                let (c, _) = TcpListener::accept(&listener)?;
                UdpSocket::recv_from(&sock, &mut buf);
                let ok = AsyncSocket::connect(addr).await;
                let other = tokio::net::TcpStream::connect(addr);
            }"
        ),
        [
            "`TcpStream::connect` blocks the scheduler thread; use `AsyncSocket`",
            "`TcpListener::accept` blocks the scheduler thread; use `AsyncSocket`",
            "`UdpSocket::recv_from` blocks the scheduler thread; use `AsyncSocket`",
        ]
    );
}

#[test]
fn pycos_join_finish_terminate() {
    let msg = |op: &str| {
        format!(
            "`Pycos::{op}` blocks the scheduler from one of its own tasks (deadlock); \
             await `other.finish()` instead"
        )
    };
    assert_eq!(
        task_errors(
            "fn f(sched: Pycos, other: Task) {
                Pycos::instance().join();
                let _ = pycos::Pycos::new().finish();
                sched.terminate().unwrap();
                let s = Pycos::builder().virtual_clock(true).build();
                s.finish();
                [Pycos::instance()].iter().for_each(Pycos::join);
                other.finish().await;
                Pycos::cur_task().unwrap().finish().await;
            }"
        ),
        [
            msg("join"),
            msg("finish"),
            msg("terminate"),
            msg("finish"),
            msg("join")
        ]
    );
}

#[test]
fn task_value() {
    assert_eq!(
        task_errors(
            "fn f(other: Task<u32>, task: TaskCtx) {
                let a = other.value();
                let t = Task::new(compute(1));
                let b = t.value_timeout(1.0);
                let c = Task::value(&t);
                let d = task.value();
                std::thread::spawn(move || t.value()); // fine on a thread
                let e = config.value(); // not a task
            }"
        ),
        [
            "`Task::value()` blocks a thread; in a task write `other.finish().await`",
            "`Task::value_timeout()` blocks a thread; in a task write \
             `other.finish().timeout(t).await`",
            "`Task::value()` blocks a thread; in a task write `other.finish().await`",
            "`Task::value()` blocks a thread; in a task write `other.finish().await`",
        ]
    );
}

#[test]
fn self_only_on_other_task() {
    assert_eq!(
        task_errors(
            "fn f(server: Task, task: TaskCtx) {
                let msg = server.receive().await;
                let s2 = server.clone();
                s2.set_daemon(true);
                let t: Task<u32> = spawn_it();
                t.sleep(1.0).await;
                server.receive();
                task.receive().await; // its own
            }"
        ),
        [
            SELF_ONLY_RECEIVE.to_owned(),
            SELF_ONLY_RECEIVE.replace("`receive`", "`set_daemon`"),
            SELF_ONLY_RECEIVE.replace("`receive`", "`sleep`"),
            SELF_ONLY_RECEIVE.to_owned(),
        ]
    );
}

#[test]
fn shadowed_names_are_not_tasks() {
    assert!(
        task_errors(
            "fn f(server: Task, items: Vec<Queue>) {
                {
                    let server = Queue::new();
                    server.receive().await;
                }
                if let Some(server) = items.first() {
                    let m = server.receive().await;
                }
                for server in &items {
                    let m = server.receive().await;
                }
                items.iter().map(|server| server.register(1));
                match items.first() {
                    Some(server) => server.recv().await,
                    None => {}
                }
                let server = Queue::new();
                server.suspend().await;
            }"
        )
        .is_empty()
    );
}

#[test]
fn unawaited_operations() {
    let msg = |expr: &str| {
        format!("this pycos operation does nothing unless awaited: write `{expr}.await`")
    };
    assert_eq!(
        task_errors(
            "fn f(other: Task, task: TaskCtx, ch: Channel) {
                task.sleep(1.0);
                task.receive().timeout(2.5);
                other.finish();
                ch.deliver(msg, 1, 2.0);
                task.monitor(&other);
                Task::locate(\"server\");
                let fine = task.sleep(1.0);
                task.sleep(1.0).await;
                async { task.suspend(); };
            }"
        ),
        [
            msg("task.sleep(1.0)"),
            msg("task.receive().timeout(2.5)"),
            msg("other.finish()"),
            msg("ch.deliver(msg, 1, 2.0)"),
            msg("task.monitor(&other)"),
            msg("Task::locate(\"server\")"),
            msg("task.suspend()"),
        ]
    );
}

#[test]
fn several_errors_are_reported_together() {
    assert_eq!(
        errors(
            Macro::Task,
            "bogus",
            "fn f(x: &String, ctx: TaskCtx) { std::thread::sleep(d); }"
        )
        .len(),
        4
    );
}

#[test]
fn main_errors() {
    assert_eq!(
        errors(Macro::Main, "", "async fn main(args: Vec<String>) {}"),
        [
            "pycos' main is a plain fn; spawn tasks with `Task::new`",
            "#[pycos::main] takes no arguments",
        ]
    );
    assert_eq!(
        errors(Macro::Main, "", "struct Main;"),
        ["#[pycos::main] applies to free functions (`fn` or `async fn`), not to a struct"]
    );
}

#[test]
fn test_errors() {
    assert_eq!(
        errors(
            Macro::Test,
            "",
            "#[test] async fn t<T>(n: u32, task: TaskCtx) -> u32 { 1 }"
        ),
        [
            "#[pycos::test] functions take no arguments but the injected `task: TaskCtx`",
            "#[pycos::test] functions cannot be generic",
            "#[pycos::test] functions return `()` or `Result<(), E>`",
            "#[pycos::test] already adds #[test]; remove this one",
        ]
    );
    assert_eq!(
        errors(
            Macro::Test,
            "",
            "async fn t(task: TaskCtx) { Pycos::instance().join(); }"
        ),
        [
            "`Pycos::join` blocks the scheduler from one of its own tasks (deadlock); \
             await `other.finish()` instead"
        ]
    );
}
