// The tableau de bord's rows: each figure of the core's `Indicators` with its label, as the
// screen shows it, this period against the same period a year before.
import type { Figures } from './bindings/Figures';
import type { Share } from './bindings/Share';
import { formatAmount, formatLeverage, formatPercent } from './format';

export interface DashboardRow {
	key: string;
	label: string;
	now: string;
	before: string;
	/** Something that needs the advisor (late repayments). */
	alert?: boolean;
}

const share = (s: Share) => (s.rate_bp === null ? '—' : formatPercent(s.rate_bp));
const amount = (cents: number | null) => (cents === null ? '—' : formatAmount(cents));
const count = (n: number) => new Intl.NumberFormat('fr-FR').format(n);

/** The rows of the table, in the order of the domain brief's indicators. */
export function dashboardRows(now: Figures, before: Figures): DashboardRow[] {
	const row = (key: string, label: string, show: (f: Figures) => string, alert = false): DashboardRow => ({
		key,
		label,
		now: show(now),
		before: show(before),
		alert
	});
	return [
		row('welcomed', 'Personnes accueillies (dossiers ouverts)', (f) => count(f.welcomed.count)),
		row('in_progress', 'Dossiers en cours', (f) => count(f.in_progress.count)),
		row('presented', 'Présentés en comité', (f) => count(f.presented.count)),
		row('financed', 'Financés', (f) => count(f.financed.count)),
		row('businesses', 'Entreprises soutenues', (f) => count(f.businesses_supported)),
		row('loans', "Prêts d'honneur accordés", (f) => count(f.honour_loans)),
		row('committed', 'Montant engagé', (f) => amount(f.committed_cents)),
		row('average', 'Prêt moyen', (f) => amount(f.average_loan_cents)),
		row('bank', 'Prêts bancaires associés', (f) => amount(f.bank_loans_cents)),
		row('leverage', 'Effet levier', (f) => (f.leverage === null ? '—' : formatLeverage(f.leverage))),
		row('coupling', 'Taux de couplage bancaire', (f) => share(f.coupling)),
		row('jobs_created', 'Emplois créés', (f) => count(f.jobs_created)),
		row('jobs_kept', 'Emplois maintenus (reprises)', (f) => count(f.jobs_kept)),
		row('job_seekers', "Demandeurs d'emploi", (f) => share(f.job_seekers)),
		row('women', 'Femmes', (f) => share(f.women)),
		row('under_30', 'Moins de 30 ans', (f) => share(f.under_30)),
		row('over_45', 'Plus de 45 ans', (f) => share(f.over_45)),
		row('qpv', 'Habitant un QPV', (f) => share(f.qpv)),
		row('repayment', 'Taux de remboursement', (f) => share(f.repayment)),
		row('overdue', 'Impayés', (f) => amount(f.overdue_cents), now.overdue_cents > 0),
		row('late_loans', 'Prêts avec impayés', (f) => count(f.late_loans.count), now.late_loans.count > 0)
	];
}
