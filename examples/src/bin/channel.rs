//! Port of pycos' `channel.py`: a channel broadcasts four random numbers to
//! two subscribers, one summing and one multiplying them; `None` ends the
//! stream.
//!
//! ```text
//! cargo run -p pycos-examples --bin channel
//! ```

use std::error::Error;

use pycos::prelude::*;

/// The numbers a subscriber receives: `Some(x)`, then `None` at the end.
type Number = Option<f64>;

/// Folds the numbers received with `op` until the end marker.
async fn fold(task: &TaskCtx, start: f64, op: fn(f64, f64) -> f64) -> f64 {
    let mut result = start;
    loop {
        let msg = task.receive().await;
        match msg.downcast_ref::<Number>() {
            Some(Some(x)) => result = op(result, *x),
            _ => return result,
        }
    }
}

#[task]
fn seqsum(task: TaskCtx) {
    let result = fold(&task, 0.0, |a, b| a + b).await;
    println!("sum: {result:.6}");
}

#[task]
fn seqprod(task: TaskCtx) {
    let result = fold(&task, 1.0, |a, b| a * b).await;
    println!("prod: {result:.6}");
}

#[task]
fn client_proc() -> Result<(), Box<dyn Error>> {
    let channel = Channel::new("sum_prod")?;
    // Tasks that compute the sum and the product of the numbers sent.
    let sum_task = Task::new(seqsum());
    let prod_task = Task::new(seqprod());
    // Subscribed, they get every message sent to the channel.
    channel.subscribe(&sum_task).await?;
    channel.subscribe(&prod_task).await?;
    for _ in 0..4 {
        let r = 0.5 + fastrand::f64() * 2.5;
        channel.send(Some(r))?;
        println!("sent {r:.6}");
    }
    // `None` marks the end of the data.
    channel.send(None::<f64>)?;
    channel.unsubscribe(&sum_task).await?;
    channel.unsubscribe(&prod_task).await?;
    Ok(())
}

#[pycos::main]
fn main() {
    Task::new(client_proc());
}
