// Sync as the advisor sees it: the status line's sentences, the background sync's events
// folded into one view, the setup form's checks and French errors, and the stored values of
// conflicts and refused changes written the French way.
import type { ApiError } from './bindings/ApiError';
import type { ConflictRecord } from './bindings/ConflictRecord';
import type { Dossier } from './bindings/Dossier';
import type { SyncEvent } from './bindings/SyncEvent';
import type { SyncProgress } from './bindings/SyncProgress';
import type { SyncReport } from './bindings/SyncReport';
import type { SyncStatus } from './bindings/SyncStatus';
import { FIELDS, RECORDS, type FieldInfo, type RecordName } from './bindings/catalogue';
import { LABELS } from './bindings/labels';
import { now as clockNow } from './clock';
import type { FileRead, PickedFile } from './settings';
import {
	formatAmount,
	formatDateTime,
	formatDay,
	formatPercent,
	formatPhone,
	today
} from './format';

const count = new Intl.NumberFormat('fr-FR');

// ---------------------------------------------------------------------------------------------
// The status line

/** `3 modifications en attente`, `1 modification en attente`, or `Tout est synchronisé`. */
export function pendingText(pending: number): string {
	if (pending <= 0) return 'Tout est synchronisé';
	return pending === 1
		? '1 modification en attente'
		: `${count.format(pending)} modifications en attente`;
}

const clock = new Intl.DateTimeFormat('fr-FR', {
	hour: '2-digit',
	minute: '2-digit',
	timeZone: 'Europe/Paris'
});

/** Offline, said calmly: the normal state at a permanence, nothing for the advisor to do.
 * `Hors connexion · 12 modifications gardées sur cet ordinateur`. */
export function offlineText(pending: number): string {
	if (pending <= 0) return 'Hors connexion · rien en attente';
	return pending === 1
		? 'Hors connexion · 1 modification gardée sur cet ordinateur'
		: `Hors connexion · ${count.format(pending)} modifications gardées sur cet ordinateur`;
}

/** `aujourd'hui à 14:32`, `hier à 09:05`, `le 24/11/2026 à 14:32`; `jamais` for none. */
export function whenText(iso: string | null | undefined, now: Date = clockNow()): string {
	if (!iso) return 'jamais';
	const at = new Date(iso);
	if (Number.isNaN(at.getTime())) return 'jamais';
	const day = today(at);
	if (day === today(now)) return `aujourd'hui à ${clock.format(at)}`;
	if (day === today(new Date(now.getTime() - 86_400_000))) return `hier à ${clock.format(at)}`;
	return `le ${formatDateTime(iso)}`;
}

/** `Dernière synchronisation : aujourd'hui à 14:32`. */
export function lastSyncText(iso: string | null | undefined, now: Date = clockNow()): string {
	return iso
		? `Dernière synchronisation : ${whenText(iso, now)}`
		: 'Jamais synchronisé avec le siège';
}

/** `Envoi 200/1 103…` while pushing; `Réception 4 000/90 000…` while pulling once the head
 * office said how much there is (`Réception… 500 reçues` before). */
export function progressText(progress: SyncProgress): string {
	if (progress.phase === 'envoi') {
		return progress.to_send > 0
			? `Envoi ${count.format(progress.sent)}/${count.format(progress.to_send)}…`
			: 'Envoi…';
	}
	if (progress.phase === 'état') return 'Réception de l’état de la plateforme…';
	if (progress.to_receive > 0) {
		return `Réception ${count.format(progress.received)}/${count.format(progress.to_receive)}…`;
	}
	return progress.received > 0
		? `Réception… ${count.format(progress.received)} reçue${progress.received > 1 ? 's' : ''}`
		: 'Réception…';
}

/** The changes still to send: while a sync pushes, what its progress says is left (the
 * status is only read between batches); otherwise the status's count. */
export function pendingNow(
	status: SyncStatus,
	progress: SyncProgress | null,
	running: boolean
): number {
	if (running && progress?.phase === 'envoi' && progress.to_send > 0)
		return Math.max(0, progress.to_send - progress.sent);
	return status.pending_changes;
}

/** How far the push or the pull has gone, 0 to 1, or null while no total is known. */
export function progressRatio(progress: SyncProgress): number | null {
	if (progress.phase === 'envoi') {
		return progress.to_send > 0 ? Math.min(1, progress.sent / progress.to_send) : null;
	}
	return progress.to_receive > 0 ? Math.min(1, progress.received / progress.to_receive) : null;
}

/** `nouvel essai dans 30 s`, `… dans 2 min 30 s`; `nouvel essai imminent` at the end. */
export function retryText(seconds: number): string {
	const s = Math.max(0, Math.ceil(seconds));
	if (s === 0) return 'nouvel essai imminent';
	if (s < 60) return `nouvel essai dans ${s} s`;
	const minutes = Math.floor(s / 60);
	const rest = s % 60;
	return rest === 0
		? `nouvel essai dans ${minutes} min`
		: `nouvel essai dans ${minutes} min ${rest} s`;
}

/** `2 conflits à revoir`, `1 modification refusée`. */
export function reviewCounts(status: SyncStatus): { conflicts: string; refused: string } {
	const c = status.open_conflicts;
	const r = status.refused_changes;
	return {
		conflicts: `${count.format(c)} conflit${c > 1 ? 's' : ''} à revoir`,
		refused: `${count.format(r)} modification${r > 1 ? 's' : ''} refusée${r > 1 ? 's' : ''}`
	};
}

// ---------------------------------------------------------------------------------------------
// The background sync, as one view

export type SyncView = {
	status: SyncStatus | null;
	/** A sync is under way (between `started` and `done` / `failed`). */
	running: boolean;
	progress: SyncProgress | null;
	/** The last failure, until a sync succeeds; `retryAt` in milliseconds since the epoch;
	 * `offline` when nothing answered (calm), else it needs the advisor (red). */
	failure: { message: string; retryAt: number; offline: boolean } | null;
	lastReport: SyncReport | null;
	/** Counts finished syncs, so that screens reload what a sync may have changed. */
	finished: number;
};

export function initialView(): SyncView {
	return { status: null, running: false, progress: null, failure: null, lastReport: null, finished: 0 };
}

/** The view after one event of the background sync, at `now` (milliseconds). */
export function applyEvent(view: SyncView, event: SyncEvent, now: number): SyncView {
	switch (event.kind) {
		case 'started':
			return { ...view, running: true, progress: null };
		case 'progress':
			return { ...view, running: true, progress: event.progress };
		case 'done': {
			const report = event.report;
			const status = view.status && {
				...view.status,
				pending_changes: report.pending,
				open_conflicts: report.open_conflicts,
				refused_changes: report.refused_changes,
				last_sync_at: new Date(now).toISOString()
			};
			return {
				...view,
				status,
				running: false,
				progress: null,
				failure: null,
				lastReport: report,
				finished: view.finished + 1
			};
		}
		case 'failed':
			return {
				...view,
				running: false,
				progress: null,
				failure: {
					message: event.message,
					retryAt: now + event.retry_in_seconds * 1000,
					offline: event.offline
				},
				finished: view.finished + 1
			};
	}
}

/** What the last sync did, in a sentence: `12 envoyées, 30 reçues, 1 conflit`. */
export function reportText(report: SyncReport): string {
	const { pushed, pulled, conflicts, refused, from_snapshot } = report.counts;
	const parts = [
		`${count.format(pushed)} envoyée${pushed > 1 ? 's' : ''}`,
		`${count.format(pulled)} reçue${pulled > 1 ? 's' : ''}`
	];
	// A new laptop's first sync: the platform's dossiers came in one piece.
	if (from_snapshot > 0)
		parts.splice(1, 0, `${count.format(from_snapshot)} dossier${from_snapshot > 1 ? 's' : ''} reçu${from_snapshot > 1 ? 's' : ''} d’un bloc`);
	if (conflicts > 0) parts.push(`${count.format(conflicts)} conflit${conflicts > 1 ? 's' : ''}`);
	if (refused > 0) parts.push(`${count.format(refused)} refusée${refused > 1 ? 's' : ''}`);
	return parts.join(', ');
}

/**
 * What the setup screen says after a registration, from the sync view rather than fixed at
 * the registration: the first sync is under way until a sync ends after it (`finished`
 * counted at the registration's start), then how it ended.
 */
export function registrationText(
	advisor: string,
	finishedBefore: number,
	view: Pick<SyncView, 'running' | 'progress' | 'failure' | 'lastReport' | 'finished'>
): { text: string; tone: 'ok' | 'busy' | 'calm' | 'error' } {
	const linked = `Cet ordinateur est relié au siège sous le compte de ${advisor}.`;
	if (view.finished <= finishedBefore) {
		if (view.running && view.progress)
			return { text: `${linked} Première synchronisation : ${progressText(view.progress)}`, tone: 'busy' };
		return { text: `${linked} La première synchronisation commence.`, tone: 'busy' };
	}
	if (view.failure) {
		return view.failure.offline
			? { text: `${linked} Le siège ne répond plus : la synchronisation reprendra d'elle-même.`, tone: 'calm' }
			: { text: `${linked} La première synchronisation n'a pas abouti : ${view.failure.message}`, tone: 'error' };
	}
	const report = view.lastReport ? ` : ${reportText(view.lastReport)}` : '';
	return { text: `${linked} Première synchronisation terminée${report}.`, tone: 'ok' };
}

// ---------------------------------------------------------------------------------------------
// The setup form

export type RegisterForm = { server: string; login: string; password: string };
export type RegisterErrors = Partial<
	Record<keyof RegisterForm | 'certificate' | 'general', string>
>;

/** Largest certificate authority file read, in bytes (a PEM bundle is a few KiB). */
export const CERTIFICATE_MAX_BYTES = 256 * 1024;

/**
 * Reads the network's certificate authority (PEM) for a head office whose certificate comes
 * from it. Whether it holds a usable certificate is the core's to say; this refuses what is
 * plainly not a PEM certificate.
 */
export async function readCertificate(file: PickedFile): Promise<FileRead> {
	if (file.size > CERTIFICATE_MAX_BYTES) {
		return { ok: false, message: `« ${file.name} » est trop grand pour un certificat.` };
	}
	const text = await file.text();
	if (!text.includes('-----BEGIN CERTIFICATE-----')) {
		return {
			ok: false,
			message: `« ${file.name} » n'est pas un certificat au format PEM (« -----BEGIN CERTIFICATE----- »).`
		};
	}
	return { ok: true, value: text };
}

/** The head office's address as typed, trimmed. The core completes an address without its
 * scheme (`http://` for this machine, `127.0.0.1:8750`; `https://` for any other) and names
 * the address it tried when nothing answers there. */
export function normalizeServer(text: string): string {
	return text.trim().replace(/\/+$/, '');
}

/** What is missing from the form before asking the head office anything. */
export function checkRegisterForm(form: RegisterForm): RegisterErrors {
	const errors: RegisterErrors = {};
	if (!form.server.trim()) errors.server = "Indiquez l'adresse du siège.";
	if (!form.login.trim()) errors.login = 'Indiquez votre identifiant.';
	if (!form.password) errors.password = 'Indiquez votre mot de passe.';
	return errors;
}

/** A refused registration, with its message beside the field it concerns. */
export function registerErrors(error: ApiError): RegisterErrors {
	switch (error.code) {
		case 'invalid_input':
			if (error.fields?.server) return { server: error.fields.server };
			if (error.fields?.login) return { login: error.fields.login };
			if (error.fields?.certificate) return { certificate: error.fields.certificate };
			return { general: error.message };
		case 'unauthorized':
			return { password: 'Identifiant ou mot de passe incorrect.' };
		case 'unreachable': {
			// The core names the address it tried and what to type instead.
			if (error.fields?.server) return { server: error.fields.server };
			const detail = /\(([^)]*)\)/.exec(error.message)?.[1];
			// Every certificate problem the core names says "certificat du siège".
			if (detail?.includes('certificat du siège')) {
				// The head office answered, with a certificate this laptop does not trust.
				return { certificate: `${detail.charAt(0).toUpperCase()}${detail.slice(1)}.` };
			}
			return {
				server: `Siège injoignable à cette adresse${detail ? ` (${detail})` : ''} : vérifiez l'adresse et la connexion, puis réessayez.`
			};
		}
		case 'bad_request':
		case 'method_not_allowed':
			return {
				server:
					"Cette adresse ne répond pas comme un siège Permanence : vérifiez l'adresse."
			};
		default:
			return { general: error.message };
	}
}

// ---------------------------------------------------------------------------------------------
// Conflicts and refused changes: what, when, which value

/** The wall-clock time of an HLC stamp `0001764150000000-0001-<device>`, or null. */
export function hlcDate(hlc: string): Date | null {
	const match = /^(\d{16})-/.exec(hlc);
	if (!match) return null;
	const date = new Date(Number(match[1]));
	return Number.isNaN(date.getTime()) ? null : date;
}

/** `26/11/2026 à 14:05` for an HLC stamp; empty when it cannot be read. */
export function formatHlc(hlc: string): string {
	const date = hlcDate(hlc);
	return date ? formatDateTime(date.toISOString()) : '';
}

/** A record kind's name, from the catalogue (`sync` names a loss of changes, not a record). */
export function entityLabel(entity: string): string {
	if (entity === 'sync') return 'Synchronisation';
	return (RECORDS as Record<string, string>)[entity] ?? entity;
}

/** A field's entry in the catalogue: its label and code list. */
function fieldInfo(entity: string, name: string): FieldInfo | undefined {
	return FIELDS[entity as RecordName]?.[name];
}

/** The field's name in the dossier screen: `Chiffre d'affaires, année 2`, `CV : état`. */
/** The pseudo-field of a conflict between a dossier's deletion and an edit of it. */
export const DELETED_FIELD = 'deleted';

/** Whether a conflict opposes a dossier's deletion (the winner) and an edit of it. */
export function isDeletion(conflict: { entity: string; field: string | null }): boolean {
	return conflict.entity === 'dossier' && conflict.field === DELETED_FIELD;
}

export function fieldLabel(entity: string, field: string | null): string {
	if (field === null) return 'Enregistrement entier';
	if (isDeletion({ entity, field })) return 'Suppression du dossier';
	const [head, tail] = field.includes('.') ? field.split('.', 2) : [null, field];
	const label = fieldInfo(entity, tail)?.label ?? field;
	if (entity === 'forecast' && head) return `${label}, année ${head}`;
	if (entity === 'document' && head) {
		const kind = (LABELS.DocumentKind as Record<string, string>)[head] ?? head;
		return `${kind} : ${label.toLowerCase()}`;
	}
	return label;
}

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

/** A stored value (JSON as synced) written for a person, from what its field name says. */
export function formatValue(entity: string, field: string | null, value: unknown): string {
	if (value === null || value === undefined || value === '') return '(vide)';
	if (isDeletion({ entity, field }) && typeof value === 'boolean')
		return value ? 'Dossier supprimé' : 'Dossier modifié pendant ce temps';
	if (typeof value === 'boolean') return value ? 'Oui' : 'Non';
	const name = field?.includes('.') ? field.split('.', 2)[1] : (field ?? '');
	if (typeof value === 'number') {
		if (name.endsWith('_cents')) return formatAmount(value);
		if (name.endsWith('_bp')) return formatPercent(value);
		if (name.endsWith('months')) return `${count.format(value)} mois`;
		return count.format(value);
	}
	if (typeof value === 'string') {
		const list = fieldInfo(entity, name)?.codes as keyof typeof LABELS | null | undefined;
		if (list && list in LABELS) return (LABELS[list] as Record<string, string>)[value] ?? value;
		if (ISO_DAY.test(value)) return formatDay(value);
		if (ISO_TIME.test(value)) return formatDateTime(value) || value;
		if (name === 'phone') return formatPhone(value);
		return value;
	}
	return '(enregistrement entier)';
}

/** The dossier a refused change belongs to: its own id for records addressed by the dossier,
 * else the `dossier_id` of a whole record sent (a note, a line, an agenda entry). */
export function refusedDossierId(change: {
	entity: string;
	entity_id: string;
	value: unknown;
}): string | null {
	if (['dossier', 'business', 'forecast', 'document'].includes(change.entity))
		return change.entity_id;
	const value = change.value as { dossier_id?: unknown } | null;
	return value && typeof value === 'object' && typeof value.dossier_id === 'string'
		? value.dossier_id
		: null;
}

type Row = Record<string, unknown>;

/** The field's value in the dossier as it is now, or undefined when it cannot be found
 * there (a record deleted since, a field the read model does not carry). */
export function currentValue(
	dossier: Dossier,
	conflict: Pick<ConflictRecord, 'entity' | 'entity_id' | 'field'>
): unknown {
	const { entity, entity_id: id, field } = conflict;
	const [head, tail] = field.includes('.') ? field.split('.', 2) : ['', field];
	const pick = (row: unknown, name: string) =>
		row && typeof row === 'object' && name in row ? (row as Row)[name] : undefined;
	switch (entity) {
		case 'dossier':
			return pick(dossier, field);
		case 'business':
			return pick(dossier.business, field);
		case 'holder':
			return pick(
				dossier.holders.find((h) => h.id === id),
				field
			);
		case 'financing_line':
			return pick(
				dossier.financing.find((l) => l.id === id),
				field
			);
		case 'forecast':
			return pick(
				dossier.forecast.find((y) => String(y.year) === head),
				tail
			);
		case 'document':
			return pick(
				dossier.documents.find((d) => d.kind === head),
				tail
			);
		default:
			return undefined;
	}
}

/** The value now in the dossier when it is no longer the one that won (changed since the
 * conflict, on this laptop or another); null when the winner is still in place or unknown. */
export function changedSince(
	dossier: Dossier | undefined,
	conflict: ConflictRecord
): { value: unknown } | null {
	if (!dossier) return null;
	const now = currentValue(dossier, conflict);
	if (now === undefined) return null;
	const same = JSON.stringify(now ?? null) === JSON.stringify(conflict.winner_value ?? null);
	return same ? null : { value: now };
}

