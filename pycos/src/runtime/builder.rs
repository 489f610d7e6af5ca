//! [`Builder`]: configuring a new scheduler.

use std::io;
use std::rc::Rc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use super::inject::Inject;
use super::reactor::{Reactor, WAKER_TOKEN};
use super::scheduler::Core;
use super::{Pycos, Shared, context};

/// Configures and starts a [`Pycos`] scheduler.
///
/// # Examples
///
/// ```
/// let sched = pycos::Pycos::builder().name("sim").virtual_clock(true).build()?;
/// assert_eq!(sched.name(), "sim");
/// sched.finish().unwrap();
/// # Ok::<(), std::io::Error>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct Builder {
    name: Option<String>,
    virtual_clock: bool,
}

static NEXT_SCHEDULER: AtomicU64 = AtomicU64::new(1);

impl Builder {
    /// Default settings: a real clock, an automatic name.
    pub fn new() -> Builder {
        Builder::default()
    }

    /// Names the scheduler and its thread.
    pub fn name(mut self, name: impl Into<String>) -> Builder {
        self.name = Some(name.into());
        self
    }

    /// Runs the scheduler on a virtual clock: time stands still while tasks
    /// run and jumps to the next timer when every task waits. Sleeps and
    /// timeouts then take no real time, and timer order is deterministic.
    pub fn virtual_clock(mut self, enabled: bool) -> Builder {
        self.virtual_clock = enabled;
        self
    }

    /// Starts the scheduler thread.
    ///
    /// # Errors
    ///
    /// When the operating system refuses the poller, its waker or the thread.
    pub fn build(self) -> io::Result<Pycos> {
        let poll = mio::Poll::new()?;
        let unpark = mio::Waker::new(poll.registry(), WAKER_TOKEN)?;
        let name = self
            .name
            .unwrap_or_else(|| format!("pycos-{}", NEXT_SCHEDULER.fetch_add(1, Ordering::Relaxed)));
        let shared = Arc::new(Shared {
            name: name.clone(),
            inject: Inject::new(),
            unpark,
            thread: Mutex::new(None),
            live: Default::default(),
            registry: Default::default(),
            hooks: Mutex::default(),
            outside: super::outside::OutsideCount::default(),
            death: std::sync::OnceLock::new(),
            hook: std::sync::OnceLock::new(),
        });
        let virtual_clock = self.virtual_clock;
        let thread_shared = shared.clone();
        let thread = std::thread::Builder::new().name(name).spawn(move || {
            let core = Rc::new(Core::new(thread_shared, Reactor::new(poll), virtual_clock));
            context::enter(core.clone());
            let ran = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| core.run()));
            if let Err(panic) = ran {
                let reason = crate::panic::panic_text(&*panic);
                crate::panic::drop_payload(panic);
                core.die(reason);
            }
            context::exit();
        })?;
        *crate::util::lock(&shared.thread) = Some(thread);
        Ok(Pycos::from_shared(shared))
    }
}
