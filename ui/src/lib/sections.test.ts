import { describe, expect, it } from 'vitest';
import type { Dossier } from './bindings/Dossier';
import { sectionBadges, sectionFrom, SECTIONS } from './sections';

const base = {
	analysis: {
		needs_cents: 0,
		resources_cents: 0,
		difference_cents: 0,
		balanced: false,
		honour_loans_cents: 0,
		bank_loans_cents: 0,
		leverage: null,
		forecast: []
	},
	documents: [],
	notes: [],
	loans: [],
	pairings: [],
	workshops: [],
	checkpoints: [],
	holders: [{}]
} as unknown as Dossier;

describe('sectionBadges', () => {
	it('says nothing about an empty dossier', () => {
		expect(sectionBadges(base)).toEqual({});
		expect(SECTIONS.map((s) => s.key)).toContain('financement');
	});

	it('flags an unbalanced plan and awaited pieces', () => {
		const dossier = {
			...base,
			analysis: { ...base.analysis, needs_cents: 100, resources_cents: 50 },
			documents: [
				{ kind: 'cv', status: 'manquant', on_date: null, required: true },
				{ kind: 'rib', status: 'manquant', on_date: null, required: false }
			]
		} as Dossier;
		const badges = sectionBadges(dossier);
		expect(badges.financement).toEqual({ tone: 'gap', text: 'déséquilibré' });
		expect(badges.pieces).toEqual({ tone: 'gap', text: '1 attendue' });
	});

	it('says a business is mentored while its pairing runs', () => {
		const running = { ...base, pairings: [{ end_on: null }] } as unknown as Dossier;
		expect(sectionBadges(running).parrainage).toEqual({ tone: 'info', text: 'parrainé' });
		const ended = { ...base, pairings: [{ end_on: '2026-01-01' }] } as unknown as Dossier;
		expect(sectionBadges(ended).parrainage).toBeUndefined();
		expect(SECTIONS.map((s) => s.key)).toContain('parrainage');
	});
});

describe('the follow-up badge', () => {
	it('counts the checkpoints recorded out of three', () => {
		expect(sectionBadges(base).suivi).toBeUndefined();
		const followed = { ...base, checkpoints: [{ month: 12 }, { month: 24 }] } as unknown as Dossier;
		expect(sectionBadges(followed).suivi).toEqual({ tone: 'info', text: '2/3' });
	});
});

describe('sectionFrom', () => {
	it('opens the section a link names, or the holders for anything else', () => {
		expect(sectionFrom('suivi')).toBe('suivi');
		expect(sectionFrom(null)).toBe('porteurs');
		expect(sectionFrom('nowhere')).toBe('porteurs');
	});
});
