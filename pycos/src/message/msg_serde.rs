//! serde for [`Msg`]: a 2-tuple of the payload type's wire name and the
//! payload, encoded by the registry entry of the payload's type.
//!
//! The tuple has a fixed length, so non-self-describing formats (postcard)
//! work: the decoder reads the name, finds its entry, and hands the rest
//! of the input to that entry's erased deserializer through a
//! `DeserializeSeed`. Every failure is a serde error, never a panic: an
//! unregistered payload type on encode (the text of [`NotSerializable`]),
//! an unknown name on decode (`unknown message type `name``).

use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, SeqAccess, Visitor};
use serde::ser::{self, SerializeTuple, Serializer};
use serde::{Deserialize, Serialize};

use super::error::NotSerializable;
use super::registry::{self, Entry};
use crate::Msg;

impl Serialize for Msg {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let entry = registry::by_type(self.payload_type_id())
            .ok_or_else(|| ser::Error::custom(NotSerializable::new(self.type_name())))?;
        let payload = (entry.encode)(self).ok_or_else(|| {
            ser::Error::custom(format_args!(
                "the message registry's entry `{}` does not match the payload `{}`",
                entry.name(),
                self.type_name()
            ))
        })?;
        let mut tuple = serializer.serialize_tuple(2)?;
        tuple.serialize_element(entry.name())?;
        tuple.serialize_element(&Erased(payload))?;
        tuple.end()
    }
}

/// A payload borrowed as erased-serde's trait object.
struct Erased<'a>(&'a dyn erased_serde::Serialize);

impl Serialize for Erased<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        erased_serde::serialize(self.0, serializer)
    }
}

impl<'de> Deserialize<'de> for Msg {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Msg, D::Error> {
        deserializer.deserialize_tuple(2, MsgVisitor)
    }
}

struct MsgVisitor;

impl<'de> Visitor<'de> for MsgVisitor {
    type Value = Msg;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a pycos message: (wire name, payload)")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Msg, A::Error> {
        let entry = seq
            .next_element_seed(NameSeed)?
            .ok_or_else(|| de::Error::invalid_length(0, &self))?;
        seq.next_element_seed(PayloadSeed(entry))?
            .ok_or_else(|| de::Error::invalid_length(1, &self))
    }
}

/// Reads a wire name and finds its entry, without copying the name when
/// the format can lend it.
struct NameSeed;

impl<'de> DeserializeSeed<'de> for NameSeed {
    type Value = Entry;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Entry, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl Visitor<'_> for NameSeed {
    type Value = Entry;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a message type's wire name")
    }

    fn visit_str<E: de::Error>(self, name: &str) -> Result<Entry, E> {
        registry::by_name(name)
            .filter(|entry| entry.decode.is_some())
            .ok_or_else(|| E::custom(format_args!("unknown message type `{name}`")))
    }
}

/// Decodes the payload with its entry's erased deserializer.
struct PayloadSeed(Entry);

impl<'de> DeserializeSeed<'de> for PayloadSeed {
    type Value = Msg;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Msg, D::Error> {
        let Some(decode) = self.0.decode else {
            return Err(de::Error::custom(format_args!(
                "unknown message type `{}`",
                self.0.name()
            )));
        };
        let mut erased = <dyn erased_serde::Deserializer>::erase(deserializer);
        decode(&mut erased).map_err(de::Error::custom)
    }
}
