//! `permanence`: the command line over the core, for scripts and for people at a terminal.
//! Results are JSON on standard output; errors are French on standard error with a non-zero
//! exit code.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use chrono::NaiveDate;
use clap::{Parser, Subcommand};
use permanence::codes::DossierStatus;
use permanence::credentials::{self, Opening, OsCredentials, TokenPlace};
use permanence::field::{Entity, FieldEdit};
use permanence::statement::{self, ImportReport, StatementMapping};
use permanence::store::{DossierQuery, Store};
use permanence::sync::client::{Client, SyncError};
use permanence::sync::keystore::{Keystore, OsKeyring};
use permanence::sync::protocol::RegisterRequest;
use permanence::{dates, demo, summary, Error};
use uuid::Uuid;

/// How long one request to the head office may take before the command gives up.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(60);

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
    /// Committee meetings.
    Committee {
        #[command(subcommand)]
        command: CommitteeCommand,
    },
    /// The platform's figures for a year (tableau de bord): the funnel, loans, leverage,
    /// jobs, profiles, repayment; against the same period of the year before.
    Indicators {
        #[arg(long)]
        year: i32,
        /// Up to this day (`2016-06-08` or `08/06/2016`): the year to date.
        #[arg(long)]
        until: Option<String>,
        /// The figures as JSON (every figure with the dossiers behind it) instead of the
        /// French report.
        #[arg(long)]
        json: bool,
    },
    /// The annual report ("Rapport d'activité") as PDF: the year's figures against the year
    /// before, the charts, per intercommunality and per sector.
    Report {
        #[arg(long)]
        year: i32,
        /// Up to this day (`2016-06-08` or `08/06/2016`): the year to date.
        #[arg(long)]
        until: Option<String>,
        /// The PDF file to write.
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// The accountant's export of a year: dossiers, loans, schedules and movements, as one
    /// XLSX workbook or as CSV files (the named one holds the dossiers, the other tables go
    /// beside it: FILE-prets.csv, FILE-echeances.csv, FILE-mouvements.csv).
    Export {
        #[arg(long)]
        year: i32,
        /// FILE.xlsx or FILE.csv.
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Honour-loan repayments, from the platform's bank statement.
    Repayments {
        #[command(subcommand)]
        command: RepaymentsCommand,
    },
    /// Print a dossier's summary ("fiche de synthèse") to a PDF file.
    Print {
        /// The dossier's id.
        id: String,
        /// The PDF file to write.
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Print a committee's pack (cover with the agenda, then every summary) to a PDF file.
    CommitteePack {
        /// The committee's date, `2026-12-08` or `08/12/2026`.
        #[arg(long)]
        date: Option<String>,
        /// The PDF file to write.
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Follow-up checkpoints of financed businesses, 12, 24 and 36 months after their start.
    Checkpoints {
        #[command(subcommand)]
        command: CheckpointsCommand,
    },
    /// Register this store's device with a head office under an advisor's login. The
    /// password is read from standard input or PERMANENCE_PASSWORD, never from an argument.
    Register {
        /// The head office's address: `https://siege.example.org`, or `127.0.0.1:8750` for one
        /// on this machine (http:// is then added); `make run` sets PERMANENCE_HEAD_OFFICE_URL.
        #[arg(long, env = "PERMANENCE_HEAD_OFFICE_URL")]
        server: String,
        #[arg(long)]
        login: String,
        /// The certificate authority (PEM file) of a head office whose HTTPS certificate is
        /// the network's own; kept by the store and trusted at every sync.
        #[arg(long, value_name = "PEM")]
        ca_cert: Option<PathBuf>,
    },
    /// Push every queued change and pull the head office's; exits non-zero with a clear
    /// message when anything is left pending (for end-of-day scripts).
    Sync,
    /// This laptop's sync status as JSON: its head office and account, the changes waiting,
    /// the last sync, what is left to review.
    Status,
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
        /// A platform's history: dossiers opened from the 1st of January of this year (e.g.
        /// 2012), the older ones financed and repaying, followed up, or abandoned.
        #[arg(long)]
        since: Option<i32>,
        /// Instead, the dossiers of a platform's 2016 as its annual report gives them (126
        /// holders supported, 867 000 € of honour loans…), to check the tableau de bord.
        #[arg(long, conflicts_with = "since")]
        figures_2016: bool,
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
    /// Set one field as the app's forms do (validated, saved, queued for sync), e.g.
    /// `dossier set ID business siret "732 829 320 00074"`. ENTITY is `dossier`, `business`,
    /// `forecast` or `document` with the dossier's id, or `holder` / `financing_line` with
    /// that record's id; VALUE is the text as typed in the form.
    Set {
        id: String,
        entity: String,
        field: String,
        value: String,
    },
}

#[derive(Subcommand)]
enum RepaymentsCommand {
    /// Import the bank statement (CSV, `;` and French amounts): each credit that names a
    /// loan's reference, or its holder's last name with the amount next due, is recorded as
    /// a repayment. A file with an unreadable line is refused whole; importing a file again
    /// records nothing new.
    Import {
        file: PathBuf,
        /// The column mapping saved for this bank (`repayments mapping`); without it, the
        /// usual headers are looked for (Date, Libellé, Montant or Débit/Crédit…).
        #[arg(long)]
        mapping: Option<String>,
    },
    /// Save under NAME which columns of a bank's statement hold what, by their headers, e.g.
    /// `repayments mapping "Ma banque" --date Jour --label Texte --amount Somme`.
    Mapping {
        name: String,
        #[arg(long)]
        date: String,
        #[arg(long)]
        label: String,
        /// One column of signed amounts (debits negative)…
        #[arg(long)]
        amount: Option<String>,
        /// …or a credit column and a debit column.
        #[arg(long)]
        credit: Option<String>,
        #[arg(long)]
        debit: Option<String>,
        /// A column where loan references are looked for too.
        #[arg(long)]
        reference: Option<String>,
    },
}

#[derive(Subcommand)]
enum CommitteeCommand {
    /// Committees with their agendas, the earliest first.
    List,
}

#[derive(Subcommand)]
enum CheckpointsCommand {
    /// The checkpoints due in a month (this month by default), and those overdue.
    Due {
        /// The month, `2026-12` or `12/2026`.
        #[arg(long)]
        month: Option<String>,
    },
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
    let (mut store, tokens) = open_store(&db)?;
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
            DossierCommand::Set {
                id,
                entity,
                field,
                value,
            } => {
                let entity = Entity::parse(&entity).ok_or_else(|| {
                    Error::field(
                        "entity",
                        format!("« {entity} » n'est pas une partie du dossier (dossier, holder, business, financing_line, forecast, document)."),
                    )
                })?;
                let dossier = store.set_field(&FieldEdit {
                    entity,
                    id: Uuid::parse_str(id.trim()).map_err(|_| {
                        Error::field("id", format!("« {id} » n'est pas un identifiant."))
                    })?,
                    field,
                    value: serde_json::Value::String(value),
                })?;
                print_json(&dossier)
            }
        },
        Command::Committee {
            command: CommitteeCommand::List,
        } => print_json(&store.list_committees()?),
        Command::Indicators { year, until, json } => {
            let until = until
                .map(|text| {
                    permanence::dates::parse_date(&text).map_err(|m| Error::field("until", m))
                })
                .transpose()?;
            let figures = store.indicators(year, until)?;
            if json {
                print_json(&figures)
            } else {
                print_text(&figures.report())
            }
        }
        Command::Report { year, until, out } => {
            let until = until
                .map(|text| {
                    permanence::dates::parse_date(&text).map_err(|m| Error::field("until", m))
                })
                .transpose()?;
            let out = required_out(out)?;
            let report = store.activity_report(year, until)?;
            let rendered =
                summary::render_report(&report, store.settings(), store.clock().today())?;
            save_pdf(&out, &rendered)?;
            eprintln!(
                "Rapport d'activité {year} enregistré dans {} ({}).",
                out.display(),
                pages(rendered.pages)
            );
            print_rendered(&out, &rendered)
        }
        Command::Export { year, out } => {
            let out = out.ok_or_else(|| {
                Error::field(
                    "out",
                    "Indiquez le fichier à écrire avec --out FICHIER.xlsx ou FICHIER.csv.",
                )
            })?;
            summary::export::export_format(&out)?;
            let dossiers = store.accounts_dossiers(year)?;
            let accounts = summary::export::Accounts::new(
                year,
                &dossiers,
                store.settings(),
                store.clock().today(),
            );
            let files = accounts.save(&out)?;
            let rows: Vec<String> = accounts
                .tables
                .iter()
                .map(|t| format!("{} {}", t.rows.len(), t.name.to_lowercase()))
                .collect();
            eprintln!(
                "Export comptable {year} ({}) enregistré dans {}.",
                rows.join(", "),
                files
                    .iter()
                    .map(|f| f.display().to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            );
            print_json(&serde_json::json!({
                "files": files,
                "tables": accounts.tables.iter().map(|t| serde_json::json!({
                    "name": t.name,
                    "rows": t.rows.len(),
                })).collect::<Vec<_>>(),
            }))
        }
        Command::Repayments { command } => match command {
            RepaymentsCommand::Import { file, mapping } => {
                let bytes = std::fs::read(&file).map_err(|e| {
                    Error::field(
                        "file",
                        format!("Lecture impossible de {} : {e}.", file.display()),
                    )
                })?;
                let report = store.import_statement(&bytes, mapping.as_deref())?;
                tell_import(&report);
                print_json(&report)
            }
            RepaymentsCommand::Mapping {
                name,
                date,
                label,
                amount,
                credit,
                debit,
                reference,
            } => {
                let mapping = StatementMapping {
                    date,
                    label,
                    amount,
                    credit,
                    debit,
                    reference,
                };
                store.save_statement_mapping(&name, &mapping)?;
                eprintln!(
                    "Correspondance de colonnes « {} » enregistrée : importez avec --mapping.",
                    name.trim()
                );
                print_json(&mapping)
            }
        },
        Command::Print { id, out } => {
            let out = required_out(out)?;
            let dossier = store.get_dossier(parse_id(&id)?)?;
            let rendered = summary::render_summary(&dossier, store.settings())?;
            save_pdf(&out, &rendered)?;
            eprintln!(
                "Fiche de synthèse du dossier {} enregistrée dans {} ({}).",
                dossier.number,
                out.display(),
                pages(rendered.pages)
            );
            print_rendered(&out, &rendered)
        }
        Command::CommitteePack { date, out } => {
            let date = date.ok_or_else(|| {
                Error::field(
                    "date",
                    "Indiquez la date du comité avec --date AAAA-MM-JJ (ou JJ/MM/AAAA).",
                )
            })?;
            let day = dates::parse_date(&date).map_err(|m| Error::field("date", m))?;
            let out = required_out(out)?;
            let pack = store.committee_pack_data(day)?;
            let rendered = summary::render_pack(&pack, store.settings())?;
            save_pdf(&out, &rendered)?;
            eprintln!(
                "Dossier de séance du comité du {} ({} à l'ordre du jour) enregistré dans {} ({}).",
                dates::format_date(day),
                pack.dossiers.len(),
                out.display(),
                pages(rendered.pages)
            );
            print_rendered(&out, &rendered)
        }
        Command::Checkpoints {
            command: CheckpointsCommand::Due { month },
        } => {
            let month = match month {
                Some(text) => parse_month(&text)?,
                None => store.clock().today(),
            };
            let due = store.checkpoints_due(month)?;
            tell_checkpoints(month, &due);
            print_json(&due)
        }
        Command::Register {
            server,
            login,
            ca_cert,
        } => register(&mut store, tokens, &server, &login, ca_cert.as_deref()),
        Command::Sync => sync(&mut store, tokens),
        Command::Status => print_json(&store.sync_status()?),
        Command::DemoData {
            dossiers,
            seed,
            today,
            since,
            figures_2016,
            if_empty,
        } => {
            if if_empty && !store.is_empty()? {
                eprintln!("La base contient déjà des dossiers : rien n'a été ajouté.");
                return Ok(());
            }
            if figures_2016 {
                demo::fill_2016(&mut store)?;
                eprintln!("Dossiers du rapport d'activité 2016 ajoutés.");
                return Ok(());
            }
            let today = today.unwrap_or_else(|| store.clock().today());
            match since {
                Some(year) => demo::fill_since(&mut store, dossiers, seed, today, year)?,
                None => demo::fill(&mut store, dossiers, seed, today)?,
            }
            eprintln!("{dossiers} dossiers de démonstration ajoutés.");
            Ok(())
        }
    }
}

/// What a statement's import did, in French on standard error: the counts, then each line
/// left for a person.
fn tell_import(report: &ImportReport) {
    eprintln!(
        "Relevé importé : {} remboursement(s) enregistré(s), {} déjà importé(s), {} non \
         rapproché(s), {} ignoré(s) (débits).",
        report.recorded.len(),
        report.already_imported.len(),
        report.not_matched.len(),
        report.ignored.len()
    );
    if !report.not_matched.is_empty() {
        eprintln!("Non rapprochés, à enregistrer à la main s'il s'agit de remboursements :");
        for line in &report.not_matched {
            eprintln!(
                "  {} : {}.",
                statement::describe(line.line, line.on, line.amount_cents, &line.label),
                line.reason
            );
        }
    }
}

fn required_out(out: Option<PathBuf>) -> Result<PathBuf, Error> {
    out.ok_or_else(|| {
        Error::field(
            "out",
            "Indiquez le fichier PDF à écrire avec --out FICHIER.pdf.",
        )
    })
}

fn save_pdf(path: &std::path::Path, rendered: &summary::Rendered) -> Result<(), Error> {
    std::fs::write(path, &rendered.pdf).map_err(|e| {
        Error::field(
            "out",
            format!("Écriture impossible dans {} : {e}.", path.display()),
        )
    })?;
    for warning in &rendered.warnings {
        eprintln!("attention : {warning}");
    }
    Ok(())
}

fn pages(count: usize) -> String {
    if count > 1 {
        format!("{count} pages")
    } else {
        format!("{count} page")
    }
}

fn print_rendered(path: &std::path::Path, rendered: &summary::Rendered) -> Result<(), Error> {
    print_json(&serde_json::json!({
        "out": path,
        "pages": rendered.pages,
        "warnings": rendered.warnings,
    }))
}

/// Opens the store with its key: from the system's credential store, or, on a machine with
/// none, from the passphrase given by PERMANENCE_PASSPHRASE or typed at the terminal (twice,
/// the first time).
fn open_store(db: &Path) -> Result<(Store, TokenPlace), Error> {
    let mut given = std::env::var("PERMANENCE_PASSPHRASE").ok();
    loop {
        match credentials::open_store(db, &OsCredentials, given.as_deref())? {
            Opening::Opened(opened) => return Ok((opened.store, opened.tokens)),
            Opening::NeedsPassphrase { .. } if given.is_some() => {
                return Err(Error::Internal("passphrase asked again".into()))
            }
            Opening::NeedsPassphrase { choosing } => given = Some(ask_passphrase(choosing)?),
        }
    }
}

/// The passphrase typed at the terminal, not echoed; asked twice when it is being chosen.
fn ask_passphrase(choosing: bool) -> Result<String, Error> {
    if !std::io::stderr().is_terminal() {
        return Err(Error::KeyUnavailable(
            "Pas de trousseau système sur cette machine : la base est chiffrée avec une phrase \
             de passe. Donnez-la par PERMANENCE_PASSPHRASE, ou lancez la commande dans un \
             terminal."
                .into(),
        ));
    }
    let read = |prompt: &str| {
        rpassword::prompt_password(prompt)
            .map_err(|e| Error::KeyUnavailable(format!("Phrase de passe non lue : {e}.")))
    };
    if !choosing {
        return read("Phrase de passe de la base : ");
    }
    eprintln!(
        "Pas de trousseau système sur cette machine : choisissez une phrase de passe pour \
         chiffrer la base (au moins {} caractères). Elle sera demandée à chaque ouverture ; \
         sans elle, la base est illisible.",
        credentials::PASSPHRASE_MIN_CHARS
    );
    let first = read("Phrase de passe : ")?;
    credentials::check_new_passphrase(&first)?;
    if read("Confirmez-la : ")? != first {
        return Err(Error::field(
            "passphrase",
            "Les deux saisies diffèrent ; rien n'a été modifié.",
        ));
    }
    Ok(first)
}

fn register(
    store: &mut Store,
    tokens: TokenPlace,
    server: &str,
    login: &str,
    ca_cert: Option<&Path>,
) -> Result<(), Error> {
    let authority = ca_cert
        .map(|path| {
            std::fs::read_to_string(path).map_err(|e| {
                Error::field(
                    "certificate",
                    format!("Impossible de lire le certificat {} : {e}", path.display()),
                )
            })
        })
        .transpose()?;
    let password = match std::env::var("PERMANENCE_PASSWORD") {
        Ok(p) => p,
        Err(_) => {
            let mut input = String::new();
            std::io::stdin()
                .read_line(&mut input)
                .map_err(|e| Error::Internal(format!("standard input: {e}")))?;
            input.trim_end_matches(['\n', '\r']).to_owned()
        }
    };
    let device_id = store.device_id()?;
    let refused = network_error("Enregistrement impossible");
    let client =
        Client::connect(server, None, authority.as_deref(), REQUEST_TIMEOUT).map_err(&refused)?;
    let registered = client
        .register(&RegisterRequest {
            login: login.to_owned(),
            password,
            device_id,
            device_name: "ligne de commande".into(),
        })
        .map_err(|e| match e {
            SyncError::Local(e) => e,
            other => Error::Refused {
                what: "Enregistrement impossible".into(),
                reasons: vec![other.at_address(client.base()).message],
            },
        })?;
    store.set_server(client.base(), &registered.advisor, authority.as_deref())?;
    if tokens == TokenPlace::Store {
        store.keep_token(&registered.token)?;
        eprintln!(
            "Appareil {device_id} enregistré au nom de {} ; jeton gardé dans la base chiffrée.",
            registered.advisor
        );
        return Ok(());
    }
    match OsKeyring.set(device_id, &registered.token) {
        Ok(()) => eprintln!(
            "Appareil {device_id} enregistré au nom de {} ; jeton gardé dans le trousseau.",
            registered.advisor
        ),
        Err(_) => {
            // No keyring on this machine: the script keeps the token (standard output only).
            eprintln!(
                "Appareil {device_id} enregistré au nom de {}. Pas de trousseau sur cette machine : \
                 gardez le jeton ci-dessous et donnez-le à `permanence sync` par PERMANENCE_TOKEN.",
                registered.advisor
            );
            println!("{}", registered.token);
        }
    }
    Ok(())
}

fn sync(store: &mut Store, tokens: TokenPlace) -> Result<(), Error> {
    let status = store.sync_status()?;
    let server = status.server_url.ok_or_else(|| {
        Error::field(
            "server",
            "Cet ordinateur n'est pas enregistré auprès d'un siège : lancez `permanence register`.",
        )
    })?;
    let token = match std::env::var("PERMANENCE_TOKEN") {
        Ok(token) => token,
        Err(_) => match tokens {
            TokenPlace::Store => store.kept_token()?,
            // A credential store that does not answer has no token to give.
            TokenPlace::CredentialStore | TokenPlace::Unencrypted => {
                OsKeyring.get(status.device_id).ok().flatten()
            }
        }
        .ok_or_else(|| {
            Error::field(
                "token",
                "Aucun jeton pour cet appareil : lancez `permanence register` ou donnez PERMANENCE_TOKEN.",
            )
        })?,
    };
    let authority = store.server_authority()?;
    let refused = network_error("Synchronisation impossible");
    let client = Client::connect(&server, Some(token), authority.as_deref(), REQUEST_TIMEOUT)
        .map_err(&refused)?;
    // A long sync tells how far it has gone, on a terminal only (scripts read the JSON).
    let tell = std::io::stderr().is_terminal();
    let report = permanence::sync::client::sync_telling(store, &client, &mut |progress| {
        if tell {
            eprint!("\r{:<40}", progress.describe());
        }
    });
    if tell {
        eprint!("\r{:<40}\r", "");
    }
    let report = report.map_err(&refused)?;
    print_json(&report)?;
    if report.pending > 0 || report.refused_changes > 0 || report.open_conflicts > 0 {
        return Err(Error::Refused {
            what: "Synchronisation incomplète".into(),
            reasons: vec![
                format!("{} modification(s) encore en attente", report.pending),
                format!(
                    "{} modification(s) refusée(s) par le siège à revoir",
                    report.refused_changes
                ),
                format!("{} conflit(s) à examiner", report.open_conflicts),
            ],
        });
    }
    let whole = match report.counts.from_snapshot {
        0 => String::new(),
        n => format!(" {n} dossier(s) reçu(s) d'un bloc (état de la plateforme),"),
    };
    eprintln!(
        "Synchronisé : {} envoyée(s),{whole} {} reçue(s).",
        report.counts.pushed, report.counts.pulled
    );
    Ok(())
}

/// A failed exchange with the head office, as the command line reports it: `what` could
/// not be done, and why.
fn network_error(what: &'static str) -> impl Fn(SyncError) -> Error {
    move |e| match e {
        SyncError::Local(e) => e,
        other => Error::Refused {
            what: what.into(),
            reasons: vec![other.to_api().message],
        },
    }
}

/// A month typed as `2026-12` or `12/2026`, as its first day.
fn parse_month(text: &str) -> Result<NaiveDate, Error> {
    let parts: Vec<&str> = text.trim().split(['-', '/']).map(str::trim).collect();
    let (year, month) = match parts[..] {
        [a, b] if a.len() == 4 => (a, b),
        [a, b] if b.len() == 4 => (b, a),
        _ => ("", ""),
    };
    year.parse()
        .ok()
        .zip(month.parse().ok())
        .and_then(|(y, m)| NaiveDate::from_ymd_opt(y, m, 1))
        .ok_or_else(|| {
            Error::field(
                "month",
                format!("« {text} » n'est pas un mois (exemple : 2026-12 ou 12/2026)."),
            )
        })
}

/// The checkpoints to make, in French on standard error: the month's, then each one.
fn tell_checkpoints(month: NaiveDate, due: &[permanence::checkpoint::CheckpointDue]) {
    let name = dates::format_month(month);
    if due.is_empty() {
        eprintln!("Aucun point de suivi à faire en {name}.");
        return;
    }
    let late = due.iter().filter(|c| c.overdue).count();
    eprintln!(
        "Points de suivi à faire en {name} : {}, dont {late} en retard.",
        due.len()
    );
    for c in due {
        eprintln!(
            "  {} {} : point à {} mois, prévu le {}{}",
            c.number,
            c.holder_name,
            c.month,
            dates::format_date(c.due_on),
            if c.overdue { " (en retard)" } else { "" }
        );
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

fn print_text(text: &str) -> Result<(), Error> {
    let mut out = std::io::stdout().lock();
    match write!(out, "{text}") {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(Error::Internal(format!(
            "cannot write to standard output: {e}"
        ))),
        _ => Ok(()),
    }
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
