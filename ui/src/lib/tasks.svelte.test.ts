import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { ImportProgress, ImportResult } from './appTypes';

const importDropped = vi.fn<(paths: string[], onProgress: (p: ImportProgress) => void) => Promise<ImportResult[]>>();
const lock = vi.fn(() => Promise.resolve());
const cancelTask = vi.fn(() => Promise.resolve());
const appStatus = vi.fn(() => Promise.resolve({ vault_exists: true, unlocked: false, demo: false, version: '0.1.0' }));

vi.mock('./api', () => ({
  importDropped: (paths: string[], onProgress: (p: ImportProgress) => void) => importDropped(paths, onProgress),
  pickAndImport: vi.fn(),
  cancelTask: () => cancelTask(),
  lock: () => lock(),
  appStatus: () => appStatus(),
}));

const { session, journal, lockNow, reset } = await import('./session.svelte');
const { importPaths, tasks } = await import('./tasks.svelte');

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
    session.status = { vault_exists: true, unlocked: true, demo: false, version: '0.1.0' };
  });

  it('is ignored while the journal is locked', async () => {
    session.status = { vault_exists: true, unlocked: false, demo: false, version: '0.1.0' };
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
      },
    ];
    const epoch = session.epoch;
    await lockNow('idle');
    expect(lock).toHaveBeenCalled();
    expect(session.epoch).toBe(epoch + 1);
    expect(session.attention).toEqual([]);
    expect(tasks.importError).toBeNull();
    expect(tasks.results).toEqual([]);
    expect(session.lockReason).toBe('idle');
    expect(session.status?.unlocked).toBe(false);
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
