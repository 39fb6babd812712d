// Preferences kept on this computer (not secret): the auto-lock time.
import { readAutoLockMinutes, writeAutoLockMinutes } from './idle';

export const prefs = $state({ autoLockMinutes: readAutoLockMinutes() });

export function setAutoLockMinutes(minutes: number): number {
  prefs.autoLockMinutes = writeAutoLockMinutes(minutes);
  return prefs.autoLockMinutes;
}
