import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import {
  decodeClientMessage,
  encodeAwareness,
  encodeQueryAwareness,
  encodeSaved,
  encodeSyncStep1,
  encodeSyncStep2,
  encodeSyncUpdate,
  MessageType,
  parseFeatures,
} from './messages';
import { isPermanentCloseCode, CloseCode } from './closeCodes';

describe('decodeClientMessage', () => {
  const update = (() => {
    const d = new Y.Doc();
    d.getText('t').insert(0, 'hi');
    return Y.encodeStateAsUpdate(d);
  })();

  it('round-trips every client message kind', () => {
    expect(decodeClientMessage(encodeSyncStep1(new Uint8Array([0])))).toEqual({
      ok: true,
      value: { kind: 'sync-step-1', stateVector: new Uint8Array([0]) },
    });
    expect(decodeClientMessage(encodeSyncStep2(update))).toMatchObject({ ok: true, value: { kind: 'sync-step-2' } });
    expect(decodeClientMessage(encodeSyncUpdate(update))).toMatchObject({ ok: true, value: { kind: 'sync-update', update } });
    expect(decodeClientMessage(encodeAwareness(new Uint8Array([1, 2])))).toMatchObject({ ok: true, value: { kind: 'awareness' } });
    expect(decodeClientMessage(encodeQueryAwareness())).toEqual({ ok: true, value: { kind: 'query-awareness' } });
  });

  it('refuses unknown kinds, server-only kinds, truncation and trailing bytes', () => {
    expect(decodeClientMessage(new Uint8Array([7]))).toMatchObject({ ok: false });
    expect(decodeClientMessage(encodeSaved(3))).toMatchObject({ ok: false });
    expect(decodeClientMessage(new Uint8Array([MessageType.auth, 0, 1, 65]))).toMatchObject({ ok: false });
    expect(decodeClientMessage(new Uint8Array([0, 9, 0]))).toMatchObject({ ok: false, reason: 'unknown sync step 9' });
    expect(decodeClientMessage(new Uint8Array([0, 2, 50, 1]))).toMatchObject({ ok: false, reason: 'truncated message' });
    expect(decodeClientMessage(new Uint8Array([]))).toMatchObject({ ok: false });
    expect(decodeClientMessage(new Uint8Array([...encodeQueryAwareness(), 0]))).toMatchObject({ ok: false, reason: 'trailing bytes after message' });
  });

  it('never throws on random input', () => {
    let seed = 42;
    const rand = (): number => ((seed = (seed * 16807) % 2147483647), seed / 2147483647);
    for (let i = 0; i < 2000; i++) {
      const bytes = new Uint8Array(Math.floor(rand() * 40)).map(() => Math.floor(rand() * 256));
      expect(() => decodeClientMessage(bytes)).not.toThrow();
    }
  });
});

describe('features and close codes', () => {
  it('parses known features and ignores the rest', () => {
    expect([...parseFeatures('saved,future-thing')]).toEqual(['saved']);
    expect(parseFeatures(null).size).toBe(0);
  });

  it('classifies permanent close codes the way y-websocket does', () => {
    expect(isPermanentCloseCode(CloseCode.documentNotFound)).toBe(true);
    expect(isPermanentCloseCode(CloseCode.serviceRestart)).toBe(false);
    expect(isPermanentCloseCode(1006)).toBe(false);
  });
});
