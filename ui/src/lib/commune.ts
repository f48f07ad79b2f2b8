// Communes as lists of choices. A delegated commune shares its INSEE code with its current
// commune (Hesdin and Hesdin-la-Forêt are both 62447): both stay in the list, under their own
// names, and choosing either stores the same code.
import type { Commune } from './bindings/Commune';

/**
 * `[insee, label]` choices for a postal code's communes, always including the current one.
 * A list shows the first choice holding the stored code, so among the communes that share a
 * code, the current commune comes first: the dossier's Hesdin-la-Forêt is not shown as
 * "Hesdin (commune déléguée…)", which sorts before it.
 */
export function communeChoices(
	communes: Commune[],
	currentInsee: string | null,
	currentName: string
): [string, string][] {
	const ordered = [...communes];
	ordered.forEach((c, i) => {
		const first = ordered.findIndex((o) => o.insee === c.insee);
		if (c.kind === 'current' && first < i) {
			ordered.splice(i, 1);
			ordered.splice(first, 0, c);
		}
	});
	const choices: [string, string][] = ordered.map((c) => [c.insee, c.label]);
	if (currentInsee && !choices.some(([insee]) => insee === currentInsee)) {
		choices.unshift([currentInsee, currentName || currentInsee]);
	}
	return choices;
}

/** `Hesdin-la-Forêt (62140)`: a commune with its postal codes, for lists of communes. */
export function communeWithCodes(commune: Commune): string {
	const codes = commune.postal_codes.slice(0, 3).join(', ');
	const more = commune.postal_codes.length > 3 ? '…' : '';
	return codes ? `${commune.label} (${codes}${more})` : commune.label;
}
