//! Limits on signing in, shared by the API (`POST /api/v1/register/login`) and the sign-in page.
//!
//! An attempt is counted before the password is checked, under one lock, so attempts sent in parallel cannot all
//! slip in before the first failure is recorded. Three counters are kept: the pair of client address and account
//! (email), the account from any address, and the address for any account. Each has a number of free failures;
//! after that every failure doubles the wait before the next attempt is heard. An attempt during a wait is refused
//! (429, with `Retry-After`) without checking the password and without being counted. A success clears the pair's
//! counter and takes back its own provisional count from the others. So someone who guesses at an account from one
//! address slows only that pair; the owner elsewhere is slowed only once the account as a whole has had many failures,
//! and then by a wait that ends, never by a lock-out.
//!
//! Memory is bounded: keys hold at most [`MAX_EMAIL_CHARS`] characters of the email, and at most `capacity` counters
//! are kept; when full, counters whose wait is over and whose last failure is old go first, then the oldest.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// An email address is at most 254 characters (RFC 5321); a key never holds more.
pub const MAX_EMAIL_CHARS: usize = 254;
/// How many counters are kept at most by default.
pub const DEFAULT_CAPACITY: usize = 10_000;

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum Key {
    Pair(IpAddr, String),
    Account(String),
    Address(IpAddr),
}

/// Free failures, the first wait after them, and the longest wait, per kind of counter.
struct Rule {
    free: u32,
    first_wait: Duration,
    longest_wait: Duration,
}

const PAIR: Rule = Rule {
    free: 5,
    first_wait: Duration::from_secs(60),
    longest_wait: Duration::from_secs(3600),
};
/// Many addresses guessing at one account: the owner must be slowed at most a few minutes, never shut out.
const ACCOUNT: Rule = Rule {
    free: 20,
    first_wait: Duration::from_secs(10),
    longest_wait: Duration::from_secs(300),
};
/// One address guessing at many accounts.
const ADDRESS: Rule = Rule {
    free: 50,
    first_wait: Duration::from_secs(60),
    longest_wait: Duration::from_secs(3600),
};

impl Key {
    fn rule(&self) -> &'static Rule {
        match self {
            Key::Pair(..) => &PAIR,
            Key::Account(_) => &ACCOUNT,
            Key::Address(_) => &ADDRESS,
        }
    }
    fn bytes(&self) -> usize {
        match self {
            Key::Pair(_, e) | Key::Account(e) => e.len() + 16,
            Key::Address(_) => 16,
        }
    }
}

#[derive(Clone, Copy, Debug)]
struct Counter {
    failures: u32,
    last: Instant,
    wait_until: Instant,
}

/// The counters of failed sign-ins.
pub struct LoginLimiter {
    capacity: usize,
    counters: Mutex<HashMap<Key, Counter>>,
}

impl Default for LoginLimiter {
    fn default() -> Self {
        LoginLimiter::new(DEFAULT_CAPACITY)
    }
}

/// An attempt that may go on to the password check; hand it back with [`LoginLimiter::succeeded`] when it succeeds.
#[must_use]
pub struct Attempt {
    keys: [Key; 3],
}

impl LoginLimiter {
    pub fn new(capacity: usize) -> LoginLimiter {
        LoginLimiter {
            capacity: capacity.max(3),
            counters: Mutex::default(),
        }
    }

    /// How many counters are kept.
    pub fn len(&self) -> usize {
        self.counters.lock().map_or(0, |c| c.len())
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The bytes the keys hold, at most (a bound for tests and the documentation).
    pub fn key_bytes(&self) -> usize {
        self.counters
            .lock()
            .map_or(0, |c| c.keys().map(Key::bytes).sum())
    }

    /// Counts an attempt before its password is checked: `Err(wait)` when it must wait that long first.
    pub fn begin(&self, address: Option<IpAddr>, email: &str) -> Result<Attempt, Duration> {
        let address = address.unwrap_or(IpAddr::V4(std::net::Ipv4Addr::UNSPECIFIED));
        let account: String = email
            .trim()
            .to_lowercase()
            .chars()
            .take(MAX_EMAIL_CHARS)
            .collect();
        let keys = [
            Key::Pair(address, account.clone()),
            Key::Account(account),
            Key::Address(address),
        ];
        let now = Instant::now();
        let Ok(mut counters) = self.counters.lock() else {
            return Err(Duration::from_secs(1));
        };
        let wait = keys
            .iter()
            .filter_map(|k| counters.get(k))
            .map(|c| c.wait_until.saturating_duration_since(now))
            .max()
            .unwrap_or_default();
        if !wait.is_zero() {
            return Err(wait);
        }
        for k in &keys {
            if !counters.contains_key(k) {
                make_room(&mut counters, self.capacity, now);
            }
            let c = counters.entry(k.clone()).or_insert(Counter {
                failures: 0,
                last: now,
                wait_until: now,
            });
            c.failures = c.failures.saturating_add(1);
            c.last = now;
            c.wait_until = now + wait_after(k.rule(), c.failures);
        }
        Ok(Attempt { keys })
    }

    /// The password was right: the pair starts afresh, and the others forget this attempt.
    pub fn succeeded(&self, attempt: Attempt) {
        let Ok(mut counters) = self.counters.lock() else {
            return;
        };
        let [pair, account, address] = attempt.keys;
        counters.remove(&pair);
        for k in [account, address] {
            if let Some(c) = counters.get_mut(&k) {
                c.failures = c.failures.saturating_sub(1);
                c.wait_until = c.last + wait_after(k.rule(), c.failures);
            }
        }
    }
}

/// The wait after `failures` failures: none while they are free, then doubling up to the longest.
fn wait_after(rule: &Rule, failures: u32) -> Duration {
    if failures < rule.free {
        return Duration::ZERO;
    }
    let doublings = (failures - rule.free).min(20);
    rule.first_wait
        .saturating_mul(1 << doublings)
        .min(rule.longest_wait)
}

/// Frees one place when the counters are full: counters whose wait is over and whose last failure is an hour old
/// go first, then the one with the oldest failure.
fn make_room(counters: &mut HashMap<Key, Counter>, capacity: usize, now: Instant) {
    if counters.len() < capacity {
        return;
    }
    counters.retain(|_, c| {
        c.wait_until > now || now.duration_since(c.last) < Duration::from_secs(3600)
    });
    while counters.len() >= capacity {
        let Some(oldest) = counters
            .iter()
            .min_by_key(|(_, c)| c.last)
            .map(|(k, _)| k.clone())
        else {
            break;
        };
        counters.remove(&oldest);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_wait_doubles_after_the_free_failures_and_stops_at_the_longest() {
        assert_eq!(wait_after(&PAIR, 4), Duration::ZERO);
        assert_eq!(wait_after(&PAIR, 5), Duration::from_secs(60));
        assert_eq!(wait_after(&PAIR, 6), Duration::from_secs(120));
        assert_eq!(wait_after(&PAIR, 100), Duration::from_secs(3600));
        assert_eq!(wait_after(&ACCOUNT, 1000), Duration::from_secs(300));
    }
}
