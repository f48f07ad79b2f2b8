//! Failed logins, counted per login and per address: past a few failures within a window, a
//! registration is answered "try again later" (429 with `Retry-After`) before any password is
//! checked, so that passwords cannot be guessed at the speed of the network.
//!
//! Invariants: only failures count, and a success clears its login's count; the memory kept
//! is bounded (expired failures are forgotten, and at most `MAX_KEYS` logins and addresses are
//! followed); time comes from the head office's clock.

use std::collections::{HashMap, VecDeque};
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};
use permanence_domain::clock::Clock;

/// How long a failure counts.
pub const WINDOW: TimeDelta = TimeDelta::minutes(15);
/// Failures of one login within the window before it must wait.
pub const PER_LOGIN: usize = 5;
/// Failures from one address (any login) within the window before it must wait.
pub const PER_ADDRESS: usize = 20;
/// How many logins and addresses are followed at once, at most.
const MAX_KEYS: usize = 10_000;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Key {
    Login(String),
    Address(IpAddr),
}

impl Key {
    fn limit(&self) -> usize {
        match self {
            Key::Login(_) => PER_LOGIN,
            Key::Address(_) => PER_ADDRESS,
        }
    }
}

pub struct LoginThrottle {
    clock: Clock,
    failures: Mutex<HashMap<Key, VecDeque<DateTime<Utc>>>>,
}

fn keys(login: &str, address: Option<IpAddr>) -> impl Iterator<Item = Key> {
    let login = Key::Login(login.trim().to_lowercase());
    std::iter::once(login).chain(address.map(Key::Address))
}

impl LoginThrottle {
    pub fn new(clock: Clock) -> LoginThrottle {
        LoginThrottle {
            clock,
            failures: Mutex::new(HashMap::new()),
        }
    }

    /// How long `login` from `address` must wait before trying again; `None` to go on.
    pub fn wait(&self, login: &str, address: Option<IpAddr>) -> Option<Duration> {
        self.wait_at(self.clock.now(), login, address)
    }

    /// A failed login (unknown login, wrong password, disabled account).
    pub fn failed(&self, login: &str, address: Option<IpAddr>) {
        self.failed_at(self.clock.now(), login, address);
    }

    /// A successful login: its earlier failures no longer count (its address's still do).
    pub fn succeeded(&self, login: &str) {
        if let Ok(mut failures) = self.failures.lock() {
            for key in keys(login, None) {
                failures.remove(&key);
            }
        }
    }

    pub fn wait_at(
        &self,
        now: DateTime<Utc>,
        login: &str,
        address: Option<IpAddr>,
    ) -> Option<Duration> {
        let mut failures = self.failures.lock().ok()?;
        keys(login, address)
            .filter_map(|key| {
                let times = failures.get_mut(&key)?;
                forget_expired(times, now);
                if times.len() < key.limit() {
                    return None;
                }
                // Until the failure that brought it to the limit leaves the window.
                let until = times[times.len() - key.limit()] + WINDOW;
                (until - now).to_std().ok()
            })
            .max()
            .map(|wait| wait.max(Duration::from_secs(1)))
    }

    pub fn failed_at(&self, now: DateTime<Utc>, login: &str, address: Option<IpAddr>) {
        let Ok(mut failures) = self.failures.lock() else {
            return;
        };
        if failures.len() >= MAX_KEYS {
            failures.retain(|_, times| {
                forget_expired(times, now);
                !times.is_empty()
            });
        }
        for key in keys(login, address) {
            if failures.len() >= MAX_KEYS && !failures.contains_key(&key) {
                continue;
            }
            let limit = key.limit();
            let times = failures.entry(key).or_default();
            forget_expired(times, now);
            times.push_back(now);
            // Only the last `limit` failures matter to the wait.
            while times.len() > limit {
                times.pop_front();
            }
        }
    }
}

fn forget_expired(times: &mut VecDeque<DateTime<Utc>>, now: DateTime<Utc>) {
    while times.front().is_some_and(|t| *t + WINDOW <= now) {
        times.pop_front();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::Ipv4Addr;

    fn at(minutes: i64) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-11-26T09:00:00Z")
            .unwrap()
            .to_utc()
            + TimeDelta::minutes(minutes)
    }

    fn throttle() -> LoginThrottle {
        LoginThrottle::new(Clock::starting_at(at(0)))
    }

    const HOME: Option<IpAddr> = Some(IpAddr::V4(Ipv4Addr::new(192, 0, 2, 7)));

    #[test]
    fn a_login_waits_after_five_failures_until_the_first_leaves_the_window() {
        let t = throttle();
        for minute in 0..PER_LOGIN as i64 {
            assert_eq!(t.wait_at(at(minute), "claire", HOME), None);
            t.failed_at(at(minute), "claire", HOME);
        }
        let wait = t.wait_at(at(5), "claire", HOME).expect("a wait");
        assert_eq!(wait, Duration::from_secs(10 * 60), "until 09:15");
        assert_eq!(
            t.wait_at(at(15), "claire", HOME),
            None,
            "free again at 09:15"
        );
    }

    #[test]
    fn the_login_is_followed_whatever_its_case_and_spaces() {
        let t = throttle();
        for _ in 0..PER_LOGIN {
            t.failed_at(at(0), " Claire ", None);
        }
        assert!(t.wait_at(at(1), "claire", None).is_some());
        assert_eq!(
            t.wait_at(at(1), "nadia", None),
            None,
            "another login goes on"
        );
    }

    #[test]
    fn an_address_trying_many_logins_waits_too() {
        let t = throttle();
        for i in 0..PER_ADDRESS {
            t.failed_at(at(0), &format!("login{i}"), HOME);
        }
        assert!(t.wait_at(at(1), "someone-else", HOME).is_some());
        assert_eq!(t.wait_at(at(1), "someone-else", None), None);
    }

    #[test]
    fn a_success_clears_the_logins_failures() {
        let t = throttle();
        for _ in 0..PER_LOGIN - 1 {
            t.failed_at(at(0), "claire", None);
        }
        t.succeeded("claire");
        t.failed_at(at(1), "claire", None);
        assert_eq!(t.wait_at(at(1), "claire", None), None);
    }

    #[test]
    fn the_memory_kept_is_bounded() {
        let t = throttle();
        for i in 0..MAX_KEYS + 500 {
            t.failed_at(at(0), &format!("login{i}"), None);
        }
        assert!(t.failures.lock().unwrap().len() <= MAX_KEYS);
        // Once the window has passed, new logins are followed again.
        t.failed_at(at(20), "late", None);
        assert_eq!(t.failures.lock().unwrap().len(), 1);
    }
}
