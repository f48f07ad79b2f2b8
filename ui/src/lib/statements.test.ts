import { describe, expect, it } from 'vitest';
import type { ImportReport } from './bindings/ImportReport';
import type { MatchedLine } from './bindings/MatchedLine';
import type { ReportLine } from './bindings/ReportLine';
import {
	emptyMapping,
	layoutSummary,
	mappingFromForm,
	mappingToForm,
	previewSummary,
	readStatementFile,
	recordedTotal,
	refusalLines,
	reportSummary,
	STATEMENT_MAX_BYTES
} from './statements';

function file(name: string, bytes: number[], size = bytes.length) {
	return { name, size, arrayBuffer: async () => new Uint8Array(bytes).buffer };
}

function matched(line: number, cents: number): MatchedLine {
	return {
		line,
		on: '2026-11-05',
		amount_cents: cents,
		label: 'VIR LEFEVRE',
		loan_id: 'l',
		reference: 'PH-1',
		holder_last_name: 'Lefèvre',
		movement_id: `m${line}`,
		matched_by: 'reference'
	};
}

function left(line: number, reason: string): ReportLine {
	return { line, on: '2026-11-05', amount_cents: 100, label: 'X', reason };
}

function report(changes: Partial<ImportReport>): ImportReport {
	return { recorded: [], already_imported: [], not_matched: [], ignored: [], ...changes };
}

describe('readStatementFile', () => {
	it('hands the bytes over untouched, whatever their encoding (the core reads it)', async () => {
		// "é" in Latin-1, then a UTF-8 BOM: neither is decoded here.
		const read = await readStatementFile(file('releve.csv', [0xe9, 0x3b, 0xef, 0xbb, 0xbf]));
		expect(read).toEqual({ ok: true, bytes: [0xe9, 0x3b, 0xef, 0xbb, 0xbf] });
	});

	it('refuses an empty file and one too large to be a statement, in French', async () => {
		const empty = await readStatementFile(file('vide.csv', []));
		expect(empty).toEqual({ ok: false, message: 'Le fichier « vide.csv » est vide.' });
		const large = await readStatementFile(file('gros.csv', [1], STATEMENT_MAX_BYTES + 1));
		expect(large.ok).toBe(false);
		if (!large.ok) expect(large.message).toContain('trop gros');
	});
});

describe('the mapping form', () => {
	it('sends only the amount columns of the kind chosen, blank ones as none', () => {
		const form = { ...emptyMapping(), name: ' Banque du Nord ', date: 'Jour', label: 'Texte', amount: 'Somme', credit: 'Crédit' };
		expect(mappingFromForm(form)).toEqual({
			ok: true,
			value: {
				name: 'Banque du Nord',
				mapping: { date: 'Jour', label: 'Texte', amount: 'Somme', credit: null, debit: null, reference: null }
			}
		});
		const split = mappingFromForm({ ...form, split: true, debit: 'Débit', reference: ' Réf ' });
		expect(split.ok && split.value.mapping).toEqual({
			date: 'Jour',
			label: 'Texte',
			amount: null,
			credit: 'Crédit',
			debit: 'Débit',
			reference: 'Réf'
		});
	});

	it('shows a saved mapping again as it was typed', () => {
		const form = mappingToForm('Banque', { date: 'D', label: 'L', amount: null, credit: 'C', debit: 'B', reference: null });
		expect(form).toMatchObject({ name: 'Banque', split: true, credit: 'C', debit: 'B', amount: '', reference: '' });
		expect(mappingToForm('X', { date: 'D', label: 'L', amount: 'M', credit: null, debit: null, reference: null }).split).toBe(false);
	});
});

describe('what a statement and an import say', () => {
	it('counts the credits and debits read', () => {
		const line = (cents: number) => ({ number: 2, on: '2026-11-05', amount_cents: cents, label: '', reference: '' });
		expect(previewSummary([line(100), line(200), line(-50)])).toBe('3 opérations lues : 2 crédits, 1 débit');
	});

	it('says what was recorded, left and ignored', () => {
		const r = report({
			recorded: [matched(2, 25_000), matched(3, 25_000), matched(4, 25_000)],
			not_matched: [left(6, 'Aucun prêt reconnu')],
			ignored: [left(7, 'Débit')]
		});
		expect(reportSummary(r)).toBe('3 remboursements enregistrés, 1 ligne non rapprochée, 1 débit ignoré.');
		expect(recordedTotal(r)).toBe(75_000);
	});

	it('says that nothing changed when the same file comes again', () => {
		const again = report({ already_imported: [left(2, 'Déjà importé'), left(3, 'Déjà importé')], ignored: [left(7, 'Débit')] });
		expect(reportSummary(again)).toBe("Rien n'a changé : 2 remboursements de ce relevé étaient déjà importés.");
		const withLeft = report({ already_imported: [left(2, 'Déjà importé')], not_matched: [left(6, 'Aucun prêt reconnu')] });
		expect(reportSummary(withLeft)).toBe(
			"Rien n'a changé : 1 remboursement de ce relevé était déjà importé, 1 ligne non rapprochée."
		);
		expect(reportSummary(report({ not_matched: [left(2, 'x')] }))).toBe(
			'Aucun remboursement enregistré, 1 ligne non rapprochée.'
		);
	});
});

describe('refusalLines', () => {
	it('puts the heading apart from the reasons the message repeats', () => {
		const reasons = ['colonnes non reconnues, colonnes trouvées : « Jour »', 'indiquez quelle colonne porte la date'];
		const shown = refusalLines({
			code: 'not_allowed',
			message: `Relevé refusé, rien n'a été importé : ${reasons.join(' ; ')}`,
			reasons
		});
		expect(shown).toEqual({ heading: "Relevé refusé, rien n'a été importé", reasons });
		expect(refusalLines({ code: 'not_found', message: 'Introuvable.', reasons: [] })).toEqual({
			heading: 'Introuvable.',
			reasons: []
		});
	});
});

describe('layoutSummary', () => {
	it('says the encoding, the separator and each column read with its header', () => {
		const reading = {
			encoding: 'Windows-1252 (Latin-1)',
			separator: 'point-virgule',
			columns: [
				{ role: 'date', header: 'Jour' },
				{ role: 'libellé', header: 'Opération' },
				{ role: 'montant', header: 'Somme' }
			],
			lines: []
		};
		expect(layoutSummary(reading)).toBe(
			'Encodage Windows-1252 (Latin-1) · séparateur point-virgule · date « Jour », libellé « Opération », montant « Somme »'
		);
	});
});
