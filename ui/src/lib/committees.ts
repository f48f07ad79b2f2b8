// The committees screens' logic: naming and ordering committees, which dossiers may join an
// agenda, and the decision form (which fields a decision asks for, what is sent to the core).
import type { Committee } from './bindings/Committee';
import type { Decision } from './bindings/Decision';
import type { DecisionInput } from './bindings/DecisionInput';
import type { Dossier } from './bindings/Dossier';
import type { DossierStatus } from './bindings/DossierStatus';
import type { DossierSummary } from './bindings/DossierSummary';
import { LABELS } from './bindings/labels';
import { formatAmount, formatDay, formatLongDay, plural } from './format';

/** `Comité d'agrément du 08/12/2026`. */
export function committeeTitle(committee: Pick<Committee, 'kind' | 'held_on'>): string {
	return `${LABELS.CommitteeKind[committee.kind]} du ${formatDay(committee.held_on)}`;
}

/** `Comité d'agrément du mardi 8 décembre 2026`: the committee screen's heading. */
export function committeeHeading(committee: Pick<Committee, 'kind' | 'held_on'>): string {
	return `${LABELS.CommitteeKind[committee.kind]} du ${formatLongDay(committee.held_on)}`;
}

/** `3 dossiers`, `Aucun dossier`. */
export function agendaCount(committee: Pick<Committee, 'agenda'>): string {
	return committee.agenda.length === 0 ? 'Aucun dossier' : plural(committee.agenda.length, 'dossier');
}

/**
 * Committees to come (the next one first) and those held (the latest first); a committee
 * meeting today is to come until the day is over.
 */
export function splitCommittees(
	committees: Committee[],
	today: string
): { upcoming: Committee[]; held: Committee[] } {
	const upcoming = committees
		.filter((c) => c.held_on >= today)
		.sort((a, b) => a.held_on.localeCompare(b.held_on));
	const held = committees
		.filter((c) => c.held_on < today)
		.sort((a, b) => b.held_on.localeCompare(a.held_on));
	return { upcoming, held };
}

/** Decisions are entered once the committee has met (on its day or after). */
export function decisionsOpen(committee: Pick<Committee, 'held_on'>, today: string): boolean {
	return committee.held_on <= today;
}

/** Dossiers "prêt pour comité" that are not on this agenda yet. */
export function agendaCandidates(
	ready: DossierSummary[],
	committee: Pick<Committee, 'agenda'>
): DossierSummary[] {
	const on = new Set(committee.agenda.map((item) => item.dossier.id));
	return ready.filter((d) => !on.has(d.id) && d.status === 'pret_pour_comite');
}

/** Whether the committee's decision can be recorded on a dossier with this status. */
export function awaitsDecision(status: DossierStatus): boolean {
	return status === 'pret_pour_comite' || status === 'passe_en_comite';
}

/** The decision form as typed; `decision` is empty until one is chosen. */
export interface DecisionForm {
	decision: Decision | '';
	amount: string;
	conditions: string;
	reason: string;
}

export function emptyDecision(): DecisionForm {
	return { decision: '', amount: '', conditions: '', reason: '' };
}

/** Which fields a decision asks for: an amount to grant, conditions, a reason. */
export function decisionFields(decision: Decision | ''): {
	amount: boolean;
	conditions: boolean;
	reason: boolean;
} {
	return {
		amount: decision === 'accord' || decision === 'accord_sous_conditions',
		conditions: decision === 'accord_sous_conditions',
		reason: decision === 'ajournement' || decision === 'refus'
	};
}

/**
 * What is sent to the core: the fields the chosen decision does not ask for are sent empty,
 * so an amount typed before switching to a refusal is not held against it.
 */
export function decisionInput(form: DecisionForm): DecisionInput {
	const shown = decisionFields(form.decision);
	return {
		decision: form.decision === '' ? null : form.decision,
		amount: shown.amount ? form.amount : '',
		conditions: shown.conditions ? form.conditions : '',
		reason: shown.reason ? form.reason : ''
	};
}

/** `Accord — 8 000 €`, `Refus`: a recorded decision in a few words; empty when there is none. */
export function decisionSummary(
	dossier: Pick<Dossier, 'decision' | 'decision_amount_cents'>
): string {
	if (!dossier.decision) return '';
	const label = LABELS.Decision[dossier.decision];
	const amount = formatAmount(dossier.decision_amount_cents);
	return amount ? `${label} — ${amount}` : label;
}

/** The honour loans the dossier's holders asked for, in all; null when nobody asked yet. */
export function requestedTotal(dossier: Pick<Dossier, 'holders'>): number | null {
	const asked = dossier.holders
		.map((h) => h.loan_requested_cents)
		.filter((c): c is number => c !== null && c > 0);
	return asked.length === 0 ? null : asked.reduce((a, b) => a + b, 0);
}
