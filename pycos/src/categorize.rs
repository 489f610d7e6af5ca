//! [`CategorizeMessages`]: receiving a task's messages by category (pycos'
//! `CategorizeMessages`).

use std::collections::{HashMap, VecDeque};
use std::fmt;
use std::hash::Hash;

use crate::{Msg, TaskCtx};

/// Identifies a categorizer added with [`CategorizeMessages::add`], to
/// remove it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CategorizerId(u64);

type Categorizer<K> = Box<dyn Fn(&Msg) -> Option<K>>;

/// Sorts the messages of a task into categories, so that it can receive
/// the next message of one category while the others wait, in order, for
/// later (for example, to handle urgent messages first).
///
/// Categorizers are functions from a message to `Some(category)`, or
/// `None` to leave the message to the next categorizer; the most recently
/// added is asked first. [`receive(category)`](CategorizeMessages::receive)
/// gives the oldest message of that category, taking messages from the
/// task's mailbox and setting aside those of other categories as needed.
/// `receive(None)` gives the next message no categorizer claims (pycos
/// returns a message the first categorizer leaves, even if a later one
/// would claim it; this port asks every categorizer first).
///
/// It belongs to the task (it holds the task's [`TaskCtx`]); while it is in
/// use, receive through it rather than directly, or messages set aside here
/// are seen out of order. For one-off selections without categories,
/// [`TaskCtx::receive_matching`] takes the oldest message a predicate
/// accepts.
///
/// # Examples
///
/// ```
/// use pycos::prelude::*;
///
/// #[derive(Debug, Clone, PartialEq, Eq, Hash)]
/// enum Kind { Urgent, Routine }
///
/// #[task]
/// fn urgent_first(task: TaskCtx) {
///     let mut inbox = CategorizeMessages::new(&task);
///     inbox.add(|msg: &Msg| match msg.downcast_ref::<&str>() {
///         Some(s) if s.starts_with('!') => Some(Kind::Urgent),
///         Some(_) => Some(Kind::Routine),
///         None => None,
///     });
///     for text in ["a", "b", "!fire", "c"] {
///         task.send(text).unwrap();
///     }
///     task.send(7_u32).unwrap();
///     assert_eq!(inbox.receive(Kind::Urgent).await.downcast_ref::<&str>(), Some(&"!fire"));
///     assert_eq!(inbox.receive(None).await.downcast_ref::<u32>(), Some(&7));
///     assert_eq!(inbox.receive(Kind::Routine).await.downcast_ref::<&str>(), Some(&"a"));
///     assert_eq!(inbox.len(Kind::Routine), 2, "b and c wait in order");
/// }
/// # let sched = Pycos::new();
/// # sched.spawn(urgent_first()).value()?;
/// # sched.finish()?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct CategorizeMessages<K> {
    task: TaskCtx,
    /// In the order added; asked newest first.
    categorizers: Vec<(CategorizerId, Categorizer<K>)>,
    /// Messages set aside, by category (`None`: claimed by no categorizer).
    buckets: HashMap<Option<K>, VecDeque<Msg>>,
    next_id: u64,
}

impl<K: Eq + Hash> CategorizeMessages<K> {
    /// Categorizes the messages of `task` (the calling task's own context).
    pub fn new(task: &TaskCtx) -> CategorizeMessages<K> {
        CategorizeMessages {
            task: task.clone(),
            categorizers: Vec::new(),
            buckets: HashMap::new(),
            next_id: 0,
        }
    }

    /// Adds a categorizer, asked before those added earlier.
    pub fn add(&mut self, categorize: impl Fn(&Msg) -> Option<K> + 'static) -> CategorizerId {
        let id = CategorizerId(self.next_id);
        self.next_id += 1;
        self.categorizers.push((id, Box::new(categorize)));
        id
    }

    /// Removes a categorizer; `false` if it was not there. Messages already
    /// set aside keep their category.
    pub fn remove(&mut self, id: CategorizerId) -> bool {
        let before = self.categorizers.len();
        self.categorizers.retain(|(other, _)| *other != id);
        before != self.categorizers.len()
    }

    /// The category of `msg`: the first answer of the newest categorizers.
    fn categorize(&self, msg: &Msg) -> Option<K> {
        self.categorizers
            .iter()
            .rev()
            .find_map(|(_, categorize)| categorize(msg))
    }

    /// Waits for the oldest message of `category` (a `K`, or `None` for
    /// messages no categorizer claims). Add
    /// [`.timeout(t)`](crate::WaitExt::timeout) to bound the wait; messages
    /// of other categories that arrived meanwhile stay set aside.
    pub async fn receive(&mut self, category: impl Into<Option<K>>) -> Msg {
        let wanted = category.into();
        if self
            .buckets
            .get(&wanted)
            .is_some_and(|set_aside| !set_aside.is_empty())
        {
            // Ready at once: give way if the budget is spent (the mailbox
            // path below is charged by `receive`). Nothing else touches the
            // buckets meanwhile: they are borrowed mutably.
            crate::sync::charge().await;
            if let Some(msg) = self.buckets.get_mut(&wanted).and_then(VecDeque::pop_front) {
                return msg;
            }
        }
        loop {
            let msg = self.task.receive().await;
            let found = self.categorize(&msg);
            if found == wanted {
                return msg;
            }
            self.buckets.entry(found).or_default().push_back(msg);
        }
    }

    /// Alias of [`receive`](CategorizeMessages::receive).
    pub async fn recv(&mut self, category: impl Into<Option<K>>) -> Msg {
        self.receive(category).await
    }

    /// How many messages of `category` are set aside.
    pub fn len(&self, category: impl Into<Option<K>>) -> usize {
        self.buckets.get(&category.into()).map_or(0, VecDeque::len)
    }

    /// Whether no message of `category` is set aside.
    pub fn is_empty(&self, category: impl Into<Option<K>>) -> bool {
        self.len(category) == 0
    }
}

impl<K> fmt::Debug for CategorizeMessages<K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let set_aside: usize = self.buckets.values().map(VecDeque::len).sum();
        f.debug_struct("CategorizeMessages")
            .field("task", &self.task)
            .field("categorizers", &self.categorizers.len())
            .field("set_aside", &set_aside)
            .finish()
    }
}
