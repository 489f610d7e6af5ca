use pycos::prelude::*;

#[task]
fn announcer(news: Channel) {
    news.deliver("extra", 1, 2.0);
}

fn main() {}
