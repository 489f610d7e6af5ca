//! [`IntoTimeout`]: every way a user can say "how long".

use std::time::Duration;

/// A time limit: seconds as a number (pycos' convention), or a [`Duration`].
///
/// Zero, negative and NaN mean "do not wait": the operation is tried once and
/// times out at once if it cannot complete. Infinity, or `None` (an
/// `Option<Duration>`), means "no limit".
///
/// This one rule holds for every wait. pycos mostly agrees (`sleep`,
/// `receive` and `Event.wait` with `timeout <= 0` do not wait), with one
/// deliberate exception here: pycos' `Lock.acquire(timeout=-1)` — its
/// default — and `RLock.acquire` with any negative timeout wait *forever*,
/// whereas `lock.acquire().timeout(-1.0)` tries once. Port such calls as a
/// plain `lock.acquire().await` (no limit), not with the negative number.
///
/// # Examples
///
/// ```
/// use pycos::IntoTimeout;
/// use std::time::Duration;
///
/// assert_eq!(1.5.into_timeout(), Some(Duration::from_millis(1500)));
/// assert_eq!(2.into_timeout(), Some(Duration::from_secs(2)));
/// assert_eq!((-1.0).into_timeout(), Some(Duration::ZERO));
/// assert_eq!(f64::INFINITY.into_timeout(), None);
/// assert_eq!(Duration::from_millis(3).into_timeout(), Some(Duration::from_millis(3)));
/// ```
pub trait IntoTimeout {
    /// The limit, or `None` for no limit.
    fn into_timeout(self) -> Option<Duration>;
}

impl IntoTimeout for Duration {
    fn into_timeout(self) -> Option<Duration> {
        Some(self)
    }
}

impl IntoTimeout for Option<Duration> {
    fn into_timeout(self) -> Option<Duration> {
        self
    }
}

impl IntoTimeout for f64 {
    fn into_timeout(self) -> Option<Duration> {
        if self.is_nan() || self <= 0.0 {
            Some(Duration::ZERO)
        } else {
            Duration::try_from_secs_f64(self).ok()
        }
    }
}

impl IntoTimeout for f32 {
    fn into_timeout(self) -> Option<Duration> {
        f64::from(self).into_timeout()
    }
}

macro_rules! integer_seconds {
    ($($int:ty),*) => {$(
        impl IntoTimeout for $int {
            fn into_timeout(self) -> Option<Duration> {
                Some(Duration::from_secs(u64::try_from(self).unwrap_or(0)))
            }
        }
    )*};
}
integer_seconds!(i32, i64, u32, u64, usize);

/// A duration in clock units (nanoseconds), saturating.
pub(crate) fn as_nanos(duration: Duration) -> u64 {
    u64::try_from(duration.as_nanos()).unwrap_or(u64::MAX)
}
