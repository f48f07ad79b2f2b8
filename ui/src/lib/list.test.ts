import { describe, expect, it } from 'vitest';
import { emptyQuery } from './api';
import { isFiltered, statusCounts } from './list';

describe('statusCounts', () => {
	it('lists every status in pipeline order, with zeros, and the total', () => {
		const counts = statusCounts([
			{ status: 'instruction', count: 12 },
			{ status: 'premier_contact', count: 5 }
		]);
		expect(counts.all).toBe(17);
		expect(counts.rows[0]).toEqual({ status: 'premier_contact', count: 5 });
		expect(counts.rows[1]).toEqual({ status: 'instruction', count: 12 });
		expect(counts.rows).toHaveLength(11);
		expect(counts.rows.find((r) => r.status === 'solde')?.count).toBe(0);
	});
});

describe('isFiltered', () => {
	it('tells a narrowed list from the whole one', () => {
		expect(isFiltered(emptyQuery())).toBe(false);
		expect(isFiltered({ ...emptyQuery(), sort: 'name_asc' })).toBe(false);
		expect(isFiltered({ ...emptyQuery(), search: '  ' })).toBe(false);
		expect(isFiltered({ ...emptyQuery(), search: 'hesdin' })).toBe(true);
		expect(isFiltered({ ...emptyQuery(), status: 'instruction' })).toBe(true);
	});
});
