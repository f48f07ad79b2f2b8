import { describe, expect, it } from 'vitest';
import {
	amountToText,
	fieldDomId,
	hasChanged,
	parseAmount,
	parseDecimal,
	parseInteger,
	percentToText,
	rawValue,
	toEditText
} from './edit';

describe('toEditText', () => {
	it('writes amounts with ordinary spaces, the way people type them', () => {
		expect(amountToText(1_234_550)).toBe('12 345,50');
		expect(amountToText(1_234_500)).toBe('12 345');
		expect(amountToText(5)).toBe('0,05');
		expect(toEditText('amount', 800_000)).toBe('8 000');
	});

	it('writes shares, dates and phones in French', () => {
		expect(percentToText(3350)).toBe('33,5');
		expect(toEditText('percent', 10_000)).toBe('100');
		expect(toEditText('date', '2026-11-26')).toBe('26/11/2026');
		expect(toEditText('phone', '+33321045678')).toBe('03 21 04 56 78');
		expect(toEditText('integer', 60)).toBe('60');
	});

	it('shows nothing for nothing', () => {
		expect(toEditText('amount', null)).toBe('');
		expect(toEditText('text', undefined)).toBe('');
		expect(toEditText('select', null)).toBe('');
	});
});

describe('what is sent', () => {
	it('sends only real changes', () => {
		expect(hasChanged('12 345', '12 345')).toBe(false);
		expect(hasChanged(' 12 345 ', '12 345')).toBe(false);
		expect(hasChanged('12 346', '12 345')).toBe(true);
		expect(hasChanged('', '12 345')).toBe(true);
	});

	it('sends the raw text, or null to clear', () => {
		expect(rawValue(' 12 345,50 ')).toBe('12 345,50');
		expect(rawValue('   ')).toBeNull();
	});
});

describe('numbers typed in settings', () => {
	it('reads French amounts into cents', () => {
		expect(parseAmount('10 000')).toBe(1_000_000);
		expect(parseAmount('1\u202f000,5 €')).toBe(100_050);
		expect(parseAmount('1500.25')).toBe(150_025);
		expect(parseAmount('dix euros')).toBeNull();
		expect(parseAmount('')).toBeNull();
		expect(parseAmount('1,234')).toBeNull();
	});

	it('reads decimals and whole numbers', () => {
		expect(parseDecimal('2,5')).toBe(2.5);
		expect(parseDecimal('3')).toBe(3);
		expect(parseDecimal('deux')).toBeNull();
		expect(parseInteger('84')).toBe(84);
		expect(parseInteger('8,4')).toBeNull();
	});
});

describe('fieldDomId', () => {
	it('makes ids without dots', () => {
		expect(fieldDomId('f', 'forecast', '2.turnover_cents', 'abc')).toBe(
			'f-forecast-2-turnover_cents-abc'
		);
	});
});
