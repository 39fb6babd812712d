import type { Environment } from 'vitest/environments';

/**
 * Plain Node globals, but modules go through Vite's *client* environment, so
 * `.svelte(.ts)` files are compiled for the browser and Svelte's client
 * runtime (real $state/$effect reactivity) is used. No DOM emulation needed.
 */
export default {
  name: 'svelte-client-node',
  viteEnvironment: 'client',
  setup() {
    return { teardown() {} };
  },
} satisfies Environment;
