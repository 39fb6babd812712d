// Settings → Security in the reader's language: each wall around the worker that reads untrusted files, named
// in plain words. The record is complete by type, so a layer added in Rust (ts-rs) breaks the type check here.
import type { Layer } from './bindings/Layer';
import type { MessageKey } from './i18n';

export const LAYER_KEYS: Readonly<Record<Layer, MessageKey>> = {
  separate_process: 'security.layer.separate_process',
  single_thread: 'security.layer.single_thread',
  resource_limits: 'security.layer.resource_limits',
  clean_environment: 'security.layer.clean_environment',
  no_inherited_files: 'security.layer.no_inherited_files',
  killed_first_on_low_memory: 'security.layer.killed_first_on_low_memory',
  no_network: 'security.layer.no_network',
  no_new_privileges: 'security.layer.no_new_privileges',
  no_file_access: 'security.layer.no_file_access',
  system_call_filter: 'security.layer.system_call_filter',
};
