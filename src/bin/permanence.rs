//! `permanence`: the command line over the core, for scripts and for people at a terminal.
//! Results are JSON on standard output; errors are French on standard error with a non-zero
//! exit code.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use chrono::{Local, NaiveDate};
use clap::{Parser, Subcommand};
use permanence::codes::DossierStatus;
use permanence::store::{DossierQuery, Store};
use permanence::{demo, Error};
use uuid::Uuid;

#[derive(Parser)]
#[command(
    name = "permanence",
    version,
    about = "Permanence : dossiers de prêt d'honneur"
)]
struct Cli {
    /// The laptop store (SQLite file); created if it does not exist.
    #[arg(long, env = "PERMANENCE_DB", global = true)]
    db: Option<PathBuf>,

    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Read dossiers.
    Dossier {
        #[command(subcommand)]
        command: DossierCommand,
    },
    /// Fill the store with realistic demo dossiers (deterministic for a seed and a date).
    DemoData {
        /// How many dossiers to add.
        #[arg(long, default_value_t = 40)]
        dossiers: usize,
        #[arg(long, default_value_t = 62)]
        seed: u64,
        /// Reference date (YYYY-MM-DD); dossiers are opened in the 18 months before it.
        #[arg(long)]
        today: Option<NaiveDate>,
        /// Only fill a store that holds no dossier yet (for `make run`).
        #[arg(long)]
        if_empty: bool,
    },
}

#[derive(Subcommand)]
enum DossierCommand {
    /// Dossiers, most recently changed first.
    List {
        /// Words to find (accents and case ignored): names, business, commune, notes…
        #[arg(long)]
        search: Option<String>,
        /// A status code, e.g. `instruction` or `pret_pour_comite`.
        #[arg(long)]
        status: Option<String>,
    },
    /// One whole dossier.
    Show { id: String },
    /// A dossier as JSON, in the shape `dossier import` reads.
    Export {
        id: String,
        /// Write to this file instead of standard output.
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Import a dossier exported as JSON; a bad file is refused whole, with its field errors.
    Import { file: PathBuf },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("erreur : {err}");
            if let Error::Invalid(fields) = &err {
                for (field, message) in fields {
                    eprintln!("  {field} : {message}");
                }
            }
            for reason in err.reasons() {
                eprintln!("  - {reason}");
            }
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> Result<(), Error> {
    let db = cli.db.ok_or_else(|| {
        Error::field(
            "db",
            "Indiquez la base avec --db CHEMIN (ou la variable PERMANENCE_DB).",
        )
    })?;
    let mut store = Store::open(&db)?;
    match cli.command {
        Command::Dossier { command } => match command {
            DossierCommand::List { search, status } => {
                let status = status
                    .map(|s| {
                        DossierStatus::from_str_opt(s.trim()).ok_or_else(|| {
                            let known: Vec<&str> =
                                DossierStatus::ALL.iter().map(|s| s.as_str()).collect();
                            Error::field(
                                "status",
                                format!("Statut inconnu « {s} » ; statuts : {}.", known.join(", ")),
                            )
                        })
                    })
                    .transpose()?;
                let query = DossierQuery {
                    search,
                    status,
                    limit: Some(10_000),
                    ..Default::default()
                };
                print_json(&store.list_dossiers(&query)?.items)
            }
            DossierCommand::Show { id } => print_json(&store.get_dossier(parse_id(&id)?)?),
            DossierCommand::Export { id, out } => {
                let json = store.export_dossier(parse_id(&id)?)?;
                match out {
                    None => print_json(&json),
                    Some(path) => {
                        let text = serde_json::to_string_pretty(&json)
                            .map_err(|e| Error::Internal(e.to_string()))?;
                        std::fs::write(&path, text).map_err(|e| {
                            Error::field(
                                "out",
                                format!("Écriture impossible dans {} : {e}.", path.display()),
                            )
                        })
                    }
                }
            }
            DossierCommand::Import { file } => {
                let text = std::fs::read_to_string(&file).map_err(|e| {
                    Error::field(
                        "file",
                        format!("Lecture impossible de {} : {e}.", file.display()),
                    )
                })?;
                let json: serde_json::Value = serde_json::from_str(&text).map_err(|e| {
                    Error::field(
                        "file",
                        format!("{} n'est pas du JSON valide : {e}.", file.display()),
                    )
                })?;
                let dossier = store.import_dossier(&json)?;
                eprintln!("Dossier {} importé.", dossier.number);
                print_json(&dossier)
            }
        },
        Command::DemoData {
            dossiers,
            seed,
            today,
            if_empty,
        } => {
            if if_empty && !store.is_empty()? {
                eprintln!("La base contient déjà des dossiers : rien n'a été ajouté.");
                return Ok(());
            }
            let today = today.unwrap_or_else(|| Local::now().date_naive());
            demo::fill(&mut store, dossiers, seed, today)?;
            eprintln!("{dossiers} dossiers de démonstration ajoutés.");
            Ok(())
        }
    }
}

fn parse_id(id: &str) -> Result<Uuid, Error> {
    Uuid::parse_str(id.trim()).map_err(|_| {
        Error::field(
            "id",
            format!("« {id} » n'est pas un identifiant de dossier."),
        )
    })
}

fn print_json<T: serde::Serialize>(value: &T) -> Result<(), Error> {
    let text = serde_json::to_string_pretty(value).map_err(|e| Error::Internal(e.to_string()))?;
    let mut out = std::io::stdout().lock();
    match writeln!(out, "{text}") {
        // A closed pipe (`| head`) is the reader's choice, not an error.
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(Error::Internal(format!(
            "cannot write to standard output: {e}"
        ))),
        _ => Ok(()),
    }
}
