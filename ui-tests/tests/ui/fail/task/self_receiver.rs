use pycos::prelude::*;

struct Server {
    port: u16,
}

impl Server {
    #[task]
    fn run(self, task: TaskCtx) {
        task.sleep(1.0).await;
        println!("{}", self.port);
    }
}

fn main() {}
