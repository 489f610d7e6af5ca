use pycos::prelude::*;

#[task]
fn listener(news: Channel, task: TaskCtx) {
    news.subscribe(&task);
}

fn main() {}
