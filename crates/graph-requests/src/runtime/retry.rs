use std::time::{Duration, SystemTime};

use http::{HeaderMap, StatusCode};

/// When and how often a throttled or temporarily failing request is sent again.
///
/// A request is retried on `429 Too Many Requests`, `503 Service Unavailable` and
/// `504 Gateway Timeout`. The wait is the server's `Retry-After` (delta-seconds or HTTP-date)
/// when it sends one, otherwise exponential backoff with jitter. Retrying stops when
/// `max_attempts` sends were made or when the next wait would take the total waiting time past
/// `max_total_delay`; the last error response is then returned. A request whose body is a
/// one-shot stream is never retried.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct RetryPolicy {
    /// Sends in all, the first one included (1 disables retries). Default 4.
    pub max_attempts: u32,
    /// The most time spent waiting between attempts of one request. Default 60 s.
    pub max_total_delay: Duration,
    /// The backoff before the first retry when the server gives no `Retry-After`; doubled for
    /// each further retry. Default 500 ms.
    pub base_delay: Duration,
    /// The longest single backoff wait without `Retry-After`. Default 30 s.
    pub max_delay: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 4,
            max_total_delay: Duration::from_secs(60),
            base_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(30),
        }
    }
}

impl RetryPolicy {
    /// A policy that never retries.
    pub fn none() -> Self {
        RetryPolicy {
            max_attempts: 1,
            ..RetryPolicy::default()
        }
    }

    /// Sets the number of sends in all.
    pub fn with_max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// Sets the most time spent waiting between attempts.
    pub fn with_max_total_delay(mut self, delay: Duration) -> Self {
        self.max_total_delay = delay;
        self
    }

    /// Sets the first backoff wait (without `Retry-After`).
    pub fn with_base_delay(mut self, delay: Duration) -> Self {
        self.base_delay = delay;
        self
    }

    /// Sets the longest single backoff wait (without `Retry-After`).
    pub fn with_max_delay(mut self, delay: Duration) -> Self {
        self.max_delay = delay;
        self
    }

    /// Whether a response with this status may be retried.
    pub fn is_retryable(status: StatusCode) -> bool {
        matches!(
            status,
            StatusCode::TOO_MANY_REQUESTS
                | StatusCode::SERVICE_UNAVAILABLE
                | StatusCode::GATEWAY_TIMEOUT
        )
    }

    /// The backoff before retry number `retry` (1 for the first retry) without `Retry-After`:
    /// a random duration between half and all of `min(max_delay, base_delay * 2^(retry-1))`
    /// ("equal jitter": spread out, never degenerate).
    pub fn backoff(&self, retry: u32) -> Duration {
        let exp = self
            .base_delay
            .saturating_mul(1u32 << retry.saturating_sub(1).min(20));
        let cap = exp.min(self.max_delay);
        let nanos = u64::try_from(cap.as_nanos()).unwrap_or(u64::MAX);
        Duration::from_nanos(nanos / 2 + fastrand::u64(0..=nanos / 2))
    }

    /// The wait before retry number `retry`, or `None` when the response is not retried
    /// (status not retryable, attempts exhausted, or the wait would exceed the total budget).
    pub(crate) fn next_delay(
        &self,
        status: StatusCode,
        headers: &HeaderMap,
        retry: u32,
        waited: Duration,
    ) -> Option<Duration> {
        if !Self::is_retryable(status) || retry >= self.max_attempts {
            return None;
        }
        let delay = retry_after(headers, SystemTime::now()).unwrap_or_else(|| self.backoff(retry));
        (waited + delay <= self.max_total_delay).then_some(delay)
    }
}

/// Parses `Retry-After` in either form: delta-seconds (`120`) or an HTTP-date
/// (`Wed, 21 Oct 2015 07:28:00 GMT`, a date in the past meaning "now").
pub fn retry_after(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let value = headers
        .get(http::header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let date = httpdate::parse_http_date(value).ok()?;
    Some(date.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(value: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(http::header::RETRY_AFTER, value.parse().unwrap());
        h
    }

    #[test]
    fn retry_after_both_forms() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_445_412_470);
        assert_eq!(
            retry_after(&headers("7"), now),
            Some(Duration::from_secs(7))
        );
        // 1_445_412_480 = Wed, 21 Oct 2015 07:28:00 GMT
        assert_eq!(
            retry_after(&headers("Wed, 21 Oct 2015 07:28:00 GMT"), now),
            Some(Duration::from_secs(10))
        );
        assert_eq!(
            retry_after(&headers("Wed, 21 Oct 2015 07:00:00 GMT"), now),
            Some(Duration::ZERO)
        );
        assert_eq!(retry_after(&headers("soon"), now), None);
        assert_eq!(retry_after(&HeaderMap::new(), now), None);
    }

    #[test]
    fn backoff_grows_and_is_capped() {
        let p = RetryPolicy::default()
            .with_base_delay(Duration::from_millis(100))
            .with_max_delay(Duration::from_millis(1000));
        for _ in 0..50 {
            let first = p.backoff(1);
            assert!(first >= Duration::from_millis(50) && first <= Duration::from_millis(100));
            let third = p.backoff(3);
            assert!(third >= Duration::from_millis(200) && third <= Duration::from_millis(400));
            let tenth = p.backoff(10);
            assert!(tenth >= Duration::from_millis(500) && tenth <= Duration::from_millis(1000));
        }
    }

    #[test]
    fn budget_and_attempts_bound_retries() {
        let p = RetryPolicy::default()
            .with_max_attempts(3)
            .with_max_total_delay(Duration::from_secs(10));
        let h = headers("4");
        let s = StatusCode::TOO_MANY_REQUESTS;
        assert_eq!(
            p.next_delay(s, &h, 1, Duration::ZERO),
            Some(Duration::from_secs(4))
        );
        assert_eq!(
            p.next_delay(s, &h, 2, Duration::from_secs(4)),
            Some(Duration::from_secs(4))
        );
        assert_eq!(p.next_delay(s, &h, 3, Duration::from_secs(8)), None);
        assert_eq!(p.next_delay(s, &headers("11"), 1, Duration::ZERO), None);
        assert_eq!(
            p.next_delay(StatusCode::BAD_REQUEST, &h, 1, Duration::ZERO),
            None
        );
    }
}
