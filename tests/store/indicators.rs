//! The platform's figures from dossiers imported into a store: a fixture built from the 2016
//! annual report of a platform (126 project holders supported, 357 jobs, 867 000 € of honour
//! loans, a bank leverage of 1 to 11, activity up 20 % on the year before) gives those figures
//! back; dossiers of other years and refused ones do not count.

use chrono::Days;
use permanence_domain::codes::DossierStatus;
use permanence_domain::indicators::Facts;
use permanence_domain::mentoring::MentorForm;
use permanence_domain::workshop::WorkshopDraft;

use crate::helpers::{TestStore, FRUGES};

/// The dossiers of the 2016 annual report (`permanence::demo::fill_2016`).
fn fixture_2016(t: &mut TestStore) {
    permanence::demo::fill_2016(&mut t.store).unwrap();
}

#[test]
fn the_2016_figures_come_back_from_an_import_of_their_dossiers() {
    let mut t = TestStore::new();
    fixture_2016(&mut t);
    let i = t.store.indicators(2016, None).unwrap();
    let f = &i.current;
    assert_eq!(f.welcomed.count, 300);
    assert_eq!(f.in_progress.count, 197);
    assert_eq!(f.presented.count, 103);
    assert_eq!(f.financed.count, 100);
    assert_eq!(f.businesses_supported, 100);
    assert_eq!(f.honour_loans, 126, "loans are per person");
    assert_eq!(f.committed_cents, 867_000_00);
    assert_eq!(f.average_loan_cents, Some(867_000_00 / 126));
    assert_eq!(f.bank_loans_cents, 9_537_000_00);
    assert_eq!(f.leverage.map(|l| (l * 100.0).round()), Some(1100.0));
    assert_eq!(f.coupling.rate_bp, Some(10_000));
    assert_eq!(f.jobs_created, 357);
    assert_eq!(
        (f.survival.part, f.survival.of, f.survival.rate_bp),
        (91, 100, Some(9_100)),
        "91 % of the businesses financed in 2013 active at 36 months"
    );
    assert_eq!(f.survival.dossiers.len(), 91);
    assert_eq!(f.survival_unknown.count, 4);
    assert_eq!(f.capture.rate_bp, Some(3_003), "100 of the territory's 333");
    // Loans signed in 2016 have a year of deferral: nothing fell due, nothing is late.
    assert_eq!((f.due_cents, f.overdue_cents), (0, 0));
    assert_eq!(f.repayment.rate_bp, None);
    let rows = i.rows();
    let row = |key: &str| rows.iter().find(|r| r.key == key).unwrap().clone();
    assert_eq!(row("survival").now, "91\u{a0}%");
    assert_eq!(row("capture").now, "30,03\u{a0}%");
    assert_eq!(row("capture").before, "—", "no territory figure for 2015");
    assert_eq!(row("committed").now, "867\u{202f}000\u{a0}€");
    assert_eq!(row("committed").dossiers, f.financed.dossiers);
    // A figure opens its dossiers' list lines.
    let behind = t
        .store
        .dossier_summaries(&row("survival").dossiers)
        .unwrap();
    assert_eq!(behind.len(), 91);
    assert!(behind
        .iter()
        .all(|d| d.opened_on.to_string().starts_with("2013")));
    assert_eq!(i.previous.welcomed.count, 250);
    assert_eq!(i.activity_change_bp, Some(2_000), "+20 % on 2015");
    // Every figure names the dossiers behind it.
    assert_eq!(f.financed.dossiers.len(), 100);

    // Year to date: the first half of 2016 against the first half of 2015.
    let half = t
        .store
        .indicators(2016, chrono::NaiveDate::from_ymd_opt(2016, 6, 30))
        .unwrap();
    assert_eq!(half.current.period.unwrap().to.to_string(), "2016-06-30");
    assert!(half.current.welcomed.count < 300 && half.current.welcomed.count > 0);
    assert_eq!(half.previous.period.unwrap().to.to_string(), "2015-06-30");
    // A year with nothing: zeros, no rate made up.
    let empty = t.store.indicators(2010, None).unwrap();
    assert_eq!(empty.current.financed.count, 0);
    assert_eq!(empty.current.average_loan_cents, None);
    assert_eq!(empty.current.leverage, None);
    assert_eq!(empty.activity_change_bp, None);
}

#[test]
fn repayment_figures_add_up_what_each_loan_says_of_itself_today() {
    let mut t = TestStore::new();
    let today = t.store.clock().today();
    permanence::demo::fill(&mut t.store, 120, 11, today).unwrap();
    let grace = t.store.settings().loan_rules.grace_days;
    let (mut overdue, mut late, mut repaid, mut loans) = (0, 0, 0, 0);
    for summary in t.all() {
        for loan in t.store.get_dossier(summary.id).unwrap().loans {
            let state = loan.state(today, grace);
            loans += 1;
            overdue += state.overdue_cents;
            repaid += state.repaid_cents;
            late += i64::from(state.overdue_cents > 0);
        }
    }
    assert!(loans > 0, "the demo follows its financed dossiers' loans");
    let year = chrono::Datelike::year(&today);
    let f = t.store.indicators(year, None).unwrap().current;
    assert_eq!(f.overdue_cents, overdue);
    assert_eq!(f.repaid_cents, repaid);
    assert_eq!(f.late_loans.count, late);
    let rate = f.repayment.rate_bp.expect("instalments have fallen due");
    assert!(rate > 0 && rate <= 10_000, "{rate}");
}

#[test]
fn the_stores_projection_reads_what_every_dossier_says_whole() {
    // The figures read a projection loaded table by table; it must say of each dossier
    // exactly what the dossier, loaded whole, says (every field the figures read).
    let (mut t, today) = crate::helpers::demo();
    // Read once before the writes below: what is read after must not be what was kept.
    let before = t.store.facts().unwrap();
    // Whatever the demo holds, one business paired with a mentor and a workshop held today
    // with two holders registered, one present.
    let mentor = t
        .store
        .save_mentor(
            None,
            &MentorForm {
                name: "Jean Lefèvre".into(),
                trade: "Comptable retraité".into(),
                commune_insee: FRUGES.into(),
                availability: String::new(),
                active: true,
            },
        )
        .unwrap();
    let financed = crate::helpers::with_status(&t, DossierStatus::EnRemboursement);
    if financed.pairings.is_empty() {
        let start = financed.committee_date.unwrap_or(today).min(today);
        t.store
            .add_pairing(financed.id, mentor.id, start, None)
            .unwrap();
    }
    let workshop = t
        .store
        .create_workshop(&WorkshopDraft {
            held_on: today,
            theme: "Tenir sa trésorerie".into(),
            place: "Mairie de Fruges".into(),
            capacity: 10,
        })
        .unwrap();
    let holders = t.store.holder_choices("").unwrap();
    for h in &holders[..2] {
        t.store.register(workshop.id, h.holder_id).unwrap();
    }
    t.store
        .set_present(workshop.id, holders[0].holder_id, true)
        .unwrap();

    let whole: Vec<Facts> = t
        .all()
        .iter()
        .map(|d| Facts::from(&t.store.get_dossier(d.id).unwrap()))
        .collect();
    let mut light = (*t.store.facts().unwrap()).clone();
    assert_ne!(
        *before, light,
        "the writes are read, not the projection kept before them"
    );
    let mut whole = whole;
    light.sort_by_key(|f| f.id);
    whole.sort_by_key(|f| f.id);
    assert_eq!(light, whole);
    assert!(
        light.iter().any(|f| f.paired_since.is_some())
            && light.iter().any(|f| !f.workshops.is_empty()),
        "the demo pairs mentors and fills workshops"
    );

    // Mentoring and workshop attendance, counted by hand from the dossiers whole.
    let year = chrono::Datelike::year(&today);
    let f = t.store.indicators(year, None).unwrap().current;
    let period = f.period.unwrap();
    let financed: Vec<&Facts> = whole
        .iter()
        .filter(|d| d.granted() && d.committee_date.is_some_and(|c| period.contains(c)))
        .collect();
    let paired = financed
        .iter()
        .filter(|d| d.paired_since.is_some_and(|s| s <= today))
        .count() as i64;
    assert_eq!(
        (f.mentoring.part, f.mentoring.of),
        (paired, financed.len() as i64)
    );
    let held: Vec<_> = whole
        .iter()
        .flat_map(|d| &d.workshops)
        .filter(|w| period.contains(w.held_on))
        .collect();
    let present = held.iter().filter(|w| w.present).count() as i64;
    assert_eq!(
        (f.workshop_attendance.part, f.workshop_attendance.of),
        (present, held.len() as i64)
    );
}

#[test]
fn a_demo_history_gives_every_year_figures_and_old_dossiers_an_outcome() {
    let mut t = TestStore::new();
    let today = t.store.clock().today();
    let since = chrono::Datelike::year(&today) - 6;
    permanence::demo::fill_since(&mut t.store, 120, 5, today, since).unwrap();
    // Every whole year (this one may be a few days old).
    let years: Vec<_> = (since..chrono::Datelike::year(&today))
        .map(|y| t.store.indicators(y, None).unwrap().current)
        .collect();
    let welcomed: Vec<i64> = years.iter().map(|f| f.welcomed.count).collect();
    assert!(
        welcomed.iter().all(|n| *n > 0),
        "every year of the history has its dossiers: {welcomed:?}"
    );
    assert!(
        years.iter().any(|f| f.survival.of > 0),
        "businesses reach 36 months"
    );
    let facts = t.store.facts().unwrap();
    let long_ago = today - Days::new(548);
    for f in facts.iter().filter(|f| f.opened_on < long_ago) {
        assert!(
            matches!(
                f.status,
                DossierStatus::EnRemboursement
                    | DossierStatus::Decaisse
                    | DossierStatus::Ajourne
                    | DossierStatus::Abandonne
            ),
            "an old dossier is through the pipeline: {:?}",
            f.status
        );
    }
    let checkpoints: Vec<_> = facts.iter().flat_map(|f| &f.checkpoints).collect();
    assert!(checkpoints.iter().any(|c| c.month == 36));
    assert!(checkpoints.iter().all(|c| c.held_on <= today));
    // Repaid instalment by instalment up to today; what stopped long ago is written off.
    let movements: Vec<_> = facts
        .iter()
        .flat_map(|f| &f.loans)
        .flat_map(|l| &l.movements)
        .collect();
    assert!(movements.iter().all(|m| m.on <= today));
    assert!(movements
        .iter()
        .any(|m| m.kind == permanence_domain::codes::MovementKind::WriteOff));
    // An unknown year is refused in French.
    assert!(permanence::demo::fill_since(&mut t.store, 1, 5, today, 2999).is_err());
}
