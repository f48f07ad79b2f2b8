//! Outreach sessions ("permanences"): a day in a town hall, and the people met there.

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::params;
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use super::read::DossierQuery;
use super::{date_col, record_change, timestamp, uuid_col, Store};
use permanence_domain::dates;
use permanence_domain::dossier::{known_commune, meeting_place, DossierSummary, NAME_MAX};
use permanence_domain::error::{Error, FieldErrors, Result};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Session {
    pub id: Uuid,
    pub commune_insee: String,
    pub commune: String,
    pub place: String,
    pub held_on: NaiveDate,
    pub advisor: String,
    /// How many dossiers began at this session.
    pub people: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct SessionView {
    pub session: Session,
    pub dossiers: Vec<DossierSummary>,
}

/// What the "Nouvelle permanence" form submits.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SessionDraft {
    pub commune_insee: String,
    #[serde(default)]
    pub place: String,
    /// `26/11/2026` or `2026-11-26`.
    pub held_on: String,
    #[serde(default)]
    pub advisor: String,
}

impl Store {
    pub fn create_session(&mut self, draft: &SessionDraft) -> Result<Session> {
        self.create_session_at(draft, self.now())
    }

    /// `create_session` at a given time (demo data holds its sessions in the past).
    pub(crate) fn create_session_at(
        &mut self,
        draft: &SessionDraft,
        now: DateTime<Utc>,
    ) -> Result<Session> {
        let mut errors = FieldErrors::new();
        let commune = known_commune(&draft.commune_insee)
            .map_err(|m| errors.insert("commune_insee".into(), m))
            .ok();
        let held_on = dates::required_date(&draft.held_on, "Indiquez la date de la permanence.")
            .map_err(|m| errors.insert("held_on".into(), m))
            .ok();
        let place = meeting_place(&draft.place)
            .map_err(|m| errors.insert("place".into(), m))
            .ok();
        let advisor = match draft.advisor.trim() {
            "" => self.settings.advisor.clone(),
            a => a.to_owned(),
        };
        if advisor.chars().count() > NAME_MAX {
            errors.insert(
                "advisor".into(),
                format!("Le nom ne doit pas dépasser {NAME_MAX} caractères."),
            );
        }
        let (Some((commune_insee, commune)), Some(held_on), Some(place), true) =
            (commune, held_on, place, errors.is_empty())
        else {
            return Err(Error::Invalid(errors));
        };
        let id = Uuid::now_v7();
        let tx = self.conn.transaction()?;
        tx.prepare_cached(
            "INSERT INTO session (id, commune_insee, commune, place, held_on, advisor, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )?
        .execute(params![
            id.to_string(),
            commune_insee,
            commune,
            place,
            held_on.to_string(),
            advisor,
            timestamp(now)
        ])?;
        let session = Session {
            id,
            commune_insee,
            commune,
            place,
            held_on,
            advisor,
            people: 0,
        };
        record_change(
            &tx,
            "session",
            id,
            "create",
            None,
            Some(serde_json::to_value(&session).map_err(super::internal)?),
            now,
        )?;
        tx.commit()?;
        Ok(session)
    }

    /// Sessions, most recent first.
    pub fn list_sessions(&self) -> Result<Vec<Session>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT s.id, s.commune_insee, s.commune, s.place, s.held_on, s.advisor,
                    (SELECT count(*) FROM dossier d WHERE d.session_id = s.id AND d.deleted_at IS NULL)
             FROM session s WHERE s.deleted_at IS NULL
             ORDER BY s.held_on DESC, s.id DESC",
        )?;
        let rows = stmt.query_map([], |row| {
            Ok(Session {
                id: uuid_col(row, 0)?,
                commune_insee: row.get(1)?,
                commune: row.get(2)?,
                place: row.get(3)?,
                held_on: date_col(row, 4)?.unwrap_or_default(),
                advisor: row.get(5)?,
                people: row.get(6)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// A session with the dossiers of the people met there.
    pub fn get_session(&self, id: Uuid) -> Result<SessionView> {
        let session = self
            .list_sessions()?
            .into_iter()
            .find(|s| s.id == id)
            .ok_or_else(|| Error::NotFound {
                what: "Permanence",
                id: id.to_string(),
            })?;
        let dossiers = self
            .list_dossiers(&DossierQuery {
                session_id: Some(id),
                sort: Some(super::read::DossierSort::OpenedDesc),
                limit: Some(1000),
                ..Default::default()
            })?
            .items;
        Ok(SessionView { session, dossiers })
    }
}
