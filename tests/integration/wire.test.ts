import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import type { RunningServer } from '@rapporteur/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp, type TestUser } from '../support/accounts';
import { createDocument } from '../support/clients';
import { repoRoot, startServer, tempDataDir } from '../support/server';

interface Raw {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  /** The bytes as sent, not decoded. */
  readonly body: Buffer;
}

/** A GET that keeps the bytes on the wire as they came (fetch would decode them). */
function get(url: string, headers: Record<string, string> = {}): Promise<Raw> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      })
      .on('error', reject);
  });
}

function decode(raw: Raw): string {
  switch (raw.headers['content-encoding']) {
    case 'br':
      return zlib.brotliDecompressSync(raw.body).toString('utf8');
    case 'gzip':
      return zlib.gunzipSync(raw.body).toString('utf8');
    case undefined:
      return raw.body.toString('utf8');
    default:
      throw new Error(`unexpected encoding ${raw.headers['content-encoding']}`);
  }
}

const staticDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rapporteur-static-'));
const script = `export const words = ${JSON.stringify(Array.from({ length: 400 }, (_, i) => `stakeholder-${i % 37}`))};\n//# sourceMappingURL=app-3f9a2c.js.map\n`;
let server: RunningServer;
let owner: TestUser;

beforeAll(async () => {
  fs.mkdirSync(path.join(staticDir, 'assets'));
  fs.writeFileSync(path.join(staticDir, 'index.html'), `<!doctype html><title>Rapporteur</title>${'<!-- shell -->'.repeat(100)}`);
  fs.writeFileSync(path.join(staticDir, 'assets/app-3f9a2c.js'), script);
  fs.writeFileSync(path.join(staticDir, 'assets/app-3f9a2c.js.map'), JSON.stringify({ version: 3, sources: ['secret.ts'] }));
  fs.writeFileSync(path.join(staticDir, 'robots.txt'), 'User-agent: *\n');
  // The build step itself, as `pnpm build` runs it.
  execFileSync(process.execPath, [path.join(repoRoot, 'editor/scripts/precompress.mjs'), staticDir]);
  server = await startServer(tempDataDir(), { staticDir });
  owner = await signUp(server.url, { name: 'Owner' });
});

afterAll(async () => {
  await server.close();
  fs.rmSync(staticDir, { recursive: true, force: true });
});

describe('bytes on the wire (SPEC W1–W3)', () => {
  it('W2: the build writes Brotli and gzip copies of text assets, and the server sends the one the client accepts, as it is', async () => {
    expect(fs.existsSync(path.join(staticDir, 'assets/app-3f9a2c.js.br'))).toBe(true);
    expect(fs.existsSync(path.join(staticDir, 'assets/app-3f9a2c.js.map.br'))).toBe(false);
    const url = `${server.url}/assets/app-3f9a2c.js`;
    const br = await get(url, { 'Accept-Encoding': 'gzip, deflate, br' });
    expect(br.status).toBe(200);
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.body.equals(fs.readFileSync(path.join(staticDir, 'assets/app-3f9a2c.js.br')))).toBe(true);
    expect(br.headers['content-type']).toMatch(/^text\/javascript|^application\/javascript/);
    expect(br.headers.vary).toMatch(/Accept-Encoding/i);
    expect(decode(br)).toBe(script);
    expect(br.body.length).toBeLessThan(script.length / 4);

    const gz = await get(url, { 'Accept-Encoding': 'gzip' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(decode(gz)).toBe(script);
    const plain = await get(url, { 'Accept-Encoding': 'identity' });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.toString('utf8')).toBe(script);
  });

  it('W2: hashed assets are immutable for a year; the app shell is revalidated; other files are kept an hour', async () => {
    expect((await get(`${server.url}/assets/app-3f9a2c.js`, { 'Accept-Encoding': 'br' })).headers['cache-control']).toBe(
      'public, max-age=31536000, immutable',
    );
    expect((await get(`${server.url}/assets/app-3f9a2c.js`)).headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect((await get(`${server.url}/robots.txt`)).headers['cache-control']).toBe('public, max-age=3600');
    for (const route of ['/', '/d/some-document', '/index.html']) {
      const shell = await get(`${server.url}${route}`, { 'Accept-Encoding': 'br' });
      expect(shell.status, route).toBe(200);
      expect(shell.headers['cache-control'], route).toBe('no-cache');
      expect(decode(shell), route).toContain('<title>Rapporteur</title>');
    }
  });

  it('W3: source maps are never served', async () => {
    for (const encoding of ['br', 'gzip', 'identity']) {
      const res = await get(`${server.url}/assets/app-3f9a2c.js.map`, { 'Accept-Encoding': encoding });
      expect(res.status).toBe(404);
      expect(res.body.toString('utf8')).not.toContain('secret.ts');
    }
  });

  it('W1: API answers are compressed on the fly, Brotli first; event streams are not held back by a compressor', async () => {
    for (let i = 0; i < 30; i++) await createDocument(server.url, owner, `Report of session ${i} on digital cooperation`);
    const auth = { Authorization: `Bearer ${owner.token}` };
    const br = await get(`${server.url}/api/documents`, { ...auth, 'Accept-Encoding': 'gzip, br' });
    expect(br.status).toBe(200);
    expect(br.headers['content-encoding']).toBe('br');
    const gz = await get(`${server.url}/api/documents`, { ...auth, 'Accept-Encoding': 'gzip' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(JSON.parse(decode(br))).toEqual(JSON.parse(decode(gz)));

    const id = await createDocument(server.url, owner, 'Streamed');
    const headers = await new Promise<http.IncomingHttpHeaders>((resolve, reject) => {
      const req = http.get(`${server.url}/api/documents/${id}/comments/events`, { headers: { ...auth, 'Accept-Encoding': 'gzip, br' } }, (res) => {
        resolve(res.headers);
        req.destroy();
      });
      req.on('error', (e) => (req.destroyed ? undefined : reject(e)));
    });
    expect(headers['content-type']).toMatch(/^text\/event-stream/);
    expect(headers['content-encoding']).toBeUndefined();
  });
});
