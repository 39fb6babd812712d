import { flushSync } from 'svelte';
import { describe, expect, it, vi } from 'vitest';

describe('reactivity', () => {
  it('re-runs effects that call t() when the locale changes', async () => {
    vi.stubGlobal('navigator', { languages: ['en'], language: 'en' });
    const { setLocale, t } = await import('./locale.svelte');
    const seen: string[] = [];
    const cleanup = $effect.root(() => {
      $effect(() => {
        seen.push(t('app.tagline'));
      });
    });
    flushSync();
    setLocale('ru');
    flushSync();
    setLocale('en');
    flushSync();
    cleanup();
    vi.unstubAllGlobals();
    expect(seen).toEqual([
      'Your encrypted case journal',
      'Ваш зашифрованный журнал дела',
      'Your encrypted case journal',
    ]);
  });
});
