import { afterEach, describe, expect, it, vi } from 'vitest';
import { flushSync, mount, unmount } from 'svelte';

vi.mock('$lib/api', () => ({
	api: { syncNow: vi.fn(), syncStatus: vi.fn(), onSyncEvent: vi.fn() },
	toApiError: (e: unknown) => e
}));

import SyncBar from './SyncBar.svelte';
import { sync } from '$lib/syncState.svelte';
import { applyEvent, initialView } from '$lib/sync';
import { nowMs } from '$lib/clock';
import type { SyncStatus } from '$lib/bindings/SyncStatus';

const status: SyncStatus = {
	server_url: 'http://127.0.0.1:8750',
	advisor: 'Claire Dumont',
	device_id: 'd1',
	pending_changes: 12,
	last_sync_at: null,
	open_conflicts: 0,
	refused_changes: 0,
	private_authority: false
};

let component: ReturnType<typeof mount> | null = null;

function show(failure: { message: string; offline: boolean }) {
	Object.assign(sync, {
		...applyEvent(
			{ ...initialView(), status },
			{ kind: 'failed', message: failure.message, retry_in_seconds: 30, offline: failure.offline },
			nowMs()
		)
	});
	component = mount(SyncBar, { target: document.body });
	flushSync();
	return document.body;
}

afterEach(() => {
	if (component) unmount(component);
	component = null;
	document.body.innerHTML = '';
});

describe('the sync bar', () => {
	it('says offline calmly, with the changes kept on this laptop and no alarm', () => {
		const bar = show({
			message: 'Siège injoignable (connexion impossible) : les modifications restent enregistrées sur cet ordinateur.',
			offline: true
		});
		const pending = bar.querySelector('[data-testid="sync-pending"]');
		expect(pending?.textContent?.replace(/\u202f/g, ' ')).toBe(
			'Hors connexion · 12 modifications gardées sur cet ordinateur'
		);
		expect(bar.querySelector('[role="alert"]'), 'nothing is alarming').toBeNull();
		expect(bar.querySelector('.failure')).toBeNull();
		expect(bar.querySelector('.dot.fail'), 'the dot is not red').toBeNull();
		expect(bar.querySelector('[data-testid="sync-offline"]')?.textContent).toMatch(/nouvel essai dans/);
	});

	it('keeps red for what needs the advisor', () => {
		const bar = show({
			message: 'Jeton absent, inconnu ou révoqué : enregistrez à nouveau cet ordinateur.',
			offline: false
		});
		const alert = bar.querySelector('[role="alert"]');
		expect(alert?.textContent).toMatch(/enregistrez à nouveau cet ordinateur/);
		expect(alert?.classList.contains('failure')).toBe(true);
		expect(bar.querySelector('.dot.fail')).not.toBeNull();
		expect(bar.querySelector('[data-testid="sync-pending"]')?.textContent).toBe(
			'12 modifications en attente'
		);
	});
});
