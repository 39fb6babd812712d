// App-level types of the Tauri commands, now generated from Rust into ./bindings/ (ts-rs).
// The UI imports them from here, so a future rename in the bindings is a one-file change.
export type { AppStatus } from './bindings/AppStatus';
export type { CommandError } from './bindings/CommandError';
export type { EvidenceDetail } from './bindings/EvidenceDetail';
export type { ImportProgress } from './bindings/ImportProgress';
export type { ImportResult } from './bindings/ImportResult';
export type { Overview } from './bindings/Overview';
export type { UnlockResult } from './bindings/UnlockResult';

export type { ImportStatus } from './bindings/ImportStatus';
