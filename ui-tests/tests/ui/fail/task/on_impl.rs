use pycos::prelude::*;

struct Server;

#[task]
impl Server {
    fn run(self, task: TaskCtx) {
        task.set_daemon(true);
    }
}

fn main() {}
