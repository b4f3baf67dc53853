import type { DocumentId } from '@rapporteur/protocol';
import { Router } from 'express';
import type { Accounts } from '../../auth/Accounts';
import { mayReadPublicationFor } from '../../auth/documentRole';
import { decideEvent, EventAction } from '../../auth/policy';
import { localTimeOf } from '../../events/SessionImport';
import type { Clock } from '../../lib/clock';
import { eventPageHtml, type PublishedRef } from '../../pages/eventPage';
import { notFoundPage } from '../../pages/publicationPage';
import type { DocumentStore } from '../../storage/DocumentStore';
import type { EventStore } from '../../storage/EventStore';
import type { PublicationStore } from '../../storage/PublicationStore';
import { authenticate, principalOf } from '../authMiddleware';
import { labelsIn, requestLanguage } from '../language';

export interface EventPageDeps {
  readonly store: DocumentStore;
  readonly eventStore: EventStore;
  readonly publications: PublicationStore;
  readonly accounts: Accounts;
  readonly clock: Clock;
}

const PAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

/** `/e/<eventId>`: the event's page without JavaScript (SPEC EV11). */
export function eventPageRoutes(deps: EventPageDeps): Router {
  const { store, eventStore, publications, accounts, clock } = deps;
  const router = Router();
  router.use('/e', authenticate(accounts));

  /** The newest publication of the document the reader may read and that is not withdrawn. */
  async function published(documentId: DocumentId | null, user: { id: string; isAdmin: boolean } | null): Promise<PublishedRef | null> {
    if (!documentId) return null;
    const record = await store.getDocument(documentId);
    if (!record) return null;
    const list = await publications.list(documentId);
    for (const p of [...list].reverse()) {
      if (p.withdrawn) continue;
      if (await mayReadPublicationFor(store, user, record, p, clock.now())) return { documentId, number: p.number };
    }
    return null;
  }

  router.get('/e/:id', async (req, res) => {
    const principal = principalOf(res);
    const user = principal?.user ?? null;
    const event = await eventStore.getEvent(req.params.id);
    const language = requestLanguage(req, res);
    const t = labelsIn(language);
    const access = event
      ? { public: event.public, organiser: user !== null && (await eventStore.isOrganiser(event.id, user.id)), rapporteur: user !== null && (await eventStore.isRapporteur(event.id, user.id)) }
      : null;
    if (!event || !access || !decideEvent(user ? { userId: user.id, isAdmin: user.isAdmin } : null, EventAction.read, access)) {
      res.status(404).type('text/html; charset=utf-8').set('Content-Security-Policy', PAGE_CSP).set('Cache-Control', 'no-store').send(notFoundPage());
      return;
    }
    const sessions = await eventStore.listSessions(event.id);
    const tracks = [];
    for (const track of event.tracks) {
      const rows = [];
      for (const s of sessions.filter((x) => x.trackId === track.id)) {
        rows.push({
          code: s.code,
          title: s.title,
          type: t(`events.sessionType.${s.type}`),
          start: localTimeOf(s.startsAt, event.timeZone),
          end: localTimeOf(s.endsAt, event.timeZone),
          report: await published(s.documentId, user),
        });
      }
      tracks.push({ name: track.name, messages: await published(track.messagesDocumentId, user), sessions: rows });
    }
    res
      .type('text/html; charset=utf-8')
      .set('Content-Security-Policy', PAGE_CSP)
      .set('Content-Language', language)
      .set('Cache-Control', event.public && !principal ? 'public, no-cache' : 'private, no-store')
      .send(eventPageHtml({ name: event.name, startsOn: event.startsOn, endsOn: event.endsOn, timeZone: event.timeZone, tracks }, t, language));
  });

  return router;
}
