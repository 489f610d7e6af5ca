use pycos::prelude::*;

#[task]
fn quitter(news: Channel, task: TaskCtx) {
    let _ = news.unsubscribe(&task);
}

fn main() {}
