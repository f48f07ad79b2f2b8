// The dossier screen's sections, and the small badges their tabs carry (plan balanced or
// not, pieces still awaited, number of notes) so the advisor sees what is left to do.
import type { Dossier } from './bindings/Dossier';

export type SectionKey =
	| 'porteurs'
	| 'entreprise'
	| 'financement'
	| 'previsionnel'
	| 'pieces'
	| 'comite'
	| 'pret'
	| 'parrainage'
	| 'suivi'
	| 'notes'
	| 'statut';

export const SECTIONS: { key: SectionKey; label: string }[] = [
	{ key: 'porteurs', label: 'Porteurs' },
	{ key: 'entreprise', label: 'Projet et entreprise' },
	{ key: 'financement', label: 'Plan de financement' },
	{ key: 'previsionnel', label: 'Prévisionnel' },
	{ key: 'pieces', label: 'Pièces' },
	{ key: 'comite', label: 'Comité' },
	{ key: 'pret', label: "Prêt d'honneur" },
	{ key: 'parrainage', label: 'Parrainage et ateliers' },
	{ key: 'suivi', label: 'Suivi' },
	{ key: 'notes', label: 'Notes' },
	{ key: 'statut', label: 'Statut' }
];

export type Badge = { tone: 'ok' | 'gap' | 'info'; text: string };

export function sectionBadges(dossier: Dossier): Partial<Record<SectionKey, Badge>> {
	const badges: Partial<Record<SectionKey, Badge>> = {};
	const plan = dossier.analysis;
	if (plan.balanced) badges.financement = { tone: 'ok', text: 'équilibré' };
	else if (plan.needs_cents > 0 || plan.resources_cents > 0)
		badges.financement = { tone: 'gap', text: 'déséquilibré' };

	const awaited = dossier.documents.filter(
		(d) => d.required && (d.status === 'manquant' || d.status === 'demande')
	).length;
	if (awaited > 0) badges.pieces = { tone: 'gap', text: `${awaited} attendue${awaited > 1 ? 's' : ''}` };
	else if (dossier.documents.some((d) => d.required)) badges.pieces = { tone: 'ok', text: 'complet' };

	const live = dossier.notes.filter((n) => n.superseded_by === null).length;
	if (live > 0) badges.notes = { tone: 'info', text: String(live) };

	if (dossier.loans.length > 0) badges.pret = { tone: 'info', text: String(dossier.loans.length) };

	const paired = dossier.pairings.filter((p) => p.end_on === null).length;
	if (paired > 0) badges.parrainage = { tone: 'info', text: 'parrainé' };

	const followed = dossier.checkpoints.length;
	if (followed > 0) badges.suivi = { tone: 'info', text: `${followed}/3` };

	if (dossier.holders.length > 1) badges.porteurs = { tone: 'info', text: String(dossier.holders.length) };
	return badges;
}

/** The section a link asks for (`?section=suivi`), or the first one. */
export function sectionFrom(asked: string | null): SectionKey {
	return SECTIONS.find((s) => s.key === asked)?.key ?? 'porteurs';
}
