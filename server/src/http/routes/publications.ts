import {
  type DocumentId,
  parseDocumentId,
  PublicationFormatQuery,
  type PublicationView,
  PublishRequest,
  WithdrawPublicationRequest,
} from '@rapporteur/protocol';
import { Router } from 'express';
import type { Accounts } from '../../auth/Accounts';
import { mayReadPublicationFor } from '../../auth/documentRole';
import { BadRequestError, NotFoundError } from '../../errors';
import type { Clock } from '../../lib/clock';
import { notFoundPage, publicationPage, publicationPath } from '../../pages/publicationPage';
import { MAIN_PART, type Publisher } from '../../publications/Publisher';
import type { DocumentRecord, DocumentStore } from '../../storage/DocumentStore';
import type { PublicationRecord, PublicationStore } from '../../storage/PublicationStore';
import { authenticate, principalOf } from '../authMiddleware';
import { documentAuthorizer } from '../authorizeDocument';
import { sendExport } from '../documentExport';
import { parse } from '../validate';

export interface PublicationRoutesDeps {
  readonly store: DocumentStore;
  readonly publications: PublicationStore;
  readonly publisher: Publisher;
  readonly accounts: Accounts;
  readonly clock: Clock;
}

function present(p: PublicationRecord, all: readonly PublicationRecord[]): PublicationView {
  return {
    number: p.number,
    versionId: p.versionId,
    url: publicationPath(p.documentId, p.number),
    title: p.title,
    note: p.note,
    publishedAt: new Date(p.publishedAt).toISOString(),
    public: p.public,
    includeDispositions: p.includeDispositions,
    corrects: p.corrects,
    correctedBy: all.filter((o) => o.corrects === p.number).map((o) => o.number),
    withdrawn: p.withdrawn ? { at: new Date(p.withdrawn.at).toISOString(), reason: p.withdrawn.reason } : null,
  };
}

function parseNumber(raw: string): number {
  if (!/^[1-9][0-9]{0,6}$/.test(raw)) throw new NotFoundError('Publication');
  return Number(raw);
}

/** `/api/documents/:id/publications…` (SPEC PUB1, PUB4, PUB5): authenticate → validate → authorize (policy.ts) → command → present. */
export function publicationRoutes(deps: PublicationRoutesDeps): Router {
  const { store, publications, publisher, clock } = deps;
  const router = Router();
  const authorize = documentAuthorizer(store, clock);

  /** The document's publications this caller may read (PUB3), oldest first. */
  async function readable(record: DocumentRecord, user: { id: string; isAdmin: boolean } | null): Promise<PublicationRecord[]> {
    const all = await publications.list(record.id);
    const out: PublicationRecord[] = [];
    for (const p of all) if (await mayReadPublicationFor(store, user, record, p, clock.now())) out.push(p);
    return out;
  }

  router.post('/documents/:id/publications', async (req, res) => {
    const body = parse(PublishRequest, req.body ?? {});
    const { record, principal } = await authorize(res, req.params.id, 'publish');
    const publication = await publisher.publish(record, principal!.user.id, body);
    const all = await publications.list(record.id);
    res.status(201).location(publicationPath(record.id, publication.number)).json({ publication: present(publication, all) });
  });

  router.get('/documents/:id/publications', async (req, res) => {
    const { record, principal } = await authorize(res, req.params.id, 'read');
    const all = await publications.list(record.id);
    const mine = await readable(record, principal?.user ?? null);
    res.json({ publications: mine.map((p) => present(p, all)) });
  });

  router.post('/documents/:id/publications/:number/withdraw', async (req, res) => {
    const body = parse(WithdrawPublicationRequest, req.body ?? {});
    const { record, principal } = await authorize(res, req.params.id, 'publish');
    const updated = await publisher.withdraw(record, principal!.user.id, parseNumber(req.params.number), body.reason);
    res.json({ publication: present(updated, await publications.list(record.id)) });
  });

  return router;
}

/**
 * `/p/<documentId>/<number>` (SPEC PUB2, PUB3): the publication's page, no
 * JavaScript needed, or with `?format=` one of its stored files, byte for
 * byte as published. A publication the caller may not read, and one that
 * does not exist, are the same 404.
 */
export function publicationPageRoutes(deps: PublicationRoutesDeps): Router {
  const { store, publications, accounts, clock } = deps;
  const router = Router();
  router.use('/p', authenticate(accounts));

  router.get('/p/:documentId/:number', async (req, res) => {
    const query = PublicationFormatQuery.safeParse(req.query);
    if (!query.success) throw new BadRequestError({ key: 'server.request.problem', values: { path: 'format', message: { key: 'server.publications.formats' } } });
    const id = parseDocumentId(req.params.documentId);
    const number = /^[1-9][0-9]{0,6}$/.test(req.params.number) ? Number(req.params.number) : null;
    const record = id ? await store.getDocument(id) : null;
    const publication = record && number !== null ? await publications.get(record.id, number) : null;
    const user = principalOf(res)?.user ?? null;
    if (!record || !publication || !(await mayReadPublicationFor(store, user, record, publication, clock.now()))) {
      res.status(404).type('text/html; charset=utf-8').set('Content-Security-Policy', PAGE_CSP).set('Cache-Control', 'no-store').send(notFoundPage());
      return;
    }
    // Members-only publications are never kept by shared caches.
    res.set('Cache-Control', publication.public ? 'public, no-cache' : 'private, no-store');
    const format = query.data.format;
    if (format !== undefined) {
      const file = await publications.file(record.id, publication.number, format);
      if (!file) throw new NotFoundError('Publication file');
      sendExport(res, `${publication.title}-publication-${publication.number}`, { contentType: file.contentType, extension: format, body: file.body });
      return;
    }
    const main = await publications.file(record.id, publication.number, MAIN_PART);
    const siblings = [];
    for (const p of await publications.list(record.id as DocumentId)) {
      if (await mayReadPublicationFor(store, user, record, p, clock.now())) siblings.push(p);
    }
    res
      .type('text/html; charset=utf-8')
      .set('Content-Security-Policy', PAGE_CSP)
      .send(publicationPage({ publication, main: main ? main.body.toString('utf8') : '', siblings, lang: record.language }));
  });

  return router;
}

/** Pages with no script: nothing may run or load but their inline styles. */
const PAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
