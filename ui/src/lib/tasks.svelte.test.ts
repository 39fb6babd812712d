import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { AppStatus, ImportProgress, ImportResult } from './appTypes';
import type { BundleProgress } from './bindings/BundleProgress';
import type { BundleReport } from './bindings/BundleReport';
import type { BundleSpec } from './bindings/BundleSpec';

const importDropped = vi.fn<(paths: string[], onProgress: (p: ImportProgress) => void) => Promise<ImportResult[]>>();
const exportBundleApi =
  vi.fn<(spec: BundleSpec, password: string, onProgress: (p: BundleProgress) => void) => Promise<BundleReport | null>>();
const lock = vi.fn((_reason: 'manual' | 'idle') => Promise.resolve());
const cancelTask = vi.fn(() => Promise.resolve());
const appStatus = vi.fn(
  (): Promise<AppStatus> =>
    Promise.resolve({ vault_exists: true, unlocked: false, demo: false, version: '0.1.0', lock_reason: null }),
);

vi.mock('./api', () => ({
  importDropped: (paths: string[], onProgress: (p: ImportProgress) => void) => importDropped(paths, onProgress),
  pickAndImport: vi.fn(),
  exportBundle: (spec: BundleSpec, password: string, onProgress: (p: BundleProgress) => void) =>
    exportBundleApi(spec, password, onProgress),
  cancelTask: () => cancelTask(),
  lock: (reason: 'manual' | 'idle') => lock(reason),
  appStatus: () => appStatus(),
}));

/** What the backend says after it locked for `reason`. */
const lockedBecause = (reason: AppStatus['lock_reason']): AppStatus => ({
  vault_exists: true,
  unlocked: false,
  demo: false,
  version: '0.1.0',
  lock_reason: reason,
});

const { session, journal, lockNow, lockedByBackend, refreshStatus, reset } = await import('./session.svelte');
const { exportBundle, importPaths, tasks } = await import('./tasks.svelte');
const { bundleDraft, openBundleForRequest } = await import('./bundleDraft.svelte');
const { nav } = await import('./session.svelte');

const ok = (name: string, id: number): ImportResult => ({
  name,
  status: 'imported',
  id,
  sha256: 'ab'.repeat(32),
  message: null,
  code: null,
});

describe('importPaths (files dropped on the window)', () => {
  beforeEach(() => {
    reset();
    importDropped.mockReset();
    session.status = { vault_exists: true, unlocked: true, demo: false, version: '0.1.0', lock_reason: null };
  });

  it('is ignored while the journal is locked', async () => {
    session.status = { vault_exists: true, unlocked: false, demo: false, version: '0.1.0', lock_reason: null };
    expect(await importPaths(['/a.pdf'])).toEqual([]);
    expect(importDropped).not.toHaveBeenCalled();
  });

  it('shows progress, then the results, and tells the screens to reload', async () => {
    const version = journal.version;
    importDropped.mockImplementation(async (_paths, onProgress) => {
      onProgress({ index: 1, count: 2, name: 'b.pdf', done: 45, total: 100 });
      expect(tasks.current).toMatchObject({ kind: 'import', name: 'b.pdf', index: 1, count: 2, done: 45 });
      return [ok('a.pdf', 1), ok('b.pdf', 2)];
    });
    const results = await importPaths(['/a.pdf', '/b.pdf']);
    expect(importDropped).toHaveBeenCalledWith(['/a.pdf', '/b.pdf'], expect.any(Function));
    expect(results).toHaveLength(2);
    expect(tasks.results).toHaveLength(2);
    expect(tasks.current).toBeNull();
    expect(journal.version).toBe(version + 1);
  });

  it('runs drops one after another', async () => {
    const order: string[] = [];
    let release: () => void = () => {};
    importDropped.mockImplementationOnce(async (paths) => {
      order.push(`start ${paths[0]}`);
      await new Promise<void>((r) => (release = r));
      order.push(`end ${paths[0]}`);
      return [ok('1', 1)];
    });
    importDropped.mockImplementationOnce(async (paths) => {
      order.push(`start ${paths[0]}`);
      return [ok('2', 2)];
    });
    const first = importPaths(['/1']);
    const second = importPaths(['/2']);
    await new Promise((r) => setTimeout(r, 0));
    release();
    await Promise.all([first, second]);
    expect(order).toEqual(['start /1', 'end /1', 'start /2']);
  });

  it('keeps a whole-import failure to show, and locking clears everything', async () => {
    importDropped.mockRejectedValueOnce({ code: 'locked', reason: 'locked', message: 'locked', subject: null });
    await importPaths(['/x']);
    expect(tasks.importError).toMatchObject({ code: 'locked' });
    session.attention = [
      {
        id: 1,
        trashed: false,
        title: 'CCF',
        due: { type: 'date', date: '2026-12-01' },
        kind: 'ccf',
        contact: null,
        event: null,
        status: { status: 'open' },
        reminders: [],
        notes: '',
        urgency: 'today',
      },
    ];
    const epoch = session.epoch;
    await lockNow('idle');
    // The backend keeps the reason for the page that replaces this one.
    expect(lock).toHaveBeenCalledWith('idle');
    expect(session.epoch).toBe(epoch + 1);
    expect(session.attention).toEqual([]);
    expect(tasks.importError).toBeNull();
    expect(tasks.results).toEqual([]);
    expect(session.lockReason).toBe('idle');
    expect(session.status?.unlocked).toBe(false);
  });

  it('issue 12: a lock the backend did by itself (sleep) clears the UI without calling lock again', async () => {
    lock.mockClear();
    tasks.results = [ok('a.pdf', 1)];
    const epoch = session.epoch;
    await lockedByBackend('sleep');
    expect(lock).not.toHaveBeenCalled();
    expect(session.epoch).toBe(epoch + 1);
    expect(tasks.results).toEqual([]);
    expect(session.lockReason).toBe('system');
    expect(session.status?.unlocked).toBe(false);
  });

  it('review M8: the page that loads after a lock (a new web process) says why, from the backend', async () => {
    // The backend replaced the page: this one starts with no reason of its own.
    session.lockReason = null;
    appStatus.mockResolvedValueOnce(lockedBecause('screen_saver'));
    await refreshStatus();
    expect(session.lockReason).toBe('system');
    session.lockReason = null;
    appStatus.mockResolvedValueOnce(lockedBecause('idle'));
    await refreshStatus();
    expect(session.lockReason).toBe('idle');
    // A first start (nothing was open in this run): no reason is made up.
    session.lockReason = null;
    await refreshStatus();
    expect(session.lockReason).toBeNull();
  });

  it('cancels a running import before locking', async () => {
    cancelTask.mockClear();
    let finish: (r: ImportResult[]) => void = () => {};
    importDropped.mockImplementationOnce(() => new Promise((r) => (finish = r)));
    const running = importPaths(['/big.pdf']);
    await new Promise((r) => setTimeout(r, 0));
    expect(tasks.current?.kind).toBe('import');
    await lockNow('manual');
    expect(cancelTask).toHaveBeenCalledTimes(1);
    expect(tasks.current).toBeNull();
    finish([]);
    await running;
    expect(tasks.results).toEqual([]);
  });
});

describe('exportBundle (the counsel bundle)', () => {
  const spec: BundleSpec = {
    sections: [{ title: 'Identity', items: [1] }],
    contact: 2,
    events: [],
    keep_metadata: false,
    attach_originals: [],
    language: 'en',
  };
  const report: BundleReport = {
    file_name: 'bundle.pdf',
    pages: 7,
    exhibits: 1,
    bytes: 1000,
    sha256: 'cd'.repeat(32),
    encrypted: true,
    placeholders: [],
    metadata_removed: 1,
    disclosure: 3,
  };

  beforeEach(() => {
    reset();
    exportBundleApi.mockReset();
    session.status = { vault_exists: true, unlocked: true, demo: false, version: '0.1.0', lock_reason: null };
  });

  it('shows the stage as progress, returns the report and tells the screens the log changed', async () => {
    const version = journal.version;
    exportBundleApi.mockImplementation(async (_spec, _password, onProgress) => {
      onProgress({ done: 1, total: 3, stage: 'assembling' });
      expect(tasks.current).toMatchObject({ kind: 'bundle', done: 1, total: 3, stage: 'assembling' });
      return report;
    });
    expect(await exportBundle(spec, 'correct horse')).toEqual(report);
    expect(exportBundleApi).toHaveBeenCalledWith(spec, 'correct horse', expect.any(Function));
    expect(tasks.current).toBeNull();
    expect(journal.version).toBe(version + 1);
  });

  it('changes nothing when the save dialog is cancelled, and passes a failure on', async () => {
    const version = journal.version;
    exportBundleApi.mockResolvedValueOnce(null);
    expect(await exportBundle(spec, '')).toBeNull();
    expect(journal.version).toBe(version);
    exportBundleApi.mockRejectedValueOnce({ code: 'cancelled', reason: 'cancelled', message: '', subject: null });
    await expect(exportBundle(spec, '')).rejects.toMatchObject({ code: 'cancelled' });
    expect(tasks.current).toBeNull();
  });

  it('is cancelled before locking, and the draft is forgotten with the lock', async () => {
    cancelTask.mockClear();
    openBundleForRequest(5);
    expect(nav.screen).toBe('bundle');
    expect(bundleDraft.fromRequest).toBe(5);
    bundleDraft.sections = [{ key: 1, title: 'Identity', items: [1] }];
    let finish: (r: BundleReport | null) => void = () => {};
    exportBundleApi.mockImplementationOnce(() => new Promise((r) => (finish = r)));
    const running = exportBundle(spec, '');
    await new Promise((r) => setTimeout(r, 0));
    expect(tasks.current?.kind).toBe('bundle');
    await lockNow('manual');
    expect(cancelTask).toHaveBeenCalledTimes(1);
    expect(tasks.current).toBeNull();
    expect(bundleDraft.sections).toEqual([]);
    expect(bundleDraft.fromRequest).toBeNull();
    finish(null);
    await running;
  });
});
