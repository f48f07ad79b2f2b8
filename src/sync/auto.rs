//! Automatic sync: try when there is something to send and at a steady pace otherwise, and
//! after a failure wait with exponential backoff and jitter, so that laptops coming back in
//! reach of the head office sync on their own, without hammering it together, and without
//! waiting for the next local edit (the queue never stalls).

use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rand::Rng;
use serde::Serialize;
use ts_rs::TS;

use super::client::{sync_shared, Client, SyncError, SyncProgress, SyncReport};
use super::keystore::Keystore;
use crate::store::Store;

/// Exponential backoff with full jitter: after n failures, a delay drawn in
/// [base·2ⁿ/2, base·2ⁿ], capped at `max`.
#[derive(Debug, Clone)]
pub struct Backoff {
    pub base: Duration,
    pub max: Duration,
    failures: u32,
}

impl Backoff {
    pub fn new(base: Duration, max: Duration) -> Backoff {
        Backoff {
            base,
            max,
            failures: 0,
        }
    }

    pub fn failures(&self) -> u32 {
        self.failures
    }

    /// The delay before the next attempt after one more failure.
    pub fn fail(&mut self, rng: &mut impl Rng) -> Duration {
        self.failures = self.failures.saturating_add(1);
        let ceiling = self
            .base
            .saturating_mul(1u32 << self.failures.min(16))
            .min(self.max);
        let floor = ceiling / 2;
        floor + ceiling.saturating_sub(floor).mul_f64(rng.random::<f64>())
    }

    pub fn succeed(&mut self) {
        self.failures = 0;
    }
}

/// What the automatic sync tells the app (sent to the UI as the `sync-event` event).
#[derive(Debug, Clone, Serialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SyncEvent {
    Started,
    Progress {
        progress: SyncProgress,
    },
    Done {
        report: SyncReport,
    },
    Failed {
        message: String,
        retry_in_seconds: u64,
        /// Nothing answered (no network, no head office listening): the normal state at a
        /// permanence, said calmly; false for what needs the advisor (a refusal, no token, a
        /// certificate not trusted).
        offline: bool,
    },
}

/// How often to sync when all is well.
pub struct Pace {
    /// With changes waiting.
    pub pending: Duration,
    /// With nothing to send, to bring others' changes down.
    pub idle: Duration,
    pub backoff: Backoff,
    /// How long one request may take before the attempt counts as failed.
    pub request_timeout: Duration,
}

impl Default for Pace {
    fn default() -> Self {
        Pace {
            pending: Duration::from_secs(20),
            idle: Duration::from_secs(300),
            backoff: Backoff::new(Duration::from_secs(2), Duration::from_secs(300)),
            request_timeout: Duration::from_secs(60),
        }
    }
}

/// Runs until `wake` is closed: syncs when woken (the "Synchroniser" button, a new edit,
/// a registration) or when its pace says so, backing off after failures.
pub fn run(
    store: Arc<Mutex<Store>>,
    keystore: Arc<dyn Keystore>,
    wake: Receiver<()>,
    mut pace: Pace,
    on_event: impl Fn(SyncEvent),
) {
    let mut rng = rand::rng();
    let mut wait = Duration::from_millis(500);
    let mut last_sync: Option<std::time::Instant> = None;
    loop {
        let woken = match wake.recv_timeout(wait) {
            Ok(()) => true,
            Err(RecvTimeoutError::Timeout) => false,
            Err(RecvTimeoutError::Disconnected) => return,
        };
        // Look again soon: a local edit made in the meantime must not wait for the idle pace.
        wait = pace.pending;
        let Some((url, authority, device, pending)) = store.lock().ok().and_then(|s| {
            let status = s.sync_status().ok()?;
            let authority = s.server_authority().ok()?;
            Some((
                status.server_url?,
                authority,
                status.device_id,
                status.pending_changes,
            ))
        }) else {
            continue;
        };
        let recently = last_sync.is_some_and(|t| t.elapsed() < pace.idle);
        if !woken && pending == 0 && recently && pace.backoff.failures() == 0 {
            continue;
        }
        let token = match keystore.get(device) {
            Ok(Some(token)) => token,
            _ => {
                on_event(SyncEvent::Failed {
                    message: "Aucun jeton pour cet ordinateur : enregistrez-le auprès du siège."
                        .into(),
                    retry_in_seconds: pace.idle.as_secs(),
                    offline: false,
                });
                wait = pace.idle;
                continue;
            }
        };
        on_event(SyncEvent::Started);
        let result = Client::connect(
            &url,
            Some(token),
            authority.as_deref(),
            pace.request_timeout,
        )
        .and_then(|client| {
            sync_shared(&*store, &client, &mut |p| {
                on_event(SyncEvent::Progress {
                    progress: p.clone(),
                })
            })
        });
        match result {
            Ok(report) => {
                pace.backoff.succeed();
                last_sync = Some(std::time::Instant::now());
                on_event(SyncEvent::Done { report });
            }
            Err(err) => {
                let retry_in = pace.backoff.fail(&mut rng);
                wait = retry_in;
                let message = match &err {
                    SyncError::Refused(api) => api.message.clone(),
                    other => other.to_string(),
                };
                on_event(SyncEvent::Failed {
                    message,
                    retry_in_seconds: retry_in.as_secs(),
                    offline: err.is_offline(),
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn backoff_grows_with_jitter_up_to_its_cap_and_resets() {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(1);
        let mut b = Backoff::new(Duration::from_secs(2), Duration::from_secs(60));
        let delays: Vec<Duration> = (0..10).map(|_| b.fail(&mut rng)).collect();
        assert!(delays[0] >= Duration::from_secs(2) && delays[0] <= Duration::from_secs(4));
        assert!(delays[3] >= Duration::from_secs(16) && delays[3] <= Duration::from_secs(32));
        assert!(
            delays.iter().all(|d| *d <= Duration::from_secs(60)),
            "capped"
        );
        assert!(
            delays[9] >= Duration::from_secs(30),
            "at the cap, jitter stays in its upper half"
        );
        b.succeed();
        assert!(
            b.fail(&mut rng) <= Duration::from_secs(4),
            "a success starts over"
        );
    }

    #[test]
    fn two_laptops_failing_together_do_not_retry_together() {
        let mut a = Backoff::new(Duration::from_secs(2), Duration::from_secs(300));
        let mut b = a.clone();
        let mut rng_a = rand_chacha::ChaCha8Rng::seed_from_u64(10);
        let mut rng_b = rand_chacha::ChaCha8Rng::seed_from_u64(11);
        let same = (0..6)
            .filter(|_| a.fail(&mut rng_a) == b.fail(&mut rng_b))
            .count();
        assert_eq!(same, 0);
    }
}
