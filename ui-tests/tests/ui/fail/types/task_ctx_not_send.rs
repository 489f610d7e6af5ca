use pycos::prelude::*;

fn assert_send<T: Send>() {}

fn main() {
    assert_send::<TaskCtx>();
}
