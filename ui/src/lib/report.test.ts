import { describe, expect, it } from 'vitest';
import { exportedMessage, untilOf } from './report';

describe('the annual report and the export', () => {
	it('acts on the whole year, or up to the same day of that year', () => {
		expect(untilOf(2016, false, '2026-06-08')).toBeNull();
		expect(untilOf(2016, true, '2026-06-08')).toBe('2016-06-08');
	});

	it('names the workbook, or every CSV file, and their folder', () => {
		expect(exportedMessage(['/home/a/Documents/export-comptable-2016.xlsx'])).toBe(
			'Export comptable enregistré : export-comptable-2016.xlsx, dans /home/a/Documents.'
		);
		expect(
			exportedMessage(['/tmp/export.csv', '/tmp/export-prets.csv', '/tmp/export-echeances.csv'])
		).toBe(
			'Export comptable enregistré : 3 fichiers (export.csv, export-prets.csv, export-echeances.csv), dans /tmp.'
		);
		expect(exportedMessage([])).toBe('');
	});
});
