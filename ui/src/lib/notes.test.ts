import { describe, expect, it } from 'vitest';
import type { Note } from './bindings/Note';
import { noteRows } from './notes';

const note = (id: string, at: string, fields: Partial<Note> = {}): Note => ({
	id,
	body: `note ${id}`,
	author: 'Claire Martin',
	written_at: at,
	supersedes: null,
	superseded_by: null,
	...fields
});

describe('noteRows', () => {
	it('lists notes newest first and keeps corrected ones, with the date of their correction', () => {
		const rows = noteRows([
			note('a', '2026-11-20T09:00:00Z', { superseded_by: 'c' }),
			note('b', '2026-11-21T09:00:00Z'),
			note('c', '2026-11-26T10:00:00Z', { supersedes: 'a' })
		]);
		expect(rows.map((r) => r.note.id)).toEqual(['c', 'b', 'a']);
		expect(rows[2].correctedAt).toBe('2026-11-26T10:00:00Z');
		expect(rows[0].corrects?.id).toBe('a');
		expect(rows[1].correctedAt).toBeNull();
	});
});
