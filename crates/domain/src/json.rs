//! Reading JSON as other programs write it.

use serde::{Deserialize, Deserializer};

/// A whole number as JSON may write it, `3` or `3.0` (JSON Schema's integers are both).
pub fn whole<'de, D: Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
    let number = serde_json::Number::deserialize(d)?;
    number
        .as_i64()
        .or_else(|| {
            number
                .as_f64()
                .filter(|f| f.fract() == 0.0 && f.abs() < 9.0e15)
                .map(|f| f as i64)
        })
        .ok_or_else(|| serde::de::Error::custom("a whole number is expected"))
}
