//! The channel errors' reasons: every `is_*` query, the message handed back
//! and the Display texts.

#[path = "support/reasons.rs"]
mod reasons;

use pycos::channel::{ChannelError, SendError, SubscribeError, UnsubscribeError};
use pycos::prelude::*;
use reasons::{check_reasons, check_send_reasons, one_hot};

/// closed, not serializable, unreachable, refused, timed out.
fn send_queries(err: &SendError) -> [bool; 5] {
    [
        err.is_closed(),
        err.is_not_serializable(),
        err.is_unreachable(),
        err.is_refused(),
        err.is_timed_out(),
    ]
}

#[pycos::test]
async fn sending_to_a_closed_channel_hands_the_message_back() {
    let channel = Channel::new("shut").unwrap();
    channel.close();
    let err = channel.send(5_u32).unwrap_err();
    assert_eq!(send_queries(&err), one_hot(0), "{err:?}");
    assert_eq!(err.message().type_name(), "u32");
    assert_eq!(err.to_string(), "channel is closed; message (u32) not sent");
    assert_eq!(err.into_inner().downcast_ref::<u32>(), Some(&5));

    let err = channel.deliver("late", 1, None).await.unwrap_err();
    assert!(err.is_closed(), "{err:?}");
    assert_eq!(err.into_inner().downcast_ref::<&str>(), Some(&"late"));
}

#[test]
fn every_send_reason_has_its_query_text_and_message() {
    type Make = fn(Msg) -> SendError;
    let cases: [(Make, &str); 5] = [
        (
            SendError::closed,
            "channel is closed; message (u32) not sent",
        ),
        (
            SendError::not_serializable,
            "message type u32 is not serializable; not sent to the remote channel",
        ),
        (
            |msg| SendError::unreachable(msg, "node-b:9705"),
            "peer node-b:9705 is unreachable; message (u32) not sent",
        ),
        (
            |msg| SendError::refused(msg, "too big"),
            "peer refused the message (u32): too big",
        ),
        (
            SendError::timed_out,
            "timed out; message (u32) may or may not have reached the channel",
        ),
    ];
    check_send_reasons(cases, send_queries);
}

#[test]
fn every_subscribe_reason_has_its_query_and_text() {
    let cases = [
        (
            SubscribeError::Cycle {
                channel: "a".into(),
                subscriber: "b".into(),
            },
            "subscribing channel \"b\" to \"a\" would make a cycle: \
             messages sent to \"b\" already reach \"a\"",
        ),
        (
            SubscribeError::Closed("a".into()),
            "channel \"a\" is closed",
        ),
        (
            SubscribeError::Unreachable("node-b:9705".into()),
            "peer node-b:9705 of the channel is unreachable; not subscribed",
        ),
        (
            SubscribeError::Refused("not allowed".into()),
            "peer refused the subscription: not allowed",
        ),
        (
            SubscribeError::TimedOut,
            "timed out; the subscription may or may not have been made",
        ),
    ];
    check_reasons(cases, |err| {
        [
            err.is_cycle(),
            err.is_closed(),
            err.is_unreachable(),
            err.is_refused(),
            err.is_timed_out(),
        ]
    });
}

#[test]
fn every_unsubscribe_reason_has_its_query_and_text() {
    let cases = [
        (
            UnsubscribeError::NotSubscribed,
            "not subscribed to the channel",
        ),
        (
            UnsubscribeError::Unreachable("node-b:9705".into()),
            "peer node-b:9705 of the channel is unreachable; not unsubscribed",
        ),
        (
            UnsubscribeError::Refused("not allowed".into()),
            "peer refused the unsubscription: not allowed",
        ),
        (
            UnsubscribeError::TimedOut,
            "timed out; the subscriber may or may not have been removed",
        ),
    ];
    check_reasons(cases, |err| {
        [
            err.is_not_subscribed(),
            err.is_unreachable(),
            err.is_refused(),
            err.is_timed_out(),
        ]
    });
}

#[test]
fn every_channel_error_has_its_query() {
    let cases = [
        ChannelError::Duplicate("a".into()),
        ChannelError::InvalidName("_".into()),
        ChannelError::Closed("a".into()),
        ChannelError::AlreadyRegistered("a".into()),
        ChannelError::NotRegistered("a".into()),
    ];
    for (at, err) in cases.into_iter().enumerate() {
        let answers = [
            err.is_duplicate(),
            err.is_invalid_name(),
            err.is_closed(),
            err.is_already_registered(),
            err.is_not_registered(),
        ];
        assert_eq!(answers, one_hot(at), "{err:?}");
    }
}

#[pycos::test]
async fn the_channel_reasons_happen_locally(task: TaskCtx) {
    let channel = Channel::new("local").unwrap();
    assert!(
        channel
            .unsubscribe(&task)
            .await
            .unwrap_err()
            .is_not_subscribed()
    );
    assert!(Channel::new("local").unwrap_err().is_duplicate());
    channel.close();
    assert!(channel.subscribe(&task).await.unwrap_err().is_closed());
    assert!(channel.register().unwrap_err().is_closed());
}
