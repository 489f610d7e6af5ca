use pycos::prelude::*;

#[task]
fn reader() -> std::io::Result<String> {
    let mut line = String::new();
    std::io::stdin().read_line(&mut line)?;
    Ok(line)
}

fn main() {}
