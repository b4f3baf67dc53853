import type { ConsensusMarker } from '@rapporteur/protocol';
import { BLOCK_ID_ATTRIBUTE, CONSENSUS_ATTRIBUTE, sameMarker, toConsensusMarker } from '@rapporteur/schema';
import * as Y from 'yjs';

/**
 * A consensus marker that one Yjs transaction set, changed or removed (SPEC
 * K1). The rooms layer stores it with the update that made it, attributed to
 * that update's server-known author.
 */
export interface MarkerChange {
  readonly blockId: string | null;
  /** The marker now; null when it was removed (or its block deleted). */
  readonly marker: ConsensusMarker | null;
  readonly previous: ConsensusMarker | null;
  /** `block-deleted`: the marked block itself was deleted, not just its marker. */
  readonly cause: 'set' | 'removed' | 'block-deleted';
}

/** The last value a map entry item holds (Yjs keeps map values as the last element of their content). */
function itemValue(item: Y.Item | null | undefined): unknown {
  if (!item) return undefined;
  const content = item.content.getContent();
  return content[content.length - 1];
}

function blockIdOf(element: Y.XmlElement, deleted = false): string | null {
  // A deleted element's attributes read as absent: take the raw entry (its
  // content is still there until the transaction's garbage collection).
  const value = deleted ? itemValue(element._map.get(BLOCK_ID_ATTRIBUTE)) : element.getAttribute(BLOCK_ID_ATTRIBUTE);
  return typeof value === 'string' && value !== '' ? value : null;
}

/**
 * The marker changes of transaction `tr`, read inside it once the update is
 * applied (before garbage collection drops deleted content). The
 * cost is proportional to what the transaction changed, never to the size of
 * the document:
 *
 * - elements that existed before: their `consensus` key in `tr.changed`, the
 *   old value from the entry it overwrote (or deleted);
 * - elements the transaction created (a paste, a restored block, a block
 *   y-tiptap rebuilt): the structs it added;
 * - elements it deleted that carried a marker: its delete set.
 *
 * The last two run only when some element's children changed (typing
 * changes text alone, and costs one pass over `tr.changed`).
 *
 * A block deleted and recreated with the same id and marker in one
 * transaction (y-tiptap rebuilding it) is no change; a rewrite with an equal
 * value is none either. So only real changes are attributed to anyone.
 */
export function markerChanges(tr: Y.Transaction): MarkerChange[] {
  const changes: MarkerChange[] = [];
  const adds = (item: Y.Item): boolean => item.id.clock >= (tr.beforeState.get(item.id.client) ?? 0);

  // Blocks are created or deleted only by changing an existing element's (or
  // the body's) children; typing changes text only, and skips both scans below.
  let structural = false;
  for (const [type, keys] of tr.changed) {
    // (A root the server never read is a plain AbstractType, not yet an XmlFragment.)
    if (keys.has(null) && !(type instanceof Y.Text)) structural = true;
    if (!(type instanceof Y.XmlElement) || !keys.has(CONSENSUS_ATTRIBUTE)) continue;
    const current = type._map.get(CONSENSUS_ATTRIBUTE);
    if (!current) continue;
    let previousItem: Y.Item | null = current;
    if (adds(current)) {
      previousItem = current.left;
      while (previousItem !== null && adds(previousItem)) previousItem = previousItem.left;
    }
    // An entry deleted before this transaction was an earlier removal: no value then.
    const previous =
      previousItem !== null && (previousItem === current || !wasDeletedBefore(tr, previousItem))
        ? toConsensusMarker(itemValue(previousItem))
        : null;
    const marker = current.deleted ? null : toConsensusMarker(itemValue(current));
    if (sameMarker(marker, previous)) continue;
    changes.push({ blockId: blockIdOf(type), marker, previous, cause: marker === null ? 'removed' : 'set' });
  }

  if (!structural) return changes;

  const created = new Map<string, ConsensusMarker>();
  const createdWithoutId: Array<{ marker: ConsensusMarker }> = [];
  // Read inside the transaction (afterState is only filled at its end).
  for (const [client, structs] of tr.doc.store.clients) {
    const before = tr.beforeState.get(client) ?? 0;
    const after = Y.getState(tr.doc.store, client);
    if (after <= before) continue;
    for (let i = Y.findIndexSS(structs, before); i < structs.length; i++) {
      const struct = structs[i]!;
      if (struct.id.clock >= after) break;
      if (!(struct instanceof Y.Item) || struct.deleted || !(struct.content instanceof Y.ContentType)) continue;
      const element = struct.content.type;
      if (!(element instanceof Y.XmlElement)) continue;
      const marker = toConsensusMarker(element.getAttribute(CONSENSUS_ATTRIBUTE));
      if (!marker) continue;
      const id = blockIdOf(element);
      if (id === null) createdWithoutId.push({ marker });
      else created.set(id, marker);
    }
  }

  const deleted = new Map<string, ConsensusMarker>();
  Y.iterateDeletedStructs(tr, tr.deleteSet, (struct) => {
    if (!(struct instanceof Y.Item) || adds(struct) || !(struct.content instanceof Y.ContentType)) return;
    const element = struct.content.type;
    if (!(element instanceof Y.XmlElement)) return;
    const marker = toConsensusMarker(itemValue(element._map.get(CONSENSUS_ATTRIBUTE)));
    const id = blockIdOf(element, true);
    if (marker && id !== null) deleted.set(id, marker);
  });

  for (const [blockId, marker] of created) {
    const before = deleted.get(blockId) ?? null;
    deleted.delete(blockId);
    if (!sameMarker(marker, before)) changes.push({ blockId, marker, previous: before, cause: 'set' });
  }
  for (const { marker } of createdWithoutId) changes.push({ blockId: null, marker, previous: null, cause: 'set' });
  for (const [blockId, marker] of deleted) changes.push({ blockId, marker: null, previous: marker, cause: 'block-deleted' });
  return changes;
}

function wasDeletedBefore(tr: Y.Transaction, item: Y.Item): boolean {
  return item.deleted && !Y.isDeleted(tr.deleteSet, item.id);
}
