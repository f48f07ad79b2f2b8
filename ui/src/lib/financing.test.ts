import { describe, expect, it } from 'vitest';
import type { Holder } from './bindings/Holder';
import type { PlanAnalysis } from './bindings/PlanAnalysis';
import { LABELS } from './bindings/labels';
import {
	balanceOf,
	categoriesOf,
	honourLoanRows,
	leverageText,
	NEED_CATEGORIES,
	RESOURCE_CATEGORIES,
	sideOf
} from './financing';

const NNBSP = '\u202f';
const NBSP = '\u00a0';

function analysis(fields: Partial<PlanAnalysis>): PlanAnalysis {
	return {
		needs_cents: 0,
		resources_cents: 0,
		difference_cents: 0,
		balanced: false,
		honour_loans_cents: 0,
		bank_loans_cents: 0,
		leverage: null,
		forecast: [],
		...fields
	};
}

function holder(fields: Partial<Holder>): Holder {
	return {
		id: 'h1',
		civility: 'madame',
		last_name: 'Lefèvre',
		first_name: 'Anne',
		birth_name: '',
		birth_date: null,
		address: '',
		postal_code: null,
		commune_insee: null,
		commune: '',
		phone: null,
		email: null,
		situation: null,
		jobseeker_since: null,
		education: '',
		experience_years: null,
		qpv: false,
		driving_licence: false,
		role: '',
		capital_share_bp: null,
		personal_contribution_cents: null,
		background: '',
		motivation: '',
		loan_requested_cents: null,
		loan_granted_cents: null,
		loan_months: null,
		loan_deferral_months: null,
		loan_fund: '',
		loan_disbursed_on: null,
		...fields
	};
}

describe('sides', () => {
	it('puts every category on exactly one side', () => {
		const all = Object.keys(LABELS.FinancingCategory);
		expect([...NEED_CATEGORIES, ...RESOURCE_CATEGORIES].sort()).toEqual([...all].sort());
		expect(sideOf('stock')).toBe('need');
		expect(sideOf('bank_loan')).toBe('resource');
		expect(categoriesOf('need')[0]).toEqual(['set_up_costs', "Frais d'établissement"]);
	});
});

describe('honour loans', () => {
	it('shows the granted amount once decided, else the requested one', () => {
		const rows = honourLoanRows([
			holder({ id: 'a', loan_requested_cents: 800_000 }),
			holder({ id: 'b', first_name: 'Marc', loan_requested_cents: 800_000, loan_granted_cents: 600_000 }),
			holder({ id: 'c' })
		]);
		expect(rows).toHaveLength(2);
		expect(rows[0]).toMatchObject({ cents: 800_000, state: 'demandé' });
		expect(rows[1]).toMatchObject({ cents: 600_000, state: 'accordé' });
		expect(rows[1].label).toBe("Prêt d'honneur — Marc LEFÈVRE");
	});
});

describe('balance', () => {
	it('says when the plan balances', () => {
		expect(balanceOf(analysis({ needs_cents: 100, resources_cents: 100, balanced: true }))).toEqual({
			tone: 'ok',
			text: 'Plan équilibré'
		});
	});

	it('says how much is missing, or how much is too much', () => {
		const short = balanceOf(
			analysis({ needs_cents: 5_000_000, resources_cents: 3_765_000, difference_cents: -1_235_000 })
		);
		expect(short).toEqual({ tone: 'gap', text: `Il manque 12${NNBSP}350${NBSP}€ de ressources` });
		const over = balanceOf(analysis({ needs_cents: 100_000, resources_cents: 150_000, difference_cents: 50_000 }));
		expect(over.text).toBe(`Les ressources dépassent les besoins de 500${NBSP}€`);
	});

	it('says when nothing is entered yet', () => {
		expect(balanceOf(analysis({})).tone).toBe('empty');
	});

	it('writes the leverage', () => {
		expect(leverageText(analysis({ leverage: 3.2 }))).toBe('Effet levier : 1 pour 3,2');
		expect(leverageText(analysis({}))).toBe("Effet levier : pas de prêt d'honneur");
	});
});
