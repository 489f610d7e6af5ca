use pycos::prelude::*;

#[task]
fn server_v2(label: &'static str, task: TaskCtx) -> String {
    let msg = task.receive().await;
    format!("{label}: {:?}", msg.downcast_ref::<u32>())
}

#[task]
fn server(task: TaskCtx) -> String {
    task.hot_swappable(true);
    loop {
        match task.receive().catch().await {
            Ok(msg) => println!("v1 received {msg:?}"),
            Err(Interrupt::HotSwap(swap)) if swap.name() == "server_v2" => swap.accept(),
            Err(Interrupt::HotSwap(swap)) => swap.decline(),
            Err(other) => other.rethrow(),
        }
        if let Err(thrown) = task.sleep(0).catch().await {
            println!("caught {thrown}");
        }
    }
}

fn main() {
    let handle = Task::new(server());
    handle.hot_swap(server_v2("v2")).unwrap();
    handle.send(5_u32).unwrap();
    println!("{:?}", handle.untyped().value_timeout(1.0));
    handle.terminate().ok();
    Pycos::instance().finish().unwrap();
}
