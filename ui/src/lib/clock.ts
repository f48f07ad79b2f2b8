/**
 * The UI's one clock: every "now" and "today" of the screens is read here, never from `Date`
 * directly (`clock.test.ts` fails on any other read of the machine's time), so that a test
 * sets the time it needs instead of depending on the day it runs. The clock runs at the
 * machine's pace; a test only moves its origin.
 */

let offsetMs = 0;

/** Now, in milliseconds since the epoch. */
export function nowMs(): number {
	return Date.now() + offsetMs;
}

/** Now, as a `Date`. */
export function now(): Date {
	return new Date(nowMs());
}

/** Makes the clock read `at` now and run on from there (tests); `null` is the machine's time. */
export function setClock(at: Date | null): void {
	offsetMs = at ? at.getTime() - Date.now() : 0;
}
