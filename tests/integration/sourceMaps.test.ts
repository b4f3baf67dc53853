import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { SourceMap } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { originalPositions } from '@rapporteur/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Random } from '../support/random';
import { repoRoot } from '../support/server';

// SPEC O5: the built server runs without --enable-source-maps (which doubles
// its memory at idle) and still names TypeScript files and lines in its
// stack traces, looking them up in its source map only when a stack is read.
describe('stack traces of the built server', () => {
  // Inside server/dist so the bundle's external modules resolve as in production.
  const outDir = path.join(repoRoot, 'server/dist', `test-${process.pid}`);
  const bundle = path.join(outDir, 'main.js');

  beforeAll(() => {
    const built = spawnSync(process.execPath, ['build.mjs', bundle], { cwd: path.join(repoRoot, 'server'), encoding: 'utf8' });
    expect(built.stderr).toBe('');
    expect(built.status).toBe(0);
  }, 120_000);

  afterAll(() => fs.rmSync(outDir, { recursive: true, force: true }));

  it('names the TypeScript file and line of a logged error, without --enable-source-maps (SPEC O5)', () => {
    const run = spawnSync(process.execPath, [bundle], {
      env: { ...process.env, DATA_DIR: `/proc/rapporteur-test-${process.pid}`, LOG_LEVEL: 'info', PORT: '0' },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(run.status).toBe(1);
    const logged = run.stdout
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as { msg: string; err?: { stack: string } })
      .find((l) => l.msg === 'cannot start');
    const stack = logged?.err?.stack ?? '';
    const source = path.join(repoRoot, 'server/src/storage/prepareDataDir.ts');
    const line = fs
      .readFileSync(source, 'utf8')
      .split('\n')
      .findIndex((l) => l.includes('cannot be created: mkdir'));
    expect(line).toBeGreaterThan(0);
    const frames = stack.split('\n').filter((l) => l.startsWith('    at '));
    expect(frames[0]).toMatch(new RegExp(`^    at prepareDataDir \\(${source}:${line + 1}:\\d+\\)$`));
    expect(frames[1]).toContain(path.join(repoRoot, 'server/src/createServer.ts:'));
    // No frame of our code is left pointing into the bundle.
    expect(stack).not.toContain(bundle);
  });

  it('looks up positions as Node’s own source-map decoder does (SPEC O5)', () => {
    const raw = JSON.parse(fs.readFileSync(`${bundle}.map`, 'utf8')) as ConstructorParameters<typeof SourceMap>[0] & { mappings: string };
    const reference = new SourceMap(raw);
    const lines = fs.readFileSync(bundle, 'utf8').split('\n');
    const random = new Random(Number(process.env.SEED ?? 7));
    const positions = Array.from({ length: 3000 }, () => {
      const line = random.int(lines.length);
      return { line, column: random.int(lines[line]!.length + 1) };
    });
    const ours = originalPositions(raw.mappings, positions);
    // Most positions fall in mapped code: the comparison is not of nulls.
    expect(ours.filter((o) => o !== null).length).toBeGreaterThan(positions.length / 2);
    const dir = path.dirname(bundle);
    positions.forEach((p, i) => {
      const entry = reference.findEntry(p.line, p.column) as {
        generatedLine?: number;
        originalSource?: string;
        originalLine?: number;
        originalColumn?: number;
      };
      // findEntry answers the nearest earlier segment even on an earlier line; ours stays on the line.
      const expected =
        entry.originalSource !== undefined && entry.generatedLine === p.line
          ? { file: toPath(entry.originalSource, dir), line: entry.originalLine, column: entry.originalColumn }
          : null;
      const found = ours[i];
      const actual = found ? { file: path.resolve(dir, raw.sources[found.source]!), line: found.line, column: found.column } : null;
      expect({ seed: random.seed, position: p, found: actual }).toEqual({ seed: random.seed, position: p, found: expected });
    });
  });
});

function toPath(source: string, dir: string): string {
  return source.startsWith('file:') ? fileURLToPath(source) : path.resolve(dir, source);
}
