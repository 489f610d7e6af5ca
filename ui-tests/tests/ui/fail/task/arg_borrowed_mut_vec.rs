use pycos::prelude::*;

#[task]
fn filler(buf: &mut Vec<u8>, task: TaskCtx) {
    let msg = task.receive().await;
    if let Some(byte) = msg.downcast_ref::<u8>() {
        buf.push(*byte);
    }
}

fn main() {}
