// The loan tab's logic: its forms read into what the core records (the core checks them
// again and answers by field), and the figures of a loan's state as the screen shows them.
import type { LoanAgreement } from './bindings/LoanAgreement';
import type { LoanView } from './bindings/LoanView';
import type { MovementDraft } from './bindings/MovementDraft';
import type { MovementKind } from './bindings/MovementKind';
import { parseAmount, parseInteger } from './edit';

/** Reads `26/11/2026` (or `2026-11-26`) into a calendar day `2026-11-26`; null otherwise. */
export function readDay(text: string): string | null {
	const t = text.trim();
	const french = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(t);
	const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(t);
	const [y, m, d] = french
		? [Number(french[3]), Number(french[2]), Number(french[1])]
		: iso
			? [Number(iso[1]), Number(iso[2]), Number(iso[3])]
			: [0, 0, 0];
	if (y === 0) return null;
	const date = new Date(Date.UTC(y, m - 1, d));
	if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return null;
	return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

const DAY = 'Indiquez une date, par exemple 15/03/2026.';
const AMOUNT = 'Indiquez un montant en euros, par exemple 8 000.';
const MONTHS = 'Indiquez un nombre de mois.';

export interface AgreementForm {
	holder: string;
	amount: string;
	months: string;
	deferral: string;
	signed: string;
	reference: string;
}

export type Read<T> = { ok: true; value: T } | { ok: false; errors: Record<string, string> };

/** The agreement as typed; what cannot be read is reported under the field the core names. */
export function agreementFromForm(form: AgreementForm): Read<LoanAgreement> {
	const errors: Record<string, string> = {};
	const amount = parseAmount(form.amount);
	const months = parseInteger(form.months);
	const deferral = form.deferral.trim() === '' ? 0 : parseInteger(form.deferral);
	const signed = readDay(form.signed);
	if (form.holder === '') errors.holder_id = 'Choisissez le porteur de projet.';
	if (amount === null) errors.amount_cents = AMOUNT;
	if (months === null) errors.months = MONTHS;
	if (deferral === null) errors.deferral_months = MONTHS;
	if (signed === null) errors.signed_on = DAY;
	if (Object.keys(errors).length > 0 || amount === null || months === null || deferral === null || signed === null)
		return { ok: false, errors };
	return {
		ok: true,
		value: {
			holder_id: form.holder,
			amount_cents: amount,
			months,
			deferral_months: deferral,
			signed_on: signed,
			reference: form.reference.trim()
		}
	};
}

export interface MovementForm {
	kind: MovementKind;
	on: string;
	amount: string;
	months: string;
	deferral: string;
	note: string;
}

/** Whether a kind of movement carries an amount (a rescheduling and a write-off do not). */
export function carriesAmount(kind: MovementKind): boolean {
	return kind === 'decaissement' || kind === 'remboursement';
}

export function movementFromForm(loanId: string, form: MovementForm): Read<MovementDraft> {
	const errors: Record<string, string> = {};
	const on = readDay(form.on);
	if (on === null) errors.on = DAY;
	let amount = 0;
	if (carriesAmount(form.kind)) {
		const read = parseAmount(form.amount);
		if (read === null) errors.amount_cents = AMOUNT;
		else amount = read;
	}
	let months: number | null = null;
	let deferral: number | null = null;
	if (form.kind === 'reechelonnement') {
		months = parseInteger(form.months);
		deferral = form.deferral.trim() === '' ? 0 : parseInteger(form.deferral);
		if (months === null) errors.months = MONTHS;
		if (deferral === null) errors.deferral_months = MONTHS;
	}
	if (Object.keys(errors).length > 0 || on === null) return { ok: false, errors };
	return {
		ok: true,
		value: {
			loan_id: loanId,
			kind: form.kind,
			on,
			amount_cents: amount,
			months,
			deferral_months: deferral,
			note: form.note.trim()
		}
	};
}

/** The next instalment not paid in full, if any. */
export function nextDue(view: LoanView) {
	return view.state.schedule?.instalments.find((i) => i.paid_cents < i.instalment.amount_cents) ?? null;
}

/** How many instalments are late. */
export function lateCount(view: LoanView): number {
	return view.state.schedule?.instalments.filter((i) => i.late).length ?? 0;
}
