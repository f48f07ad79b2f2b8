import { describe, expect, it } from 'vitest';
import type { LoanView } from './bindings/LoanView';
import { agreementFromForm, lateCount, movementFromForm, nextDue, readDay } from './loans';

describe('loan forms', () => {
	it('reads French days and refuses the impossible ones', () => {
		expect(readDay('5/3/2026')).toBe('2026-03-05');
		expect(readDay(' 2026-03-05 ')).toBe('2026-03-05');
		expect(readDay('31/02/2026')).toBeNull();
		expect(readDay('demain')).toBeNull();
	});

	it('reads an agreement, or names each field it cannot read', () => {
		expect(
			agreementFromForm({
				holder: 'h1',
				amount: '8 000',
				months: '60',
				deferral: '',
				signed: '02/03/2026',
				reference: ' PH-2026-0042 '
			})
		).toEqual({
			ok: true,
			value: {
				holder_id: 'h1',
				amount_cents: 800_000,
				months: 60,
				deferral_months: 0,
				signed_on: '2026-03-02',
				reference: 'PH-2026-0042'
			}
		});
		const refused = agreementFromForm({
			holder: '',
			amount: 'beaucoup',
			months: 'soixante',
			deferral: '2',
			signed: '',
			reference: ''
		});
		expect(refused.ok).toBe(false);
		if (!refused.ok)
			expect(Object.keys(refused.errors).sort()).toEqual(['amount_cents', 'holder_id', 'months', 'signed_on']);
	});

	it('sends an amount only with money movements, a duration only with a rescheduling', () => {
		const form = { on: '10/04/2026', amount: '150', months: '36', deferral: '', note: ' ' };
		const repayment = movementFromForm('l1', { ...form, kind: 'remboursement' });
		expect(repayment).toEqual({
			ok: true,
			value: {
				loan_id: 'l1',
				kind: 'remboursement',
				on: '2026-04-10',
				amount_cents: 15_000,
				months: null,
				deferral_months: null,
				note: ''
			}
		});
		const rescheduling = movementFromForm('l1', { ...form, kind: 'reechelonnement' });
		expect(rescheduling.ok && rescheduling.value).toMatchObject({ amount_cents: 0, months: 36, deferral_months: 0 });
		const bad = movementFromForm('l1', { ...form, kind: 'decaissement', amount: '', on: '32/01/2026' });
		expect(bad.ok).toBe(false);
		if (!bad.ok) expect(Object.keys(bad.errors).sort()).toEqual(['amount_cents', 'on']);
	});
});

describe('loan figures', () => {
	const row = (n: number, amount: number, paid: number, late: boolean) => ({
		instalment: { number: n, due_on: `2026-0${n}-10`, amount_cents: amount, remaining_cents: 0 },
		paid_cents: paid,
		late
	});
	const view = {
		state: {
			schedule: { from: '2026-01-10', instalments: [row(1, 100, 100, false), row(2, 100, 40, true), row(3, 100, 0, true)] }
		}
	} as unknown as LoanView;

	it('finds the next instalment to pay and counts the late ones', () => {
		expect(nextDue(view)?.instalment.number).toBe(2);
		expect(lateCount(view)).toBe(2);
	});
});
