// What a field shows while it is edited, and when an edit is worth sending.
//
// Stored values are cents, basis points, ISO days and E.164 phones; people edit French text
// ("12 345,50", "33,5", "26/11/2026", "03 21 04 56 78"). The core parses what they type, so
// the UI only has to write stored values back the way people write them.
import { formatDay, formatPhone } from './format';

/** The variants of the self-saving `Field`. */
export type FieldKind =
	| 'text'
	| 'textarea'
	| 'select'
	| 'checkbox'
	| 'amount'
	| 'percent'
	| 'date'
	| 'phone'
	| 'integer';

export type StoredValue = string | number | boolean | null | undefined;

const amountText = new Intl.NumberFormat('fr-FR', {
	minimumFractionDigits: 0,
	maximumFractionDigits: 2,
	useGrouping: true
});

/** Intl groups thousands with a narrow no-break space; people type ordinary spaces. */
function plainSpaces(text: string): string {
	return text.replace(/[\u202f\u00a0]/g, ' ');
}

/** `12 345,50` or `12 345` for cents, to edit. */
export function amountToText(cents: number | null | undefined): string {
	if (cents === null || cents === undefined) return '';
	const whole = cents % 100 === 0;
	const text = whole
		? amountText.format(cents / 100)
		: new Intl.NumberFormat('fr-FR', { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(
				cents / 100
			);
	return plainSpaces(text);
}

/** `33,5` for 3 350 basis points, to edit. */
export function percentToText(bp: number | null | undefined): string {
	if (bp === null || bp === undefined) return '';
	return plainSpaces(amountText.format(bp / 100));
}

/** The text a field shows for a stored value. */
export function toEditText(kind: FieldKind, value: StoredValue): string {
	if (value === null || value === undefined) return '';
	switch (kind) {
		case 'amount':
			return typeof value === 'number' ? amountToText(value) : String(value);
		case 'percent':
			return typeof value === 'number' ? percentToText(value) : String(value);
		case 'date':
			return typeof value === 'string' ? formatDay(value) || value : String(value);
		case 'phone':
			return typeof value === 'string' ? formatPhone(value) : String(value);
		case 'checkbox':
			return value === true ? 'true' : '';
		default:
			return String(value);
	}
}

/** Whether the text typed differs from what is stored, spaces at the ends aside. */
export function hasChanged(typed: string, stored: string): boolean {
	return typed.trim() !== stored.trim();
}

/** What `set_field` receives: the raw text, or null to clear. */
export function rawValue(typed: string): string | null {
	const text = typed.trim();
	return text === '' ? null : text;
}

/**
 * Reads a French amount ("12 345,50", "1 000 €", "1500.5") into cents, for forms that send
 * numbers rather than text (settings). Null when it cannot be read without guessing.
 */
export function parseAmount(text: string): number | null {
	const cleaned = text.replace(/€/g, '').replace(/[\s\u202f\u00a0]/g, '');
	if (cleaned === '') return null;
	const match = /^(\d+)(?:[.,](\d{1,2}))?$/.exec(cleaned);
	if (!match) return null;
	const cents = Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
	return Number.isSafeInteger(cents) ? cents : null;
}

/** Reads "2,5" or "2.5" or "3" into a number; null otherwise. */
export function parseDecimal(text: string): number | null {
	const cleaned = text.replace(/[\s\u202f\u00a0]/g, '').replace(',', '.');
	if (!/^\d+(\.\d+)?$/.test(cleaned)) return null;
	return Number(cleaned);
}

/** Reads a whole number ("84", "1 000"); null otherwise. */
export function parseInteger(text: string): number | null {
	const cleaned = text.replace(/[\s\u202f\u00a0]/g, '');
	if (!/^\d+$/.test(cleaned)) return null;
	const n = Number(cleaned);
	return Number.isSafeInteger(n) ? n : null;
}

/** A number shown for editing: `2,5`. */
export function decimalToText(n: number | null | undefined): string {
	if (n === null || n === undefined) return '';
	return plainSpaces(new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 2 }).format(n));
}

/** A DOM id made of the parts of a field's address (ids may not hold dots). */
export function fieldDomId(...parts: string[]): string {
	return parts.join('-').replace(/[^A-Za-z0-9_-]/g, '-');
}
