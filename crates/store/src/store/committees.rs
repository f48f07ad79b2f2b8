//! Committee meetings and their agendas, the committee pack, and the decision recorded after
//! the committee.
//!
//! Invariants: one committee a day; a dossier appears at most once on an agenda, and putting
//! it there also sets its committee date and kind; a decision is recorded in one transaction
//! with its outbox rows and moves the status (through "passé en comité" when the dossier was
//! still "prêt pour comité"), never without the platform's loan rules being met for an accord.

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{params, Connection, OptionalExtension, Transaction};
use serde::{Deserialize, Serialize};
use serde_json::json;
use ts_rs::TS;
use uuid::Uuid;

use super::read::{load_dossier, summary, LIST_COLUMNS};
use super::{date_col, enum_col, finish, record_change, timestamp, uuid_col, Store};
use permanence_domain::codes::{CommitteeKind, Decision, DossierStatus};
use permanence_domain::dates::{self, format_date};
use permanence_domain::dossier::{meeting_place, Dossier, DossierSummary, LONG_TEXT_MAX};
use permanence_domain::error::{Error, FieldErrors, Result};
use permanence_domain::money::{format_cents, parse_cents};
use permanence_domain::pipeline;
use permanence_sync::protocol::agenda_entry_id;

/// A committee meeting with its agenda.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Committee {
    pub id: Uuid,
    pub held_on: NaiveDate,
    pub kind: CommitteeKind,
    pub place: String,
    /// The dossiers presented, in order.
    pub agenda: Vec<AgendaItem>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct AgendaItem {
    /// 1 for the first dossier presented.
    pub position: i64,
    pub dossier: DossierSummary,
}

/// What the "Nouveau comité" form submits.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CommitteeDraft {
    /// `08/12/2026` or `2026-12-08`.
    pub held_on: String,
    /// A committee is an approval committee ("agrément") unless told otherwise.
    #[serde(default)]
    pub kind: Option<CommitteeKind>,
    #[serde(default)]
    pub place: String,
}

/// The committee's decision on a dossier, as typed after the meeting.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct DecisionInput {
    pub decision: Option<Decision>,
    /// The amount granted, in any usual French writing (`8 000`, `8000 €`); required for an
    /// accord, empty otherwise.
    #[serde(default)]
    pub amount: String,
    /// Required for an accord under conditions.
    #[serde(default)]
    pub conditions: String,
    /// Required for an adjournment or a refusal.
    #[serde(default)]
    pub reason: String,
}

/// A committee and the dossiers of its agenda, in order: what the pack is made of. Loading
/// it is quick; rendering it is not, so a caller that holds the store behind a lock loads
/// this, releases the lock, then renders with `summary::render_pack`.
#[derive(Debug, Clone)]
pub struct CommitteePack {
    pub committee: Committee,
    pub dossiers: Vec<Dossier>,
}

impl Store {
    /// Validates and saves a committee meeting, with its outbox row.
    pub fn create_committee(&mut self, draft: &CommitteeDraft) -> Result<Committee> {
        self.create_committee_at(draft, self.now())
    }

    /// `create_committee` at a given time (demo data draws up committees in the past).
    pub(crate) fn create_committee_at(
        &mut self,
        draft: &CommitteeDraft,
        now: DateTime<Utc>,
    ) -> Result<Committee> {
        let mut errors = FieldErrors::new();
        let held_on = dates::required_date(&draft.held_on, "Indiquez la date du comité.")
            .map_err(|m| errors.insert("held_on".into(), m))
            .ok();
        let place = meeting_place(&draft.place)
            .map_err(|m| errors.insert("place".into(), m))
            .ok();
        let kind = draft.kind.unwrap_or(CommitteeKind::Agrement);
        if let Some(day) = held_on {
            if committee_id_on(&self.conn, day)?.is_some() {
                errors.insert(
                    "held_on".into(),
                    format!("Un comité est déjà prévu le {}.", format_date(day)),
                );
            }
        }
        let (Some(held_on), Some(place), true) = (held_on, place, errors.is_empty()) else {
            return Err(Error::Invalid(errors));
        };
        let id = Uuid::now_v7();
        let tx = self.conn.transaction()?;
        tx.prepare_cached(
            "INSERT INTO committee (id, held_on, kind, place, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5)",
        )?
        .execute(params![
            id.to_string(),
            held_on.to_string(),
            kind.as_str(),
            place,
            timestamp(now)
        ])?;
        record_change(
            &tx,
            "committee",
            id,
            "create",
            None,
            Some(json!({ "held_on": held_on, "kind": kind, "place": place })),
            now,
        )?;
        let committee = load_committee(&tx, id)?;
        tx.commit()?;
        Ok(committee)
    }

    /// Every committee with its agenda, the earliest first.
    pub fn list_committees(&self) -> Result<Vec<Committee>> {
        let ids: Vec<Uuid> = {
            let mut stmt = self
                .conn
                .prepare_cached("SELECT id FROM committee ORDER BY held_on, id")?;
            let rows = stmt.query_map([], |r| uuid_col(r, 0))?;
            rows.collect::<rusqlite::Result<_>>()?
        };
        ids.into_iter()
            .map(|id| load_committee(&self.conn, id))
            .collect()
    }

    pub fn get_committee(&self, id: Uuid) -> Result<Committee> {
        load_committee(&self.conn, id)
    }

    /// The committee meeting on `day`.
    pub fn committee_on(&self, day: NaiveDate) -> Result<Committee> {
        match committee_id_on(&self.conn, day)? {
            Some(id) => load_committee(&self.conn, id),
            None => Err(Error::NotFound {
                what: "Comité",
                id: format!("aucun comité le {}", format_date(day)),
            }),
        }
    }

    /// Puts a dossier at the end of a committee's agenda and gives it the committee's date
    /// and kind. A dossier already on that agenda stays where it is.
    pub fn add_to_agenda(&mut self, committee_id: Uuid, dossier_id: Uuid) -> Result<Committee> {
        self.add_to_agenda_at(committee_id, &[dossier_id], self.now())
    }

    /// `add_to_agenda` for several dossiers in one transaction, as of a given time.
    pub(crate) fn add_to_agenda_at(
        &mut self,
        committee_id: Uuid,
        dossier_ids: &[Uuid],
        now: DateTime<Utc>,
    ) -> Result<Committee> {
        let tx = self.conn.transaction()?;
        let committee = load_committee(&tx, committee_id)?;
        for &dossier_id in dossier_ids {
            put_on_agenda(&tx, &committee, dossier_id, now)?;
        }
        let committee = load_committee(&tx, committee_id)?;
        tx.commit()?;
        Ok(committee)
    }

    /// Takes a dossier off a committee's agenda (its committee date stays as it was).
    pub fn remove_from_agenda(
        &mut self,
        committee_id: Uuid,
        dossier_id: Uuid,
    ) -> Result<Committee> {
        let now = self.now();
        let tx = self.conn.transaction()?;
        load_committee(&tx, committee_id)?;
        let removed = tx
            .prepare_cached(
                "DELETE FROM committee_agenda WHERE committee_id = ?1 AND dossier_id = ?2",
            )?
            .execute(params![committee_id.to_string(), dossier_id.to_string()])?;
        if removed > 0 {
            record_change(
                &tx,
                "committee_agenda",
                agenda_entry_id(committee_id, dossier_id),
                "delete",
                None,
                Some(json!({ "committee_id": committee_id, "dossier_id": dossier_id })),
                now,
            )?;
        }
        let committee = load_committee(&tx, committee_id)?;
        tx.commit()?;
        Ok(committee)
    }

    /// The committee meeting on `day` with its agenda's dossiers, ready to be rendered.
    pub fn committee_pack_data(&self, day: NaiveDate) -> Result<CommitteePack> {
        self.pack_data(self.committee_on(day)?)
    }

    /// The committee `committee_id` with its agenda's dossiers, ready to be rendered.
    pub fn committee_pack_data_of(&self, committee_id: Uuid) -> Result<CommitteePack> {
        self.pack_data(self.get_committee(committee_id)?)
    }

    fn pack_data(&self, committee: Committee) -> Result<CommitteePack> {
        let dossiers = committee
            .agenda
            .iter()
            .map(|item| load_dossier(&self.conn, item.dossier.id, &self.settings))
            .collect::<Result<Vec<_>>>()?;
        Ok(CommitteePack {
            committee,
            dossiers,
        })
    }

    /// Records the committee's decision and moves the dossier's status accordingly, in one
    /// transaction with its outbox rows. A dossier still "prêt pour comité" passes through
    /// "passé en comité" first.
    pub fn record_decision(&mut self, dossier_id: Uuid, input: &DecisionInput) -> Result<Dossier> {
        let now = self.now();
        let tx = self.conn.transaction()?;
        let dossier = load_dossier(&tx, dossier_id, &self.settings)?;
        let refused = |reasons: Vec<String>| Error::Refused {
            what: "La décision ne peut pas être enregistrée".into(),
            reasons,
        };
        match dossier.status {
            DossierStatus::PasseEnComite => {}
            DossierStatus::PretPourComite => {
                let reasons =
                    pipeline::blockers(&dossier, DossierStatus::PasseEnComite, &self.settings);
                if !reasons.is_empty() {
                    return Err(refused(reasons));
                }
            }
            other => {
                return Err(refused(vec![format!(
                    "Le dossier est « {} » : une décision s'enregistre sur un dossier prêt pour comité ou passé en comité.",
                    other.label()
                )]))
            }
        }
        let valid = validate_decision(&dossier, input, &self.settings)?;

        let id = dossier_id.to_string();
        let set = |field: &str, value: serde_json::Value| {
            record_change(
                &tx,
                "dossier",
                dossier_id,
                "set_field",
                Some(field),
                Some(value),
                now,
            )
        };
        if dossier.status == DossierStatus::PretPourComite {
            set("status", json!(DossierStatus::PasseEnComite))?;
        }
        let to = match valid.decision {
            Decision::Accord | Decision::AccordSousConditions => DossierStatus::Accorde,
            Decision::Ajournement => DossierStatus::Ajourne,
            Decision::Refus => DossierStatus::Refuse,
        };
        set("decision", json!(valid.decision))?;
        set("decision_amount_cents", json!(valid.amount_cents))?;
        set("decision_conditions", json!(valid.conditions))?;
        set("decision_reason", json!(valid.reason))?;
        set("status", json!(to))?;
        tx.prepare_cached(
            "UPDATE dossier SET decision = ?2, decision_amount_cents = ?3,
                    decision_conditions = ?4, decision_reason = ?5, status = ?6
             WHERE id = ?1",
        )?
        .execute(params![
            id,
            valid.decision.as_str(),
            valid.amount_cents,
            valid.conditions,
            valid.reason,
            to.as_str()
        ])?;
        for (holder_id, granted) in granted_per_holder(&dossier, valid.amount_cents) {
            tx.prepare_cached("UPDATE holder SET loan_granted_cents = ?2 WHERE id = ?1")?
                .execute(params![holder_id.to_string(), granted])?;
            record_change(
                &tx,
                "holder",
                holder_id,
                "set_field",
                Some("loan_granted_cents"),
                Some(json!(granted)),
                now,
            )?;
        }
        finish(&tx, dossier_id, now)?;
        let dossier = load_dossier(&tx, dossier_id, &self.settings)?;
        tx.commit()?;
        Ok(dossier)
    }
}

struct ValidDecision {
    decision: Decision,
    amount_cents: Option<i64>,
    conditions: String,
    reason: String,
}

fn validate_decision(
    dossier: &Dossier,
    input: &DecisionInput,
    settings: &permanence_domain::settings::PlatformSettings,
) -> Result<ValidDecision> {
    let mut errors = FieldErrors::new();
    let conditions = input.conditions.trim().to_owned();
    let reason = input.reason.trim().to_owned();
    for (field, text) in [("conditions", &conditions), ("reason", &reason)] {
        if text.chars().count() > LONG_TEXT_MAX {
            errors.insert(
                field.into(),
                format!("Ce texte ne doit pas dépasser {LONG_TEXT_MAX} caractères."),
            );
        }
    }
    let amount = if input.amount.trim().is_empty() {
        None
    } else {
        parse_cents(&input.amount)
            .map_err(|m| errors.insert("amount".into(), m))
            .ok()
    };
    let Some(decision) = input.decision else {
        errors.insert(
            "decision".into(),
            "Choisissez la décision du comité.".into(),
        );
        return Err(Error::Invalid(errors));
    };
    let granting = matches!(decision, Decision::Accord | Decision::AccordSousConditions);
    if granting {
        let rules = &settings.loan_rules;
        // Honour loans are personal: the bounds apply to each borrower.
        let borrowers = dossier
            .holders
            .iter()
            .filter(|h| h.loan_requested_cents.is_some_and(|c| c > 0))
            .count()
            .max(1) as i64;
        let (min, max) = (rules.min_cents, rules.max_cents * borrowers);
        match amount {
            None if !errors.contains_key("amount") => {
                errors.insert("amount".into(), "Indiquez le montant accordé.".into());
            }
            Some(cents) if cents < min || cents > max => {
                errors.insert(
                    "amount".into(),
                    format!(
                        "Le montant accordé sort des règles de la plateforme : de {} à {}{}.",
                        format_cents(min),
                        format_cents(max),
                        if borrowers > 1 {
                            format!(" pour {borrowers} emprunteurs")
                        } else {
                            String::new()
                        }
                    ),
                );
            }
            _ => {}
        }
    } else if amount.is_some() {
        errors.insert(
            "amount".into(),
            format!(
                "Pas de montant pour {} : laissez le champ vide.",
                match decision {
                    Decision::Refus => "un refus",
                    _ => "un ajournement",
                }
            ),
        );
    }
    if decision == Decision::AccordSousConditions && conditions.is_empty() {
        errors.insert(
            "conditions".into(),
            "Indiquez les conditions de l'accord.".into(),
        );
    }
    if matches!(decision, Decision::Ajournement | Decision::Refus) && reason.is_empty() {
        errors.insert("reason".into(), "Indiquez le motif de la décision.".into());
    }
    if !errors.is_empty() {
        return Err(Error::Invalid(errors));
    }
    Ok(ValidDecision {
        decision,
        amount_cents: if granting { amount } else { None },
        conditions,
        reason,
    })
}

/// How an accord's amount becomes each borrower's granted loan: all of it for a single
/// borrower, each one's request when the accord grants exactly the total requested. Any
/// other split is the advisor's to enter per holder; a refusal or adjournment grants nothing.
fn granted_per_holder(dossier: &Dossier, amount: Option<i64>) -> Vec<(Uuid, Option<i64>)> {
    let borrowers: Vec<_> = dossier
        .holders
        .iter()
        .filter(|h| h.loan_requested_cents.is_some_and(|c| c > 0))
        .collect();
    match (amount, borrowers.as_slice()) {
        (None, _) => dossier
            .holders
            .iter()
            .filter(|h| h.loan_granted_cents.is_some())
            .map(|h| (h.id, None))
            .collect(),
        (Some(cents), [one]) => vec![(one.id, Some(cents))],
        (Some(cents), many)
            if many
                .iter()
                .filter_map(|h| h.loan_requested_cents)
                .sum::<i64>()
                == cents =>
        {
            many.iter()
                .map(|h| (h.id, h.loan_requested_cents))
                .collect()
        }
        _ => Vec::new(),
    }
}

fn committee_id_on(conn: &Connection, day: NaiveDate) -> Result<Option<Uuid>> {
    Ok(conn
        .query_row(
            // Two laptops may have created one each before syncing: the earlier one.
            "SELECT id FROM committee WHERE held_on = ?1 ORDER BY id LIMIT 1",
            [day.to_string()],
            |r| uuid_col(r, 0),
        )
        .optional()?)
}

fn load_committee(conn: &Connection, id: Uuid) -> Result<Committee> {
    let head = conn
        .query_row(
            "SELECT id, held_on, kind, place FROM committee WHERE id = ?1",
            [id.to_string()],
            |r| {
                Ok((
                    uuid_col(r, 0)?,
                    date_col(r, 1)?.unwrap_or_default(),
                    enum_col(r, 2, CommitteeKind::from_str_opt)?,
                    r.get::<_, String>(3)?,
                ))
            },
        )
        .optional()?;
    let Some((id, held_on, kind, place)) = head else {
        return Err(Error::NotFound {
            what: "Comité",
            id: id.to_string(),
        });
    };
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {LIST_COLUMNS} FROM dossier_list l
         JOIN committee_agenda a ON a.dossier_id = l.dossier_id
         WHERE a.committee_id = ?1
         ORDER BY coalesce(a.added_hlc, ''), a.position"
    ))?;
    let agenda = stmt
        .query_map([id.to_string()], summary)?
        .enumerate()
        .map(|(i, dossier)| {
            Ok(AgendaItem {
                dossier: dossier?,
                position: i as i64 + 1,
            })
        })
        .collect::<rusqlite::Result<_>>()?;
    Ok(Committee {
        id,
        held_on,
        kind,
        place,
        agenda,
    })
}

/// What putting a dossier on an agenda needs to know of it, as stored.
struct AgendaCandidate {
    status: String,
    opened_on: Option<String>,
    committee_date: Option<String>,
    committee_kind: Option<String>,
}

fn put_on_agenda(
    tx: &Transaction,
    committee: &Committee,
    dossier_id: Uuid,
    now: DateTime<Utc>,
) -> Result<()> {
    let key = dossier_id.to_string();
    let row = tx
        .query_row(
            "SELECT status, opened_on, committee_date, committee_kind FROM dossier
             WHERE id = ?1 AND deleted_at IS NULL",
            [&key],
            |r| {
                Ok(AgendaCandidate {
                    status: r.get(0)?,
                    opened_on: r.get(1)?,
                    committee_date: r.get(2)?,
                    committee_kind: r.get(3)?,
                })
            },
        )
        .optional()?;
    let Some(AgendaCandidate {
        status,
        opened_on,
        committee_date: date,
        committee_kind: kind,
    }) = row
    else {
        return Err(Error::NotFound {
            what: "Dossier",
            id: key,
        });
    };
    let refused = |reason: String| Error::Refused {
        what: "Le dossier ne peut pas être inscrit à l'ordre du jour".into(),
        reasons: vec![reason],
    };
    if status == DossierStatus::Abandonne.as_str() {
        return Err(refused("Le dossier est abandonné.".into()));
    }
    let held_on = committee.held_on.to_string();
    if opened_on.as_deref().is_some_and(|o| held_on.as_str() < o) {
        return Err(refused(format!(
            "Le comité du {} précède l'ouverture du dossier.",
            format_date(committee.held_on)
        )));
    }
    let inserted = tx
        .prepare_cached(
            "INSERT OR IGNORE INTO committee_agenda (committee_id, dossier_id, position)
         VALUES (?1, ?2, (SELECT coalesce(max(position), 0) + 1 FROM committee_agenda
                          WHERE committee_id = ?1))",
        )?
        .execute(params![committee.id.to_string(), key])?;
    if inserted == 0 {
        return Ok(());
    }
    let added = record_change(
        tx,
        "committee_agenda",
        agenda_entry_id(committee.id, dossier_id),
        "create",
        None,
        Some(json!({ "committee_id": committee.id, "dossier_id": dossier_id })),
        now,
    )?;
    // The agenda's order on every laptop: the additions' clock stamps.
    tx.prepare_cached(
        "UPDATE committee_agenda SET added_hlc = ?3 WHERE committee_id = ?1 AND dossier_id = ?2",
    )?
    .execute(params![committee.id.to_string(), key, added.to_string()])?;
    for (column, current, value) in [
        ("committee_date", date, held_on.as_str()),
        ("committee_kind", kind, committee.kind.as_str()),
    ] {
        if current.as_deref() != Some(value) {
            tx.execute(
                &format!("UPDATE dossier SET {column} = ?2 WHERE id = ?1"),
                params![key, value],
            )?;
            record_change(
                tx,
                "dossier",
                dossier_id,
                "set_field",
                Some(column),
                Some(json!(value)),
                now,
            )?;
        }
    }
    super::refresh_list(tx, dossier_id)
}
