// The dossier list's filters: counts per status in pipeline order, and whether any filter
// narrows the list (an empty list then means "nothing matches", not "no dossier yet").
import type { DossierQuery } from './bindings/DossierQuery';
import type { DossierStatus } from './bindings/DossierStatus';
import type { StatusCount } from './bindings/StatusCount';
import { LABELS } from './bindings/labels';

export interface StatusCounts {
	/** Dossiers matching every filter but the status. */
	all: number;
	/** Every status in pipeline order, with its count (0 when the core sent none). */
	rows: StatusCount[];
}

export function statusCounts(byStatus: StatusCount[]): StatusCounts {
	const count = new Map(byStatus.map((s) => [s.status, s.count]));
	const rows = (Object.keys(LABELS.DossierStatus) as DossierStatus[]).map((status) => ({
		status,
		count: count.get(status) ?? 0
	}));
	return { all: byStatus.reduce((sum, s) => sum + s.count, 0), rows };
}

export function isFiltered(query: DossierQuery): boolean {
	return Boolean(
		(query.search && query.search.trim() !== '') ||
			query.status ||
			query.commune ||
			query.advisor ||
			query.session_id ||
			query.committee_date
	);
}
