// The part every record screen shares (evidence, chronology, contacts, deadlines, requests): the list, reloaded
// when the journal changes or the trash is shown; the scroll to a record opened from a link; moving to the trash,
// restoring and erasing with their notices; and the add/edit form's state. The screens keep only their fields and
// rows. `createRecordList` must be called while a component starts, as its effects live as long as the screen.
import { tick, untrack } from 'svelte';
import * as api from './api';
import type { TrashKind } from './api';
import { t } from './i18n';
import { journal, nav } from './session.svelte';

/** What every record the trash can hold has. */
export type RecordLike = { id: number; trashed: boolean };

export type RecordListOptions<T extends RecordLike> = {
  kind: TrashKind;
  /** The records (the trash when `trashed`); a screen loads what it shows beside them here too. */
  list: (trashed: boolean) => Promise<T[]>;
  /** How the notices and the dialogs name a record. */
  name: (item: T) => string;
  /** The id of the element that shows a record: opened on it (nav.focusId), the screen scrolls it into view. */
  elementId?: (id: number) => string;
  /** The list loads only while this holds (the Requests screen: not while a request is open in the wizard). */
  active?: () => boolean;
  /** After a record moved to the trash (a screen closes its open form, for example). */
  ontrashed?: (item: T) => void;
};

export class RecordList<T extends RecordLike> {
  /** What `list` gave last: the records, or those in the trash. */
  items = $state<T[]>([]);
  loaded = $state(false);
  error = $state<unknown>(null);
  notice = $state<string | null>(null);
  showTrash = $state(false);
  /** The record the trash or erase dialog asks about. */
  target = $state<T | null>(null);
  trashOpen = $state(false);
  purgeOpen = $state(false);
  /** The records of the view shown: in the trash, or not. */
  readonly shown = $derived(this.items.filter((i) => i.trashed === this.showTrash));
  readonly #options: RecordListOptions<T>;

  constructor(options: RecordListOptions<T>) {
    this.#options = options;
  }

  /** How the notices name `item` ('' for none, as the closed dialogs do). */
  name = (item: T | null): string => (item ? this.#options.name(item) : '');

  load = async (): Promise<void> => {
    try {
      this.items = await this.#options.list(this.showTrash);
      this.error = null;
    } catch (e) {
      this.error = e;
    } finally {
      this.loaded = true;
    }
  };

  /** Asks before moving `item` to the trash. */
  askTrash = (item: T): void => {
    this.target = item;
    this.trashOpen = true;
  };

  /** Asks before erasing `item` for good. */
  askPurge = (item: T): void => {
    this.target = item;
    this.purgeOpen = true;
  };

  /** Moves the record asked about to the trash. */
  trash = async (): Promise<void> => {
    const item = this.target;
    if (!item) return;
    await this.#change(async () => {
      await api.trash(this.#options.kind, item.id);
      this.#options.ontrashed?.(item);
    }, t('trash.moved', { name: this.name(item) }));
  };

  restore = async (item: T): Promise<void> => {
    await this.#change(() => api.untrash(this.#options.kind, item.id), t('trash.restored', { name: this.name(item) }));
  };

  /** Erases the record asked about for good. */
  purge = async (): Promise<void> => {
    const item = this.target;
    if (!item) return;
    await this.#change(() => api.purge(this.#options.kind, item.id), t('trash.purged', { name: this.name(item) }));
  };

  async #change(run: () => Promise<void>, notice: string): Promise<void> {
    try {
      await run();
      this.notice = notice;
      await this.load();
    } catch (e) {
      this.error = e;
    }
  }
}

/** A record screen's list: loads now, again on every journal change and trash switch, and scrolls to nav.focusId. */
export function createRecordList<T extends RecordLike>(options: RecordListOptions<T>): RecordList<T> {
  const list = new RecordList(options);
  $effect(() => {
    void journal.version;
    void list.showTrash;
    if (options.active?.() ?? true) untrack(() => void list.load());
  });
  const elementId = options.elementId;
  if (elementId) {
    $effect(() => {
      const focus = nav.focusId;
      if (focus === null || !list.loaded) return;
      void tick().then(() => document.getElementById(elementId(focus))?.scrollIntoView({ block: 'center' }));
    });
  }
  return list;
}

/** What a form needs of the list it saves into. */
type Reloadable = { notice: string | null; load: () => Promise<void> };

/** The add/edit form of a record screen: which record is open ('new' for one not yet saved), saving, the error. */
export class RecordEditor {
  editing = $state<number | 'new' | null>(null);
  saving = $state(false);
  error = $state<unknown>(null);
  /** The form's heading, focused when the form opens. */
  heading = $state<HTMLElement | undefined>();
  readonly #list: Reloadable;

  constructor(list: Reloadable) {
    this.#list = list;
  }

  /** Opens the form on a record (or 'new') and moves the focus to its heading. */
  open = async (id: number | 'new'): Promise<void> => {
    this.editing = id;
    this.error = null;
    this.#list.notice = null;
    await tick();
    this.heading?.focus();
  };

  close = (): void => {
    this.editing = null;
  };

  /**
   * Saves with `write` (given the record's id, or 'new') unless the fields were found wrong (`valid` false); then
   * closes the form, says so and reloads the list. A refusal stays in the form.
   */
  submit = async (valid: boolean, write: (id: number | 'new') => Promise<unknown>): Promise<void> => {
    this.error = null;
    const id = this.editing;
    if (!valid || id === null) return;
    this.saving = true;
    try {
      await write(id);
      this.#list.notice = t('common.saved');
      this.editing = null;
      await this.#list.load();
    } catch (e) {
      this.error = e;
    } finally {
      this.saving = false;
    }
  };
}
