// Auto-lock after a period without keyboard, mouse, wheel or touch activity.
// Activity only records a timestamp (cheap enough for mousemove); one timer checks it when it could expire.

export const ACTIVITY_EVENTS = [
  'keydown',
  'mousedown',
  'mousemove',
  'wheel',
  'touchstart',
  'touchmove',
] as const;

export const AUTOLOCK_STORAGE_KEY = 'redress.autolockMinutes';
export const AUTOLOCK_DEFAULT_MINUTES = 5;
export const AUTOLOCK_MIN_MINUTES = 1;
export const AUTOLOCK_MAX_MINUTES = 60;
/** While a long task (import, backup) runs, the lock waits and looks again this often. */
export const BUSY_RECHECK_MS = 5_000;
/**
 * A running task postpones the lock at most until this many idle times after the last activity (the backend's
 * idle lock has the same cap, `idle::CAP_FACTOR`): a dialog left open or a task nobody watches cannot keep the
 * journal open forever.
 */
export const BUSY_CAP_FACTOR = 2;

export function clampMinutes(value: unknown): number {
  const n = typeof value === 'number' ? value : Number.parseInt(String(value), 10);
  if (!Number.isFinite(n)) return AUTOLOCK_DEFAULT_MINUTES;
  return Math.min(AUTOLOCK_MAX_MINUTES, Math.max(AUTOLOCK_MIN_MINUTES, Math.round(n)));
}

export function readAutoLockMinutes(storage: Storage | undefined = globalThis.localStorage): number {
  try {
    const stored = storage?.getItem(AUTOLOCK_STORAGE_KEY);
    return stored == null ? AUTOLOCK_DEFAULT_MINUTES : clampMinutes(stored);
  } catch {
    return AUTOLOCK_DEFAULT_MINUTES;
  }
}

export function writeAutoLockMinutes(
  minutes: number,
  storage: Storage | undefined = globalThis.localStorage,
): number {
  const value = clampMinutes(minutes);
  try {
    storage?.setItem(AUTOLOCK_STORAGE_KEY, String(value));
  } catch {
    // Not fatal: the setting just won't be remembered.
  }
  return value;
}

/** The backend's idle lock hears of input at most this often (a mousemove storm sends one call). */
export const ACTIVITY_PING_MS = 5_000;

/** A function that calls `send` at most once per `everyMs`; the first call goes at once. */
export function throttled(send: () => void, everyMs: number, now: () => number = Date.now): () => void {
  let last = Number.NEGATIVE_INFINITY;
  return () => {
    const t = now();
    if (t - last >= everyMs) {
      last = t;
      send();
    }
  };
}

export type IdleTimerOptions = {
  timeoutMs: number;
  onIdle: () => void;
  /** While this returns true the lock is postponed (e.g. an import is running), up to the cap. */
  isBusy?: () => boolean;
};

export class IdleTimer {
  #timeoutMs: number;
  #onIdle: () => void;
  #isBusy: () => boolean;
  #last = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #running = false;

  constructor(options: IdleTimerOptions) {
    this.#timeoutMs = options.timeoutMs;
    this.#onIdle = options.onIdle;
    this.#isBusy = options.isBusy ?? (() => false);
  }

  get running(): boolean {
    return this.#running;
  }

  start(): void {
    this.#running = true;
    this.#last = Date.now();
    this.#schedule(this.#timeoutMs);
  }

  stop(): void {
    this.#running = false;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  /** Call on every keydown, mousedown, mousemove, wheel or touch. */
  activity(): void {
    this.#last = Date.now();
  }

  /** Change the idle time; counts from the last activity. */
  setTimeoutMs(ms: number): void {
    this.#timeoutMs = ms;
    if (this.#running) this.#check();
  }

  #schedule(ms: number): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.#check(), Math.max(0, ms));
  }

  #check(): void {
    if (!this.#running) return;
    const remaining = this.#last + this.#timeoutMs - Date.now();
    if (remaining > 0) {
      this.#schedule(remaining);
      return;
    }
    const capLeft = this.#last + BUSY_CAP_FACTOR * this.#timeoutMs - Date.now();
    if (this.#isBusy() && capLeft > 0) {
      this.#schedule(Math.min(BUSY_RECHECK_MS, capLeft));
      return;
    }
    this.stop();
    this.#onIdle();
  }
}
