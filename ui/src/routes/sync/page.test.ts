import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { flushSync, mount, tick, unmount } from 'svelte';
import type { SyncStatus } from '$lib/bindings/SyncStatus';

const calls = vi.hoisted(() => ({
	defaultServer: vi.fn(),
	registerDevice: vi.fn()
}));

vi.mock('$lib/api', () => ({
	api: {
		defaultServer: calls.defaultServer,
		registerDevice: calls.registerDevice,
		syncNow: vi.fn(),
		syncStatus: vi.fn(),
		onSyncEvent: vi.fn()
	},
	toApiError: (e: unknown) => e
}));

import Page from './+page.svelte';
import { sync } from '$lib/syncState.svelte';
import { applyEvent, initialView } from '$lib/sync';
import { nowMs } from '$lib/clock';

const fresh: SyncStatus = {
	server_url: null,
	advisor: null,
	device_id: 'd1',
	pending_changes: 0,
	last_sync_at: null,
	open_conflicts: 0,
	refused_changes: 0,
	private_authority: false
};
const linked: SyncStatus = { ...fresh, server_url: 'http://127.0.0.1:8750', advisor: 'Claire Dumont' };
const report = {
	counts: { pushed: 0, applied: 0, conflicts: 0, refused: 0, pulled: 3, from_snapshot: 150 },
	pending: 0,
	open_conflicts: 0,
	refused_changes: 0
};

let component: ReturnType<typeof mount> | null = null;

async function settle() {
	for (let i = 0; i < 5; i++) {
		await tick();
		await Promise.resolve();
	}
	flushSync();
}

function input(id: string, value: string) {
	const field = document.getElementById(id) as HTMLInputElement;
	field.value = value;
	field.dispatchEvent(new Event('input', { bubbles: true }));
}

function event(e: Parameters<typeof applyEvent>[1]) {
	Object.assign(sync, applyEvent({ ...sync }, e, nowMs()));
	flushSync();
}

async function open(status: SyncStatus) {
	Object.assign(sync, { ...initialView(), status, loadError: '', requestedAt: null, notStarted: false });
	component = mount(Page, { target: document.body });
	await settle();
}

async function register(server?: string) {
	if (server !== undefined) input('sync-server-input', server);
	input('sync-login', 'claire');
	input('sync-password', 'permanence-demo');
	flushSync();
	document.querySelector('form')!.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
	await settle();
}

const linkedText = () => document.querySelector('[data-testid="sync-linked"]')?.textContent?.trim() ?? '';

beforeEach(() => {
	calls.defaultServer.mockReset().mockResolvedValue('http://127.0.0.1:8750');
	calls.registerDevice.mockReset().mockResolvedValue(linked);
});

afterEach(() => {
	if (component) unmount(component);
	component = null;
	document.body.innerHTML = '';
});

describe('the Siège screen', () => {
	it("offers the installation's head-office address", async () => {
		await open(fresh);
		expect((document.getElementById('sync-server-input') as HTMLInputElement).value).toBe(
			'http://127.0.0.1:8750'
		);
		await register();
		expect(calls.registerDevice).toHaveBeenCalledWith(
			'http://127.0.0.1:8750',
			'claire',
			'permanence-demo',
			null
		);
	});

	it('says the first sync is under way only until it ends, then how it ended', async () => {
		await open(fresh);
		await register();
		expect(linkedText()).toBe(
			'Cet ordinateur est relié au siège sous le compte de Claire Dumont. La première synchronisation commence.'
		);
		event({ kind: 'started' });
		event({ kind: 'progress', progress: { phase: 'état', sent: 0, to_send: 0, received: 0, to_receive: 0 } });
		expect(linkedText()).toMatch(/Première synchronisation : Réception de l’état/);
		event({ kind: 'done', report });
		expect(linkedText()).not.toMatch(/commence/);
		const ended =
			'Cet ordinateur est relié au siège sous le compte de Claire Dumont. Première synchronisation terminée : 0 envoyée, 150 dossiers reçus d’un bloc, 3 reçues.';
		expect(linkedText().replace(/\u202f/g, ' ')).toBe(ended);
		// A later sync, out of reach, does not rewrite how the first one ended.
		event({ kind: 'started' });
		event({ kind: 'failed', message: 'Siège injoignable', retry_in_seconds: 30, offline: true });
		expect(linkedText().replace(/\u202f/g, ' ')).toBe(ended);
	});

	it('says a first sync out of reach calmly', async () => {
		await open(fresh);
		await register();
		event({ kind: 'started' });
		event({ kind: 'failed', message: 'Siège injoignable', retry_in_seconds: 30, offline: true });
		expect(linkedText()).toMatch(/la synchronisation reprendra d'elle-même/);
		expect(document.querySelector('[data-testid="sync-linked"]')?.classList.contains('calm')).toBe(true);
	});

	it('counts a first sync that ended before the registration answered', async () => {
		await open(fresh);
		calls.registerDevice.mockImplementation(async () => {
			event({ kind: 'started' });
			event({ kind: 'done', report });
			return linked;
		});
		await register();
		expect(linkedText()).toMatch(/Première synchronisation terminée/);
	});

	it('puts the address tried and what to type beside the address field', async () => {
		calls.defaultServer.mockResolvedValue(null);
		const message =
			"Siège injoignable à https://127.0.0.1:8750 (connexion impossible). Un siège sur cet ordinateur répond d'ordinaire sans chiffrement : essayez http://127.0.0.1:8750.";
		calls.registerDevice.mockRejectedValue({
			code: 'unreachable',
			message,
			fields: { server: message },
			reasons: []
		});
		await open(fresh);
		await register('https://127.0.0.1:8750');
		expect(document.querySelector('[data-field="server"]')?.textContent?.trim()).toBe(message);
	});

	it('shows the account and the last sync, and says offline calmly', async () => {
		await open({ ...linked, pending_changes: 12, last_sync_at: '2026-11-26T13:32:00Z' });
		const text = document.querySelector('[data-testid="sync-status"]')?.textContent ?? '';
		expect(text).toContain('Claire Dumont');
		expect(text).toMatch(/26\/11\/2026/);
		event({ kind: 'failed', message: 'Siège injoignable (connexion impossible)', retry_in_seconds: 30, offline: true });
		expect(document.querySelector('[data-testid="sync-page-pending"]')?.textContent?.trim()).toBe(
			'Hors connexion · 12 modifications gardées sur cet ordinateur'
		);
		expect(document.querySelector('[data-testid="sync-status"] [role="alert"]')).toBeNull();
		event({ kind: 'failed', message: 'Jeton absent, inconnu ou révoqué.', retry_in_seconds: 30, offline: false });
		expect(document.querySelector('[data-testid="sync-status"] [role="alert"]')?.textContent).toMatch(
			/Jeton absent/
		);
	});
});
