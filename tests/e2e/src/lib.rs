//! Driving the real app: a `tauri-driver` process (over Debian's WebKitWebDriver) and
//! WebDriver sessions that each launch `permanence-app` on a given data folder.
//!
//! The driver listens on fixed ports (4444, and 4445 for WebKitWebDriver), so these tests run
//! one at a time (`--test-threads=1`) and refuse to start when an old driver still holds a port.

use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command};
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};

pub const DRIVER_URL: &str = "http://127.0.0.1:4444";
pub const WAIT: Duration = Duration::from_secs(20);

/// The app binary: `PERMANENCE_APP`, or `target/debug/permanence-app` of this workspace.
pub fn app_binary() -> Result<PathBuf> {
    let path = match std::env::var_os("PERMANENCE_APP") {
        Some(p) => PathBuf::from(p),
        None => {
            let target = std::env::var_os("CARGO_TARGET_DIR")
                .map(PathBuf::from)
                .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target"));
            target.join("debug/permanence-app")
        }
    };
    let path = path.canonicalize().with_context(|| {
        format!(
            "app binary {} not found: build it first (make build)",
            path.display()
        )
    })?;
    Ok(path)
}

fn port_in_use(port: u16) -> bool {
    TcpStream::connect(("127.0.0.1", port)).is_ok()
}

/// A running `tauri-driver`, stopped with SIGTERM on drop (SIGKILL would leave
/// WebKitWebDriver behind on port 4445).
pub struct Driver {
    child: Child,
}

impl Driver {
    /// Starts the driver; every app it launches gets `PERMANENCE_DATA_DIR=data_dir`.
    pub fn start(data_dir: &Path) -> Result<Driver> {
        Driver::start_with(data_dir, &[])
    }

    /// `start`, with more environment variables for the apps it launches (such as
    /// `PERMANENCE_SAVE_TO`, which saves PDFs into a folder instead of asking where).
    pub fn start_with(data_dir: &Path, env: &[(&str, &Path)]) -> Result<Driver> {
        for port in [4444, 4445] {
            if port_in_use(port) {
                bail!("port {port} is taken: an earlier tauri-driver or WebKitWebDriver is still running");
            }
        }
        let child = Command::new("tauri-driver")
            .args(["--native-driver", "/usr/bin/WebKitWebDriver"])
            .env("PERMANENCE_DATA_DIR", data_dir)
            // The tests prepare and read the app's store with plain SQLite; the store's
            // encryption is tested in the core (`tests/store/encryption.rs`, `tests/store_key.rs`).
            .env("PERMANENCE_UNENCRYPTED_STORE", "1")
            .envs(env.iter().copied())
            .spawn()
            .context("cannot start tauri-driver (installed by scripts/install-deps.sh)")?;
        let driver = Driver { child };
        let start = Instant::now();
        while !port_in_use(4444) {
            if start.elapsed() > WAIT {
                bail!("tauri-driver did not listen on 4444 within {WAIT:?}");
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        Ok(driver)
    }

    /// Launches the app in a new WebDriver session.
    pub async fn launch(&self) -> Result<Client> {
        let app = app_binary()?;
        let mut caps = serde_json::Map::new();
        caps.insert("browserName".into(), "wry".into());
        caps.insert(
            "tauri:options".into(),
            serde_json::json!({ "application": app }),
        );
        let client = ClientBuilder::native()
            .capabilities(caps)
            .connect(DRIVER_URL)
            .await
            .context("cannot open a WebDriver session on the app")?;
        Ok(client)
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Waits for an element and returns its text.
pub async fn text_of(client: &Client, css: &str) -> Result<String> {
    let element = client
        .wait()
        .at_most(WAIT)
        .for_element(Locator::Css(css))
        .await
        .with_context(|| format!("no element {css} on screen"))?;
    Ok(element.text().await?)
}

/// Waits until the element's text contains `expected`.
pub async fn wait_for_text(client: &Client, css: &str, expected: &str) -> Result<()> {
    let start = Instant::now();
    loop {
        if let Ok(element) = client.find(Locator::Css(css)).await {
            if element.text().await.unwrap_or_default().contains(expected) {
                return Ok(());
            }
        }
        if start.elapsed() > WAIT {
            let body = client
                .find(Locator::Css("body"))
                .await?
                .text()
                .await
                .unwrap_or_default();
            bail!("{css} never showed {expected:?}; the window shows:\n{body}");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Waits until nothing on screen matches `css` (a field's error gone once its value saved; no
/// save still on its way).
pub async fn wait_until_gone(client: &Client, css: &str) -> Result<()> {
    let start = Instant::now();
    while !client.find_all(Locator::Css(css)).await?.is_empty() {
        if start.elapsed() > WAIT {
            bail!("{css} stayed on screen");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    Ok(())
}

/// Scrolls `element` to the middle of the window. WebKitWebDriver does not always bring a
/// control below the fold into view before acting on it (with the app's sticky header it
/// fails with "element not interactable"), so the helpers scroll first.
pub async fn scroll_into_view(client: &Client, element: &Element) -> Result<()> {
    client
        .execute(
            "arguments[0].scrollIntoView({ block: 'center', inline: 'nearest' });",
            vec![serde_json::to_value(element)?],
        )
        .await?;
    Ok(())
}

pub async fn fill(client: &Client, css: &str, text: &str) -> Result<()> {
    let input = client
        .wait()
        .at_most(WAIT)
        .for_element(Locator::Css(css))
        .await
        .with_context(|| format!("no field {css}"))?;
    scroll_into_view(client, &input).await?;
    input.clear().await?;
    input.send_keys(text).await?;
    Ok(())
}

pub async fn choose(client: &Client, css: &str, value: &str) -> Result<()> {
    let select = client
        .wait()
        .at_most(WAIT)
        .for_element(Locator::Css(css))
        .await
        .with_context(|| format!("no list {css}"))?;
    scroll_into_view(client, &select).await?;
    select.select_by_value(value).await?;
    Ok(())
}

pub async fn click(client: &Client, css: &str) -> Result<()> {
    // A page being replaced (a link just followed, a list refreshed) can answer the lookup
    // with an element it cannot describe, or drop the element found before the click: look
    // again, a few times. A lookup that timed out is not retried.
    let mut attempt = 0;
    loop {
        attempt += 1;
        let element = match client
            .wait()
            .at_most(WAIT)
            .for_element(Locator::Css(css))
            .await
        {
            Ok(element) => element,
            Err(e @ fantoccini::error::CmdError::WaitTimeout) => {
                return Err(e).with_context(|| format!("nothing to click at {css}"));
            }
            Err(e) if attempt >= 3 => {
                return Err(e).with_context(|| format!("nothing to click at {css}"));
            }
            Err(_) => {
                tokio::time::sleep(std::time::Duration::from_millis(300)).await;
                continue;
            }
        };
        let clicked = async {
            scroll_into_view(client, &element).await?;
            element.click().await?;
            anyhow::Ok(())
        }
        .await;
        match clicked {
            Ok(()) => return Ok(()),
            Err(e) if attempt >= 3 => return Err(e.context(format!("could not click {css}"))),
            Err(_) => tokio::time::sleep(std::time::Duration::from_millis(300)).await,
        }
    }
}

/// Clicks the first element matching `css` whose text starts with `text` (a suggestion in a
/// list, say, where several contain it: "Hesdin-la-Forêt" and "Hesdin (commune déléguée de
/// Hesdin-la-Forêt)"). Waits for it to appear.
pub async fn click_starting_with(client: &Client, css: &str, text: &str) -> Result<()> {
    let start = Instant::now();
    loop {
        for element in client.find_all(Locator::Css(css)).await? {
            if element
                .text()
                .await
                .unwrap_or_default()
                .trim_start()
                .starts_with(text)
            {
                scroll_into_view(client, &element).await?;
                element.click().await?;
                return Ok(());
            }
        }
        if start.elapsed() > WAIT {
            bail!("no {css} starting with {text:?} on screen");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Types into a self-saving field and leaves it (Tab), which saves it.
pub async fn type_and_leave(client: &Client, css: &str, text: &str) -> Result<()> {
    let input = client
        .wait()
        .at_most(WAIT)
        .for_element(Locator::Css(css))
        .await
        .with_context(|| format!("no field {css}"))?;
    scroll_into_view(client, &input).await?;
    input.clear().await?;
    input.send_keys(&format!("{text}\u{E004}")).await?;
    Ok(())
}

/// The value of a form field.
pub async fn value_of(client: &Client, css: &str) -> Result<String> {
    let element = client
        .wait()
        .at_most(WAIT)
        .for_element(Locator::Css(css))
        .await
        .with_context(|| format!("no field {css}"))?;
    Ok(element.prop("value").await?.unwrap_or_default())
}

/// Saves what the window shows as `$PERMANENCE_SCREENSHOTS/{name}.png` when that variable
/// names a folder (to look at the screens after a run); does nothing otherwise.
pub async fn screenshot(client: &Client, name: &str) -> Result<()> {
    let Some(dir) = std::env::var_os("PERMANENCE_SCREENSHOTS") else {
        return Ok(());
    };
    // WebKitWebDriver hands back the last frame painted: what just changed (an overlay, a
    // large image, drawn in tiles) may not be in it yet.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let png = client.screenshot().await?;
    let dir = PathBuf::from(dir);
    std::fs::create_dir_all(&dir)?;
    std::fs::write(dir.join(format!("{name}.png")), png)?;
    Ok(())
}

/// Checks a PDF with `qpdf --check` and returns its text from `pdftotext`, with every run
/// of spaces (ordinary, no-break, narrow no-break) and line breaks made one space.
pub fn checked_pdf_text(path: &Path) -> Result<String> {
    let check = Command::new("qpdf")
        .arg("--check")
        .arg(path)
        .output()
        .context("cannot run qpdf (installed by scripts/install-deps.sh)")?;
    if !check.status.success() {
        bail!(
            "qpdf --check refused {}:\n{}{}",
            path.display(),
            String::from_utf8_lossy(&check.stdout),
            String::from_utf8_lossy(&check.stderr)
        );
    }
    let text = Command::new("pdftotext")
        .arg(path)
        .arg("-")
        .output()
        .context("cannot run pdftotext (poppler-utils)")?;
    if !text.status.success() {
        bail!("pdftotext could not read {}", path.display());
    }
    Ok(String::from_utf8_lossy(&text.stdout)
        .split(|c: char| c.is_whitespace() || c == '\u{a0}' || c == '\u{202f}')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" "))
}

/// Waits until the image at `css` is on screen: loaded and decoded, not just in the page.
pub async fn wait_for_image(client: &Client, css: &str) -> Result<()> {
    let start = Instant::now();
    let script = "const img = document.querySelector(arguments[0]); \
                  return !!img && img.complete && img.naturalWidth > 0;";
    loop {
        let shown = client
            .execute(script, vec![serde_json::Value::from(css)])
            .await?;
        if shown.as_bool() == Some(true) {
            return Ok(());
        }
        if start.elapsed() > WAIT {
            bail!("the image {css} was never shown");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Waits until `path` exists (a file the app writes on its own thread).
pub async fn wait_for_file(path: &Path) -> Result<()> {
    let start = Instant::now();
    while !path.exists() {
        if start.elapsed() > WAIT {
            bail!("{} was never written", path.display());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    Ok(())
}

/// The dossier the printing and dossier-screen tests start from: Anne Lefèvre's organic
/// bakery, one holder, nothing else filled.
pub fn anne_lefevre() -> permanence::dossier::DossierDraft {
    use permanence::codes::{Civility, ProjectType};
    use permanence::dossier::{DossierDraft, HolderDraft};
    DossierDraft {
        project_type: Some(ProjectType::Creation),
        idea: "Boulangerie bio au bourg".into(),
        holders: vec![HolderDraft {
            civility: Some(Civility::Madame),
            last_name: "Lefèvre".into(),
            first_name: "Anne".into(),
            phone: "03 21 04 56 78".into(),
            commune_insee: "62361".into(),
        }],
        ..DossierDraft::default()
    }
}
