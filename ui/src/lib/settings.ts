// The settings screen's logic: the loan rules as French text and back, and the names of the
// territory's communes (stored as INSEE codes).
import type { Commune } from './bindings/Commune';
import type { LoanRules } from './bindings/LoanRules';
import type { PlatformSettings } from './bindings/PlatformSettings';
import type { TerritoryYear } from './bindings/TerritoryYear';
import { amountToText, decimalToText, parseAmount, parseDecimal, parseInteger } from './edit';

/** The loan rules as the form edits them. */
export interface RulesForm {
	min: string;
	max: string;
	months: string;
	deferral: string;
	leverage: string;
	grace: string;
}

export function rulesForm(settings: PlatformSettings | null): RulesForm {
	const r = settings?.loan_rules;
	return {
		min: r ? amountToText(r.min_cents) : '',
		max: r ? amountToText(r.max_cents) : '',
		months: r ? String(r.max_months) : '',
		deferral: r ? String(r.max_deferral_months) : '',
		leverage: r ? decimalToText(r.min_bank_leverage) : '',
		grace: r ? String(r.grace_days) : ''
	};
}

export type RulesResult =
	| { ok: true; rules: LoanRules }
	| { ok: false; errors: Record<string, string> };

/** Reads the form; what cannot be read is reported under the field the core would name. */
export function rulesFromForm(form: RulesForm): RulesResult {
	const errors: Record<string, string> = {};
	const min = parseAmount(form.min);
	const max = parseAmount(form.max);
	const months = parseInteger(form.months);
	const deferral = parseInteger(form.deferral);
	const leverage = form.leverage.trim() === '' ? 0 : parseDecimal(form.leverage);
	const grace = parseInteger(form.grace);
	const amount = 'Indiquez un montant en euros, par exemple 10 000.';
	if (min === null) errors['loan_rules.min_cents'] = amount;
	if (max === null) errors['loan_rules.max_cents'] = amount;
	if (months === null) errors['loan_rules.max_months'] = 'Indiquez un nombre de mois.';
	if (deferral === null) errors['loan_rules.max_deferral_months'] = 'Indiquez un nombre de mois.';
	if (leverage === null)
		errors['loan_rules.min_bank_leverage'] = 'Indiquez un nombre, par exemple 2 ou 2,5.';
	if (grace === null) errors['loan_rules.grace_days'] = 'Indiquez un nombre de jours.';
	if (
		min === null ||
		max === null ||
		months === null ||
		deferral === null ||
		leverage === null ||
		grace === null
	) {
		return { ok: false, errors };
	}
	return {
		ok: true,
		rules: {
			min_cents: min,
			max_cents: max,
			max_months: months,
			max_deferral_months: deferral,
			min_bank_leverage: leverage,
			grace_days: grace
		}
	};
}

/** A year of the territory's creations and takeovers, as the form edits it. */
export interface TerritoryYearForm {
	year: string;
	creations: string;
}

export function territoryYearsForm(settings: PlatformSettings | null): TerritoryYearForm[] {
	return [...(settings?.territory_creations ?? [])]
		.sort((a, b) => b.year - a.year)
		.map((t) => ({ year: String(t.year), creations: String(t.creations) }));
}

export type TerritoryYearsResult =
	| { ok: true; years: TerritoryYear[] }
	| { ok: false; errors: Record<string, string> };

/** Reads the rows (an empty row is left out); the core checks the values themselves. */
export function territoryYearsFromForm(rows: TerritoryYearForm[]): TerritoryYearsResult {
	const years: TerritoryYear[] = [];
	for (const row of rows) {
		if (row.year.trim() === '' && row.creations.trim() === '') continue;
		const year = parseInteger(row.year);
		const creations = parseInteger(row.creations.replace(/[\s\u202f\u00a0]/g, ''));
		if (year === null || creations === null) {
			return {
				ok: false,
				errors: {
					territory_creations:
						'Indiquez pour chaque ligne une année et un nombre de créations et reprises.'
				}
			};
		}
		years.push({ year, creations });
	}
	return { ok: true, years };
}

export interface TerritoryRow {
	insee: string;
	label: string;
}

/** The territory sorted by name; a commune whose name is not known yet shows its code. */
export function territoryRows(codes: string[], names: Record<string, Commune>): TerritoryRow[] {
	return codes
		.map((insee) => ({ insee, label: names[insee]?.name ?? `Commune ${insee}` }))
		.sort((a, b) => a.label.localeCompare(b.label, 'fr'));
}

/**
 * The postal prefix where a commune's postal code most likely starts: its department
 * (Corsica's 2A and 2B use 20, overseas departments three digits). Only a starting point
 * for finding names: postal codes do not follow departments everywhere.
 */
export function postalPrefixOf(insee: string): string {
	if (/^2[AB]/i.test(insee)) return '20';
	if (insee.startsWith('97')) return insee.slice(0, 3);
	return insee.slice(0, 2);
}

export interface CommuneLookup {
	searchCommunes(query: string): Promise<Commune[]>;
	communesForPostalCode(code: string): Promise<Commune[]>;
}

/** What a postal-code search returns at most (the core's limit). */
const SEARCH_LIMIT = 20;

/**
 * Finds the communes with these INSEE codes through postal-code searches (the reference
 * data is searched by name or postal code only): by four-digit prefixes within their
 * departments, then by full code where a prefix has more communes than one search returns.
 */
export async function findCommunes(
	codes: string[],
	lookup: CommuneLookup
): Promise<Record<string, Commune>> {
	const wanted = new Set(codes);
	const found: Record<string, Commune> = {};
	const keep = (list: Commune[]) => {
		for (const c of list) {
			if (!wanted.has(c.insee)) continue;
			// A current commune shares its code with its delegated commune: keep the current one.
			if (!found[c.insee] || c.kind === 'current') found[c.insee] = c;
		}
	};
	const done = () => Object.keys(found).length === wanted.size;
	const prefixes = [...new Set(codes.map(postalPrefixOf))];
	for (const prefix of prefixes) {
		if (done()) break;
		const fours = Array.from({ length: 10 ** (4 - prefix.length) }, (_, i) =>
			`${prefix}${String(i).padStart(4 - prefix.length, '0')}`
		);
		const pages = await Promise.all(fours.map((p) => lookup.searchCommunes(p).catch(() => [])));
		const crowded: string[] = [];
		pages.forEach((list, i) => {
			keep(list);
			if (list.length >= SEARCH_LIMIT) crowded.push(fours[i]);
		});
		for (const four of crowded) {
			if (done()) break;
			const lists = await Promise.all(
				Array.from({ length: 10 }, (_, d) =>
					lookup.communesForPostalCode(`${four}${d}`).catch(() => [])
				)
			);
			lists.forEach(keep);
		}
	}
	return found;
}

/** Longest summary template the core accepts, in characters (`SUMMARY_TEMPLATE_MAX`). */
export const TEMPLATE_MAX_CHARS = 200_000;
/** Largest logo the core accepts, in bytes (`LOGO_MAX_BYTES`). */
export const LOGO_MAX_BYTES = 512 * 1024;

export type FileRead = { ok: true; value: string } | { ok: false; message: string };

/** A file the person picked: its name and contents (a `File` is one). */
export interface PickedFile {
	name: string;
	size: number;
	text(): Promise<string>;
	arrayBuffer(): Promise<ArrayBuffer>;
}

/**
 * Reads a summary template (typst source, `.typ`). Whether it typesets is the core's to say
 * (`checkSummarySettings`); this only refuses what is plainly not a template.
 */
export async function readTemplate(file: PickedFile): Promise<FileRead> {
	if (!/\.typ$/i.test(file.name)) {
		return { ok: false, message: `« ${file.name} » n'est pas un modèle typst (fichier .typ).` };
	}
	const text = await file.text();
	if (text.trim() === '') return { ok: false, message: `Le fichier « ${file.name} » est vide.` };
	if (text.length > TEMPLATE_MAX_CHARS) {
		return {
			ok: false,
			message: `Le modèle ne doit pas dépasser ${new Intl.NumberFormat('fr-FR').format(TEMPLATE_MAX_CHARS)} caractères.`
		};
	}
	return { ok: true, value: text };
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** Reads a PNG logo into base64, as the settings keep it; the core checks it again. */
export async function readLogo(file: PickedFile): Promise<FileRead> {
	if (file.size > LOGO_MAX_BYTES) {
		return { ok: false, message: `Le logo ne doit pas dépasser ${LOGO_MAX_BYTES / 1024} Kio.` };
	}
	const bytes = new Uint8Array(await file.arrayBuffer());
	if (!PNG_SIGNATURE.every((b, i) => bytes[i] === b)) {
		return { ok: false, message: `« ${file.name} » n'est pas une image PNG.` };
	}
	return { ok: true, value: bytesToBase64(bytes) };
}

/** Standard base64 of bytes, in slices (a large logo would overflow one call's arguments). */
export function bytesToBase64(bytes: Uint8Array): string {
	let binary = '';
	const slice = 0x8000;
	for (let i = 0; i < bytes.length; i += slice) {
		binary += String.fromCharCode(...bytes.subarray(i, i + slice));
	}
	return btoa(binary);
}

/** An image address for the logo kept in the settings (with or without its `data:` prefix). */
export function logoAddress(base64: string | null | undefined): string | null {
	const text = base64?.trim();
	if (!text) return null;
	return text.startsWith('data:') ? text : `data:image/png;base64,${text}`;
}
