use pycos::prelude::*;

#[task]
fn worker(n: u32, ctx: TaskCtx) {
    ctx.sleep(n).await;
}

fn main() {}
