import { afterEach, describe, expect, it } from 'vitest';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { api, ApiFailure, toApiError } from './api';
import { emptyDraft } from './format';

afterEach(() => clearMocks());

describe('api', () => {
	it('calls the command with its arguments and returns its result', async () => {
		const calls: Array<{ cmd: string; args: unknown }> = [];
		mockIPC((cmd, args) => {
			calls.push({ cmd, args });
			return [];
		});
		await expect(api.listDossiers()).resolves.toEqual([]);
		await api.getDossier('abc');
		expect(calls.map((c) => c.cmd)).toEqual(['list_dossiers', 'get_dossier']);
		expect(calls[1].args).toEqual({ id: 'abc' });
	});

	it('turns a core error into an ApiFailure keeping its fields', async () => {
		mockIPC(() => {
			throw {
				code: 'invalid_input',
				message: 'Le formulaire contient des erreurs.',
				fields: { 'holders.0.last_name': 'Le nom est obligatoire.' }
			};
		});
		const failure = await api.createDossier(emptyDraft()).catch((e) => e);
		expect(failure).toBeInstanceOf(ApiFailure);
		expect(failure.error.code).toBe('invalid_input');
		expect(failure.error.fields['holders.0.last_name']).toBe('Le nom est obligatoire.');
	});

	it('gives a French message for anything that is not a core error', () => {
		const error = toApiError(new TypeError('boom'));
		expect(error.code).toBe('internal');
		expect(error.message).toMatch(/Erreur inattendue/);
	});
});
