// French formats for what the core sends: ISO dates and timestamps, cents, basis points,
// E.164 phones. Labels of codes come from the generated `LABELS` (bindings/labels.ts).
import type { DossierDraft } from './bindings/DossierDraft';
import type { HolderDraft } from './bindings/HolderDraft';
import { now as clockNow } from './clock';

const PARIS = 'Europe/Paris';

const dateFormat = new Intl.DateTimeFormat('fr-FR', {
	day: '2-digit',
	month: '2-digit',
	year: 'numeric',
	timeZone: PARIS
});

const timeFormat = new Intl.DateTimeFormat('fr-FR', {
	hour: '2-digit',
	minute: '2-digit',
	timeZone: PARIS
});

// Calendar days (`2026-11-26`) have no time zone: read and written in UTC, they never shift.
const dayFormat = new Intl.DateTimeFormat('fr-FR', {
	day: '2-digit',
	month: '2-digit',
	year: 'numeric',
	timeZone: 'UTC'
});

const longDayFormat = new Intl.DateTimeFormat('fr-FR', {
	weekday: 'long',
	day: 'numeric',
	month: 'long',
	year: 'numeric',
	timeZone: 'UTC'
});

/** `26/11/2026` for a timestamp, in the platform's time zone. */
export function formatDate(iso: string | null | undefined): string {
	if (!iso) return '';
	const date = new Date(iso);
	return Number.isNaN(date.getTime()) ? '' : dateFormat.format(date);
}

/** `26/11/2026 à 14:05` for a timestamp, in the platform's time zone. */
export function formatDateTime(iso: string | null | undefined): string {
	if (!iso) return '';
	const date = new Date(iso);
	return Number.isNaN(date.getTime())
		? ''
		: `${dateFormat.format(date)} à ${timeFormat.format(date)}`;
}

function parseDay(iso: string | null | undefined): Date | null {
	const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso ?? '');
	if (!match) return null;
	const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
	return Number.isNaN(date.getTime()) ? null : date;
}

/** `26/11/2026` for a calendar day `2026-11-26`; empty for nothing or nonsense. */
export function formatDay(iso: string | null | undefined): string {
	const date = parseDay(iso);
	return date ? dayFormat.format(date) : '';
}

/** `jeudi 26 novembre 2026` for a calendar day. */
export function formatLongDay(iso: string | null | undefined): string {
	const date = parseDay(iso);
	return date ? longDayFormat.format(date) : '';
}

/** Today as a calendar day `2026-11-26`, in the platform's time zone. */
export function today(now: Date = clockNow()): string {
	const parts = new Intl.DateTimeFormat('fr-FR', {
		year: 'numeric',
		month: '2-digit',
		day: '2-digit',
		timeZone: PARIS
	}).formatToParts(now);
	const part = (type: Intl.DateTimeFormatPartTypes) =>
		parts.find((p) => p.type === type)?.value ?? '';
	return `${part('year')}-${part('month')}-${part('day')}`;
}

/** `03 21 04 56 78` for a French E.164 number; other countries stay in E.164. */
export function formatPhone(e164: string | null | undefined): string {
	if (!e164) return '';
	const match = /^\+33(\d)(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(e164);
	return match ? `0${match.slice(1).join(' ')}` : e164;
}

const euros = new Intl.NumberFormat('fr-FR', {
	style: 'currency',
	currency: 'EUR',
	minimumFractionDigits: 0,
	maximumFractionDigits: 0
});
const eurosAndCents = new Intl.NumberFormat('fr-FR', {
	style: 'currency',
	currency: 'EUR',
	minimumFractionDigits: 2,
	maximumFractionDigits: 2
});

/** `12 345 €` for whole euros, `12 345,50 €` otherwise; empty for no amount. */
export function formatAmount(cents: number | null | undefined): string {
	if (cents === null || cents === undefined) return '';
	return (cents % 100 === 0 ? euros : eurosAndCents).format(cents / 100);
}

const decimal = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 2 });

/** `33,5 %` for 3 350 basis points. */
export function formatPercent(bp: number | null | undefined): string {
	if (bp === null || bp === undefined) return '';
	return `${decimal.format(bp / 100)}\u00a0%`;
}

const oneDecimal = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 1 });

/** `1 pour 3,2`: bank loans for each euro of honour loan. */
export function formatLeverage(leverage: number | null | undefined): string {
	if (leverage === null || leverage === undefined || !Number.isFinite(leverage)) return '';
	return `1 pour ${oneDecimal.format(leverage)}`;
}

/** `3 dossiers`, `1 dossier`, `0 dossier` (French puts 0 and 1 in the singular). */
export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
	return `${new Intl.NumberFormat('fr-FR').format(count)} ${count > 1 ? pluralForm : singular}`;
}

/** A holder's short form, nothing chosen. */
export function emptyHolder(): HolderDraft {
	return { civility: null, last_name: '', first_name: '', phone: '', commune_insee: '' };
}

/** An empty form: one holder, nothing chosen. */
export function emptyDraft(sessionId: string | null = null): DossierDraft {
	return {
		project_type: null,
		idea: '',
		session_id: sessionId,
		referrer: null,
		heard_of_us: '',
		holders: [emptyHolder()]
	};
}

/** `[code, label]` pairs of a generated label map, in its order, for a list of choices. */
export function choices<K extends string>(labels: Readonly<Record<K, string>>): [K, string][] {
	return Object.entries(labels) as [K, string][];
}
