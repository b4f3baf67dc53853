import { describe, expect, it } from 'vitest';
import { ReaderTextCache } from './readerTextCache';

const text = (body: string) => ({ mainHtml: `<main>${body}</main>`, blockOptionsHtml: '' });

describe('ReaderTextCache (SPEC N4)', () => {
  it('answers for the seq it was rendered at, per document and language; a newer seq replaces it', () => {
    const cache = new ReaderTextCache();
    const draft = text('draft');
    cache.set('doc', 'en', 7, draft);
    expect(cache.get('doc', 'en', 7)).toBe(draft);
    expect(cache.get('doc', 'en', 8)).toBeNull();
    expect(cache.get('doc', 'fr', 7)).toBeNull();
    expect(cache.get('other', 'en', 7)).toBeNull();
    cache.set('doc', 'en', 8, text('agreed'));
    expect(cache.get('doc', 'en', 7)).toBeNull();
    expect(cache.get('doc', 'en', 8)?.mainHtml).toBe('<main>agreed</main>');
    // One entry per document and language, however many seqs it went through.
    expect(cache.size).toBe(1);
  });

  it('holds at most its byte budget, dropping the least recently read; a text larger than the budget is not kept', () => {
    const body = 'x'.repeat(1000);
    // Each entry counts 2 × (1000 + 13) bytes: room for two in 5,000.
    const cache = new ReaderTextCache(5000);
    cache.set('a', 'en', 1, text(body));
    cache.set('b', 'en', 1, text(body));
    expect(cache.get('a', 'en', 1)).not.toBeNull();
    cache.set('c', 'en', 1, text(body));
    expect(cache.get('b', 'en', 1)).toBeNull();
    expect(cache.get('a', 'en', 1)).not.toBeNull();
    expect(cache.get('c', 'en', 1)).not.toBeNull();
    cache.set('huge', 'en', 1, text('y'.repeat(3000)));
    expect(cache.get('huge', 'en', 1)).toBeNull();
    expect(cache.size).toBe(2);
  });
});
