// Test fixtures shared by the UI's unit tests (imported by *.test.ts only).
import type { EvidenceItem } from './bindings/EvidenceItem';

/** An evidence item as the backend lists it, with `over` replacing any field. */
export function evidenceItem(id: number, over: Partial<EvidenceItem> = {}): EvidenceItem {
  return {
    id,
    trashed: false,
    title: `Item ${id}`,
    original_name: `item${id}.pdf`,
    sha256: 'a'.repeat(64),
    size: 1000,
    mime: 'application/pdf',
    doc_date: null,
    source: '',
    language: '',
    description: '',
    tags: [],
    ...over,
  };
}
