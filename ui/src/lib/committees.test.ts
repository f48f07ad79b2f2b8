import { describe, expect, it } from 'vitest';
import type { Committee } from './bindings/Committee';
import type { DossierSummary } from './bindings/DossierSummary';
import {
	agendaCandidates,
	agendaCount,
	awaitsDecision,
	committeeHeading,
	committeeTitle,
	decisionFields,
	decisionInput,
	decisionsOpen,
	decisionSummary,
	emptyDecision,
	requestedTotal,
	splitCommittees
} from './committees';

function dossier(id: string, status: DossierSummary['status'] = 'pret_pour_comite'): DossierSummary {
	return {
		id,
		number: `PROV-2026-${id}`,
		project_type: 'creation',
		status,
		idea: '',
		holder_name: `Porteur ${id}`,
		commune: 'Hesdin-la-Forêt',
		business_name: '',
		advisor: 'Claire Dumont',
		opened_on: '2026-09-01',
		committee_date: null,
		updated_at: '2026-11-26T09:00:00Z'
	};
}

function committee(held_on: string, agenda: DossierSummary[] = []): Committee {
	return {
		id: `c-${held_on}`,
		held_on,
		kind: 'agrement',
		place: 'Siège',
		agenda: agenda.map((d, i) => ({ position: i + 1, dossier: d }))
	};
}

describe('committees', () => {
	it('names a committee by its kind and day', () => {
		expect(committeeTitle(committee('2026-12-08'))).toBe("Comité d'agrément du 08/12/2026");
		expect(committeeHeading(committee('2026-12-08'))).toBe(
			"Comité d'agrément du mardi 8 décembre 2026"
		);
	});

	it('counts the agenda in French', () => {
		expect(agendaCount(committee('2026-12-08'))).toBe('Aucun dossier');
		expect(agendaCount(committee('2026-12-08', [dossier('1')]))).toBe('1 dossier');
		expect(agendaCount(committee('2026-12-08', [dossier('1'), dossier('2')]))).toBe('2 dossiers');
	});

	it('puts the next committee first and the latest held one first', () => {
		const list = ['2026-10-13', '2027-01-12', '2026-11-26', '2026-12-08', '2026-09-08'].map((d) =>
			committee(d)
		);
		const { upcoming, held } = splitCommittees(list, '2026-11-26');
		expect(upcoming.map((c) => c.held_on)).toEqual(['2026-11-26', '2026-12-08', '2027-01-12']);
		expect(held.map((c) => c.held_on)).toEqual(['2026-10-13', '2026-09-08']);
	});

	it('opens decisions on the committee day and after', () => {
		expect(decisionsOpen(committee('2026-11-26'), '2026-11-26')).toBe(true);
		expect(decisionsOpen(committee('2026-10-13'), '2026-11-26')).toBe(true);
		expect(decisionsOpen(committee('2026-12-08'), '2026-11-26')).toBe(false);
	});

	it('offers the ready dossiers that are not on the agenda yet', () => {
		const on = dossier('1');
		const c = committee('2026-12-08', [on]);
		const ready = [on, dossier('2'), dossier('3', 'instruction')];
		expect(agendaCandidates(ready, c).map((d) => d.id)).toEqual(['2']);
	});

	it('awaits a decision only before it was recorded', () => {
		expect(awaitsDecision('pret_pour_comite')).toBe(true);
		expect(awaitsDecision('passe_en_comite')).toBe(true);
		expect(awaitsDecision('accorde')).toBe(false);
		expect(awaitsDecision('instruction')).toBe(false);
	});
});

describe('decision form', () => {
	it('asks for an amount to grant, conditions for a conditional accord, a reason otherwise', () => {
		expect(decisionFields('')).toEqual({ amount: false, conditions: false, reason: false });
		expect(decisionFields('accord')).toEqual({ amount: true, conditions: false, reason: false });
		expect(decisionFields('accord_sous_conditions')).toEqual({
			amount: true,
			conditions: true,
			reason: false
		});
		expect(decisionFields('ajournement')).toEqual({ amount: false, conditions: false, reason: true });
		expect(decisionFields('refus')).toEqual({ amount: false, conditions: false, reason: true });
	});

	it('sends nothing chosen as null, for the core to ask for it', () => {
		expect(decisionInput(emptyDecision())).toEqual({
			decision: null,
			amount: '',
			conditions: '',
			reason: ''
		});
	});

	it('drops what the chosen decision does not ask for', () => {
		const form = {
			decision: 'refus' as const,
			amount: '8 000',
			conditions: 'Attestation bancaire',
			reason: 'Marché trop étroit.'
		};
		expect(decisionInput(form)).toEqual({
			decision: 'refus',
			amount: '',
			conditions: '',
			reason: 'Marché trop étroit.'
		});
		expect(decisionInput({ ...form, decision: 'accord_sous_conditions' })).toEqual({
			decision: 'accord_sous_conditions',
			amount: '8 000',
			conditions: 'Attestation bancaire',
			reason: ''
		});
	});

	it('sums up a recorded decision', () => {
		expect(decisionSummary({ decision: 'accord', decision_amount_cents: 800000 })).toBe(
			'Accord — 8\u202f000\u00a0€'
		);
		expect(decisionSummary({ decision: 'refus', decision_amount_cents: null })).toBe('Refus');
		expect(decisionSummary({ decision: null, decision_amount_cents: null })).toBe('');
	});

	it('adds up the honour loans asked for by the holders', () => {
		const holder = (cents: number | null) => ({ loan_requested_cents: cents });
		expect(requestedTotal({ holders: [holder(500000), holder(300000)] } as never)).toBe(800000);
		expect(requestedTotal({ holders: [holder(null)] } as never)).toBe(null);
	});
});
