// The shared record-list code every record screen uses, against a fake backend that keeps records in memory: for
// each kind the trash can hold, move a record to the trash, see it in the trash view, restore it, trash it again
// and erase it; the notices name it and each list shows what the backend holds.
import { flushSync } from 'svelte';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { TrashKind } from './api';

type Row = { id: number; trashed: boolean; title: string };

/** The fake journal: records by kind, and every trash/untrash/purge call it received. */
const store = new Map<TrashKind, Row[]>();
const calls: string[] = [];
let refuse: string | null = null;

function rows(kind: TrashKind): Row[] {
  const found = store.get(kind);
  if (!found) throw new Error(`no fake records of kind ${kind}`);
  return found;
}

function find(kind: TrashKind, id: number): Row {
  const row = rows(kind).find((r) => r.id === id);
  if (!row) throw { code: 'not_found', reason: 'not_found', message: `${kind} ${id} not found`, subject: null };
  return row;
}

async function change(op: string, kind: TrashKind, id: number, apply: () => void): Promise<void> {
  await Promise.resolve();
  calls.push(`${op} ${kind} ${id}`);
  if (refuse === op) throw { code: 'invalid_input', reason: 'invalid', message: `${op} refused`, subject: null };
  apply();
}

vi.mock('./api', () => ({
  trash: (kind: TrashKind, id: number) =>
    change('trash', kind, id, () => {
      find(kind, id).trashed = true;
    }),
  untrash: (kind: TrashKind, id: number) =>
    change('untrash', kind, id, () => {
      find(kind, id).trashed = false;
    }),
  purge: (kind: TrashKind, id: number) =>
    change('purge', kind, id, () => {
      const row = find(kind, id);
      if (!row.trashed) throw { code: 'invalid_input', reason: 'invalid', message: 'not in the trash', subject: null };
      store.set(
        kind,
        rows(kind).filter((r) => r !== row),
      );
    }),
}));

const { createRecordList, RecordEditor } = await import('./records.svelte');
const { journal } = await import('./session.svelte');
const { setLocale } = await import('./i18n');

/** What the backend's list commands do: the records in the trash, or not (copies, as over IPC). */
async function list(kind: TrashKind, trashed: boolean): Promise<Row[]> {
  await Promise.resolve();
  calls.push(`list ${kind} ${trashed}`);
  return rows(kind)
    .filter((r) => r.trashed === trashed)
    .map((r) => ({ ...r }));
}

/** Lets the list's promises settle and its effects run. */
async function settle(): Promise<void> {
  for (let i = 0; i < 5; i += 1) {
    flushSync();
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
  flushSync();
}

function setup(kind: TrashKind, ontrashed?: (r: Row) => void) {
  let records!: ReturnType<typeof createRecordList<Row>>;
  const cleanup = $effect.root(() => {
    records = createRecordList<Row>({
      kind,
      list: (trashed) => list(kind, trashed),
      name: (r) => r.title,
      ...(ontrashed ? { ontrashed } : {}),
    });
  });
  return { records, cleanup };
}

const KINDS: TrashKind[] = ['evidence', 'event', 'contact', 'deadline', 'request'];

beforeEach(() => {
  setLocale('en');
  store.clear();
  calls.length = 0;
  refuse = null;
  for (const kind of KINDS) {
    store.set(kind, [
      { id: 1, trashed: false, title: `First ${kind}` },
      { id: 2, trashed: false, title: `Second ${kind}` },
    ]);
  }
});

describe('createRecordList', () => {
  it.each(KINDS)('moves a %s to the trash, restores it, trashes it again and erases it', async (kind) => {
    const { records, cleanup } = setup(kind);
    await settle();
    expect(records.loaded).toBe(true);
    expect(records.shown.map((r) => r.id)).toEqual([1, 2]);

    // Move to the trash: asked first, then done; the list no longer shows it.
    const second = records.shown[1];
    if (!second) throw new Error('the second record must be listed');
    records.askTrash(second);
    expect(records.trashOpen).toBe(true);
    expect(records.name(records.target)).toBe(`Second ${kind}`);
    await records.trash();
    expect(calls).toContain(`trash ${kind} 2`);
    expect(records.notice).toBe(`“Second ${kind}” was moved to the trash.`);
    expect(records.shown.map((r) => r.id)).toEqual([1]);

    // The trash view lists it.
    records.showTrash = true;
    await settle();
    expect(calls[calls.length - 1]).toBe(`list ${kind} true`);
    expect(records.shown.map((r) => r.title)).toEqual([`Second ${kind}`]);

    // Restore: back in the list, gone from the trash.
    const trashed = records.shown[0];
    if (!trashed) throw new Error('the trashed record must be listed in the trash');
    await records.restore(trashed);
    expect(calls).toContain(`untrash ${kind} 2`);
    expect(records.notice).toBe(`“Second ${kind}” was restored.`);
    expect(records.shown).toEqual([]);
    records.showTrash = false;
    await settle();
    expect(records.shown.map((r) => r.id)).toEqual([1, 2]);

    // Trash it again, then erase it for good from the trash.
    const again = records.shown[1];
    if (!again) throw new Error('the restored record must be listed');
    records.askTrash(again);
    await records.trash();
    records.showTrash = true;
    await settle();
    const doomed = records.shown[0];
    if (!doomed) throw new Error('the record trashed again must be in the trash');
    records.askPurge(doomed);
    expect(records.purgeOpen).toBe(true);
    await records.purge();
    expect(calls).toContain(`purge ${kind} 2`);
    expect(records.notice).toBe(`“Second ${kind}” was erased.`);
    expect(records.error).toBeNull();
    expect(records.shown).toEqual([]);
    expect(rows(kind).map((r) => r.id)).toEqual([1]);
    records.showTrash = false;
    await settle();
    expect(records.shown.map((r) => r.id)).toEqual([1]);
    cleanup();
  });

  it('reloads when the journal changes elsewhere (an import, a restore)', async () => {
    const { records, cleanup } = setup('event');
    await settle();
    rows('event').push({ id: 3, trashed: false, title: 'Added elsewhere' });
    journal.version += 1;
    await settle();
    expect(records.shown.map((r) => r.id)).toEqual([1, 2, 3]);
    cleanup();
  });

  it('shows a refusal as the error, keeps the notice and the record, and tells the screen only on success', async () => {
    const trashed: number[] = [];
    const { records, cleanup } = setup('deadline', (r) => trashed.push(r.id));
    await settle();
    const first = records.shown[0];
    if (!first) throw new Error('the first record must be listed');
    refuse = 'trash';
    records.askTrash(first);
    await records.trash();
    expect(records.error).toMatchObject({ code: 'invalid_input', message: 'trash refused' });
    expect(records.notice).toBeNull();
    expect(trashed).toEqual([]);
    expect(records.shown.map((r) => r.id)).toEqual([1, 2]);
    refuse = null;
    await records.trash();
    expect(trashed).toEqual([1]);
    expect(records.error).toBeNull();
    cleanup();
  });
});

describe('RecordEditor', () => {
  it('saves only valid fields, then closes, says so and reloads; a refusal stays in the form', async () => {
    const { records, cleanup } = setup('contact');
    await settle();
    records.notice = 'an older notice';
    const editor = new RecordEditor(records);
    await editor.open('new');
    expect(editor.editing).toBe('new');
    expect(records.notice).toBeNull();

    const write = vi.fn(async (id: number | 'new') => {
      if (id === 'new') rows('contact').push({ id: 3, trashed: false, title: 'New contact' });
    });
    await editor.submit(false, write);
    expect(write).not.toHaveBeenCalled();
    expect(editor.editing).toBe('new');

    await editor.submit(true, () => Promise.reject({ code: 'invalid_input', reason: 'too_long', message: 'x', subject: null }));
    expect(editor.error).toMatchObject({ reason: 'too_long' });
    expect(editor.editing).toBe('new');
    expect(editor.saving).toBe(false);

    await editor.submit(true, write);
    expect(write).toHaveBeenCalledWith('new');
    expect(editor.error).toBeNull();
    expect(editor.editing).toBeNull();
    expect(records.notice).toBe('Saved.');
    expect(records.shown.map((r) => r.id)).toEqual([1, 2, 3]);
    cleanup();
  });
});
