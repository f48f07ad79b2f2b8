import { describe, expect, it } from 'vitest';
import type { Checkpoint } from './bindings/Checkpoint';
import type { CheckpointDue } from './bindings/CheckpointDue';
import type { Dossier } from './bindings/Dossier';
import {
	checkpointFromForm,
	dueLabel,
	emptyCheckpoint,
	isFinanced,
	monthLabel,
	needsSince,
	splitDue,
	type CheckpointForm
} from './checkpoints';

function recorded(month: number): Checkpoint {
	return {
		id: `c${month}`,
		month,
		held_on: '2026-01-10',
		state: 'active',
		state_since: null,
		headcount: 2,
		turnover_cents: null,
		note: ''
	};
}

function form(changes: Partial<CheckpointForm> = {}): CheckpointForm {
	return { ...emptyCheckpoint([], '10/03/2026'), headcount: '3', ...changes };
}

function due(month: number, overdue: boolean, on: string): CheckpointDue {
	return { dossier_id: 'd', number: 'TA7V-2026-0001', holder_name: 'Anne LEFÈVRE', month, due_on: on, overdue };
}

describe('emptyCheckpoint', () => {
	it('proposes the first month not recorded yet, dated the day given', () => {
		expect(emptyCheckpoint([], '10/03/2026')).toMatchObject({ month: '12', held_on: '10/03/2026', state: 'active' });
		expect(emptyCheckpoint([recorded(12)], '10/03/2026').month).toBe('24');
		expect(emptyCheckpoint([recorded(12), recorded(24)], '10/03/2026').month).toBe('36');
	});
});

describe('checkpointFromForm', () => {
	it('reads a business in activity, with its French turnover, into what the core records', () => {
		const read = checkpointFromForm(form({ turnover: '85 000', note: '  Un apprenti  ' }));
		expect(read).toEqual({
			ok: true,
			value: {
				month: 12,
				held_on: '2026-03-10',
				state: 'active',
				state_since: null,
				headcount: 3,
				turnover_cents: 8_500_000,
				note: 'Un apprenti'
			}
		});
	});

	it('keeps the "depuis" date of a business ceased, and drops it for one in activity', () => {
		const ceased = checkpointFromForm(form({ state: 'cessee', state_since: '01/02/2026' }));
		expect(ceased.ok && ceased.value.state_since).toBe('2026-02-01');
		const active = checkpointFromForm(form({ state: 'active', state_since: '01/02/2026' }));
		expect(active.ok && active.value.state_since).toBeNull();
	});

	it('leaves a missing "depuis" date to the core, which names the state', () => {
		const read = checkpointFromForm(form({ state: 'liquidee' }));
		expect(read.ok && read.value.state_since).toBeNull();
	});

	it('reports what cannot be read under the fields the core names', () => {
		const read = checkpointFromForm(
			form({ held_on: '31/02/2026', headcount: 'deux', turnover: 'beaucoup', state: 'cedee', state_since: 'hier' })
		);
		expect(read.ok).toBe(false);
		if (!read.ok)
			expect(Object.keys(read.errors).sort()).toEqual(['headcount', 'held_on', 'state_since', 'turnover_cents']);
	});

	it('says which states need their date', () => {
		expect(needsSince('active')).toBe(false);
		expect(['cessee', 'cedee', 'liquidee'].every((s) => needsSince(s as 'cessee'))).toBe(true);
	});
});

describe('the list of checkpoints due', () => {
	it('puts those overdue apart from those of the month', () => {
		const list = [due(12, true, '2026-10-05'), due(24, false, '2026-12-02')];
		const { overdue, thisMonth } = splitDue(list);
		expect(overdue.map((d) => d.month)).toEqual([12]);
		expect(thisMonth.map((d) => d.month)).toEqual([24]);
	});

	it('says the month, the day it falls due and whether it is late', () => {
		expect(dueLabel(due(24, false, '2026-12-02'))).toBe('Point à 24 mois, dû le 02/12/2026');
		expect(dueLabel(due(12, true, '2026-10-05'))).toBe('Point à 12 mois, dû le 05/10/2026, en retard');
	});
});

describe('monthLabel', () => {
	it('names the month of a day in French', () => {
		expect(monthLabel('2026-12-02')).toBe('décembre 2026');
		expect(monthLabel('2027-01-31')).toBe('janvier 2027');
	});
});

describe('isFinanced', () => {
	it('starts follow-up once the loan is paid out, by status or by a disbursement', () => {
		expect(isFinanced({ status: 'accorde', loans: [] })).toBe(false);
		expect(isFinanced({ status: 'en_remboursement', loans: [] })).toBe(true);
		const disbursed = { movements: [{ kind: 'decaissement' }] } as unknown as Dossier['loans'][number];
		expect(isFinanced({ status: 'accorde', loans: [disbursed] })).toBe(true);
	});
});
