// The print preview's logic: how sharp the page images are, their labels, loading them one
// by one, and what to say once a PDF was printed or saved.
import { plural } from './format';

/** Pixels per typographic point for page images: sharp on a high-density screen, not huge. */
export function previewScale(devicePixelRatio: number): number {
	const ratio = Number.isFinite(devicePixelRatio) && devicePixelRatio > 0 ? devicePixelRatio : 1;
	return Math.min(3, Math.max(1, 1.5 * ratio));
}

/** `Page 2 sur 3`: the alternative text of a page image. */
export function pageLabel(index: number, count: number): string {
	return `Page ${index + 1} sur ${count}`;
}

/** `2 pages`, `1 page`. */
export function pageCount(count: number): string {
	return plural(count, 'page');
}

/**
 * Fetches the pages in order, handing each to `show` as it comes, so the first page is on
 * screen before the last one is drawn. Stops when `stopped()` says the preview was closed;
 * a page that fails is reported and the others still come.
 */
export async function loadPages(
	count: number,
	fetch: (index: number) => Promise<string>,
	show: (index: number, image: string) => void,
	failed: (index: number, error: unknown) => void,
	stopped: () => boolean = () => false
): Promise<void> {
	for (let index = 0; index < count; index++) {
		if (stopped()) return;
		try {
			const image = await fetch(index);
			if (stopped()) return;
			show(index, image);
		} catch (error) {
			failed(index, error);
		}
	}
}

/** The file's name in a path (`/home/claire/Documents/fiche.pdf` → `fiche.pdf`). */
export function fileNameOf(path: string): string {
	const parts = path.split(/[\\/]/);
	return parts[parts.length - 1] || path;
}

/** The folder of a path (`/home/claire/Documents/fiche.pdf` → `/home/claire/Documents`). */
export function folderOf(path: string): string {
	const cut = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
	if (cut < 0) return '';
	return cut === 0 ? path.slice(0, 1) : path.slice(0, cut);
}

/** What the preview says once the PDF was saved. */
export function savedMessage(path: string): string {
	const folder = folderOf(path);
	return folder
		? `PDF enregistré : ${fileNameOf(path)}, dans ${folder}.`
		: `PDF enregistré : ${fileNameOf(path)}.`;
}

/** What the preview says once the PDF was handed to the system's viewer. */
export function printedMessage(path: string): string {
	return `Le PDF s'ouvre dans votre lecteur de PDF : imprimez-le depuis celui-ci (${fileNameOf(path)}).`;
}
