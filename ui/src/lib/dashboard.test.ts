import { describe, expect, it } from 'vitest';
import type { Figures } from './bindings/Figures';
import { dashboardRows } from './dashboard';

const share = (part: number, of: number) => ({ part, of, rate_bp: of ? Math.round((part * 10000) / of) : null });
const count = (n: number) => ({ count: n, dossiers: [] });

function figures(overrides: Partial<Figures> = {}): Figures {
	return {
		period: { from: '2016-01-01', to: '2016-12-31' },
		welcomed: count(300),
		in_progress: count(197),
		presented: count(103),
		financed: count(100),
		businesses_supported: 100,
		honour_loans: 126,
		committed_cents: 86_700_000,
		average_loan_cents: 688_095,
		bank_loans_cents: 953_700_000,
		leverage: 11,
		coupling: share(100, 100),
		jobs_created: 357,
		jobs_kept: 0,
		job_seekers: share(63, 126),
		women: share(0, 126),
		under_30: share(0, 126),
		over_45: share(0, 126),
		qpv: share(0, 126),
		creations: 100,
		takeovers: 0,
		due_cents: 0,
		paid_due_cents: 0,
		repaid_cents: 0,
		overdue_cents: 0,
		repayment: share(0, 0),
		late_loans: count(0),
		...overrides
	};
}

describe('tableau de bord', () => {
	it('shows the core figures the French way, this year against the year before', () => {
		const rows = dashboardRows(figures(), figures({ honour_loans: 90, leverage: null }));
		const by = (key: string) => rows.find((r) => r.key === key)!;
		expect(by('loans')).toMatchObject({ now: '126', before: '90' });
		expect(by('committed').now).toBe('867\u202f000\u00a0€');
		expect(by('leverage')).toMatchObject({ now: '1 pour 11', before: '—' });
		expect(by('job_seekers').now).toBe('50\u00a0%');
		expect(by('repayment').now).toBe('—');
		expect(by('overdue').alert).toBe(false);
	});

	it('marks what is late', () => {
		const rows = dashboardRows(figures({ overdue_cents: 25_000, late_loans: count(1) }), figures());
		expect(rows.find((r) => r.key === 'overdue')).toMatchObject({ now: '250\u00a0€', alert: true });
	});
});
