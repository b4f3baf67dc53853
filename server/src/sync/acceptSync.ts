import { CloseCode, type DocumentId, parseDocumentId, parseFeatures, PROTOCOL_VERSION, type Role } from '@rapporteur/protocol';
import { parse as parseCookie } from 'cookie';
import type { AccessEvents } from '../auth/AccessEvents';
import type { Accounts, Principal } from '../auth/Accounts';
import { roleFor } from '../auth/documentRole';
import { roleAllows } from '../auth/policy';
import { isSameOrigin } from '../auth/sameOrigin';
import { AppError, closeCode, NotFoundError } from '../errors';
import type { Clock } from '../lib/clock';
import type { Logger } from '../lib/logger';
import type { RoomManager } from '../rooms/RoomManager';
import type { DocumentStore } from '../storage/DocumentStore';
import type { TransportSocket, UpgradeRequest } from '../transport/CollabTransport';
import { SyncSession } from './SyncSession';

export interface AcceptSyncOptions {
  readonly maxAwarenessBytes: number;
  /** Frames a client may send before its document has loaded. */
  readonly maxEarlyFrames: number;
  /** Name of the session cookie. */
  readonly sessionCookie: string;
}

export interface AcceptSyncDeps {
  readonly rooms: RoomManager;
  readonly store: DocumentStore;
  readonly accounts: Accounts;
  readonly events: AccessEvents;
  readonly clock: Clock;
  readonly log: Logger;
}

/** A socket being accepted (see `connecting`). */
interface Connecting {
  readonly documentId: DocumentId;
  /** Its account, once identified (null before, and for an anonymous reader). */
  userId: string | null;
  /** An access change that may concern it arrived since its access was last read. */
  changed: boolean;
}

interface LiveSession {
  readonly session: SyncSession;
  readonly principal: Principal | null;
}

/**
 * Connects a new socket to its document's room, after deciding who it is and
 * what it may do with the same policy as HTTP (SPEC A1–A5). Frames that
 * arrive meanwhile are kept and handled in order once the document is ready,
 * so no client syncs against a half-loaded document (R2). Open sockets are
 * re-checked whenever access changes (A5).
 */
export function acceptSync(
  deps: AcceptSyncDeps,
  options: AcceptSyncOptions,
): (socket: TransportSocket, roomName: string, params: URLSearchParams, request: UpgradeRequest) => void {
  const { rooms, store, accounts, events, clock, log } = deps;
  const live = new Set<LiveSession>();

  async function recheck(entry: LiveSession): Promise<void> {
    const { session, principal } = entry;
    if (session.isClosed) return;
    let current: Principal | null = null;
    if (principal) {
      const user = await accounts.recheck(principal);
      if (!user) {
        session.close(CloseCode.unauthenticated, 'your session or access token is no longer valid');
        return;
      }
      current = { user, credential: principal.credential };
    }
    const record = await store.getDocument(session.room.id);
    const role = record ? await roleFor(store, current?.user ?? null, record, clock.now()) : null;
    if (!roleAllows(role, 'read')) session.close(CloseCode.forbidden, 'your access to this document was removed');
    else session.setWritable(roleAllows(role, 'write'));
  }

  /**
   * Sockets still being accepted: who they are and what role they have was
   * (or is being) read, but they are not in `live` yet, so a change now would
   * pass them by. A change that may concern one marks it, and its accept
   * decides again before joining (A5).
   */
  const connecting = new Set<Connecting>();

  events.subscribe((change) => {
    for (const entry of live) {
      const affected =
        change.kind === 'document' ? entry.session.room.id === change.documentId : entry.principal?.user.id === change.userId;
      if (affected) recheck(entry).catch((error: unknown) => log.error({ err: error }, 're-checking a sync socket failed'));
    }
    for (const pending of connecting) {
      // Until the socket's account is known, any account's change may be its own.
      if (change.kind === 'document' ? pending.documentId === change.documentId : pending.userId === null || pending.userId === change.userId) {
        pending.changed = true;
      }
    }
  });

  async function identify(params: URLSearchParams, request: UpgradeRequest): Promise<Principal | null | 'invalid'> {
    const token = params.get('token');
    if (token !== null) return (await accounts.authenticate({ token })) ?? 'invalid';
    // A browser sends cookies with any WebSocket, even one opened by another
    // site's page: honour the cookie only from our own pages (A2).
    const secret = parseCookie(request.header('cookie') ?? '')[options.sessionCookie];
    if (!secret || !isSameOrigin((n) => request.header(n), request.host)) return null;
    return accounts.authenticate({ session: secret });
  }

  return (socket, roomName, params, request) => {
    const documentId = parseDocumentId(roomName);
    if (!documentId) {
      socket.close(CloseCode.documentNotFound, 'no such document');
      return;
    }
    const version = params.get('rv');
    if (version !== null && version !== String(PROTOCOL_VERSION)) {
      socket.close(CloseCode.unsupportedProtocolVersion, `protocol version ${version} is not supported`);
      return;
    }
    const features = parseFeatures(params.get('features'));
    let entry: LiveSession | null = null;
    let early: Uint8Array[] | null = [];
    let gone = false;
    socket.onMessage((frame) => {
      if (entry) entry.session.handle(frame);
      else if (early && early.length < options.maxEarlyFrames) early.push(frame);
      else socket.close(CloseCode.timeout, 'too many messages before the document loaded');
    });
    socket.onClose(() => {
      gone = true;
      if (entry) {
        live.delete(entry);
        entry.session.dispose();
        rooms.released(entry.session.room);
      }
    });

    const pending: Connecting = { documentId, userId: null, changed: false };
    /** Who the socket is and what it may do, as stored now; null once refused (the socket is closed). */
    const decide = async (): Promise<{ principal: Principal | null; role: Role | null } | null> => {
      pending.changed = false;
      const principal = await identify(params, request);
      if (principal === 'invalid') {
        socket.close(CloseCode.unauthenticated, 'invalid or revoked access token');
        return null;
      }
      pending.userId = principal?.user.id ?? null;
      const record = await store.getDocument(documentId);
      if (!record) throw new NotFoundError('Document');
      const role = await roleFor(store, principal?.user ?? null, record, clock.now());
      if (!roleAllows(role, 'read')) {
        if (principal) socket.close(CloseCode.forbidden, 'you do not have access to this document');
        else socket.close(CloseCode.unauthenticated, 'sign in to open this document');
        return null;
      }
      return { principal, role };
    };
    connecting.add(pending);

    (async () => {
      let access = await decide();
      if (!access) return;
      const room = await rooms.open(documentId);
      try {
        // Access changed while it was read or the room loaded: decide again
        // with what is stored now. From `live.add` on, changes re-check it there.
        while (access && pending.changed && !gone) access = await decide();
      } catch (error) {
        rooms.released(room);
        throw error;
      }
      if (gone || !access) {
        rooms.released(room);
        return;
      }
      const { principal, role } = access;
      const session = new SyncSession(
        room,
        socket,
        {
          features,
          maxAwarenessBytes: options.maxAwarenessBytes,
          author: principal?.user.id ?? null,
          writable: roleAllows(role, 'write'),
          identity: principal
            ? {
                userId: principal.user.id,
                name: principal.user.name,
                organisation: principal.user.organisation,
                stakeholderGroup: principal.user.stakeholderGroup,
                region: principal.user.region,
              }
            : null,
        },
        log,
      );
      entry = { session, principal };
      live.add(entry);
      session.start();
      const frames = early ?? [];
      early = null;
      for (const f of frames) session.handle(f);
    })()
      .catch((error: unknown) => {
        // Refusals (AppError: not found, shutting down …) are expected; anything else is a bug.
        if (!(error instanceof AppError)) log.error({ err: error, documentId }, 'opening document failed');
        socket.close(closeCode(error), error instanceof AppError ? error.message : 'document could not be opened');
      })
      .finally(() => connecting.delete(pending));
  };
}
