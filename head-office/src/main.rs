//! `permanence-head-office`: administration and serving of the head-office API.

use std::net::SocketAddr;
use std::path::PathBuf;

use anyhow::{bail, Context};
use clap::{Parser, Subcommand};
use permanence_head_office::store::Store;
use permanence_head_office::{router, AppState};
use tracing_subscriber::EnvFilter;

#[derive(Parser)]
#[command(
    name = "permanence-head-office",
    version,
    about = "Serveur du siège de Permanence"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Migrate the store and serve the API.
    Serve {
        /// The head office's SQLite file; created if it does not exist.
        #[arg(long, env = "PERMANENCE_HEAD_OFFICE_DB")]
        db: PathBuf,
        /// Address to listen on. Plain HTTP is only allowed on loopback.
        #[arg(long, default_value = "127.0.0.1:8750")]
        listen: SocketAddr,
    },
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| EnvFilter::new("info,tower_http=info")),
        )
        .init();
    match Cli::parse().command {
        Command::Serve { db, listen } => serve(db, listen).await,
    }
}

async fn serve(db: PathBuf, listen: SocketAddr) -> anyhow::Result<()> {
    if !listen.ip().is_loopback() {
        bail!(
            "HTTP en clair n'est permis que sur la boucle locale (127.0.0.1 ou ::1) : {listen} refusé."
        );
    }
    let store = Store::open(&db).map_err(|e| anyhow::anyhow!("{e}"))?;
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .with_context(|| format!("impossible d'écouter sur {listen}"))?;
    tracing::info!(addr = %listener.local_addr()?, db = %db.display(), "head office listening");
    axum::serve(listener, router(AppState { store }))
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await?;
    Ok(())
}
