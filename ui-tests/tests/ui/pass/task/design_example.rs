// DESIGN §2: a `Task` parameter accepts the typed handle `Task::new` gives.
use pycos::prelude::*;

#[task]
fn server_proc(task: TaskCtx) {
    task.set_daemon(true);
    loop {
        let msg = task.receive().await;
        if let Some(text) = msg.downcast_ref::<String>() {
            println!("received {text}");
        }
    }
}

#[task]
fn client_proc(server: Task, n: u32, task: TaskCtx) {
    for x in 0..3 {
        task.sleep(0.001 * f64::from(n)).await;
        server.send(format!("{n} / {x}")).unwrap();
    }
}

fn main() {
    let server: Task<()> = Task::new(server_proc());
    for i in 0..10 {
        Task::new(client_proc(server.clone(), i));
    }
    Pycos::instance().finish().unwrap();
}
