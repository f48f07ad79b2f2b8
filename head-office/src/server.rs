//! How the API is served: plain HTTP only on loopback (a head office on this machine, tests),
//! HTTPS with rustls on any address.
//!
//! The certificate and key are read and checked against each other before anything listens,
//! so a wrong file stops the start with a French message rather than failing every
//! handshake later. The crypto provider is named here (ring) instead of being left to
//! whichever rustls features the build happens to enable.

use std::future::Future;
use std::io;
use std::net::{SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum_server::tls_rustls::RustlsConfig;
use rustls::pki_types::pem::{self, PemObject};
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use rustls::ServerConfig;
use socket2::{Domain, Protocol, Socket, Type};

/// How long open connections get to finish once the server is asked to stop.
const GRACE: Duration = Duration::from_secs(10);

/// Why the head office could not start or stopped serving. Each message is whole: it names
/// the file or address and says what to do.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error(
        "HTTP en clair n'est permis que sur la boucle locale (127.0.0.1 ou ::1) : {0} refusé. \
         Pour écouter sur cette adresse, servez en HTTPS avec --tls-cert et --tls-key."
    )]
    PlainHttpOffLoopback(SocketAddr),
    #[error("Impossible de lire {what} {} : {reason}.", path.display())]
    Unreadable {
        what: &'static str,
        path: PathBuf,
        reason: String,
    },
    #[error(
        "{} ne contient aucun certificat PEM lisible (bloc « BEGIN CERTIFICATE »){reason}.",
        path.display()
    )]
    BadCertificate { path: PathBuf, reason: String },
    #[error(
        "{} ne contient aucune clé privée PEM lisible (PKCS#8, PKCS#1 ou SEC1, non chiffrée){reason}.",
        path.display()
    )]
    BadKey { path: PathBuf, reason: String },
    #[error("La clé privée {} ne correspond pas au certificat {}.", key.display(), cert.display())]
    KeyMismatch { cert: PathBuf, key: PathBuf },
    #[error(
        "Le certificat {} et la clé {} ne sont pas utilisables : {reason}.",
        cert.display(),
        key.display()
    )]
    Unusable {
        cert: PathBuf,
        key: PathBuf,
        reason: String,
    },
    #[error("Impossible d'écouter sur {address} : {reason}.")]
    Listen { address: SocketAddr, reason: String },
    #[error("Le serveur s'est arrêté sur une erreur : {0}.")]
    Stopped(String),
}

/// A server certificate chain and its private key, checked and ready for rustls.
#[derive(Clone)]
pub struct Tls {
    config: Arc<ServerConfig>,
}

impl std::fmt::Debug for Tls {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Tls { .. }")
    }
}

impl Tls {
    /// Reads a PEM certificate chain (the server's certificate first, then any intermediates)
    /// and its PEM private key.
    pub fn from_pem_files(cert: &Path, key: &Path) -> Result<Tls, ServeError> {
        let cert_pem = read(cert, "le certificat")?;
        let key_pem = read(key, "la clé privée")?;
        let chain = CertificateDer::pem_slice_iter(&cert_pem)
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| ServeError::BadCertificate {
                path: cert.to_owned(),
                reason: pem_reason(&e),
            })?;
        if chain.is_empty() {
            return Err(ServeError::BadCertificate {
                path: cert.to_owned(),
                reason: String::new(),
            });
        }
        let private_key =
            PrivateKeyDer::from_pem_slice(&key_pem).map_err(|e| ServeError::BadKey {
                path: key.to_owned(),
                reason: pem_reason(&e),
            })?;
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let unusable = |e: rustls::Error| match e {
            rustls::Error::InconsistentKeys(_) => ServeError::KeyMismatch {
                cert: cert.to_owned(),
                key: key.to_owned(),
            },
            other => ServeError::Unusable {
                cert: cert.to_owned(),
                key: key.to_owned(),
                reason: other.to_string(),
            },
        };
        let mut config = ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(unusable)?
            .with_no_client_auth()
            .with_single_cert(chain, private_key)
            .map_err(unusable)?;
        config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
        Ok(Tls {
            config: Arc::new(config),
        })
    }
}

fn read(path: &Path, what: &'static str) -> Result<Vec<u8>, ServeError> {
    std::fs::read(path).map_err(|e| ServeError::Unreadable {
        what,
        path: path.to_owned(),
        reason: match e.kind() {
            io::ErrorKind::NotFound => "fichier introuvable".to_owned(),
            io::ErrorKind::PermissionDenied => "lecture non permise".to_owned(),
            _ => e.to_string(),
        },
    })
}

/// What went wrong in a PEM file, as a suffix to the message (nothing when it held no block
/// of the expected kind).
fn pem_reason(error: &pem::Error) -> String {
    let reason = match error {
        pem::Error::NoItemsFound => return String::new(),
        pem::Error::MissingSectionEnd { .. } => "un bloc n'a pas sa ligne « END »".to_owned(),
        pem::Error::IllegalSectionStart { .. } => "une ligne « BEGIN » est mal formée".to_owned(),
        pem::Error::Base64Decode(_) => "le contenu d'un bloc n'est pas du base64".to_owned(),
        other => other.to_string(),
    };
    format!(" : {reason}")
}

/// Connections waiting to be accepted. The system's usual 128 is too few when every
/// laptop of a network syncs at the end of the day: a connection beyond it waits a second
/// for its handshake to be tried again. (Linux caps it at `net.core.somaxconn`.)
pub const BACKLOG: i32 = 1024;

/// A listening socket on `address`, non-blocking, with room for `BACKLOG` waiting
/// connections.
fn listen(address: SocketAddr) -> io::Result<TcpListener> {
    let socket = Socket::new(
        Domain::for_address(address),
        Type::STREAM,
        Some(Protocol::TCP),
    )?;
    // As the standard library does: a restarted server binds again at once.
    socket.set_reuse_address(true)?;
    socket.bind(&address.into())?;
    socket.listen(BACKLOG)?;
    socket.set_nonblocking(true)?;
    Ok(socket.into())
}

/// A bound socket, and whether it speaks HTTPS.
#[derive(Debug)]
pub struct Server {
    socket: TcpListener,
    address: SocketAddr,
    tls: Option<Tls>,
}

impl Server {
    /// Binds `address` (port 0 picks a free port). Without TLS only a loopback address is
    /// accepted: tokens and passwords never cross a network in clear.
    pub fn bind(address: SocketAddr, tls: Option<Tls>) -> Result<Server, ServeError> {
        if tls.is_none() && !address.ip().is_loopback() {
            return Err(ServeError::PlainHttpOffLoopback(address));
        }
        let listen_error = |e: io::Error| ServeError::Listen {
            address,
            reason: e.to_string(),
        };
        let socket = listen(address).map_err(listen_error)?;
        let address = socket.local_addr().map_err(listen_error)?;
        Ok(Server {
            socket,
            address,
            tls,
        })
    }

    /// The address actually bound.
    pub fn local_addr(&self) -> SocketAddr {
        self.address
    }

    /// The base URL laptops use, `https://…` or `http://…`.
    pub fn url(&self) -> String {
        let scheme = if self.tls.is_some() { "https" } else { "http" };
        format!("{scheme}://{}", self.address)
    }

    /// Serves `app` until `shutdown` completes, then lets open requests finish.
    pub async fn serve(
        self,
        app: Router,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> Result<(), ServeError> {
        let stopped = |e: io::Error| ServeError::Stopped(e.to_string());
        match self.tls {
            None => {
                let listener = tokio::net::TcpListener::from_std(self.socket).map_err(stopped)?;
                // The peer's address reaches the handlers (failed logins are counted per address).
                axum::serve(
                    listener,
                    app.into_make_service_with_connect_info::<SocketAddr>(),
                )
                .with_graceful_shutdown(shutdown)
                .await
                .map_err(stopped)
            }
            Some(tls) => {
                let handle = axum_server::Handle::new();
                let on_shutdown = handle.clone();
                tokio::spawn(async move {
                    shutdown.await;
                    on_shutdown.graceful_shutdown(Some(GRACE));
                });
                axum_server::from_tcp_rustls(self.socket, RustlsConfig::from_config(tls.config))
                    .map_err(stopped)?
                    .handle(handle)
                    .serve(app.into_make_service_with_connect_info::<SocketAddr>())
                    .await
                    .map_err(stopped)
            }
        }
    }
}
