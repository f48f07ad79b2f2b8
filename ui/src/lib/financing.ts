// The financing plan as the dossier screen shows it: which side a category sits on, the
// honour loans as read-only lines, and the balance in words. The arithmetic is the core's
// (`analysis`); this only arranges it.
import type { FinancingCategory } from './bindings/FinancingCategory';
import type { FinancingLine } from './bindings/FinancingLine';
import type { FinancingSide } from './bindings/FinancingSide';
import type { Holder } from './bindings/Holder';
import type { PlanAnalysis } from './bindings/PlanAnalysis';
import { LABELS } from './bindings/labels';
import { formatAmount, formatLeverage } from './format';

/** The needs' categories, in the order of the generated labels. */
export const NEED_CATEGORIES: FinancingCategory[] = [
	'set_up_costs',
	'intangible_assets',
	'tangible_assets',
	'stock',
	'deposits',
	'working_capital'
];

/** Every other category is a resource (honour loans are the holders', not lines). */
export const RESOURCE_CATEGORIES: FinancingCategory[] = (
	Object.keys(LABELS.FinancingCategory) as FinancingCategory[]
).filter((c) => !NEED_CATEGORIES.includes(c));

export function sideOf(category: FinancingCategory): FinancingSide {
	return NEED_CATEGORIES.includes(category) ? 'need' : 'resource';
}

export function categoriesOf(side: FinancingSide): [FinancingCategory, string][] {
	return (side === 'need' ? NEED_CATEGORIES : RESOURCE_CATEGORIES).map((c) => [
		c,
		LABELS.FinancingCategory[c]
	]);
}

export function linesOf(lines: FinancingLine[], side: FinancingSide): FinancingLine[] {
	return lines.filter((l) => l.side === side);
}

export interface HonourLoanRow {
	holderId: string;
	label: string;
	cents: number;
	/** "accordé" once granted, else "demandé". */
	state: 'accordé' | 'demandé';
}

/** The holders' honour loans as the plan counts them: granted once decided, else requested. */
export function honourLoanRows(holders: Holder[]): HonourLoanRow[] {
	return holders
		.filter((h) => h.loan_granted_cents !== null || h.loan_requested_cents !== null)
		.map((h) => ({
			holderId: h.id,
			label: `Prêt d'honneur — ${h.first_name} ${h.last_name.toUpperCase()}`,
			cents: h.loan_granted_cents ?? h.loan_requested_cents ?? 0,
			state: h.loan_granted_cents !== null ? 'accordé' : 'demandé'
		}));
}

export type Balance = { tone: 'ok' | 'gap' | 'empty'; text: string };

/** The plan's balance in one sentence: balanced, or by how much and which way it is off. */
export function balanceOf(analysis: PlanAnalysis): Balance {
	if (analysis.balanced) return { tone: 'ok', text: 'Plan équilibré' };
	if (analysis.needs_cents === 0 && analysis.resources_cents === 0)
		return { tone: 'empty', text: 'Aucun besoin ni ressource saisi' };
	const gap = formatAmount(Math.abs(analysis.difference_cents));
	if (analysis.needs_cents === 0)
		return { tone: 'gap', text: `Aucun besoin saisi pour ${formatAmount(analysis.resources_cents)} de ressources` };
	return analysis.difference_cents < 0
		? { tone: 'gap', text: `Il manque ${gap} de ressources` }
		: { tone: 'gap', text: `Les ressources dépassent les besoins de ${gap}` };
}

/** `Effet levier : 1 pour 3,2`, or why there is none. */
export function leverageText(analysis: PlanAnalysis): string {
	if (analysis.leverage === null) return "Effet levier : pas de prêt d'honneur";
	return `Effet levier : ${formatLeverage(analysis.leverage)}`;
}
