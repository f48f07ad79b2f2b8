// The only place the UI talks to the backend: typed wrappers over Tauri commands.
// Every failure arrives as an ApiFailure carrying the core's `{ code, message, fields?, reasons }`.
import { invoke } from '@tauri-apps/api/core';
import { listen, type UnlistenFn } from '@tauri-apps/api/event';
import type { ApiError } from './bindings/ApiError';
import type { CheckpointDraft } from './bindings/CheckpointDraft';
import type { CheckpointDue } from './bindings/CheckpointDue';
import type { Committee } from './bindings/Committee';
import type { CommitteeDraft } from './bindings/CommitteeDraft';
import type { Commune } from './bindings/Commune';
import type { ConflictRecord } from './bindings/ConflictRecord';
import type { Dashboard } from './bindings/Dashboard';
import type { DecisionInput } from './bindings/DecisionInput';
import type { Dossier } from './bindings/Dossier';
import type { DossierDraft } from './bindings/DossierDraft';
import type { DossierFacets } from './bindings/DossierFacets';
import type { DossierPage } from './bindings/DossierPage';
import type { DossierQuery } from './bindings/DossierQuery';
import type { DossierStatus } from './bindings/DossierStatus';
import type { DossierSummary } from './bindings/DossierSummary';
import type { Epci } from './bindings/Epci';
import type { FieldEdit } from './bindings/FieldEdit';
import type { FinancingCategory } from './bindings/FinancingCategory';
import type { HolderChoice } from './bindings/HolderChoice';
import type { HolderDraft } from './bindings/HolderDraft';
import type { ImportReport } from './bindings/ImportReport';
import type { LoanAgreement } from './bindings/LoanAgreement';
import type { LoanView } from './bindings/LoanView';
import type { MeetingDraft } from './bindings/MeetingDraft';
import type { Mentor } from './bindings/Mentor';
import type { MentorForm } from './bindings/MentorForm';
import type { MentorView } from './bindings/MentorView';
import type { PairingEnd } from './bindings/PairingEnd';
import type { PairingForm } from './bindings/PairingForm';
import type { Workshop } from './bindings/Workshop';
import type { WorkshopDraft } from './bindings/WorkshopDraft';
import type { WorkshopView } from './bindings/WorkshopView';
import type { MovementDraft } from './bindings/MovementDraft';
import type { NafEntry } from './bindings/NafEntry';
import type { PlatformSettings } from './bindings/PlatformSettings';
import type { PrintPreview } from './bindings/PrintPreview';
import type { Chart } from './bindings/Chart';
import type { RefusedChange } from './bindings/RefusedChange';
import type { Session } from './bindings/Session';
import type { SessionDraft } from './bindings/SessionDraft';
import type { SessionView } from './bindings/SessionView';
import type { StatementMapping } from './bindings/StatementMapping';
import type { StatementReading } from './bindings/StatementReading';
import type { StoreAccess } from './bindings/StoreAccess';
import type { Settle } from './bindings/Settle';
import type { SyncEvent } from './bindings/SyncEvent';
import type { SyncStatus } from './bindings/SyncStatus';

export class ApiFailure extends Error {
	readonly error: ApiError;

	constructor(error: ApiError) {
		super(error.message);
		this.name = 'ApiFailure';
		this.error = error;
	}
}

function isApiError(value: unknown): value is ApiError {
	return (
		typeof value === 'object' &&
		value !== null &&
		typeof (value as ApiError).code === 'string' &&
		typeof (value as ApiError).message === 'string'
	);
}

/** Whatever was thrown, an ApiError a person can read. */
export function toApiError(thrown: unknown): ApiError {
	if (thrown instanceof ApiFailure) return thrown.error;
	if (isApiError(thrown)) return { ...thrown, reasons: thrown.reasons ?? [] };
	return {
		code: 'internal',
		message: "Erreur inattendue : l'opération n'a pas été faite.",
		reasons: []
	};
}

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
	try {
		return await invoke<T>(command, args);
	} catch (thrown) {
		throw new ApiFailure(toApiError(thrown));
	}
}

/** A query with every filter unset: the whole list, most recently modified first. */
export function emptyQuery(): DossierQuery {
	return {
		search: null,
		status: null,
		commune: null,
		advisor: null,
		session_id: null,
		committee_date: null,
		sort: null,
		limit: null,
		offset: null
	};
}

export const api = {
	/** Whether the store is open, waits for its passphrase, or was refused. */
	storeAccess: () => call<StoreAccess>('store_access'),
	/** Opens the store with the advisor's passphrase (chosen at first start, where the
	 * machine has no credential store); a wrong one is refused with `wrong_key`. */
	unlockStore: (passphrase: string) => call<StoreAccess>('unlock_store', { passphrase }),
	listDossiers: (query: DossierQuery = emptyQuery()) =>
		call<DossierPage>('list_dossiers', { query }),
	dossierFacets: () => call<DossierFacets>('dossier_facets'),
	getDossier: (id: string) => call<Dossier>('get_dossier', { id }),
	/** A dossier even if deleted (to show which one a deletion conflict is about). */
	getDeletedDossier: (id: string) => call<Dossier>('get_deleted_dossier', { id }),
	/** Deletes a dossier; a conflict with an edit made elsewhere can restore it. */
	deleteDossier: (id: string) => call<null>('delete_dossier', { id }),
	createDossier: (draft: DossierDraft) => call<Dossier>('create_dossier', { draft }),
	/** Saves one field; refused values come back as `fields[edit.field]`. */
	setField: (edit: FieldEdit) => call<Dossier>('set_field', { edit }),
	addHolder: (dossierId: string, draft: HolderDraft) =>
		call<Dossier>('add_holder', { dossierId, draft }),
	addFinancingLine: (dossierId: string, category: FinancingCategory) =>
		call<Dossier>('add_financing_line', { dossierId, category }),
	removeFinancingLine: (lineId: string) => call<Dossier>('remove_financing_line', { lineId }),
	/** Appends a note; `supersedes` names the note it corrects, which stays. */
	addNote: (dossierId: string, body: string, supersedes: string | null = null) =>
		call<Dossier>('add_note', { dossierId, body, supersedes }),
	moveStatus: (dossierId: string, to: DossierStatus) =>
		call<Dossier>('move_status', { dossierId, to }),
	/** The platform's figures for a year (up to a day), against the same period a year
	 * before, with the rows the tableau de bord shows (labelled and formatted by the core). */
	indicators: (year: number, until: string | null = null) =>
		call<Dashboard>('indicators', { year, until }),
	/** The list lines of a figure's dossiers (each figure opens its list). */
	dossierSummaries: (ids: string[]) => call<DossierSummary[]>('dossier_summaries', { ids }),
	/** The dossier's loans with where each stands today (status, schedule, what is late). */
	loanViews: (dossierId: string) => call<LoanView[]>('loan_views', { dossierId }),
	addLoan: (dossierId: string, agreement: LoanAgreement) =>
		call<Dossier>('add_loan', { dossierId, agreement }),
	removeLoan: (loanId: string) => call<Dossier>('remove_loan', { loanId }),
	addLoanMovement: (draft: MovementDraft) => call<Dossier>('add_loan_movement', { draft }),
	removeLoanMovement: (movementId: string) =>
		call<Dossier>('remove_loan_movement', { movementId }),
	/** The bank statement's column mappings saved on this laptop, by name. */
	statementMappings: () => call<Record<string, StatementMapping>>('statement_mappings'),
	/** Saves a column mapping under a name (replacing one of that name); refused by field. */
	saveStatementMapping: (name: string, mapping: StatementMapping) =>
		call<null>('save_statement_mapping', { name, mapping }),
	/** A statement as the import would read it (encoding, separator, columns, operations);
	 * records nothing. */
	readStatement: (bytes: number[], mapping: string | null) =>
		call<StatementReading>('read_statement', { bytes, mapping }),
	/** Imports a statement's repayments, all or nothing; what became of every line. */
	importStatement: (bytes: number[], mapping: string | null) =>
		call<ImportReport>('import_statement', { bytes, mapping }),
	/** The follow-up checkpoints due in the month of `month` (a day), or overdue then. */
	checkpointsDue: (month: string) => call<CheckpointDue[]>('checkpoints_due', { month }),
	addCheckpoint: (dossierId: string, draft: CheckpointDraft) =>
		call<Dossier>('add_checkpoint', { dossierId, draft }),
	removeCheckpoint: (checkpointId: string) =>
		call<Dossier>('remove_checkpoint', { checkpointId }),
	/** The directory of mentors, each with the businesses they were paired with. */
	mentors: () => call<MentorView[]>('mentors'),
	/** Adds a mentor (`mentorId` null) or records a new card of one (an edit, a deactivation). */
	saveMentor: (mentorId: string | null, form: MentorForm) =>
		call<Mentor>('save_mentor', { mentorId, form }),
	addPairing: (dossierId: string, form: PairingForm) =>
		call<Dossier>('add_pairing', { dossierId, form }),
	endPairing: (end: PairingEnd) => call<Dossier>('end_pairing', { end }),
	removePairing: (pairingId: string) => call<Dossier>('remove_pairing', { pairingId }),
	addMeeting: (draft: MeetingDraft) => call<Dossier>('add_meeting', { draft }),
	removeMeeting: (meetingId: string) => call<Dossier>('remove_meeting', { meetingId }),
	workshops: () => call<Workshop[]>('workshops'),
	workshop: (workshopId: string) => call<WorkshopView>('workshop', { workshopId }),
	createWorkshop: (draft: WorkshopDraft) => call<Workshop>('create_workshop', { draft }),
	/** Registers a holder; a full workshop answers under `fields.holder_id`. */
	registerHolder: (workshopId: string, holderId: string) =>
		call<WorkshopView>('register_holder', { workshopId, holderId }),
	unregisterHolder: (workshopId: string, holderId: string) =>
		call<WorkshopView>('unregister_holder', { workshopId, holderId }),
	setPresent: (workshopId: string, holderId: string, present: boolean) =>
		call<WorkshopView>('set_present', { workshopId, holderId, present }),
	/** Holders whose name or dossier number holds `search` (at most 20). */
	holderChoices: (search: string) => call<HolderChoice[]>('holder_choices', { search }),
	listSessions: () => call<Session[]>('list_sessions'),
	getSession: (id: string) => call<SessionView>('get_session', { id }),
	createSession: (draft: SessionDraft) => call<Session>('create_session', { draft }),
	getSettings: () => call<PlatformSettings>('get_settings'),
	saveSettings: (settings: PlatformSettings) =>
		call<PlatformSettings>('save_settings', { settings }),
	searchCommunes: (query: string) => call<Commune[]>('search_communes', { query }),
	communesForPostalCode: (code: string) =>
		call<Commune[]>('communes_for_postal_code', { code }),
	searchNaf: (query: string) => call<NafEntry[]>('search_naf', { query }),
	searchEpcis: (query: string) => call<Epci[]>('search_epcis', { query }),
	syncStatus: () => call<SyncStatus>('sync_status'),
	/** Registers this laptop; the password goes to the head office only, never to a store. */
	/** `certificate`: the network's certificate authority (PEM), or null for public ones. */
	registerDevice: (server: string, login: string, password: string, certificate: string | null) =>
		call<SyncStatus>('register_device', { server, login, password, certificate }),
	/** The head office's address to offer in the setup form (`PERMANENCE_HEAD_OFFICE_URL`,
	 * which `make run` sets), or null. */
	defaultServer: () => call<string | null>('default_server'),
	/** Wakes the background sync; what it does arrives through `onSyncEvent`. */
	syncNow: () => call<null>('sync_now'),
	listConflicts: () => call<ConflictRecord[]>('list_conflicts'),
	settleConflict: (id: number, how: Settle) =>
		call<Dossier | null>('settle_conflict', { id, how }),
	listRefused: () => call<RefusedChange[]>('list_refused'),
	listCommittees: () => call<Committee[]>('list_committees'),
	getCommittee: (id: string) => call<Committee>('get_committee', { id }),
	createCommittee: (draft: CommitteeDraft) => call<Committee>('create_committee', { draft }),
	addToAgenda: (committeeId: string, dossierId: string) =>
		call<Committee>('add_to_agenda', { committeeId, dossierId }),
	removeFromAgenda: (committeeId: string, dossierId: string) =>
		call<Committee>('remove_from_agenda', { committeeId, dossierId }),
	/** Records the committee's decision; the dossier comes back with its new status. */
	recordDecision: (dossierId: string, input: DecisionInput) =>
		call<Dossier>('record_decision', { dossierId, input }),
	/** Typesets a dossier's summary; its pages then come one by one through `previewPage`. */
	previewSummary: (dossierId: string) => call<PrintPreview>('preview_summary', { dossierId }),
	/** Typesets a committee's pack (cover and every summary of its agenda). */
	previewPack: (committeeId: string) => call<PrintPreview>('preview_pack', { committeeId }),
	/** A previewed page as an image address (`data:image/png;base64,…`). */
	previewPage: (id: string, index: number, scale: number) =>
		call<string>('preview_page', { id, index, scale }),
	/** Opens the previewed PDF in the system's viewer to print it; answers the file's path. */
	printPrintout: (id: string) => call<string>('print_printout', { id }),
	/** Saves the previewed PDF where the person chooses; null when they cancel. */
	savePrintout: (id: string) => call<string | null>('save_printout', { id }),
	/** What a template or logo would give (warnings), before the settings are saved. */
	checkSummarySettings: (settings: PlatformSettings) =>
		call<string[]>('check_summary_settings', { settings }),
	/** The tableau de bord's charts (SVG), the very ones the annual report prints. */
	dashboardCharts: (year: number, until: string | null = null) =>
		call<Chart[]>('dashboard_charts', { year, until }),
	/** Typesets the annual report ("Rapport d'activité"); then as `previewSummary`. */
	previewReport: (year: number, until: string | null = null) =>
		call<PrintPreview>('preview_report', { year, until }),
	/** Saves the accountant's export of a year where the person chooses; the files written
	 * (a CSV export is one file per table), null when they cancel. */
	saveExport: (year: number, format: 'xlsx' | 'csv') =>
		call<string[] | null>('save_export', { year, format }),
	/** Hears the background sync (`sync-event`); call the returned function to stop. */
	onSyncEvent: (handler: (event: SyncEvent) => void): Promise<UnlistenFn> =>
		listen<SyncEvent>('sync-event', (event) => handler(event.payload))
};
