//! The daily service window of a node (`--service_start`, `--service_stop`,
//! `--service_end`).
//!
//! The window is a pure function of the local time of day: the node asks
//! [`ServiceWindow::due`] what state it should be in *now* and how long
//! that lasts, applies the state when it differs from the one it applied
//! last, and sleeps until the next change. Asking for the state instead of
//! waiting for exact event instants keeps a late wake-up or a clock change
//! from skipping an event.

use std::fmt;
use std::str::FromStr;
use std::time::Duration;

use super::CliError;

const SECONDS_PER_DAY: u32 = 24 * 60 * 60;

/// A time of day, local time, to the second.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TimeOfDay {
    seconds: u32,
}

impl TimeOfDay {
    /// Midnight, the start of the day.
    pub const MIDNIGHT: Self = Self { seconds: 0 };

    /// `hour:minute:second`, or `None` outside a day (hour 24 or more,
    /// minute or second 60 or more).
    pub fn new(hour: u32, minute: u32, second: u32) -> Option<Self> {
        (hour < 24 && minute < 60 && second < 60).then_some(Self {
            seconds: hour * 3600 + minute * 60 + second,
        })
    }

    /// Seconds since midnight.
    pub fn seconds_since_midnight(self) -> u32 {
        self.seconds
    }

    /// The time from `self` forward to the next `later` (a full day when
    /// they are equal).
    fn until(self, later: Self) -> Duration {
        let ahead = (later.seconds + SECONDS_PER_DAY - self.seconds) % SECONDS_PER_DAY;
        let ahead = if ahead == 0 { SECONDS_PER_DAY } else { ahead };
        Duration::from_secs(ahead.into())
    }
}

/// Parses `HH:MM` (the hour may have one digit), as the service options
/// take it.
impl FromStr for TimeOfDay {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let invalid = || format!("{text:?} is not a time of day as HH:MM");
        let (hour, minute) = text.split_once(':').ok_or_else(invalid)?;
        let digits = |part: &str| part.bytes().all(|b| b.is_ascii_digit());
        if !(1..=2).contains(&hour.len()) || minute.len() != 2 || !digits(hour) || !digits(minute) {
            return Err(invalid());
        }
        let (hour, minute) = (
            hour.parse().map_err(|_| invalid())?,
            minute.parse().map_err(|_| invalid())?,
        );
        Self::new(hour, minute, 0).ok_or_else(invalid)
    }
}

impl fmt::Display for TimeOfDay {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (hour, minute) = (self.seconds / 3600, self.seconds / 60 % 60);
        match self.seconds % 60 {
            0 => write!(f, "{hour:02}:{minute:02}"),
            second => write!(f, "{hour:02}:{minute:02}:{second:02}"),
        }
    }
}

/// One change of the daily service state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ServiceEvent {
    /// Service starts: the node announces itself and accepts clients.
    Start,
    /// Service stops: no new clients; servers close once their jobs finish.
    Stop,
    /// Service ends: servers are terminated and peers closed.
    End,
}

/// What [`ServiceWindow::due`] says about a moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Due {
    /// The state the node should be in: the latest event at or before the
    /// moment, yesterday's last one before today's first. `None` when the
    /// window is unrestricted (no service options given).
    pub event: Option<ServiceEvent>,
    /// The next event and how long until it; `None` when unrestricted.
    pub next: Option<(ServiceEvent, Duration)>,
}

/// The daily window in which a node serves clients.
///
/// All times are on one day: start before stop, stop before end. A window
/// with stop or end but no start starts at midnight. Without any of the
/// three the node is always in service.
///
/// ```
/// use std::time::Duration;
/// use pycos_net::dispycos::cli::{ServiceEvent, ServiceWindow, TimeOfDay};
///
/// let at = |text: &str| text.parse::<TimeOfDay>().unwrap();
/// let window = ServiceWindow::new(Some(at("08:00")), Some(at("17:00")), None)?;
/// let due = window.due(at("16:30"));
/// assert_eq!(due.event, Some(ServiceEvent::Start));
/// assert_eq!(due.next, Some((ServiceEvent::Stop, Duration::from_secs(30 * 60))));
/// assert!(!window.in_service(at("17:00")));
/// # Ok::<(), pycos_net::dispycos::cli::CliError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ServiceWindow {
    start: Option<TimeOfDay>,
    stop: Option<TimeOfDay>,
    end: Option<TimeOfDay>,
}

impl ServiceWindow {
    /// A window from the three options' values.
    ///
    /// # Errors
    ///
    /// A start without a stop or an end, or times out of order; the
    /// message names the options.
    pub fn new(
        start: Option<TimeOfDay>,
        stop: Option<TimeOfDay>,
        end: Option<TimeOfDay>,
    ) -> Result<Self, CliError> {
        if start.is_some() && stop.is_none() && end.is_none() {
            return Err(CliError::option(
                "service_start",
                "needs --service_stop or --service_end too",
            ));
        }
        let begins = start.unwrap_or(TimeOfDay::MIDNIGHT);
        let order = [("service_stop", stop), ("service_end", end)];
        for (name, time) in order.into_iter().filter_map(|(n, t)| Some((n, t?))) {
            if time <= begins {
                return Err(CliError::option(
                    name,
                    format!("{time} is not after --service_start {begins}"),
                ));
            }
        }
        if let (Some(stop), Some(end)) = (stop, end)
            && end <= stop
        {
            return Err(CliError::option(
                "service_end",
                format!("{end} is not after --service_stop {stop}"),
            ));
        }
        Ok(Self { start, stop, end })
    }

    /// The service start option, if given.
    pub fn start(&self) -> Option<TimeOfDay> {
        self.start
    }

    /// The service stop option, if given.
    pub fn stop(&self) -> Option<TimeOfDay> {
        self.stop
    }

    /// The service end option, if given.
    pub fn end(&self) -> Option<TimeOfDay> {
        self.end
    }

    /// Whether any service time was given (otherwise always in service).
    pub fn is_restricted(&self) -> bool {
        self.stop.is_some() || self.end.is_some()
    }

    /// The daily events in order, each with its time.
    fn events(&self) -> Vec<(TimeOfDay, ServiceEvent)> {
        if !self.is_restricted() {
            return Vec::new();
        }
        let start = Some(self.start.unwrap_or(TimeOfDay::MIDNIGHT));
        [
            (start, ServiceEvent::Start),
            (self.stop, ServiceEvent::Stop),
            (self.end, ServiceEvent::End),
        ]
        .into_iter()
        .filter_map(|(time, event)| Some((time?, event)))
        .collect()
    }

    /// The state due at local time `now` and the next change after it.
    pub fn due(&self, now: TimeOfDay) -> Due {
        let events = self.events();
        // The events are sorted by time (checked in `new`), so the current
        // one is the last at or before now, else yesterday's last.
        let current = events.iter().rposition(|(time, _)| *time <= now);
        let (event, next) = match current {
            Some(at) => (events.get(at), events.get(at + 1).or(events.first())),
            None => (events.last(), events.first()),
        };
        Due {
            event: event.map(|(_, event)| *event),
            next: next.map(|(time, event)| (*event, now.until(*time))),
        }
    }

    /// Whether clients may be accepted at local time `now`.
    pub fn in_service(&self, now: TimeOfDay) -> bool {
        matches!(self.due(now).event, None | Some(ServiceEvent::Start))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> TimeOfDay {
        text.parse().unwrap()
    }

    fn minutes(n: u64) -> Duration {
        Duration::from_secs(n * 60)
    }

    #[test]
    fn times_of_day_parse_as_hh_mm() {
        assert_eq!(at("08:05"), TimeOfDay::new(8, 5, 0).unwrap());
        assert_eq!(at("8:05"), at("08:05"));
        assert_eq!(at("23:59").to_string(), "23:59");
        for bad in [
            "", "8", "24:00", "12:60", "12:5", "12:005", "a:00", "12:00:00", "+1:00",
        ] {
            assert!(bad.parse::<TimeOfDay>().is_err(), "{bad:?} parsed");
        }
    }

    #[test]
    fn start_needs_stop_or_end() {
        let error = ServiceWindow::new(Some(at("08:00")), None, None).unwrap_err();
        assert!(error.to_string().starts_with("--service_start:"), "{error}");
    }

    #[test]
    fn times_must_come_in_order() {
        let cases = [
            (Some("09:00"), Some("08:00"), None, "--service_stop:"),
            (Some("09:00"), None, Some("09:00"), "--service_end:"),
            (
                Some("08:00"),
                Some("17:00"),
                Some("16:00"),
                "--service_end:",
            ),
            (None, Some("17:00"), Some("17:00"), "--service_end:"),
            (None, Some("00:00"), None, "--service_stop:"),
        ];
        for (start, stop, end, named) in cases {
            let error = ServiceWindow::new(start.map(at), stop.map(at), end.map(at)).unwrap_err();
            assert!(error.to_string().starts_with(named), "{error}");
        }
    }

    #[test]
    fn an_unrestricted_window_is_always_in_service() {
        let window = ServiceWindow::default();
        assert_eq!(
            window.due(at("03:00")),
            Due {
                event: None,
                next: None
            }
        );
        assert!(window.in_service(at("03:00")));
    }

    #[test]
    fn due_follows_the_day_through_start_stop_and_end() {
        let window =
            ServiceWindow::new(Some(at("08:00")), Some(at("17:00")), Some(at("18:00"))).unwrap();
        let cases = [
            ("07:00", ServiceEvent::End, ServiceEvent::Start, minutes(60)),
            (
                "08:00",
                ServiceEvent::Start,
                ServiceEvent::Stop,
                minutes(9 * 60),
            ),
            ("17:30", ServiceEvent::Stop, ServiceEvent::End, minutes(30)),
            (
                "18:00",
                ServiceEvent::End,
                ServiceEvent::Start,
                minutes(14 * 60),
            ),
            (
                "23:59",
                ServiceEvent::End,
                ServiceEvent::Start,
                minutes(8 * 60 + 1),
            ),
        ];
        for (now, event, next, wait) in cases {
            let due = window.due(at(now));
            assert_eq!(due.event, Some(event), "at {now}");
            assert_eq!(due.next, Some((next, wait)), "at {now}");
        }
        assert!(window.in_service(at("12:00")));
        assert!(!window.in_service(at("17:30")));
        assert!(!window.in_service(at("07:59")));
    }

    #[test]
    fn a_window_without_start_opens_at_midnight() {
        let window = ServiceWindow::new(None, None, Some(at("06:00"))).unwrap();
        let due = window.due(at("05:00"));
        assert_eq!(due.event, Some(ServiceEvent::Start));
        assert_eq!(due.next, Some((ServiceEvent::End, minutes(60))));
        let due = window.due(at("22:00"));
        assert_eq!(due.event, Some(ServiceEvent::End));
        assert_eq!(due.next, Some((ServiceEvent::Start, minutes(120))));
    }

    #[test]
    fn the_wait_counts_seconds() {
        let window = ServiceWindow::new(Some(at("08:00")), Some(at("09:00")), None).unwrap();
        let due = window.due(TimeOfDay::new(7, 59, 30).unwrap());
        assert_eq!(
            due.next,
            Some((ServiceEvent::Start, Duration::from_secs(30)))
        );
    }
}
