//! `dispycosnode`: offers this machine's CPUs to dispycos clients, one
//! client at a time, one server process per CPU (pycos' `dispycosnode.py`,
//! with the same options; `--help` lists them).
//!
//! ```text
//! dispycosnode -c 2 -i 127.0.0.1            # two servers, loopback only
//! dispycosnode -c -1 --dest_path /var/tmp   # all CPUs but one
//! ```

#[pycos::main]
fn main() -> Result<(), String> {
    pycos_net::dispycos::node_main(std::env::args().skip(1))
        .map_err(|why| format!("dispycosnode: {why}"))
}
