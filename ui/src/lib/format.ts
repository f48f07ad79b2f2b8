// French labels and formats for what the core sends as codes and ISO dates.
import type { Civility } from './bindings/Civility';
import type { Dossier } from './bindings/Dossier';
import type { DossierDraft } from './bindings/DossierDraft';
import type { DossierStatus } from './bindings/DossierStatus';
import type { ProjectType } from './bindings/ProjectType';

export const PROJECT_TYPES: Record<ProjectType, string> = {
	creation: 'Création',
	reprise: 'Reprise',
	croissance: 'Croissance'
};

export const CIVILITIES: Record<Civility, string> = {
	madame: 'Madame',
	monsieur: 'Monsieur'
};

export const STATUSES: Record<DossierStatus, string> = {
	premier_contact: 'Premier contact',
	instruction: 'En instruction',
	pret_pour_comite: 'Prêt pour comité',
	passe_en_comite: 'Passé en comité',
	accorde: 'Accordé',
	ajourne: 'Ajourné',
	refuse: 'Refusé',
	decaisse: 'Décaissé',
	en_remboursement: 'En remboursement',
	solde: 'Soldé',
	abandonne: 'Abandonné'
};

const dateFormat = new Intl.DateTimeFormat('fr-FR', {
	day: '2-digit',
	month: '2-digit',
	year: 'numeric',
	timeZone: 'Europe/Paris'
});

/** `26/11/2026`, in the platform's time zone. */
export function formatDate(iso: string): string {
	const date = new Date(iso);
	return Number.isNaN(date.getTime()) ? '' : dateFormat.format(date);
}

/** `03 21 04 56 78` for a French E.164 number; other countries stay in E.164. */
export function formatPhone(e164: string | null): string {
	if (!e164) return '';
	const match = /^\+33(\d)(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(e164);
	return match ? `0${match.slice(1).join(' ')}` : e164;
}

/** An empty form: one holder, nothing chosen. */
export function emptyDraft(): DossierDraft {
	return {
		project_type: null,
		idea: '',
		holders: [{ civility: null, last_name: '', first_name: '', phone: '', commune: '' }]
	};
}

/** The form's content for an existing dossier. */
export function draftOf(dossier: Dossier): DossierDraft {
	return {
		project_type: dossier.project_type,
		idea: dossier.idea,
		holders: dossier.holders.map((h) => ({
			civility: h.civility,
			last_name: h.last_name,
			first_name: h.first_name,
			phone: formatPhone(h.phone),
			commune: h.commune
		}))
	};
}
