//! `permanence-head-office`: administration and serving of the head-office API.

use std::io::Read;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use anyhow::Context;
use clap::{Parser, Subcommand};
use permanence_head_office::office::{Caller, HeadOffice, NewUser, OfficeError, Role};
use permanence_head_office::store::Store;
use permanence_head_office::{router, AppState, Server, Tls};
use tracing_subscriber::EnvFilter;
use uuid::Uuid;

#[derive(Parser)]
#[command(
    name = "permanence-head-office",
    version,
    about = "Serveur du siège de Permanence"
)]
struct Cli {
    /// The head office's SQLite file; created if it does not exist.
    #[arg(long, env = "PERMANENCE_HEAD_OFFICE_DB", global = true)]
    db: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Migrate the store and serve the API; prints its URL on standard output.
    Serve {
        /// Address to listen on (port 0: any free port). Plain HTTP is only allowed on
        /// loopback; with --tls-cert and --tls-key, any address.
        #[arg(long, default_value = "127.0.0.1:8750")]
        listen: SocketAddr,
        /// Serve HTTPS with this PEM certificate chain (the server's certificate first).
        #[arg(long, value_name = "CERT.pem", requires = "tls_key")]
        tls_cert: Option<PathBuf>,
        /// The certificate's PEM private key (PKCS#8, PKCS#1 or SEC1, not encrypted).
        #[arg(long, value_name = "KEY.pem", requires = "tls_cert")]
        tls_key: Option<PathBuf>,
    },
    /// Platforms of the network.
    Platform {
        #[command(subcommand)]
        command: PlatformCommand,
    },
    /// Accounts of advisors and head-office staff.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Registered laptops.
    Device {
        #[command(subcommand)]
        command: DeviceCommand,
    },
    /// A platform's dossiers as the head office holds them (the same JSON as the laptop's
    /// `permanence dossier show`).
    Dossier {
        #[command(subcommand)]
        command: DossierCommand,
    },
    /// A platform's committees with their agendas (as the laptop's `permanence committee
    /// list`).
    Committee {
        #[command(subcommand)]
        command: CommitteeCommand,
    },
    /// A platform's figures for a year, from its state as the head office holds it (the same
    /// as the laptop's `permanence indicators`).
    Indicators {
        /// The platform's code (TA7V).
        #[arg(long)]
        platform: String,
        #[arg(long)]
        year: i32,
        /// Up to this day (YYYY-MM-DD): the year to date against the same period a year before.
        #[arg(long)]
        until: Option<chrono::NaiveDate>,
        /// The figures as JSON (every figure with the dossiers behind it).
        #[arg(long)]
        json: bool,
    },
    /// Copy the whole store, consistent, into a new file (while the server runs). To restore,
    /// stop the server and put the copy in the store's place: laptops send again what the
    /// copy lacks and pull again from the start.
    Backup {
        /// The new file; an existing one is never overwritten.
        to: PathBuf,
    },
}

#[derive(Subcommand)]
enum DossierCommand {
    /// One whole dossier.
    Show {
        /// The platform's code (TA7V).
        #[arg(long)]
        platform: String,
        id: Uuid,
    },
    /// Every dossier's summary, most recently changed first.
    List {
        #[arg(long)]
        platform: String,
    },
}

#[derive(Subcommand)]
enum CommitteeCommand {
    List {
        #[arg(long)]
        platform: String,
    },
}

#[derive(Subcommand)]
enum PlatformCommand {
    /// Add a platform: `platform add TA7V "Initiative Ternois-Artois-7 Vallées"`.
    Add {
        code: String,
        name: String,
        /// A platform already there is left as it is, and the command succeeds (for scripts
        /// run again, as `make run` is).
        #[arg(long)]
        if_missing: bool,
    },
    /// Print a platform's settings as JSON (`null` while never set), or set them from a JSON
    /// file with --set (as the laptop's settings screen saves them): every laptop of the
    /// platform receives them at its next sync.
    Settings {
        code: String,
        #[arg(long, value_name = "FICHIER.json")]
        set: Option<PathBuf>,
    },
}

#[derive(Subcommand)]
enum UserCommand {
    /// Add an account; the password is read from standard input or PERMANENCE_PASSWORD,
    /// never from an argument.
    Add {
        login: String,
        #[arg(long)]
        name: String,
        /// advisor (conseiller), staff (siège) or admin.
        #[arg(long, default_value = "advisor")]
        role: String,
        /// The platform code of an advisor.
        #[arg(long)]
        platform: Option<String>,
        /// An account already there is left as it is (its password too), and the command
        /// succeeds (for scripts run again, as `make run` is).
        #[arg(long)]
        if_missing: bool,
    },
    /// Disable an account: its devices stop syncing at once.
    Disable { login: String },
}

#[derive(Subcommand)]
enum DeviceCommand {
    /// Revoke a laptop's token at once (lost or stolen laptop).
    Revoke { device_id: Uuid },
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    // A server logs its requests; an administration command says only what it did or why not.
    let default_filter = match cli.command {
        Command::Serve { .. } => "info,tower_http=info",
        _ => "warn",
    };
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(default_filter)),
        )
        .with_writer(std::io::stderr)
        .init();
    // A refusal is said in French, as the laptop's command line says it: no "Error:" and no
    // backtrace, whatever RUST_BACKTRACE says.
    match run(cli).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("erreur : {err}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    let db = cli
        .db
        .context("indiquez la base du siège avec --db CHEMIN (ou PERMANENCE_HEAD_OFFICE_DB)")?;
    let store = || Store::open(&db).map_err(|e| anyhow::anyhow!("{e}"));
    let done = |what: String| {
        eprintln!("{what}");
        Ok(())
    };
    match cli.command {
        Command::Serve {
            listen,
            tls_cert,
            tls_key,
        } => {
            let tls = match (tls_cert, tls_key) {
                (Some(cert), Some(key)) => Some(Tls::from_pem_files(&cert, &key)?),
                _ => None,
            };
            // A refused address or certificate stops the start before the database is touched.
            let server = Server::bind(listen, tls)?;
            serve(server, store()?, &db).await
        }
        Command::Platform {
            command:
                PlatformCommand::Add {
                    code,
                    name,
                    if_missing,
                },
        } => match store()?.add_platform(&code, &name) {
            Ok(()) => done(format!("Plateforme {} ajoutée.", code.to_uppercase())),
            Err(OfficeError::Conflict(already)) if if_missing => done(already),
            Err(e) => Err(anyhow::anyhow!("{e}")),
        },
        Command::Platform {
            command: PlatformCommand::Settings { code, set },
        } => {
            // The administrator at the head office's own console.
            let admin = Caller {
                device_id: Uuid::nil(),
                account: "console".into(),
                role: Role::Admin,
                platform: None,
            };
            let code = code.to_uppercase();
            let store = store()?;
            match set {
                None => {
                    let settings = store
                        .platform_settings(&admin, &code)
                        .map_err(|e| anyhow::anyhow!("{e}"))?;
                    println!("{}", serde_json::to_string_pretty(&settings)?);
                    Ok(())
                }
                Some(file) => {
                    let text = std::fs::read_to_string(&file)
                        .with_context(|| format!("lecture de {}", file.display()))?;
                    let settings: permanence_domain::settings::PlatformSettings =
                        serde_json::from_str(&text)
                            .with_context(|| format!("{} : réglages illisibles", file.display()))?;
                    store
                        .set_platform_settings(&admin, &code, &settings)
                        .map_err(|e| match e {
                            OfficeError::Core(permanence_domain::Error::Invalid(fields)) => {
                                anyhow::anyhow!(
                                    "réglages refusés : {}",
                                    fields
                                        .iter()
                                        .map(|(f, m)| format!("{f} : {m}"))
                                        .collect::<Vec<_>>()
                                        .join(" ; ")
                                )
                            }
                            other => anyhow::anyhow!("{other}"),
                        })?;
                    done(format!(
                        "Réglages de la plateforme {code} enregistrés : ses ordinateurs les recevront à leur prochaine synchronisation."
                    ))
                }
            }
        }
        Command::User { command } => match command {
            UserCommand::Add {
                login,
                name,
                role,
                platform,
                if_missing,
            } => {
                let role = Role::parse(&role).with_context(|| {
                    format!("rôle inconnu « {role} » : advisor, staff ou admin")
                })?;
                let password = read_password()?;
                let added = store()?.add_user(&NewUser {
                    login: login.clone(),
                    name,
                    password,
                    role,
                    platform: platform.map(|p| p.to_uppercase()),
                });
                match added {
                    Ok(()) => done(format!("Compte {login} ajouté.")),
                    Err(OfficeError::Conflict(already)) if if_missing => done(already),
                    Err(OfficeError::Invalid(fields)) => Err(anyhow::anyhow!(
                        "{}",
                        fields.into_values().collect::<Vec<_>>().join(" ")
                    )),
                    Err(other) => Err(anyhow::anyhow!("{other}")),
                }
            }
            UserCommand::Disable { login } => {
                store()?
                    .disable_user(&login)
                    .map_err(|e| anyhow::anyhow!("{e}"))?;
                done(format!("Compte {login} désactivé."))
            }
        },
        Command::Device {
            command: DeviceCommand::Revoke { device_id },
        } => {
            store()?
                .revoke_device(device_id)
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            done(format!("Appareil {device_id} révoqué."))
        }
        Command::Dossier { command } => {
            let (platform, id) = match &command {
                DossierCommand::Show { platform, id } => (platform, Some(*id)),
                DossierCommand::List { platform } => (platform, None),
            };
            let text = store()?
                .platform_state(
                    &platform.to_uppercase(),
                    |state| -> anyhow::Result<String> {
                        let json = match id {
                            Some(id) => serde_json::to_string_pretty(
                                &state.get_dossier(id).map_err(|e| anyhow::anyhow!("{e}"))?,
                            )?,
                            None => serde_json::to_string_pretty(
                                &state
                                    .list_dossiers(&permanence_store::store::DossierQuery {
                                        limit: Some(i64::MAX),
                                        ..Default::default()
                                    })
                                    .map_err(|e| anyhow::anyhow!("{e}"))?
                                    .items,
                            )?,
                        };
                        Ok(json)
                    },
                )
                .map_err(|e| anyhow::anyhow!("{e}"))??;
            println!("{text}");
            Ok(())
        }
        Command::Committee {
            command: CommitteeCommand::List { platform },
        } => {
            let text = store()?
                .platform_state(
                    &platform.to_uppercase(),
                    |state| -> anyhow::Result<String> {
                        Ok(serde_json::to_string_pretty(
                            &state
                                .list_committees()
                                .map_err(|e| anyhow::anyhow!("{e}"))?,
                        )?)
                    },
                )
                .map_err(|e| anyhow::anyhow!("{e}"))??;
            println!("{text}");
            Ok(())
        }
        Command::Indicators {
            platform,
            year,
            until,
            json,
        } => {
            let figures = store()?
                .platform_state(&platform.to_uppercase(), |state| {
                    state.indicators(year, until)
                })
                .map_err(|e| anyhow::anyhow!("{e}"))?
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            if json {
                println!("{}", serde_json::to_string_pretty(&figures)?);
            } else {
                print!("{}", figures.report());
            }
            Ok(())
        }
        Command::Backup { to } => {
            store()?.backup(&to).map_err(|e| anyhow::anyhow!("{e}"))?;
            done(format!("Copie du siège écrite dans {}.", to.display()))
        }
    }
}

fn read_password() -> anyhow::Result<String> {
    if let Ok(password) = std::env::var("PERMANENCE_PASSWORD") {
        return Ok(password);
    }
    let mut input = String::new();
    std::io::stdin()
        .read_to_string(&mut input)
        .context("lecture du mot de passe sur l'entrée standard")?;
    Ok(input.trim_end_matches(['\n', '\r']).to_owned())
}

async fn serve(server: Server, store: Store, db: &Path) -> anyhow::Result<()> {
    tracing::info!(url = %server.url(), db = %db.display(), "head office listening");
    // The URL on standard output, for scripts that listen on port 0.
    println!("{}", server.url());
    server
        .serve(router(AppState::new(store)), async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await?;
    Ok(())
}
