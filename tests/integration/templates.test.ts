import fs from 'node:fs';
import type { DocumentId, DocumentSummary, TemplateSummary, TemplateView } from '@rapporteur/protocol';
import { docToJSON, readinessProblems } from '@rapporteur/schema';
import { type RunningServer } from '@rapporteur/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { signUp, type TestUser } from '../support/accounts';
import { ManualClock } from '../support/manualClock';
import { stockClient } from '../support/clients';
import { startServer, tempDataDir } from '../support/server';
import { waitFor } from '../support/wait';

type JSONContent = ReturnType<typeof docToJSON>;

// Issue 9, templates on a real server over a real SQLite file (SPEC TPL5–TPL8):
// versioned data, validated whole, admin-only changes, documents created from
// them through the room pipeline and recording the version they started from.

const clock = new ManualClock();
let dataDir: string;
let server: RunningServer;
let admin: TestUser;
let alice: TestUser;

beforeAll(async () => {
  dataDir = tempDataDir();
  server = await startServer(dataDir, {}, { clock });
  admin = await signUp(server.url, { name: 'Secretariat' });
  await server.accountStore.setAdmin(admin.user.id, true, clock.now());
  alice = await signUp(server.url, { name: 'Amina Diallo', stakeholderGroup: 'civil-society', region: 'african' });
});

afterAll(async () => {
  await server?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function call(method: string, path: string, who: TestUser | null, body?: unknown): Promise<Response> {
  return fetch(`${server.url}/api${path}`, {
    method,
    headers: { ...(who ? { Authorization: `Bearer ${who.token}` } : {}), ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}) },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
}

async function template(id: string, version?: number): Promise<TemplateView> {
  const res = await call('GET', `/templates/${id}${version ? `?version=${version}` : ''}`, alice);
  expect(res.status).toBe(200);
  return ((await res.json()) as { template: TemplateView }).template;
}

async function createDoc(body: unknown, who: TestUser = alice): Promise<DocumentSummary> {
  const res = await call('POST', '/documents', who, body);
  expect(res.status, await res.clone().text()).toBe(201);
  return (await res.json()) as DocumentSummary;
}

const bodyOf = (id: string): Promise<JSONContent> => server.rooms.read(id as DocumentId, (doc) => docToJSON(doc));

function walk(node: JSONContent, visit: (n: JSONContent) => void): void {
  visit(node);
  for (const c of node.content ?? []) walk(c, visit);
}

function headings(body: JSONContent): string[] {
  const out: string[] = [];
  walk(body, (n) => {
    if (n.type === 'heading') out.push((n.content ?? []).map((t) => t.text ?? '').join(''));
  });
  return out;
}

function templateJson(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    type: 'session-report',
    name: 'Short session report',
    description: 'Takeaways only',
    content: [
      { type: 'heading', attrs: { level: 2 }, content: [{ type: 'text', text: 'Key takeaways' }] },
      {
        type: 'orderedList',
        attrs: { field: 'key-takeaways', guidance: 'Up to three.', required: true, maxItems: 3 },
        content: [{ type: 'listItem', content: [{ type: 'paragraph' }] }],
      },
    ],
    ...overrides,
  };
}

describe('built-in templates (TPL8)', () => {
  it('lists the current version of a template for each document type, to anyone signed in', async () => {
    expect((await call('GET', '/templates', null)).status).toBe(401);
    const res = await call('GET', '/templates', alice);
    expect(res.status).toBe(200);
    const { templates } = (await res.json()) as { templates: TemplateSummary[] };
    const types = ['session-report', 'igf-messages', 'chairs-summary', 'background-paper', 'bpf-output', 'dc-output', 'nri-report', 'blank'];
    for (const type of types) {
      expect(templates.find((t) => t.id === type), type).toMatchObject({ type, version: 1 });
    }
    expect(templates.find((t) => t.id === 'session-report')?.name).toBe('Session report');
  });
});

describe('creating a document from a template (TPL7)', () => {
  it('fills the body from the type’s template as one update by the creator, with server-made block ids, and records the version', async () => {
    const doc = await createDoc({ title: 'WS #12 report', type: 'session-report' });
    expect(doc.type).toBe('session-report');
    expect(doc.template).toEqual({ id: 'session-report', version: 1, name: 'Session report' });

    const body = await bodyOf(doc.id);
    expect(headings(body)).toEqual(
      expect.arrayContaining([
        'Session title',
        'Session type',
        'Organisers',
        'Speakers',
        'Key takeaways',
        'Calls to action',
        'Issues raised',
        'Areas of agreement',
        'Areas of divergence',
        'Way forward',
        'Participation',
        'Gender reflection',
        'Remote participation',
      ]),
    );
    // Every block has an id, none shared.
    const ids: unknown[] = [];
    walk(body, (n) => {
      if (n.type !== 'doc' && n.type !== 'text' && n.type !== 'hardBreak') ids.push(n.attrs?.['blockId']);
    });
    expect(ids.every((id) => typeof id === 'string' && id.length > 8)).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);

    // One ordinary stored update, attributed to the creator.
    const seq = await server.store.lastSeq(doc.id as DocumentId);
    const records = await server.store.readLogRecords(doc.id as DocumentId, 0, seq);
    expect(records.map((r) => r.author)).toEqual([alice.user.id]);
    const bindings = await server.store.loadClientBindings(doc.id as DocumentId);
    expect([...bindings.values()]).toEqual([alice.user.id]);

    // The audit trail says which template version it came from.
    const audit = await alice.api.audit(doc.id);
    expect(audit.find((e) => e.action === 'document.created_from_template')).toMatchObject({
      actor: { id: alice.user.id },
      details: { templateId: 'session-report', version: 1, name: 'Session report' },
    });

    // Its required fields are what keeps it from "final", each named by its heading.
    const passages = readinessProblems(body)
      .filter((p) => p.code === 'required-field-empty')
      .map((p) => p.passage);
    expect(passages).toEqual(expect.arrayContaining(['Key takeaways', 'Calls to action', 'Areas of divergence', 'Gender reflection']));
    expect(passages).not.toContain('Remote participation');
  });

  it('keeps a document from "final" while its required fields are empty, naming each by its heading (TPL4, with WF4)', async () => {
    const doc = await createDoc({ type: 'dc-output' });
    for (const status of ['review', 'revising']) expect((await call('PATCH', `/documents/${doc.id}`, alice, { status })).status).toBe(200);
    const res = await call('PATCH', `/documents/${doc.id}`, alice, { status: 'final' });
    expect(res.status).toBe(409);
    const { error } = (await res.json()) as { error: { code: string; message: string; details: { problems: Array<{ code: string; passage: string }> } } };
    expect(error.code).toBe('not_ready');
    expect(error.message).toContain('About the coalition');
    expect(error.details.problems).toEqual(expect.arrayContaining([{ code: 'required-field-empty', blockId: expect.any(String), passage: 'Minority views' }]));
    expect((await alice.api.getDocument(doc.id)).status).toBe('revising');
  });

  it('counts a required field whose block was deleted as missing, named by its template heading (TPL4)', async () => {
    const doc = await createDoc({ type: 'session-report' });
    const client = stockClient(server.collabUrl, doc.id, alice);
    try {
      await client.synced();
      const body = client.doc.getXmlFragment('default');
      const index = body.toArray().findIndex((el) => el instanceof Y.XmlElement && el.getAttribute('field') === 'way-forward');
      expect(index).toBeGreaterThan(0);
      const before = await server.store.lastSeq(doc.id as DocumentId);
      client.doc.transact(() => body.delete(index, 1));
      await waitFor(async () => (await server.store.lastSeq(doc.id as DocumentId)) > before, { what: 'deletion stored' });
    } finally {
      client.destroy();
    }
    for (const status of ['review', 'revising']) expect((await call('PATCH', `/documents/${doc.id}`, alice, { status })).status).toBe(200);
    const res = await call('PATCH', `/documents/${doc.id}`, alice, { status: 'final' });
    expect(res.status).toBe(409);
    const { error } = (await res.json()) as { error: { details: { problems: Array<{ code: string; passage: string }> } } };
    expect(error.details.problems).toContainEqual({ code: 'required-field-missing', blockId: null, passage: 'Way forward' });
    expect(error.details.problems.filter((p) => p.passage === 'Way forward')).toHaveLength(1);
  });

  it('gives each document its own block ids', async () => {
    const a = await bodyOf((await createDoc({ type: 'dc-output' })).id);
    const b = await bodyOf((await createDoc({ type: 'dc-output' })).id);
    expect(a.content?.[0]?.attrs?.['blockId']).not.toBe(b.content?.[0]?.attrs?.['blockId']);
  });

  it('keeps guidance out of the exports of a new document', async () => {
    const doc = await createDoc({ type: 'session-report' });
    for (const format of ['html', 'md'] as const) {
      const out = await alice.api.exportDocument(doc.id, format);
      expect(out).toContain('Key takeaways');
      expect(out).not.toContain('Up to three key takeaways');
      expect(out).not.toContain('each naming whom it addresses');
      // Participation figures nobody gave read "not stated".
      expect(out).toContain('not stated');
    }
  });

  it('uses the template named by templateId, and checks it against the type', async () => {
    const doc = await createDoc({ templateId: 'igf-messages' });
    expect(doc).toMatchObject({ type: 'igf-messages', template: { id: 'igf-messages', version: 1 } });

    const before = (await alice.api.listDocuments()).length;
    const unknown = await call('POST', '/documents', alice, { templateId: 'no-such-template' });
    expect(unknown.status).toBe(400);
    const unknownBody = (await unknown.json()) as { error: { message: string; details: Array<{ path: string }> } };
    expect(unknownBody.error.details[0]?.path).toBe('templateId');
    const mismatch = await call('POST', '/documents', alice, { type: 'chairs-summary', templateId: 'igf-messages' });
    expect(mismatch.status).toBe(400);
    expect(((await mismatch.json()) as { error: { details: Array<{ path: string }> } }).error.details[0]?.path).toBe('type');
    const badType = await call('POST', '/documents', alice, { type: 'novel' });
    expect(badType.status).toBe(400);
    expect((await badType.text())).toContain('type');
    // Nothing was created by the refused requests.
    expect((await alice.api.listDocuments()).length).toBe(before);
  });

  it('makes a blank document with neither type nor template: no template, no update', async () => {
    const doc = await createDoc({ title: 'Notes' });
    expect(doc).toMatchObject({ type: 'blank', template: null });
    expect(await server.store.lastSeq(doc.id as DocumentId)).toBe(0);
    const fromBlank = await createDoc({ type: 'blank' });
    expect(fromBlank).toMatchObject({ type: 'blank', template: { id: 'blank', version: 1 } });
    expect(await server.store.lastSeq(fromBlank.id as DocumentId)).toBe(0);
  });
});

describe('administrators change templates (TPL5, TPL6)', () => {
  it('refuses people who are not administrators, and changes nothing', async () => {
    const put = await call('PUT', '/admin/templates/session-report', alice, templateJson());
    expect(put.status).toBe(403);
    const post = await call('POST', '/admin/templates', alice, { id: 'mine', ...templateJson() });
    expect(post.status).toBe(403);
    expect((await call('PUT', '/admin/templates/session-report', null, templateJson())).status).toBe(401);
    expect((await template('session-report')).version).toBe(1);
    expect((await call('GET', '/templates/mine', alice)).status).toBe(404);
  });

  it('refuses invalid template JSON with 400 naming the field path, and stores none of it', async () => {
    const cases: Array<[unknown, string]> = [
      [templateJson({ content: [{ type: 'paragraph' }, { type: 'paragraph' }, { type: 'paragraph' }, { type: 'heading', attrs: { level: 9 } }] }), 'content[3].attrs.level'],
      [templateJson({ content: [{ type: 'paragraph', attrs: { blockId: 'fixed' } }] }), 'content[0].attrs.blockId'],
      [templateJson({ content: [{ type: 'bulletList', attrs: { maxItems: 0 }, content: [{ type: 'listItem', content: [{ type: 'paragraph' }] }] }] }), 'content[0].attrs.maxItems'],
      [templateJson({ content: [{ type: 'image' }] }), 'content[0].type'],
      [templateJson({ name: '' }), 'name'],
      [templateJson({ type: 'novel' }), 'type'],
      [templateJson({ type: 'dc-output' }), 'type'],
    ];
    for (const [body, path] of cases) {
      const res = await call('PUT', '/admin/templates/session-report', admin, body);
      expect(res.status, path).toBe(400);
      const error = ((await res.json()) as { error: { code: string; message: string; details: Array<{ path: string }> } }).error;
      expect(error.code).toBe('bad_request');
      expect(error.message, path).toContain(path);
      expect(error.details.map((d) => d.path), path).toContain(path);
    }
    // A template whose first blocks are fine and a later one is not is refused whole.
    expect((await template('session-report')).version).toBe(1);
    const created = await call('POST', '/admin/templates', admin, { id: 'half-good', ...templateJson({ content: [{ type: 'paragraph' }, { type: 'table', content: [] }] }) });
    expect(created.status).toBe(400);
    expect(((await created.json()) as { error: { message: string } }).error.message).toContain('content[1].content');
    expect((await call('GET', '/templates/half-good', alice)).status).toBe(404);
  });

  it('adds a version on PUT; documents made before keep theirs, new ones get the new one', async () => {
    const earlier = await createDoc({ type: 'session-report' });
    const earlierBody = await bodyOf(earlier.id);

    const res = await call('PUT', '/admin/templates/session-report', admin, templateJson({ name: 'Session report (2027)' }));
    expect(res.status).toBe(200);
    const v2 = ((await res.json()) as { template: TemplateView }).template;
    expect(v2).toMatchObject({ id: 'session-report', version: 2, latestVersion: 2, name: 'Session report (2027)', createdBy: { id: admin.user.id } });

    expect((await template('session-report', 1)).name).toBe('Session report');
    expect(await template('session-report', 1)).toMatchObject({ version: 1, latestVersion: 2, createdBy: null });
    expect((await call('GET', '/templates/session-report?version=3', alice)).status).toBe(404);
    const listed = ((await (await call('GET', '/templates', alice)).json()) as { templates: TemplateSummary[] }).templates;
    expect(listed.filter((t) => t.id === 'session-report')).toEqual([expect.objectContaining({ version: 2 })]);

    const later = await createDoc({ type: 'session-report' });
    expect(later.template).toEqual({ id: 'session-report', version: 2, name: 'Session report (2027)' });
    expect(headings(await bodyOf(later.id))).toEqual(['Key takeaways']);

    // The earlier document: same version recorded, same body.
    expect((await alice.api.getDocument(earlier.id)).template).toEqual({ id: 'session-report', version: 1, name: 'Session report' });
    expect(await bodyOf(earlier.id)).toEqual(earlierBody);
  });

  it('creates a new template on POST (409 for an id that is taken), usable by templateId', async () => {
    const res = await call('POST', '/admin/templates', admin, { id: 'ws-report-short', ...templateJson() });
    expect(res.status).toBe(201);
    expect(((await res.json()) as { template: TemplateView }).template).toMatchObject({ id: 'ws-report-short', version: 1, type: 'session-report' });
    const again = await call('POST', '/admin/templates', admin, { id: 'ws-report-short', ...templateJson() });
    expect(again.status).toBe(409);
    expect((await template('ws-report-short')).version).toBe(1);
    const doc = await createDoc({ templateId: 'ws-report-short' });
    expect(doc).toMatchObject({ type: 'session-report', template: { id: 'ws-report-short', version: 1, name: 'Short session report' } });
    // `type` alone still picks the type's standard template.
    expect((await createDoc({ type: 'session-report' })).template?.id).toBe('session-report');
  });
});

describe('a restart keeps administrators’ edits (TPL8)', () => {
  it('does not load a built-in over a template that exists', async () => {
    await server.close();
    server = await startServer(dataDir, {}, { clock });
    const current = await template('session-report');
    expect(current).toMatchObject({ version: 2, name: 'Session report (2027)' });
    expect((await template('dc-output')).version).toBe(1);
  });
});
