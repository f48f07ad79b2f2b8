import { describe, expect, it } from 'vitest';
import { draftOf, emptyDraft, formatDate, formatPhone, STATUSES } from './format';
import type { Dossier } from './bindings/Dossier';

describe('formatDate', () => {
	it('writes dates the French way, in Paris time', () => {
		expect(formatDate('2026-11-26T10:00:00Z')).toBe('26/11/2026');
		// 23:30 UTC on the 31st is already the 1st in Paris.
		expect(formatDate('2026-12-31T23:30:00Z')).toBe('01/01/2027');
	});

	it('shows nothing for a date it cannot read', () => {
		expect(formatDate('pas une date')).toBe('');
	});
});

describe('formatPhone', () => {
	it('groups French numbers by pairs', () => {
		expect(formatPhone('+33321045678')).toBe('03 21 04 56 78');
	});

	it('leaves foreign numbers in international form', () => {
		expect(formatPhone('+3225551212')).toBe('+3225551212');
		expect(formatPhone(null)).toBe('');
	});
});

describe('labels', () => {
	it('has a French label for every status', () => {
		expect(STATUSES.pret_pour_comite).toBe('Prêt pour comité');
		expect(Object.values(STATUSES).every((label) => label.length > 0)).toBe(true);
	});
});

describe('drafts', () => {
	it('starts a new dossier with one empty holder', () => {
		const draft = emptyDraft();
		expect(draft.holders).toHaveLength(1);
		expect(draft.project_type).toBeNull();
	});

	it('turns a dossier back into what the form edits', () => {
		const dossier: Dossier = {
			id: '0193',
			number: 'PROV-2026-0001',
			project_type: 'reprise',
			status: 'instruction',
			idea: 'Boulangerie',
			holders: [
				{
					id: 'h1',
					civility: 'madame',
					last_name: 'Lefèvre',
					first_name: 'Anne',
					phone: '+33321045678',
					commune: 'Fruges'
				}
			],
			created_at: '2026-11-26T10:00:00Z',
			updated_at: '2026-11-26T10:00:00Z'
		};
		const draft = draftOf(dossier);
		expect(draft.project_type).toBe('reprise');
		expect(draft.holders[0].phone).toBe('03 21 04 56 78');
		expect(draft.holders[0].last_name).toBe('Lefèvre');
	});
});
