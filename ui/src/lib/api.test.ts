import { beforeEach, describe, expect, it, vi } from 'vitest';

const invoke = vi.fn();
const listeners: Record<string, (e: { payload: unknown }) => void> = {};

vi.mock('@tauri-apps/api/core', () => {
  class Channel<T> {
    onmessage: (value: T) => void = () => {};
  }
  return { invoke: (...args: unknown[]) => invoke(...args), Channel };
});
vi.mock('@tauri-apps/api/event', () => ({
  listen: (name: string, handler: (e: { payload: unknown }) => void) => {
    listeners[name] = handler;
    return Promise.resolve(() => delete listeners[name]);
  },
}));

const api = await import('./api');

describe('api', () => {
  beforeEach(() => {
    invoke.mockReset();
    invoke.mockResolvedValue(undefined);
  });

  it('uses snake_case command names and camelCase argument keys', async () => {
    await api.unlockWithRecovery('7K3M-…', 'new passphrase');
    expect(invoke).toHaveBeenLastCalledWith('unlock_with_recovery', {
      recoveryKey: '7K3M-…',
      newPassphrase: 'new passphrase',
    });
    await api.listEvidence(true);
    expect(invoke).toHaveBeenLastCalledWith('list_evidence', { includeTrashed: true });
    await api.listDeadlines(false, '2026-11-28');
    expect(invoke).toHaveBeenLastCalledWith('list_deadlines', { includeTrashed: false, today: '2026-11-28' });
    await api.changePassphrase('a', 'b');
    expect(invoke).toHaveBeenLastCalledWith('change_passphrase', { current: 'a', next: 'b' });
    await api.overview('2026-11-28');
    expect(invoke).toHaveBeenLastCalledWith('overview', { today: '2026-11-28' });
    await api.markDeadlineDone(3, '2026-11-28');
    expect(invoke).toHaveBeenLastCalledWith('mark_deadline_done', { id: 3, on: '2026-11-28' });
    await api.extendDeadline(3, '2026-12-01 17:00 Europe/Paris');
    expect(invoke).toHaveBeenLastCalledWith('extend_deadline', { id: 3, to: '2026-12-01 17:00 Europe/Paris' });
    await api.trash('contact', 9);
    expect(invoke).toHaveBeenLastCalledWith('trash', { kind: 'contact', id: 9 });
    await api.appStatus();
    expect(invoke).toHaveBeenLastCalledWith('app_status', undefined);
  });

  it('calls the CCF request commands with their argument names', async () => {
    await api.listRequests(true);
    expect(invoke).toHaveBeenLastCalledWith('list_requests', { includeTrashed: true });
    await api.requestChecklist(4);
    expect(invoke).toHaveBeenLastCalledWith('request_checklist', { id: 4 });
    await api.draftSections(4, 'fr');
    expect(invoke).toHaveBeenLastCalledWith('draft_sections', { id: 4, language: 'fr' });
    await api.groundsLibrary('es');
    expect(invoke).toHaveBeenLastCalledWith('grounds_library', { language: 'es', form: 'neutral' });
    await api.groundsLibrary('fr', 'feminine');
    expect(invoke).toHaveBeenLastCalledWith('grounds_library', { language: 'fr', form: 'feminine' });
    await api.computedDeadlines('Europe/Vilnius');
    expect(invoke).toHaveBeenLastCalledWith('computed_deadlines', { zone: 'Europe/Vilnius' });
    await api.adoptComputedDeadline(4, 'ccf_admissibility_decision');
    expect(invoke).toHaveBeenLastCalledWith('adopt_computed_deadline', { request: 4, key: 'ccf_admissibility_decision' });
    await api.exportDraft(4, 'en');
    expect(invoke).toHaveBeenLastCalledWith('export_draft', { id: 4, language: 'en' });
    await api.trash('request', 4);
    expect(invoke).toHaveBeenLastCalledWith('trash', { kind: 'request', id: 4 });
    const input = { title: 'x' } as Parameters<typeof api.addRequest>[0];
    await api.addRequest(input);
    expect(invoke).toHaveBeenLastCalledWith('add_request', { input });
    await api.editRequest(4, input);
    expect(invoke).toHaveBeenLastCalledWith('edit_request', { id: 4, input });
  });

  it('passes a channel that forwards progress', async () => {
    const seen: unknown[] = [];
    await api.importDropped(['/tmp/a.pdf'], (p) => seen.push(p));
    const [name, args] = invoke.mock.lastCall as [string, { paths: string[]; onProgress: { onmessage: (v: unknown) => void } }];
    expect(name).toBe('import_dropped');
    expect(args.paths).toEqual(['/tmp/a.pdf']);
    args.onProgress.onmessage({ index: 0, count: 1, name: 'a.pdf', done: 5, total: 10 });
    expect(seen).toHaveLength(1);
  });

  it('rejects with a CommandError whatever the backend threw', async () => {
    invoke.mockRejectedValueOnce({ code: 'wrong_passphrase', reason: 'wrong_passphrase', message: 'no', subject: null });
    await expect(api.unlock('x')).rejects.toEqual({
      code: 'wrong_passphrase',
      reason: 'wrong_passphrase',
      message: 'no',
      subject: null,
    });
    invoke.mockRejectedValueOnce('command unlock not found');
    await expect(api.unlock('x')).rejects.toMatchObject({ code: 'error', message: 'command unlock not found' });
  });

  it('builds evidence preview URLs per platform', () => {
    expect(api.previewUrl(7)).toMatch(/^(evidence:\/\/localhost|http:\/\/evidence\.localhost)\/7$/u);
    expect(api.draftPreviewUrl(3, 'fr')).toMatch(/^(evidence:\/\/localhost|http:\/\/evidence\.localhost)\/draft\/3\/fr$/u);
  });

  it('hands dropped paths to the handler', async () => {
    const got: string[][] = [];
    await api.onFilesDropped((paths) => got.push(paths));
    listeners['files-dropped']?.({ payload: ['/home/u/scan.pdf', 42] });
    listeners['files-dropped']?.({ payload: [] });
    expect(got).toEqual([['/home/u/scan.pdf']]);
  });
});
