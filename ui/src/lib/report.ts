// The annual report and the accountant's export from the tableau de bord: what the screen
// says once the export is saved, and the period the buttons act on.

import { fileNameOf, folderOf } from './print';

/** The day the year-to-date period of `year` ends: today's day of the month in that year. */
export function untilOf(year: number, toDate: boolean, today: string): string | null {
	return toDate ? `${year}${today.slice(4)}` : null;
}

/** "Export comptable enregistré : export-comptable-2026.xlsx, dans /home/…/Documents." — a
 * CSV export names its files, one per table. */
export function exportedMessage(paths: string[]): string {
	if (paths.length === 0) return '';
	const folder = folderOf(paths[0]);
	const names = paths.map(fileNameOf).join(', ');
	const what = paths.length > 1 ? `${paths.length} fichiers (${names})` : names;
	return folder
		? `Export comptable enregistré : ${what}, dans ${folder}.`
		: `Export comptable enregistré : ${what}.`;
}
