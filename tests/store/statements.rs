//! The platform's bank statement imported as repayments: credits matched to loans by their
//! reference or their holder's name and amount due, recorded in one transaction with their
//! outbox rows; the same file imported again changes nothing, and a file with a bad line is
//! refused whole.

use chrono::{Duration, NaiveDate};
use permanence::codes::{DossierStatus, MovementKind};
use permanence::dates::format_date;
use permanence::dossier::Dossier;
use permanence::ledger::{LoanAgreement, LoanMovement, MovementDraft};
use permanence::statement::{
    movement_id, ImportReport, MatchedBy, StatementLine, StatementMapping,
};
use permanence::Error;
use uuid::Uuid;

use crate::helpers::TestStore;

/// The statuses of a dossier whose loan was granted.
const GRANTED: [DossierStatus; 4] = [
    DossierStatus::Accorde,
    DossierStatus::Decaisse,
    DossierStatus::EnRemboursement,
    DossierStatus::Solde,
];

/// A granted dossier's first holder with a signed and disbursed loan.
struct Granted {
    dossier: Uuid,
    loan: Uuid,
    last_name: String,
}

/// Demo data, and two granted dossiers each with a loan disbursed 200 days ago: 3 333 € over
/// 30 months, 111,10 € a month.
fn two_loans() -> (TestStore, NaiveDate, Vec<Granted>) {
    let mut t = TestStore::new();
    let today = t.store.clock().today();
    permanence::demo::fill(&mut t.store, 30, 7, today).unwrap();
    // Granted dossiers ("accordé" first) with no loan yet, of holders of different names, so
    // that a name tells one loan.
    let mut summaries = t.all();
    summaries.sort_by_key(|d| d.status != DossierStatus::Accorde);
    let mut names = std::collections::HashSet::new();
    let granted: Vec<Dossier> = summaries
        .into_iter()
        .filter(|d| GRANTED.contains(&d.status))
        .map(|d| t.store.get_dossier(d.id).unwrap())
        .filter(|d| d.loans.is_empty() && names.insert(d.holders[0].last_name.to_lowercase()))
        .take(2)
        .collect();
    assert_eq!(
        granted.len(),
        2,
        "the demo has two granted dossiers of different holders"
    );
    let signed = today - Duration::days(200);
    let mut loans = Vec::new();
    for (n, d) in granted.iter().enumerate() {
        let holder = &d.holders[0];
        let with_loan = t
            .store
            .add_loan(
                d.id,
                &LoanAgreement {
                    holder_id: holder.id,
                    amount_cents: 3_333_00,
                    months: 30,
                    deferral_months: 0,
                    signed_on: signed,
                    reference: format!("PH-TEST-000{}", n + 1),
                },
            )
            .unwrap();
        let loan = with_loan.loans[0].id;
        t.store
            .add_loan_movement(&MovementDraft {
                loan_id: loan,
                kind: MovementKind::Disbursement,
                on: signed,
                amount_cents: 3_333_00,
                months: None,
                deferral_months: None,
                note: String::new(),
            })
            .unwrap();
        loans.push(Granted {
            dossier: d.id,
            loan,
            last_name: holder.last_name.clone(),
        });
    }
    (t, today, loans)
}

/// The statement of the two loans: two instalments of the first by its reference, one of the
/// second by its reference written another way, then its next one by its holder's name and
/// the amount; then 111,10 € citing both holders (both owe that much next), a cheque nobody
/// can be told from, and a debit.
fn statement(today: NaiveDate, loans: &[Granted]) -> String {
    let day = |n: i64| format_date(today - Duration::days(n));
    let (a, b) = (&loans[0], &loans[1]);
    format!(
        "Date opération;Date valeur;Libellé de l'opération;Débit;Crédit\r\n\
         {};{};VIR SEPA REMB PRET PH-TEST-0001 {};;222,20\r\n\
         {};{};VIR SEPA ph test 0002;;111,10\r\n\
         {};{};VIR SEPA M {};;111,10\r\n\
         {};{};VIR {} {};;111,10\r\n\
         {};{};REMISE CHEQUE 4412871;;1\u{a0}250,00\r\n\
         {};{};FRAIS TENUE DE COMPTE;12,50;\r\n",
        day(9),
        day(8),
        a.last_name.to_uppercase(),
        day(8),
        day(8),
        day(7),
        day(6),
        b.last_name.to_uppercase(),
        day(5),
        day(5),
        a.last_name.to_uppercase(),
        b.last_name.to_uppercase(),
        day(4),
        day(4),
        day(3),
        day(3),
    )
}

fn movements(t: &TestStore, loan: &Granted) -> Vec<LoanMovement> {
    t.store.get_dossier(loan.dossier).unwrap().loans[0]
        .movements
        .clone()
}

fn repaid(t: &TestStore, today: NaiveDate, loan: &Granted) -> i64 {
    let dossier = t.store.get_dossier(loan.dossier).unwrap();
    dossier.loans[0].state(today, 15).repaid_cents
}

fn lines(report: &[permanence::statement::ReportLine]) -> Vec<u64> {
    report.iter().map(|l| l.line).collect()
}

#[test]
fn a_statement_records_the_repayments_it_recognises_and_lists_the_rest() {
    let (mut t, today, loans) = two_loans();
    let before = t.store.pending_changes().unwrap();
    let file = statement(today, &loans);

    let report = t.store.import_statement(file.as_bytes(), None).unwrap();

    let recorded: Vec<(u64, Uuid, i64, MatchedBy)> = report
        .recorded
        .iter()
        .map(|m| (m.line, m.loan_id, m.amount_cents, m.matched_by))
        .collect();
    assert_eq!(
        recorded,
        vec![
            (2, loans[0].loan, 222_20, MatchedBy::Reference),
            (3, loans[1].loan, 111_10, MatchedBy::Reference),
            (4, loans[1].loan, 111_10, MatchedBy::HolderAndAmount),
        ],
        "two repayments by their reference, one by its holder's name and amount"
    );
    assert_eq!(lines(&report.not_matched), vec![5, 6]);
    assert!(
        report.not_matched[0]
            .reason
            .starts_with("Le montant correspond aux échéances de plusieurs prêts ("),
        "{}",
        report.not_matched[0].reason
    );
    assert!(report.not_matched[0].reason.contains("PH-TEST-0001"));
    assert!(report.not_matched[0].reason.contains("PH-TEST-0002"));
    assert_eq!(report.not_matched[1].amount_cents, 1_250_00);
    assert!(
        report.not_matched[1]
            .reason
            .starts_with("Aucun prêt reconnu"),
        "{}",
        report.not_matched[1].reason
    );
    assert_eq!(lines(&report.ignored), vec![7]);
    assert_eq!(report.ignored[0].amount_cents, -12_50);
    assert!(report.already_imported.is_empty());

    // One outbox row per repayment, and the loans' states count them.
    assert_eq!(t.store.pending_changes().unwrap(), before + 3);
    assert_eq!(repaid(&t, today, &loans[0]), 222_20);
    assert_eq!(repaid(&t, today, &loans[1]), 222_20);
    let first = movements(&t, &loans[0]);
    let repayment = first
        .iter()
        .find(|m| m.kind == MovementKind::Repayment)
        .expect("the first loan's repayment");
    let line = StatementLine {
        number: 2,
        on: today - Duration::days(9),
        amount_cents: 222_20,
        label: format!(
            "VIR SEPA REMB PRET PH-TEST-0001 {}",
            loans[0].last_name.to_uppercase()
        ),
        reference: String::new(),
    };
    assert_eq!(
        repayment.id,
        movement_id(loans[0].loan, &line, 1),
        "the repayment's id comes from its line"
    );
    assert_eq!(repayment.on, line.on);
    assert_eq!(repayment.note, line.label);
}

#[test]
fn the_same_statement_imported_again_changes_nothing() {
    let (mut t, today, loans) = two_loans();
    let file = statement(today, &loans);
    let first = t.store.import_statement(file.as_bytes(), None).unwrap();
    let pending = t.store.pending_changes().unwrap();
    let before: Vec<Vec<LoanMovement>> = loans.iter().map(|l| movements(&t, l)).collect();

    let mut t = t.reopen();
    let again = t.store.import_statement(file.as_bytes(), None).unwrap();

    assert!(again.recorded.is_empty(), "{:?}", again.recorded);
    assert_eq!(lines(&again.already_imported), vec![2, 3, 4]);
    assert!(again.already_imported[0].reason.contains("PH-TEST-0001"));
    assert_eq!(
        lines(&again.not_matched),
        lines(&first.not_matched),
        "what was left is left again"
    );
    assert_eq!(lines(&again.ignored), vec![7]);
    assert_eq!(t.store.pending_changes().unwrap(), pending);
    let after: Vec<Vec<LoanMovement>> = loans.iter().map(|l| movements(&t, l)).collect();
    assert_eq!(after, before);

    // A later statement repeating one of the lines, with a new one: only the new one counts.
    let day = |n: i64| format_date(today - Duration::days(n));
    let later = format!(
        "Date;Libellé;Montant\n{};VIR SEPA ph test 0002;111,10\n{};VIR PH-TEST-0002;111,10\n",
        day(8),
        day(1)
    );
    let report = t.store.import_statement(later.as_bytes(), None).unwrap();
    assert_eq!(lines(&report.already_imported), vec![2]);
    assert_eq!(
        report.recorded.iter().map(|m| m.line).collect::<Vec<_>>(),
        vec![3]
    );
    assert_eq!(t.store.pending_changes().unwrap(), pending + 1);
    assert_eq!(repaid(&t, today, &loans[1]), 333_30);
}

#[test]
fn a_statement_with_an_unreadable_line_is_refused_whole_and_changes_nothing() {
    let (mut t, today, loans) = two_loans();
    let pending = t.store.pending_changes().unwrap();
    let good = format_date(today - Duration::days(5));
    let file = format!(
        "Date;Libellé;Montant\n{good};VIR PH-TEST-0001;100,00\n31/02/2026;VIR PH-TEST-0002;111,10\n"
    );

    let refused = t.store.import_statement(file.as_bytes(), None);

    match refused {
        Err(Error::Refused { what, reasons }) => {
            assert_eq!(what, "Relevé refusé, rien n'a été importé");
            assert_eq!(
                reasons,
                vec!["ligne 3, colonne « Date » : le 31/02/2026 n'existe pas dans le calendrier"]
            );
        }
        other => panic!("expected the file refused, got {other:?}"),
    }
    assert_eq!(t.store.pending_changes().unwrap(), pending);
    assert_eq!(
        repaid(&t, today, &loans[0]),
        0,
        "the good line was not recorded"
    );
}

#[test]
fn a_banks_own_layout_is_mapped_once_by_name_and_read_from_latin_1() {
    let (mut t, today, loans) = two_loans();
    let text = format!(
        "Jour;Opération réalisée;Somme\n{};VIR PRÊT PH-TEST-0002 ÉCHÉANCE;111,10\n",
        format_date(today - Duration::days(2))
    );
    // Every character of it is one byte in Latin-1 (and Windows-1252).
    let latin1: Vec<u8> = text
        .chars()
        .map(|c| u8::try_from(u32::from(c)).expect("a Latin-1 character"))
        .collect();

    let unknown = t.store.import_statement(&latin1, None).unwrap_err();
    assert!(
        unknown.reasons()[0].contains("« Jour », « Opération réalisée », « Somme »"),
        "{:?}",
        unknown.reasons()
    );
    assert!(matches!(
        t.store.import_statement(&latin1, Some("Banque du Nord")),
        Err(Error::NotFound { .. })
    ));
    let mapping = StatementMapping {
        date: "Jour".into(),
        label: "Operation realisee".into(),
        amount: Some("Somme".into()),
        credit: None,
        debit: None,
        reference: None,
    };
    t.store
        .save_statement_mapping(" Banque  du Nord ", &mapping)
        .unwrap();
    let mut t = t.reopen();
    assert_eq!(
        t.store
            .statement_mappings()
            .unwrap()
            .into_iter()
            .collect::<Vec<_>>(),
        vec![("Banque du Nord".to_owned(), mapping.clone())]
    );

    let report: ImportReport = t
        .store
        .import_statement(&latin1, Some("Banque du Nord"))
        .unwrap();

    assert_eq!(report.recorded.len(), 1, "{report:?}");
    assert_eq!(report.recorded[0].loan_id, loans[1].loan);
    assert_eq!(report.recorded[0].label, "VIR PRÊT PH-TEST-0002 ÉCHÉANCE");
    // A mapping without a label column is refused at its field.
    let bad = StatementMapping {
        label: String::new(),
        ..mapping
    };
    match t.store.save_statement_mapping("Autre", &bad) {
        Err(Error::Invalid(fields)) => assert!(fields.contains_key("label")),
        other => panic!("expected a refusal at the field, got {other:?}"),
    }
}

#[test]
fn a_repayment_the_loan_cannot_take_is_listed_with_its_reason_and_not_recorded() {
    let (mut t, today, loans) = two_loans();
    let pending = t.store.pending_changes().unwrap();
    // Dated before the loan was signed.
    let early = format_date(today - Duration::days(300));
    let file = format!("Date;Libellé;Montant\n{early};VIR PH-TEST-0001;100,00\n");

    let report = t.store.import_statement(file.as_bytes(), None).unwrap();

    assert!(report.recorded.is_empty());
    assert_eq!(lines(&report.not_matched), vec![2]);
    assert!(
        report.not_matched[0]
            .reason
            .starts_with("Prêt PH-TEST-0001 : La date est antérieure à la signature du prêt"),
        "{}",
        report.not_matched[0].reason
    );
    assert_eq!(t.store.pending_changes().unwrap(), pending);
    assert_eq!(repaid(&t, today, &loans[0]), 0);
}

#[test]
fn a_statement_read_before_its_import_shows_its_operations_and_records_nothing() {
    let (t, today, loans) = two_loans();
    let before = t.store.pending_changes().unwrap();
    let file = statement(today, &loans);

    let reading = t.store.read_statement(file.as_bytes(), None).unwrap();
    assert_eq!(
        (reading.encoding.as_str(), reading.separator.as_str()),
        ("UTF-8", "point-virgule")
    );
    let lines: Vec<StatementLine> = reading.lines;

    assert_eq!(lines.len(), 6, "every operation as the import reads it");
    assert_eq!(lines[0].amount_cents, 222_20);
    assert_eq!(lines[5].amount_cents, -12_50, "a debit reads negative");
    assert_eq!(
        t.store.pending_changes().unwrap(),
        before,
        "reading queues no change"
    );
    assert!(
        movements(&t, &loans[0]).len() == 1,
        "reading records no repayment (only the disbursement is there)"
    );
    assert!(matches!(
        t.store.read_statement(file.as_bytes(), Some("Inconnue")),
        Err(Error::NotFound { .. })
    ));
}
