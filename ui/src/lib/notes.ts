// Interview notes as the dossier shows them: newest first, each correction beside what it
// corrects. Notes are append-only, so nothing here removes one.
import type { Note } from './bindings/Note';

export interface NoteRow {
	note: Note;
	/** When the note was corrected (the superseding note's time), if it was. */
	correctedAt: string | null;
	/** The note this one corrects, if any. */
	corrects: Note | null;
}

export function noteRows(notes: Note[]): NoteRow[] {
	const byId = new Map(notes.map((n) => [n.id, n]));
	return [...notes]
		.sort((a, b) => b.written_at.localeCompare(a.written_at) || b.id.localeCompare(a.id))
		.map((note) => ({
			note,
			correctedAt: note.superseded_by ? (byId.get(note.superseded_by)?.written_at ?? null) : null,
			corrects: note.supersedes ? (byId.get(note.supersedes) ?? null) : null
		}));
}
