import { describe, expect, it } from 'vitest';
import { ActivityDigest, isEmptySummary } from './activity';

const options = { windowMs: 5_000, quietAfterTypingMs: 3_000 };

describe('ActivityDigest', () => {
  it('gathers what happens over a window into one summary, each name once', () => {
    const digest = new ActivityDigest(options);
    digest.add({ kind: 'edit', who: 'Amina Diallo' }, 1_000);
    digest.add({ kind: 'edit', who: 'Amina Diallo' }, 1_100);
    digest.add({ kind: 'joined', who: 'Bruno' }, 2_000);
    digest.add({ kind: 'comment', who: 'Carla' }, 3_000);
    digest.add({ kind: 'comment', who: 'Carla' }, 3_500);
    digest.add({ kind: 'edit', who: 'Bruno' }, 4_000);
    expect(digest.take(5_999)).toBeNull();
    expect(digest.take(6_000)).toEqual({
      editors: ['Amina Diallo', 'Bruno'],
      someoneEdited: false,
      joined: ['Bruno'],
      left: [],
      comments: [{ who: 'Carla', count: 2 }],
    });
    // Said once: nothing more until something new happens.
    expect(digest.take(20_000)).toBeNull();
  });

  it('stays quiet while the person types, and speaks once they pause', () => {
    const digest = new ActivityDigest(options);
    digest.add({ kind: 'edit', who: 'Amina Diallo' }, 0);
    digest.typed(4_000);
    expect(digest.due(5_000)).toBe(false);
    expect(digest.due(6_999)).toBe(false);
    digest.typed(6_500);
    expect(digest.due(9_000)).toBe(false);
    expect(digest.take(9_500)?.editors).toEqual(['Amina Diallo']);
  });

  it('says nothing of someone who joined and left within one window, and names unknown editors only when nobody is named', () => {
    const digest = new ActivityDigest(options);
    digest.add({ kind: 'joined', who: 'Bruno' }, 0);
    digest.add({ kind: 'left', who: 'Bruno' }, 1_000);
    digest.add({ kind: 'edit', who: null }, 1_000);
    const first = digest.take(5_000)!;
    expect(first).toMatchObject({ joined: [], left: [], editors: [], someoneEdited: true });
    digest.add({ kind: 'edit', who: null }, 6_000);
    digest.add({ kind: 'edit', who: 'Carla' }, 6_000);
    expect(digest.take(11_000)).toMatchObject({ editors: ['Carla'], someoneEdited: false });
    digest.add({ kind: 'joined', who: 'Bruno' }, 12_000);
    digest.add({ kind: 'left', who: 'Bruno' }, 12_500);
    expect(isEmptySummary(digest.take(17_000)!)).toBe(true);
  });
});
