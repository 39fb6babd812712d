import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  AUTOLOCK_DEFAULT_MINUTES,
  AUTOLOCK_STORAGE_KEY,
  BUSY_CAP_FACTOR,
  BUSY_RECHECK_MS,
  clampMinutes,
  IdleTimer,
  throttled,
  readAutoLockMinutes,
  writeAutoLockMinutes,
} from './idle';

const MINUTE = 60_000;

describe('IdleTimer', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('fires once after the idle time without activity', () => {
    const onIdle = vi.fn();
    const timer = new IdleTimer({ timeoutMs: 5 * MINUTE, onIdle });
    timer.start();
    vi.advanceTimersByTime(5 * MINUTE - 1);
    expect(onIdle).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(onIdle).toHaveBeenCalledTimes(1);
    expect(timer.running).toBe(false);
    vi.advanceTimersByTime(60 * MINUTE);
    expect(onIdle).toHaveBeenCalledTimes(1);
  });

  it('restarts the count on every activity', () => {
    const onIdle = vi.fn();
    const timer = new IdleTimer({ timeoutMs: 5 * MINUTE, onIdle });
    timer.start();
    for (let i = 0; i < 10; i++) {
      vi.advanceTimersByTime(4 * MINUTE);
      timer.activity();
    }
    expect(onIdle).not.toHaveBeenCalled();
    vi.advanceTimersByTime(5 * MINUTE);
    expect(onIdle).toHaveBeenCalledTimes(1);
  });

  it('uses only one pending timer however much activity there is', () => {
    const timer = new IdleTimer({ timeoutMs: MINUTE, onIdle: () => {} });
    timer.start();
    for (let i = 0; i < 1000; i++) timer.activity();
    expect(vi.getTimerCount()).toBe(1);
    timer.stop();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('applies a new idle time counted from the last activity', () => {
    const onIdle = vi.fn();
    const timer = new IdleTimer({ timeoutMs: 10 * MINUTE, onIdle });
    timer.start();
    vi.advanceTimersByTime(3 * MINUTE);
    timer.setTimeoutMs(2 * MINUTE);
    expect(onIdle).toHaveBeenCalledTimes(1);

    const later = vi.fn();
    const t2 = new IdleTimer({ timeoutMs: 2 * MINUTE, onIdle: later });
    t2.start();
    vi.advanceTimersByTime(MINUTE);
    t2.setTimeoutMs(5 * MINUTE);
    vi.advanceTimersByTime(3 * MINUTE);
    expect(later).not.toHaveBeenCalled();
    vi.advanceTimersByTime(MINUTE);
    expect(later).toHaveBeenCalledTimes(1);
  });

  it('waits while a task is busy, then locks', () => {
    const onIdle = vi.fn();
    let busy = true;
    const timer = new IdleTimer({ timeoutMs: MINUTE, onIdle, isBusy: () => busy });
    timer.start();
    vi.advanceTimersByTime(MINUTE + 3 * BUSY_RECHECK_MS);
    expect(onIdle).not.toHaveBeenCalled();
    busy = false;
    vi.advanceTimersByTime(BUSY_RECHECK_MS);
    expect(onIdle).toHaveBeenCalledTimes(1);
  });

  it('issue 12: a task that stays busy postpones the lock only up to twice the idle time', () => {
    const onIdle = vi.fn();
    const timer = new IdleTimer({ timeoutMs: 5 * MINUTE, onIdle, isBusy: () => true });
    timer.start();
    expect(BUSY_CAP_FACTOR).toBe(2);
    vi.advanceTimersByTime(10 * MINUTE - 1);
    expect(onIdle).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(onIdle).toHaveBeenCalledTimes(1);
  });

  it('never fires after stop()', () => {
    const onIdle = vi.fn();
    const timer = new IdleTimer({ timeoutMs: MINUTE, onIdle });
    timer.start();
    timer.stop();
    vi.advanceTimersByTime(10 * MINUTE);
    expect(onIdle).not.toHaveBeenCalled();
  });
});

describe('throttled (the activity ping to the backend)', () => {
  it('sends the first call at once, then at most once per period', () => {
    let t = 0;
    const send = vi.fn();
    const ping = throttled(send, 5_000, () => t);
    ping();
    ping();
    expect(send).toHaveBeenCalledTimes(1);
    t = 4_999;
    ping();
    expect(send).toHaveBeenCalledTimes(1);
    t = 5_000;
    ping();
    expect(send).toHaveBeenCalledTimes(2);
  });
});

function memoryStorage(initial: Record<string, string> = {}): Storage {
  const data = new Map(Object.entries(initial));
  return {
    get length() {
      return data.size;
    },
    clear: () => data.clear(),
    getItem: (k) => data.get(k) ?? null,
    key: (i) => [...data.keys()][i] ?? null,
    removeItem: (k) => void data.delete(k),
    setItem: (k, v) => void data.set(k, String(v)),
  };
}

describe('auto-lock minutes setting', () => {
  it('defaults to 5 and keeps values within 1–60', () => {
    expect(readAutoLockMinutes(memoryStorage())).toBe(AUTOLOCK_DEFAULT_MINUTES);
    expect(readAutoLockMinutes(memoryStorage({ [AUTOLOCK_STORAGE_KEY]: '15' }))).toBe(15);
    expect(readAutoLockMinutes(memoryStorage({ [AUTOLOCK_STORAGE_KEY]: '0' }))).toBe(1);
    expect(readAutoLockMinutes(memoryStorage({ [AUTOLOCK_STORAGE_KEY]: '600' }))).toBe(60);
    expect(readAutoLockMinutes(memoryStorage({ [AUTOLOCK_STORAGE_KEY]: 'soon' }))).toBe(5);
    expect(clampMinutes(7.6)).toBe(8);
  });

  it('remembers the choice, and survives storage that throws', () => {
    const storage = memoryStorage();
    expect(writeAutoLockMinutes(12, storage)).toBe(12);
    expect(storage.getItem(AUTOLOCK_STORAGE_KEY)).toBe('12');
    const broken = memoryStorage();
    broken.getItem = () => {
      throw new Error('denied');
    };
    broken.setItem = broken.getItem;
    expect(readAutoLockMinutes(broken)).toBe(5);
    expect(writeAutoLockMinutes(30, broken)).toBe(30);
  });
});
