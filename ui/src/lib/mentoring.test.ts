import { describe, expect, it } from 'vitest';
import type { Dossier } from './bindings/Dossier';
import type { Workshop } from './bindings/Workshop';
import {
	financed,
	isFull,
	meetingFromForm,
	pairingFromForm,
	presence,
	runningPairing,
	seats,
	workshopFromForm
} from './mentoring';

function workshop(registered: number, capacity: number, present = 0): Workshop {
	return {
		id: 'w1',
		held_on: '2026-12-10',
		theme: 'Tenir sa comptabilité',
		place: 'Fruges',
		capacity,
		registered,
		present
	};
}

describe('mentoring forms', () => {
	it('reads a pairing, or names the mentor and the day it misses', () => {
		expect(pairingFromForm({ mentor: 'm1', start: '05/03/2026' })).toEqual({
			ok: true,
			value: { mentor_id: 'm1', start_on: '2026-03-05' }
		});
		expect(pairingFromForm({ mentor: '', start: 'bientôt' })).toEqual({
			ok: false,
			errors: {
				mentor_id: 'Choisissez un parrain.',
				start_on: 'Indiquez une date, par exemple 15/03/2026.'
			}
		});
	});

	it('reads a meeting with its note trimmed', () => {
		expect(meetingFromForm('p1', { on: '2026-04-02', note: ' Point trésorerie ' })).toEqual({
			ok: true,
			value: { pairing_id: 'p1', met_on: '2026-04-02', note: 'Point trésorerie' }
		});
		expect(meetingFromForm('p1', { on: '31/04/2026', note: '' })).toEqual({
			ok: false,
			errors: { met_on: 'Indiquez une date, par exemple 15/03/2026.' }
		});
	});

	it('reads a workshop, leaving its theme and place to the core', () => {
		expect(
			workshopFromForm({ on: '10/12/2026', theme: 'Vendre', place: 'Hesdin', capacity: '12' })
		).toEqual({
			ok: true,
			value: { held_on: '2026-12-10', theme: 'Vendre', place: 'Hesdin', capacity: 12 }
		});
		expect(workshopFromForm({ on: '', theme: '', place: '', capacity: 'douze' })).toEqual({
			ok: false,
			errors: {
				held_on: 'Indiquez une date, par exemple 15/03/2026.',
				capacity: 'Indiquez un nombre de places.'
			}
		});
	});
});

describe('workshop seats', () => {
	it('says how many are registered, full, or over capacity', () => {
		expect(seats(workshop(3, 12))).toBe('3 inscrits sur 12 places');
		expect(seats(workshop(1, 1))).toBe('complet (1 place)');
		expect(seats(workshop(14, 12))).toBe('14 inscrits sur 12 places');
		expect(isFull(workshop(11, 12))).toBe(false);
		expect(isFull(workshop(12, 12))).toBe(true);
		expect(isFull(workshop(13, 12))).toBe(true);
	});

	it('counts those present once the workshop was held', () => {
		expect(presence(workshop(5, 12, 4), '2026-12-09')).toBe('');
		expect(presence(workshop(5, 12, 4), '2026-12-10')).toBe('4 présents');
		expect(presence(workshop(5, 12, 1), '2027-01-01')).toBe('1 présent');
	});
});

describe("a dossier's mentoring", () => {
	const base = {
		status: 'accorde',
		loans: [],
		pairings: []
	} as unknown as Dossier;

	it('is for a financed dossier, by its status or a disbursement', () => {
		expect(financed(base)).toBe(false);
		expect(financed({ ...base, status: 'en_remboursement' } as Dossier)).toBe(true);
		const disbursed = {
			...base,
			loans: [{ movements: [{ kind: 'decaissement' }] }]
		} as unknown as Dossier;
		expect(financed(disbursed)).toBe(true);
	});

	it('finds the pairing still running', () => {
		const ended = { id: 'p1', end_on: '2026-01-01' };
		const running = { id: 'p2', end_on: null };
		expect(runningPairing({ ...base, pairings: [ended] } as unknown as Dossier)).toBeNull();
		expect(
			runningPairing({ ...base, pairings: [ended, running] } as unknown as Dossier)?.id
		).toBe('p2');
	});
});
