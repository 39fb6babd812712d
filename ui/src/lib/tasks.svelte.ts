// Long tasks (import, backup, restore, the counsel bundle's export): their progress, the last import's results,
// and cancelling.
// importPaths() is THE function for files dropped on the window (the "files-dropped" event).
import * as api from './api';
import type { ImportProgress, ImportResult, UnlockResult } from './appTypes';
import type { BundleProgress } from './bindings/BundleProgress';
import type { BundleReport } from './bindings/BundleReport';
import type { BundleSpec } from './bindings/BundleSpec';
import type { Outcome } from './bindings/Outcome';
import type { Progress } from './bindings/Progress';
import { journal, onReset, session, setTaskCheck } from './session.svelte';

export type TaskKind = 'import' | 'backup' | 'restore' | 'bundle' | 'rekey' | 'ocr';

export type RunningTask = {
  kind: TaskKind;
  /** File being imported (import only). */
  name: string;
  /** 0-based index of the file being imported, and how many there are (import only). */
  index: number;
  count: number;
  done: number;
  total: number;
  /** What a bundle export is doing: `reading`, `assembling` or `writing` (bundle only). */
  stage: string;
  cancelling: boolean;
};

export const tasks = $state({
  current: null as RunningTask | null,
  /** The last import's results, per file. Cleared on lock. */
  results: [] as ImportResult[],
  /** An import that failed as a whole (a CommandError), shown with the results. */
  importError: null as unknown,
});

onReset(() => {
  tasks.current = null;
  tasks.results = [];
  tasks.importError = null;
});

export function isBusy(): boolean {
  return tasks.current !== null;
}

setTaskCheck(isBusy);

/** Whole-task percentage 0–100 (for an import: within the current file). */
export function percent(task: Pick<RunningTask, 'done' | 'total'>): number {
  if (task.total <= 0) return 0;
  return Math.min(100, Math.floor((task.done / task.total) * 100));
}

function begin(kind: TaskKind): RunningTask {
  tasks.current = { kind, name: '', index: 0, count: 0, done: 0, total: 0, stage: '', cancelling: false };
  return tasks.current;
}

function onImportProgress(p: ImportProgress): void {
  if (tasks.current?.kind !== 'import') return;
  tasks.current.name = p.name;
  tasks.current.index = p.index;
  tasks.current.count = p.count;
  tasks.current.done = p.done;
  tasks.current.total = p.total;
}

function onBytesProgress(p: Progress): void {
  if (!tasks.current) return;
  tasks.current.done = p.done;
  tasks.current.total = p.total;
}

function onBundleProgress(p: BundleProgress): void {
  if (tasks.current?.kind !== 'bundle') return;
  tasks.current.done = p.done;
  tasks.current.total = p.total;
  tasks.current.stage = p.stage;
}

let queue: Promise<unknown> = Promise.resolve();

/** Runs imports one after another (files dropped during an import wait their turn). */
function runImport(
  start: (onProgress: (p: ImportProgress) => void) => Promise<ImportResult[]>,
): Promise<ImportResult[]> {
  const run = async (): Promise<ImportResult[]> => {
    const epoch = session.epoch;
    if (!session.status?.unlocked) return [];
    begin('import');
    try {
      const results = await start(onImportProgress);
      if (epoch !== session.epoch) return results;
      if (results.length > 0) {
        tasks.results = results;
        tasks.importError = null;
        journal.version += 1;
      }
      return results;
    } catch (error) {
      if (epoch === session.epoch) {
        tasks.results = [];
        tasks.importError = error;
        journal.version += 1;
      }
      return [];
    } finally {
      if (epoch === session.epoch) tasks.current = null;
    }
  };
  const next = queue.then(run, run);
  queue = next.catch(() => undefined);
  return next;
}

/** Import files dropped on the window (absolute paths). Ignored while the journal is locked. */
export function importPaths(paths: string[]): Promise<ImportResult[]> {
  if (paths.length === 0) return Promise.resolve([]);
  return runImport((onProgress) => api.importDropped(paths, onProgress));
}

/** "Import files…": the backend shows the file dialog; [] when the person cancels it. */
export function pickFiles(): Promise<ImportResult[]> {
  return runImport((onProgress) => api.pickAndImport(onProgress));
}

export function clearResults(): void {
  tasks.results = [];
  tasks.importError = null;
}

/** "Backup now": resolves to the written path, or null if the save dialog was cancelled. */
export async function backup(): Promise<string | null> {
  if (tasks.current) return null;
  const epoch = session.epoch;
  begin('backup');
  try {
    return await api.backupNow(onBytesProgress);
  } finally {
    if (epoch === session.epoch) tasks.current = null;
  }
}

/**
 * "Change and re-encrypt": resolves to the new recovery key, or null if another task is running. Rejects with code
 * "cancelled" after Cancel (the journal is then as it was).
 */
export async function rekey(current: string, next: string): Promise<string | null> {
  if (tasks.current) return null;
  const epoch = session.epoch;
  begin('rekey');
  try {
    const code = await api.rekey(current, next, onBytesProgress);
    if (epoch === session.epoch) journal.version += 1;
    return code;
  } finally {
    if (epoch === session.epoch) tasks.current = null;
  }
}

/** Restore a backup (only when no vault exists); null if the open dialog was cancelled. */
export async function restore(passphrase: string): Promise<UnlockResult | null> {
  if (tasks.current) return null;
  begin('restore');
  try {
    return await api.restoreBackup(passphrase, onBytesProgress);
  } finally {
    tasks.current = null;
  }
}

/**
 * "Export…" of the counsel bundle: the backend asks where to save, then builds the file; resolves to its report, or
 * null when the save dialog was cancelled. Rejects (code "cancelled" after Cancel) like the command.
 */
export async function exportBundle(spec: BundleSpec, password: string): Promise<BundleReport | null> {
  if (tasks.current) return null;
  const epoch = session.epoch;
  begin('bundle');
  try {
    const report = await api.exportBundle(spec, password, onBundleProgress);
    // The disclosure log gained a record: screens that show it reload.
    if (report && epoch === session.epoch) journal.version += 1;
    return report;
  } finally {
    if (epoch === session.epoch) tasks.current = null;
  }
}

/**
 * "Recognise text" of an evidence item (OCR in the sandboxed worker, page by page); null if another task is
 * running. Rejects (code "cancelled" after Cancel or a lock) like the command; nothing is stored then.
 */
export async function recognise(id: number, languages: string | null, force: boolean): Promise<Outcome | null> {
  if (tasks.current) return null;
  const epoch = session.epoch;
  begin('ocr');
  try {
    const outcome = await api.recogniseEvidence(id, languages, force, onBytesProgress);
    // The item's history gained an entry and search finds its words: screens that show them reload.
    if (epoch === session.epoch) journal.version += 1;
    return outcome;
  } finally {
    if (epoch === session.epoch) tasks.current = null;
  }
}

/** Cancel button: asks the backend to stop; the task's promise then rejects with code "cancelled". */
export async function cancelCurrent(): Promise<void> {
  if (!tasks.current || tasks.current.cancelling) return;
  tasks.current.cancelling = true;
  try {
    await api.cancelTask();
  } catch {
    // The task may have just finished.
  }
}
