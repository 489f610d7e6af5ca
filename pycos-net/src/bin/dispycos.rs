//! `dispycos`: the standalone dispycos scheduler (pycos' `dispycos.py`,
//! with the same options; `--help` lists them). Clients schedule with it
//! by location (`Client::schedule_at`), one at a time.
//!
//! ```text
//! dispycos -i 127.0.0.1 --node 127.0.0.1   # scheduler and a node on loopback
//! ```

#[pycos::main]
fn main() -> Result<(), String> {
    pycos_net::dispycos::scheduler_main(std::env::args().skip(1))
        .map_err(|why| format!("dispycos: {why}"))
}
