import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire, SourceMap } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CATALOG } from '@rapporteur/i18n';
import { originalPositions } from '@rapporteur/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp } from '../support/accounts';
import { createDocument } from '../support/clients';
import { Random } from '../support/random';
import { repoRoot } from '../support/server';

// The server as `pnpm start` runs it: server/build.mjs's bundle, an entry
// (dist/main.js) and the chunks it imports on first use (dist/chunks/).
// Inside server/dist so the bundle's external modules resolve as in production.
const outDir = path.join(repoRoot, 'server/dist', `test-${process.pid}`);
const bundle = path.join(outDir, 'main.js');

beforeAll(() => {
  const built = spawnSync(process.execPath, ['build.mjs', outDir], { cwd: path.join(repoRoot, 'server'), encoding: 'utf8' });
  expect(built.stderr).toBe('');
  expect(built.status).toBe(0);
}, 120_000);

afterAll(() => fs.rmSync(outDir, { recursive: true, force: true }));

// SPEC O5: what the server imports only on first use is in chunks it reads
// then; each must load and work as it does from the sources (the tests'
// usual server). A CommonJS package imported that way has only `default` in
// a chunk, for example.
describe('the built server loads what it imports on first use', () => {
  let url = '';
  let child: ReturnType<typeof spawn> | null = null;
  const dataDir = path.join(outDir, 'data-first-use');

  beforeAll(async () => {
    fs.mkdirSync(dataDir, { recursive: true });
    const started = spawn(process.execPath, [bundle], {
      env: { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'info', PORT: '0', HOST: '127.0.0.1' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    child = started;
    url = await new Promise<string>((resolve, reject) => {
      let out = '';
      started.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        const line = out.split('\n').find((l) => l.includes('Rapporteur is listening'));
        if (line) resolve((JSON.parse(line) as { url: string }).url);
      });
      started.once('exit', (code) => reject(new Error(`the built server exited with ${code}: ${out}`)));
    });
  }, 60_000);

  afterAll(() => {
    child?.kill('SIGKILL');
  });

  it('refuses a common password, read from dist/common-passwords.txt (the package is not bundled: SPEC O5)', async () => {
    const words = (createRequire(path.join(repoRoot, 'server/package.json'))('@zxcvbn-ts/language-common') as { dictionary: Record<string, string[]> })
      .dictionary['passwords-common']!;
    expect(fs.readFileSync(path.join(outDir, 'common-passwords.txt'), 'utf8')).toBe([...new Set(words)].sort().join('\n'));
    const scripts = [bundle, ...fs.readdirSync(path.join(outDir, 'chunks')).map((f) => path.join(outDir, 'chunks', f))].filter((f) => f.endsWith('.js'));
    expect(scripts.filter((f) => fs.readFileSync(f, 'utf8').includes('zxcvbn'))).toEqual([]);
    const res = await fetch(`${url}/api/auth/signup`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Origin: url },
      body: JSON.stringify({ email: 'common@example.org', password: 'password1234', name: 'Common', stakeholderGroup: 'academia', region: 'other' }),
    });
    const body = (await res.json()) as { error: { details?: Array<{ reason?: string }> } };
    expect(res.status).toBe(400);
    expect(body.error.details?.[0]?.reason).toBe('common');
  });

  it('answers in each language, whose messages it reads from dist/locales/ when first asked (SPEC O5, L5)', async () => {
    expect(fs.readdirSync(path.join(outDir, 'locales')).sort()).toEqual(['ar.json', 'es.json', 'fr.json', 'ru.json', 'zh.json']);
    for (const language of ['ar', 'zh', 'en', 'ar'] as const) {
      const res = await fetch(`${url}/api/auth/signup`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Origin: url, 'Accept-Language': language },
        body: JSON.stringify({ email: 'common@example.org', password: 'password1234', name: 'Common', stakeholderGroup: 'academia', region: 'other' }),
      });
      const body = (await res.json()) as { error: { message: string } };
      expect(body.error.message, language).toBe((CATALOG[language] as { problems: { passwordCommon: string } }).problems.passwordCommon);
    }
  });

  it('keeps iconv-lite\'s East Asian tables out of the scripts: each require names a file in dist/iconv-tables/ holding the package\'s table (SPEC O5)', () => {
    const scripts = [bundle, ...fs.readdirSync(path.join(outDir, 'chunks')).map((f) => path.join(outDir, 'chunks', f))].filter((f) => f.endsWith('.js'));
    const requires = scripts.flatMap((file) => [...fs.readFileSync(file, 'utf8').matchAll(/require\("([^"]*iconv-tables\/[^"]+)"\)/g)].map((m) => ({ file, target: m[1]! })));
    expect(requires.length).toBeGreaterThanOrEqual(8);
    expect(scripts.filter((f) => fs.readFileSync(f, 'utf8').includes('__iconv_tables__'))).toEqual([]);
    const iconv = path.dirname(createRequire(path.join(repoRoot, 'node_modules/.pnpm/node_modules/x.js')).resolve('iconv-lite/package.json'));
    for (const { file, target } of requires) {
      const table = path.resolve(path.dirname(file), target);
      const name = path.basename(table).replace(/^[0-9a-f]{10}-/, '');
      expect(JSON.parse(fs.readFileSync(table, 'utf8'))).toEqual(JSON.parse(fs.readFileSync(path.join(iconv, 'encodings/tables', name), 'utf8')));
    }
  });

  it('exports DOCX and imports it back (the DOCX writer and the importers are chunks)', async () => {
    const owner = await signUp(url, { name: 'Built' });
    const id = await createDocument(url, owner, 'Chunks on first use');
    const exported = await fetch(`${url}/api/documents/${id}/export?format=docx`, { headers: { Authorization: `Bearer ${owner.token}` } });
    expect(exported.status).toBe(200);
    const docx = new Uint8Array(await exported.arrayBuffer());
    expect(String.fromCharCode(docx[0]!, docx[1]!)).toBe('PK');
    const form = new FormData();
    form.append('file', new Blob([docx], { type: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' }), 'chunks.docx');
    const imported = await fetch(`${url}/api/documents/import`, { method: 'POST', body: form, headers: { Authorization: `Bearer ${owner.token}` } });
    const body = (await imported.json()) as { id?: string; title?: string };
    expect(imported.status, JSON.stringify(body)).toBe(201);
    expect(body.id).toMatch(/\S/);
  });
});

// SPEC O5: the built server runs without --enable-source-maps (which doubles
// its memory at idle) and still names TypeScript files and lines in its
// stack traces, looking them up in its source map only when a stack is read.
describe('stack traces of the built server', () => {
  /** Runs the bundle with `env`, which must stop it at start, and returns the stack it logged. */
  function startupFailureStack(env: Record<string, string>): string {
    const run = spawnSync(process.execPath, [bundle], { env: { ...process.env, LOG_LEVEL: 'info', PORT: '0', ...env }, encoding: 'utf8', timeout: 30_000 });
    expect(run.status).toBe(1);
    const logged = run.stdout
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as { msg: string; err?: { stack: string } })
      .find((l) => l.msg === 'cannot start');
    return logged?.err?.stack ?? '';
  }

  it('names the TypeScript file and line of a logged error, without --enable-source-maps (SPEC O5)', () => {
    const stack = startupFailureStack({ DATA_DIR: `/proc/rapporteur-test-${process.pid}` });
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
    expect(stack).not.toContain(outDir);
  });

  it('names the files of frames in a chunk loaded on first use (SPEC O5)', () => {
    // PostgreSQL's driver is in a chunk of its own (dist/chunks/), imported
    // only when DATABASE_URL is set; nothing listens on port 1.
    const chunks = fs.readdirSync(path.join(outDir, 'chunks'));
    expect(chunks.filter((f) => f.endsWith('.js')).length).toBeGreaterThan(1);
    const stack = startupFailureStack({ DATA_DIR: fs.mkdtempSync(path.join(outDir, 'data-')), DATABASE_URL: 'postgres://127.0.0.1:1/none' });
    expect(stack).toContain('ECONNREFUSED');
    expect(stack).toMatch(/\/node_modules\/\.pnpm\/pg-pool@[^/]+\/node_modules\/pg-pool\/index\.js:\d+:\d+/);
    expect(stack).toContain(path.join(repoRoot, 'server/src/storage/sql/openPostgresDatabase.ts:'));
    expect(stack).not.toContain(outDir);
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
