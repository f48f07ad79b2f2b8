//! Hybrid logical clock: one per device, persisted, advanced past the server's clock at each
//! sync. It orders edits by when they were made (even on a laptop whose clock is wrong) and
//! decides which of two concurrent edits wins; it is never the pull cursor.
//!
//! A timestamp is `(millis, counter, device)`, written `0001764150000000-0000-<device>` so
//! that text order is time order.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Hlc {
    pub millis: i64,
    pub counter: u32,
    pub device: Uuid,
}

impl Hlc {
    pub fn zero(device: Uuid) -> Hlc {
        Hlc {
            millis: 0,
            counter: 0,
            device,
        }
    }

    /// The timestamp of a local event at wall-clock time `now_millis`: never earlier than
    /// the last one, whatever the wall clock says.
    pub fn tick(self, now_millis: i64) -> Hlc {
        if now_millis > self.millis {
            Hlc {
                millis: now_millis,
                counter: 0,
                device: self.device,
            }
        } else {
            Hlc {
                millis: self.millis,
                counter: self.counter.saturating_add(1),
                device: self.device,
            }
        }
    }

    /// Our clock after seeing `remote` (the server's, at sync): past both.
    pub fn observe(self, remote: Hlc, now_millis: i64) -> Hlc {
        let millis = self.millis.max(remote.millis).max(now_millis);
        let counter = if millis == self.millis && millis == remote.millis {
            self.counter.max(remote.counter).saturating_add(1)
        } else if millis == self.millis {
            self.counter.saturating_add(1)
        } else if millis == remote.millis {
            remote.counter.saturating_add(1)
        } else {
            0
        };
        Hlc {
            millis,
            counter,
            device: self.device,
        }
    }
}

impl fmt::Display for Hlc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:016}-{:04x}-{}",
            self.millis.max(0),
            self.counter,
            self.device
        )
    }
}

impl FromStr for Hlc {
    type Err = String;
    fn from_str(text: &str) -> Result<Hlc, String> {
        let bad = || format!("horodatage HLC illisible : {text}");
        let (millis, rest) = text.split_once('-').ok_or_else(bad)?;
        let (counter, device) = rest.split_once('-').ok_or_else(bad)?;
        Ok(Hlc {
            millis: millis.parse().map_err(|_| bad())?,
            counter: u32::from_str_radix(counter, 16).map_err(|_| bad())?,
            device: Uuid::parse_str(device).map_err(|_| bad())?,
        })
    }
}

impl Serialize for Hlc {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_string())
    }
}

impl<'de> Deserialize<'de> for Hlc {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Hlc, D::Error> {
        let text = String::deserialize(d)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// On the wire a timestamp is its text form, so its schema is a string with that pattern.
#[cfg(feature = "openapi")]
impl utoipa::PartialSchema for Hlc {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .description(Some(
                "Hybrid logical clock: milliseconds (16 to 18 digits), counter (4 to 8 hex digits), device.",
            ))
            .pattern(Some(
                "^[0-9]{16,18}-[0-9a-f]{4,8}-[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$",
            ))
            .examples(["0001764150000000-0000-0192f0c4-3b4e-7c1a-9d2e-5f6a7b8c9d0e"])
            .into()
    }
}

#[cfg(feature = "openapi")]
impl utoipa::ToSchema for Hlc {}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn device(n: u8) -> Uuid {
        Uuid::from_bytes([n; 16])
    }

    #[test]
    fn text_order_is_time_order() {
        let a = Hlc {
            millis: 9_000,
            counter: 15,
            device: device(2),
        };
        let b = Hlc {
            millis: 10_000,
            counter: 0,
            device: device(1),
        };
        assert!(a < b);
        assert!(a.to_string() < b.to_string());
        assert_eq!(a.to_string().parse::<Hlc>().unwrap(), a);
    }

    #[test]
    fn a_clock_jumping_backwards_still_ticks_forward() {
        let t = Hlc::zero(device(1)).tick(1_764_150_000_000);
        let later = t.tick(1_764_150_000_000 - 3_600_000);
        assert!(later > t);
        assert_eq!(later.millis, t.millis);
    }

    #[test]
    fn observing_the_server_moves_past_it() {
        let late_laptop = Hlc::zero(device(1)).tick(1_000);
        let server = Hlc {
            millis: 5_000_000,
            counter: 3,
            device: device(9),
        };
        let next = late_laptop.observe(server, 1_001).tick(1_002);
        assert!(
            (next.millis, next.counter) > (server.millis, server.counter),
            "an edit after a sync is later than anything the server had seen"
        );
    }

    proptest! {
        #[test]
        fn ticks_are_strictly_increasing_whatever_the_wall_clock(walls in proptest::collection::vec(-1_000_000i64..2_000_000_000_000, 1..50)) {
            let mut clock = Hlc::zero(device(3));
            for wall in walls {
                let next = clock.tick(wall);
                prop_assert!(next > clock);
                clock = next;
            }
        }
    }
}
