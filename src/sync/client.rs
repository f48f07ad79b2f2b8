//! The laptop's HTTP client for the head office, and the sync loop: push the outbox in
//! batches until it is empty, then pull pages until there are no more.
//!
//! A change leaves the outbox only once the head office has answered for it; a dropped
//! request or response leaves it queued, and the next sync sends it again (the server
//! answers a replay with its stored result).

use std::cell::{RefCell, RefMut};
use std::ops::{Deref, DerefMut};
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use super::protocol::{
    Change, PullResponse, PushRequest, PushResponse, RegisterRequest, RegisterResponse, MAX_BATCH,
    MAX_PUSH_BYTES, PULL_PAGE,
};
use crate::error::{ApiError, Error, ErrorCode};
use crate::store::{SnapshotInfo, Store, SyncCounts};

/// Why a sync stopped.
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    #[error(
        "Siège injoignable ({0}) : les modifications restent enregistrées sur cet ordinateur."
    )]
    Unreachable(String),
    #[error("{}", .0.message)]
    Refused(ApiError),
    #[error(transparent)]
    Local(#[from] Error),
}

/// Why an unreachable head office was not reached, when nothing answered at all (no network,
/// nothing listening, no answer in time): the laptop is offline, which is its normal state
/// at a permanence, not a problem for the advisor to solve.
const NO_CONNECTION: &str = "connexion impossible";
const TIMED_OUT: &str = "délai dépassé";

impl SyncError {
    pub fn to_api(&self) -> ApiError {
        match self {
            SyncError::Refused(api) => api.clone(),
            SyncError::Local(e) => e.to_api(),
            SyncError::Unreachable(_) => ApiError::new(ErrorCode::Unreachable, self.to_string()),
        }
    }

    /// Nothing answered: no network, no head office listening, or no answer in time. A head
    /// office that answered badly (a certificate not trusted, an unreadable answer) or refused
    /// is not "offline": that needs the advisor.
    pub fn is_offline(&self) -> bool {
        matches!(self, SyncError::Unreachable(why) if why == NO_CONNECTION || why == TIMED_OUT)
    }

    /// A registration's failure at `base` (the address as checked and completed): when
    /// nothing answered, the message names the address tried and what to type instead, on
    /// the `server` field. Other failures are as `to_api` gives them.
    pub fn at_address(&self, base: &str) -> ApiError {
        let SyncError::Unreachable(why) = self else {
            return self.to_api();
        };
        if certificate_message(why) {
            return self.to_api();
        }
        let loopback = url::Url::parse(base)
            .ok()
            .filter(|url| on_this_machine(url.host()))
            .map(|url| url.scheme() == "https");
        let advice = match loopback {
            // A head office on this machine speaks plain HTTP unless given a certificate.
            Some(true) => format!(
                "Un siège sur cet ordinateur répond d'ordinaire sans chiffrement : essayez {}",
                base.replacen("https://", "http://", 1)
            ),
            Some(false) => {
                "Aucun siège ne répond à ce port de cet ordinateur : vérifiez qu'il est lancé \
                 et le numéro de port"
                    .to_owned()
            }
            None => "Vérifiez l'adresse (par exemple https://siege.initiative-exemple.fr) et la \
                     connexion à internet, puis réessayez"
                .to_owned(),
        };
        let message = format!("Siège injoignable à {base} ({why}). {advice}.");
        ApiError {
            fields: Some(std::collections::BTreeMap::from([(
                "server".to_owned(),
                message.clone(),
            )])),
            ..ApiError::new(ErrorCode::Unreachable, message)
        }
    }
}

/// Whether a failure's detail is about the head office's certificate (every such detail
/// names "certificat du siège").
fn certificate_message(why: &str) -> bool {
    why.contains("certificat du siège")
}

/// What a sync did, for the status line and the end-of-day scripts.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
pub struct SyncReport {
    pub counts: SyncCounts,
    /// Changes still queued (none after a complete sync).
    pub pending: i64,
    pub open_conflicts: i64,
    pub refused_changes: i64,
}

pub struct Client {
    base: String,
    token: Option<String>,
    http: reqwest::blocking::Client,
}

/// The certificates of a certificate authority's PEM file, or a French field error on
/// `certificate` when there is none.
pub fn authority_certificates(pem: &str) -> Result<Vec<reqwest::Certificate>, Error> {
    reqwest::Certificate::from_pem_bundle(pem.as_bytes())
        .ok()
        .filter(|roots| !roots.is_empty())
        .ok_or_else(|| {
            Error::field(
                "certificate",
                "Aucun certificat lisible dans ce fichier : il faut le certificat d'autorité du \
                 siège au format PEM (« -----BEGIN CERTIFICATE----- »).",
            )
        })
}

/// Checks the head office's address and gives it normalised (no trailing `/`). The address
/// is parsed as a URL: HTTPS anywhere; plain HTTP only when the host itself is this machine
/// (`localhost`, `127.0.0.0/8`, `::1`), so that a password never leaves it in clear. An
/// address with a login or password in it, a query or a fragment is refused: the login and
/// password go in their own fields.
pub fn check_url(url: &str) -> Result<String, String> {
    let typed = url.trim();
    let full = with_scheme(typed);
    let parsed = url::Url::parse(&full).map_err(|_| {
        format!(
            "« {typed} » n'est pas une adresse complète : écrivez-la avec https:// devant, \
             par exemple https://siege.example.org (http:// seulement pour un siège sur cet \
             ordinateur, comme http://127.0.0.1:8750)."
        )
    })?;
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err(format!(
            "« {typed} » : l'adresse du siège ne contient ni identifiant ni mot de passe ; \
             saisissez-les dans leurs propres champs."
        ));
    }
    if parsed.query().is_some() || parsed.fragment().is_some() {
        return Err(format!(
            "« {typed} » : l'adresse du siège s'arrête avant tout « ? » ou « # »."
        ));
    }
    let secure = match parsed.scheme() {
        "https" => true,
        "http" => false,
        _ => {
            return Err(format!(
                "« {typed} » : l'adresse du siège commence par https:// (http:// seulement \
                 pour un siège sur cet ordinateur)."
            ))
        }
    };
    if parsed.host().is_none() {
        return Err(format!(
            "« {typed} » : il manque le nom du siège après https://."
        ));
    }
    let this_machine = on_this_machine(parsed.host());
    if !secure && !this_machine {
        return Err(format!(
            "« {typed} » : l'adresse du siège doit commencer par https:// (http:// seulement \
             pour un siège sur cet ordinateur)."
        ));
    }
    Ok(parsed.as_str().trim_end_matches('/').to_owned())
}

/// Whether a host is this machine itself: `localhost`, `127.0.0.0/8` or `::1`.
fn on_this_machine(host: Option<url::Host<&str>>) -> bool {
    match host {
        Some(url::Host::Domain(name)) => name.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

/// An address typed without its scheme, completed: `127.0.0.1:8750` or `localhost:8750` (a
/// head office on this machine, as `make run` starts one) with `http://`, any other with
/// `https://`. An address with a scheme, or empty, is left as typed.
fn with_scheme(typed: &str) -> String {
    if typed.is_empty() || typed.contains("://") {
        return typed.to_owned();
    }
    let local = url::Url::parse(&format!("http://{typed}"))
        .is_ok_and(|url| url.username().is_empty() && on_this_machine(url.host()));
    format!("{}://{typed}", if local { "http" } else { "https" })
}

impl Client {
    /// The head office's address, as checked and normalised (no trailing `/`).
    pub fn base(&self) -> &str {
        &self.base
    }

    /// A client trusting public certificate authorities only, whose requests give up after
    /// a minute.
    pub fn new(base: &str, token: Option<String>) -> Result<Client, SyncError> {
        Client::connect(base, token, None, Duration::from_secs(60))
    }

    /// A client for the head office at `base`. `authority` is the PEM of one or more
    /// certificate authorities to trust besides the public ones, for a head office whose
    /// HTTPS certificate comes from the network's own authority (the laptop keeps the one
    /// given at registration: `Store::server_authority`). Requests give up after `timeout`
    /// (a stalled network).
    pub fn connect(
        base: &str,
        token: Option<String>,
        authority: Option<&str>,
        timeout: Duration,
    ) -> Result<Client, SyncError> {
        let roots = match authority {
            Some(pem) => authority_certificates(pem).map_err(SyncError::Local)?,
            None => Vec::new(),
        };
        let base = check_url(base).map_err(|m| SyncError::Local(Error::field("server", m)))?;
        let mut builder = reqwest::blocking::Client::builder()
            .connect_timeout(Duration::from_secs(5).min(timeout))
            .timeout(timeout);
        for root in roots {
            builder = builder.add_root_certificate(root);
        }
        let http = builder
            .build()
            .map_err(|e| SyncError::Unreachable(e.to_string()))?;
        Ok(Client { base, token, http })
    }

    fn answer<T: DeserializeOwned>(
        result: reqwest::Result<reqwest::blocking::Response>,
    ) -> Result<T, SyncError> {
        let response = result.map_err(|e| SyncError::Unreachable(short(&e)))?;
        if response.status().is_success() {
            return response
                .json()
                .map_err(|e| SyncError::Unreachable(format!("réponse illisible : {}", short(&e))));
        }
        Err(refusal(response))
    }

    fn authorised(
        &self,
        request: reqwest::blocking::RequestBuilder,
    ) -> reqwest::blocking::RequestBuilder {
        match &self.token {
            Some(token) => request.bearer_auth(token),
            None => request,
        }
    }

    pub fn register(&self, request: &RegisterRequest) -> Result<RegisterResponse, SyncError> {
        Self::answer(
            self.http
                .post(format!("{}/v1/devices", self.base))
                .json(request)
                .send(),
        )
    }

    pub fn push(&self, request: &PushRequest) -> Result<PushResponse, SyncError> {
        Self::answer(
            self.authorised(self.http.post(format!("{}/v1/sync/push", self.base)))
                .json(request)
                .send(),
        )
    }

    /// A page after `cursor`; `at` is the `cursor_id` received with it, if any; `count` asks
    /// how many changes remain after the page.
    pub fn pull(
        &self,
        cursor: i64,
        at: Option<Uuid>,
        limit: usize,
        count: bool,
    ) -> Result<PullResponse, SyncError> {
        let at = at.map(|id| format!("&at={id}")).unwrap_or_default();
        let count = if count { "&count=true" } else { "" };
        Self::answer(
            self.authorised(self.http.get(format!(
                "{}/v1/sync/pull?cursor={cursor}&limit={limit}{at}{count}",
                self.base
            )))
            .send(),
        )
    }

    /// The platform's current state (`GET /v1/sync/snapshot`), unpacked into a scratch file
    /// in `dir` (removed when the answer is dropped). None when the head office has none to
    /// give (a head-office account; a head office older than snapshots): the laptop pulls
    /// the log instead.
    pub fn snapshot(
        &self,
        dir: &std::path::Path,
    ) -> Result<Option<(tempfile::NamedTempFile, SnapshotInfo)>, SyncError> {
        let response = self
            .authorised(self.http.get(format!("{}/v1/sync/snapshot", self.base)))
            // A platform's state is tens of megabytes: more than a page's minute on a slow line.
            .timeout(SNAPSHOT_TIMEOUT)
            .send()
            .map_err(|e| SyncError::Unreachable(short(&e)))?;
        let status = response.status();
        if status == reqwest::StatusCode::NOT_FOUND {
            return Ok(None);
        }
        if !status.is_success() {
            return Err(refusal(response));
        }
        let header = |name: &str| -> Option<String> {
            response
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        };
        let number = |name: &str| header(name).and_then(|v| v.parse::<i64>().ok());
        let unreadable = |what: &str| {
            SyncError::Unreachable(format!("état de la plateforme illisible ({what})"))
        };
        let info = SnapshotInfo {
            cursor: number("permanence-cursor").ok_or_else(|| unreadable("curseur"))?,
            cursor_id: header("permanence-cursor-id").and_then(|v| Uuid::parse_str(&v).ok()),
            schema_version: number("permanence-schema").ok_or_else(|| unreadable("schéma"))?,
            dossiers: number("permanence-dossiers").unwrap_or(0),
        };
        let local = |e: std::io::Error| {
            SyncError::Local(Error::Internal(format!("snapshot scratch file: {e}")))
        };
        // What a sync killed during its download left behind.
        if let Ok(entries) = std::fs::read_dir(dir) {
            for entry in entries.flatten() {
                if entry
                    .file_name()
                    .to_string_lossy()
                    .starts_with(SNAPSHOT_SCRATCH)
                {
                    let _ = std::fs::remove_file(entry.path());
                }
            }
        }
        let mut file = tempfile::Builder::new()
            .prefix(SNAPSHOT_SCRATCH)
            .tempfile_in(dir)
            .map_err(local)?;
        let mut decoder = zstd::Decoder::new(response).map_err(|e| unreadable(&e.to_string()))?;
        std::io::copy(&mut decoder, file.as_file_mut()).map_err(|e| {
            // A broken download and a full disk read alike here: the sync stops either way.
            SyncError::Unreachable(format!("réception de l'état interrompue : {e}"))
        })?;
        Ok(Some((file, info)))
    }
}

/// How the scratch files of a platform's state begin (beside the store).
const SNAPSHOT_SCRATCH: &str = ".permanence-snapshot-";

/// How long the download of a platform's state may take.
const SNAPSHOT_TIMEOUT: Duration = Duration::from_secs(30 * 60);

/// The head office's refusal as it said it (`ApiError`), or its status when it said nothing
/// readable.
fn refusal(response: reqwest::blocking::Response) -> SyncError {
    let status = response.status();
    let api: ApiError = response.json().unwrap_or_else(|_| {
        ApiError::new(ErrorCode::Internal, format!("Le siège a répondu {status}."))
    });
    SyncError::Refused(api)
}

fn short(e: &reqwest::Error) -> String {
    if let Some(problem) = certificate_problem(e) {
        problem
    } else if e.is_connect() {
        NO_CONNECTION.into()
    } else if e.is_timeout() {
        TIMED_OUT.into()
    } else {
        e.to_string()
    }
}

/// What is wrong with the head office's certificate, when that is why a request failed
/// (the TLS error sits a few sources down, wrapped in I/O errors, whose `source` skips
/// what they wrap: they are opened with `get_ref`).
fn certificate_problem(e: &(dyn std::error::Error + 'static)) -> Option<String> {
    use rustls::CertificateError as Why;
    let mut next = Some(e);
    while let Some(error) = next {
        if let Some(rustls::Error::InvalidCertificate(why)) = error.downcast_ref() {
            return Some(match why {
                Why::UnknownIssuer | Why::BadSignature => {
                    "certificat du siège non reconnu : s'il vient de l'autorité du réseau, \
                     donnez son certificat d'autorité à l'enregistrement"
                        .into()
                }
                Why::Expired | Why::ExpiredContext { .. } => "certificat du siège expiré".into(),
                Why::NotValidForName | Why::NotValidForNameContext { .. } => {
                    "le certificat du siège n'est pas celui de cette adresse".into()
                }
                other => format!("certificat du siège refusé : {other:?}"),
            });
        }
        next = match error.downcast_ref::<std::io::Error>() {
            Some(io) => io.get_ref().map(|inner| inner as _),
            None => error.source(),
        };
    }
    None
}

/// Where a sync stands, for the progress indication of a long sync.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct SyncProgress {
    /// "envoi" while pushing, "état" while a new laptop receives the platform's state whole,
    /// "réception" while pulling.
    pub phase: String,
    pub sent: i64,
    pub to_send: i64,
    pub received: i64,
    /// What the head office said there was to receive (0 until it said).
    pub to_receive: i64,
}

/// A store the sync loop can take between network calls: the app's shared store, or a
/// store a script owns.
pub trait StoreAccess {
    fn store(&self) -> Result<Box<dyn DerefMut<Target = Store> + '_>, SyncError>;
}

impl StoreAccess for Mutex<Store> {
    fn store(&self) -> Result<Box<dyn DerefMut<Target = Store> + '_>, SyncError> {
        let guard: MutexGuard<'_, Store> = self
            .lock()
            .map_err(|_| SyncError::Local(Error::Internal("store lock poisoned".into())))?;
        Ok(Box::new(guard))
    }
}

/// A store borrowed for the whole sync (the command line, tests).
pub struct Owned<'a>(RefCell<&'a mut Store>);

struct OwnedGuard<'b, 'a>(RefMut<'b, &'a mut Store>);

impl Deref for OwnedGuard<'_, '_> {
    type Target = Store;
    fn deref(&self) -> &Store {
        &self.0
    }
}

impl DerefMut for OwnedGuard<'_, '_> {
    fn deref_mut(&mut self) -> &mut Store {
        &mut self.0
    }
}

impl StoreAccess for Owned<'_> {
    fn store(&self) -> Result<Box<dyn DerefMut<Target = Store> + '_>, SyncError> {
        Ok(Box::new(OwnedGuard(self.0.borrow_mut())))
    }
}

/// One complete sync of a store the caller owns: the whole outbox up, then every page down.
pub fn sync(store: &mut Store, client: &Client) -> Result<SyncReport, SyncError> {
    sync_shared(&Owned(RefCell::new(store)), client, &mut |_| {})
}

/// `sync`, telling `progress` after each batch and page (the command line prints it).
pub fn sync_telling(
    store: &mut Store,
    client: &Client,
    progress: &mut dyn FnMut(&SyncProgress),
) -> Result<SyncReport, SyncError> {
    sync_shared(&Owned(RefCell::new(store)), client, progress)
}

impl SyncProgress {
    /// `Envoi 200 / 1 103`, `Réception 4 000 / 90 000` (or `Réception 500` before the head
    /// office said how much there is), as the command line prints it.
    pub fn describe(&self) -> String {
        let n = |v: i64| crate::money::group_thousands(v.max(0).unsigned_abs());
        match (self.phase.as_str(), self.to_send, self.to_receive) {
            ("état", _, _) => "Réception de l'état de la plateforme".into(),
            ("envoi", total, _) if total > 0 => format!("Envoi {} / {}", n(self.sent), n(total)),
            ("envoi", _, _) => "Envoi".into(),
            (_, _, total) if total > 0 => {
                format!("Réception {} / {}", n(self.received), n(total))
            }
            _ => format!("Réception {}", n(self.received)),
        }
    }
}

/// One complete sync, taking the store's lock only between network calls so that the app
/// stays usable during a long sync; `progress` hears after each batch and page.
pub fn sync_shared(
    store: &dyn StoreAccess,
    client: &Client,
    progress: &mut dyn FnMut(&SyncProgress),
) -> Result<SyncReport, SyncError> {
    let mut counts = SyncCounts::default();
    let (device_id, schema_version, to_send) = {
        let s = store.store()?;
        (s.device_id()?, s.schema_version()?, s.pending_changes()?)
    };
    let mut state = SyncProgress {
        phase: "envoi".into(),
        sent: 0,
        to_send,
        received: 0,
        to_receive: 0,
    };
    progress(&state);
    let mut up = Upload {
        store,
        client,
        device_id,
        schema_version,
        sent_again: false,
    };
    up.push_all(&mut counts, &mut state, progress)?;
    // A laptop that holds nothing yet takes the platform's state whole, then pulls what
    // came after it.
    if store.store()?.holds_nothing()? {
        state.phase = "état".into();
        progress(&state);
        let dir = store.store()?.scratch_dir();
        if let Some((file, info)) = client.snapshot(&dir)? {
            let mut s = store.store()?;
            match s.adopt_snapshot(file.path(), &info) {
                Ok(dossiers) => counts.from_snapshot = dossiers,
                Err(e) if e.is_storage_failure() => return Err(e.into()),
                // Not this laptop's schema, or not what was announced: the log instead.
                Err(e) => tracing::warn!(error = %e, "platform state not adopted; pulling the log"),
            }
        }
    }
    state.phase = "réception".into();
    // A head office restored from an older backup is found once per sync at most: the
    // journal goes up again, then everything is pulled from the start.
    let mut pulled_again = false;
    loop {
        let (cursor, at) = {
            let s = store.store()?;
            (s.cursor()?, s.cursor_id()?)
        };
        let first = state.received == 0;
        let page = match client.pull(cursor, at, PULL_PAGE, first) {
            Err(SyncError::Refused(e)) if e.code == ErrorCode::CursorUnknown && !pulled_again => {
                pulled_again = true;
                let queued = {
                    let mut s = store.store()?;
                    let queued = s.send_again()?;
                    s.pull_again_from_start()?;
                    queued
                };
                up.sent_again = true;
                state.phase = "envoi".into();
                state.to_send += queued as i64;
                up.push_all(&mut counts, &mut state, progress)?;
                state.phase = "réception".into();
                continue;
            }
            other => other?,
        };
        counts.pulled += store.store()?.apply_pull(&page)?;
        state.received += page.changes.len() as i64;
        if let Some(remaining) = page.remaining {
            state.to_receive = state.received + remaining;
        }
        state.to_receive = state.to_receive.max(state.received);
        progress(&state);
        if !page.has_more {
            break;
        }
    }
    let status = store.store()?.sync_status()?;
    Ok(SyncReport {
        counts,
        pending: status.pending_changes,
        open_conflicts: status.open_conflicts,
        refused_changes: status.refused_changes,
    })
}

/// The push half of a sync.
struct Upload<'a> {
    store: &'a dyn StoreAccess,
    client: &'a Client,
    device_id: Uuid,
    schema_version: i64,
    /// This laptop's journal is queued again (the head office holds fewer of its changes
    /// than it confirmed): once per sync at most.
    sent_again: bool,
}

impl Upload<'_> {
    /// The whole outbox up, batch by batch.
    fn push_all(
        &mut self,
        counts: &mut SyncCounts,
        state: &mut SyncProgress,
        progress: &mut dyn FnMut(&SyncProgress),
    ) -> Result<(), SyncError> {
        loop {
            let (batch, acknowledged_seq) = {
                let mut s = self.store.store()?;
                (
                    within_bytes(s.outbox_batch(MAX_BATCH)?),
                    s.acknowledged_seq()?,
                )
            };
            if batch.is_empty() {
                return Ok(());
            }
            if let [alone] = batch.as_slice() {
                let size = push_size(alone);
                if size > MAX_PUSH_BYTES {
                    // It would be refused whole (413) at every sync: kept here, named, and the
                    // changes after it go on.
                    let what = match &alone.field {
                        Some(field) => format!("le champ « {field} »"),
                        None => format!("l'enregistrement « {} »", alone.entity),
                    };
                    let reason = format!(
                        "Trop volumineux pour être envoyé au siège ({} Ko, au plus {} Ko) : \
                         {what}. La saisie reste sur cet ordinateur ; raccourcissez-la.",
                        size.div_ceil(1024),
                        MAX_PUSH_BYTES / 1024
                    );
                    self.store.store()?.refuse_unsendable(alone, &reason)?;
                    counts.refused += 1;
                    continue;
                }
            }
            let response = match self.client.push(&PushRequest {
                device_id: self.device_id,
                schema_version: self.schema_version,
                changes: batch.clone(),
                // Said only once everything still held here is queued again: the head office
                // then takes the rest of the gap as lost, not before.
                acknowledged_seq: self.sent_again.then_some(acknowledged_seq),
            }) {
                Err(SyncError::Refused(e))
                    if e.code == ErrorCode::SequenceGap && !self.sent_again =>
                {
                    self.sent_again = true;
                    let queued = self.store.store()?.send_again()?;
                    state.to_send += queued as i64;
                    continue;
                }
                other => other?,
            };
            let acked = self.store.store()?.acknowledge(&batch, &response)?;
            if acked.pushed == 0 {
                return Err(SyncError::Local(Error::Internal(
                    "the head office answered for none of the changes sent".into(),
                )));
            }
            counts.pushed += acked.pushed;
            counts.applied += acked.applied;
            counts.conflicts += acked.conflicts;
            counts.refused += acked.refused;
            state.sent = counts.pushed;
            state.to_send = state.to_send.max(counts.pushed);
            progress(state);
        }
    }
}

/// The push's own fields (device, schema version, brackets) around the changes.
const ENVELOPE: usize = 256;

/// The bytes a push of `change` alone takes.
fn push_size(change: &Change) -> usize {
    serde_json::to_vec(change).map_or(usize::MAX, |json| json.len() + 1 + ENVELOPE)
}

/// The longest head of `batch` whose push stays under the head office's body limit: a batch of
/// long texts goes up in several pushes instead of being refused whole, again and again. A
/// change too large on its own comes alone (and is kept back).
fn within_bytes(mut batch: Vec<Change>) -> Vec<Change> {
    let mut total = ENVELOPE;
    let mut keep = 0;
    for change in &batch {
        let size = push_size(change) - ENVELOPE;
        if keep > 0 && total.saturating_add(size) > MAX_PUSH_BYTES {
            break;
        }
        total = total.saturating_add(size);
        keep += 1;
    }
    batch.truncate(keep);
    batch
}

#[cfg(test)]
mod progress_tests {
    use super::SyncProgress;

    #[test]
    fn a_long_sync_says_how_far_it_has_gone() {
        let mut progress = SyncProgress {
            phase: "envoi".into(),
            sent: 300,
            to_send: 1885,
            received: 0,
            to_receive: 0,
        };
        assert_eq!(progress.describe(), "Envoi 300 / 1\u{202f}885");
        progress.phase = "réception".into();
        progress.received = 500;
        assert_eq!(progress.describe(), "Réception 500");
        progress.received = 4000;
        progress.to_receive = 90_000;
        assert_eq!(
            progress.describe(),
            "Réception 4\u{202f}000 / 90\u{202f}000"
        );
    }
}

#[cfg(test)]
mod tests {
    use super::check_url;

    fn accepted(url: &str) -> String {
        check_url(url).unwrap_or_else(|m| panic!("{url} should be accepted: {m}"))
    }

    fn refused(url: &str) -> String {
        match check_url(url) {
            Ok(normalised) => panic!("{url} should be refused, got {normalised}"),
            Err(message) => message,
        }
    }

    #[test]
    fn https_is_accepted_anywhere_with_its_port_and_path() {
        assert_eq!(
            accepted("https://siege.example.org"),
            "https://siege.example.org"
        );
        assert_eq!(
            accepted("  https://siege.example.org:8443/permanence/  "),
            "https://siege.example.org:8443/permanence"
        );
        assert_eq!(
            accepted("https://[2001:db8::1]:443/"),
            "https://[2001:db8::1]"
        );
        assert_eq!(
            accepted("HTTPS://Siege.Example.ORG/"),
            "https://siege.example.org"
        );
    }

    #[test]
    fn plain_http_is_accepted_when_the_host_is_this_machine() {
        assert_eq!(accepted("http://127.0.0.1:8750/"), "http://127.0.0.1:8750");
        assert_eq!(accepted("http://127.3.2.1:8750"), "http://127.3.2.1:8750");
        assert_eq!(
            accepted("http://localhost:8750/siege/"),
            "http://localhost:8750/siege"
        );
        assert_eq!(accepted("http://LOCALHOST"), "http://localhost");
        assert_eq!(accepted("http://[::1]:8750"), "http://[::1]:8750");
    }

    #[test]
    fn plain_http_to_another_host_is_refused_whatever_its_name_begins_with() {
        for url in [
            "http://localhost.example.org",
            "http://localhost.example.org:8750/",
            "http://127.0.0.1.example.org",
            "http://127.0.0.1@siege.example.org",
            "http://localhost@siege.example.org",
            "http://[::1]@siege.example.org",
            "http://[::2]:8750",
            "http://128.0.0.1",
            "http://10.0.0.7:8750",
            "http://siege.example.org",
            "http://[2001:db8::1]:8750",
        ] {
            let message = refused(url);
            // Those with a `@` are refused for the login in them, the others for HTTP.
            let why = if url.contains('@') {
                "ni identifiant ni mot de passe"
            } else {
                "doit commencer par https://"
            };
            assert!(message.contains(why), "{url}: {message}");
        }
    }

    #[test]
    fn a_login_or_password_in_the_address_is_refused_even_over_https() {
        for url in [
            "https://claire@siege.example.org",
            "https://claire:secret@siege.example.org",
            "http://claire:secret@127.0.0.1:8750",
        ] {
            assert!(
                refused(url).contains("ni identifiant ni mot de passe"),
                "{url}"
            );
        }
    }

    #[test]
    fn an_address_without_scheme_is_http_on_this_machine_and_https_elsewhere() {
        assert_eq!(accepted("127.0.0.1:8750"), "http://127.0.0.1:8750");
        assert_eq!(accepted(" localhost:8750/ "), "http://localhost:8750");
        assert_eq!(accepted("[::1]:8750"), "http://[::1]:8750");
        assert_eq!(accepted("siege.example.org"), "https://siege.example.org");
        assert_eq!(accepted("10.0.0.7:8750"), "https://10.0.0.7:8750");
        assert_eq!(
            accepted("localhost.example.org"),
            "https://localhost.example.org"
        );
        let message = refused("claire@127.0.0.1:8750");
        assert!(
            message.contains("ni identifiant ni mot de passe"),
            "{message}"
        );
    }

    #[test]
    fn an_empty_address_says_what_to_type() {
        let message = refused("");
        assert!(message.contains("pas une adresse complète"), "{message}");
        assert!(message.contains("https://"), "{message}");
    }

    #[test]
    fn other_schemes_queries_and_fragments_are_refused() {
        for url in [
            "ftp://siege.example.org",
            "file:///etc/passwd",
            "https://siege.example.org/?x=1",
            "https://siege.example.org/#top",
        ] {
            refused(url);
        }
    }
}

#[cfg(test)]
mod address_tests {
    use std::io::{Read, Write};
    use std::net::TcpListener;
    use std::time::Duration;

    use super::{Client, SyncError};
    use crate::sync::protocol::RegisterRequest;

    fn register_at(typed: &str) -> (String, SyncError) {
        let client = Client::connect(typed, None, None, Duration::from_secs(5))
            .unwrap_or_else(|e| panic!("{typed} should be accepted: {e}"));
        let failure = client
            .register(&RegisterRequest {
                login: "claire".into(),
                password: "secret".into(),
                device_id: uuid::Uuid::nil(),
                device_name: "test".into(),
            })
            .expect_err("nothing to register with");
        (client.base().to_owned(), failure)
    }

    #[test]
    fn nothing_listening_on_this_machine_names_the_address_tried_and_is_offline() {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let (base, failure) = register_at(&format!("127.0.0.1:{port}"));
        assert_eq!(base, format!("http://127.0.0.1:{port}"), "http on loopback");
        assert!(failure.is_offline(), "nothing answered: {failure}");
        let api = failure.at_address(&base);
        assert!(
            api.message.starts_with(&format!(
                "Siège injoignable à http://127.0.0.1:{port} (connexion impossible)"
            )),
            "{}",
            api.message
        );
        assert!(
            api.message.contains("vérifiez qu'il est lancé"),
            "{}",
            api.message
        );
        assert_eq!(
            api.fields.as_ref().and_then(|f| f.get("server")),
            Some(&api.message),
            "the message goes beside the address field"
        );
    }

    #[test]
    fn https_to_a_plain_head_office_on_this_machine_suggests_http() {
        let listener = TcpListener::bind("127.0.0.1:0").expect("a free port");
        let port = listener.local_addr().expect("its address").port();
        // A plain HTTP server: answers whatever comes with an HTTP error and closes.
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten().take(4) {
                let mut stream = stream;
                let mut buffer = [0u8; 1024];
                let _ = stream.read(&mut buffer);
                let _ = stream.write_all(
                    b"HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\nconnection: close\r\n\r\n",
                );
            }
        });
        let typed = format!("https://127.0.0.1:{port}");
        let (base, failure) = register_at(&typed);
        let api = failure.at_address(&base);
        assert!(
            api.message
                .contains(&format!("Siège injoignable à {typed} (")),
            "{}",
            api.message
        );
        assert!(
            api.message
                .contains(&format!("essayez http://127.0.0.1:{port}")),
            "{}",
            api.message
        );
    }

    #[test]
    fn an_unknown_name_elsewhere_says_what_an_address_looks_like() {
        let failure = SyncError::Unreachable("connexion impossible".into());
        let api = failure.at_address("https://siege.invalid");
        assert!(
            api.message.starts_with("Siège injoignable à https://siege.invalid (connexion impossible). Vérifiez l'adresse"),
            "{}",
            api.message
        );
    }

    #[test]
    fn a_certificate_not_trusted_is_neither_offline_nor_about_the_address() {
        let failure = SyncError::Unreachable("certificat du siège non reconnu".into());
        assert!(!failure.is_offline());
        assert_eq!(
            failure.at_address("https://siege.example.org"),
            failure.to_api()
        );
        assert!(SyncError::Unreachable("délai dépassé".into()).is_offline());
    }
}
