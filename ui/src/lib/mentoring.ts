// The mentoring and workshop screens' logic: their forms read into what the core records (the
// core checks them again and answers by field), and what a workshop's seats and a dossier's
// pairings say on screen.
import type { Dossier } from './bindings/Dossier';
import type { MeetingDraft } from './bindings/MeetingDraft';
import type { MentorForm } from './bindings/MentorForm';
import type { Pairing } from './bindings/Pairing';
import type { PairingForm } from './bindings/PairingForm';
import type { Workshop } from './bindings/Workshop';
import type { WorkshopDraft } from './bindings/WorkshopDraft';
import { parseInteger } from './edit';
import { plural } from './format';
import { readDay, type Read } from './loans';

const DAY = 'Indiquez une date, par exemple 15/03/2026.';

export function emptyMentor(): MentorForm {
	return { name: '', trade: '', commune_insee: '', availability: '', active: true };
}

export interface PairingFields {
	mentor: string;
	start: string;
}

/** The pairing form as typed; what cannot be read is reported under the field the core names. */
export function pairingFromForm(form: PairingFields): Read<PairingForm> {
	const errors: Record<string, string> = {};
	const start = readDay(form.start);
	if (form.mentor === '') errors.mentor_id = 'Choisissez un parrain.';
	if (start === null) errors.start_on = DAY;
	if (start === null || form.mentor === '') return { ok: false, errors };
	return { ok: true, value: { mentor_id: form.mentor, start_on: start } };
}

export interface MeetingFields {
	on: string;
	note: string;
}

export function meetingFromForm(pairingId: string, form: MeetingFields): Read<MeetingDraft> {
	const on = readDay(form.on);
	if (on === null) return { ok: false, errors: { met_on: DAY } };
	return { ok: true, value: { pairing_id: pairingId, met_on: on, note: form.note.trim() } };
}

export interface WorkshopFields {
	on: string;
	theme: string;
	place: string;
	capacity: string;
}

export function workshopFromForm(form: WorkshopFields): Read<WorkshopDraft> {
	const errors: Record<string, string> = {};
	const on = readDay(form.on);
	const capacity = parseInteger(form.capacity);
	if (on === null) errors.held_on = DAY;
	if (capacity === null) errors.capacity = 'Indiquez un nombre de places.';
	if (on === null || capacity === null) return { ok: false, errors };
	return {
		ok: true,
		value: { held_on: on, theme: form.theme, place: form.place, capacity }
	};
}

/** Whether a workshop has no seat left. */
export function isFull(workshop: Workshop): boolean {
	return workshop.registered >= workshop.capacity;
}

/** "3 inscrits sur 12 places", "complet (12 places)", "14 inscrits sur 12 places" when two
 * laptops filled the last seat each. */
export function seats(workshop: Workshop): string {
	const capacity = plural(workshop.capacity, 'place');
	if (workshop.registered === workshop.capacity) return `complet (${capacity})`;
	return `${plural(workshop.registered, 'inscrit')} sur ${capacity}`;
}

/** "2 présents", once the workshop was held; empty before. */
export function presence(workshop: Workshop, today: string): string {
	if (workshop.held_on > today) return '';
	return plural(workshop.present, 'présent');
}

/** The dossier's pairing still running (no end), if any. */
export function runningPairing(dossier: Dossier): Pairing | null {
	return dossier.pairings.find((p) => p.end_on === null) ?? null;
}

/** Whether a dossier may be given a mentor: its loan paid out (by its status or a
 * disbursement), as the core's `Dossier::financed` reads it. */
export function financed(dossier: Dossier): boolean {
	return (
		['decaisse', 'en_remboursement', 'solde'].includes(dossier.status) ||
		dossier.loans.some((l) => l.movements.some((m) => m.kind === 'decaissement'))
	);
}
