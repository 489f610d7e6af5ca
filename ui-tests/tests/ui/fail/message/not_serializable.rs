use pycos::Message;

struct Opaque;

#[derive(Message)]
struct Wrapper(Opaque);

fn main() {}
