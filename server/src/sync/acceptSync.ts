import { CloseCode, parseDocumentId, parseFeatures, PROTOCOL_VERSION } from '@rapporteur/protocol';
import { closeCode, NotFoundError } from '../errors';
import type { Logger } from '../lib/logger';
import type { RoomManager } from '../rooms/RoomManager';
import type { TransportSocket } from '../transport/CollabTransport';
import { SyncSession } from './SyncSession';

export interface AcceptSyncOptions {
  readonly maxAwarenessBytes: number;
  /** Frames a client may send before its document has loaded. */
  readonly maxEarlyFrames: number;
}

/**
 * Connects a new socket to its document's room. Frames that arrive while the
 * document is loading are kept and handled in order once it is ready, so no
 * client syncs against a half-loaded document (SPEC.md R2).
 */
export function acceptSync(
  rooms: RoomManager,
  log: Logger,
  options: AcceptSyncOptions,
): (socket: TransportSocket, roomName: string, params: URLSearchParams) => void {
  return (socket, roomName, params) => {
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
    let session: SyncSession | null = null;
    let early: Uint8Array[] | null = [];
    let gone = false;
    socket.onMessage((frame) => {
      if (session) session.handle(frame);
      else if (early && early.length < options.maxEarlyFrames) early.push(frame);
      else socket.close(CloseCode.timeout, 'too many messages before the document loaded');
    });
    socket.onClose(() => {
      gone = true;
      if (session) {
        session.dispose();
        rooms.released(session.room);
      }
    });
    rooms.open(documentId).then(
      (room) => {
        if (gone) {
          rooms.released(room);
          return;
        }
        session = new SyncSession(room, socket, { features, maxAwarenessBytes: options.maxAwarenessBytes, author: null }, log);
        session.start();
        const frames = early ?? [];
        early = null;
        for (const f of frames) session.handle(f);
      },
      (error: unknown) => {
        if (!(error instanceof NotFoundError)) log.error({ err: error, documentId }, 'opening document failed');
        socket.close(closeCode(error), error instanceof NotFoundError ? 'no such document' : 'document could not be opened');
      },
    );
  };
}
