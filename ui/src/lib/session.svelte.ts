// The session: what the backend says about the vault, and the little UI state that survives screens.
// Locking calls reset(): every decrypted value kept here is dropped and the unlocked part of the UI is
// re-mounted from scratch (App.svelte wraps it in {#key session.epoch}).
import * as api from './api';
import type { AppStatus, UnlockResult } from './appTypes';
import type { Deadline } from './bindings/Deadline';

export type Screen =
  | 'overview'
  | 'evidence'
  | 'chronology'
  | 'deadlines'
  | 'contacts'
  | 'requests'
  | 'bundle'
  | 'profile'
  | 'settings'
  | 'search';

/** `system`: the computer went to sleep, or the session or the screen was locked. */
export type LockReason = 'manual' | 'idle' | 'system' | null;

export const session = $state({
  status: null as AppStatus | null,
  /** Why the status could not be read (shown with a Retry button). */
  statusError: null as unknown,
  /** Deadlines that need attention, from the last unlock. Decrypted: cleared on reset. */
  attention: [] as Deadline[],
  attentionDismissed: false,
  /** Bumped on every reset: the unlocked UI is keyed on it. */
  epoch: 0,
  lockReason: null as LockReason,
  /** The journal was opened with the recovery key: re-encrypting is recommended until done or dismissed. */
  recoveredWithKey: false,
});

export const nav = $state({
  screen: 'overview' as Screen,
  /** The evidence item open in the detail view. */
  evidenceId: null as number | null,
  /** The CCF request open in the wizard ('new' while a new one is not yet saved). */
  requestId: null as number | 'new' | null,
  /** The record to show when a screen opens (from search results or links). */
  focusId: null as number | null,
  searchQuery: '',
});

/** Bumped after changes that other screens show (imports, restores): they reload when it changes. */
export const journal = $state({ version: 0 });

const resetHooks: Array<() => void> = [];
let taskRunning: () => boolean = () => false;

/** Lets the task store say whether an import, backup or restore is running (cancelled before locking). */
export function setTaskCheck(check: () => boolean): void {
  taskRunning = check;
}

/** Registers something to clear on reset (stores in other modules). */
export function onReset(hook: () => void): void {
  resetHooks.push(hook);
}

/** Forget every decrypted value and re-mount the unlocked UI. */
export function reset(): void {
  session.attention = [];
  session.attentionDismissed = false;
  session.recoveredWithKey = false;
  nav.screen = 'overview';
  nav.evidenceId = null;
  nav.requestId = null;
  nav.focusId = null;
  nav.searchQuery = '';
  for (const hook of resetHooks) hook();
  session.epoch += 1;
}

/** What the unlock screen says about a lock the backend remembers (this page may be new since the lock). */
export function shownLockReason(reason: AppStatus['lock_reason']): LockReason {
  if (reason === null) return null;
  if (reason === 'manual' || reason === 'idle') return reason;
  return 'system';
}

export async function refreshStatus(): Promise<void> {
  try {
    session.status = await api.appStatus();
    session.statusError = null;
    // After a lock the backend replaces the page: the new one learns why from the backend.
    if (!session.status.unlocked && session.lockReason === null) {
      session.lockReason = shownLockReason(session.status.lock_reason);
    }
  } catch (error) {
    session.statusError = error;
  }
}

/** After a successful unlock, create, restore or demo. */
export async function enterUnlocked(result: UnlockResult | null): Promise<void> {
  reset();
  session.lockReason = null;
  session.attention = result?.attention ?? [];
  if (session.status) session.status = { ...session.status, unlocked: true };
  await refreshStatus();
}

/** Lock the vault and clear the UI. The UI is cleared even if the backend call fails. */
export async function lockNow(reason: Exclude<LockReason, null> = 'manual'): Promise<void> {
  const cancelFirst = taskRunning();
  if (session.status) session.status = { ...session.status, unlocked: false };
  reset();
  session.lockReason = reason;
  try {
    // A running import is cancelled (nothing half-imported remains) before the journal closes.
    if (cancelFirst) await api.cancelTask().catch(() => undefined);
    await api.lock(reason === 'idle' ? 'idle' : 'manual');
  } catch {
    // Already locked, or the backend is gone: the UI is cleared either way.
  }
  await refreshStatus();
}

/**
 * The backend locked the journal by itself (its idle timer, sleep, session or screen lock): clear the UI the same
 * way. Nothing to cancel: the backend's lock already stopped any running task.
 */
export async function lockedByBackend(reason: api.BackendLockReason): Promise<void> {
  if (session.status?.unlocked) {
    session.status = { ...session.status, unlocked: false };
    reset();
    session.lockReason = shownLockReason(reason);
  }
  await refreshStatus();
}

/** Opens a section at its start (the Evidence entry shows the list, even from an open item). */
export function go(screen: Screen, focusId: number | null = null): void {
  nav.screen = screen;
  nav.focusId = focusId;
  nav.evidenceId = null;
  nav.requestId = null;
}

export function openEvidence(id: number): void {
  nav.screen = 'evidence';
  nav.evidenceId = id;
  nav.requestId = null;
  nav.focusId = null;
}

/** Opens a CCF request in the wizard ('new' starts one). */
export function openRequest(id: number | 'new'): void {
  nav.screen = 'requests';
  nav.requestId = id;
  nav.evidenceId = null;
  nav.focusId = null;
}
