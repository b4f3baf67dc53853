import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CATALOG } from '@rapporteur/i18n';
import type { DocumentSummary, UserView } from '@rapporteur/protocol';
import type { RunningServer } from '@rapporteur/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp, type TestUser } from '../support/accounts';
import { ManualClock } from '../support/manualClock';
import { startServer, tempDataDir } from '../support/server';
import { SmtpSink } from '../support/smtpSink';

// SPEC L3–L8: the server speaks the person's language — the profile's
// locale, else Accept-Language — in API error messages (the code stays),
// validation problems, e-mails and the labels of what it renders; a
// document's own language goes into its exports' <html lang dir>.

let dataDir: string;
const staticDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rapporteur-shell-'));
let server: RunningServer;
let sink: SmtpSink;
const clock = new ManualClock();
let person: TestUser;

/** A message of the catalog, as a test's expectation (variables left out). */
const say = (language: keyof typeof CATALOG, path: string): string =>
  path.split('.').reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], CATALOG[language]) as string;

beforeAll(async () => {
  sink = await SmtpSink.start();
  dataDir = tempDataDir();
  fs.writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html>\n<html lang="en" dir="ltr"><head><title>Rapporteur</title></head><body><div id="root"></div></body></html>');
  server = await startServer(
    dataDir,
    { publicUrl: 'https://rapporteur.example.org', mail: { smtpUrl: sink.url, from: 'Rapporteur <r@example.org>' }, staticDir },
    { clock },
  );
  person = await signUp(server.url, { name: 'Nadia' });
});

afterAll(async () => {
  await server.close();
  await sink.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
  fs.rmSync(staticDir, { recursive: true, force: true });
});

function call(method: string, path: string, options: { body?: unknown; language?: string; cookie?: string } = {}): Promise<Response> {
  return fetch(`${server.url}${path}`, {
    method,
    headers: {
      'Content-Type': 'application/json',
      Origin: server.url,
      ...(options.language ? { 'Accept-Language': options.language } : {}),
      ...(options.cookie ? { Cookie: options.cookie } : {}),
    },
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
  });
}

async function errorOf(res: Response): Promise<{ code: string; message: string; details?: unknown }> {
  return ((await res.json()) as { error: { code: string; message: string } }).error;
}

describe('API error messages (SPEC L4, L5)', () => {
  it('follow Accept-Language among the six and keep their code; English otherwise', async () => {
    const wrong = { email: person.email, password: 'not the password at all' };
    const cases: Array<[string | undefined, keyof typeof CATALOG]> = [
      ['fr-CH, fr;q=0.9, en;q=0.5', 'fr'],
      ['ar-EG', 'ar'],
      ['zh-Hans-CN', 'zh'],
      ['de, ru;q=0.4', 'ru'],
      ['es', 'es'],
      ['de', 'en'],
      [undefined, 'en'],
    ];
    for (const [header, language] of cases) {
      const res = await call('POST', '/api/auth/login', { body: wrong, language: header });
      expect(res.status).toBe(401);
      expect(res.headers.get('content-language')).toBe(language);
      const error = await errorOf(res);
      expect(error.code).toBe('invalid_credentials');
      expect(error.message, header).toBe(say(language, 'server.errors.invalid_credentials'));
    }
    expect(say('ar', 'server.errors.invalid_credentials')).not.toBe(say('en', 'server.errors.invalid_credentials'));
  });

  it('word validation problems in the language, naming the same fields', async () => {
    const bad = { email: 'not an address', password: 'short', name: 'X', stakeholderGroup: 'civil-society', region: 'african' };
    const english = await errorOf(await call('POST', '/api/auth/signup', { body: bad }));
    const russian = await errorOf(await call('POST', '/api/auth/signup', { body: bad, language: 'ru' }));
    expect(english.code).toBe('bad_request');
    expect(russian.code).toBe('bad_request');
    expect(russian.message.startsWith('Недопустимый запрос: ')).toBe(true);
    expect(russian.message).not.toBe(english.message);
    const paths = (details: unknown) => (details as Array<{ path: string }>).map((p) => p.path);
    expect(paths(russian.details)).toEqual(paths(english.details));
  });

  it('say which thing was not found, with dates in the language', async () => {
    const res = await call('GET', '/api/documents/00000000-0000-4000-8000-000000000000', { cookie: person.cookie, language: 'es' });
    expect(res.status).toBe(404);
    expect((await errorOf(res)).message).toBe(say('es', 'server.notFound.document'));
    const noRoute = await call('GET', '/api/no-such-thing', { language: 'zh' });
    expect(await errorOf(noRoute)).toEqual({ code: 'not_found', message: say('zh', 'server.request.noRoute') });
  });
});

describe('messages that say what went wrong, in the caller’s language (SPEC L5)', () => {
  const post = (path: string, body: unknown, language?: string) => call('POST', path, { cookie: person.cookie, body, ...(language ? { language } : {}) });
  const patch = (path: string, body: unknown, language?: string) => call('PATCH', path, { cookie: person.cookie, body, ...(language ? { language } : {}) });

  it('a workflow move that does not exist names both stages in the language; English stays as it was', async () => {
    const { id } = (await (await post('/api/documents', { title: 'Moves' })).json()) as DocumentSummary;
    const french = await errorOf(await patch(`/api/documents/${id}`, { status: 'final' }, 'fr'));
    expect(french).toMatchObject({ code: 'invalid_transition', message: 'Un document ne peut pas passer de l’étape « Rédaction » à l’étape « Version définitive »' });
    expect(say('fr', 'workflow.status.drafting')).toBe('Rédaction');
    expect((await errorOf(await patch(`/api/documents/${id}`, { status: 'final' }))).message).toBe('A document cannot move from Drafting to Final');
    expect((await errorOf(await patch(`/api/documents/${id}`, { status: 'published' }))).message).toBe('A document becomes published only by publishing it');
    expect((await errorOf(await patch(`/api/documents/${id}`, { status: 'published' }, 'zh'))).message).toBe(say('zh', 'server.workflow.publishedByPublishing'));
  });

  it('not ready for final: the count with the language’s plural, the first passages quoted and listed as the language lists', async () => {
    const { id } = (await (await post('/api/documents', { title: 'Report', type: 'session-report' })).json()) as DocumentSummary;
    for (const status of ['review', 'revising']) expect((await patch(`/api/documents/${id}`, { status })).status).toBe(200);
    const english = await errorOf(await patch(`/api/documents/${id}`, { status: 'final' }));
    const problems = (english.details as { problems: Array<{ passage: string }> }).problems;
    expect(problems.length).toBeGreaterThan(3);
    const [a, b, c] = problems.map((p) => p.passage);
    expect(english.message).toBe(`Not ready for final: ${problems.length} passages to complete first (“${a}”, “${b}” and “${c}”)`);
    const arabic = await errorOf(await patch(`/api/documents/${id}`, { status: 'final' }, 'ar'));
    expect(arabic.code).toBe('not_ready');
    expect(arabic.message).toContain(`«${a}» و«${b}» و«${c}»`);
    expect(arabic.message.startsWith('ليست جاهزة لتصبح نهائية')).toBe(true);
    const russian = await errorOf(await patch(`/api/documents/${id}`, { status: 'final' }, 'ru'));
    expect(russian.message).toMatch(/^Пока не готов стать окончательным: сначала нужно дополнить \d+ фрагмент/);
    expect(arabic.details).toEqual(english.details);
  });

  it('comments, templates, history and passwords: catalog words, zod’s locale for the grammar, details with the same paths', async () => {
    const { id } = (await (await post('/api/documents', { title: 'Comments' })).json()) as DocumentSummary;
    const { comment } = (await (await post(`/api/documents/${id}/comments`, { anchor: { type: 'block', blockId: 'b1', quote: 'x' }, body: 'A view' })).json()) as {
      comment: { id: string };
    };
    expect((await post(`/api/documents/${id}/comments/${comment.id}/withdraw`, undefined)).status).toBe(200);
    const closed = await errorOf(await post(`/api/documents/${id}/comments/${comment.id}/withdraw`, undefined, 'es'));
    expect(closed).toMatchObject({ code: 'comment_closed', message: `Este comentario está cerrado (${say('es', 'comments.status.withdrawn')})` });

    const admin = await signUp(server.url, { name: 'Admin' });
    await server.accountStore.setAdmin(admin.user.id, true, clock.now());
    const template = { id: 'x-report', type: 'blank', name: 'X', content: [{ type: 'heading', attrs: { level: 9, blockId: 'b' } }] };
    const create = (language: string) => call('POST', '/api/admin/templates', { cookie: admin.cookie, body: template, language });
    const english = await errorOf(await create('en'));
    const russian = await errorOf(await create('ru'));
    expect(english.message).toMatch(/^Invalid template: content\[0\]\.attrs/);
    expect(english.message).toContain('content[0].attrs.blockId: Unknown key “blockId”');
    expect(russian.message.startsWith('Недопустимый шаблон: content[0].attrs')).toBe(true);
    expect(russian.message).toContain('content[0].attrs.blockId: Неизвестный ключ «blockId»');
    const paths = (details: unknown) => (details as Array<{ path: string }>).map((p) => p.path);
    expect(paths(russian.details)).toEqual(paths(english.details));

    const history = await errorOf(await call('GET', `/api/documents/${id}/history?before=nonsense`, { cookie: person.cookie, language: 'fr' }));
    expect(history.message).toBe(`before : ${say('fr', 'server.history.badCursor')}`);

    const weak = await errorOf(await call('POST', '/api/auth/signup', {
      body: { email: 'wei@example.org', password: 'short', name: 'Wei', stakeholderGroup: 'academia', region: 'asia-pacific' },
      language: 'zh',
    }));
    expect(weak.code).toBe('weak_password');
    expect(weak.message).toBe(say('zh', 'problems.passwordTooShort').replace('{{min}}', '12'));
    expect(weak.details).toEqual([{ path: 'password', message: weak.message, reason: 'too_short' }]);
  });
});

describe('the interface language in the profile (SPEC L3)', () => {
  it('PATCH /api/me {locale} takes one of the six, null to follow the browser again, and refuses anything else changing nothing', async () => {
    const me = await signUp(server.url, { name: 'Zhang' });
    expect(me.user.locale).toBeNull();
    const set = await call('PATCH', '/api/me', { cookie: me.cookie, body: { locale: 'zh' } });
    expect(set.status).toBe(200);
    expect(((await set.json()) as { user: UserView }).user.locale).toBe('zh');

    for (const locale of ['de', 'ZH', 'zh-CN', '', 7]) {
      const refused = await call('PATCH', '/api/me', { cookie: me.cookie, body: { locale, name: 'Changed' } });
      expect(refused.status, String(locale)).toBe(400);
      expect((await errorOf(refused)).code).toBe('bad_request');
    }
    const after = ((await (await call('GET', '/api/me', { cookie: me.cookie })).json()) as { user: UserView }).user;
    expect(after).toMatchObject({ locale: 'zh', name: 'Zhang' });

    const cleared = await call('PATCH', '/api/me', { cookie: me.cookie, body: { locale: null } });
    expect(((await cleared.json()) as { user: UserView }).user.locale).toBeNull();
  });

  it('is used over Accept-Language once chosen, and sign-up may choose it', async () => {
    const me = await signUp(server.url, { name: 'Olga' });
    await call('PATCH', '/api/me', { cookie: me.cookie, body: { locale: 'ru' } });
    const res = await call('GET', '/api/documents/00000000-0000-4000-8000-000000000000', { cookie: me.cookie, language: 'fr' });
    expect(res.headers.get('content-language')).toBe('ru');
    expect((await errorOf(res)).message).toBe(say('ru', 'server.notFound.document'));

    const signup = await call('POST', '/api/auth/signup', {
      body: { email: 'layla@example.org', password: 'correct horse battery staple', name: 'Layla', stakeholderGroup: 'academia', region: 'african', locale: 'ar' },
    });
    expect(signup.status).toBe(201);
    expect(((await signup.json()) as { user: UserView }).user.locale).toBe('ar');
    const refused = await call('POST', '/api/auth/signup', {
      body: { email: 'pierre@example.org', password: 'correct horse battery staple', name: 'Pierre', stakeholderGroup: 'academia', region: 'african', locale: 'fr-FR' },
    });
    expect(refused.status).toBe(400);
  });
});

describe('e-mails (SPEC L6)', () => {
  it('a password reset e-mail is in the account’s language, else in the language it was asked in', async () => {
    const followsBrowser = await signUp(server.url, { name: 'Marie' });
    await call('POST', '/api/auth/password-reset', { body: { email: followsBrowser.email }, language: 'fr' });
    const french = await sink.next();
    expect(french.subject).toBe(say('fr', 'server.email.passwordReset.subject'));
    expect(french.text).toContain('Bonjour Marie,');
    expect(french.text).toContain('dans un délai de 60 minutes');

    const chose = await signUp(server.url, { name: 'Omar' });
    await call('PATCH', '/api/me', { cookie: chose.cookie, body: { locale: 'ar' } });
    await call('POST', '/api/auth/password-reset', { body: { email: chose.email }, language: 'es' });
    const arabic = await sink.next();
    expect(arabic.subject).toBe(say('ar', 'server.email.passwordReset.subject'));
    expect(arabic.text).toContain('مرحبًا Omar،');
  });
});

describe('labels of what the server renders (SPEC L7)', () => {
  it('the disposition table and the compendium are labelled in the reader’s language, their page saying so', async () => {
    const { id } = (await (await call('POST', '/api/documents', { cookie: person.cookie, body: { title: 'Messages' } })).json()) as DocumentSummary;
    const csv = await (await call('GET', `/api/documents/${id}/comments/export?format=csv`, { cookie: person.cookie, language: 'fr' })).text();
    expect(csv.replace('\uFEFF', '').split('\r\n')[0]).toBe(
      'N°,Passage,Commentaire,Libellé proposé,Auteur,Organisation,Groupe de parties prenantes,Région,Date (UTC),Suite donnée,Réponse,Décision prise par',
    );
    const english = await (await call('GET', `/api/documents/${id}/comments/export?format=csv`, { cookie: person.cookie })).text();
    expect(english).toContain('No.,Passage,Comment,Suggested wording,Author');

    const compendium = await call('GET', `/api/documents/${id}/comments/compendium?format=html`, { cookie: person.cookie, language: 'ar' });
    expect(compendium.headers.get('content-language')).toBe('ar');
    const html = await compendium.text();
    expect(html).toContain('<html lang="ar" dir="rtl">');
    expect(html).toContain(`<h1>${say('ar', 'server.export.compendiumHeading')}</h1>`);
    expect(html).toContain(say('ar', 'server.export.noViews'));

    // The profile's language wins over the browser's.
    await call('PATCH', '/api/me', { cookie: person.cookie, body: { locale: 'zh' } });
    const table = await (await call('GET', `/api/documents/${id}/comments/export?format=html`, { cookie: person.cookie, language: 'fr' })).text();
    expect(table).toContain('<html lang="zh" dir="ltr">');
    expect(table).toContain(`<h1>${say('zh', 'server.export.dispositionHeading')}</h1>`);
    await call('PATCH', '/api/me', { cookie: person.cookie, body: { locale: null } });
  });
});

describe('pages the server renders (SPEC L7, L8)', () => {
  it('the reading page of /d/:id is in the reader’s language, its text in the document’s', async () => {
    const { id } = (await (await call('POST', '/api/documents', { cookie: person.cookie, body: { title: 'Rapport', language: 'fr' } })).json()) as DocumentSummary;
    const res = await call('GET', `/d/${id}`, { cookie: person.cookie, language: 'ar' });
    expect(res.headers.get('content-language')).toBe('ar');
    const html = await res.text();
    expect(html).toContain('<html lang="ar" dir="rtl">');
    expect(html).toContain(`<h2 id="reader-comments-heading">${say('ar', 'server.reader.comments').replace('{{count}}', '0')}</h2>`);
    expect(html).toContain(say('ar', 'server.reader.noComments'));
    expect(html).toContain('<main lang="fr" dir="ltr">');

    const signedOut = await (await call('GET', `/d/${id}`, { language: 'ru' })).text();
    expect(signedOut).toContain('<html lang="ru" dir="ltr">');
    expect(signedOut).toContain(`<h1>${say('ru', 'server.reader.signInHeading')}</h1>`);
  });
});

describe('a document’s language (SPEC L8)', () => {
  it('is set at creation (default: the creator’s interface language), changed by PATCH, and said by its exports whoever reads them', async () => {
    const created = (await (await call('POST', '/api/documents', { cookie: person.cookie, body: { title: 'تقرير', language: 'ar' } })).json()) as DocumentSummary;
    expect(created.language).toBe('ar');
    const exported = await call('GET', `/api/documents/${created.id}/export?format=html`, { cookie: person.cookie, language: 'fr' });
    expect(exported.headers.get('content-language')).toBe('ar');
    expect(await exported.text()).toContain('<html lang="ar" dir="rtl">');

    const byBrowser = (await (await call('POST', '/api/documents', { cookie: person.cookie, language: 'ru', body: { title: 'Доклад' } })).json()) as DocumentSummary;
    expect(byBrowser.language).toBe('ru');

    const changed = await call('PATCH', `/api/documents/${created.id}`, { cookie: person.cookie, body: { language: 'fr' } });
    expect(changed.status).toBe(200);
    expect(((await changed.json()) as DocumentSummary).language).toBe('fr');
    const again = await (await call('GET', `/api/documents/${created.id}/export?format=html`, { cookie: person.cookie, language: 'ar' })).text();
    expect(again).toContain('<html lang="fr" dir="ltr">');

    const refused = await call('PATCH', `/api/documents/${created.id}`, { cookie: person.cookie, body: { language: 'xx', title: 'Renamed' } });
    expect(refused.status).toBe(400);
    const now = (await (await call('GET', `/api/documents/${created.id}`, { cookie: person.cookie })).json()) as DocumentSummary;
    expect(now).toMatchObject({ language: 'fr', title: 'تقرير' });
  });

  it('is changed only by those who may rename the document', async () => {
    const other = await signUp(server.url, { name: 'Stranger' });
    const { id } = (await (await call('POST', '/api/documents', { cookie: person.cookie, body: { title: 'Private' } })).json()) as DocumentSummary;
    const res = await call('PATCH', `/api/documents/${id}`, { cookie: other.cookie, body: { language: 'es' } });
    expect(res.status).toBe(403);
  });
});
