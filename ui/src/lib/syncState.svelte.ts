// The one sync view the whole app shares: the status from the core, kept fresh by the
// background sync's events and a light poll (local edits add pending changes at any time).
import { api, toApiError } from './api';
import { nowMs } from './clock';
import type { SyncStatus } from './bindings/SyncStatus';
import { applyEvent, initialView, type SyncView } from './sync';

/** How long after "Synchroniser" a sync should have started. */
const START_WITHIN_MS = 8000;
const POLL_MS = 5000;

type Shared = SyncView & {
	/** Why the status could not be read, in French. */
	loadError: string;
	/** When "Synchroniser" was pressed and no sync has started since (milliseconds). */
	requestedAt: number | null;
	/** "Synchroniser" was pressed but nothing started. */
	notStarted: boolean;
};

export const sync: Shared = $state({
	...initialView(),
	loadError: '',
	requestedAt: null,
	notStarted: false
});

export async function refreshStatus(): Promise<void> {
	try {
		sync.status = await api.syncStatus();
		sync.loadError = '';
	} catch (thrown) {
		sync.loadError = toApiError(thrown).message;
	}
}

/** Takes a status the core just gave (after a registration, a settled conflict). */
export function setStatus(status: SyncStatus): void {
	sync.status = status;
}

/** "Synchroniser": wakes the background sync, and notices when nothing starts. */
export async function syncNow(): Promise<void> {
	const at = nowMs();
	sync.requestedAt = at;
	sync.notStarted = false;
	try {
		await api.syncNow();
	} catch (thrown) {
		sync.requestedAt = null;
		sync.failure = { message: toApiError(thrown).message, retryAt: nowMs(), offline: false };
		return;
	}
	setTimeout(() => {
		if (sync.requestedAt === at && !sync.running) {
			sync.requestedAt = null;
			sync.notStarted = true;
		}
	}, START_WITHIN_MS);
}

/** Starts following the background sync; returns what stops it. */
export function followSync(): () => void {
	let stopped = false;
	let unlisten: (() => void) | null = null;
	refreshStatus();
	api
		.onSyncEvent((event) => {
			Object.assign(sync, applyEvent($state.snapshot(sync), event, nowMs()));
			if (event.kind === 'started') {
				sync.requestedAt = null;
				sync.notStarted = false;
			}
			if (event.kind === 'done' || event.kind === 'failed') refreshStatus();
		})
		.then(
			(stop) => {
				if (stopped) stop();
				else unlisten = stop;
			},
			() => {}
		);
	const timer = setInterval(refreshStatus, POLL_MS);
	return () => {
		stopped = true;
		clearInterval(timer);
		unlisten?.();
	};
}
