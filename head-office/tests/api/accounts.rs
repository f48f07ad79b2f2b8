//! Accounts: failed logins are limited per login and per address, with the JSON error and the
//! time to wait; the right password then waits too, and other logins go on.

use permanence_head_office::throttle::{PER_ADDRESS, PER_LOGIN};

use crate::helpers::{spawn_app, PASSWORD};

/// Status, `Retry-After` and error code of a registration's answer.
async fn answer(response: reqwest::Response) -> (u16, Option<u64>, String) {
    let status = response.status().as_u16();
    let retry_after = response
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok());
    let code = if status == 200 {
        String::new()
    } else {
        let body: serde_json::Value = response.json().await.expect("a JSON error body");
        body["code"].as_str().unwrap_or_default().to_owned()
    };
    (status, retry_after, code)
}

#[tokio::test]
async fn a_login_that_failed_five_times_waits_even_with_the_right_password() {
    let app = spawn_app().await;
    for _ in 0..PER_LOGIN {
        let (status, retry_after, code) = answer(app.register("claire", "devinette").await).await;
        assert_eq!(
            (status, retry_after, code.as_str()),
            (401, None, "unauthorized")
        );
    }
    let (status, retry_after, code) = answer(app.register("claire", PASSWORD).await).await;
    assert_eq!((status, code.as_str()), (429, "too_many_attempts"));
    let wait = retry_after.expect("Retry-After");
    assert!((1..=15 * 60).contains(&wait), "{wait} s");

    let response = app.register("claire", PASSWORD).await;
    let body: serde_json::Value = response.json().await.unwrap();
    assert!(
        body["message"]
            .as_str()
            .is_some_and(|m| m.contains("réessayez dans")),
        "{body}"
    );
    let (status, ..) = answer(app.register("nadia", PASSWORD).await).await;
    assert_eq!(status, 200, "another login of the same address goes on");
}

#[tokio::test]
async fn an_address_trying_many_logins_waits_whatever_the_login() {
    let app = spawn_app().await;
    for i in 0..PER_ADDRESS {
        let (status, ..) = answer(app.register(&format!("inconnu{i}"), PASSWORD).await).await;
        assert_eq!(status, 401);
    }
    let (status, retry_after, code) = answer(app.register("nadia", PASSWORD).await).await;
    assert_eq!((status, code.as_str()), (429, "too_many_attempts"));
    assert!(retry_after.is_some());
}

#[tokio::test]
async fn a_successful_login_clears_its_earlier_failures() {
    let app = spawn_app().await;
    for _ in 0..PER_LOGIN - 1 {
        answer(app.register("claire", "devinette").await).await;
    }
    assert_eq!(answer(app.register("claire", PASSWORD).await).await.0, 200);
    for _ in 0..PER_LOGIN - 1 {
        answer(app.register("claire", "devinette").await).await;
    }
    assert_eq!(
        answer(app.register("claire", PASSWORD).await).await.0,
        200,
        "the failures before the success no longer count"
    );
}
