import { describe, expect, it } from 'vitest';
import { loadPosition, readingPositionKey, savePosition } from './readingPosition';

function memory(): { getItem(k: string): string | null; setItem(k: string, v: string): void; data: Map<string, string> } {
  const data = new Map<string, string>();
  return { data, getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, v) };
}

describe('reading position storage', () => {
  it('keeps one position per document', () => {
    const storage = memory();
    savePosition(storage, 'doc-a', { blockId: 'p250', offset: 42 });
    savePosition(storage, 'doc-b', { blockId: 'p3', offset: -10 });
    expect(loadPosition(storage, 'doc-a')).toEqual({ blockId: 'p250', offset: 42 });
    expect(loadPosition(storage, 'doc-b')).toEqual({ blockId: 'p3', offset: -10 });
    expect(loadPosition(storage, 'doc-c')).toBeNull();
  });

  it('ignores what is not a position (another version of the app, a hand edit)', () => {
    const storage = memory();
    for (const raw of ['not json', '42', '{"blockId":"","offset":1}', '{"blockId":"p1","offset":"far"}', '{"blockId":"p1"}', 'null']) {
      storage.data.set(readingPositionKey('doc'), raw);
      expect(loadPosition(storage, 'doc'), raw).toBeNull();
    }
  });

  it('survives storage that refuses to store', () => {
    const refusing = { getItem: () => null, setItem: () => { throw new Error('QuotaExceededError'); } };
    expect(() => savePosition(refusing, 'doc', { blockId: 'p1', offset: 0 })).not.toThrow();
  });
});
