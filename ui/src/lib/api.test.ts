import { afterEach, describe, expect, it } from 'vitest';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { emit } from '@tauri-apps/api/event';
import type { SyncEvent } from './bindings/SyncEvent';
import { api, ApiFailure, emptyQuery, toApiError } from './api';
import { emptyDraft } from './format';

afterEach(() => clearMocks());

function recording(answer: (cmd: string) => unknown = () => null) {
	const calls: Array<{ cmd: string; args: unknown }> = [];
	mockIPC((cmd, args) => {
		calls.push({ cmd, args });
		return answer(cmd);
	});
	return calls;
}

describe('api', () => {
	it('calls the command with its arguments and returns its result', async () => {
		const calls = recording((cmd) =>
			cmd === 'list_dossiers' ? { items: [], total: 0, by_status: [] } : {}
		);
		await expect(api.listDossiers()).resolves.toEqual({ items: [], total: 0, by_status: [] });
		await api.getDossier('abc');
		expect(calls.map((c) => c.cmd)).toEqual(['list_dossiers', 'get_dossier']);
		expect(calls[0].args).toEqual({ query: emptyQuery() });
		expect(calls[1].args).toEqual({ id: 'abc' });
	});

	it('sends field edits, lines, notes and moves with camelCase arguments', async () => {
		const calls = recording();
		await api.setField({ entity: 'forecast', id: 'd1', field: '2.turnover_cents', value: '120 000' });
		await api.addHolder('d1', emptyDraft().holders[0]);
		await api.addFinancingLine('d1', 'bank_loan');
		await api.removeFinancingLine('l1');
		await api.addNote('d1', 'Premier entretien.');
		await api.addNote('d1', 'Correction.', 'n1');
		await api.moveStatus('d1', 'pret_pour_comite');
		expect(calls).toEqual([
			{
				cmd: 'set_field',
				args: { edit: { entity: 'forecast', id: 'd1', field: '2.turnover_cents', value: '120 000' } }
			},
			{ cmd: 'add_holder', args: { dossierId: 'd1', draft: emptyDraft().holders[0] } },
			{ cmd: 'add_financing_line', args: { dossierId: 'd1', category: 'bank_loan' } },
			{ cmd: 'remove_financing_line', args: { lineId: 'l1' } },
			{ cmd: 'add_note', args: { dossierId: 'd1', body: 'Premier entretien.', supersedes: null } },
			{ cmd: 'add_note', args: { dossierId: 'd1', body: 'Correction.', supersedes: 'n1' } },
			{ cmd: 'move_status', args: { dossierId: 'd1', to: 'pret_pour_comite' } }
		]);
	});

	it('reaches sessions, settings and the reference data', async () => {
		const calls = recording(() => []);
		await api.listSessions();
		await api.getSession('s1');
		await api.createSession({ commune_insee: '62447', place: 'Mairie', held_on: '26/11/2026', advisor: '' });
		await api.getSettings();
		await api.dossierFacets();
		await api.searchCommunes('hesdin');
		await api.communesForPostalCode('62140');
		await api.searchNaf('boulangerie');
		await api.searchEpcis('7 vallées');
		expect(calls.map((c) => c.cmd)).toEqual([
			'list_sessions',
			'get_session',
			'create_session',
			'get_settings',
			'dossier_facets',
			'search_communes',
			'communes_for_postal_code',
			'search_naf',
			'search_epcis'
		]);
		expect(calls[5].args).toEqual({ query: 'hesdin' });
		expect(calls[6].args).toEqual({ code: '62140' });
	});

	it('turns a core error into an ApiFailure keeping its fields', async () => {
		mockIPC(() => {
			throw {
				code: 'invalid_input',
				message: 'Le formulaire contient des erreurs.',
				fields: { 'holders.0.last_name': 'Le nom est obligatoire.' },
				reasons: []
			};
		});
		const failure = await api.createDossier(emptyDraft()).catch((e) => e);
		expect(failure).toBeInstanceOf(ApiFailure);
		expect(failure.error.code).toBe('invalid_input');
		expect(failure.error.fields['holders.0.last_name']).toBe('Le nom est obligatoire.');
	});

	it('keeps the reasons of a refused move', async () => {
		mockIPC(() => {
			throw {
				code: 'not_allowed',
				message: 'Ce dossier ne peut pas passer à « Prêt pour comité ».',
				reasons: ['Le plan de financement est vide.']
			};
		});
		const failure = await api.moveStatus('d1', 'pret_pour_comite').catch((e) => e);
		expect(failure.error.reasons).toEqual(['Le plan de financement est vide.']);
	});

	it('gives a French message for anything that is not a core error', () => {
		const error = toApiError(new TypeError('boom'));
		expect(error.code).toBe('internal');
		expect(error.message).toMatch(/Erreur inattendue/);
		expect(error.reasons).toEqual([]);
	});
});

describe('api, committees and printing', () => {
	it('reaches committees, agendas and decisions with camelCase arguments', async () => {
		const calls = recording(() => null);
		await api.listCommittees();
		await api.getCommittee('c1');
		await api.createCommittee({ held_on: '08/12/2026', kind: 'agrement', place: 'Siège' });
		await api.addToAgenda('c1', 'd1');
		await api.removeFromAgenda('c1', 'd1');
		const input = { decision: 'accord' as const, amount: '8 000', conditions: '', reason: '' };
		await api.recordDecision('d1', input);
		expect(calls).toEqual([
			{ cmd: 'list_committees', args: {} },
			{ cmd: 'get_committee', args: { id: 'c1' } },
			{
				cmd: 'create_committee',
				args: { draft: { held_on: '08/12/2026', kind: 'agrement', place: 'Siège' } }
			},
			{ cmd: 'add_to_agenda', args: { committeeId: 'c1', dossierId: 'd1' } },
			{ cmd: 'remove_from_agenda', args: { committeeId: 'c1', dossierId: 'd1' } },
			{ cmd: 'record_decision', args: { dossierId: 'd1', input } }
		]);
	});

	it('previews, prints and saves through the core', async () => {
		const calls = recording(() => null);
		await api.previewSummary('d1');
		await api.previewPack('c1');
		await api.previewPage('p1', 0, 1.5);
		await api.printPrintout('p1');
		await api.savePrintout('p1');
		expect(calls).toEqual([
			{ cmd: 'preview_summary', args: { dossierId: 'd1' } },
			{ cmd: 'preview_pack', args: { committeeId: 'c1' } },
			{ cmd: 'preview_page', args: { id: 'p1', index: 0, scale: 1.5 } },
			{ cmd: 'print_printout', args: { id: 'p1' } },
			{ cmd: 'save_printout', args: { id: 'p1' } }
		]);
	});
});

describe('api, sync', () => {
	it('registers, syncs, lists and settles with camelCase arguments', async () => {
		const calls = recording(() => []);
		await api.syncStatus();
		await api.registerDevice('https://siege.example.fr', 'claire', 'secret', null);
		await api.syncNow();
		await api.listConflicts();
		await api.settleConflict(7, 'take_loser');
		await api.listRefused();
		expect(calls).toEqual([
			{ cmd: 'sync_status', args: {} },
			{
				cmd: 'register_device',
				args: {
					server: 'https://siege.example.fr',
					login: 'claire',
					password: 'secret',
					certificate: null
				}
			},
			{ cmd: 'sync_now', args: {} },
			{ cmd: 'list_conflicts', args: {} },
			{ cmd: 'settle_conflict', args: { id: 7, how: 'take_loser' } },
			{ cmd: 'list_refused', args: {} }
		]);
	});

	it('hands the sync events to a listener until it stops listening', async () => {
		mockIPC(() => null, { shouldMockEvents: true });
		const heard: SyncEvent[] = [];
		const stop = await api.onSyncEvent((event) => heard.push(event));
		await emit('sync-event', { kind: 'started' });
		await emit('sync-event', { kind: 'failed', message: 'Siège injoignable', retry_in_seconds: 30 });
		stop();
		await emit('sync-event', { kind: 'started' });
		expect(heard).toEqual([
			{ kind: 'started' },
			{ kind: 'failed', message: 'Siège injoignable', retry_in_seconds: 30 }
		]);
	});
});
