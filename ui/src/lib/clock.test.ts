import { afterEach, describe, expect, it } from 'vitest';
import { now, nowMs, setClock } from './clock';
import { today } from './format';
import { whenText } from './sync';

// Every source file of the UI, to check that the machine's time is read in clock.ts only.
const sources = import.meta.glob('/src/**/*.{ts,svelte}', {
	query: '?raw',
	import: 'default',
	eager: true
}) as Record<string, string>;

describe('clock', () => {
	afterEach(() => setClock(null));

	it('reads the time a test sets, and runs on from there', () => {
		setClock(new Date('2031-03-15T10:00:00Z'));
		const first = nowMs();
		expect(first).toBeGreaterThanOrEqual(Date.parse('2031-03-15T10:00:00Z'));
		expect(first).toBeLessThan(Date.parse('2031-03-15T10:01:00Z'));
		expect(now().getTime()).toBeGreaterThanOrEqual(first);
	});

	it("gives the screens' today and 'aujourd'hui' from the clock", () => {
		setClock(new Date('2031-03-15T10:00:00Z'));
		expect(today()).toBe('2031-03-15');
		expect(whenText('2031-03-15T08:30:00Z')).toBe("aujourd'hui à 09:30");
		expect(whenText('2031-03-14T08:30:00Z')).toBe('hier à 09:30');
	});

	it('is the only place that reads the machine time', () => {
		const files = Object.keys(sources);
		expect(files.length).toBeGreaterThan(20);
		const readers = /Date\.now\(|new Date\(\s*\)|performance\.timeOrigin/;
		const offenders = files.filter(
			(file) => !file.endsWith('/lib/clock.ts') && readers.test(sources[file])
		);
		expect(offenders).toEqual([]);
	});
});
