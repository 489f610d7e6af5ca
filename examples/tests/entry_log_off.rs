//! `#[pycos::main(log = false)]` leaves the process's global `tracing`
//! subscriber to the program, which sets its own in `main`. Built without
//! the test harness, so its `main` is the macro's.

#[pycos::main(log = false)]
fn main() {
    tracing_subscriber::fmt()
        .try_init()
        .expect("#[pycos::main(log = false)] installs no subscriber");
    println!("1 passed, 0 failed");
}
