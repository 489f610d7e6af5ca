#[pycos::main(log = "off")]
fn main() {}
