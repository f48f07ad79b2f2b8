import { describe, expect, it } from 'vitest';
import type { Commune } from './bindings/Commune';
import { communeChoices, communeWithCodes } from './commune';

function commune(fields: Partial<Commune>): Commune {
	return {
		insee: '62447',
		name: 'Hesdin-la-Forêt',
		kind: 'current',
		label: 'Hesdin-la-Forêt',
		parent_insee: null,
		parent_name: null,
		department: '62',
		postal_codes: ['62140'],
		epci: '200044030',
		population: 4480,
		...fields
	};
}

describe('communeChoices', () => {
	it("keeps a delegated commune under its own name, with its current commune's code", () => {
		const choices = communeChoices(
			[
				commune({}),
				commune({
					kind: 'delegated',
					name: 'Hesdin',
					label: 'Hesdin (commune déléguée de Hesdin-la-Forêt)',
					parent_insee: '62447'
				})
			],
			'62447',
			'Hesdin-la-Forêt'
		);
		expect(choices).toEqual([
			['62447', 'Hesdin-la-Forêt'],
			['62447', 'Hesdin (commune déléguée de Hesdin-la-Forêt)']
		]);
	});

	it('puts the current commune before the delegated ones that sort before it', () => {
		const hesdin = commune({
			kind: 'delegated',
			name: 'Hesdin',
			label: 'Hesdin (commune déléguée de Hesdin-la-Forêt)',
			parent_insee: '62447'
		});
		const guisy = commune({ insee: '62398', name: 'Guisy', label: 'Guisy' });
		const marconnelle = commune({ insee: '62550', name: 'Marconnelle', label: 'Marconnelle' });
		expect(
			communeChoices([guisy, hesdin, commune({}), marconnelle], '62447', 'Hesdin-la-Forêt')
		).toEqual([
			['62398', 'Guisy'],
			['62447', 'Hesdin-la-Forêt'],
			['62447', 'Hesdin (commune déléguée de Hesdin-la-Forêt)'],
			['62550', 'Marconnelle']
		]);
	});

	it('keeps the current commune when the postal code does not list it', () => {
		expect(communeChoices([], '62361', 'Fruges')).toEqual([['62361', 'Fruges']]);
		expect(communeChoices([], null, '')).toEqual([]);
	});

	it('names a commune with its postal codes', () => {
		expect(communeWithCodes(commune({}))).toBe('Hesdin-la-Forêt (62140)');
	});
});
