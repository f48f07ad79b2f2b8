// Waits for typing to pause before acting: searches run once per pause, not per key.

export interface Debounced<A extends unknown[]> {
	(...args: A): void;
	cancel(): void;
}

export function debounce<A extends unknown[]>(fn: (...args: A) => void, ms: number): Debounced<A> {
	let timer: ReturnType<typeof setTimeout> | undefined;
	const debounced = (...args: A) => {
		clearTimeout(timer);
		timer = setTimeout(() => fn(...args), ms);
	};
	debounced.cancel = () => clearTimeout(timer);
	return debounced;
}

/**
 * Keeps only the latest answer of an async lookup: an older, slower answer never overwrites
 * a newer one (suggestions while typing).
 */
export function latest<T, A extends unknown[]>(
	lookup: (...args: A) => Promise<T>
): (...args: A) => Promise<T | undefined> {
	let generation = 0;
	return async (...args: A) => {
		const mine = ++generation;
		const answer = await lookup(...args);
		return mine === generation ? answer : undefined;
	};
}
