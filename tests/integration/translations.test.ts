import fs from 'node:fs';
import { ApiError } from '@rapporteur/client';
import { CATALOG } from '@rapporteur/i18n';
import type { DocumentId, SegmentView } from '@rapporteur/protocol';
import { docToJSON } from '@rapporteur/schema';
import type { RunningServer } from '@rapporteur/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { signUp, type TestUser } from '../support/accounts';
import { createDocument, type StockClient, stockClient } from '../support/clients';
import { ManualClock } from '../support/manualClock';
import { startServer, tempDataDir } from '../support/server';
import { waitFor } from '../support/wait';

// Linked translations (issue 12, SPEC LT1–LT7): a translation made from an
// original keeps its block ids, each paragraph has a status, and "source
// changed" is computed by the server from the live texts.
type Who = 'alice' | 'bob' | 'carol' | 'dmitri' | 'stranger';

const clock = new ManualClock();
let dataDir: string;
let server: RunningServer;
const people = {} as Record<Who, TestUser>;
let sourceId: string;
let frenchId: string;
const clients: StockClient[] = [];

const say = (language: keyof typeof CATALOG, path: string): string =>
  path.split('.').reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], CATALOG[language]) as string;

beforeAll(async () => {
  dataDir = tempDataDir();
  server = await startServer(dataDir, {}, { clock });
  people.alice = await signUp(server.url, { name: 'Amina Diallo' });
  people.bob = await signUp(server.url, { name: 'Bernard Lefèvre' });
  people.carol = await signUp(server.url, { name: 'Carol Commenter' });
  people.dmitri = await signUp(server.url, { name: 'Dmitri Volkov' });
  people.stranger = await signUp(server.url, { name: 'Stranger' });
  sourceId = await createDocument(server.url, people.alice, 'Session report');
  await people.alice.api.setMember(sourceId, people.bob.email, 'editor');
  await people.alice.api.setMember(sourceId, people.carol.email, 'commenter');
  const alice = client(sourceId, 'alice');
  await alice.synced();
  await edit(alice, sourceId, (body) =>
    body.insert(0, [heading('h', 'Key takeaways'), paragraph('p1', 'Open standards matter.'), paragraph('p2', 'Access must be affordable.')]),
  );
});

afterAll(async () => {
  for (const c of clients) c.destroy();
  await server.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

function client(documentId: string, who: Who): StockClient {
  const c = stockClient(server.collabUrl, documentId, people[who]);
  clients.push(c);
  return c;
}

function paragraph(blockId: string, text: string): Y.XmlElement {
  const el = new Y.XmlElement('paragraph');
  el.setAttribute('blockId', blockId);
  el.insert(0, [new Y.XmlText(text)]);
  return el;
}

function heading(blockId: string, text: string): Y.XmlElement {
  const el = new Y.XmlElement('heading');
  el.setAttribute('blockId', blockId);
  el.setAttribute('level', 2 as never);
  el.insert(0, [new Y.XmlText(text)]);
  return el;
}

/** Runs `change` on a stock client's doc and waits until the server stored it. */
async function edit(c: StockClient, documentId: string, change: (body: Y.XmlFragment) => void): Promise<void> {
  const before = await server.store.lastSeq(documentId as DocumentId);
  c.doc.transact(() => change(c.doc.getXmlFragment('default')));
  await waitFor(async () => (await server.store.lastSeq(documentId as DocumentId)) > before, { what: 'edit stored' });
  await server.rooms.whenIdle();
}

function block(c: StockClient, blockId: string): Y.XmlElement {
  const found = c.doc
    .getXmlFragment('default')
    .toArray()
    .find((el) => el instanceof Y.XmlElement && el.getAttribute('blockId') === blockId);
  if (!(found instanceof Y.XmlElement)) throw new Error(`no block ${blockId}`);
  return found;
}

/** The text of a paragraph as a Y.XmlText (the paragraph's first child; created when empty). */
function textOf(el: Y.XmlElement): Y.XmlText {
  const first = el.get(0);
  if (first instanceof Y.XmlText) return first;
  const text = new Y.XmlText();
  el.insert(0, [text]);
  return text;
}

async function status(who: Who = 'bob', documentId = frenchId) {
  return people[who].api.translationStatus(documentId);
}

const segment = async (blockId: string, who: Who = 'bob'): Promise<SegmentView> => (await status(who)).segments.find((s) => s.blockId === blockId)!;

async function refusal(promise: Promise<unknown>): Promise<ApiError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ApiError);
  return error as ApiError;
}

describe('creating a linked translation (SPEC LT1, LT2)', () => {
  it('LT1: an editor of the original gets 201 and the new document, owned by them, with the original’s members', async () => {
    clock.advance(60_000);
    const created = await people.bob.api.createTranslation(sourceId, 'fr');
    frenchId = created.id;
    expect(created).toMatchObject({ language: 'fr', translationOf: sourceId, role: 'owner', status: 'drafting', title: 'Session report (Français)' });
    const members = await people.bob.api.listMembers(frenchId);
    expect(Object.fromEntries(members.map((m) => [m.user.name, m.role]))).toEqual({
      'Bernard Lefèvre': 'owner',
      'Amina Diallo': 'owner',
      'Carol Commenter': 'commenter',
    });
    const sourceAudit = await people.alice.api.audit(sourceId);
    expect(sourceAudit[0]).toMatchObject({ action: 'translation.created', details: { translationId: frenchId, language: 'fr' } });
    expect(sourceAudit[0]!.at).toBe(new Date(clock.now()).toISOString());
    const ownAudit = await people.bob.api.audit(frenchId);
    expect(ownAudit.map((e) => e.action)).toContain('document.created_as_translation');
  });

  it('LT2: the translation has the original’s blocks and ids, every paragraph empty, written as one update by its creator', async () => {
    const json = await server.rooms.read(frenchId as DocumentId, (doc) => docToJSON(doc));
    expect(json.content?.map((b) => [b.type, b.attrs?.['blockId'], b.content?.length ?? 0])).toEqual([
      ['heading', 'h', 0],
      ['paragraph', 'p1', 0],
      ['paragraph', 'p2', 0],
    ]);
    const log = await server.store.readLogRecords(frenchId as DocumentId, 0, 100);
    expect(log.map((r) => r.author)).toEqual([people.bob.user.id]);
  });

  it('LT1: commenters and strangers may not make one; the language must differ and be free in the family; a translation is not translated', async () => {
    expect((await refusal(people.carol.api.createTranslation(sourceId, 'es'))).status).toBe(403);
    expect((await refusal(people.stranger.api.createTranslation(sourceId, 'es'))).status).toBe(403);
    const anonymous = await fetch(`${server.url}/api/documents/${sourceId}/translations`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Origin: server.url },
      body: JSON.stringify({ language: 'es' }),
    });
    expect(anonymous.status).toBe(401);

    const same = await refusal(people.alice.api.createTranslation(sourceId, 'en'));
    expect([same.status, same.code]).toEqual([400, 'bad_request']);
    const again = await refusal(people.alice.api.createTranslation(sourceId, 'fr'));
    expect([again.status, again.code, again.details]).toEqual([409, 'translation_exists', { documentId: frenchId }]);
    const chained = await refusal(people.bob.api.createTranslation(frenchId, 'es'));
    expect([chained.status, chained.code, chained.details]).toEqual([409, 'is_translation', { sourceId }]);
    // None of the refusals created anything.
    expect((await people.alice.api.translations(sourceId)).translations.map((t) => t.id)).toEqual([frenchId]);
  });

  it('LT1, L5: its refusals are worded in the caller’s language', async () => {
    const res = await fetch(`${server.url}/api/documents/${sourceId}/translations`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Origin: server.url, Authorization: `Bearer ${people.alice.token}`, 'Accept-Language': 'ru' },
      body: JSON.stringify({ language: 'fr' }),
    });
    const { error } = (await res.json()) as { error: { code: string; message: string } };
    expect(error.code).toBe('translation_exists');
    expect(error.message).toBe(say('ru', 'server.translations.exists').replace('{{language}}', 'Français'));
  });
});

describe('paragraph statuses and "source changed" (SPEC LT3–LT5)', () => {
  it('LT3: every aligned paragraph starts “to translate”, set by nobody', async () => {
    const view = await status();
    expect(view).toMatchObject({ sourceId, sourceLanguage: 'en', newInSource: [], counts: { toTranslate: 3, draft: 0, reviewed: 0, sourceChanged: 0 } });
    expect(view.segments).toEqual(
      ['h', 'p1', 'p2'].map((blockId) => ({ blockId, status: 'to-translate', sourceChanged: false, inSource: true, setBy: null, setAt: null })),
    );
  });

  it('LT4: a paragraph the translator writes in reads “draft”; marking it reviewed records who and when (the clock)', async () => {
    const bob = client(frenchId, 'bob');
    await bob.synced();
    await edit(bob, frenchId, () => textOf(block(bob, 'p1')).insert(0, 'Les normes ouvertes sont importantes.'));
    expect(await segment('p1')).toMatchObject({ status: 'draft', sourceChanged: false, setBy: null });

    clock.advance(5 * 60_000);
    const marked = await people.bob.api.setSegmentStatus(frenchId, 'p1', 'reviewed');
    const expected = { blockId: 'p1', status: 'reviewed', sourceChanged: false, inSource: true, setBy: { id: people.bob.user.id, name: 'Bernard Lefèvre' }, setAt: new Date(clock.now()).toISOString() };
    expect(marked).toEqual(expected);
    expect(await segment('p1', 'carol')).toEqual(expected);
    expect((await status()).counts).toEqual({ toTranslate: 2, draft: 0, reviewed: 1, sourceChanged: 0 });
    const audit = await people.bob.api.audit(frenchId);
    expect(audit[0]).toMatchObject({ action: 'translation.segment_status', details: { blockId: 'p1', from: 'draft', to: 'reviewed', sourceId } });
  });

  it('LT5: editing the source paragraph after it was marked flags it “source changed”, only that one; undoing the edit clears it', async () => {
    const alice = clients.find((c) => c.doc.getXmlFragment('default').length > 0 && c.provider.roomname === sourceId)!;
    await edit(alice, sourceId, () => textOf(block(alice, 'p1')).insert(0, 'Truly: '));
    expect(await segment('p1')).toMatchObject({ status: 'reviewed', sourceChanged: true });
    expect((await status()).counts.sourceChanged).toBe(1);
    expect(await segment('p2')).toMatchObject({ sourceChanged: false });

    // Comparing the words, not the log: the same text again is no change.
    await edit(alice, sourceId, () => textOf(block(alice, 'p1')).delete(0, 'Truly: '.length));
    expect(await segment('p1')).toMatchObject({ sourceChanged: false });

    await edit(alice, sourceId, () => textOf(block(alice, 'p1')).insert(0, 'As agreed, '));
    expect(await segment('p1')).toMatchObject({ sourceChanged: true });
    // Marking it again (after updating the translation) sets it against the source as it is now.
    clock.advance(60_000);
    expect(await people.bob.api.setSegmentStatus(frenchId, 'p1', 'reviewed')).toMatchObject({ status: 'reviewed', sourceChanged: false });
  });

  it('LT5: a paragraph never marked also flags a source edit made after the translation was created', async () => {
    const alice = clients.find((c) => c.provider.roomname === sourceId)!;
    await edit(alice, sourceId, () => textOf(block(alice, 'p2')).insert(0, 'Internet '));
    expect(await segment('p2')).toMatchObject({ status: 'to-translate', sourceChanged: true, setBy: null });
  });

  it('LT4: editing a reviewed paragraph makes it a draft again', async () => {
    const bob = clients.find((c) => c.provider.roomname === frenchId)!;
    await edit(bob, frenchId, () => textOf(block(bob, 'p1')).insert(0, 'Comme convenu, '));
    expect(await segment('p1')).toMatchObject({ status: 'draft', sourceChanged: false });
  });

  it('LT3: new source paragraphs are listed as missing; a deleted one stays, flagged, with inSource false', async () => {
    const alice = clients.find((c) => c.provider.roomname === sourceId)!;
    await edit(alice, sourceId, (body) => body.insert(3, [paragraph('p3', 'Youth participation grew.')]));
    expect((await status()).newInSource).toEqual(['p3']);
    await edit(alice, sourceId, (body) => body.delete(2, 1));
    expect(await segment('p2')).toMatchObject({ inSource: false, sourceChanged: true });
  });

  it('LT7: the translation’s editors add the original’s new paragraphs where the original has them, empty and “to translate”; again adds nothing', async () => {
    expect((await refusal(people.carol.api.addSourceParagraphs(frenchId))).status).toBe(403);
    clock.advance(60_000);
    const view = await people.bob.api.addSourceParagraphs(frenchId);
    expect(view.newInSource).toEqual([]);
    expect(view.segments.find((s) => s.blockId === 'p3')).toEqual({ blockId: 'p3', status: 'to-translate', sourceChanged: false, inSource: true, setBy: null, setAt: null });
    const json = await server.rooms.read(frenchId as DocumentId, (doc) => docToJSON(doc));
    // After p1, as in the original (whose p2 was deleted; the translation keeps its own).
    expect(json.content?.map((b) => [b.attrs?.['blockId'], b.content?.[0]?.text ?? ''])).toEqual([
      ['h', ''],
      ['p1', 'Comme convenu, Les normes ouvertes sont importantes.'],
      ['p3', ''],
      ['p2', ''],
    ]);
    const audit = await people.bob.api.audit(frenchId);
    expect(audit[0]).toMatchObject({ action: 'translation.paragraphs_added', details: { blockIds: ['p3'], sourceId }, at: new Date(clock.now()).toISOString() });
    const seq = await server.store.lastSeq(frenchId as DocumentId);
    expect((await people.bob.api.addSourceParagraphs(frenchId)).newInSource).toEqual([]);
    expect(await server.store.lastSeq(frenchId as DocumentId)).toBe(seq);
  });

  it('LT3: only editors of the translation set statuses; an unknown paragraph or a document that is no translation is 404', async () => {
    expect((await refusal(people.carol.api.setSegmentStatus(frenchId, 'h', 'reviewed'))).status).toBe(403);
    expect((await refusal(people.stranger.api.translationStatus(frenchId))).status).toBe(403);
    expect((await refusal(people.bob.api.setSegmentStatus(frenchId, 'nowhere', 'reviewed'))).status).toBe(404);
    expect((await refusal(people.alice.api.translationStatus(sourceId))).status).toBe(404);
    const bad = await fetch(`${server.url}/api/documents/${frenchId}/translation/segments/h`, {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json', Origin: server.url, Authorization: `Bearer ${people.bob.token}` },
      body: JSON.stringify({ status: 'approved' }),
    });
    expect(bad.status).toBe(400);
    expect(await segment('h')).toMatchObject({ status: 'to-translate', setBy: null });
  });
});

describe('the family in each header (SPEC LT6)', () => {
  it('lists the translations in the original, and the original and the other translations in a translation, as each reader may see them', async () => {
    const spanish = await people.alice.api.createTranslation(sourceId, 'es');
    const fromSource = await people.alice.api.translations(sourceId);
    expect(fromSource).toEqual({
      source: null,
      sourceHidden: false,
      translations: [
        { id: frenchId, title: 'Session report (Français)', language: 'fr', status: 'drafting' },
        { id: spanish.id, title: 'Session report (Español)', language: 'es', status: 'drafting' },
      ],
    });
    const fromFrench = await people.bob.api.translations(frenchId);
    expect(fromFrench.source).toEqual({ id: sourceId, title: 'Session report', language: 'en', status: 'drafting' });
    expect(fromFrench.translations.map((t) => t.language)).toEqual(['es']);

    // Dmitri is a member of the French translation only: he reads it, not its original or siblings.
    await people.bob.api.setMember(frenchId, people.dmitri.email, 'editor');
    expect(await people.dmitri.api.translations(frenchId)).toEqual({ source: null, sourceHidden: true, translations: [] });
    // The statuses are his to see and set all the same (the original's words stay hidden).
    expect((await people.dmitri.api.translationStatus(frenchId)).segments.length).toBeGreaterThan(0);
    const fr = await people.dmitri.api.getDocument(frenchId);
    expect(fr.translationOf).toBe(sourceId);
  });

  it('LT1: no document of a family takes the language of another by a change of language', async () => {
    const toSpanish = await refusal(people.bob.api.updateDocument(frenchId, { language: 'es' }));
    expect([toSpanish.status, toSpanish.code]).toEqual([409, 'translation_exists']);
    const toOriginal = await refusal(people.bob.api.updateDocument(frenchId, { language: 'en' }));
    expect(toOriginal.code).toBe('translation_exists');
    const original = await refusal(people.alice.api.updateDocument(sourceId, { language: 'fr', title: 'Renamed' }));
    expect(original.code).toBe('translation_exists');
    expect(await people.alice.api.getDocument(sourceId)).toMatchObject({ language: 'en', title: 'Session report' });
    expect((await people.bob.api.updateDocument(frenchId, { language: 'ru' })).language).toBe('ru');
    await people.bob.api.updateDocument(frenchId, { language: 'fr' });
  });
});
