//! The rule of the module doc, on a made-up entry.

use std::any::TypeId;

use super::{Entry, Key, Place, Registry, Statics};

#[derive(Clone, Copy)]
struct Fake {
    key: Key,
    holds_name: bool,
}

impl Entry for Fake {
    fn key(&self) -> &Key {
        &self.key
    }

    fn holds_name(&self) -> bool {
        self.holds_name
    }
}

/// Type `T` under `name`, registered at `t.rs:line`.
const fn fake<T: 'static>(name: &'static str, line: u32) -> Fake {
    let place = Place::Source { file: "t.rs", line };
    Fake {
        key: Key::of::<T>(name, place),
        holds_name: true,
    }
}

const A: Fake = fake::<u8>("shared", 1);
const A_AGAIN: Fake = fake::<u8>("shared", 9);
const B: Fake = fake::<u16>("shared", 2);
const C: Fake = fake::<u32>("c", 3);
const BORROWS: Fake = Fake {
    holds_name: false,
    ..fake::<u64>("shared", 4)
};

fn line(entry: Option<Fake>) -> Option<u32> {
    match entry?.key.place {
        Place::Source { line, .. } => Some(line),
        Place::BuiltIn => None,
    }
}

static REGISTRY: Registry<Fake> = Registry::new(|| Statics::of(&[A, A_AGAIN, B, BORROWS]));

#[test]
fn the_first_static_keeps_a_name_and_the_first_duplicate_is_kept() {
    let err = REGISTRY.check().expect_err("B claims A's name");
    assert_eq!(err.name(), "shared");
    assert_eq!(err.type_names(), ["u8", "u16"]);
    assert_eq!(line(REGISTRY.by_name("shared")), Some(1));
    assert_eq!(line(REGISTRY.by_type(TypeId::of::<u16>())), None);
    assert_eq!(line(REGISTRY.by_type(TypeId::of::<u64>())), Some(4));
}

#[test]
fn explicit_registration_is_idempotent_and_refuses_a_taken_name() {
    REGISTRY.register(A_AGAIN).expect("a static type again");
    assert_eq!(line(REGISTRY.by_name("shared")), Some(1));
    let err = REGISTRY.register(B).expect_err("a static name");
    assert_eq!(err.type_names(), ["u8", "u16"]);
    REGISTRY.register(C).expect("a new name");
    REGISTRY.register(C).expect("the same type again");
    let other = fake::<i8>("c", 5);
    let err = REGISTRY.register(other).expect_err("an explicit name");
    assert_eq!(err.type_names(), ["u32", "i8"]);
    assert_eq!(line(REGISTRY.by_name("c")), Some(3));
    assert_eq!(line(REGISTRY.by_type(TypeId::of::<u32>())), Some(3));
    assert!(REGISTRY.by_name("absent").is_none());
}
