// The environment `pnpm start` (scripts/start.mjs) gives the built server, beside the
// operator's own (which wins): shared with the benchmarks that run the
// bundle, so they measure what `pnpm start` runs.

/**
 * glibc's malloc, as Node uses it, raises its threshold for serving a large
 * block from mmap (rather than the process's heap) each time it frees one —
 * up to 32 MiB — so after start-up, whose parse and compile allocate and free
 * many large blocks, later ones land in the heap, which then cannot shrink
 * past the last block still in use. A fixed threshold keeps large blocks in
 * mmap, given back when freed. Idle RSS at rest 83.7 -> 71.2 MiB with
 * 256 KiB, the same as with 128 KiB (glibc's starting value), which maps
 * more of the blocks of busy work (a large document's state); 512 KiB keeps
 * 2 MiB more, 1 MiB 10 MiB more (server/SPEC.md O5, tests/bench/RESULTS.md).
 * CPU under bench:overload unchanged. (`arena_max=2` saved 0.4 MiB more: not
 * worth the lock contention it can bring.) Other C libraries ignore it.
 */
export const MALLOC_TUNABLES = 'glibc.malloc.mmap_threshold=262144';

/** `env` with Rapporteur's defaults for what the operator has not set. */
export function serverEnv(env) {
  return { ...env, GLIBC_TUNABLES: env.GLIBC_TUNABLES ?? MALLOC_TUNABLES };
}
