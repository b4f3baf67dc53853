import fs from 'node:fs';
import type { TemplateView } from '@rapporteur/protocol';
import type { RunningServer } from '@rapporteur/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp, type TestUser } from '../support/accounts';
import { Random, seeds } from '../support/random';
import { startServer, tempDataDir } from '../support/server';

// Template JSON mutated at random and sent to a real server (SPEC TPL6, TPL7):
// every answer is 200 or a 400 naming paths, never a 500; a refused template
// stores nothing (the version does not move); an accepted one always makes
// documents (its body builds against the schema). `SEED=n` replays a run.

let dataDir: string;
let server: RunningServer;
let admin: TestUser;

beforeAll(async () => {
  dataDir = tempDataDir();
  server = await startServer(dataDir);
  admin = await signUp(server.url, { name: 'Secretariat' });
  await server.accountStore.setAdmin(admin.user.id, true, Date.now());
});

afterAll(async () => {
  await server?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const NODE_TYPES = ['paragraph', 'heading', 'bulletList', 'orderedList', 'listItem', 'blockquote', 'table', 'tableRow', 'tableCell', 'tableHeader', 'text', 'hardBreak', 'horizontalRule', 'codeBlock', 'image', 'doc', ''];
const ATTRS = ['level', 'field', 'guidance', 'required', 'maxItems', 'emptyMeansNotStated', 'dir', 'start', 'colspan', 'rowspan', 'blockId', 'consensus', 'onclick'];

function randomValue(r: Random, depth = 0): Json {
  switch (r.int(depth > 2 ? 6 : 8)) {
    case 0:
      return null;
    case 1:
      return r.chance(0.5);
    case 2:
      return r.pick([0, 1, 2, 3, 4, 9, -1, 1.5, 1e9, Number.MAX_SAFE_INTEGER]);
    case 3:
      return r.pick(['', ' ', 'key-takeaways', 'Not A Key', 'rtl', 'x'.repeat(5000), '\u0000', '\uD800', '<script>alert(1)</script>']);
    case 4:
      return r.word();
    case 5:
      return r.pick(NODE_TYPES);
    case 6:
      return Array.from({ length: r.int(3) }, () => randomValue(r, depth + 1));
    default:
      return Object.fromEntries(Array.from({ length: r.int(3) }, () => [r.pick(['type', 'attrs', 'content', 'text', 'marks', ...ATTRS]), randomValue(r, depth + 1)]));
  }
}

/** Every object and array inside `value`, with a way to change it. */
function containers(value: Json): Array<{ [key: string]: Json } | Json[]> {
  const out: Array<{ [key: string]: Json } | Json[]> = [];
  const visit = (v: Json): void => {
    if (v === null || typeof v !== 'object') return;
    out.push(v);
    for (const child of Array.isArray(v) ? v : Object.values(v)) visit(child);
  };
  visit(value);
  return out;
}

function mutate(r: Random, template: Json): void {
  for (let n = 1 + r.int(3); n > 0; n--) {
    const target = r.pick(containers(template));
    if (Array.isArray(target)) {
      const i = r.int(target.length + 1);
      if (r.chance(0.4) && target.length > 0) target.splice(Math.min(i, target.length - 1), 1);
      else if (r.chance(0.5) && target.length > 0) target.splice(i, 0, structuredClone(target[r.int(target.length)]!));
      else target.splice(i, 0, randomValue(r));
    } else {
      const key = r.pick([...Object.keys(target), 'type', 'attrs', 'content', ...ATTRS]);
      if (r.chance(0.25)) delete target[key];
      else target[key] = r.chance(0.3) && key === 'type' ? r.pick(NODE_TYPES) : randomValue(r);
    }
  }
}

async function put(body: Json): Promise<Response> {
  return fetch(`${server.url}/api/admin/templates/session-report`, {
    method: 'PUT',
    headers: { Authorization: `Bearer ${admin.token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
}

describe('template JSON mutated at random', () => {
  it.each(seeds(2))('seed %i: 200 or 400 naming paths, nothing stored on 400, documents always created on 200', async (seed) => {
    const r = new Random(seed);
    const original = (await admin.api.getTemplate('session-report', 1)) as TemplateView;
    const base: Json = JSON.parse(JSON.stringify({ type: original.type, name: original.name, description: original.description, content: original.content })) as Json;
    let accepted = 0;
    for (let i = 0; i < 120; i++) {
      const candidate = structuredClone(base);
      mutate(r, candidate);
      const before = (await admin.api.getTemplate('session-report')).version;
      const res = await put(candidate);
      const context = `seed ${seed}, mutation ${i}: ${JSON.stringify(candidate).slice(0, 400)}`;
      expect([200, 400], context).toContain(res.status);
      const after = (await admin.api.getTemplate('session-report')).version;
      if (res.status === 400) {
        const { error } = (await res.json()) as { error: { code: string; message: string; details: Array<{ path: string; message: string }> } };
        expect(error.code, context).toBe('bad_request');
        expect(error.details.length, context).toBeGreaterThan(0);
        for (const d of error.details) expect(typeof d.path === 'string' && typeof d.message === 'string', context).toBe(true);
        expect(after, context).toBe(before);
      } else {
        accepted++;
        expect(after, context).toBe(before + 1);
        const doc = await admin.api.createDocument({ type: 'session-report' });
        expect(doc.template?.version, context).toBe(after);
      }
    }
    // The unmutated template is accepted too: the run is not only refusals.
    expect((await put(base)).status).toBe(200);
    console.log(`[fuzz] seed ${seed}: ${accepted} of 120 mutations accepted`);
    expect(accepted + 1).toBeGreaterThan(0);
  });
});
