import { describe, expect, it } from 'vitest';
import {
  contrastRatio,
  IDENTITY_STORAGE_KEY,
  type IdentityStorage,
  loadIdentity,
  NAME_MAX_LENGTH,
  PALETTE,
  parseIdentity,
  randomIdentity,
  saveIdentity,
  validateName,
} from './identity';

const words = {
  adjectives: ['Calm', 'Curious'],
  animals: ['Heron', 'Otter'],
  compose: (a: string, b: string) => `${a} ${b}`,
};

function memoryStorage(initial: Record<string, string> = {}): IdentityStorage & { data: Map<string, string> } {
  const data = new Map(Object.entries(initial));
  return { data, getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, v) };
}

/** Yields the given numbers in turn, so a test picks words by index. */
function sequence(...values: number[]): () => number {
  let i = 0;
  return () => values[i++ % values.length] ?? 0;
}

describe('palette', () => {
  it('gives white caret labels and swatches on white at least WCAG AA contrast', () => {
    for (const { key, color } of PALETTE) {
      expect(contrastRatio(color, '#ffffff'), key).toBeGreaterThanOrEqual(4.5);
    }
  });

  it('has distinct colours in #rrggbb form (CollaborationCaret ignores other forms)', () => {
    const colors = PALETTE.map((p) => p.color);
    expect(new Set(colors).size).toBe(colors.length);
    for (const c of colors) expect(c).toMatch(/^#[0-9a-f]{6}$/);
  });
});

describe('validateName', () => {
  it('trims and collapses whitespace', () => {
    expect(validateName('  Amina \t Diallo ')).toEqual({ ok: true, name: 'Amina Diallo' });
  });

  it('refuses an empty name', () => {
    expect(validateName('   ')).toEqual({ ok: false, problem: 'required' });
  });

  it('counts characters, not UTF-16 units', () => {
    expect(validateName('😀'.repeat(NAME_MAX_LENGTH)).ok).toBe(true);
    expect(validateName('a'.repeat(NAME_MAX_LENGTH + 1))).toEqual({ ok: false, problem: 'tooLong' });
  });

  it('accepts names in any script', () => {
    expect(validateName('فاطمة الزهراء')).toEqual({ ok: true, name: 'فاطمة الزهراء' });
  });
});

describe('randomIdentity', () => {
  it('composes a name from the locale words and picks a palette colour', () => {
    const identity = randomIdentity(words, sequence(0.99, 0, 0.5));
    expect(identity.name).toBe('Curious Heron');
    expect(identity.color).toBe(PALETTE[5].color);
  });
});

describe('parseIdentity', () => {
  it('reads a stored identity', () => {
    expect(parseIdentity(JSON.stringify({ name: 'Ana', color: PALETTE[0].color }))).toEqual({ name: 'Ana', color: PALETTE[0].color });
  });

  it.each([
    ['nothing stored', null],
    ['not JSON', '{'],
    ['not an object', '"Ana"'],
    ['no name', JSON.stringify({ color: PALETTE[0].color })],
    ['empty name', JSON.stringify({ name: ' ', color: PALETTE[0].color })],
    ['colour outside the palette', JSON.stringify({ name: 'Ana', color: '#ffff00' })],
    ['a CSS injection as colour', JSON.stringify({ name: 'Ana', color: 'red; background: url(x)' })],
  ])('returns null for %s', (_, raw) => {
    expect(parseIdentity(raw)).toBeNull();
  });
});

describe('loadIdentity', () => {
  it('returns the stored identity', () => {
    const storage = memoryStorage({ [IDENTITY_STORAGE_KEY]: JSON.stringify({ name: 'Ana', color: PALETTE[2].color }) });
    expect(loadIdentity(storage, words)).toEqual({ name: 'Ana', color: PALETTE[2].color });
  });

  it('creates, stores and then keeps a default identity', () => {
    const storage = memoryStorage();
    const first = loadIdentity(storage, words, sequence(0, 0.99, 0));
    expect(first).toEqual({ name: 'Calm Otter', color: PALETTE[0].color });
    expect(storage.data.has(IDENTITY_STORAGE_KEY)).toBe(true);
    expect(loadIdentity(storage, words, sequence(0.99))).toEqual(first);
  });

  it('replaces a corrupt stored identity', () => {
    const storage = memoryStorage({ [IDENTITY_STORAGE_KEY]: 'garbage' });
    expect(loadIdentity(storage, words, sequence(0)).name).toBe('Calm Heron');
  });

  it('works when storage throws (private browsing, quota)', () => {
    const broken: IdentityStorage = {
      getItem: () => {
        throw new Error('SecurityError');
      },
      setItem: () => {
        throw new Error('QuotaExceededError');
      },
    };
    expect(loadIdentity(broken, words, sequence(0)).name).toBe('Calm Heron');
    expect(loadIdentity(null, words, sequence(0)).name).toBe('Calm Heron');
  });

  it('round-trips through saveIdentity', () => {
    const storage = memoryStorage();
    saveIdentity(storage, { name: 'Li Wei', color: PALETTE[3].color });
    expect(loadIdentity(storage, words)).toEqual({ name: 'Li Wei', color: PALETTE[3].color });
  });
});
