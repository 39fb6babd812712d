// The one place the UI talks to the Rust backend. Components never call `invoke` themselves.
// Every function rejects with a CommandError (see toCommandError) when the command fails.
import { Channel, invoke } from '@tauri-apps/api/core';
import { listen, type UnlistenFn } from '@tauri-apps/api/event';

import type {
  AppStatus,
  CommandError,
  EvidenceDetail,
  ImportProgress,
  ImportResult,
  Overview,
  UnlockResult,
} from './appTypes';
import type { AppProtections } from './bindings/AppProtections';
import type { ApplicantForm } from './bindings/ApplicantForm';
import type { CommandName, Commands } from './bindings/commands';
import type { LockReason } from './bindings/LockReason';
import type { BundleProgress } from './bindings/BundleProgress';
import type { BundleReport } from './bindings/BundleReport';
import type { BundleSpec } from './bindings/BundleSpec';
import type { Calculated } from './bindings/Calculated';
import type { Checklist } from './bindings/Checklist';
import type { ComputedDeadline } from './bindings/ComputedDeadline';
import type { Contact } from './bindings/Contact';
import type { Disclosure } from './bindings/Disclosure';
import type { ContactInput } from './bindings/ContactInput';
import type { Deadline } from './bindings/Deadline';
import type { DeadlineInput } from './bindings/DeadlineInput';
import type { Event } from './bindings/Event';
import type { EventInput } from './bindings/EventInput';
import type { EvidenceItem } from './bindings/EvidenceItem';
import type { EvidenceMeta } from './bindings/EvidenceMeta';
import type { Hit } from './bindings/Hit';
import type { Library } from './bindings/Library';
import type { GroundSummary } from './bindings/GroundSummary';
import type { Places } from './bindings/Places';
import type { OcrLanguage } from './bindings/OcrLanguage';
import type { Outcome } from './bindings/Outcome';
import type { TranslationInput } from './bindings/TranslationInput';
import type { PlannedExhibit } from './bindings/PlannedExhibit';
import type { ProfileInput } from './bindings/ProfileInput';
import type { ProfileState } from './bindings/ProfileState';
import type { Progress } from './bindings/Progress';
import type { Protections } from './bindings/Protections';
import type { RecognisedText } from './bindings/RecognisedText';
import type { Request } from './bindings/Request';
import type { RequestInput } from './bindings/RequestInput';
import type { Rule } from './bindings/Rule';
import type { ScanProgress } from './bindings/ScanProgress';
import type { RuleId } from './bindings/RuleId';
import type { Section } from './bindings/Section';
import type { VerifyReport } from './bindings/VerifyReport';

/** Record kinds that can be moved to the trash, restored and purged. */
export type TrashKind = 'evidence' | 'event' | 'contact' | 'deadline' | 'request';

/** Languages a CCF draft can be written in today (Arabic, a CCF working language too, is not yet supported). */
export type DraftLanguage = 'en' | 'fr' | 'es' | 'ar';

/** The event the backend emits (payload: absolute paths) when files are dropped on the window. */
export const FILES_DROPPED_EVENT = 'files-dropped';

/** The event the backend emits when it locked the journal on its own (payload: why). */
export const VAULT_LOCKED_EVENT = 'vault-locked';

/** Why the backend locked: Lock now, no activity, the computer went to sleep, the session or the screen was locked. */
export type BackendLockReason = LockReason;

export function isCommandError(value: unknown): value is CommandError {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { code?: unknown }).code === 'string' &&
    typeof (value as { message?: unknown }).message === 'string'
  );
}

/** Normalise whatever a rejected invoke gives (an error object, a string, an Error) to a CommandError. */
export function toCommandError(value: unknown): CommandError {
  if (isCommandError(value)) {
    return {
      code: value.code,
      reason: typeof value.reason === 'string' ? value.reason : value.code,
      message: value.message,
      subject: typeof value.subject === 'string' ? value.subject : null,
    };
  }
  const message =
    typeof value === 'string' ? value : value instanceof Error ? value.message : String(value);
  return { code: 'error', reason: 'error', message, subject: null };
}

type Args<K extends CommandName> = Commands[K]['args'];
type Result<K extends CommandName> = Commands[K]['result'];

/**
 * Invokes a command by its name in the generated table (bindings/commands.ts, made from the Rust commands): a
 * renamed command, argument or result type fails the type check here, not in front of a user.
 */
async function call<K extends CommandName>(
  command: K,
  ...args: Record<string, never> extends Args<K> ? [] : [Args<K>]
): Promise<Result<K>> {
  try {
    return await invoke<Result<K>>(command, args[0]);
  } catch (error) {
    throw toCommandError(error);
  }
}

function channel<T>(onProgress: (value: T) => void): Channel<T> {
  const ch = new Channel<T>();
  ch.onmessage = onProgress;
  return ch;
}

// --- Vault and session -------------------------------------------------------------------------

export const appStatus = (): Promise<AppStatus> => call('app_status');

/** Creates the vault; resolves to the recovery key, which is shown once. */
export const createVault = (passphrase: string): Promise<string> =>
  call('create_vault', { passphrase });

export const unlock = (passphrase: string): Promise<UnlockResult> => call('unlock', { passphrase });

export const unlockWithRecovery = (
  recoveryKey: string,
  newPassphrase: string,
): Promise<UnlockResult> => call('unlock_with_recovery', { recoveryKey, newPassphrase });

/** Opens the fictional demo case in a temporary vault. */
/** The fictional demo case, its own words in `language` (a language of the interface). */
export const openDemo = (language: string): Promise<UnlockResult> => call('open_demo', { language });

/** Locks the journal; the backend then replaces this page with a fresh one that says why. */
export const lock = (reason: 'manual' | 'idle'): Promise<void> => call('lock', { reason });

/** Puts the recovery key on the clipboard, marked secret; the backend clears it after 30 s and on lock. */
export const copyRecoveryKey = (code: string): Promise<void> => call('copy_recovery_key', { code });

/** Tells the backend's idle lock that the person used the window (send at most every few seconds). */
export const activity = (): Promise<void> => call('activity');

/** The idle time chosen in Settings, for the backend's own idle lock. */
export const setAutoLock = (minutes: number): Promise<void> => call('set_auto_lock', { minutes });

export const changePassphrase = (current: string, next: string): Promise<void> =>
  call('change_passphrase', { current, next });

/**
 * "Change and re-encrypt": a new passphrase, a new data key and a new recovery key (resolved, to show once). Cancel
 * with cancelTask(); the promise then rejects with code "cancelled" and the journal stays as it was.
 */
export const rekey = (current: string, next: string, onProgress: (p: Progress) => void): Promise<string> =>
  call('rekey', { current, next, onProgress: channel(onProgress) });

/** `today` is the local date, YYYY-MM-DD. */
export const overview = (today: string): Promise<Overview> => call('overview', { today });

export const verify = (): Promise<VerifyReport> => call('verify');

// --- Evidence ----------------------------------------------------------------------------------

export const listEvidence = (includeTrashed: boolean): Promise<EvidenceItem[]> =>
  call('list_evidence', { includeTrashed });

export const evidenceDetail = (id: number): Promise<EvidenceDetail> =>
  call('evidence_detail', { id });

/** The backend shows the native file dialog; resolves to [] when the person cancels it. */
export const pickAndImport = (
  onProgress: (p: ImportProgress) => void,
): Promise<ImportResult[]> => call('pick_and_import', { onProgress: channel(onProgress) });

/** Imports files dropped on the window (absolute paths from the "files-dropped" event). */
export const importDropped = (
  paths: string[],
  onProgress: (p: ImportProgress) => void,
): Promise<ImportResult[]> => call('import_dropped', { paths, onProgress: channel(onProgress) });

/** Cancels the running import, backup or restore; nothing half-done remains. */
export const cancelTask = (): Promise<void> => call('cancel_task');

export const editEvidence = (id: number, meta: EvidenceMeta): Promise<void> =>
  call('edit_evidence', { id, meta });

/** Marks item `translation` as the translation of `input.original` (replacing an earlier link of it). */
export const linkTranslation = (translation: number, input: TranslationInput): Promise<void> =>
  call('link_translation', { translation, input });

export const unlinkTranslation = (translation: number): Promise<void> => call('unlink_translation', { translation });

/** The backend shows a save dialog; resolves to the written path, or null when cancelled. */
export const exportEvidence = (id: number): Promise<string | null> =>
  call('export_evidence', { id });

export const trash = (kind: TrashKind, id: number): Promise<void> => call('trash', { kind, id });
export const untrash = (kind: TrashKind, id: number): Promise<void> =>
  call('untrash', { kind, id });
export const purge = (kind: TrashKind, id: number): Promise<void> => call('purge', { kind, id });

export const search = (query: string): Promise<Hit[]> => call('search', { query });

function evidenceOrigin(): string {
  const ua = globalThis.navigator?.userAgent ?? '';
  return ua.includes('Windows') ? 'http://evidence.localhost' : 'evidence://localhost';
}

/** Where the webview can read an evidence file's bytes (for <img> and fetch()). */
export function previewUrl(id: number): string {
  return `${evidenceOrigin()}/${id}`;
}

// --- Chronology --------------------------------------------------------------------------------

export const listEvents = (includeTrashed: boolean): Promise<Event[]> =>
  call('list_events', { includeTrashed });
export const addEvent = (input: EventInput): Promise<number> => call('add_event', { input });
export const editEvent = (id: number, input: EventInput): Promise<void> =>
  call('edit_event', { id, input });

// --- Contacts ----------------------------------------------------------------------------------

export const listContacts = (includeTrashed: boolean): Promise<Contact[]> =>
  call('list_contacts', { includeTrashed });
export const addContact = (input: ContactInput): Promise<number> =>
  call('add_contact', { input });
export const editContact = (id: number, input: ContactInput): Promise<void> =>
  call('edit_contact', { id, input });

// --- Deadlines ---------------------------------------------------------------------------------

/** The deadlines, each with its urgency on `today` (YYYY-MM-DD), the backend's one rule. */
export const listDeadlines = (includeTrashed: boolean, today: string): Promise<Deadline[]> =>
  call('list_deadlines', { includeTrashed, today });
export const addDeadline = (input: DeadlineInput): Promise<number> =>
  call('add_deadline', { input });
export const editDeadline = (id: number, input: DeadlineInput): Promise<void> =>
  call('edit_deadline', { id, input });
/** `on` is YYYY-MM-DD. */
export const markDeadlineDone = (id: number, on: string): Promise<void> =>
  call('mark_deadline_done', { id, on });
/** `to` is YYYY-MM-DD or YYYY-MM-DD HH:MM Zone/Name. */
export const extendDeadline = (id: number, to: string): Promise<void> =>
  call('extend_deadline', { id, to });
export const reopenDeadline = (id: number): Promise<void> => call('reopen_deadline', { id });

// --- Case profile ------------------------------------------------------------------------------

export const getProfile = (): Promise<ProfileState | null> => call('get_profile');
export const setProfile = (input: ProfileInput): Promise<void> => call('set_profile', { input });

// --- CCF requests ------------------------------------------------------------------------------

export const listRequests = (includeTrashed: boolean): Promise<Request[]> =>
  call('list_requests', { includeTrashed });
export const addRequest = (input: RequestInput): Promise<number> => call('add_request', { input });
export const editRequest = (id: number, input: RequestInput): Promise<void> =>
  call('edit_request', { id, input });

/** The admissibility checklist, with the portal's limits measured on the draft. */
export const requestChecklist = (id: number): Promise<Checklist> => call('request_checklist', { id });

/** The draft as paste-ready text, one entry per section. */
export const draftSections = (id: number, language: string): Promise<Section[]> =>
  call('draft_sections', { id, language });

/** Every ground a request can rest on, in a draft language, its model paragraphs in the applicant's form. */
export const groundsLibrary = (language: string, form: ApplicantForm = 'neutral'): Promise<Library> =>
  call('grounds_library', { language, form });

/** Every country and language named in the interface's language `language` (CLDR names), for the pickers. */
export const places = (language: string): Promise<Places> => call('places', { language });

/** Each ground's title and summary in a language of the interface (en, ru, uk, tr, ar), in the library's order. */
export const groundSummaries = (language: string): Promise<GroundSummary[]> =>
  call('ground_summaries', { language });

/** Deadlines that follow from the CCF's dates of every request; `zone` is this computer's time zone. */
export const computedDeadlines = (zone: string): Promise<ComputedDeadline[]> =>
  call('computed_deadlines', { zone });

/**
 * Adds a deadline computed from request `request`'s dates (`key`: the rule it follows) to the person's deadlines,
 * where it is reminded of, done and extended like any other; resolves to its id. The backend refuses it
 * (invalid_input) when that deadline, for the same due day, is already among them, in the trash too.
 */
export const adoptComputedDeadline = (request: number, key: string): Promise<number> =>
  call('adopt_computed_deadline', { request, key });

/** The deadline rules of the reference's §5 (the "When is it due?" calculator); no vault needed. */
export const ruleList = (): Promise<Rule[]> => call('rule_list');

/**
 * Every date that follows from the event of `rule` on `date` (YYYY-MM-DD), `rule`'s first. `zone` is the requested
 * state's or the US filing office's time zone (ECE and US rules); `here` is this computer's.
 */
export const ruleCompute = (rule: RuleId, date: string, zone: string | null, here: string): Promise<Calculated[]> =>
  call('rule_compute', { rule, date, zone, here });

/** The backend shows a save dialog and writes the draft PDF; resolves to the path, or null when cancelled. */
export const exportDraft = (id: number, language: string): Promise<string | null> =>
  call('export_draft', { id, language });

/** Where the webview can fetch the draft PDF of a request, rendered in `language`. */
export function draftPreviewUrl(id: number, language: string): string {
  return `${evidenceOrigin()}/draft/${id}/${encodeURIComponent(language)}`;
}

// --- The counsel bundle ------------------------------------------------------------------------

/** What a bundle will hold, checked: exhibit numbers, how each appears, the metadata export removes. */
export const bundlePlan = (spec: BundleSpec): Promise<PlannedExhibit[]> => call('bundle_plan', { spec });

/** The selection a saved CCF request suggests (annexes in order, its representative, its facts). */
export const requestBundleSpec = (id: number): Promise<BundleSpec> => call('request_bundle_spec', { id });

/**
 * The backend shows a save dialog, then builds the bundle with progress (cancel with `cancelTask`);
 * resolves to the report, or null when the dialog was cancelled. An empty password means no encryption.
 */
export const exportBundle = (
  spec: BundleSpec,
  password: string,
  onProgress: (p: BundleProgress) => void,
): Promise<BundleReport | null> =>
  call('export_bundle', { spec, password: password === '' ? null : password, onProgress: channel(onProgress) });

/** The disclosure log, newest first; only the bundles prepared for `contact` when given. */
export const disclosures = (contact: number | null): Promise<Disclosure[]> => call('disclosures', { contact });

// --- Scans (OCR) -------------------------------------------------------------------------------

/** The OCR languages, each with whether this computer has its data. */
export const ocrLanguages = (): Promise<OcrLanguage[]> => call('ocr_languages');

/**
 * Reads an evidence item with OCR in the sandboxed worker (`languages` like `rus+eng`, or null for the item's
 * own) and stores the text as a new version; cancel with `cancelTask`. Rejects with code "cancelled" after Cancel.
 */
export const recogniseEvidence = (
  id: number,
  languages: string | null,
  force: boolean,
  onProgress: (p: ScanProgress) => void,
): Promise<Outcome> => call('recognise_evidence', { id, languages, force, onProgress: channel(onProgress) });

/** The recognised text of an item (run `version`, or the newest); null when it has none. */
export const evidenceText = (id: number, version: number | null): Promise<RecognisedText | null> =>
  call('evidence_text', { id, version });

// --- Security ----------------------------------------------------------------------------------

/** The walls around the worker that reads untrusted files, as a worker started now reports them. */
export const workerProtections = (): Promise<Protections> => call('worker_protections');
export const appProtections = (): Promise<AppProtections> => call('app_protections');

// --- Backup ------------------------------------------------------------------------------------

/** The backend shows a save dialog; resolves to the written path, or null when cancelled. */
export const backupNow = (onProgress: (p: Progress) => void): Promise<string | null> =>
  call('backup_now', { onProgress: channel(onProgress) });

/** Restores a backup into the default vault location (only when no vault exists); null when cancelled. */
export const restoreBackup = (
  passphrase: string,
  onProgress: (p: Progress) => void,
): Promise<UnlockResult | null> =>
  call('restore_backup', { passphrase, onProgress: channel(onProgress) });

// --- Events from the backend -------------------------------------------------------------------

/** Calls `handler` with the absolute paths of files dropped on the window. */
export function onFilesDropped(handler: (paths: string[]) => void): Promise<UnlistenFn> {
  return listen<string[]>(FILES_DROPPED_EVENT, (event) => {
    const paths = Array.isArray(event.payload)
      ? event.payload.filter((p): p is string => typeof p === 'string')
      : [];
    if (paths.length > 0) handler(paths);
  });
}

/** Calls `handler` when the journal was locked (by this page, or by the backend itself: idle, sleep, session lock, screen saver). */
export function onVaultLocked(handler: (reason: BackendLockReason) => void): Promise<UnlistenFn> {
  return listen<string>(VAULT_LOCKED_EVENT, (event) => {
    const known: BackendLockReason[] = ['manual', 'idle', 'sleep', 'session_lock', 'screen_saver'];
    const reason = known.find((r) => r === event.payload) ?? 'idle';
    handler(reason);
  });
}
