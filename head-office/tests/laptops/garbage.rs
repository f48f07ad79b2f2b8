//! One laptop of a platform pushes garbage among valid changes (a broken or forged client):
//! the head office refuses each piece alone, and the platform's other laptops go on syncing,
//! end equal, and list their dossiers.

use permanence::field::Entity;
use permanence::sync::protocol::{Change, ChangeOp, Outcome};
use permanence::sync::Hlc;
use rand09::seq::IndexedRandom;
use rand09::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde_json::{json, Value};
use uuid::Uuid;

use crate::helpers::{comparable, HeadOfficeServer, Laptop};

/// A forger's numbering and clock, on its own device.
struct Forger {
    laptop: Laptop,
    seq: i64,
    hlc: Hlc,
}

impl Forger {
    #[allow(clippy::too_many_arguments)] // one per field of the wire change
    fn change(
        &mut self,
        entity: &str,
        id: Uuid,
        dossier: Option<Uuid>,
        op: ChangeOp,
        field: Option<&str>,
        value: Option<Value>,
    ) -> Change {
        self.seq += 1;
        self.hlc = self.hlc.tick(permanence::clock::now().timestamp_millis());
        Change {
            change_id: Uuid::now_v7(),
            device_seq: self.seq,
            entity: entity.into(),
            entity_id: id,
            dossier_id: dossier,
            op,
            field: field.map(str::to_owned),
            value,
            base_version: None,
            hlc: self.hlc,
        }
    }

    /// One piece of garbage about the dossier `d` (with holder `h`) or the other one `o`.
    fn garbage(&mut self, rng: &mut ChaCha8Rng, d: Uuid, h: Uuid, o: Uuid) -> Change {
        let set = ChangeOp::SetField;
        match rng.random_range(0..11) {
            0 => self.change(
                "dossier",
                Uuid::now_v7(),
                None,
                ChangeOp::Create,
                None,
                Some(json!({"x": 1})),
            ),
            1 => self.change(
                "dossier",
                d,
                Some(d),
                set,
                Some("status"),
                Some(json!("n_importe_quoi")),
            ),
            2 => self.change(
                "dossier",
                d,
                Some(d),
                set,
                Some("status"),
                Some(json!("solde")),
            ),
            3 => self.change(
                "financing_line",
                Uuid::now_v7(),
                Some(d),
                ChangeOp::Create,
                None,
                Some(json!({"category": "nope"})),
            ),
            4 => self.change(
                "virus",
                Uuid::now_v7(),
                Some(d),
                ChangeOp::Create,
                None,
                Some(json!({})),
            ),
            5 => self.change(
                "holder",
                h,
                Some(d),
                set,
                Some("last_name"),
                Some(json!("Ca\u{0}ron")),
            ),
            6 => self.change(
                "business",
                d,
                Some(d),
                set,
                Some("name"),
                Some(json!("x".repeat(6_000))),
            ),
            7 => {
                let mut c = self.change(
                    "dossier",
                    d,
                    Some(d),
                    set,
                    Some("idea"),
                    Some(json!("Avance")),
                );
                c.hlc.millis = i64::MAX;
                c
            }
            8 => self.change(
                "holder",
                h,
                Some(o),
                set,
                Some("first_name"),
                Some(json!("Ailleurs")),
            ),
            9 => self.change(
                "note",
                Uuid::now_v7(),
                Some(d),
                ChangeOp::AddNote,
                None,
                Some(json!({"body": "", "author": "?"})),
            ),
            _ => self.change(
                "dossier",
                d,
                Some(d),
                set,
                Some("siret"),
                Some(json!("73282932000079")),
            ),
        }
    }
}

#[test]
fn garbage_pushed_among_valid_changes_leaves_the_other_laptops_equal_and_working() {
    let office = HeadOfficeServer::start();
    let mut claire = office.laptop("claire");
    let mut nadia = office.laptop("nadia");
    let mut forger = Forger {
        laptop: office.laptop("claire"),
        seq: 0,
        hlc: Hlc::zero(Uuid::nil()),
    };
    forger.hlc = Hlc::zero(forger.laptop.device_id);
    let mut rng = ChaCha8Rng::seed_from_u64(62);

    let a = claire.create("Caron");
    let b = nadia.create("Lenoir");
    claire.sync().unwrap();
    nadia.sync().unwrap();
    claire.sync().unwrap();
    let ideas = ["Garage", "Épicerie", "Boulangerie", "Fleuriste"];
    for round in 0..6 {
        // Valid edits on both laptops.
        claire.set(
            Entity::Dossier,
            a.id,
            "idea",
            json!(ideas.choose(&mut rng).unwrap()),
        );
        nadia.set(
            Entity::Business,
            b.id,
            "name",
            json!(format!("Atelier {round}")),
        );
        // Garbage, with one valid change among it.
        let mut batch: Vec<Change> = (0..8)
            .map(|_| forger.garbage(&mut rng, a.id, a.holders[0].id, b.id))
            .collect();
        batch.push(forger.change(
            "dossier",
            b.id,
            Some(b.id),
            ChangeOp::SetField,
            Some("heard_of_us"),
            Some(json!(format!("Salon {round}"))),
        ));
        let response = forger.laptop.push_raw(batch).expect("every piece answered");
        let outcomes: Vec<Outcome> = response.results.iter().map(|r| r.outcome).collect();
        assert_eq!(
            outcomes.iter().filter(|o| **o == Outcome::Rejected).count(),
            8,
            "{:?}",
            response.results
        );
        assert!(
            response.server_hlc.millis < i64::MAX / 2,
            "no clock was moved"
        );
        claire.sync().expect("claire's sync goes on");
        nadia.sync().expect("nadia's sync goes on");
    }
    claire.sync().unwrap();
    nadia.sync().unwrap();

    let (mine, theirs) = (claire.dossiers(), nadia.dossiers());
    assert_eq!(mine.len(), 2, "no junk dossier");
    assert_eq!(comparable(&mine), comparable(&theirs));
    let seen = nadia.store.get_dossier(b.id).unwrap();
    assert_eq!(
        seen.heard_of_us, "Salon 5",
        "the forger's valid change applied"
    );
    assert_eq!(seen.holders[0].last_name, "Lenoir");
    assert_eq!(seen.status.as_str(), "premier_contact");
    assert!(
        claire.store.list_refused().unwrap().is_empty(),
        "nothing set aside"
    );
}
