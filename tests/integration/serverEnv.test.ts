import { MALLOC_TUNABLES, serverEnv } from '@rapporteur/server/serverEnv';
import { describe, expect, it } from 'vitest';

// SPEC O5: `pnpm start` (and the benchmarks of the built server) run it with
// glibc's mmap threshold fixed, unless the operator chose their own tunables.
describe('the built server’s environment', () => {
  it('fixes the mmap threshold and keeps everything else', () => {
    const env = serverEnv({ PORT: '8080', DATA_DIR: '/srv/rapporteur' });
    expect(env).toEqual({ PORT: '8080', DATA_DIR: '/srv/rapporteur', GLIBC_TUNABLES: MALLOC_TUNABLES });
    expect(MALLOC_TUNABLES).toMatch(/^glibc\.malloc\.mmap_threshold=\d+$/);
  });

  it('leaves the operator’s own tunables alone', () => {
    expect(serverEnv({ GLIBC_TUNABLES: 'glibc.malloc.arena_max=1' }).GLIBC_TUNABLES).toBe('glibc.malloc.arena_max=1');
  });
});
