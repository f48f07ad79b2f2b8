// The follow-up checkpoints' logic: the dossier's checkpoint form read into what the core
// records (the core checks it again and answers by field: `Error::Invalid`), and the
// advisor's list of checkpoints due, as the "Suivi des entreprises" screen shows it.
import type { BusinessState } from './bindings/BusinessState';
import type { Checkpoint } from './bindings/Checkpoint';
import type { CheckpointDraft } from './bindings/CheckpointDraft';
import type { CheckpointDue } from './bindings/CheckpointDue';
import type { Dossier } from './bindings/Dossier';
import { parseAmount, parseInteger } from './edit';
import { formatDay } from './format';
import { readDay, type Read } from './loans';

/** The months after the start of activity at which a checkpoint is made (the core's own). */
export const CHECKPOINT_MONTHS = [12, 24, 36] as const;

const DAY = 'Indiquez une date, par exemple 15/03/2026.';

export interface CheckpointForm {
	month: string;
	held_on: string;
	state: BusinessState;
	state_since: string;
	headcount: string;
	turnover: string;
	note: string;
}

/** A blank form for a dossier: the first month not recorded yet, dated `day` (JJ/MM/AAAA). */
export function emptyCheckpoint(recorded: Checkpoint[], day: string): CheckpointForm {
	const next = CHECKPOINT_MONTHS.find((m) => !recorded.some((c) => c.month === m)) ?? 12;
	return {
		month: String(next),
		held_on: day,
		state: 'active',
		state_since: '',
		headcount: '',
		turnover: '',
		note: ''
	};
}

/** Whether a state needs the date it started ("depuis"): every state but in activity. */
export function needsSince(state: BusinessState): boolean {
	return state !== 'active';
}

/** The form as typed; what cannot be read is reported under the field the core names. */
export function checkpointFromForm(form: CheckpointForm): Read<CheckpointDraft> {
	const errors: Record<string, string> = {};
	const month = parseInteger(form.month);
	const held = readDay(form.held_on);
	const since = form.state_since.trim() === '' ? null : readDay(form.state_since);
	const headcount = parseInteger(form.headcount);
	const turnover = form.turnover.trim() === '' ? null : parseAmount(form.turnover);
	if (month === null) errors.month = 'Choisissez le point de suivi : 12, 24 ou 36 mois.';
	if (held === null) errors.held_on = DAY;
	if (needsSince(form.state) && form.state_since.trim() !== '' && since === null) errors.state_since = DAY;
	if (headcount === null) errors.headcount = "Indiquez l'effectif, porteurs compris (par exemple 2).";
	if (form.turnover.trim() !== '' && turnover === null)
		errors.turnover_cents = 'Indiquez un montant en euros, par exemple 85 000.';
	if (Object.keys(errors).length > 0 || month === null || held === null || headcount === null)
		return { ok: false, errors };
	return {
		ok: true,
		value: {
			month,
			held_on: held,
			state: form.state,
			// "Depuis" is kept only where it means something; the core requires it there.
			state_since: needsSince(form.state) ? since : null,
			headcount,
			turnover_cents: turnover,
			note: form.note.trim()
		}
	};
}

/** The list of the month split in two: those overdue first, then those due this month. */
export function splitDue(due: CheckpointDue[]): { overdue: CheckpointDue[]; thisMonth: CheckpointDue[] } {
	return {
		overdue: due.filter((d) => d.overdue),
		thisMonth: due.filter((d) => !d.overdue)
	};
}

/** `Point à 12 mois, dû le 02/12/2026` and, overdue, `… en retard`. */
export function dueLabel(due: CheckpointDue): string {
	return `Point à ${due.month} mois, dû le ${formatDay(due.due_on)}${due.overdue ? ', en retard' : ''}`;
}

const monthFormat = new Intl.DateTimeFormat('fr-FR', { month: 'long', year: 'numeric', timeZone: 'UTC' });

/** `décembre 2026` for a calendar day `2026-12-02`. */
export function monthLabel(day: string): string {
	const [y, m] = day.split('-').map(Number);
	return monthFormat.format(new Date(Date.UTC(y, m - 1, 1)));
}

/** Whether follow-up has started: the dossier's status says its loan was paid out, or one of
 * its loans has a disbursement (the core's `checkpoint::financed`, which decides). */
export function isFinanced(dossier: Pick<Dossier, 'status' | 'loans'>): boolean {
	return (
		['decaisse', 'en_remboursement', 'solde'].includes(dossier.status) ||
		dossier.loans.some((l) => l.movements.some((m) => m.kind === 'decaissement'))
	);
}
