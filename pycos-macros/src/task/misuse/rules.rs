//! The misuse rules: each recognizes one mistake in a task body and says
//! what to write instead.

use super::scope::{Kind, Scopes};
use crate::diag::Errors;
use crate::render::compact;
use syn::{Expr, ExprCall, ExprMethodCall, ExprPath, Path};

const SLEEP: &str = "`std::thread::sleep` blocks the scheduler thread and every task on it; \
                     use `task.sleep(secs).await`";
const STDIN: &str = "blocking stdin read on the scheduler thread; read stdin on an \
                     `AsyncThreadPool` (`pool.async_task(..).await`) or with `AsyncFile`";

/// Operations only the task itself may do, on its `TaskCtx`.
const SELF_ONLY: &[&str] = &[
    "receive",
    "recv",
    "receive_matching",
    "suspend",
    "sleep",
    "yield_now",
    "set_daemon",
    "hot_swappable",
    "register",
    "register_self",
    "unregister",
];

/// Methods returning a pycos future, which does nothing until awaited.
const LAZY: &[&str] = &[
    "sleep",
    "yield_now",
    "suspend",
    "receive",
    "recv",
    "receive_matching",
    "deliver",
    "subscribe",
    "unsubscribe",
    "finish",
    "monitor",
    "locate",
    "timeout",
    "catch",
];

/// Associated functions returning a pycos future, as `Type::function`.
const LAZY_FNS: &[(&str, &str)] = &[("Task", "locate"), ("Channel", "locate")];

/// Blocking std socket calls, as `Type::method` (optionally `std::net::`).
const SOCKET: &[(&str, &str)] = &[
    ("TcpStream", "connect"),
    ("TcpStream", "connect_timeout"),
    ("TcpListener", "accept"),
    ("TcpListener", "incoming"),
    ("UdpSocket", "recv"),
    ("UdpSocket", "recv_from"),
];

/// Callees that run a closure or `async` block argument on another thread,
/// where blocking is the point.
pub(super) const RUNS_ELSEWHERE: &[&str] = &["spawn", "spawn_blocking", "async_task"];

/// A path such as `std::thread::sleep` or `Task::value`, called or not.
pub(super) fn path(expr: &ExprPath, errors: &mut Errors) {
    let names = idents(&expr.path);
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    let message = match names.as_slice() {
        [std @ .., "thread", "sleep"] if is_std(std) => SLEEP.to_owned(),
        [std @ .., "io", "stdin"] if is_std(std) => STDIN.to_owned(),
        [.., "Pycos", op @ ("join" | "finish" | "terminate")] => blocks_scheduler(op),
        [.., "Task", op @ ("value" | "value_timeout")] => blocks_thread(op),
        [net @ .., ty, op] if is_std_net(net) && SOCKET.contains(&(ty, op)) => {
            format!("`{ty}::{op}` blocks the scheduler thread; use `AsyncSocket`")
        }
        _ => return,
    };
    errors.spanned(expr, message);
}

/// A call of a plain function: `stdin()`.
pub(super) fn call(call: &ExprCall, errors: &mut Errors) {
    if let Expr::Path(func) = &*call.func
        && func.qself.is_none()
        && func.path.is_ident("stdin")
    {
        errors.spanned(call, STDIN);
    }
}

/// A method call on a receiver whose kind is known.
pub(super) fn method_call(call: &ExprMethodCall, scopes: &Scopes, errors: &mut Errors) {
    let method = call.method.to_string();
    let method = method.as_str();
    let message = match (scopes.kind_of(&call.receiver), method) {
        (Kind::Pycos, "join" | "finish" | "terminate") => blocks_scheduler(method),
        (Kind::Task | Kind::Ctx, "value" | "value_timeout") => blocks_thread(method),
        (Kind::Task, _) if SELF_ONLY.contains(&method) => format!(
            "`{method}` is self-only: only the task itself can call it, on its injected \
             `task: TaskCtx`; to talk to another task use `other.send(msg)`"
        ),
        _ => return,
    };
    errors.spanned(call, message);
}

/// A statement `E;` that drops a pycos future without awaiting it.
pub(super) fn statement(expr: &Expr, scopes: &Scopes, errors: &mut Errors) {
    let lazy = match expr {
        Expr::MethodCall(call) if LAZY.contains(&call.method.to_string().as_str()) => {
            // Blocking `Pycos` calls and self-only calls have their own error.
            match scopes.kind_of(&call.receiver) {
                Kind::Pycos => false,
                Kind::Task => !SELF_ONLY.contains(&call.method.to_string().as_str()),
                _ => true,
            }
        }
        Expr::Call(call) => matches!(&*call.func, Expr::Path(f)
            if matches!(idents(&f.path).as_slice(),
                [.., ty, op] if LAZY_FNS.contains(&(ty.as_str(), op.as_str())))),
        _ => false,
    };
    if lazy {
        let message = format!(
            "this pycos operation does nothing unless awaited: write `{}.await`",
            compact(expr)
        );
        errors.spanned(expr, message);
    }
}

fn blocks_scheduler(op: &str) -> String {
    format!(
        "`Pycos::{op}` blocks the scheduler from one of its own tasks (deadlock); \
         await `other.finish()` instead"
    )
}

fn blocks_thread(op: &str) -> String {
    let instead = match op {
        "value_timeout" => "other.finish().timeout(t).await",
        _ => "other.finish().await",
    };
    format!("`Task::{op}()` blocks a thread; in a task write `{instead}`")
}

fn idents(path: &Path) -> Vec<String> {
    path.segments.iter().map(|s| s.ident.to_string()).collect()
}

/// Whether a path before `thread::sleep` is empty or `std` (not
/// `async_std`, `tokio`).
fn is_std(prefix: &[&str]) -> bool {
    matches!(prefix, [] | ["std"])
}

/// Whether a path before `Type::method` is empty, `net` or `std::net`.
fn is_std_net(prefix: &[&str]) -> bool {
    matches!(prefix, [] | ["net"] | ["std", "net"])
}
