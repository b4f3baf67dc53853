import { describe, expect, it } from 'vitest';

import { markerKind } from './wordLists';

// Word writes list numbers out ("3.", "b)", "iv.", "·"); the rest of the
// foreign-HTML transform is tested on the paste fixtures in
// server/src/imports/foreignHtml.test.ts (linkedom) and tests/e2e/paste.test.ts (Chromium).

describe('Word list markers', () => {
  it.each([
    ['1.', { ordered: true, type: null, start: 1 }],
    ['12)', { ordered: true, type: null, start: 12 }],
    ['b.', { ordered: true, type: 'a', start: 2 }],
    ['C)', { ordered: true, type: 'A', start: 3 }],
    ['iv.', { ordered: true, type: 'i', start: 4 }],
    ['IX.', { ordered: true, type: 'I', start: 9 }],
    ['·', { ordered: false, type: null, start: 1 }],
    ['o', { ordered: false, type: null, start: 1 }],
    ['§', { ordered: false, type: null, start: 1 }],
  ] as const)('%s', (marker, kind) => {
    expect(markerKind(marker)).toEqual(kind);
  });
});
