import { afterEach, describe, expect, it, vi } from 'vitest';
import { debounce, latest } from './debounce';

afterEach(() => vi.useRealTimers());

describe('debounce', () => {
	it('acts once typing pauses, with the last value', () => {
		vi.useFakeTimers();
		const seen: string[] = [];
		const search = debounce((q: string) => seen.push(q), 250);
		search('h');
		search('he');
		search('hes');
		vi.advanceTimersByTime(249);
		expect(seen).toEqual([]);
		vi.advanceTimersByTime(1);
		expect(seen).toEqual(['hes']);
	});

	it('can be cancelled', () => {
		vi.useFakeTimers();
		const seen: string[] = [];
		const search = debounce((q: string) => seen.push(q), 100);
		search('x');
		search.cancel();
		vi.advanceTimersByTime(200);
		expect(seen).toEqual([]);
	});
});

describe('latest', () => {
	it('drops an answer that a newer question overtook', async () => {
		let release: (v: string) => void = () => {};
		const slow = new Promise<string>((resolve) => (release = resolve));
		const lookup = latest((q: string) => (q === 'slow' ? slow : Promise.resolve(q)));
		const first = lookup('slow');
		const second = lookup('fast');
		release('slow');
		expect(await second).toBe('fast');
		expect(await first).toBeUndefined();
	});
});
