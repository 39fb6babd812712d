// The change history in words: the action and the kind of record of each audit entry, and the title a version
// had. The kinds are typed from the backend's `Kind`, so a kind added there fails the type check until it has words.
import type { Kind } from './bindings/Kind';
import type { MessageKey } from './i18n';

const ACTION_KEYS: Record<string, MessageKey> = {
  create: 'audit.action.create',
  import: 'audit.action.import',
  edit: 'audit.action.edit',
  delete: 'audit.action.delete',
  restore: 'audit.action.restore',
  purge: 'audit.action.purge',
  recognise: 'audit.action.recognise',
  export: 'audit.action.export',
  created: 'audit.action.created',
  backup: 'audit.action.backup',
  passphrase_changed: 'audit.action.passphrase_changed',
  rekeyed: 'audit.action.rekeyed',
};

/** Each kind of record, and the journal itself ("vault"), as the audit log and the search results name them. */
export const ENTITY_KEYS: Readonly<Record<Kind | 'vault', MessageKey>> = {
  profile: 'audit.entity.profile',
  evidence: 'audit.entity.evidence',
  event: 'audit.entity.event',
  contact: 'audit.entity.contact',
  deadline: 'audit.entity.deadline',
  request: 'audit.entity.request',
  disclosure: 'audit.entity.disclosure',
  vault: 'audit.entity.vault',
};

function has<K extends string>(table: Readonly<Record<K, MessageKey>>, key: string): key is K {
  return Object.prototype.hasOwnProperty.call(table, key);
}

export function auditActionKey(action: string): MessageKey | null {
  return has(ACTION_KEYS, action) ? (ACTION_KEYS[action] ?? null) : null;
}

export function auditEntityKey(entity: string): MessageKey | null {
  return has(ENTITY_KEYS, entity) ? ENTITY_KEYS[entity] : null;
}

/** The `title` recorded in an audit payload (JSON of the record's state), if any. */
export function payloadTitle(payload: string | null): string | null {
  if (!payload) return null;
  try {
    const value: unknown = JSON.parse(payload);
    if (typeof value === 'object' && value !== null && 'title' in value) {
      const title = (value as { title: unknown }).title;
      return typeof title === 'string' ? title : null;
    }
  } catch {
    // Not JSON: nothing to show.
  }
  return null;
}
