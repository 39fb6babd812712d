import { describe, expect, it } from 'vitest';
import type { Kind } from './bindings/Kind';
import { auditActionKey, auditEntityKey, ENTITY_KEYS, payloadTitle } from './audit';

describe('audit entries in words', () => {
  it('reads the title from an audit payload', () => {
    expect(payloadTitle('{"title":"Arrest warrant","size":3}')).toBe('Arrest warrant');
    expect(payloadTitle('{"name":"x"}')).toBeNull();
    expect(payloadTitle('not json')).toBeNull();
    expect(payloadTitle(null)).toBeNull();
  });

  it('knows the audit actions', () => {
    expect(auditActionKey('import')).toBe('audit.action.import');
    expect(auditActionKey('toString')).toBeNull();
    expect(auditActionKey('something_new')).toBeNull();
  });

  it('names every kind of record, so "recent changes" never shows a raw word such as "disclosure"', () => {
    const kinds: Kind[] = ['profile', 'evidence', 'event', 'contact', 'deadline', 'request', 'disclosure'];
    for (const kind of kinds) expect(auditEntityKey(kind)).toBe(ENTITY_KEYS[kind]);
    expect(auditEntityKey('disclosure')).toBe('audit.entity.disclosure');
    expect(auditEntityKey('vault')).toBe('audit.entity.vault');
    expect(auditEntityKey('constructor')).toBeNull();
  });
});
