// The counsel bundle being prepared: what the person chose, the last check and the last export's report. Kept
// while they visit other screens (to look something up), dropped on lock like every decrypted value. The
// passphrase is never kept here: it lives only in the Bundle screen while it is open.
import type { BundleReport } from './bindings/BundleReport';
import type { PlannedExhibit } from './bindings/PlannedExhibit';
import type { BundleLanguage, SectionDraft } from './bundle';
import { go, onReset } from './session.svelte';

export type BundleDraft = {
  sections: SectionDraft[];
  /** The section newly chosen items go to. */
  target: number;
  contact: number | null;
  events: number[];
  keepMetadata: boolean;
  /** Items whose original file the person asked to attach, unchanged (none by default). */
  attachOriginals: number[];
  language: BundleLanguage;
  /** The last check, and the spec (as JSON) it was made for: a change of choice makes it stale. */
  plan: PlannedExhibit[] | null;
  plannedFor: string | null;
  report: BundleReport | null;
  /** A saved CCF request whose suggested selection the screen loads when it opens. */
  fromRequest: number | null;
};

function fresh(): BundleDraft {
  return {
    sections: [],
    target: 1,
    contact: null,
    events: [],
    keepMetadata: false,
    attachOriginals: [],
    language: 'en',
    plan: null,
    plannedFor: null,
    report: null,
    fromRequest: null,
  };
}

export const bundleDraft = $state<BundleDraft>(fresh());

/** Starts over (the screen names the first section in the reader's language when it sees none). */
export function clearBundleDraft(): void {
  Object.assign(bundleDraft, fresh());
}

onReset(clearBundleDraft);

/** "Bundle for counsel" on a saved request: opens the Bundle screen with that request's annexes, representative and facts. */
export function openBundleForRequest(id: number): void {
  clearBundleDraft();
  bundleDraft.fromRequest = id;
  go('bundle');
}
