import { describe, expect, it } from 'vitest';
import { LABELS } from './bindings/labels';
import {
	choices,
	emptyDraft,
	formatAmount,
	formatDate,
	formatDateTime,
	formatDay,
	formatLeverage,
	formatLongDay,
	formatPercent,
	formatPhone,
	plural,
	today
} from './format';

// What Intl puts between thousands, and before a unit.
const NNBSP = '\u202f';
const NBSP = '\u00a0';

describe('formatDate', () => {
	it('writes timestamps the French way, in Paris time', () => {
		expect(formatDate('2026-11-26T10:00:00Z')).toBe('26/11/2026');
		// 23:30 UTC on the 31st is already the 1st in Paris.
		expect(formatDate('2026-12-31T23:30:00Z')).toBe('01/01/2027');
		expect(formatDateTime('2026-11-26T13:05:00Z')).toBe('26/11/2026 à 14:05');
	});

	it('shows nothing for a date it cannot read', () => {
		expect(formatDate('pas une date')).toBe('');
		expect(formatDate(null)).toBe('');
	});
});

describe('formatDay', () => {
	it('writes calendar days without shifting them across time zones', () => {
		expect(formatDay('2026-11-26')).toBe('26/11/2026');
		expect(formatDay('2027-01-01')).toBe('01/01/2027');
		expect(formatLongDay('2026-11-26')).toBe('jeudi 26 novembre 2026');
	});

	it('shows nothing for nothing or nonsense', () => {
		expect(formatDay(null)).toBe('');
		expect(formatDay('26/11/2026')).toBe('');
	});

	it('knows today in Paris', () => {
		expect(today(new Date('2026-12-31T23:30:00Z'))).toBe('2027-01-01');
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

describe('amounts and shares', () => {
	it('shows whole euros without decimals and cents with two', () => {
		expect(formatAmount(1_234_500)).toBe(`12${NNBSP}345${NBSP}€`);
		expect(formatAmount(1_234_550)).toBe(`12${NNBSP}345,50${NBSP}€`);
		expect(formatAmount(0)).toBe(`0${NBSP}€`);
		expect(formatAmount(-50_000)).toBe(`-500${NBSP}€`);
		expect(formatAmount(null)).toBe('');
	});

	it('shows basis points as a French percentage', () => {
		expect(formatPercent(3350)).toBe(`33,5${NBSP}%`);
		expect(formatPercent(10_000)).toBe(`100${NBSP}%`);
	});

	it('says the leverage as "1 pour x"', () => {
		expect(formatLeverage(3.2)).toBe('1 pour 3,2');
		expect(formatLeverage(3.1667)).toBe('1 pour 3,2');
		expect(formatLeverage(null)).toBe('');
	});

	it('puts 0 and 1 in the singular', () => {
		expect(plural(0, 'dossier')).toBe('0 dossier');
		expect(plural(1, 'dossier')).toBe('1 dossier');
		expect(plural(60, 'dossier')).toBe('60 dossiers');
	});
});

describe('labels', () => {
	it('come from the generated LABELS, in their order', () => {
		const statuses = choices(LABELS.DossierStatus);
		expect(statuses[0]).toEqual(['premier_contact', 'Premier contact']);
		expect(Object.fromEntries(statuses).pret_pour_comite).toBe('Prêt pour comité');
		expect(statuses.every(([, label]) => label.length > 0)).toBe(true);
	});
});

describe('drafts', () => {
	it('starts a new dossier with one empty holder and no commune', () => {
		const draft = emptyDraft();
		expect(draft.holders).toHaveLength(1);
		expect(draft.holders[0].commune_insee).toBe('');
		expect(draft.project_type).toBeNull();
		expect(draft.session_id).toBeNull();
	});

	it('ties a quick capture to its session', () => {
		expect(emptyDraft('0193-session').session_id).toBe('0193-session');
	});
});
