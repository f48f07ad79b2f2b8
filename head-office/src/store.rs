//! The head office's own SQLite store (WAL), migrated at start from the embedded
//! `migrations/head-office/` files, and the `HeadOffice` implementation over it.
//!
//! Invariants: a push is applied in one transaction in device_seq order, and each change's
//! outcome is stored with it, so a replayed batch gets the same answers and changes nothing;
//! every change is authorised against the caller's platform and validated with the core's
//! own field rules; a field's winner is the later HLC (ties by device id), whatever the
//! arrival order, and the loser is kept in a conflict record.
//!
//! Concurrency: one writing connection, served in arrival order; reads (authentication,
//! pulls, each pull page one snapshot) on a second connection; WAL checkpoints on a thread of
//! their own. A push's outcomes are the same whether its changes come together or one by one
//! (what it remembers within the push is kept up to date by its own writes).

use std::collections::HashMap;
use std::path::Path;
use std::sync::{mpsc, Arc, Mutex};
use std::time::Duration;

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use chrono::{DateTime, Datelike, SecondsFormat, Utc};
use parking_lot::{FairMutex, FairMutexGuard};
use permanence_domain::catalogue::RecordKind;
use permanence_domain::clock::{self, Clock};
use permanence_domain::codes::DossierStatus;
use permanence_domain::dossier::HOLDERS_MAX;
use permanence_domain::pipeline;
use permanence_domain::settings::{LoanRules, PlatformSettings};
use permanence_store::db::{self, Schema};
use permanence_sync::protocol::{
    created_holders, keyed_by_dossier, Change, ChangeOp, ChangeResult, ConflictRecord,
    LoggedChange, LostChanges, Outcome, PullResponse, PushRequest, PushResponse, RegisterRequest,
    RegisterResponse, DELETED_FIELD, MAX_BATCH, MAX_CLOCK_LEAD_MS, MIN_CLIENT_SCHEMA,
    PLATFORM_SETTINGS_FIELD,
};
use permanence_sync::{rules, Hlc};

use crate::replica::Replicas;
use permanence_domain::{ErrorCode, FieldErrors};
use rand::rngs::OsRng;
use rand::RngCore;
use rusqlite::{params, Connection, OptionalExtension, Transaction};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::office::{Caller, HeadOffice, NewUser, OfficeError, OfficeResult, Role};

/// What marks a SQLite file as a head office's store (`PRAGMA application_id`): "PRMH".
pub const HEAD_OFFICE_APPLICATION_ID: i32 = 0x5052_4D48;

pub static HEAD_OFFICE_SCHEMA: Schema = Schema::new(
    HEAD_OFFICE_APPLICATION_ID,
    &[
        include_str!("../../migrations/head-office/0001_init.sql"),
        include_str!("../../migrations/head-office/0002_sync.sql"),
        include_str!("../../migrations/head-office/0003_holder_records.sql"),
        include_str!("../../migrations/head-office/0004_change_code.sql"),
        include_str!("../../migrations/head-office/0005_device_gap.sql"),
        include_str!("../../migrations/head-office/0006_compact_state.sql"),
        include_str!("../../migrations/head-office/0007_settings_index.sql"),
    ],
);

/// The longest name a laptop may give itself at registration.
pub const DEVICE_NAME_MAX: usize = 100;

/// The device id of changes the server makes itself (definitive dossier numbers).
pub const SERVER_DEVICE: Uuid = Uuid::nil();

/// One writing connection, taken in arrival order (a fair lock: under load a push waits
/// behind those that came before it, never behind later ones), and one reading connection
/// beside it for authentication and pulls, which WAL lets read while a push writes. An
/// in-memory store has a single connection for both.
#[derive(Clone)]
pub struct Store {
    conn: Arc<FairMutex<Connection>>,
    reader: Arc<FairMutex<Connection>>,
    /// One hybrid logical clock per platform (and one for head-office accounts), so that a
    /// platform's stamps never move another's laptops' clocks.
    hlc: Arc<Mutex<HashMap<Option<String>, Hlc>>>,
    /// The wall clock every stamp and date rule of the head office reads (tests set it).
    clock: Clock,
    /// Dropped with the last clone of the store, which stops the checkpoint thread.
    _checkpoints: Option<Arc<mpsc::Sender<()>>>,
    /// Each platform's current state, materialised from the log by the laptop's store code.
    replicas: Replicas,
    /// Tells the replica thread which platform a push changed (a store on disk only).
    followed: Option<Arc<mpsc::Sender<String>>>,
}

/// Starts the thread that brings a platform's replica up to the log after each push that
/// changed it, so that its state is ready when asked for (a new laptop's snapshot, a status
/// move's conditions) rather than made then. It stops when the last clone of the store that
/// started it is dropped.
fn follower(office: &Store) -> OfficeResult<mpsc::Sender<String>> {
    let (changed, platforms) = mpsc::channel::<String>();
    // The thread's own handle on the store keeps neither its sender nor the checkpoint
    // thread's: dropping every other clone stops both threads.
    let mut own = office.clone();
    own.followed = None;
    own._checkpoints = None;
    std::thread::Builder::new()
        .name("replica".into())
        .spawn(move || {
            while let Ok(first) = platforms.recv() {
                // Every platform named since: each is brought up once.
                let mut due = vec![first];
                while let Ok(next) = platforms.try_recv() {
                    if !due.contains(&next) {
                        due.push(next);
                    }
                }
                for platform in due {
                    if let Err(e) = own.replicas.read(&own, &platform, |_| ()) {
                        tracing::warn!(platform, "replica not brought up to the log: {e}");
                    }
                }
            }
        })
        .map_err(internal)?;
    Ok(changed)
}

/// How often the checkpoint thread copies the WAL's committed pages into the database.
const CHECKPOINT_EVERY: Duration = Duration::from_millis(500);

/// After this many checkpoints in a row found nothing new to copy (two seconds), the WAL file
/// is truncated.
const IDLE_CHECKPOINTS: u32 = 4;

/// Starts the thread that checkpoints the WAL beside the writer (PASSIVE: it never blocks a
/// push nor waits for one), until the returned sender is dropped.
fn checkpointer(conn: Connection) -> OfficeResult<mpsc::Sender<()>> {
    let (stop, stopped) = mpsc::channel::<()>();
    std::thread::Builder::new()
        .name("wal-checkpoint".into())
        .spawn(move || {
            // Checkpoints in a row that found the WAL wholly copied and nothing new.
            let mut quiet = 0;
            // Changes when another connection commits: "nothing new" since the last look.
            let data_version = || conn.query_row("PRAGMA data_version", [], |r| r.get::<_, i64>(0));
            let mut seen = data_version().ok();
            // Truncating waits for every reader and blocks writers meanwhile: it gives up
            // soon rather than hold a push back, and tries again at the next quiet spell.
            let _ = conn.busy_timeout(Duration::from_millis(50));
            while let Err(mpsc::RecvTimeoutError::Timeout) = stopped.recv_timeout(CHECKPOINT_EVERY)
            {
                let now_seen = data_version().ok();
                let unchanged = now_seen.is_some() && now_seen == seen;
                seen = now_seen;
                let passive = conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |r| {
                    Ok((
                        r.get::<_, i64>(0)?,
                        r.get::<_, i64>(1)?,
                        r.get::<_, i64>(2)?,
                    ))
                });
                match passive {
                    Ok((0, frames, copied)) if unchanged && frames > 0 && frames == copied => {
                        quiet += 1
                    }
                    Ok(_) => quiet = 0,
                    Err(e) => {
                        quiet = 0;
                        tracing::warn!("WAL checkpoint failed: {e}");
                    }
                }
                // Idle for a few seconds with everything in the database: the WAL file is
                // emptied, so that it does not keep the size of the last busy hour.
                if quiet >= IDLE_CHECKPOINTS {
                    quiet = 0;
                    if let Err(e) =
                        conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
                    {
                        tracing::warn!("WAL truncation failed: {e}");
                    }
                }
            }
        })
        .map_err(internal)?;
    Ok(stop)
}

/// A time as the head office stores it.
fn stamp(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Micros, true)
}

/// A password's Argon2id hash (PHC string), as accounts keep them.
fn hash_password(password: &str) -> OfficeResult<String> {
    let salt = SaltString::generate(&mut OsRng);
    Ok(Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map_err(internal)?
        .to_string())
}

/// Whether `password` is the one `hash` was made from.
fn password_matches(password: &str, hash: &str) -> OfficeResult<bool> {
    let parsed = PasswordHash::new(hash).map_err(internal)?;
    Ok(Argon2::default()
        .verify_password(password.as_bytes(), &parsed)
        .is_ok())
}

/// The hash an unknown login's password is checked against, made once, with the parameters
/// of every account's hash, so that refusing an unknown login costs what refusing a known one
/// does (the time of an answer tells no one which logins exist).
fn stand_in_hash() -> OfficeResult<&'static str> {
    static STAND_IN: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    if let Some(hash) = STAND_IN.get() {
        return Ok(hash);
    }
    let hash = hash_password(&new_token())?;
    Ok(STAND_IN.get_or_init(|| hash))
}

fn token_hash(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn new_token() -> String {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// One row of a query whose statement is prepared once and kept in the connection's cache.
fn row<T, P: rusqlite::Params>(
    conn: &Connection,
    sql: &str,
    params: P,
    f: impl FnOnce(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
) -> rusqlite::Result<T> {
    conn.prepare_cached(sql)?.query_row(params, f)
}

/// NotFound unless the platform `code` exists.
fn known_platform(conn: &Connection, code: &str) -> OfficeResult<()> {
    let known: bool = row(
        conn,
        "SELECT EXISTS (SELECT 1 FROM platform WHERE code = ?1)",
        [code],
        |r| r.get(0),
    )?;
    if !known {
        return Err(OfficeError::NotFound(format!(
            "Plateforme inconnue : {code}."
        )));
    }
    Ok(())
}

/// A connection whose statement cache holds the push path's twenty-odd statements.
fn cached(conn: Connection) -> Connection {
    conn.set_prepared_statement_cache_capacity(64);
    conn
}

fn internal(e: impl std::fmt::Display) -> OfficeError {
    OfficeError::Core(permanence_domain::Error::Internal(e.to_string()))
}

impl Store {
    pub fn open(path: &Path) -> OfficeResult<Store> {
        let writer = db::open(path, &HEAD_OFFICE_SCHEMA)?;
        // Pushes never copy the WAL back into the database themselves (with its fsync, a
        // push that did waited hundreds of milliseconds under load); a thread does it.
        writer.pragma_update(None, "wal_autocheckpoint", 0)?;
        let checkpoints = checkpointer(db::open_again(path, false)?)?;
        let writer = Arc::new(FairMutex::new(cached(writer)));
        let reader = Arc::new(FairMutex::new(cached(db::open_again(path, true)?)));
        let replicas = Replicas::in_dir(path.with_extension("replicas"));
        let mut store = Store::from_conns(writer, reader, Some(checkpoints), replicas);
        store.followed = Some(Arc::new(follower(&store)?));
        Ok(store)
    }

    pub fn open_in_memory() -> OfficeResult<Store> {
        let conn = Arc::new(FairMutex::new(cached(db::open_in_memory(
            &HEAD_OFFICE_SCHEMA,
        )?)));
        Ok(Store::from_conns(
            conn.clone(),
            conn,
            None,
            Replicas::in_memory(),
        ))
    }

    fn from_conns(
        conn: Arc<FairMutex<Connection>>,
        reader: Arc<FairMutex<Connection>>,
        checkpoints: Option<mpsc::Sender<()>>,
        replicas: Replicas,
    ) -> Store {
        Store {
            conn,
            reader,
            hlc: Arc::new(Mutex::new(HashMap::new())),
            clock: Clock::system(),
            _checkpoints: checkpoints.map(Arc::new),
            replicas,
            followed: None,
        }
    }

    /// Runs `read` on `platform`'s current state as the head office holds it (dossiers,
    /// committees, sessions), materialised from its log by the laptop's own store code.
    pub fn platform_state<T>(
        &self,
        platform: &str,
        read: impl FnOnce(&permanence_store::store::Store) -> T,
    ) -> OfficeResult<T> {
        self.replicas.read(self, platform, read)
    }

    /// Sets the wall clock the head office reads its time from (tests).
    pub fn set_clock(&mut self, clock: Clock) {
        self.clock = clock;
    }

    /// Now, as the head office stores it.
    fn now(&self) -> String {
        stamp(self.clock.now())
    }

    /// The writing connection.
    fn lock(&self) -> FairMutexGuard<'_, Connection> {
        self.conn.lock()
    }

    /// The reading connection.
    fn read(&self) -> FairMutexGuard<'_, Connection> {
        self.reader.lock()
    }

    /// Whether `caller` may read (or `write`) `platform`'s settings, which must exist.
    fn settings_scope(&self, caller: &Caller, platform: &str, write: bool) -> OfficeResult<()> {
        let own = caller.platform.as_deref() == Some(platform);
        match caller.role {
            Role::Advisor if write => {
                return Err(OfficeError::Forbidden(
                    "Les réglages d'une plateforme se modifient avec un compte du siège.".into(),
                ))
            }
            Role::Advisor if !own => {
                return Err(OfficeError::Forbidden(
                    "Ce compte ne voit que les réglages de sa plateforme.".into(),
                ))
            }
            _ => {}
        }
        known_platform(&self.read(), platform)
    }

    /// `platform`'s settings as last set at the head office, if ever.
    fn settings_of(&self, platform: &str) -> OfficeResult<Option<PlatformSettings>> {
        let logged: Option<(Option<String>, Option<Vec<u8>>)> = row(
            &self.read(),
            // `entity = 'settings'` as written in the partial index `change_log_settings`:
            // without it, a platform never given settings would be scanned whole at each
            // status move.
            "SELECT value, packed FROM change_log
             WHERE platform_code = ?1 AND entity = 'settings' AND applied = 1
             ORDER BY server_seq DESC LIMIT 1",
            [platform],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
        let Some(text) = logged
            .map(|(value, packed)| log_value(value, packed))
            .transpose()?
            .flatten()
        else {
            return Ok(None);
        };
        Ok(Some(serde_json::from_str(&text).map_err(internal)?))
    }

    /// The clock of the caller's platform, ticked past everything it has seen from it.
    fn tick(&self, caller: &Caller, seen: Option<Hlc>) -> OfficeResult<Hlc> {
        let mut clocks = self.hlc.lock().map_err(|_| internal("clock lock"))?;
        let wall = self.clock.now().timestamp_millis();
        let clock = clocks
            .entry(caller.platform.clone())
            .or_insert(Hlc::zero(SERVER_DEVICE));
        *clock = match seen {
            Some(remote) => clock.observe(remote, wall),
            None => clock.tick(wall),
        };
        Ok(*clock)
    }
}

impl HeadOffice for Store {
    fn clock(&self) -> Clock {
        self.clock
    }

    fn schema_version(&self) -> OfficeResult<i64> {
        let conn = self.read();
        Ok(db::user_version(&conn)?)
    }

    fn add_platform(&self, code: &str, name: &str) -> OfficeResult<()> {
        let code = code.trim().to_uppercase();
        let valid = (2..=8).contains(&code.len())
            && code
                .chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit());
        if !valid || name.trim().is_empty() {
            return Err(OfficeError::Invalid(FieldErrors::from([(
                "code".into(),
                "Le code est fait de 2 à 8 majuscules ou chiffres, et le nom est obligatoire."
                    .into(),
            )])));
        }
        let conn = self.lock();
        let added = conn
            .prepare_cached(
                "INSERT OR IGNORE INTO platform (code, name, created_at) VALUES (?1, ?2, ?3)",
            )?
            .execute(params![code, name.trim(), self.now()])?;
        if added == 0 {
            return Err(OfficeError::Conflict(format!(
                "La plateforme {code} existe déjà."
            )));
        }
        Ok(())
    }

    fn add_user(&self, user: &NewUser) -> OfficeResult<()> {
        let mut errors = FieldErrors::new();
        if user.login.trim().len() < 3 {
            errors.insert(
                "login".into(),
                "L'identifiant a au moins 3 caractères.".into(),
            );
        }
        if user.password.chars().count() < 10 {
            errors.insert(
                "password".into(),
                "Le mot de passe a au moins 10 caractères.".into(),
            );
        }
        if user.role == Role::Advisor && user.platform.is_none() {
            errors.insert(
                "platform".into(),
                "Un conseiller appartient à une plateforme.".into(),
            );
        }
        if !errors.is_empty() {
            return Err(OfficeError::Invalid(errors));
        }
        let hash = hash_password(&user.password)?;
        let conn = self.lock();
        if let Some(code) = &user.platform {
            known_platform(&conn, code)?;
        }
        let added = conn.prepare_cached("INSERT OR IGNORE INTO account (id, login, name, password_hash, role, platform_code,
                                            created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)")?.execute(
            params![
                Uuid::now_v7().to_string(),
                user.login.trim(),
                user.name.trim(),
                hash,
                user.role.as_str(),
                user.platform,
                self.now()
            ],
        )?;
        if added == 0 {
            return Err(OfficeError::Conflict(format!(
                "L'identifiant {} est déjà pris.",
                user.login.trim()
            )));
        }
        Ok(())
    }

    fn disable_user(&self, login: &str) -> OfficeResult<()> {
        let changed = self.lock().execute(
            "UPDATE account SET disabled_at = ?2 WHERE login = ?1 AND disabled_at IS NULL",
            params![login, self.now()],
        )?;
        if changed == 0 {
            return Err(OfficeError::NotFound(format!(
                "Aucun compte actif « {login} »."
            )));
        }
        Ok(())
    }

    fn revoke_device(&self, device: Uuid) -> OfficeResult<()> {
        let changed = self.lock().execute(
            "UPDATE device SET revoked_at = ?2 WHERE id = ?1 AND revoked_at IS NULL",
            params![device.to_string(), self.now()],
        )?;
        if changed == 0 {
            return Err(OfficeError::NotFound(format!(
                "Aucun appareil actif {device}."
            )));
        }
        Ok(())
    }

    fn register_device(&self, request: &RegisterRequest) -> OfficeResult<RegisterResponse> {
        let name = request.device_name.trim();
        if let Err(message) = permanence_domain::dossier::visible_text(name) {
            return Err(OfficeError::Invalid(FieldErrors::from([(
                "device_name".into(),
                message,
            )])));
        }
        if name.chars().count() > DEVICE_NAME_MAX {
            return Err(OfficeError::Invalid(FieldErrors::from([(
                "device_name".into(),
                format!("Le nom de l'ordinateur a au plus {DEVICE_NAME_MAX} caractères."),
            )])));
        }
        if request.login.chars().count() > 200 {
            // Longer than any login: refused as one that does not exist.
            return Err(OfficeError::BadCredentials);
        }
        // The password check (Argon2id, tens of milliseconds) holds no lock: syncs go on.
        let account: Option<AccountRow> = row(
            &self.read(),
            "SELECT a.id, a.name, a.password_hash, a.platform_code, p.name
                 FROM account a LEFT JOIN platform p ON p.code = a.platform_code
                 WHERE a.login = ?1 AND a.disabled_at IS NULL",
            [request.login.trim()],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
        )
        .optional()?;
        // The same answer for an unknown login and a wrong password, after the same work: an
        // unknown login is checked against a stand-in hash made with the same parameters.
        let Some((account_id, name, hash, platform_code, platform_name)) = account else {
            let _ = password_matches(&request.password, stand_in_hash()?);
            return Err(OfficeError::BadCredentials);
        };
        if !password_matches(&request.password, &hash)? {
            return Err(OfficeError::BadCredentials);
        }
        let token = new_token();
        let conn = self.lock();
        let owner: Option<String> = row(
            &conn,
            "SELECT account_id FROM device WHERE id = ?1",
            [request.device_id.to_string()],
            |r| r.get(0),
        )
        .optional()?;
        match owner {
            Some(owner) if owner != account_id => {
                return Err(OfficeError::Forbidden(
                    "Cet ordinateur est enregistré au nom d'un autre conseiller.".into(),
                ))
            }
            // Registering again gives a new token (the old one stops working) and keeps the
            // device's sequence, so its queued changes still follow on.
            Some(_) => {
                conn.prepare_cached(
                    "UPDATE device SET token_hash = ?2, revoked_at = NULL, name = ?3 WHERE id = ?1",
                )?
                .execute(params![
                    request.device_id.to_string(),
                    token_hash(&token),
                    request.device_name
                ])?;
            }
            None => {
                conn.prepare_cached(
                    "INSERT INTO device (id, account_id, name, token_hash, registered_at)
                     VALUES (?1, ?2, ?3, ?4, ?5)",
                )?
                .execute(params![
                    request.device_id.to_string(),
                    account_id,
                    request.device_name,
                    token_hash(&token),
                    self.now()
                ])?;
            }
        }
        Ok(RegisterResponse {
            device_id: request.device_id,
            token,
            advisor: name,
            platform_code,
            platform_name,
        })
    }

    fn authenticate(&self, token: &str) -> OfficeResult<Caller> {
        let conn = self.read();
        let found: Option<(String, String, String, Option<String>)> = row(
            &conn,
            "SELECT d.id, a.login, a.role, a.platform_code
                 FROM device d JOIN account a ON a.id = d.account_id
                 WHERE d.token_hash = ?1 AND d.revoked_at IS NULL AND a.disabled_at IS NULL",
            [token_hash(token)],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .optional()?;
        let (device, account, role, platform) = found.ok_or(OfficeError::Unauthorized)?;
        let role = Role::parse(&role).ok_or_else(|| internal("unknown role"))?;
        Ok(Caller {
            device_id: Uuid::parse_str(&device).map_err(internal)?,
            account,
            platform: if role == Role::Advisor {
                platform
            } else {
                None
            },
            role,
        })
    }

    fn push(&self, caller: &Caller, request: &PushRequest) -> OfficeResult<PushResponse> {
        if request.schema_version < MIN_CLIENT_SCHEMA {
            return Err(OfficeError::ClientTooOld {
                found: request.schema_version,
                min: MIN_CLIENT_SCHEMA,
            });
        }
        if request.device_id != caller.device_id {
            return Err(OfficeError::Forbidden(
                "Ce jeton appartient à un autre appareil.".into(),
            ));
        }
        if request.changes.len() > MAX_BATCH {
            return Err(OfficeError::Invalid(FieldErrors::from([(
                "changes".into(),
                format!("Au plus {MAX_BATCH} changements par envoi."),
            )])));
        }
        if let Some(change) = request.changes.iter().find(|c| c.device_seq < 1) {
            return Err(OfficeError::Invalid(FieldErrors::from([(
                "changes".into(),
                format!(
                    "Les numéros de changement (device_seq) commencent à 1 ; reçu {}.",
                    change.device_seq
                ),
            )])));
        }
        let now = self.clock.now();
        let latest_seen = request
            .changes
            .iter()
            .filter(|c| stamp_refusal(caller, c, now).is_none())
            .flat_map(|c| std::iter::once(c.hlc).chain(c.unfolded().into_iter().map(|e| e.hlc)))
            .max();
        let server_hlc = self.tick(caller, latest_seen)?;
        // A status move with conditions is read against the platform's state, brought up to
        // the log before the writer lock is taken (the in-memory head office reads on the
        // writer's connection).
        // Its loan bounds are the platform's settings as the head office set them.
        let mut rules = conditions();
        if let (true, Some(platform)) = (
            request
                .changes
                .iter()
                .any(|c| conditional_move(c).is_some() || new_pairing(c).is_some()),
            caller.platform.as_deref(),
        ) {
            self.replicas.read(self, platform, |_| ())?;
            if let Some(settings) = self.settings_of(platform)? {
                rules = settings;
            }
        }
        let mut conn = self.lock();
        let tx = conn.transaction()?;
        let device = caller.device_id.to_string();
        let mut last: i64 = row(
            &tx,
            "SELECT last_seq FROM device WHERE id = ?1",
            [&device],
            |r| r.get(0),
        )?;
        let mut changes: Vec<&Change> = request.changes.iter().collect();
        changes.sort_by_key(|c| c.device_seq);
        let mut results = Vec::with_capacity(changes.len());
        let mut known = Known::at(self.clock.now());
        let mut lost = None;
        // This push's changes taken so far, for the state a status move is read against.
        let mut taken: Vec<&Change> = Vec::new();
        for change in changes {
            if change.device_seq <= last {
                results.push(stored_result(&tx, &device, change)?);
                continue;
            }
            if change.device_seq != last + 1 {
                // A gap is the device's fault unless this head office had confirmed those
                // changes before (it was restored from an older backup): then it accepts
                // the gap it caused, and names the loss.
                let confirmed = request.acknowledged_seq.unwrap_or(0);
                if lost.is_some() || change.device_seq > confirmed + 1 {
                    return Err(OfficeError::SequenceGap { last });
                }
                let gap = LostChanges {
                    first: last + 1,
                    last: change.device_seq - 1,
                };
                tx.prepare_cached(
                    "INSERT OR REPLACE INTO device_gap (device_id, first_seq, last_seq, noted_at)
                     VALUES (?1, ?2, ?3, ?4)",
                )?
                .execute(params![device, gap.first, gap.last, self.now()])?;
                tracing::warn!(
                    device = %device,
                    first = gap.first,
                    last = gap.last,
                    "changes confirmed before a restore are lost: the device no longer holds them"
                );
                lost = Some(gap);
            }
            let unmet = match (conditional_move(change), new_pairing(change)) {
                (Some((dossier, to)), _) => {
                    self.unmet_conditions(caller, dossier, to, &taken, &rules)?
                }
                (None, Some(dossier)) => self.unfinanced(caller, dossier, &taken)?,
                (None, None) => None,
            };
            let result = apply(&tx, &mut known, caller, change, unmet)?;
            if result.outcome != Outcome::Rejected {
                taken.push(change);
            }
            last = change.device_seq;
            results.push(result);
        }
        tx.prepare_cached("UPDATE device SET last_seq = ?2 WHERE id = ?1")?
            .execute(params![device, last])?;
        tx.commit()?;
        if let (Some(followed), Some(platform)) = (&self.followed, &caller.platform) {
            let _ = followed.send(platform.clone());
        }
        Ok(PushResponse {
            results,
            last_device_seq: last,
            server_hlc,
            lost,
        })
    }

    fn platform_settings(
        &self,
        caller: &Caller,
        platform: &str,
    ) -> OfficeResult<Option<PlatformSettings>> {
        self.settings_scope(caller, platform, false)?;
        self.settings_of(platform)
    }

    fn set_platform_settings(
        &self,
        caller: &Caller,
        platform: &str,
        settings: &PlatformSettings,
    ) -> OfficeResult<PlatformSettings> {
        self.settings_scope(caller, platform, true)?;
        let settings = PlatformSettings {
            code: platform.to_owned(),
            advisor: String::new(),
            ..settings.clone()
        };
        settings.validate()?;
        let value = serde_json::to_value(&settings).map_err(internal)?;
        let on_platform = Caller {
            platform: Some(platform.to_owned()),
            ..caller.clone()
        };
        let hlc = Hlc {
            device: SERVER_DEVICE,
            ..self.tick(&on_platform, None)?
        };
        {
            let mut conn = self.lock();
            let tx = conn.transaction()?;
            log_server_edit(
                &tx,
                &ServerEdit {
                    platform,
                    dossier: None,
                    entity: RecordKind::Settings.as_str(),
                    entity_id: Uuid::nil(),
                    field: PLATFORM_SETTINGS_FIELD,
                    value: Some(value.to_string()),
                    hlc: hlc.to_string(),
                    received_at: &self.now(),
                },
            )?;
            tx.commit()?;
        }
        tracing::info!(platform, account = %caller.account, "platform settings set");
        if let Some(followed) = &self.followed {
            let _ = followed.send(platform.to_owned());
        }
        Ok(settings)
    }

    fn snapshot(
        &self,
        caller: &Caller,
        into: &Path,
    ) -> OfficeResult<permanence_store::store::SnapshotInfo> {
        let Some(platform) = caller.platform.as_deref() else {
            return Err(OfficeError::NotFound(
                "Un compte du siège voit toutes les plateformes : il n'a pas d'état de \
                 plateforme à recevoir d'un bloc, la réception se fait changement par \
                 changement."
                    .into(),
            ));
        };
        Ok(self
            .replicas
            .read(self, platform, |state| state.write_snapshot(into))??)
    }

    fn remaining(&self, caller: &Caller, cursor: i64) -> OfficeResult<i64> {
        Ok(self.read().query_row(
            "SELECT count(*) FROM change_log
             WHERE server_seq > ?1 AND applied = 1 AND (?2 IS NULL OR platform_code = ?2)",
            params![cursor, caller.platform],
            |r| r.get(0),
        )?)
    }

    fn change_count(&self) -> OfficeResult<i64> {
        Ok(self.read().query_row(
            "SELECT count(*) FROM change_log WHERE device_id <> ?1",
            [SERVER_DEVICE.to_string()],
            |r| r.get(0),
        )?)
    }

    fn pull(
        &self,
        caller: &Caller,
        cursor: i64,
        at: Option<Uuid>,
        limit: usize,
    ) -> OfficeResult<PullResponse> {
        let limit = limit.clamp(1, 1000) as i64;
        let mut reader = self.read();
        // One snapshot for the whole page, while pushes commit beside it.
        let conn = reader.transaction()?;
        let scope = caller.platform.clone();
        let logged_at = |seq: i64| -> OfficeResult<Option<Uuid>> {
            let id: Option<String> = conn
                .query_row(
                    "SELECT change_id FROM change_log WHERE server_seq = ?1",
                    [seq],
                    |r| r.get(0),
                )
                .optional()?;
            id.map(|id| Uuid::parse_str(&id).map_err(internal))
                .transpose()
        };
        // A cursor from a history this head office no longer holds (restored from an older
        // backup): its numbers now name other changes, or none.
        if let (Some(at), true) = (at, cursor > 0) {
            if logged_at(cursor)? != Some(at) {
                return Err(OfficeError::CursorUnknown);
            }
        }
        // Rows examined on this page (applied or not), to move the cursor past them.
        let last_examined: Option<i64> = row(
            &conn,
            "SELECT max(server_seq) FROM (
                SELECT server_seq FROM change_log
                WHERE server_seq > ?1 AND (?2 IS NULL OR platform_code = ?2)
                ORDER BY server_seq LIMIT ?3)",
            params![cursor, scope, limit],
            |r| r.get(0),
        )?;
        let until = last_examined.unwrap_or(cursor);
        let mut stmt = conn.prepare_cached(
            "SELECT server_seq, change_id, device_id, entity, entity_id, dossier_id, op, field,
                    value, hlc, packed
             FROM change_log
             WHERE server_seq > ?1 AND server_seq <= ?2 AND applied = 1
               AND (?3 IS NULL OR platform_code = ?3)
             ORDER BY server_seq",
        )?;
        let changes = stmt
            .query_map(params![cursor, until, scope], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, String>(4)?,
                    r.get::<_, Option<String>>(5)?,
                    r.get::<_, String>(6)?,
                    r.get::<_, Option<String>>(7)?,
                    r.get::<_, Option<String>>(8)?,
                    r.get::<_, String>(9)?,
                    r.get::<_, Option<Vec<u8>>>(10)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?
            .into_iter()
            .map(
                |(seq, id, device, entity, entity_id, dossier, op, field, value, hlc, packed)| {
                    let value = log_value(value, packed)?;
                    Ok(LoggedChange {
                        server_seq: seq,
                        change_id: Uuid::parse_str(&id).map_err(internal)?,
                        device_id: Uuid::parse_str(&device).map_err(internal)?,
                        entity,
                        entity_id: Uuid::parse_str(&entity_id).map_err(internal)?,
                        dossier_id: dossier
                            .map(|d| Uuid::parse_str(&d))
                            .transpose()
                            .map_err(internal)?,
                        op: ChangeOp::parse(&op).ok_or_else(|| internal("unknown op"))?,
                        field,
                        value: value
                            .map(|v| serde_json::from_str(&v))
                            .transpose()
                            .map_err(internal)?,
                        hlc: hlc.parse().map_err(internal)?,
                    })
                },
            )
            .collect::<OfficeResult<Vec<_>>>()?;
        let conflicts = conflicts_between(&conn, cursor, until, scope.as_deref())?;
        let has_more: bool = row(
            &conn,
            "SELECT EXISTS (SELECT 1 FROM change_log WHERE server_seq > ?1
                            AND (?2 IS NULL OR platform_code = ?2))",
            params![until, scope],
            |r| r.get(0),
        )?;
        drop(stmt);
        let cursor_id = if until > 0 { logged_at(until)? } else { None };
        drop(conn);
        Ok(PullResponse {
            changes,
            conflicts,
            next_cursor: until,
            cursor_id,
            remaining: None,
            has_more,
            server_hlc: self.tick(caller, None)?,
        })
    }
}

/// A move to a status with conditions (`pipeline::blockers`): the dossier and the status.
fn conditional_move(change: &Change) -> Option<(Uuid, DossierStatus)> {
    if change.entity != "dossier"
        || change.op != ChangeOp::SetField
        || change.field.as_deref() != Some("status")
    {
        return None;
    }
    let to = change
        .value
        .as_ref()
        .and_then(Value::as_str)
        .and_then(DossierStatus::from_str_opt)?;
    matches!(
        to,
        DossierStatus::PretPourComite | DossierStatus::PasseEnComite
    )
    .then_some((change.entity_id, to))
}

/// The dossier of a pairing's creation: one only for a financed business.
fn new_pairing(change: &Change) -> Option<Uuid> {
    (change.entity == "pairing" && change.op == ChangeOp::Create)
        .then_some(change.dossier_id)
        .flatten()
}

/// The conditions the head office reads a status move against while it never set the
/// platform's settings: no loan bounds of its own (the laptops' settings hold them then);
/// every other condition (a balanced plan, the pieces, a loan asked with its duration, the
/// committee's date) is the laptop's own rule. Once set, the platform's settings are read.
fn conditions() -> PlatformSettings {
    PlatformSettings {
        loan_rules: LoanRules {
            min_cents: 0,
            max_cents: i64::MAX,
            max_months: i64::MAX,
            max_deferral_months: i64::MAX,
            min_bank_leverage: 0.0,
            grace_days: 0,
        },
        ..PlatformSettings::default()
    }
}

/// Where the changes of a push taken so far stand in a preview: after every change logged.
const PREVIEW_SEQ: i64 = i64::MAX / 2;

impl Store {
    /// Why moving `dossier` to `to` is refused, read against the platform's state with this
    /// push's changes taken so far (`pipeline::blockers`, the laptop's own rule); None when
    /// the conditions hold, or for a dossier the platform does not hold (scope refuses it).
    fn unmet_conditions(
        &self,
        caller: &Caller,
        dossier: Uuid,
        to: DossierStatus,
        taken: &[&Change],
        rules: &PlatformSettings,
    ) -> OfficeResult<Option<String>> {
        let Some(state) = self.previewed(caller, dossier, taken)? else {
            return Ok(None);
        };
        let reasons = pipeline::blockers(&state, to, rules);
        Ok((!reasons.is_empty()).then(|| {
            format!(
                "Passage à « {} » refusé : {}",
                to.label(),
                reasons.join(" ")
            )
        }))
    }

    /// Why a pairing of `dossier` is refused: the dossier is not financed in the platform's
    /// state with this push's changes taken so far (`Dossier::financed`, the laptop's own
    /// rule); None when it is, or for a dossier the platform does not hold (scope refuses it).
    fn unfinanced(
        &self,
        caller: &Caller,
        dossier: Uuid,
        taken: &[&Change],
    ) -> OfficeResult<Option<String>> {
        Ok(self
            .previewed(caller, dossier, taken)?
            .filter(|state| !state.financed())
            .map(|_| {
                "Le parrainage accompagne une entreprise financée : le prêt d'honneur de ce \
                 dossier n'est pas décaissé."
                    .to_owned()
            }))
    }

    /// `dossier` in the caller's platform's state with this push's changes taken so far.
    fn previewed(
        &self,
        caller: &Caller,
        dossier: Uuid,
        taken: &[&Change],
    ) -> OfficeResult<Option<permanence_domain::dossier::Dossier>> {
        let Some(platform) = caller.platform.as_deref() else {
            return Ok(None);
        };
        let logged: Vec<LoggedChange> = taken
            .iter()
            .filter(|c| dossier_of(c) == Some(dossier))
            .enumerate()
            .map(|(i, c)| LoggedChange {
                server_seq: PREVIEW_SEQ + i as i64,
                change_id: c.change_id,
                device_id: caller.device_id,
                entity: c.entity.clone(),
                entity_id: c.entity_id,
                dossier_id: c.dossier_id,
                op: c.op,
                field: c.field.clone(),
                value: c.value.clone(),
                hlc: c.hlc,
            })
            .collect();
        self.replicas.preview(platform, &logged, dossier)
    }

    /// The settings of the connection that writes pushes (durability, journal).
    pub fn pragmas(&self) -> OfficeResult<db::Pragmas> {
        Ok(db::Pragmas::of(&self.lock())?)
    }

    /// A consistent copy of the whole head office into a new file, while it serves.
    pub fn backup(&self, to: &Path) -> OfficeResult<()> {
        Ok(db::backup_into(&self.read(), to)?)
    }

    /// Changes of devices confirmed before a restore and lost with it, for the administrator:
    /// (device, first, last).
    pub fn lost_changes(&self) -> OfficeResult<Vec<(Uuid, i64, i64)>> {
        let conn = self.read();
        let mut stmt = conn.prepare(
            "SELECT device_id, first_seq, last_seq FROM device_gap ORDER BY noted_at, device_id",
        )?;
        let rows = stmt
            .query_map([], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, i64>(1)?,
                    r.get::<_, i64>(2)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        rows.into_iter()
            .map(|(device, first, last)| {
                Ok((Uuid::parse_str(&device).map_err(internal)?, first, last))
            })
            .collect()
    }

    /// Changes stored per outcome, for the administrator.
    pub fn outcomes(&self) -> OfficeResult<Vec<(String, i64)>> {
        let conn = self.read();
        let mut stmt = conn.prepare(
            "SELECT outcome, count(*) FROM change_log WHERE device_id <> ?1 GROUP BY outcome",
        )?;
        let rows = stmt.query_map([SERVER_DEVICE.to_string()], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

fn conflicts_between(
    conn: &Connection,
    after: i64,
    until: i64,
    scope: Option<&str>,
) -> OfficeResult<Vec<ConflictRecord>> {
    let mut stmt = conn.prepare_cached(
        "SELECT c.id, c.server_seq, c.entity, c.entity_id, c.dossier_id, c.field, c.winner_value,
                c.winner_hlc, coalesce(wa.name, 'siège'), c.loser_value, c.loser_hlc,
                coalesce(la.name, 'siège'), c.resolved_at IS NOT NULL
         FROM conflict c
         LEFT JOIN device wd ON wd.id = c.winner_device LEFT JOIN account wa ON wa.id = wd.account_id
         LEFT JOIN device ld ON ld.id = c.loser_device LEFT JOIN account la ON la.id = ld.account_id
         WHERE c.server_seq > ?1 AND c.server_seq <= ?2 AND (?3 IS NULL OR c.platform_code = ?3)
         ORDER BY c.id",
    )?;
    let rows = stmt.query_map(params![after, until, scope], |r| {
        let value = |i: usize| -> rusqlite::Result<Option<Value>> {
            let text: Option<String> = r.get(i)?;
            Ok(text.and_then(|t| serde_json::from_str(&t).ok()))
        };
        Ok(ConflictRecord {
            id: r.get(0)?,
            server_seq: r.get(1)?,
            entity: r.get(2)?,
            entity_id: Uuid::parse_str(&r.get::<_, String>(3)?).unwrap_or_default(),
            dossier_id: r
                .get::<_, Option<String>>(4)?
                .and_then(|d| Uuid::parse_str(&d).ok()),
            field: r.get(5)?,
            winner_value: value(6)?,
            winner_hlc: r.get(7)?,
            winner_author: r.get(8)?,
            loser_value: value(9)?,
            loser_hlc: r.get(10)?,
            loser_author: r.get(11)?,
            resolved: r.get(12)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The stored answer for a change already received (a replay).
/// (change id, outcome, reason, server sequence, refusal code) of a change already logged.
type StoredResult = (String, String, Option<String>, i64, Option<String>);

fn stored_result(tx: &Transaction, device: &str, change: &Change) -> OfficeResult<ChangeResult> {
    let stored: Option<StoredResult> = row(
        tx,
        "SELECT change_id, outcome, reason, server_seq, code FROM change_log
             WHERE device_id = ?1 AND device_seq = ?2",
        params![device, change.device_seq],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
    )
    .optional()?;
    let Some((change_id, outcome, reason, seq, code)) = stored else {
        return Err(internal("a stored sequence number without its change"));
    };
    if change_id != change.change_id.to_string() {
        return Err(OfficeError::Conflict(format!(
            "Le changement n° {} de cet appareil a déjà été reçu avec un autre contenu.",
            change.device_seq
        )));
    }
    Ok(ChangeResult {
        change_id: change.change_id,
        device_seq: change.device_seq,
        outcome: Outcome::Duplicate,
        replayed: Some(parse_outcome(&outcome)),
        reason,
        code: code.and_then(|c| serde_json::from_value(Value::String(c)).ok()),
        server_seq: Some(seq),
    })
}

fn parse_outcome(text: &str) -> Outcome {
    match text {
        "applied" => Outcome::Applied,
        "conflict" => Outcome::Conflict,
        _ => Outcome::Rejected,
    }
}

fn outcome_text(outcome: Outcome) -> &'static str {
    match outcome {
        Outcome::Applied | Outcome::Duplicate => "applied",
        Outcome::Conflict => "conflict",
        Outcome::Rejected => "rejected",
    }
}

/// What a push needs to know of a dossier: its platform and, when it is deleted, the
/// deletion's server sequence and side.
#[derive(Clone)]
struct DossierFacts {
    platform: String,
    deleted: Option<(i64, Side)>,
}

/// A field's state: value (JSON text), version (the server sequence that set it), HLC and
/// device of the change that set it.
type FieldState = (Option<String>, i64, String, String);

/// What a push has learnt so far, to look each thing up once (a push is mostly edits of a
/// few fields of a few dossiers, often the same field saved again and again): dossier facts,
/// dropped when a change of the push creates, deletes or restores; field states, kept up to
/// date by the push's own writes.
struct Known {
    /// When the push arrived: every stamp and date rule of its changes reads this time.
    at: DateTime<Utc>,
    received_at: String,
    dossiers: HashMap<Uuid, Option<DossierFacts>>,
    fields: HashMap<(String, Uuid, String), Option<FieldState>>,
}

impl Known {
    fn at(at: DateTime<Utc>) -> Known {
        Known {
            at,
            received_at: stamp(at),
            dossiers: HashMap::new(),
            fields: HashMap::new(),
        }
    }
}

fn field_state(
    tx: &Transaction,
    known: &mut Known,
    entity: &str,
    id: Uuid,
    field: &str,
) -> rusqlite::Result<Option<FieldState>> {
    let key = (entity.to_owned(), id, field.to_owned());
    if let Some(state) = known.fields.get(&key) {
        return Ok(state.clone());
    }
    let state = row(
        tx,
        "SELECT value, version, hlc, device_id FROM field_state
         WHERE entity = ?1 AND entity_id = ?2 AND field = ?3",
        params![entity, id.to_string(), field],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
    )
    .optional()?;
    known.fields.insert(key, state.clone());
    Ok(state)
}

fn dossier_facts(
    tx: &Transaction,
    known: &mut Known,
    dossier: Uuid,
) -> rusqlite::Result<Option<DossierFacts>> {
    if let Some(facts) = known.dossiers.get(&dossier) {
        return Ok(facts.clone());
    }
    let facts = row(
        tx,
        "SELECT r.platform_code, r.deleted_seq, l.hlc, l.device_id FROM record r
         LEFT JOIN change_log l ON l.server_seq = r.deleted_seq
         WHERE r.entity = 'dossier' AND r.entity_id = ?1",
        [dossier.to_string()],
        |r| {
            let deleted: Option<i64> = r.get(1)?;
            Ok(DossierFacts {
                platform: r.get(0)?,
                deleted: match deleted {
                    Some(seq) => Some((seq, (Some("true".to_owned()), r.get(2)?, r.get(3)?))),
                    None => None,
                },
            })
        },
    )
    .optional()?;
    known.dossiers.insert(dossier, facts.clone());
    Ok(facts)
}

/// Why a change is refused when its record is not the caller's to change, or is not where
/// the change says: the same words whether the record is unknown or another platform's, so
/// that a refusal tells nothing of another platform's dossiers.
const NOT_YOURS: &str = "Le dossier de ce changement est inconnu du siège.";
const ELSEWHERE: &str = "Cet enregistrement n'appartient pas au dossier indiqué par le changement.";

/// The platform a change's record belongs to, as the head office knows it, checked against
/// the caller. The record's own dossier decides, never the dossier the change names: a
/// dossier's section is keyed by the dossier's id, any other record by what the head office
/// recorded when it was created. `Ok(Err(reason))` refuses this change alone.
fn platform_of(
    tx: &Transaction,
    known: &mut Known,
    caller: &Caller,
    change: &Change,
) -> OfficeResult<Result<String, String>> {
    if change.entity == RecordKind::Settings.as_str() {
        return Ok(Err(
            "Les réglages de la plateforme se modifient au siège, pas depuis un ordinateur.".into(),
        ));
    }
    let creates = matches!(change.op, ChangeOp::Create | ChangeOp::AddNote);
    // An agenda entry names its dossier in its content: it must be one of the caller's.
    if change.entity == "committee_agenda" {
        let named = change
            .value
            .as_ref()
            .and_then(|v| v["dossier_id"].as_str())
            .and_then(|t| Uuid::parse_str(t).ok());
        let owner = match named {
            Some(dossier) => dossier_facts(tx, known, dossier)?.map(|f| f.platform),
            None => None,
        };
        match (owner, &caller.platform) {
            (Some(p), Some(mine)) if &p == mine => {}
            (Some(_), None) => {}
            _ => return Ok(Err(NOT_YOURS.into())),
        }
        // And its committee, when named, is one the head office knows on the same platform.
        if let Some(committee) = change
            .value
            .as_ref()
            .and_then(|v| v["committee_id"].as_str())
        {
            let committee_platform: Option<String> = row(
                tx,
                "SELECT platform_code FROM record WHERE entity = 'committee' AND entity_id = ?1",
                [committee],
                |r| r.get(0),
            )
            .optional()?;
            let dossier_platform = named
                .map(|d| dossier_facts(tx, known, d))
                .transpose()?
                .flatten()
                .map(|f| f.platform);
            if committee_platform.is_none() || committee_platform != dossier_platform {
                return Ok(Err(NOT_YOURS.into()));
            }
        }
    }
    // A loan names its holder, a movement its loan: a live record of the dossier the change
    // names (whose platform is checked below like any new record's).
    // Likewise a pairing's meeting its pairing, a registration its holder, and a pairing's
    // later version its first one.
    let parent = match (change.entity.as_str(), change.op) {
        ("loan", ChangeOp::Create) => Some(("holder", "holder_id")),
        ("loan_movement", ChangeOp::Create) => Some(("loan", "loan_id")),
        ("pairing" | "mentor_meeting", ChangeOp::Create) => Some(("pairing", "pairing_id")),
        ("workshop_registration", ChangeOp::Create) => Some(("holder", "holder_id")),
        _ => None,
    };
    let named_in = |key: &str| {
        change
            .value
            .as_ref()
            .and_then(|v| v[key].as_str())
            .unwrap_or_default()
            .to_owned()
    };
    let first_version =
        |key: &str| change.entity == "pairing" && named_in(key) == change.entity_id.to_string();
    if let Some((entity, key)) = parent.filter(|(_, key)| !first_version(key)) {
        let named = named_in(key);
        let parent_dossier: Option<Option<String>> = row(
            tx,
            "SELECT dossier_id FROM record
             WHERE entity = ?1 AND entity_id = ?2 AND deleted_seq IS NULL",
            params![entity, named],
            |r| r.get(0),
        )
        .optional()?;
        if parent_dossier.flatten() != change.dossier_id.map(|d| d.to_string()) {
            return Ok(Err(ELSEWHERE.into()));
        }
    }
    let owner: Option<String> = if keyed_by_dossier(&change.entity) {
        if change.entity != "dossier" && change.dossier_id != Some(change.entity_id) {
            return Ok(Err(ELSEWHERE.into()));
        }
        if creates && change.entity == "dossier" {
            None
        } else {
            dossier_facts(tx, known, change.entity_id)?.map(|f| f.platform)
        }
    } else {
        let recorded: Option<(Option<String>, String)> = row(
            tx,
            "SELECT dossier_id, platform_code FROM record WHERE entity = ?1 AND entity_id = ?2",
            params![change.entity, change.entity_id.to_string()],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
        match (recorded, change.dossier_id) {
            (Some((own, _)), claimed) if own != claimed.map(|d| d.to_string()) => {
                return Ok(Err(ELSEWHERE.into()));
            }
            (Some((_, platform)), _) => Some(platform),
            // A new record of a dossier: the dossier must be known, and the caller's.
            (None, Some(dossier)) if creates || change.op == ChangeOp::Settle => {
                match dossier_facts(tx, known, dossier)? {
                    Some(facts) => Some(facts.platform),
                    None => return Ok(Err(NOT_YOURS.into())),
                }
            }
            // A new record of no dossier (a permanence, a committee) is the caller's.
            (None, None) if creates => None,
            (None, _) => return Ok(Err(NOT_YOURS.into())),
        }
    };
    let platform = match (owner, &caller.platform) {
        (Some(p), Some(mine)) if &p != mine => return Ok(Err(NOT_YOURS.into())),
        (Some(p), _) => p,
        (None, Some(mine)) if creates => mine.clone(),
        (None, None) if creates => {
            return Ok(Err(
                "Un compte du siège ne crée pas de dossier sans plateforme.".into(),
            ))
        }
        (None, _) => return Ok(Err(NOT_YOURS.into())),
    };
    // A record naming a record of the platform (a mentor's later card its mentor, a pairing
    // its mentor, a registration its workshop) names a live one of its own platform.
    let of_platform = match (change.entity.as_str(), change.op) {
        ("mentor", ChangeOp::Create) => Some(("mentor", "mentor_id")),
        ("pairing", ChangeOp::Create) => Some(("mentor", "mentor_id")),
        ("workshop_registration", ChangeOp::Create) => Some(("workshop", "workshop_id")),
        _ => None,
    };
    if let Some((entity, key)) = of_platform {
        let named = named_in(key);
        let own = change.entity == "mentor" && named == change.entity_id.to_string();
        if !own {
            let named_platform: Option<String> = row(
                tx,
                "SELECT platform_code FROM record
                 WHERE entity = ?1 AND entity_id = ?2 AND deleted_seq IS NULL",
                params![entity, named],
                |r| r.get(0),
            )
            .optional()?;
            if named_platform.as_deref() != Some(platform.as_str()) {
                return Ok(Err(NOT_YOURS.into()));
            }
        }
    }
    Ok(Ok(platform))
}

/// Applies one new change inside the push's transaction, and logs it with its outcome.
fn apply(
    tx: &Transaction,
    known: &mut Known,
    caller: &Caller,
    change: &Change,
    unmet: Option<String>,
) -> OfficeResult<ChangeResult> {
    let platform = platform_of(tx, known, caller, change)?;
    // A create's folded field edits carry their own stamps: each is checked as its own.
    let folded = change.unfolded();
    let stamps = stamp_refusal(caller, change, known.at).or_else(|| {
        folded
            .iter()
            .find_map(|edit| stamp_refusal(caller, edit, known.at))
    });
    let ruled = match (&platform, stamps) {
        (Err(reason), _) => Err((ErrorCode::Forbidden, reason.clone())),
        (Ok(_), Some(refusal)) => Err(refusal),
        (Ok(_), None) if unmet.is_some() => {
            Err((ErrorCode::InvalidInput, unmet.unwrap_or_default()))
        }
        (Ok(_), None) => {
            let facts = rules::Facts {
                today: clock::local_day(known.at),
                status: current_status(tx, known, change)?,
            };
            rules::check(change.into(), &facts)
                .map_err(|refusal| (ErrorCode::InvalidInput, refusal.to_string()))
        }
    };
    let (outcome, applied, reason, conflict, code) = match ruled {
        Err((code, reason)) => (Outcome::Rejected, false, Some(reason), None, Some(code)),
        Ok(()) => match decide(tx, known, change) {
            Ok((outcome, applied, reason, conflict)) => (outcome, applied, reason, conflict, None),
            Err(reason) => (
                Outcome::Rejected,
                false,
                Some(reason),
                None,
                Some(ErrorCode::InvalidInput),
            ),
        },
    };
    let platform = platform.ok();
    let (value, packed) = pack_value(change.value.as_ref())?;
    tx.prepare_cached(
        "INSERT INTO change_log (change_id, device_id, device_seq, platform_code, dossier_id,
                                 entity, entity_id, op, field, value, packed, hlc, outcome,
                                 applied, reason, received_at, code)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)",
    )?
    .execute(params![
        change.change_id.to_string(),
        caller.device_id.to_string(),
        change.device_seq,
        platform,
        dossier_of(change).map(|d| d.to_string()),
        change.entity,
        change.entity_id.to_string(),
        change.op.as_str(),
        change.field,
        value,
        packed,
        change.hlc.to_string(),
        outcome_text(outcome),
        applied,
        reason,
        known.received_at,
        code.map(code_text)
    ])?;
    let seq = tx.last_insert_rowid();
    if applied {
        record_state(
            tx,
            known,
            change,
            platform.as_deref().unwrap_or_default(),
            seq,
        )?;
        // The field edits the record was created with keep no state of their own: the record
        // is new, and an edit of one of its fields made from no known version meets none.
        // The replica, like every laptop, keeps none for them either.
        if !matches!(change.op, ChangeOp::SetField | ChangeOp::Settle) {
            if let Some(dossier) = dossier_of(change) {
                known.dossiers.remove(&dossier);
            }
        }
    }
    if let (Some(contest), Some(platform)) = (conflict, platform.as_deref()) {
        let Contest {
            entity,
            entity_id,
            field,
            winner,
            loser,
        } = contest;
        tx.prepare_cached(
            "INSERT INTO conflict (server_seq, platform_code, dossier_id, entity, entity_id, field,
                                   winner_value, winner_hlc, winner_device, loser_value,
                                   loser_hlc, loser_device)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
        )?
        .execute(params![
            seq,
            platform,
            dossier_of(change).map(|d| d.to_string()),
            entity,
            entity_id.to_string(),
            field,
            winner.0,
            winner.1,
            winner.2,
            loser.0,
            loser.1,
            loser.2
        ])?;
    }
    if outcome == Outcome::Conflict && !applied && change.op == ChangeOp::SetField {
        // The change lost: say the winning value again, in order, so that every device
        // (the loser first, which kept its own value while its change was pending) ends on
        // the same winner.
        echo_current(tx, known, change, platform.as_deref().unwrap_or_default())?;
    }
    if applied && change.op == ChangeOp::Create && change.entity == "dossier" {
        if let Some(platform) = platform.as_deref() {
            assign_number(tx, change.entity_id, platform, known.at)?;
        }
    }
    Ok(ChangeResult {
        change_id: change.change_id,
        device_seq: change.device_seq,
        outcome,
        replayed: None,
        reason,
        code,
        server_seq: Some(seq),
    })
}

/// Values longer than this are logged zstd-compressed: a create carries its whole record
/// and the field edits folded into it, which compress several times over.
const PACK_OVER: usize = 256;

/// A change's value as the log keeps it: plain text when short, else compressed.
fn pack_value(value: Option<&Value>) -> OfficeResult<(Option<String>, Option<Vec<u8>>)> {
    pack_text(value.map(Value::to_string))
}

/// A value's JSON text as the log keeps it (see `pack_value`).
fn pack_text(text: Option<String>) -> OfficeResult<(Option<String>, Option<Vec<u8>>)> {
    let Some(text) = text else {
        return Ok((None, None));
    };
    if text.len() <= PACK_OVER {
        return Ok((Some(text), None));
    }
    let packed = zstd::bulk::compress(text.as_bytes(), 3).map_err(internal)?;
    Ok((None, Some(packed)))
}

/// The logged value's text, unpacked when it was kept compressed.
pub fn log_value(value: Option<String>, packed: Option<Vec<u8>>) -> OfficeResult<Option<String>> {
    match (value, packed) {
        (Some(text), _) => Ok(Some(text)),
        (None, Some(packed)) => {
            let bytes = zstd::stream::decode_all(packed.as_slice()).map_err(internal)?;
            Ok(Some(String::from_utf8(bytes).map_err(internal)?))
        }
        (None, None) => Ok(None),
    }
}

/// Why a change's clock stamp cannot be taken: it names another device, or it is further
/// ahead of the head office's clock than `MAX_CLOCK_LEAD_MS`.
fn stamp_refusal(
    caller: &Caller,
    change: &Change,
    now: DateTime<Utc>,
) -> Option<(ErrorCode, String)> {
    if change.hlc.device != caller.device_id {
        return Some((
            ErrorCode::Forbidden,
            "Horodatage au nom d'un autre appareil.".into(),
        ));
    }
    if change.hlc.millis > now.timestamp_millis().saturating_add(MAX_CLOCK_LEAD_MS) {
        return Some((
            ErrorCode::ClockAhead,
            "Modification datée de plus d'un jour après l'heure du siège : vérifiez la date et \
             l'heure de cet ordinateur, puis refaites-la."
                .into(),
        ));
    }
    None
}

/// A refusal's code as the log keeps it (its JSON name).
fn code_text(code: ErrorCode) -> String {
    serde_json::to_value(code)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// The status of the dossier a status change is about, as the head office holds it: its last
/// status change, else the status it was created with. None for any other change.
fn current_status(
    tx: &Transaction,
    known: &mut Known,
    change: &Change,
) -> OfficeResult<Option<DossierStatus>> {
    if !(change.op == ChangeOp::SetField
        && change.entity == "dossier"
        && change.field.as_deref() == Some("status"))
    {
        return Ok(None);
    }
    let text: Option<String> = match field_state(tx, known, "dossier", change.entity_id, "status")?
    {
        Some((value, ..)) => value.and_then(|v| serde_json::from_str(&v).ok()),
        None => {
            let logged: Option<(Option<String>, Option<Vec<u8>>)> = row(
                tx,
                "SELECT l.value, l.packed FROM record r
                     JOIN change_log l ON l.server_seq = r.created_seq
                     WHERE r.entity = 'dossier' AND r.entity_id = ?1",
                [change.entity_id.to_string()],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
            match logged {
                Some((value, packed)) => log_value(value, packed)?
                    .and_then(|v| serde_json::from_str::<Value>(&v).ok())
                    .and_then(|v| v["status"].as_str().map(str::to_owned)),
                None => None,
            }
        }
    };
    Ok(text.as_deref().and_then(DossierStatus::from_str_opt))
}

fn dossier_of(change: &Change) -> Option<Uuid> {
    match (change.entity.as_str(), change.dossier_id) {
        ("dossier", _) => Some(change.entity_id),
        (_, d) => d,
    }
}

/// (value, hlc, device) of one side of a conflict.
type Side = (Option<String>, String, String);

/// A conflict to record: the field it is about, and its winning and losing sides. An edit
/// racing the dossier's deletion is a conflict on the dossier's `deleted` field (`true` the
/// deletion, `false` the edit).
struct Contest {
    entity: String,
    entity_id: Uuid,
    field: String,
    winner: Side,
    loser: Side,
}

/// A change's outcome, whether the state takes its value, the refusal reason, and the
/// conflict to record.
type Decided = (Outcome, bool, Option<String>, Option<Contest>);

/// (id, name, password hash, platform code, platform name) of an account.
type AccountRow = (String, String, String, Option<String>, Option<String>);

/// What to do with a change: its outcome, whether the state takes its value, the refusal
/// reason, and the conflict to record.
fn decide(tx: &Transaction, known: &mut Known, change: &Change) -> Result<Decided, String> {
    match change.op {
        ChangeOp::Create | ChangeOp::AddNote => {
            let exists: bool = row(
                tx,
                "SELECT EXISTS (SELECT 1 FROM record WHERE entity = ?1 AND entity_id = ?2)",
                params![entity_key(change), change.entity_id.to_string()],
                |r| r.get(0),
            )
            .map_err(|e| e.to_string())?;
            // An agenda entry is the pair (committee, dossier): added again after its removal,
            // or by two laptops at once, it is the same entry.
            if exists && change.entity == "loan_movement" && same_as_stored(tx, change)? {
                // A repayment read from a bank statement has an id made from the statement's
                // line: the same statement imported on two laptops gives the same movement,
                // stored once. The second creation is applied as a no-op (laptops that hold
                // the movement ignore it), so that every laptop dates the dossier's last
                // change alike.
                return Ok((Outcome::Applied, true, None, None));
            }
            if exists && change.entity != "committee_agenda" {
                return Err("Cet enregistrement existe déjà au siège.".into());
            }
            if change.value.is_none() {
                return Err("Création sans contenu.".into());
            }
            if change.entity == "holder" {
                let holders: i64 = row(
                    tx,
                    "SELECT count(*) FROM record WHERE entity = 'holder' AND dossier_id = ?1
                                                  AND deleted_seq IS NULL",
                    [dossier_of(change).map(|d| d.to_string())],
                    |r| r.get(0),
                )
                .map_err(|e| e.to_string())?;
                if holders >= HOLDERS_MAX as i64 {
                    return Err(format!(
                        "Un dossier a au plus {HOLDERS_MAX} porteurs de projet."
                    ));
                }
            }
            Ok((Outcome::Applied, true, None, None))
        }
        ChangeOp::Delete if change.entity == "dossier" => {
            // Edits of the dossier the deleting laptop had not seen: the deletion stands,
            // and a person may restore the dossier.
            let seen = change.base_version.unwrap_or(0);
            let unseen: Option<(String, String)> = row(
                tx,
                "SELECT hlc, device_id FROM change_log
                     WHERE dossier_id = ?1 AND server_seq > ?2 AND applied = 1
                       AND device_id NOT IN (?3, ?4)
                     ORDER BY server_seq DESC LIMIT 1",
                params![
                    change.entity_id.to_string(),
                    seen,
                    change.hlc.device.to_string(),
                    SERVER_DEVICE.to_string()
                ],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()
            .map_err(|e| e.to_string())?;
            Ok(match unseen {
                None => (Outcome::Applied, true, None, None),
                Some((hlc, device)) => (
                    Outcome::Conflict,
                    true,
                    None,
                    Some(deletion_contest(
                        change.entity_id,
                        side(change, true),
                        (Some("false".into()), hlc, device),
                    )),
                ),
            })
        }
        ChangeOp::Delete | ChangeOp::Restore => Ok((Outcome::Applied, true, None, None)),
        ChangeOp::Settle => {
            let conflict = change
                .value
                .as_ref()
                .and_then(|v| v["conflict"].as_i64())
                .ok_or("Conflit non précisé.")?;
            let known: bool = row(
                tx,
                "SELECT EXISTS (SELECT 1 FROM conflict WHERE id = ?1 AND dossier_id = ?2)",
                params![
                    conflict,
                    dossier_of(change)
                        .map(|d| d.to_string())
                        .unwrap_or_default()
                ],
                |r| r.get(0),
            )
            .map_err(|e| e.to_string())?;
            if !known {
                return Err("Ce conflit est inconnu du siège.".into());
            }
            Ok((Outcome::Applied, true, None, None))
        }
        ChangeOp::SetField => {
            // The value was checked against the rule book before (`rules::check`).
            let field_name = change.field.as_deref().ok_or("Champ manquant.")?;
            let value = change.value.clone().unwrap_or(Value::Null);
            let facts = match dossier_of(change) {
                Some(dossier) => dossier_facts(tx, known, dossier).map_err(|e| e.to_string())?,
                None => None,
            };
            if let Some(DossierFacts {
                platform,
                deleted: Some((deleted_seq, deletion)),
            }) = facts
            {
                return edit_of_deleted(tx, change, &platform, deleted_seq, deletion);
            }
            let current = field_state(tx, known, &change.entity, change.entity_id, field_name)
                .map_err(|e| e.to_string())?;
            let Some((current_value, version, current_hlc, current_device)) = current else {
                return Ok((Outcome::Applied, true, None, None));
            };
            // A device never conflicts with itself: its later edit, made before it heard
            // back about its earlier one, simply follows it.
            if change.base_version == Some(version)
                || current_device == change.hlc.device.to_string()
            {
                return Ok((Outcome::Applied, true, None, None));
            }
            let new_text = Some(value.to_string());
            if current_value == new_text {
                // Both devices wrote the same value: nothing to decide.
                return Ok((Outcome::Applied, false, None, None));
            }
            let current_hlc_parsed: Hlc = current_hlc.parse()?;
            let theirs: Side = (current_value, current_hlc, current_device);
            let ours: Side = (
                new_text,
                change.hlc.to_string(),
                change.hlc.device.to_string(),
            );
            let contest = |winner: Side, loser: Side| Contest {
                entity: change.entity.clone(),
                entity_id: change.entity_id,
                field: field_name.to_owned(),
                winner,
                loser,
            };
            if change.hlc > current_hlc_parsed {
                Ok((Outcome::Conflict, true, None, Some(contest(ours, theirs))))
            } else {
                Ok((Outcome::Conflict, false, None, Some(contest(theirs, ours))))
            }
        }
    }
}

/// A change's side of a deletion conflict: `true` for the deletion, `false` for an edit,
/// with the change's clock stamp and device.
fn side(change: &Change, deleted: bool) -> Side {
    (
        Some(deleted.to_string()),
        change.hlc.to_string(),
        change.hlc.device.to_string(),
    )
}

/// An edit of a dossier deleted meanwhile is kept (a restore brings it back) and shown as a
/// conflict with the deletion, once per laptop and deletion.
fn edit_of_deleted(
    tx: &Transaction,
    change: &Change,
    platform: &str,
    deleted_seq: i64,
    deletion: Side,
) -> Result<Decided, String> {
    let dossier = dossier_of(change).unwrap_or(change.entity_id);
    // The platform lets the search use `conflict_scope` (the conflicts since the deletion)
    // rather than read every conflict.
    let told: bool = row(
        tx,
        "SELECT EXISTS (SELECT 1 FROM conflict WHERE platform_code = ?5 AND server_seq > ?3
                 AND entity = 'dossier' AND entity_id = ?1 AND field = ?2 AND loser_device = ?4)",
        params![
            dossier.to_string(),
            DELETED_FIELD,
            deleted_seq,
            change.hlc.device.to_string(),
            platform
        ],
        |r| r.get(0),
    )
    .map_err(|e| e.to_string())?;
    Ok(if told {
        (Outcome::Applied, true, None, None)
    } else {
        (
            Outcome::Conflict,
            true,
            None,
            Some(deletion_contest(dossier, deletion, side(change, false))),
        )
    })
}

fn deletion_contest(dossier: Uuid, deletion: Side, edit: Side) -> Contest {
    Contest {
        entity: "dossier".into(),
        entity_id: dossier,
        field: DELETED_FIELD.into(),
        winner: deletion,
        loser: edit,
    }
}

/// Notes are records of their own; every other entity name is the table's.
/// Whether a creation carries what the live record of its id was created with.
fn same_as_stored(tx: &Transaction, change: &Change) -> Result<bool, String> {
    let stored: Option<(Option<String>, Option<Vec<u8>>)> = row(
        tx,
        "SELECT c.value, c.packed FROM record r JOIN change_log c ON c.server_seq = r.created_seq
         WHERE r.entity = ?1 AND r.entity_id = ?2 AND r.deleted_seq IS NULL",
        params![change.entity, change.entity_id.to_string()],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
    .optional()
    .map_err(|e| e.to_string())?;
    let Some((value, packed)) = stored else {
        return Ok(false);
    };
    let text = log_value(value, packed).map_err(|e| e.to_string())?;
    let stored: Option<Value> = text.and_then(|t| serde_json::from_str(&t).ok());
    Ok(stored.is_some() && stored.as_ref() == change.value.as_ref())
}

fn entity_key(change: &Change) -> &str {
    &change.entity
}

/// Updates the record and field tables after an applied change.
fn record_state(
    tx: &Transaction,
    known: &mut Known,
    change: &Change,
    platform: &str,
    seq: i64,
) -> OfficeResult<()> {
    let id = change.entity_id.to_string();
    match change.op {
        ChangeOp::Create | ChangeOp::AddNote => {
            tx.prepare_cached(
                "INSERT OR IGNORE INTO record (entity, entity_id, dossier_id, platform_code,
                                               created_seq)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
            )?
            .execute(params![
                change.entity,
                id,
                dossier_of(change).map(|d| d.to_string()),
                platform,
                seq
            ])?;
            if change.entity == "committee_agenda" {
                tx.prepare_cached(
                    "UPDATE record SET deleted_seq = NULL WHERE entity = ?1 AND entity_id = ?2",
                )?
                .execute(params![change.entity, id])?;
            }
            if change.entity == "dossier" {
                // The holders created with the dossier are records of it too, so that an
                // edit of one is scoped by the dossier it belongs to.
                let holders = change.value.as_ref().map(created_holders);
                for holder in holders.into_iter().flatten() {
                    tx.prepare_cached(
                        "INSERT OR IGNORE INTO record (entity, entity_id, dossier_id,
                                                       platform_code, created_seq)
                         VALUES ('holder', ?1, ?2, ?3, ?4)",
                    )?
                    .execute(params![holder, id, platform, seq])?;
                }
            }
        }
        ChangeOp::Delete => {
            tx.prepare_cached(
                "UPDATE record SET deleted_seq = ?3 WHERE entity = ?1 AND entity_id = ?2",
            )?
            .execute(params![change.entity, id, seq])?;
        }
        ChangeOp::Settle => {
            // The first person's choice settles it; later ones change nothing.
            let conflict = change.value.as_ref().and_then(|v| v["conflict"].as_i64());
            tx.prepare_cached(
                "UPDATE conflict SET resolved_at = ?2 WHERE id = ?1 AND resolved_at IS NULL",
            )?
            .execute(params![conflict, known.received_at])?;
        }
        ChangeOp::Restore => {
            tx.prepare_cached(
                "UPDATE record SET deleted_seq = NULL WHERE entity = ?1 AND entity_id = ?2",
            )?
            .execute(params![change.entity, id])?;
        }
        ChangeOp::SetField => {
            let field = change.field.clone().unwrap_or_default();
            let state: FieldState = (
                change.value.as_ref().map(|v| v.to_string()),
                seq,
                change.hlc.to_string(),
                change.hlc.device.to_string(),
            );
            tx.prepare_cached(
                "INSERT INTO field_state (entity, entity_id, field, value, version, hlc, device_id)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                 ON CONFLICT (entity, entity_id, field) DO UPDATE SET
                     value = excluded.value, version = excluded.version, hlc = excluded.hlc,
                     device_id = excluded.device_id",
            )?
            .execute(params![
                change.entity,
                id,
                field,
                state.0,
                state.1,
                state.2,
                state.3
            ])?;
            known.fields.insert(
                (change.entity.clone(), change.entity_id, field),
                Some(state),
            );
        }
    }
    Ok(())
}

/// Logs a field's current value again as a server change, and makes it the field's version.
fn echo_current(
    tx: &Transaction,
    known: &mut Known,
    change: &Change,
    platform: &str,
) -> OfficeResult<()> {
    let field = change.field.clone().unwrap_or_default();
    let Some((value, _, hlc, device)) =
        field_state(tx, known, &change.entity, change.entity_id, &field)?
    else {
        return Err(internal("a lost edit of a field without state"));
    };
    let version = log_server_edit(
        tx,
        &ServerEdit {
            platform,
            dossier: dossier_of(change),
            entity: &change.entity,
            entity_id: change.entity_id,
            field: &field,
            value: value.clone(),
            hlc: hlc.clone(),
            received_at: &known.received_at,
        },
    )?;
    tx.prepare_cached(
        "UPDATE field_state SET version = ?4 WHERE entity = ?1 AND entity_id = ?2 AND field = ?3",
    )?
    .execute(params![
        change.entity,
        change.entity_id.to_string(),
        field,
        version
    ])?;
    let echoed = (value, version, hlc, device);
    known.fields.insert(
        (change.entity.clone(), change.entity_id, field),
        Some(echoed),
    );
    Ok(())
}

/// Gives a newly synced dossier its definitive number (`TA7V-2026-0042`) as a server change
/// that every device of the platform pulls.
fn assign_number(
    tx: &Transaction,
    dossier: Uuid,
    platform: &str,
    at: DateTime<Utc>,
) -> OfficeResult<()> {
    let year = at.year();
    let seq: i64 = tx.prepare_cached("SELECT coalesce(max(seq), 0) + 1 FROM dossier_number WHERE platform_code = ?1 AND year = ?2")?.query_row(params![platform, year],
        |r| r.get(0),
    )?;
    let number = format!("{platform}-{year}-{seq:04}");
    tx.prepare_cached(
        "INSERT INTO dossier_number (dossier_id, platform_code, year, seq, number)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![dossier.to_string(), platform, year, seq, number])?;
    let hlc = Hlc {
        millis: at.timestamp_millis(),
        counter: 0,
        device: SERVER_DEVICE,
    };
    log_server_edit(
        tx,
        &ServerEdit {
            platform,
            dossier: Some(dossier),
            entity: RecordKind::Dossier.as_str(),
            entity_id: dossier,
            field: "number",
            value: Some(json!(number).to_string()),
            hlc: hlc.to_string(),
            received_at: &stamp(at),
        },
    )?;
    Ok(())
}

/// A change the head office makes itself: a dossier's number, a winning value logged again,
/// the platform's settings.
struct ServerEdit<'a> {
    platform: &'a str,
    dossier: Option<Uuid>,
    entity: &'a str,
    entity_id: Uuid,
    field: &'a str,
    /// The value's JSON text.
    value: Option<String>,
    hlc: String,
    received_at: &'a str,
}

/// Logs `edit` as an applied field edit that every device of its platform pulls; its
/// `server_seq`.
fn log_server_edit(tx: &Transaction, edit: &ServerEdit) -> OfficeResult<i64> {
    let (value, packed) = pack_text(edit.value.clone())?;
    tx.prepare_cached(
        "INSERT INTO change_log (change_id, device_id, platform_code, dossier_id, entity,
                                 entity_id, op, field, value, packed, hlc, outcome, applied,
                                 received_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'set_field', ?7, ?8, ?9, ?10, 'applied', 1, ?11)",
    )?
    .execute(params![
        Uuid::now_v7().to_string(),
        SERVER_DEVICE.to_string(),
        edit.platform,
        edit.dossier.map(|d| d.to_string()),
        edit.entity,
        edit.entity_id.to_string(),
        edit.field,
        value,
        packed,
        edit.hlc,
        edit.received_at
    ])?;
    Ok(tx.last_insert_rowid())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unknown_login_is_checked_against_a_hash_made_like_every_accounts() {
        let stand_in = stand_in_hash().unwrap();
        let account = hash_password("correct horse battery").unwrap();
        let (stand_in_parsed, account_parsed) = (
            PasswordHash::new(stand_in).unwrap(),
            PasswordHash::new(&account).unwrap(),
        );
        assert_eq!(stand_in_parsed.algorithm, account_parsed.algorithm);
        assert_eq!(stand_in_parsed.version, account_parsed.version);
        assert_eq!(
            stand_in_parsed.params, account_parsed.params,
            "the same memory, passes and lanes: the same work to refuse"
        );
        assert_eq!(stand_in_hash().unwrap(), stand_in, "made once");
        assert!(!password_matches("correct horse battery", stand_in).unwrap());
        assert!(password_matches("correct horse battery", &account).unwrap());
    }
}
