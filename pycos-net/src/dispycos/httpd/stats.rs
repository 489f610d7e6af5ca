//! The two series the charts and `/metrics` show: job latency as a
//! histogram (fixed bounds, as Prometheus wants them) and job ends per
//! time bucket over the last ten minutes.

use std::collections::VecDeque;

/// Upper bounds of the latency buckets, in seconds: from a millisecond (a
/// trivial job on loopback) to five minutes.
pub(crate) const LATENCY_BOUNDS: [f64; 11] = [
    0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1.0, 5.0, 10.0, 60.0, 300.0,
];

/// Job latencies: counts per bucket (one more than the bounds: the last
/// one is for longer jobs), their sum, and a window of recent values for
/// percentiles.
#[derive(Debug, Clone)]
pub(crate) struct Latency {
    pub(crate) counts: [u64; LATENCY_BOUNDS.len() + 1],
    pub(crate) sum: f64,
    recent: VecDeque<f64>,
}

/// The latencies kept for percentiles: the recent past is what a person
/// watching wants, and it bounds the memory.
const RECENT: usize = 4096;

impl Default for Latency {
    fn default() -> Self {
        Latency {
            counts: [0; LATENCY_BOUNDS.len() + 1],
            sum: 0.0,
            recent: VecDeque::new(),
        }
    }
}

impl Latency {
    pub(crate) fn record(&mut self, secs: f64) {
        let bucket = LATENCY_BOUNDS
            .iter()
            .position(|&bound| secs <= bound)
            .unwrap_or(LATENCY_BOUNDS.len());
        self.counts[bucket] += 1;
        self.sum += secs;
        if self.recent.len() == RECENT {
            self.recent.pop_front();
        }
        self.recent.push_back(secs);
    }

    pub(crate) fn count(&self) -> u64 {
        self.counts.iter().sum()
    }

    /// The `q` quantile (0..=1) of the recent latencies (nearest rank).
    pub(crate) fn quantile(&self, q: f64) -> Option<f64> {
        if self.recent.is_empty() {
            return None;
        }
        let mut sorted: Vec<f64> = self.recent.iter().copied().collect();
        sorted.sort_by(f64::total_cmp);
        let rank = (q.clamp(0.0, 1.0) * sorted.len() as f64).ceil() as usize;
        Some(sorted[rank.clamp(1, sorted.len()) - 1])
    }
}

/// Width of a bucket of [`Series`], in seconds.
pub(crate) const BUCKET_SEC: f64 = 5.0;
/// Buckets kept: ten minutes.
pub(crate) const BUCKETS: usize = 120;

/// Events per [`BUCKET_SEC`] bucket; the last bucket is the current one.
#[derive(Debug, Clone, Default)]
pub(crate) struct Series {
    /// The bucket number (time / width) of `counts[0]`.
    first: i64,
    counts: VecDeque<u64>,
}

impl Series {
    pub(crate) fn record(&mut self, now: f64) {
        self.advance(now);
        if let Some(last) = self.counts.back_mut() {
            *last += 1;
        }
    }

    /// The start time of the first bucket and the counts, up to `now`.
    pub(crate) fn window(&mut self, now: f64) -> (f64, Vec<u64>) {
        self.advance(now);
        (
            self.first as f64 * BUCKET_SEC,
            self.counts.iter().copied().collect(),
        )
    }

    /// Adds empty buckets up to the one of `now`, dropping the oldest.
    fn advance(&mut self, now: f64) {
        let bucket = (now / BUCKET_SEC).floor() as i64;
        if self.counts.is_empty() {
            self.first = bucket;
            self.counts.push_back(0);
            return;
        }
        let last = self.first + self.counts.len() as i64 - 1;
        if bucket <= last {
            return; // the clock went back, or the same bucket
        }
        let missing = (bucket - last).min(BUCKETS as i64);
        for _ in 0..missing {
            self.counts.push_back(0);
        }
        while self.counts.len() > BUCKETS {
            self.counts.pop_front();
        }
        self.first = bucket - self.counts.len() as i64 + 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latencies_fall_in_their_buckets() {
        let mut latency = Latency::default();
        for secs in [0.0005, 0.001, 0.002, 2.0, 1000.0] {
            latency.record(secs);
        }
        assert_eq!(latency.counts[0], 2, "at or under 1 ms");
        assert_eq!(latency.counts[1], 1);
        assert_eq!(latency.counts[7], 1, "2 s is under 5 s");
        assert_eq!(
            latency.counts[LATENCY_BOUNDS.len()],
            1,
            "over the last bound"
        );
        assert_eq!(latency.count(), 5);
        assert_eq!(latency.quantile(0.5), Some(0.002));
        assert_eq!(latency.quantile(1.0), Some(1000.0));
        assert_eq!(Latency::default().quantile(0.5), None);
    }

    #[test]
    fn the_series_counts_per_bucket_and_keeps_ten_minutes() {
        let mut series = Series::default();
        series.record(100.0);
        series.record(101.0);
        series.record(111.0);
        let (start, counts) = series.window(112.0);
        assert_eq!(start, 100.0);
        assert_eq!(counts, vec![2, 0, 1]);
        let (start, counts) = series.window(100.0 + 10_000.0);
        assert_eq!(counts.len(), BUCKETS);
        assert!(counts.iter().all(|&c| c == 0), "old buckets dropped");
        assert_eq!(
            start,
            (10_100.0 / BUCKET_SEC).floor() * BUCKET_SEC - 119.0 * BUCKET_SEC
        );
    }
}
