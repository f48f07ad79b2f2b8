// The only place the UI talks to the backend: typed wrappers over Tauri commands.
// Every failure arrives as an ApiFailure carrying the core's `{ code, message, fields? }`.
import { invoke } from '@tauri-apps/api/core';
import type { ApiError } from './bindings/ApiError';
import type { Dossier } from './bindings/Dossier';
import type { DossierDraft } from './bindings/DossierDraft';
import type { DossierSummary } from './bindings/DossierSummary';

export class ApiFailure extends Error {
	readonly error: ApiError;

	constructor(error: ApiError) {
		super(error.message);
		this.name = 'ApiFailure';
		this.error = error;
	}
}

function isApiError(value: unknown): value is ApiError {
	return (
		typeof value === 'object' &&
		value !== null &&
		typeof (value as ApiError).code === 'string' &&
		typeof (value as ApiError).message === 'string'
	);
}

/** Whatever was thrown, an ApiError a person can read. */
export function toApiError(thrown: unknown): ApiError {
	if (thrown instanceof ApiFailure) return thrown.error;
	if (isApiError(thrown)) return thrown;
	return {
		code: 'internal',
		message: "Erreur inattendue : l'opération n'a pas été faite."
	};
}

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
	try {
		return await invoke<T>(command, args);
	} catch (thrown) {
		throw new ApiFailure(toApiError(thrown));
	}
}

export const api = {
	listDossiers: () => call<DossierSummary[]>('list_dossiers'),
	getDossier: (id: string) => call<Dossier>('get_dossier', { id }),
	createDossier: (draft: DossierDraft) => call<Dossier>('create_dossier', { draft }),
	updateDossier: (id: string, draft: DossierDraft) =>
		call<Dossier>('update_dossier', { id, draft })
};
