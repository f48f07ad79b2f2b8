import { describe, expect, it } from 'vitest';
import type { SyncStatus } from './bindings/SyncStatus';
import type { SyncView } from './sync';
import type { ConflictRecord } from './bindings/ConflictRecord';
import type { Dossier } from './bindings/Dossier';
import {
	applyEvent,
	changedSince,
	currentValue,
	checkRegisterForm,
	fieldLabel,
	isDeletion,
	formatHlc,
	formatValue,
	hlcDate,
	initialView,
	lastSyncText,
	normalizeServer,
	offlineText,
	pendingNow,
	pendingText,
	progressRatio,
	progressText,
	registerErrors,
	readCertificate,
	CERTIFICATE_MAX_BYTES,
	refusedDossierId,
	reportText,
	retryText,
	reviewCounts,
	whenText
} from './sync';

// Intl puts narrow no-break spaces in numbers and before `€` / `%`.
const plain = (text: string) => text.replace(/[\u00a0\u202f]/g, ' ');

const status: SyncStatus = {
	server_url: 'https://siege.example.fr',
	advisor: 'Claire Dumont',
	device_id: 'd1',
	pending_changes: 3,
	last_sync_at: null,
	open_conflicts: 0,
	refused_changes: 0,
	private_authority: false
};

describe('status line', () => {
	it('counts the pending changes in French', () => {
		expect(pendingText(0)).toBe('Tout est synchronisé');
		expect(pendingText(1)).toBe('1 modification en attente');
		expect(pendingText(3)).toBe('3 modifications en attente');
		expect(plain(pendingText(1103))).toBe('1 103 modifications en attente');
	});

	it('says when the last sync was, in Paris time', () => {
		const now = new Date('2026-11-26T15:00:00Z');
		expect(whenText('2026-11-26T13:32:00Z', now)).toBe("aujourd'hui à 14:32");
		expect(whenText('2026-11-25T08:05:00Z', now)).toBe('hier à 09:05');
		expect(whenText('2026-11-20T08:05:00Z', now)).toBe('le 20/11/2026 à 09:05');
		expect(whenText(null, now)).toBe('jamais');
		expect(lastSyncText('2026-11-26T13:32:00Z', now)).toBe(
			"Dernière synchronisation : aujourd'hui à 14:32"
		);
		expect(lastSyncText(null, now)).toBe('Jamais synchronisé avec le siège');
	});

	it('shows how far a long sync has gone', () => {
		const sending = { phase: 'envoi', sent: 200, to_send: 1103, received: 0, to_receive: 0 };
		expect(plain(progressText(sending))).toBe('Envoi 200/1 103…');
		expect(progressRatio(sending)).toBeCloseTo(200 / 1103);
		expect(progressText({ phase: 'envoi', sent: 0, to_send: 0, received: 0, to_receive: 0 })).toBe('Envoi…');
		const receiving = { phase: 'réception', sent: 200, to_send: 200, received: 0, to_receive: 0 };
		expect(progressText(receiving)).toBe('Réception…');
		expect(progressRatio(receiving)).toBeNull();
		expect(progressText({ ...receiving, received: 500 })).toBe('Réception… 500 reçues');
		const counted = { ...receiving, received: 4000, to_receive: 90000 };
		expect(plain(progressText(counted))).toBe('Réception 4 000/90 000…');
		expect(progressRatio(counted)).toBeCloseTo(4000 / 90000);
		const state = { phase: 'état', sent: 0, to_send: 0, received: 0, to_receive: 0 };
		expect(progressText(state)).toBe('Réception de l’état de la plateforme…');
		expect(progressRatio(state)).toBeNull();
	});

	it('counts down the pending changes while a sync sends them', () => {
		const sending = { phase: 'envoi', sent: 200, to_send: 1103, received: 0, to_receive: 0 };
		expect(pendingNow({ ...status, pending_changes: 1103 }, sending, true)).toBe(903);
		expect(pendingNow({ ...status, pending_changes: 5 }, sending, false)).toBe(5);
		const receiving = { ...sending, phase: 'réception', sent: 1103 };
		expect(pendingNow({ ...status, pending_changes: 2 }, receiving, true)).toBe(2);
	});

	it('says when the next attempt comes', () => {
		expect(retryText(30)).toBe('nouvel essai dans 30 s');
		expect(retryText(29.2)).toBe('nouvel essai dans 30 s');
		expect(retryText(120)).toBe('nouvel essai dans 2 min');
		expect(retryText(150)).toBe('nouvel essai dans 2 min 30 s');
		expect(retryText(-3)).toBe('nouvel essai imminent');
	});

	it('says offline calmly, with what this laptop keeps', () => {
		expect(plain(offlineText(12))).toBe('Hors connexion · 12 modifications gardées sur cet ordinateur');
		expect(offlineText(1)).toBe('Hors connexion · 1 modification gardée sur cet ordinateur');
		expect(plain(offlineText(2197))).toBe(
			'Hors connexion · 2 197 modifications gardées sur cet ordinateur'
		);
		expect(offlineText(0)).toBe('Hors connexion · rien en attente');
	});

	it('names what is left to review', () => {
		expect(reviewCounts({ ...status, open_conflicts: 1, refused_changes: 2 })).toEqual({
			conflicts: '1 conflit à revoir',
			refused: '2 modifications refusées'
		});
	});
});

describe('sync events', () => {
	it('follows a sync from start to finish', () => {
		const now = Date.parse('2026-11-26T13:32:00Z');
		let view: SyncView = { ...initialView(), status };
		view = applyEvent(view, { kind: 'started' }, now);
		expect(view.running).toBe(true);
		const progress = { phase: 'envoi', sent: 100, to_send: 300, received: 0, to_receive: 0 };
		view = applyEvent(view, { kind: 'progress', progress }, now);
		expect(view.progress).toEqual(progress);
		const report = {
			counts: { pushed: 3, applied: 2, conflicts: 1, refused: 0, pulled: 4, from_snapshot: 0 },
			pending: 0,
			open_conflicts: 1,
			refused_changes: 0
		};
		view = applyEvent(view, { kind: 'done', report }, now);
		expect(view).toMatchObject({ running: false, progress: null, failure: null, finished: 1 });
		expect(view.status).toMatchObject({
			pending_changes: 0,
			open_conflicts: 1,
			last_sync_at: '2026-11-26T13:32:00.000Z'
		});
		expect(reportText(report)).toBe('3 envoyées, 4 reçues, 1 conflit');
		const first = { ...report, counts: { ...report.counts, pushed: 0, pulled: 2, from_snapshot: 1200 } };
		expect(reportText(first).replace(/\u202f/g, ' ')).toBe(
			'0 envoyée, 1 200 dossiers reçus d’un bloc, 2 reçues, 1 conflit'
		);
	});

	it('keeps the last failure with the time of the next attempt until a sync succeeds', () => {
		const now = 1_000_000;
		let view = applyEvent(initialView(), { kind: 'started' }, now);
		view = applyEvent(
			view,
			{ kind: 'failed', message: 'Siège injoignable', retry_in_seconds: 30, offline: true },
			now
		);
		expect(view.running).toBe(false);
		expect(view.failure).toEqual({ message: 'Siège injoignable', retryAt: now + 30_000, offline: true });
		view = applyEvent(view, { kind: 'started' }, now + 30_000);
		expect(view.failure).not.toBeNull();
		const report = {
			counts: { pushed: 0, applied: 0, conflicts: 0, refused: 0, pulled: 0, from_snapshot: 0 },
			pending: 0,
			open_conflicts: 0,
			refused_changes: 0
		};
		view = applyEvent(view, { kind: 'done', report }, now + 31_000);
		expect(view.failure).toBeNull();
		expect(view.status).toBeNull();
	});
});

describe('setup form', () => {
	it('sends the address as typed, trimmed: the core completes its scheme', () => {
		expect(normalizeServer(' siege.initiative-ta7v.fr/ ')).toBe('siege.initiative-ta7v.fr');
		expect(normalizeServer('127.0.0.1:8750')).toBe('127.0.0.1:8750');
		expect(normalizeServer('http://127.0.0.1:8770')).toBe('http://127.0.0.1:8770');
		expect(normalizeServer('')).toBe('');
	});

	it('asks for every field before calling the head office', () => {
		expect(checkRegisterForm({ server: ' ', login: '', password: '' })).toEqual({
			server: "Indiquez l'adresse du siège.",
			login: 'Indiquez votre identifiant.',
			password: 'Indiquez votre mot de passe.'
		});
		expect(checkRegisterForm({ server: 'x', login: 'claire', password: 's' })).toEqual({});
	});

	it('puts each refusal beside its field, in French', () => {
		expect(
			registerErrors({ code: 'unauthorized', message: 'Identifiant ou mot de passe incorrect.', reasons: [] })
		).toEqual({ password: 'Identifiant ou mot de passe incorrect.' });
		expect(
			registerErrors({
				code: 'unreachable',
				message: 'Siège injoignable (connexion impossible) : les modifications restent…',
				reasons: []
			}).server
		).toBe(
			"Siège injoignable à cette adresse (connexion impossible) : vérifiez l'adresse et la connexion, puis réessayez."
		);
		const tried =
			"Siège injoignable à http://127.0.0.1:8750 (connexion impossible). Aucun siège ne répond à ce port de cet ordinateur : vérifiez qu'il est lancé et le numéro de port.";
		expect(
			registerErrors({ code: 'unreachable', message: tried, fields: { server: tried }, reasons: [] })
		).toEqual({ server: tried });
		const badAddress = registerErrors({
			code: 'invalid_input',
			message: 'Le formulaire contient des erreurs.',
			fields: { server: "« http://siege.fr » : l'adresse du siège doit commencer par https://" },
			reasons: []
		});
		expect(badAddress.server).toMatch(/doit commencer par https/);
		expect(registerErrors({ code: 'forbidden', message: 'Compte désactivé.', reasons: [] })).toEqual({
			general: 'Compte désactivé.'
		});
	});

	it('puts a refused or unreadable certificate beside the certificate field', () => {
		expect(
			registerErrors({
				code: 'unreachable',
				message:
					"Siège injoignable (certificat du siège non reconnu : s'il vient de l'autorité du réseau, donnez son certificat d'autorité à l'enregistrement) : les modifications restent enregistrées sur cet ordinateur.",
				reasons: []
			})
		).toEqual({
			certificate:
				"Certificat du siège non reconnu : s'il vient de l'autorité du réseau, donnez son certificat d'autorité à l'enregistrement."
		});
		expect(
			registerErrors({
				code: 'invalid_input',
				message: 'Le formulaire contient des erreurs.',
				fields: { certificate: 'Aucun certificat lisible dans ce fichier.' },
				reasons: []
			})
		).toEqual({ certificate: 'Aucun certificat lisible dans ce fichier.' });
	});

	it('reads a PEM certificate authority and refuses what is plainly not one', async () => {
		const file = (name: string, text: string) => ({
			name,
			size: text.length,
			text: async () => text,
			arrayBuffer: async () => new TextEncoder().encode(text).buffer
		});
		const pem = '-----BEGIN CERTIFICATE-----\nMIIB…\n-----END CERTIFICATE-----\n';
		expect(await readCertificate(file('autorite.pem', pem))).toEqual({ ok: true, value: pem });
		expect(await readCertificate(file('cle.txt', 'bonjour'))).toEqual({
			ok: false,
			message: "« cle.txt » n'est pas un certificat au format PEM (« -----BEGIN CERTIFICATE----- »)."
		});
		const huge = { ...file('gros.pem', pem), size: CERTIFICATE_MAX_BYTES + 1 };
		expect(await readCertificate(huge)).toEqual({
			ok: false,
			message: '« gros.pem » est trop grand pour un certificat.'
		});
	});
});

describe('conflict values', () => {
	it('reads the wall-clock time of an HLC stamp', () => {
		const hlc = '0001764163500000-0001-7f1c2b9e-0000-4000-8000-000000000001';
		expect(hlcDate(hlc)?.toISOString()).toBe('2025-11-26T13:25:00.000Z');
		expect(formatHlc(hlc)).toBe('26/11/2025 à 14:25');
		expect(formatHlc('nonsense')).toBe('');
	});

	it('names fields as the dossier screen does', () => {
		expect(fieldLabel('holder', 'loan_requested_cents')).toBe("Prêt d'honneur demandé");
		expect(fieldLabel('forecast', '2.turnover_cents')).toBe("Chiffre d'affaires, année 2");
		expect(fieldLabel('document', 'cv.status')).toBe('CV : état');
		expect(fieldLabel('business', 'unknown_field')).toBe('unknown_field');
		expect(fieldLabel('dossier', null)).toBe('Enregistrement entier');
	});

	it('writes values the French way from what the field name says', () => {
		expect(plain(formatValue('holder', 'loan_requested_cents', 1234500))).toBe('12 345 €');
		expect(plain(formatValue('financing_line', 'amount_cents', 1234550))).toBe('12 345,50 €');
		expect(plain(formatValue('holder', 'capital_share_bp', 3350))).toBe('33,5 %');
		expect(plain(formatValue('forecast', '1.turnover_cents', 8000000))).toBe('80 000 €');
		expect(formatValue('dossier', 'committee_date', '2026-11-26')).toBe('26/11/2026');
		expect(formatValue('business', 'legal_form', 'sarl')).toBe('SARL');
		expect(formatValue('dossier', 'status', 'pret_pour_comite')).toBe('Prêt pour comité');
		expect(formatValue('document', 'cv.status', 'recu')).toBe('Reçu');
		expect(formatValue('holder', 'loan_months', 60)).toBe('60 mois');
		expect(formatValue('holder', 'phone', '+33321045678')).toBe('03 21 04 56 78');
		expect(formatValue('holder', 'qpv', true)).toBe('Oui');
		expect(formatValue('business', 'name', null)).toBe('(vide)');
		expect(formatValue('business', 'name', 'Boulangerie Caron')).toBe('Boulangerie Caron');
		expect(formatValue('dossier', 'referrer', 'inconnu')).toBe('inconnu');
		expect(formatValue('committee_agenda', null, { dossier_id: 'd1' })).toBe(
			'(enregistrement entier)'
		);
	});

	it('finds the dossier of a refused change', () => {
		expect(refusedDossierId({ entity: 'business', entity_id: 'd1', value: 'x' })).toBe('d1');
		expect(
			refusedDossierId({ entity: 'committee_agenda', entity_id: 'a1', value: { dossier_id: 'd2' } })
		).toBe('d2');
		expect(refusedDossierId({ entity: 'holder', entity_id: 'h1', value: 'Martin' })).toBeNull();
	});
});

describe('conflicts against the dossier as it is now', () => {
	// Only what currentValue reads; the rest of the read model does not matter here.
	const dossier = {
		status: 'instruction',
		business: { legal_form: 'sas' },
		holders: [{ id: 'h1', loan_requested_cents: 800000 }],
		financing: [{ id: 'l1', amount_cents: 500000 }],
		forecast: [{ year: 2, turnover_cents: 9000000 }],
		documents: [{ kind: 'cv', status: 'recu', on_date: null }]
	} as unknown as Dossier;
	const conflict = (entity: string, entity_id: string, field: string, winner: unknown) =>
		({
			id: 1,
			server_seq: 1,
			entity,
			entity_id,
			dossier_id: 'd1',
			field,
			winner_value: winner,
			winner_hlc: '',
			winner_author: 'Nadia Haddou',
			loser_value: null,
			loser_hlc: '',
			loser_author: 'Claire Dumont',
			resolved: false
		}) as ConflictRecord;

	it('finds the field in the read model', () => {
		expect(currentValue(dossier, conflict('holder', 'h1', 'loan_requested_cents', 0))).toBe(800000);
		expect(currentValue(dossier, conflict('business', 'd1', 'legal_form', 0))).toBe('sas');
		expect(currentValue(dossier, conflict('forecast', 'd1', '2.turnover_cents', 0))).toBe(9000000);
		expect(currentValue(dossier, conflict('document', 'd1', 'cv.status', 0))).toBe('recu');
		expect(currentValue(dossier, conflict('financing_line', 'l1', 'amount_cents', 0))).toBe(500000);
		expect(currentValue(dossier, conflict('dossier', 'd1', 'status', 0))).toBe('instruction');
		expect(currentValue(dossier, conflict('holder', 'gone', 'loan_requested_cents', 0))).toBeUndefined();
	});

	it('says when the value that won has been changed since', () => {
		expect(changedSince(dossier, conflict('holder', 'h1', 'loan_requested_cents', 950000))).toEqual({
			value: 800000
		});
		expect(changedSince(dossier, conflict('business', 'd1', 'legal_form', 'sas'))).toBeNull();
		expect(changedSince(dossier, conflict('holder', 'gone', 'loan_requested_cents', 1))).toBeNull();
		expect(changedSince(undefined, conflict('business', 'd1', 'legal_form', 'eurl'))).toBeNull();
	});
});


describe('a deletion against an edit', () => {
	it('is told apart from a field conflict', () => {
		expect(isDeletion({ entity: 'dossier', field: 'deleted' })).toBe(true);
		expect(isDeletion({ entity: 'dossier', field: 'idea' })).toBe(false);
		expect(isDeletion({ entity: 'holder', field: 'deleted' })).toBe(false);
	});

	it('says what each side is', () => {
		expect(fieldLabel('dossier', 'deleted')).toBe('Suppression du dossier');
		expect(formatValue('dossier', 'deleted', true)).toBe('Dossier supprimé');
		expect(formatValue('dossier', 'deleted', false)).toBe('Dossier modifié pendant ce temps');
	});
});
