// The bank statement screen's logic: the file picked read into bytes for the core (which
// finds its encoding, separator and columns), the column mapping form read into what the
// core saves by name, and what an import did, said in French.
import type { ApiError } from './bindings/ApiError';
import type { ImportReport } from './bindings/ImportReport';
import type { StatementLine } from './bindings/StatementLine';
import type { StatementMapping } from './bindings/StatementMapping';
import type { StatementReading } from './bindings/StatementReading';
import { plural } from './format';
import type { Read } from './loans';

/** A statement larger than this is not a month's or a year's operations of one account. */
export const STATEMENT_MAX_BYTES = 5 * 1024 * 1024;

/** A file the person picked (a `File` is one). */
export interface PickedStatement {
	name: string;
	size: number;
	arrayBuffer(): Promise<ArrayBuffer>;
}

export type StatementBytes = { ok: true; bytes: number[] } | { ok: false; message: string };

/**
 * The file's bytes as Tauri sends them (an array of numbers). Whether they are a statement
 * is the core's to say; this only refuses a file too large to be one, or empty.
 */
export async function readStatementFile(file: PickedStatement): Promise<StatementBytes> {
	if (file.size > STATEMENT_MAX_BYTES) {
		return {
			ok: false,
			message: `« ${file.name} » est trop gros pour un relevé (au plus ${STATEMENT_MAX_BYTES / 1024 / 1024} Mio).`
		};
	}
	const bytes = Array.from(new Uint8Array(await file.arrayBuffer()));
	if (bytes.length === 0) return { ok: false, message: `Le fichier « ${file.name} » est vide.` };
	return { ok: true, bytes };
}

export interface MappingForm {
	name: string;
	date: string;
	label: string;
	/** One signed amount column, or a credit column (and a debit one). */
	split: boolean;
	amount: string;
	credit: string;
	debit: string;
	reference: string;
}

export function emptyMapping(): MappingForm {
	return { name: '', date: '', label: '', split: false, amount: '', credit: '', debit: '', reference: '' };
}

/** A saved mapping shown in the form again, to adjust it. */
export function mappingToForm(name: string, mapping: StatementMapping): MappingForm {
	return {
		name,
		date: mapping.date,
		label: mapping.label,
		split: mapping.amount === null && (mapping.credit !== null || mapping.debit !== null),
		amount: mapping.amount ?? '',
		credit: mapping.credit ?? '',
		debit: mapping.debit ?? '',
		reference: mapping.reference ?? ''
	};
}

const column = (text: string) => (text.trim() === '' ? null : text.trim());

/** The form as the core saves it: only the amount columns of the kind chosen. The core
 * checks it (`StatementMapping::problems`, the name) and answers by field. */
export function mappingFromForm(form: MappingForm): Read<{ name: string; mapping: StatementMapping }> {
	return {
		ok: true,
		value: {
			name: form.name.trim(),
			mapping: {
				date: form.date.trim(),
				label: form.label.trim(),
				amount: form.split ? null : column(form.amount),
				credit: form.split ? column(form.credit) : null,
				debit: form.split ? column(form.debit) : null,
				reference: column(form.reference)
			}
		}
	};
}

/** The credits and debits of a statement as read, for the preview's heading. */
export function previewSummary(lines: StatementLine[]): string {
	const credits = lines.filter((l) => l.amount_cents > 0).length;
	const debits = lines.filter((l) => l.amount_cents < 0).length;
	return `${plural(lines.length, 'opération')} lue${lines.length > 1 ? 's' : ''} : ${plural(credits, 'crédit')}, ${plural(debits, 'débit')}`;
}

/** What the core found of the file's layout: `Encodage UTF-8 · séparateur point-virgule ·
 * date « Jour », libellé « Opération », montant « Somme »`. */
export function layoutSummary(reading: StatementReading): string {
	const columns = reading.columns.map((c) => `${c.role} « ${c.header} »`).join(', ');
	return `Encodage ${reading.encoding} · séparateur ${reading.separator} · ${columns}`;
}

/** What an import did, in one French sentence; a second import of a file says nothing changed. */
export function reportSummary(report: ImportReport): string {
	const recorded = report.recorded.length;
	const already = report.already_imported.length;
	const left = report.not_matched.length;
	const leftText = plural(left, 'ligne non rapprochée', 'lignes non rapprochées');
	if (recorded === 0 && already > 0) {
		const were = already > 1 ? 'étaient déjà importés' : 'était déjà importé';
		return `Rien n'a changé : ${plural(already, 'remboursement')} de ce relevé ${were}${left > 0 ? `, ${leftText}` : ''}.`;
	}
	const parts = [
		recorded === 0
			? 'Aucun remboursement enregistré'
			: plural(recorded, 'remboursement enregistré', 'remboursements enregistrés')
	];
	if (already > 0) parts.push(plural(already, 'déjà importé', 'déjà importés'));
	if (left > 0) parts.push(leftText);
	if (report.ignored.length > 0) parts.push(plural(report.ignored.length, 'débit ignoré', 'débits ignorés'));
	return `${parts.join(', ')}.`;
}

/** A refusal as the screen shows it: its heading ("Relevé refusé, rien n'a été importé"),
 * then each reason on its own line (the core's message repeats them after a colon). */
export function refusalLines(error: ApiError): { heading: string; reasons: string[] } {
	const joined = ` : ${error.reasons.join(' ; ')}`;
	if (error.reasons.length > 0 && error.message.endsWith(joined)) {
		return { heading: error.message.slice(0, -joined.length), reasons: error.reasons };
	}
	return { heading: error.message, reasons: error.reasons };
}

/** The total of the repayments recorded, in cents. */
export function recordedTotal(report: ImportReport): number {
	return report.recorded.reduce((sum, line) => sum + line.amount_cents, 0);
}
