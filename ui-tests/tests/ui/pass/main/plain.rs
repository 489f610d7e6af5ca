use pycos::prelude::*;

#[task]
fn server(task: TaskCtx) {
    task.set_daemon(true);
    loop {
        let msg = task.receive().await;
        println!("{msg:?}");
    }
}

#[task]
fn client(server: Task, task: TaskCtx) {
    task.sleep(0.001).await;
    server.send("hello").unwrap();
}

#[pycos::main]
fn main() {
    let server = Task::new(server());
    Task::new(client(server));
}
