import { describe, expect, it } from 'vitest';
import {
	fileNameOf,
	folderOf,
	loadPages,
	pageCount,
	pageLabel,
	previewScale,
	printedMessage,
	savedMessage
} from './print';

describe('print preview', () => {
	it('draws pages sharper on a high-density screen, within bounds', () => {
		expect(previewScale(1)).toBe(1.5);
		expect(previewScale(2)).toBe(3);
		expect(previewScale(4)).toBe(3);
		expect(previewScale(0)).toBe(1.5);
		expect(previewScale(Number.NaN)).toBe(1.5);
	});

	it('labels pages the French way', () => {
		expect(pageLabel(0, 3)).toBe('Page 1 sur 3');
		expect(pageCount(1)).toBe('1 page');
		expect(pageCount(3)).toBe('3 pages');
	});

	it('loads pages in order and keeps going after one fails', async () => {
		const shown: Array<[number, string]> = [];
		const failures: number[] = [];
		await loadPages(
			3,
			async (i) => {
				if (i === 1) throw new Error('page illisible');
				return `image-${i}`;
			},
			(i, image) => shown.push([i, image]),
			(i) => failures.push(i)
		);
		expect(shown).toEqual([
			[0, 'image-0'],
			[2, 'image-2']
		]);
		expect(failures).toEqual([1]);
	});

	it('stops loading once the preview is closed', async () => {
		let closed = false;
		const asked: number[] = [];
		await loadPages(
			5,
			async (i) => {
				asked.push(i);
				if (i === 1) closed = true;
				return `image-${i}`;
			},
			() => {},
			() => {},
			() => closed
		);
		expect(asked).toEqual([0, 1]);
	});
});

describe('saved and printed files', () => {
	it('splits a path into folder and file name', () => {
		expect(fileNameOf('/home/claire/Documents/fiche-PROV-2026-0001.pdf')).toBe(
			'fiche-PROV-2026-0001.pdf'
		);
		expect(folderOf('/home/claire/Documents/fiche.pdf')).toBe('/home/claire/Documents');
		expect(folderOf('C:\\Users\\claire\\fiche.pdf')).toBe('C:\\Users\\claire');
		expect(folderOf('/fiche.pdf')).toBe('/');
		expect(folderOf('fiche.pdf')).toBe('');
	});

	it('says where a PDF was saved', () => {
		expect(savedMessage('/home/claire/Documents/fiche-PROV-2026-0001.pdf')).toBe(
			'PDF enregistré : fiche-PROV-2026-0001.pdf, dans /home/claire/Documents.'
		);
		expect(savedMessage('fiche.pdf')).toBe('PDF enregistré : fiche.pdf.');
	});

	it('says the PDF is printed from the viewer', () => {
		expect(printedMessage('/home/claire/.cache/impressions/fiche.pdf')).toMatch(
			/lecteur de PDF.*\(fiche\.pdf\)/
		);
	});
});
