//! [`Msg`]: the dynamic message type carried by mailboxes and channels.

use std::any::{Any, TypeId};
use std::fmt;
use std::sync::{Arc, LazyLock};

/// A dynamically typed, owned, shareable message.
///
/// pycos messages are arbitrary Python objects; here they are any
/// `Send + Sync + 'static` value behind an [`Arc`]. Cloning a `Msg` is a
/// reference-count increment, so a broadcast to many subscribers shares one
/// payload instead of copying it; a receiver that needs ownership takes it with
/// [`downcast`](Msg::downcast), which moves the value out when the receiver
/// holds the only reference and clones it otherwise.
///
/// A message is received as exactly the type that was sent: no conversion
/// happens on the way. `send("a")` sends a `&'static str`, which
/// `downcast_ref::<String>()` does not find; send `String::from("a")` (or
/// `"a".to_owned()`) for a `String`. Likewise `send(5)` sends an `i32`,
/// `send(5_u64)` a `u64`. [`type_name`](Msg::type_name) tells what arrived.
///
/// # Examples
///
/// ```
/// use pycos::Msg;
///
/// let msg = Msg::new(String::from("hello"));
/// assert!(msg.is::<String>());
/// assert_eq!(msg.downcast_ref::<String>().map(String::as_str), Some("hello"));
/// let text: String = msg.downcast().unwrap();
/// assert_eq!(text, "hello");
///
/// // A Msg wrapped again stays the same message.
/// let again = Msg::new(Msg::new(7_u32));
/// assert_eq!(again.downcast_ref::<u32>(), Some(&7));
///
/// // Exactly the type sent: a string literal is a `&str`, not a `String`.
/// let literal = Msg::new("hello");
/// assert!(literal.downcast_ref::<String>().is_none());
/// assert_eq!(literal.downcast_ref::<&str>(), Some(&"hello"));
/// assert_eq!(literal.type_name(), "&str");
/// ```
#[derive(Clone)]
pub struct Msg {
    /// One pointer pair: the payload's type name comes from its vtable
    /// rather than a third word, which keeps a `Msg` at 16 bytes (pinned by
    /// `msg_is_two_words`). Mailbox slots, stored outcomes and channel
    /// fan-out all hold `Msg`s, so this size is their memory traffic.
    value: Arc<dyn Payload>,
}

/// A payload: any shareable value, plus its type name for diagnostics.
trait Payload: Any + Send + Sync {
    fn type_name(&self) -> &'static str;
}

impl<T: Any + Send + Sync> Payload for T {
    fn type_name(&self) -> &'static str {
        std::any::type_name::<T>()
    }
}

impl Msg {
    /// Wraps `value`. Wrapping a `Msg` returns it unchanged, so generic code
    /// can call `Msg::new` on anything without nesting messages.
    pub fn new<T: Any + Send + Sync>(value: T) -> Msg {
        let mut slot = Some(value);
        if let Some(msg) = (&mut slot as &mut dyn Any).downcast_mut::<Option<Msg>>()
            && let Some(msg) = msg.take()
        {
            return msg;
        }
        if TypeId::of::<T>() == TypeId::of::<()>() {
            // Every task without a value ends with `()`: share one payload
            // rather than allocate one per task end.
            static UNIT: LazyLock<Msg> = LazyLock::new(|| Msg {
                value: Arc::new(()),
            });
            return UNIT.clone();
        }
        match slot {
            Some(value) => Msg {
                value: Arc::new(value),
            },
            None => unreachable!("the slot is emptied only for Msg"),
        }
    }

    /// Whether the payload is a `T`.
    pub fn is<T: Any>(&self) -> bool {
        TypeId::of::<T>() == TypeId::of::<Msg>() || self.any().is::<T>()
    }

    /// A reference to the payload if it is a `T`.
    pub fn downcast_ref<T: Any>(&self) -> Option<&T> {
        if TypeId::of::<T>() == TypeId::of::<Msg>() {
            return (self as &dyn Any).downcast_ref::<T>();
        }
        self.any().downcast_ref::<T>()
    }

    /// The payload as `Any` (an explicit upcast: never the `Arc` itself).
    fn any(&self) -> &(dyn Any + Send + Sync) {
        &*self.value
    }

    /// Takes the payload as a `T`: moved out when this is the only reference,
    /// cloned when the payload is shared. Gives the message back on a type
    /// mismatch. `downcast::<Msg>()` returns the message itself.
    ///
    /// # Errors
    ///
    /// The original message, when the payload is not a `T`.
    pub fn downcast<T: Any + Send + Sync + Clone>(self) -> Result<T, Msg> {
        if TypeId::of::<T>() == TypeId::of::<Msg>() {
            let mut slot = Some(self);
            let taken = (&mut slot as &mut dyn Any)
                .downcast_mut::<Option<T>>()
                .and_then(Option::take);
            return match (taken, slot) {
                (Some(value), _) => Ok(value),
                (None, Some(msg)) => Err(msg),
                (None, None) => unreachable!("the slot is emptied only on success"),
            };
        }
        if !self.any().is::<T>() {
            return Err(self);
        }
        let any: Arc<dyn Any + Send + Sync> = self.value;
        match any.downcast::<T>() {
            Ok(shared) => Ok(Arc::try_unwrap(shared).unwrap_or_else(|shared| (*shared).clone())),
            Err(_) => unreachable!("the payload's type was checked"),
        }
    }

    /// The `TypeId` of the payload (never of the `Arc` that holds it): what
    /// the wire registry looks its encoder up by.
    #[doc(hidden)]
    pub fn payload_type_id(&self) -> TypeId {
        Any::type_id(self.any())
    }

    /// The Rust type name of the payload, for diagnostics.
    pub fn type_name(&self) -> &'static str {
        // Through the deref: `Arc<dyn Payload>` is itself a `Payload`.
        Payload::type_name(&*self.value)
    }

    /// Whether two messages share one payload (a broadcast's copies do).
    pub fn ptr_eq(&self, other: &Msg) -> bool {
        Arc::ptr_eq(&self.value, &other.value)
    }
}

impl fmt::Debug for Msg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(text) = self.any().downcast_ref::<String>() {
            return f.debug_tuple("Msg").field(text).finish();
        }
        if let Some(text) = self.any().downcast_ref::<&'static str>() {
            return f.debug_tuple("Msg").field(text).finish();
        }
        write!(f, "Msg(<{}>)", self.type_name())
    }
}

#[cfg(test)]
mod tests {
    use super::Msg;

    /// Mailboxes, stored outcomes and channel fan-out all hold `Msg`s: one
    /// pointer pair, the type name coming from the vtable.
    #[test]
    fn msg_is_two_words() {
        assert_eq!(size_of::<Msg>(), 16);
        assert_eq!(size_of::<Option<Msg>>(), 16);
    }

    #[test]
    fn downcast_shared_clones_and_unique_moves() {
        let msg = Msg::new(vec![1, 2, 3]);
        let copy = msg.clone();
        assert!(msg.ptr_eq(&copy));
        let first: Vec<i32> = msg.downcast().unwrap();
        let second: Vec<i32> = copy.downcast().unwrap();
        assert_eq!(first, second);
    }

    #[test]
    fn wrong_type_gives_the_message_back() {
        let msg = Msg::new(5_u8);
        let back = msg.downcast::<String>().unwrap_err();
        assert_eq!(back.downcast_ref::<u8>(), Some(&5));
        assert_eq!(back.type_name(), "u8");
    }

    #[test]
    fn payload_type_id_is_the_payload_s() {
        use std::any::TypeId;
        assert_eq!(Msg::new(5_u16).payload_type_id(), TypeId::of::<u16>());
        assert_eq!(Msg::new(()).payload_type_id(), TypeId::of::<()>());
        assert_eq!(Msg::new("x").payload_type_id(), TypeId::of::<&str>());
    }

    #[test]
    fn msg_of_msg_is_not_nested() {
        let msg = Msg::new(Msg::new("x"));
        assert!(msg.is::<&str>());
        let same: Msg = msg.clone().downcast::<Msg>().unwrap();
        assert!(same.ptr_eq(&msg));
    }
}
