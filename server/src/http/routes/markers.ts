import type { MarkerAuthorView, MarkerView } from '@rapporteur/protocol';
import { docToJSON, markedPassages, markerWording } from '@rapporteur/schema';
import { Router } from 'express';
import type { Clock } from '../../lib/clock';
import type { RoomManager } from '../../rooms/RoomManager';
import type { AccountStore } from '../../storage/AccountStore';
import type { DocumentStore, MarkerEventRecord } from '../../storage/DocumentStore';
import { documentAuthorizer } from '../authorizeDocument';

export interface MarkerRoutesDeps {
  readonly store: DocumentStore;
  readonly accountStore: AccountStore;
  readonly rooms: RoomManager;
  readonly clock: Clock;
}

/**
 * `GET /api/documents/:id/markers` (SPEC K2): every consensus marker of the
 * live document in document order, with who set it and when from the
 * server's marker events, for anyone who may read the document.
 */
export function markerRoutes(deps: MarkerRoutesDeps): Router {
  const { store, accountStore, rooms, clock } = deps;
  const router = Router();
  const authorize = documentAuthorizer(store, clock);

  router.get('/documents/:id/markers', async (req, res) => {
    const { record } = await authorize(res, req.params.id, 'read');
    const passages = await rooms.read(record.id, (doc) => markedPassages(docToJSON(doc)));
    const events = new Map<string, MarkerEventRecord>((await store.latestMarkerEvents(record.id)).map((e) => [e.blockId, e]));
    const people = new Map<string, Promise<MarkerAuthorView | null>>();
    const person = (id: string): Promise<MarkerAuthorView | null> => {
      let found = people.get(id);
      if (!found) {
        found = accountStore
          .getUser(id)
          .then((u) => (u ? { id: u.id, name: u.name, stakeholderGroup: u.stakeholderGroup } : null));
        people.set(id, found);
      }
      return found;
    };
    const markers = await Promise.all(
      passages.map(async (m): Promise<MarkerView> => {
        const w = markerWording(m.marker, { scope: m.scope });
        // The newest record of this block, if it set the level the block has
        // now; anything else would name someone for a marker they did not set.
        const event = m.blockId === null ? undefined : events.get(m.blockId);
        const known = event !== undefined && event.level === m.marker.level;
        return {
          blockId: m.blockId,
          scope: m.scope,
          level: m.marker.level,
          label: w.label,
          wording: w.wording,
          basis: m.marker.basis,
          basisNote: m.marker.basisNote ?? null,
          basisText: w.basis,
          views: m.marker.views ?? [],
          passage: m.passage,
          setBy: known && event.actorId !== null ? await person(event.actorId) : null,
          setAt: known ? new Date(event.createdAt).toISOString() : null,
        };
      }),
    );
    res.json({ markers });
  });

  return router;
}
