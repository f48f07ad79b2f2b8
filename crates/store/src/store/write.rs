//! Writing dossiers: opening one, field-level edits, holders, plan lines, notes and status
//! moves. Each public function is one transaction with its outbox row(s).

use chrono::{DateTime, Datelike, Utc};
use rusqlite::types::Value as Sql;
use rusqlite::{params, Connection, OptionalExtension, Transaction};
use serde_json::json;
use uuid::Uuid;

use super::read::load_dossier;
use super::{finish, record_change, refresh_search, timestamp, Store};
use permanence_domain::codes::{DossierStatus, FinancingCategory};
use permanence_domain::dossier::{
    Dossier, DossierDraft, HolderDraft, ValidDossier, ValidHolder, HOLDERS_MAX, LONG_TEXT_MAX,
};
use permanence_domain::error::{Error, Result};
use permanence_domain::field::{self, Entity, FieldEdit, Kind, Target};
use permanence_domain::settings::PlatformSettings;
use permanence_domain::{dates, pipeline, reference};

impl Store {
    /// Validates the draft and opens the dossier, in one transaction with its outbox row.
    pub fn create_dossier(&mut self, draft: &DossierDraft) -> Result<Dossier> {
        let valid = draft.parse()?;
        let holder_ids: Vec<Uuid> = valid.holders.iter().map(|_| Uuid::now_v7()).collect();
        self.insert_dossier(
            &valid,
            Uuid::now_v7(),
            &holder_ids,
            DossierStatus::PremierContact,
            self.now(),
        )
    }

    /// Writes a validated dossier with given ids (one per holder), status and time. Demo data
    /// and imports use it directly; people go through `create_dossier`.
    pub fn insert_dossier(
        &mut self,
        valid: &ValidDossier,
        id: Uuid,
        holder_ids: &[Uuid],
        status: DossierStatus,
        at: DateTime<Utc>,
    ) -> Result<Dossier> {
        let tx = self.conn.transaction()?;
        insert_dossier_tx(&tx, &self.settings, valid, id, holder_ids, status, at)?;
        let dossier = load_dossier(&tx, id, &self.settings)?;
        tx.commit()?;
        Ok(dossier)
    }

    /// Applies one field edit: validated, written, queued for sync, in one transaction.
    /// Saving the value a field already has changes nothing and queues nothing.
    pub fn set_field(&mut self, edit: &FieldEdit) -> Result<Dossier> {
        let mut dossiers = self.set_fields(std::slice::from_ref(edit))?;
        dossiers
            .pop()
            .ok_or_else(|| Error::Internal("an edit without its dossier".into()))
    }

    /// Applies several field edits in one transaction (imports, demo data): all of them, or
    /// none when one is refused. Returns the dossiers they touched, in order of first edit.
    pub fn set_fields(&mut self, edits: &[FieldEdit]) -> Result<Vec<Dossier>> {
        self.set_fields_at(edits, self.now())
    }

    /// `set_fields` as of a given time (demo data is dated in the past).
    pub(crate) fn set_fields_at(
        &mut self,
        edits: &[FieldEdit],
        now: DateTime<Utc>,
    ) -> Result<Vec<Dossier>> {
        let tx = self.conn.transaction()?;
        let mut touched: Vec<Uuid> = Vec::new();
        for edit in edits {
            let dossier_id = apply_edit(&tx, edit, &self.settings, now)?;
            if !touched.contains(&dossier_id) {
                touched.push(dossier_id);
            }
        }
        for &id in &touched {
            refresh_search(&tx, id)?;
        }
        let dossiers = touched
            .iter()
            .map(|&id| load_dossier(&tx, id, &self.settings))
            .collect::<Result<Vec<_>>>()?;
        tx.commit()?;
        Ok(dossiers)
    }

    /// Deletes a dossier: it leaves the list and the search, stays in the store, and can
    /// be restored. Queued for sync like any edit.
    pub fn delete_dossier(&mut self, id: Uuid) -> Result<()> {
        let now = self.now();
        let tx = self.conn.transaction()?;
        ensure_dossier(&tx, id)?;
        tx.prepare_cached("UPDATE dossier SET deleted_at = ?2 WHERE id = ?1")?
            .execute(params![id.to_string(), timestamp(now)])?;
        record_change(&tx, "dossier", id, "delete", None, None, now)?;
        super::refresh_list(&tx, id)?;
        tx.commit()?;
        Ok(())
    }

    /// Brings a deleted dossier back, with every edit made to it meanwhile.
    pub fn restore_dossier(&mut self, id: Uuid) -> Result<Dossier> {
        let now = self.now();
        let tx = self.conn.transaction()?;
        let deleted: bool = tx
            .prepare_cached(
                "SELECT EXISTS (SELECT 1 FROM dossier WHERE id = ?1 AND deleted_at IS NOT NULL)",
            )?
            .query_row([id.to_string()], |r| r.get(0))?;
        if !deleted {
            // Already there (restored elsewhere): nothing to do, nothing queued.
            let dossier = load_dossier(&tx, id, &self.settings)?;
            return Ok(dossier);
        }
        tx.prepare_cached("UPDATE dossier SET deleted_at = NULL WHERE id = ?1")?
            .execute([id.to_string()])?;
        record_change(&tx, "dossier", id, "restore", None, None, now)?;
        refresh_search(&tx, id)?;
        let dossier = load_dossier(&tx, id, &self.settings)?;
        tx.commit()?;
        Ok(dossier)
    }

    /// Adds a holder to a dossier from the same short draft as the quick capture.
    pub fn add_holder(&mut self, dossier_id: Uuid, draft: &HolderDraft) -> Result<Dossier> {
        let valid = draft.parse().map_err(Error::Invalid)?;
        let now = self.now();
        let tx = self.conn.transaction()?;
        ensure_dossier(&tx, dossier_id)?;
        let position: i64 = tx
            .prepare_cached(
                "SELECT coalesce(max(position), -1) + 1 FROM holder WHERE dossier_id = ?1",
            )?
            .query_row([dossier_id.to_string()], |r| r.get(0))?;
        let holders: i64 = tx
            .prepare_cached("SELECT count(*) FROM holder WHERE dossier_id = ?1")?
            .query_row([dossier_id.to_string()], |r| r.get(0))?;
        if holders >= HOLDERS_MAX as i64 {
            return Err(Error::field(
                "holders",
                format!("Un dossier a au plus {HOLDERS_MAX} porteurs de projet."),
            ));
        }
        let id = Uuid::now_v7();
        insert_holder(&tx, dossier_id, position as usize, &valid, id)?;
        finish(&tx, dossier_id, now)?;
        let added = record_change(
            &tx,
            "holder",
            id,
            "create",
            None,
            Some(json!({
                "dossier_id": dossier_id,
                "position": position,
                "civility": valid.civility,
                "last_name": valid.last_name,
                "first_name": valid.first_name,
                "phone": valid.phone.as_ref().map(|p| p.as_e164()),
                "commune_insee": valid.commune_insee,
            })),
            now,
        )?;
        set_added(&tx, "holder", id, added)?;
        let dossier = load_dossier(&tx, dossier_id, &self.settings)?;
        tx.commit()?;
        Ok(dossier)
    }

    /// Adds an empty line of `category` to the financing plan.
    pub fn add_financing_line(
        &mut self,
        dossier_id: Uuid,
        category: FinancingCategory,
    ) -> Result<Dossier> {
        self.add_financing_line_at(dossier_id, category, self.now())
    }

    pub(crate) fn add_financing_line_at(
        &mut self,
        dossier_id: Uuid,
        category: FinancingCategory,
        now: DateTime<Utc>,
    ) -> Result<Dossier> {
        let tx = self.conn.transaction()?;
        ensure_dossier(&tx, dossier_id)?;
        let id = Uuid::now_v7();
        tx.prepare_cached(
            "INSERT INTO financing_line (id, dossier_id, side, category, position)
             VALUES (?1, ?2, ?3, ?4,
                     (SELECT coalesce(max(position), -1) + 1 FROM financing_line
                      WHERE dossier_id = ?2))",
        )?
        .execute(params![
            id.to_string(),
            dossier_id.to_string(),
            category.side().as_str(),
            category.as_str()
        ])?;
        finish(&tx, dossier_id, now)?;
        let added = record_change(
            &tx,
            "financing_line",
            id,
            "create",
            None,
            Some(json!({ "dossier_id": dossier_id, "category": category })),
            now,
        )?;
        set_added(&tx, "financing_line", id, added)?;
        let dossier = load_dossier(&tx, dossier_id, &self.settings)?;
        tx.commit()?;
        Ok(dossier)
    }

    /// Removes a plan line (a tombstone: sync can still tell others, and restore it).
    pub fn remove_financing_line(&mut self, line_id: Uuid) -> Result<Dossier> {
        let now = self.now();
        let tx = self.conn.transaction()?;
        let dossier_id = owning_dossier(&tx, Entity::FinancingLine, line_id)?;
        tx.prepare_cached("UPDATE financing_line SET deleted_at = ?2 WHERE id = ?1")?
            .execute(params![line_id.to_string(), timestamp(now)])?;
        finish(&tx, dossier_id, now)?;
        record_change(&tx, "financing_line", line_id, "delete", None, None, now)?;
        let dossier = load_dossier(&tx, dossier_id, &self.settings)?;
        tx.commit()?;
        Ok(dossier)
    }

    /// Appends a note. A correction names the note it supersedes; the old one stays.
    pub fn add_note(
        &mut self,
        dossier_id: Uuid,
        body: &str,
        supersedes: Option<Uuid>,
    ) -> Result<Dossier> {
        self.add_note_at(dossier_id, body, supersedes, self.now())
    }

    pub(crate) fn add_note_at(
        &mut self,
        dossier_id: Uuid,
        body: &str,
        supersedes: Option<Uuid>,
        now: DateTime<Utc>,
    ) -> Result<Dossier> {
        permanence_domain::dossier::visible_text(body).map_err(|m| Error::field("body", m))?;
        let body = body.trim();
        if body.is_empty() {
            return Err(Error::field("body", "La note est vide."));
        }
        if body.chars().count() > LONG_TEXT_MAX {
            return Err(Error::field(
                "body",
                format!("Une note ne doit pas dépasser {LONG_TEXT_MAX} caractères."),
            ));
        }
        let author = self.settings.advisor.clone();
        let tx = self.conn.transaction()?;
        ensure_dossier(&tx, dossier_id)?;
        if let Some(old) = supersedes {
            let state: Option<(String, bool)> = tx
                .query_row(
                    "SELECT dossier_id, EXISTS (SELECT 1 FROM note m WHERE m.supersedes = n.id)
                     FROM note n WHERE id = ?1",
                    [old.to_string()],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()?;
            match state {
                Some((owner, _)) if owner != dossier_id.to_string() => {
                    return Err(Error::field(
                        "supersedes",
                        "Cette note appartient à un autre dossier.",
                    ))
                }
                Some((_, true)) => {
                    return Err(Error::field(
                        "supersedes",
                        "Cette note a déjà été corrigée : corrigez la version la plus récente.",
                    ))
                }
                None => {
                    return Err(Error::field(
                        "supersedes",
                        "La note à corriger est introuvable.",
                    ))
                }
                Some(_) => {}
            }
        }
        let id = Uuid::now_v7();
        tx.prepare_cached(
            "INSERT INTO note (id, dossier_id, body, author, written_at, supersedes)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?
        .execute(params![
            id.to_string(),
            dossier_id.to_string(),
            body,
            author,
            timestamp(now),
            supersedes.map(|s| s.to_string())
        ])?;
        tx.prepare_cached("UPDATE dossier SET last_contact_on = ?2 WHERE id = ?1")?
            .execute(params![
                dossier_id.to_string(),
                now.date_naive().to_string()
            ])?;
        finish(&tx, dossier_id, now)?;
        record_change(
            &tx,
            "note",
            id,
            "add_note",
            None,
            Some(
                json!({ "dossier_id": dossier_id, "body": body, "author": author,
                         "supersedes": supersedes, "written_at": timestamp(now) }),
            ),
            now,
        )?;
        let dossier = load_dossier(&tx, dossier_id, &self.settings)?;
        tx.commit()?;
        Ok(dossier)
    }

    /// Moves the dossier along its pipeline, or refuses with the reasons in French.
    pub fn move_status(&mut self, dossier_id: Uuid, to: DossierStatus) -> Result<Dossier> {
        let now = self.now();
        let tx = self.conn.transaction()?;
        let dossier = load_dossier(&tx, dossier_id, &self.settings)?;
        let reasons = pipeline::blockers(&dossier, to, &self.settings);
        if !reasons.is_empty() {
            return Err(Error::Refused {
                what: format!("Le dossier ne peut pas passer à « {} »", to.label()),
                reasons,
            });
        }
        tx.prepare_cached("UPDATE dossier SET status = ?2 WHERE id = ?1")?
            .execute(params![dossier_id.to_string(), to.as_str()])?;
        finish(&tx, dossier_id, now)?;
        record_change(
            &tx,
            "dossier",
            dossier_id,
            "set_field",
            Some("status"),
            Some(json!(to)),
            now,
        )?;
        let dossier = load_dossier(&tx, dossier_id, &self.settings)?;
        tx.commit()?;
        Ok(dossier)
    }
}

/// Validates and writes one field edit with its outbox row, inside `tx`; returns the dossier
/// it belongs to. An edit to the value a field already has writes nothing.
pub(super) fn apply_edit(
    tx: &Transaction,
    edit: &FieldEdit,
    settings: &PlatformSettings,
    now: DateTime<Utc>,
) -> Result<Uuid> {
    let here = |m: String| Error::field(edit.field.clone(), m);
    let (target, spec) = field::resolve(edit.entity, &edit.field).map_err(here)?;
    let parsed = spec
        .kind
        .parse(&edit.value, permanence_domain::clock::local_day(now))
        .map_err(here)?;
    let dossier_id = owning_dossier(tx, edit.entity, edit.id)?;
    let (table, key_sql, keys) = row_of(edit.entity, edit.id, dossier_id, &target);
    let column = match &target {
        Target::Column(c) | Target::ForecastYear(_, c) | Target::Document(_, c) => *c,
    };

    let current: Option<Sql> = tx
        .prepare_cached(&format!("SELECT {column} FROM {table} WHERE {key_sql}"))?
        .query_row(rusqlite::params_from_iter(keys.iter()), |r| r.get(0))
        .optional()?;
    if current.as_ref() == Some(&parsed.sql) {
        return Ok(dossier_id);
    }

    if let (Entity::Business, Kind::Commune, Sql::Text(insee)) =
        (edit.entity, spec.kind, &parsed.sql)
    {
        if !settings.in_territory(insee) {
            return Err(here(format!(
                "{} n'est pas dans le territoire de la plateforme.",
                reference::commune(insee).map_or(insee.as_str(), |c| c.name)
            )));
        }
    }

    write_value(
        tx,
        edit.entity,
        edit.id,
        dossier_id,
        &target,
        spec.kind,
        &parsed.sql,
    )?;

    check_dossier_rules(tx, dossier_id, edit)?;
    record_change(
        tx,
        edit.entity.as_str(),
        edit.id,
        "set_field",
        Some(&edit.field),
        Some(parsed.json),
        now,
    )?;
    Ok(dossier_id)
}

/// Opens a validated dossier inside `tx`, with its outbox row.
pub(super) fn insert_dossier_tx(
    tx: &Transaction,
    settings: &PlatformSettings,
    valid: &ValidDossier,
    id: Uuid,
    holder_ids: &[Uuid],
    status: DossierStatus,
    at: DateTime<Utc>,
) -> Result<()> {
    insert_dossier_rows(tx, settings, valid, id, holder_ids, status, at)?;
    let dossier = load_dossier(tx, id, settings)?;
    record_change(
        tx,
        "dossier",
        id,
        "create",
        None,
        Some(serde_json::to_value(&dossier).map_err(super::internal)?),
        at,
    )?;
    Ok(())
}

/// The rows of a new dossier, without an outbox row (a dossier pulled from the head office).
pub(super) fn insert_dossier_rows(
    tx: &Connection,
    settings: &PlatformSettings,
    valid: &ValidDossier,
    id: Uuid,
    holder_ids: &[Uuid],
    status: DossierStatus,
    at: DateTime<Utc>,
) -> Result<()> {
    if holder_ids.len() != valid.holders.len() {
        return Err(Error::Internal("one id per holder is needed".into()));
    }
    // A dossier opened at a session is the session's advisor's; otherwise this laptop's.
    let session_advisor: Option<String> = match valid.session_id {
        Some(session) => tx
            .query_row(
                "SELECT advisor FROM session WHERE id = ?1",
                [session.to_string()],
                |r| r.get(0),
            )
            .optional()?,
        None => None,
    };
    let advisor = session_advisor
        .filter(|a| !a.is_empty())
        .unwrap_or_else(|| settings.advisor.clone());
    if let Some(session) = valid.session_id {
        let known: bool = tx
            .prepare_cached(
                "SELECT EXISTS (SELECT 1 FROM session WHERE id = ?1 AND deleted_at IS NULL)",
            )?
            .query_row([session.to_string()], |r| r.get(0))?;
        if !known {
            return Err(Error::field(
                "session_id",
                "Cette permanence est introuvable.",
            ));
        }
    }
    let number = next_provisional_number(tx, at.year())?;
    let stamp = timestamp(at);
    tx.prepare_cached(
        "INSERT INTO dossier (id, number, project_type, status, idea, created_at, updated_at,
                                  opened_on, session_id, advisor, referrer, heard_of_us,
                                  last_contact_on)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6, ?7, ?8, ?9, ?10, ?11, ?7)",
    )?
    .execute(params![
        id.to_string(),
        number,
        valid.project_type.as_str(),
        status.as_str(),
        valid.idea,
        stamp,
        at.date_naive().to_string(),
        valid.session_id.map(|s| s.to_string()),
        advisor,
        valid.referrer.map(|r| r.as_str()),
        valid.heard_of_us,
    ])?;
    tx.prepare_cached("INSERT INTO business (dossier_id) VALUES (?1)")?
        .execute([id.to_string()])?;
    for (position, (holder, holder_id)) in valid.holders.iter().zip(holder_ids).enumerate() {
        insert_holder(tx, id, position, holder, *holder_id)?;
    }
    refresh_search(tx, id)?;
    Ok(())
}

/// Writes a validated value where its target says, with the values that follow from it
/// (a commune's name, the NAF version, a plan line's side). Local edits and changes pulled
/// from the head office both go through here.
pub(super) fn write_value(
    tx: &Connection,
    entity: Entity,
    id: Uuid,
    dossier_id: Uuid,
    target: &Target,
    kind: Kind,
    value: &Sql,
) -> Result<()> {
    let (table, key_sql, keys) = row_of(entity, id, dossier_id, target);
    let column = match target {
        Target::Column(c) | Target::ForecastYear(_, c) | Target::Document(_, c) => *c,
    };
    // Rows of the business, the forecast and the checklist are made on first edit.
    let key_columns: Vec<&str> = key_sql
        .split(" AND ")
        .map(|c| c.split(" = ").next().unwrap_or_default())
        .collect();
    let placeholders: Vec<String> = (1..=keys.len() + 1).map(|i| format!("?{i}")).collect();
    let upsert = matches!(
        entity,
        Entity::Business | Entity::Forecast | Entity::Document
    );
    let mut values = keys.clone();
    values.push(value.clone());
    let sql = if upsert {
        format!(
            "INSERT INTO {table} ({}, {column}) VALUES ({})
                 ON CONFLICT ({}) DO UPDATE SET {column} = excluded.{column}",
            key_columns.join(", "),
            placeholders.join(", "),
            key_columns.join(", ")
        )
    } else {
        format!(
            "UPDATE {table} SET {column} = ?{} WHERE {key_sql}",
            keys.len() + 1
        )
    };
    // Cached by its text: one statement per column, prepared once per connection.
    tx.prepare_cached(&sql)?
        .execute(rusqlite::params_from_iter(values.iter()))?;

    // Values that follow from the edited one.
    match (kind, value) {
        (Kind::Commune, value) => {
            let name = match value {
                Sql::Text(insee) => reference::commune(insee).map_or("", |c| c.name),
                _ => "",
            };
            tx.execute(
                &format!(
                    "UPDATE {table} SET commune = ?{} WHERE {key_sql}",
                    keys.len() + 1
                ),
                rusqlite::params_from_iter(keys.iter().chain([&Sql::Text(name.into())])),
            )?;
        }
        (Kind::Naf, value) => {
            let version = match value {
                Sql::Null => Sql::Null,
                _ => Sql::Text(reference::NAF_VERSION.into()),
            };
            tx.prepare_cached("UPDATE business SET naf_version = ?2 WHERE dossier_id = ?1")?
                .execute(params![dossier_id.to_string(), version])?;
        }
        (Kind::RequiredCode(_), Sql::Text(code)) if entity == Entity::FinancingLine => {
            if let Some(category) = FinancingCategory::from_str_opt(code) {
                tx.prepare_cached("UPDATE financing_line SET side = ?2 WHERE id = ?1")?
                    .execute(params![id.to_string(), category.side().as_str()])?;
            }
        }
        _ => {}
    }
    Ok(())
}

fn ensure_dossier(conn: &Connection, id: Uuid) -> Result<()> {
    let found: bool = conn
        .prepare_cached(
            "SELECT EXISTS (SELECT 1 FROM dossier WHERE id = ?1 AND deleted_at IS NULL)",
        )?
        .query_row([id.to_string()], |r| r.get(0))?;
    if found {
        Ok(())
    } else {
        Err(Error::NotFound {
            what: "Dossier",
            id: id.to_string(),
        })
    }
}

/// The dossier an edited record belongs to.
pub(super) fn owning_dossier(conn: &Connection, entity: Entity, id: Uuid) -> Result<Uuid> {
    let (sql, what) = match entity {
        Entity::Holder => (
            "SELECT dossier_id FROM holder WHERE id = ?1",
            "Porteur de projet",
        ),
        Entity::FinancingLine => (
            "SELECT dossier_id FROM financing_line WHERE id = ?1 AND deleted_at IS NULL",
            "Ligne du plan de financement",
        ),
        Entity::Dossier | Entity::Business | Entity::Forecast | Entity::Document => {
            ensure_dossier(conn, id)?;
            return Ok(id);
        }
    };
    let found: Option<String> = conn
        .query_row(sql, [id.to_string()], |r| r.get(0))
        .optional()?;
    found
        .and_then(|d| Uuid::parse_str(&d).ok())
        .ok_or_else(|| Error::NotFound {
            what,
            id: id.to_string(),
        })
}

/// The table and key of the row an edit changes. Names come from the field registry, never
/// from input.
pub(super) fn row_of(
    entity: Entity,
    id: Uuid,
    dossier_id: Uuid,
    target: &Target,
) -> (&'static str, String, Vec<Sql>) {
    let id = Sql::Text(id.to_string());
    let dossier = Sql::Text(dossier_id.to_string());
    match (entity, target) {
        (Entity::Dossier, _) => ("dossier", "id = ?1".into(), vec![id]),
        (Entity::Holder, _) => ("holder", "id = ?1".into(), vec![id]),
        (Entity::FinancingLine, _) => ("financing_line", "id = ?1".into(), vec![id]),
        (_, Target::ForecastYear(year, _)) => (
            "forecast_year",
            "dossier_id = ?1 AND year = ?2".into(),
            vec![dossier, Sql::Integer(*year)],
        ),
        (_, Target::Document(kind, _)) => (
            "document",
            "dossier_id = ?1 AND kind = ?2".into(),
            vec![dossier, Sql::Text(kind.as_str().into())],
        ),
        _ => ("business", "dossier_id = ?1".into(), vec![dossier]),
    }
}

/// Rules that involve more than the edited field, checked before the edit commits.
fn check_dossier_rules(tx: &Transaction, dossier_id: Uuid, edit: &FieldEdit) -> Result<()> {
    let key = dossier_id.to_string();
    match (edit.entity, edit.field.as_str()) {
        (Entity::Holder, "capital_share_bp") => {
            let total: i64 = tx
                .prepare_cached(
                    "SELECT coalesce(sum(capital_share_bp), 0) FROM holder WHERE dossier_id = ?1",
                )?
                .query_row([&key], |r| r.get(0))?;
            if total > 10_000 {
                return Err(Error::field(
                    edit.field.clone(),
                    format!(
                        "Les parts de capital des porteurs dépassent 100 % (total : {}).",
                        permanence_domain::money::format_percent_bp(total)
                    ),
                ));
            }
        }
        (Entity::Holder | Entity::Business, "commune_insee") => {
            // The commune is chosen among the communes of the postal code, when one is given.
            let (table, key_column, id) = match edit.entity {
                Entity::Holder => ("holder", "id", edit.id.to_string()),
                _ => ("business", "dossier_id", key.clone()),
            };
            let (postal, insee): (Option<String>, Option<String>) = tx.query_row(
                &format!("SELECT postal_code, commune_insee FROM {table} WHERE {key_column} = ?1"),
                [&id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?;
            if let (Some(postal), Some(insee)) = (postal, insee) {
                let served = reference::communes_for_postal_code(&postal)
                    .iter()
                    .any(|c| c.current().insee == insee);
                if !served {
                    return Err(Error::field(
                        edit.field.clone(),
                        format!("Cette commune n'est pas desservie par le code postal {postal}."),
                    ));
                }
            }
        }
        (Entity::Dossier, "committee_date") => {
            let (committee, opened): (Option<String>, Option<String>) = tx
                .prepare_cached("SELECT committee_date, opened_on FROM dossier WHERE id = ?1")?
                .query_row([&key], |r| Ok((r.get(0)?, r.get(1)?)))?;
            if let (Some(c), Some(o)) = (committee, opened) {
                if c < o {
                    let opened = dates::parse_date(&o).map(dates::format_date).unwrap_or(o);
                    return Err(Error::field(
                        edit.field.clone(),
                        format!(
                            "Le comité ne peut pas précéder l'ouverture du dossier (le {opened})."
                        ),
                    ));
                }
            }
        }
        _ => {}
    }
    Ok(())
}

fn next_provisional_number(tx: &Connection, year: i32) -> Result<String> {
    // A counter per year, never reused: a number the head office replaces leaves a gap.
    // Stores made before the counter start after the highest number of the year.
    let prefix = format!("PROV-{year}-");
    let key = format!("provisional_seq_{year}");
    let last = match super::sync::meta(tx, &key)?.and_then(|v| v.parse::<i64>().ok()) {
        Some(last) => last,
        None => tx
            .prepare_cached(
                "SELECT coalesce(max(CAST(substr(number, length(?1) + 1) AS INTEGER)), 0)
             FROM dossier WHERE number LIKE ?1 || '%'",
            )?
            .query_row([&prefix], |r| r.get(0))?,
    };
    super::sync::set_meta(tx, &key, &(last + 1).to_string())?;
    Ok(format!("{prefix}{:04}", last + 1))
}

fn insert_holder(
    tx: &Connection,
    dossier: Uuid,
    position: usize,
    holder: &ValidHolder,
    id: Uuid,
) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO holder (id, dossier_id, position, civility, last_name, first_name, phone,
                             commune, commune_insee)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?
    .execute(params![
        id.to_string(),
        dossier.to_string(),
        position as i64,
        holder.civility.as_str(),
        holder.last_name,
        holder.first_name,
        holder.phone.as_ref().map(|p| p.as_e164()),
        holder.commune,
        holder.commune_insee
    ])?;
    Ok(())
}

/// Queues the creation of the row `id` of `table` just written, with its content, and stamps
/// the row with the creation's clock stamp (by which the latest version is read, the same on
/// every laptop).
pub(super) fn queue_created(
    conn: &Connection,
    table: &str,
    id: Uuid,
    content: &impl serde::Serialize,
    now: DateTime<Utc>,
) -> Result<()> {
    let value = serde_json::to_value(content).map_err(super::internal)?;
    let added = record_change(conn, table, id, "create", None, Some(value), now)?;
    set_added(conn, table, id, added)
}

/// Orders a holder or line added after its dossier's creation by its addition's clock stamp,
/// as every laptop that pulls it does.
pub(super) fn set_added(
    tx: &Connection,
    table: &str,
    id: Uuid,
    added: permanence_sync::Hlc,
) -> Result<()> {
    tx.execute(
        &format!("UPDATE {table} SET added_hlc = ?2 WHERE id = ?1"),
        params![id.to_string(), added.to_string()],
    )?;
    Ok(())
}
