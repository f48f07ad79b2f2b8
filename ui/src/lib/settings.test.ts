import { describe, expect, it } from 'vitest';
import type { Commune } from './bindings/Commune';
import type { PlatformSettings } from './bindings/PlatformSettings';
import {
	bytesToBase64,
	findCommunes,
	logoAddress,
	LOGO_MAX_BYTES,
	postalPrefixOf,
	readLogo,
	readTemplate,
	rulesForm,
	rulesFromForm,
	territoryRows,
	territoryYearsForm,
	territoryYearsFromForm,
	type CommuneLookup
} from './settings';

const settings: PlatformSettings = {
	name: 'Initiative Ternois-Artois-7 Vallées',
	code: 'TA7V',
	advisor: 'Claire Martin',
	territory: [],
	loan_rules: {
		min_cents: 100_000,
		max_cents: 1_000_000,
		max_months: 84,
		max_deferral_months: 6,
		min_bank_leverage: 2.5,
		grace_days: 15
	},
	loan_schemes: [],
	territory_creations: [
		{ year: 2015, creations: 310 },
		{ year: 2016, creations: 333 }
	]
};

function commune(insee: string, name: string, postal: string, kind: Commune['kind'] = 'current'): Commune {
	return {
		insee,
		name,
		kind,
		label: name,
		parent_insee: kind === 'current' ? null : insee,
		parent_name: null,
		department: insee.slice(0, 2),
		postal_codes: [postal],
		epci: null,
		population: null
	};
}

describe('loan rules', () => {
	it('shows the rules as French text and reads them back', () => {
		const form = rulesForm(settings);
		expect(form).toEqual({ min: '1 000', max: '10 000', months: '84', deferral: '6', leverage: '2,5', grace: '15' });
		expect(rulesFromForm(form)).toEqual({ ok: true, rules: settings.loan_rules });
	});

	it('reports what it cannot read under the field the core names', () => {
		const result = rulesFromForm({ ...rulesForm(settings), max: 'beaucoup', months: '' });
		expect(result.ok).toBe(false);
		if (!result.ok) {
			expect(Object.keys(result.errors).sort()).toEqual([
				'loan_rules.max_cents',
				'loan_rules.max_months'
			]);
		}
	});
});

describe('territory', () => {
	it('sorts communes by name and shows the code of an unnamed one', () => {
		const rows = territoryRows(['62361', '62447', '99999'], {
			'62447': commune('62447', 'Hesdin-la-Forêt', '62140'),
			'62361': commune('62361', 'Fruges', '62310')
		});
		expect(rows.map((r) => r.label)).toEqual(['Commune 99999', 'Fruges', 'Hesdin-la-Forêt']);
	});

	it('starts postal searches in the commune’s department', () => {
		expect(postalPrefixOf('62447')).toBe('62');
		expect(postalPrefixOf('2A004')).toBe('20');
		expect(postalPrefixOf('97411')).toBe('974');
	});

	it('finds names by postal prefixes, and by full codes where a prefix is crowded', async () => {
		const calls: string[] = [];
		const crowd = Array.from({ length: 20 }, (_, i) => commune(`6200${i}`, `C${i}`, '62140'));
		const lookup: CommuneLookup = {
			async searchCommunes(q) {
				calls.push(q);
				if (q === '6214') return crowd;
				if (q === '6231') return [commune('62361', 'Fruges', '62310')];
				return [];
			},
			async communesForPostalCode(code) {
				calls.push(code);
				return code === '62140'
					? [
							commune('62447', 'Hesdin', '62140', 'delegated'),
							commune('62447', 'Hesdin-la-Forêt', '62140')
						]
					: [];
			}
		};
		const found = await findCommunes(['62447', '62361'], lookup);
		expect(found['62361'].name).toBe('Fruges');
		expect(found['62447'].name).toBe('Hesdin-la-Forêt');
		expect(calls.filter((c) => c.length === 4)).toHaveLength(100);
	});
});

/** A picked file as the file input hands it over. */
function picked(name: string, bytes: Uint8Array | string, size?: number) {
	const data = typeof bytes === 'string' ? new TextEncoder().encode(bytes) : bytes;
	return {
		name,
		size: size ?? data.length,
		text: async () => new TextDecoder().decode(data),
		arrayBuffer: async () => data.slice().buffer
	};
}

const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);

describe('summary template and logo files', () => {
	it('reads a typst template as text', async () => {
		const source = '#let d = json("data.json")\n= Fiche de #d.header.holders\n';
		expect(await readTemplate(picked('fiche-maison.typ', source))).toEqual({
			ok: true,
			value: source
		});
	});

	it('refuses what is not a template, in French', async () => {
		const notTyp = await readTemplate(picked('fiche.docx', 'x'));
		expect(notTyp).toEqual({
			ok: false,
			message: "« fiche.docx » n'est pas un modèle typst (fichier .typ)."
		});
		const empty = await readTemplate(picked('vide.typ', '  \n'));
		expect(empty).toEqual({ ok: false, message: 'Le fichier « vide.typ » est vide.' });
		const long = await readTemplate(picked('long.typ', 'x'.repeat(200_001)));
		expect(long.ok).toBe(false);
	});

	it('reads a PNG logo into base64', async () => {
		expect(await readLogo(picked('logo.png', PNG))).toEqual({
			ok: true,
			value: bytesToBase64(PNG)
		});
	});

	it('refuses a logo that is not a PNG or too large', async () => {
		const jpeg = await readLogo(picked('logo.jpg', new Uint8Array([0xff, 0xd8, 0xff, 0xe0])));
		expect(jpeg).toEqual({ ok: false, message: "« logo.jpg » n'est pas une image PNG." });
		const large = await readLogo(picked('grand.png', PNG, LOGO_MAX_BYTES + 1));
		expect(large).toEqual({ ok: false, message: 'Le logo ne doit pas dépasser 512 Kio.' });
	});

	it('encodes bytes as standard base64, large ones too', () => {
		expect(bytesToBase64(new TextEncoder().encode('Hesdin'))).toBe('SGVzZGlu');
		const big = new Uint8Array(100_000).fill(65);
		expect(atob(bytesToBase64(big))).toBe('A'.repeat(100_000));
	});

	it('shows a kept logo as an image address', () => {
		expect(logoAddress('iVBORw0KGgo=')).toBe('data:image/png;base64,iVBORw0KGgo=');
		expect(logoAddress('data:image/png;base64,iVBORw0KGgo=')).toBe(
			'data:image/png;base64,iVBORw0KGgo='
		);
		expect(logoAddress('')).toBe(null);
		expect(logoAddress(undefined)).toBe(null);
	});
});

describe('territory creations per year', () => {
	it('lists the latest year first and reads back what it showed', () => {
		const form = territoryYearsForm(settings);
		expect(form).toEqual([
			{ year: '2016', creations: '333' },
			{ year: '2015', creations: '310' }
		]);
		expect(territoryYearsFromForm(form)).toEqual({
			ok: true,
			years: [
				{ year: 2016, creations: 333 },
				{ year: 2015, creations: 310 }
			]
		});
	});

	it('reads grouped thousands, leaves empty rows out and names an unreadable one', () => {
		expect(
			territoryYearsFromForm([
				{ year: '2016', creations: '1\u202f250' },
				{ year: ' ', creations: '' }
			])
		).toEqual({ ok: true, years: [{ year: 2016, creations: 1250 }] });
		const bad = territoryYearsFromForm([{ year: '2016', creations: 'beaucoup' }]);
		expect(bad.ok).toBe(false);
		if (!bad.ok) expect(bad.errors.territory_creations).toContain('année');
	});
});
