//! Mentoring and workshops (issue 12, item 2; `permanence_domain::mentoring` and
//! `permanence_domain::workshop`): the platform's directory of mentors, a mentor's pairing
//! with a financed business and its meetings, the platform's workshops and the holders
//! registered to them, present or not.
//!
//! Invariants on this laptop: a pairing belongs to a live, financed dossier and names an
//! active mentor, one running pairing per dossier; a meeting falls within its pairing and
//! never after today; a registration names a holder of its dossier, one per holder and
//! workshop, within the workshop's capacity; presence is marked from the workshop's day.
//! Rows are only added; an edit records a new version (a mentor's card, a pairing's), a
//! removal leaves tombstones, and sync carries both. Each write is one transaction with one
//! outbox row per record written.

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use super::read::load_dossier;
use super::write::{owning_dossier, queue_created};
use super::{date_col, display_name, finish, record_change, timestamp, uuid_col, Store};
use permanence_domain::clock::local_day;
use permanence_domain::dates::format_date;
use permanence_domain::dossier::Dossier;
use permanence_domain::error::{Error, Result};
use permanence_domain::field::Entity;
use permanence_domain::mentoring::{
    Meeting, MeetingDraft, Mentor, MentorCard, MentorForm, Pairing, PairingDraft,
};
use permanence_domain::reference;
use permanence_domain::workshop::{
    full_message, Attendance, Registrant, RegistrationDraft, Workshop, WorkshopDraft,
};
use permanence_sync::Hlc;

/// A mentor of the directory with the businesses they were paired with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct MentorView {
    pub mentor: Mentor,
    pub pairings: Vec<MentorPairing>,
}

/// One business a mentor was paired with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct MentorPairing {
    pub dossier_id: Uuid,
    pub number: String,
    /// "Prénom NOM" of the dossier's main holder.
    pub holder_name: String,
    pub start_on: NaiveDate,
    pub end_on: Option<NaiveDate>,
    pub meetings: i64,
}

/// A workshop with the holders registered to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct WorkshopView {
    pub workshop: Workshop,
    /// Registered holders, by dossier number then name.
    pub registrants: Vec<Registrant>,
}

/// A holder who may be registered to a workshop, found by name or dossier number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct HolderChoice {
    pub dossier_id: Uuid,
    pub number: String,
    pub holder_id: Uuid,
    pub holder_name: String,
}

/// The latest live card of each mentor.
const CARDS: &str = "WITH card AS (
        SELECT *, row_number() OVER (PARTITION BY mentor_id
                                     ORDER BY added_hlc DESC, id DESC) AS n
        FROM mentor WHERE deleted_at IS NULL)";

/// The latest live registration of each holder to each workshop.
pub(super) const REGISTRATIONS: &str = "WITH reg AS (
        SELECT *, row_number() OVER (PARTITION BY workshop_id, holder_id
                                     ORDER BY added_hlc DESC, id DESC) AS n
        FROM workshop_registration WHERE deleted_at IS NULL)";

impl Store {
    /// The directory of mentors, by name, each with their pairings.
    pub fn mentors(&self) -> Result<Vec<MentorView>> {
        let mentors = load_mentors(&self.conn)?;
        let mut stmt = self.conn.prepare_cached(
            "WITH version AS (
                SELECT *, row_number() OVER (PARTITION BY pairing_id
                                             ORDER BY added_hlc DESC, id DESC) AS n
                FROM pairing WHERE deleted_at IS NULL)
             SELECT v.mentor_id, v.dossier_id, d.number, h.first_name, h.last_name, v.start_on,
                    v.end_on,
                    (SELECT count(*) FROM mentor_meeting m
                     WHERE m.pairing_id = v.pairing_id AND m.deleted_at IS NULL)
             FROM version v
             JOIN dossier d ON d.id = v.dossier_id AND d.deleted_at IS NULL
             LEFT JOIN holder h ON h.dossier_id = d.id AND h.position = 0
             WHERE v.n = 1
             ORDER BY v.start_on, d.number",
        )?;
        let rows = stmt.query_map([], |r| {
            let first: Option<String> = r.get(3)?;
            let last: Option<String> = r.get(4)?;
            Ok((
                uuid_col(r, 0)?,
                MentorPairing {
                    dossier_id: uuid_col(r, 1)?,
                    number: r.get(2)?,
                    holder_name: display_name(first.as_deref(), last.as_deref()),
                    start_on: date_col(r, 5)?.unwrap_or_default(),
                    end_on: date_col(r, 6)?,
                    meetings: r.get(7)?,
                },
            ))
        })?;
        let mut views: Vec<MentorView> = mentors
            .into_iter()
            .map(|mentor| MentorView {
                mentor,
                pairings: Vec::new(),
            })
            .collect();
        for row in rows {
            let (mentor, pairing) = row?;
            if let Some(view) = views.iter_mut().find(|v| v.mentor.id == mentor) {
                view.pairings.push(pairing);
            }
        }
        Ok(views)
    }

    /// Adds a mentor to the directory (`mentor_id` None) or records a new card of one (an
    /// edit, a deactivation).
    pub fn save_mentor(&mut self, mentor_id: Option<Uuid>, form: &MentorForm) -> Result<Mentor> {
        self.save_mentor_at(mentor_id, form, self.now())
    }

    /// `save_mentor` at a given time (demo data).
    pub(crate) fn save_mentor_at(
        &mut self,
        mentor_id: Option<Uuid>,
        form: &MentorForm,
        now: DateTime<Utc>,
    ) -> Result<Mentor> {
        let id = Uuid::now_v7();
        let card = form.card(mentor_id.unwrap_or(id));
        let problems = card.problems();
        if !problems.is_empty() {
            return Err(Error::Invalid(problems));
        }
        let tx = self.conn.transaction()?;
        if let Some(mentor) = mentor_id {
            if !load_mentors(&tx)?.iter().any(|m| m.id == mentor) {
                return Err(Error::NotFound {
                    what: "Parrain",
                    id: mentor.to_string(),
                });
            }
        }
        insert_mentor(&tx, id, &card, None)?;
        queue_created(&tx, "mentor", id, &card, now)?;
        let mentor = load_mentors(&tx)?
            .into_iter()
            .find(|m| m.id == card.mentor_id)
            .ok_or_else(|| super::internal("mentor not read back"))?;
        tx.commit()?;
        Ok(mentor)
    }

    /// Pairs an active mentor with a financed dossier from `start_on`.
    pub fn add_pairing(
        &mut self,
        dossier_id: Uuid,
        mentor_id: Uuid,
        start_on: NaiveDate,
        end_on: Option<NaiveDate>,
    ) -> Result<Dossier> {
        self.add_pairing_at(dossier_id, mentor_id, start_on, end_on, self.now())
    }

    /// `add_pairing` at a given time (demo data).
    pub(crate) fn add_pairing_at(
        &mut self,
        dossier_id: Uuid,
        mentor_id: Uuid,
        start_on: NaiveDate,
        end_on: Option<NaiveDate>,
        now: DateTime<Utc>,
    ) -> Result<Dossier> {
        let id = Uuid::now_v7();
        let draft = PairingDraft {
            pairing_id: id,
            mentor_id,
            start_on,
            end_on,
        };
        let mut problems = draft.problems();
        if start_on > local_day(now) {
            problems.insert(
                "start_on".into(),
                "Le parrainage s'enregistre une fois commencé : sa date de début ne peut pas \
                 suivre aujourd'hui."
                    .into(),
            );
        }
        if !problems.is_empty() {
            return Err(Error::Invalid(problems));
        }
        let tx = self.conn.transaction()?;
        let dossier = load_dossier(&tx, dossier_id, &self.settings)?;
        if !dossier.financed() {
            return Err(Error::field(
                "mentor_id",
                "Le parrainage accompagne une entreprise financée : il commence une fois le \
                 prêt d'honneur décaissé.",
            ));
        }
        match load_mentors(&tx)?.into_iter().find(|m| m.id == mentor_id) {
            None => return Err(Error::field("mentor_id", "Choisissez un parrain.")),
            Some(m) if !m.active => {
                return Err(Error::field(
                    "mentor_id",
                    format!("{} n'est plus parrain actif de la plateforme.", m.name),
                ))
            }
            Some(_) => {}
        }
        if let Some(running) = dossier.pairings.iter().find(|p| p.end_on.is_none()) {
            return Err(Error::field(
                "mentor_id",
                format!(
                    "Ce dossier est déjà parrainé par {} : terminez ce parrainage avant d'en \
                     commencer un autre.",
                    running.mentor_name
                ),
            ));
        }
        write_pairing(&tx, id, dossier_id, &draft, now)?;
        finish(&tx, dossier_id, now)?;
        let dossier = load_dossier(&tx, dossier_id, &self.settings)?;
        tx.commit()?;
        Ok(dossier)
    }

    /// Ends a pairing on `end_on`: a new version of it, its meetings kept.
    pub fn end_pairing(&mut self, pairing_id: Uuid, end_on: NaiveDate) -> Result<Dossier> {
        self.end_pairing_at(pairing_id, end_on, self.now())
    }

    /// `end_pairing` at a given time (demo data).
    pub(crate) fn end_pairing_at(
        &mut self,
        pairing_id: Uuid,
        end_on: NaiveDate,
        now: DateTime<Utc>,
    ) -> Result<Dossier> {
        let tx = self.conn.transaction()?;
        let (dossier_id, pairing) = find_pairing(&tx, pairing_id, &self.settings)?;
        let draft = PairingDraft {
            pairing_id,
            mentor_id: pairing.mentor_id,
            start_on: pairing.start_on,
            end_on: Some(end_on),
        };
        let problems = draft.problems();
        if !problems.is_empty() {
            return Err(Error::Invalid(problems));
        }
        if let Some(last) = pairing.meetings.iter().map(|m| m.met_on).max() {
            if end_on < last {
                return Err(Error::field(
                    "end_on",
                    format!(
                        "Une rencontre a eu lieu le {} : le parrainage ne peut pas finir avant.",
                        format_date(last)
                    ),
                ));
            }
        }
        write_pairing(&tx, Uuid::now_v7(), dossier_id, &draft, now)?;
        finish(&tx, dossier_id, now)?;
        let dossier = load_dossier(&tx, dossier_id, &self.settings)?;
        tx.commit()?;
        Ok(dossier)
    }

    /// Removes a pairing typed in error, with its meetings.
    pub fn remove_pairing(&mut self, pairing_id: Uuid) -> Result<Dossier> {
        let now = self.now();
        let tx = self.conn.transaction()?;
        let (dossier_id, _) = find_pairing(&tx, pairing_id, &self.settings)?;
        for (table, key) in [("mentor_meeting", "pairing_id"), ("pairing", "pairing_id")] {
            let ids = live_ids(&tx, table, key, &pairing_id.to_string())?;
            remove_rows(&tx, table, &ids, now)?;
        }
        finish(&tx, dossier_id, now)?;
        let dossier = load_dossier(&tx, dossier_id, &self.settings)?;
        tx.commit()?;
        Ok(dossier)
    }

    /// Records a meeting of a pairing.
    pub fn add_meeting(&mut self, draft: &MeetingDraft) -> Result<Dossier> {
        self.add_meeting_at(draft, self.now())
    }

    /// `add_meeting` at a given time (demo data).
    pub(crate) fn add_meeting_at(
        &mut self,
        draft: &MeetingDraft,
        now: DateTime<Utc>,
    ) -> Result<Dossier> {
        let mut problems = draft.problems();
        if draft.met_on > local_day(now) {
            problems.insert(
                "met_on".into(),
                "La rencontre ne peut pas être datée après aujourd'hui.".into(),
            );
        }
        if !problems.is_empty() {
            return Err(Error::Invalid(problems));
        }
        let tx = self.conn.transaction()?;
        let (dossier_id, pairing) = find_pairing(&tx, draft.pairing_id, &self.settings)?;
        if draft.met_on < pairing.start_on {
            return Err(Error::field(
                "met_on",
                format!(
                    "Le parrainage a commencé le {} : la rencontre ne peut pas le précéder.",
                    format_date(pairing.start_on)
                ),
            ));
        }
        if let Some(end) = pairing.end_on.filter(|end| draft.met_on > *end) {
            return Err(Error::field(
                "met_on",
                format!(
                    "Le parrainage a pris fin le {} : la rencontre ne peut pas le suivre.",
                    format_date(end)
                ),
            ));
        }
        let draft = MeetingDraft {
            note: draft.note.trim().to_owned(),
            ..draft.clone()
        };
        let id = Uuid::now_v7();
        insert_meeting(&tx, id, dossier_id, &draft, None)?;
        queue_created(&tx, "mentor_meeting", id, &draft, now)?;
        finish(&tx, dossier_id, now)?;
        let dossier = load_dossier(&tx, dossier_id, &self.settings)?;
        tx.commit()?;
        Ok(dossier)
    }

    /// Removes a meeting typed in error.
    pub fn remove_meeting(&mut self, meeting_id: Uuid) -> Result<Dossier> {
        let now = self.now();
        let tx = self.conn.transaction()?;
        let dossier: Option<String> = tx
            .query_row(
                "SELECT dossier_id FROM mentor_meeting WHERE id = ?1 AND deleted_at IS NULL",
                [meeting_id.to_string()],
                |r| r.get(0),
            )
            .optional()?;
        let Some(dossier_id) = dossier.and_then(|d| Uuid::parse_str(&d).ok()) else {
            return Err(Error::NotFound {
                what: "Rencontre",
                id: meeting_id.to_string(),
            });
        };
        remove_rows(&tx, "mentor_meeting", &[meeting_id], now)?;
        finish(&tx, dossier_id, now)?;
        let dossier = load_dossier(&tx, dossier_id, &self.settings)?;
        tx.commit()?;
        Ok(dossier)
    }

    /// The platform's workshops, the latest first.
    pub fn workshops(&self) -> Result<Vec<Workshop>> {
        load_workshops(&self.conn, None)
    }

    /// A workshop with the holders registered to it.
    pub fn workshop(&self, workshop_id: Uuid) -> Result<WorkshopView> {
        workshop_view(&self.conn, workshop_id)
    }

    /// Creates a workshop.
    pub fn create_workshop(&mut self, draft: &WorkshopDraft) -> Result<Workshop> {
        self.create_workshop_at(draft, self.now())
    }

    /// `create_workshop` at a given time (demo data).
    pub(crate) fn create_workshop_at(
        &mut self,
        draft: &WorkshopDraft,
        now: DateTime<Utc>,
    ) -> Result<Workshop> {
        let problems = draft.problems();
        if !problems.is_empty() {
            return Err(Error::Invalid(problems));
        }
        let draft = draft.trimmed();
        let id = Uuid::now_v7();
        let tx = self.conn.transaction()?;
        insert_workshop(&tx, id, &draft, None)?;
        queue_created(&tx, "workshop", id, &draft, now)?;
        let workshop = workshop_view(&tx, id)?.workshop;
        tx.commit()?;
        Ok(workshop)
    }

    /// Registers a holder to a workshop, within its capacity.
    pub fn register(&mut self, workshop_id: Uuid, holder_id: Uuid) -> Result<WorkshopView> {
        self.register_at(workshop_id, holder_id, false, self.now())
    }

    /// `register` at a given time, present or not (demo data).
    pub(crate) fn register_at(
        &mut self,
        workshop_id: Uuid,
        holder_id: Uuid,
        present: bool,
        now: DateTime<Utc>,
    ) -> Result<WorkshopView> {
        let tx = self.conn.transaction()?;
        let view = workshop_view(&tx, workshop_id)?;
        let dossier_id = owning_dossier(&tx, Entity::Holder, holder_id)
            .map_err(|_| Error::field("holder_id", "Choisissez un porteur de projet."))?;
        if let Some(already) = view
            .registrants
            .iter()
            .find(|r| r.attendance.holder_id == holder_id)
        {
            return Err(Error::field(
                "holder_id",
                format!(
                    "{} est déjà inscrit à cet atelier.",
                    already.attendance.holder_name
                ),
            ));
        }
        if view.workshop.registered >= view.workshop.capacity {
            return Err(Error::field(
                "holder_id",
                full_message(view.workshop.capacity),
            ));
        }
        if present {
            present_from(&view.workshop, local_day(now))?;
        }
        let draft = RegistrationDraft {
            workshop_id,
            holder_id,
            present,
        };
        write_registration(&tx, dossier_id, &draft, now)?;
        finish(&tx, dossier_id, now)?;
        let view = workshop_view(&tx, workshop_id)?;
        tx.commit()?;
        Ok(view)
    }

    /// Marks a registered holder present (or not): their registration is removed and
    /// recorded again.
    pub fn set_present(
        &mut self,
        workshop_id: Uuid,
        holder_id: Uuid,
        present: bool,
    ) -> Result<WorkshopView> {
        let now = self.now();
        let tx = self.conn.transaction()?;
        let view = workshop_view(&tx, workshop_id)?;
        let Some(registrant) = view
            .registrants
            .iter()
            .find(|r| r.attendance.holder_id == holder_id)
        else {
            return Err(Error::field(
                "holder_id",
                "Ce porteur n'est pas inscrit à cet atelier.",
            ));
        };
        if registrant.attendance.present == present {
            return Ok(view);
        }
        if present {
            present_from(&view.workshop, local_day(now))?;
        }
        let dossier_id = registrant.dossier_id;
        remove_rows(
            &tx,
            "workshop_registration",
            &registration_ids(&tx, workshop_id, holder_id)?,
            now,
        )?;
        let draft = RegistrationDraft {
            workshop_id,
            holder_id,
            present,
        };
        write_registration(&tx, dossier_id, &draft, now)?;
        finish(&tx, dossier_id, now)?;
        let view = workshop_view(&tx, workshop_id)?;
        tx.commit()?;
        Ok(view)
    }

    /// Takes a holder off a workshop's list.
    pub fn unregister(&mut self, workshop_id: Uuid, holder_id: Uuid) -> Result<WorkshopView> {
        let now = self.now();
        let tx = self.conn.transaction()?;
        let ids = registration_ids(&tx, workshop_id, holder_id)?;
        if ids.is_empty() {
            return Err(Error::field(
                "holder_id",
                "Ce porteur n'est pas inscrit à cet atelier.",
            ));
        }
        let dossier_id = owning_dossier(&tx, Entity::Holder, holder_id)?;
        remove_rows(&tx, "workshop_registration", &ids, now)?;
        finish(&tx, dossier_id, now)?;
        let view = workshop_view(&tx, workshop_id)?;
        tx.commit()?;
        Ok(view)
    }

    /// Holders of live dossiers whose name or dossier number holds `search` (at most 20).
    pub fn holder_choices(&self, search: &str) -> Result<Vec<HolderChoice>> {
        let pattern = format!("%{}%", search.trim().to_lowercase());
        let mut stmt = self.conn.prepare_cached(
            "SELECT d.id, d.number, h.id, h.first_name, h.last_name
             FROM holder h JOIN dossier d ON d.id = h.dossier_id AND d.deleted_at IS NULL
             WHERE lower(h.first_name || ' ' || h.last_name || ' ' || d.number) LIKE ?1
             ORDER BY h.last_name, h.first_name, d.number LIMIT 20",
        )?;
        let rows = stmt.query_map([pattern], |r| {
            let first: Option<String> = r.get(3)?;
            let last: Option<String> = r.get(4)?;
            Ok(HolderChoice {
                dossier_id: uuid_col(r, 0)?,
                number: r.get(1)?,
                holder_id: uuid_col(r, 2)?,
                holder_name: display_name(first.as_deref(), last.as_deref()),
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

/// Presence is marked from the workshop's day on.
fn present_from(workshop: &Workshop, today: NaiveDate) -> Result<()> {
    if workshop.held_on > today {
        return Err(Error::field(
            "present",
            format!(
                "La présence se note à partir du jour de l'atelier ({}).",
                format_date(workshop.held_on)
            ),
        ));
    }
    Ok(())
}

/// The dossier and the pairing (as read now) of a live pairing.
fn find_pairing(
    conn: &Connection,
    pairing_id: Uuid,
    settings: &permanence_domain::settings::PlatformSettings,
) -> Result<(Uuid, Pairing)> {
    let dossier: Option<String> = conn
        .query_row(
            "SELECT dossier_id FROM pairing WHERE pairing_id = ?1 AND deleted_at IS NULL LIMIT 1",
            [pairing_id.to_string()],
            |r| r.get(0),
        )
        .optional()?;
    let dossier_id = dossier.and_then(|d| Uuid::parse_str(&d).ok());
    let found = match dossier_id {
        Some(dossier_id) => load_dossier(conn, dossier_id, settings)?
            .pairings
            .into_iter()
            .find(|p| p.id == pairing_id)
            .map(|p| (dossier_id, p)),
        None => None,
    };
    found.ok_or_else(|| Error::NotFound {
        what: "Parrainage",
        id: pairing_id.to_string(),
    })
}

fn write_pairing(
    conn: &Connection,
    id: Uuid,
    dossier_id: Uuid,
    draft: &PairingDraft,
    now: DateTime<Utc>,
) -> Result<()> {
    insert_pairing(conn, id, dossier_id, draft, None)?;
    queue_created(conn, "pairing", id, draft, now)
}

fn write_registration(
    conn: &Connection,
    dossier_id: Uuid,
    draft: &RegistrationDraft,
    now: DateTime<Utc>,
) -> Result<()> {
    let id = Uuid::now_v7();
    insert_registration(conn, id, dossier_id, draft, None)?;
    queue_created(conn, "workshop_registration", id, draft, now)
}

/// The live rows of `table` whose `key` is `value`.
fn live_ids(conn: &Connection, table: &str, key: &str, value: &str) -> Result<Vec<Uuid>> {
    Ok(conn
        .prepare_cached(&format!(
            "SELECT id FROM {table} WHERE {key} = ?1 AND deleted_at IS NULL ORDER BY id"
        ))?
        .query_map([value], |r| uuid_col(r, 0))?
        .collect::<rusqlite::Result<_>>()?)
}

fn registration_ids(conn: &Connection, workshop_id: Uuid, holder_id: Uuid) -> Result<Vec<Uuid>> {
    Ok(conn
        .prepare_cached(
            "SELECT id FROM workshop_registration
             WHERE workshop_id = ?1 AND holder_id = ?2 AND deleted_at IS NULL ORDER BY id",
        )?
        .query_map(
            params![workshop_id.to_string(), holder_id.to_string()],
            |r| uuid_col(r, 0),
        )?
        .collect::<rusqlite::Result<_>>()?)
}

/// Tombstones `ids` of `table`, each with its outbox row (its dossier is found before the
/// row is marked).
fn remove_rows(conn: &Connection, table: &str, ids: &[Uuid], now: DateTime<Utc>) -> Result<()> {
    for id in ids {
        record_change(conn, table, *id, "delete", None, None, now)?;
        conn.execute(
            &format!("UPDATE {table} SET deleted_at = ?2 WHERE id = ?1"),
            params![id.to_string(), timestamp(now)],
        )?;
    }
    Ok(())
}

/// Writes a mentor's card, as recorded here or pulled (`added`: the creation's stamp, when
/// known now).
pub(super) fn insert_mentor(
    conn: &Connection,
    id: Uuid,
    card: &MentorCard,
    added: Option<Hlc>,
) -> Result<()> {
    let commune = reference::commune(&card.commune_insee).map_or("", |c| c.name);
    conn.prepare_cached(
        "INSERT OR IGNORE INTO mentor (id, mentor_id, name, trade, commune_insee, commune,
                                       availability, active, added_hlc)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?
    .execute(params![
        id.to_string(),
        card.mentor_id.to_string(),
        card.name,
        card.trade,
        card.commune_insee,
        commune,
        card.availability,
        card.active,
        added.map(|h| h.to_string())
    ])?;
    Ok(())
}

/// Writes a pairing's version, as recorded here or pulled.
pub(super) fn insert_pairing(
    conn: &Connection,
    id: Uuid,
    dossier_id: Uuid,
    draft: &PairingDraft,
    added: Option<Hlc>,
) -> Result<()> {
    conn.prepare_cached(
        "INSERT OR IGNORE INTO pairing (id, pairing_id, dossier_id, mentor_id, start_on, end_on,
                                        added_hlc)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        id.to_string(),
        draft.pairing_id.to_string(),
        dossier_id.to_string(),
        draft.mentor_id.to_string(),
        draft.start_on.to_string(),
        draft.end_on.map(|d| d.to_string()),
        added.map(|h| h.to_string())
    ])?;
    Ok(())
}

/// Writes a meeting, as recorded here or pulled.
pub(super) fn insert_meeting(
    conn: &Connection,
    id: Uuid,
    dossier_id: Uuid,
    draft: &MeetingDraft,
    added: Option<Hlc>,
) -> Result<()> {
    conn.prepare_cached(
        "INSERT OR IGNORE INTO mentor_meeting (id, pairing_id, dossier_id, met_on, note,
                                               added_hlc)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        id.to_string(),
        draft.pairing_id.to_string(),
        dossier_id.to_string(),
        draft.met_on.to_string(),
        draft.note,
        added.map(|h| h.to_string())
    ])?;
    Ok(())
}

/// Writes a workshop, as recorded here or pulled.
pub(super) fn insert_workshop(
    conn: &Connection,
    id: Uuid,
    draft: &WorkshopDraft,
    added: Option<Hlc>,
) -> Result<()> {
    conn.prepare_cached(
        "INSERT OR IGNORE INTO workshop (id, held_on, theme, place, capacity, added_hlc)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        id.to_string(),
        draft.held_on.to_string(),
        draft.theme,
        draft.place,
        draft.capacity,
        added.map(|h| h.to_string())
    ])?;
    Ok(())
}

/// Writes a registration, as recorded here or pulled.
pub(super) fn insert_registration(
    conn: &Connection,
    id: Uuid,
    dossier_id: Uuid,
    draft: &RegistrationDraft,
    added: Option<Hlc>,
) -> Result<()> {
    conn.prepare_cached(
        "INSERT OR IGNORE INTO workshop_registration (id, workshop_id, dossier_id, holder_id,
                                                      present, added_hlc)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        id.to_string(),
        draft.workshop_id.to_string(),
        dossier_id.to_string(),
        draft.holder_id.to_string(),
        draft.present,
        added.map(|h| h.to_string())
    ])?;
    Ok(())
}

fn load_mentors(conn: &Connection) -> Result<Vec<Mentor>> {
    Ok(conn
        .prepare_cached(&format!(
            "{CARDS} SELECT mentor_id, name, trade, commune_insee, commune, availability, active
             FROM card WHERE n = 1 ORDER BY name COLLATE NOCASE, mentor_id"
        ))?
        .query_map([], |r| {
            Ok(Mentor {
                id: uuid_col(r, 0)?,
                name: r.get(1)?,
                trade: r.get(2)?,
                commune_insee: r.get(3)?,
                commune: r.get(4)?,
                availability: r.get(5)?,
                active: r.get(6)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?)
}

/// A dossier's pairings (each its latest version) with their meetings, the earliest first.
pub(super) fn load_pairings(conn: &Connection, key: &str) -> Result<Vec<Pairing>> {
    let mut pairings: Vec<Pairing> = conn
        .prepare_cached(
            "WITH version AS (
                SELECT *, row_number() OVER (PARTITION BY pairing_id
                                             ORDER BY added_hlc DESC, id DESC) AS n
                FROM pairing WHERE dossier_id = ?1 AND deleted_at IS NULL),
             card AS (
                SELECT *, row_number() OVER (PARTITION BY mentor_id
                                             ORDER BY added_hlc DESC, id DESC) AS n
                FROM mentor
                WHERE deleted_at IS NULL AND mentor_id IN (SELECT mentor_id FROM version))
             SELECT v.pairing_id, v.mentor_id, coalesce(c.name, ''), v.start_on, v.end_on
             FROM version v LEFT JOIN card c ON c.mentor_id = v.mentor_id AND c.n = 1
             WHERE v.n = 1 ORDER BY v.start_on, v.pairing_id",
        )?
        .query_map([key], |r| {
            Ok(Pairing {
                id: uuid_col(r, 0)?,
                mentor_id: uuid_col(r, 1)?,
                mentor_name: r.get(2)?,
                start_on: date_col(r, 3)?.unwrap_or_default(),
                end_on: date_col(r, 4)?,
                meetings: Vec::new(),
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut stmt = conn.prepare_cached(
        "SELECT pairing_id, id, met_on, note FROM mentor_meeting
         WHERE dossier_id = ?1 AND deleted_at IS NULL ORDER BY met_on, added_hlc, id",
    )?;
    let meetings = stmt.query_map([key], |r| {
        Ok((
            uuid_col(r, 0)?,
            Meeting {
                id: uuid_col(r, 1)?,
                met_on: date_col(r, 2)?.unwrap_or_default(),
                note: r.get(3)?,
            },
        ))
    })?;
    for row in meetings {
        let (pairing, meeting) = row?;
        if let Some(p) = pairings.iter_mut().find(|p| p.id == pairing) {
            p.meetings.push(meeting);
        }
    }
    Ok(pairings)
}

/// A dossier's workshop registrations (one per holder and workshop), the earliest workshop
/// first.
pub(super) fn load_attendance(conn: &Connection, key: &str) -> Result<Vec<Attendance>> {
    Ok(registrants(conn, "dossier_id", key)?
        .into_iter()
        .map(|r| r.attendance)
        .collect())
}

/// The registrants (each holder's latest registration) of one dossier or one workshop:
/// `column` is `dossier_id` or `workshop_id`. A holder's registrations to a workshop are all
/// of the holder's dossier, so filtering before picking the latest picks the same one.
fn registrants(conn: &Connection, column: &str, key: &str) -> Result<Vec<Registrant>> {
    Ok(conn
        .prepare_cached(&format!(
            "WITH reg AS (
                SELECT *, row_number() OVER (PARTITION BY workshop_id, holder_id
                                             ORDER BY added_hlc DESC, id DESC) AS n
                FROM workshop_registration WHERE deleted_at IS NULL AND {column} = ?1)
             SELECT reg.id, reg.workshop_id, w.held_on, w.theme, reg.holder_id, h.first_name,
                    h.last_name, reg.present, reg.dossier_id, d.number
             FROM reg JOIN workshop w ON w.id = reg.workshop_id
             JOIN dossier d ON d.id = reg.dossier_id AND d.deleted_at IS NULL
             LEFT JOIN holder h ON h.id = reg.holder_id
             WHERE reg.n = 1
             ORDER BY w.held_on, w.id, d.number, h.last_name, h.first_name, reg.holder_id"
        ))?
        .query_map([key], |r| {
            let first: Option<String> = r.get(5)?;
            let last: Option<String> = r.get(6)?;
            Ok(Registrant {
                dossier_id: uuid_col(r, 8)?,
                number: r.get(9)?,
                attendance: Attendance {
                    registration_id: uuid_col(r, 0)?,
                    workshop_id: uuid_col(r, 1)?,
                    held_on: date_col(r, 2)?.unwrap_or_default(),
                    theme: r.get(3)?,
                    holder_id: uuid_col(r, 4)?,
                    holder_name: display_name(first.as_deref(), last.as_deref()),
                    present: r.get(7)?,
                },
            })
        })?
        .collect::<rusqlite::Result<_>>()?)
}

/// Workshops (one, or all) with their counts, the latest first.
fn load_workshops(conn: &Connection, only: Option<Uuid>) -> Result<Vec<Workshop>> {
    Ok(conn
        .prepare_cached(&format!(
            "{REGISTRATIONS}
             SELECT w.id, w.held_on, w.theme, w.place, w.capacity,
                    (SELECT count(*) FROM reg JOIN dossier d ON d.id = reg.dossier_id
                     WHERE reg.n = 1 AND reg.workshop_id = w.id AND d.deleted_at IS NULL),
                    (SELECT count(*) FROM reg JOIN dossier d ON d.id = reg.dossier_id
                     WHERE reg.n = 1 AND reg.workshop_id = w.id AND reg.present = 1
                       AND d.deleted_at IS NULL)
             FROM workshop w
             WHERE w.deleted_at IS NULL AND (?1 IS NULL OR w.id = ?1)
             ORDER BY w.held_on DESC, w.id DESC"
        ))?
        .query_map([only.map(|id| id.to_string())], |r| {
            Ok(Workshop {
                id: uuid_col(r, 0)?,
                held_on: date_col(r, 1)?.unwrap_or_default(),
                theme: r.get(2)?,
                place: r.get(3)?,
                capacity: r.get(4)?,
                registered: r.get(5)?,
                present: r.get(6)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?)
}

fn workshop_view(conn: &Connection, workshop_id: Uuid) -> Result<WorkshopView> {
    let workshop = load_workshops(conn, Some(workshop_id))?
        .into_iter()
        .next()
        .ok_or_else(|| Error::NotFound {
            what: "Atelier",
            id: workshop_id.to_string(),
        })?;
    let registrants = registrants(conn, "workshop_id", &workshop_id.to_string())?;
    Ok(WorkshopView {
        workshop,
        registrants,
    })
}
