use pycos::prelude::*;

#[task]
fn compute(n: u32) -> u64 {
    u64::from(n) * 2
}

#[pycos::main]
fn main() -> Result<(), Box<dyn std::error::Error>> {
    let task = Task::new(compute(21));
    let n: u32 = "7".parse()?;
    assert_eq!(n, 7);
    drop(task);
    Ok(())
}
