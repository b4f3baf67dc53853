/**
 * The name and colour a person shows to others in a document, until accounts
 * exist. Kept in the browser's storage; pure functions so tests can drive them.
 */
export interface Identity {
  readonly name: string;
  /** One of `PALETTE`'s colours, as `#rrggbb` (CollaborationCaret accepts only this form). */
  readonly color: string;
}

/**
 * Colours dark enough that white text on them (the caret label) and the
 * colour itself on white (the swatch, the caret) reach WCAG AA contrast
 * (4.5:1). `key` names the colour in the locale files (`identity.colours`).
 */
export const PALETTE = [
  { key: 'crimson', color: '#b3261e' },
  { key: 'rust', color: '#a1430a' },
  { key: 'olive', color: '#5c6b00' },
  { key: 'forest', color: '#1e6b3a' },
  { key: 'teal', color: '#0b6e79' },
  { key: 'blue', color: '#1a5fb4' },
  { key: 'indigo', color: '#3f44a8' },
  { key: 'purple', color: '#6b3fa0' },
  { key: 'plum', color: '#8e2a72' },
  { key: 'slate', color: '#4d5b6a' },
] as const;

export type PaletteKey = (typeof PALETTE)[number]['key'];

export const NAME_MAX_LENGTH = 40;
export const IDENTITY_STORAGE_KEY = 'rapporteur:identity';

export type NameProblem = 'required' | 'tooLong';

/** Trims a display name; returns the problem instead when it cannot be used. */
export function validateName(input: string): { ok: true; name: string } | { ok: false; problem: NameProblem } {
  const name = input.replace(/\s+/g, ' ').trim();
  if (name.length === 0) return { ok: false, problem: 'required' };
  if ([...name].length > NAME_MAX_LENGTH) return { ok: false, problem: 'tooLong' };
  return { ok: true, name };
}

export function isPaletteColor(color: string): boolean {
  return PALETTE.some((p) => p.color === color);
}

/** Words a default name is made from; the locale supplies them so names read naturally. */
export interface NameWords {
  readonly adjectives: readonly string[];
  readonly animals: readonly string[];
  /** Joins the two words in the locale's order. */
  readonly compose: (adjective: string, animal: string) => string;
}

/** A friendly random name and a palette colour. `random` returns numbers in [0, 1). */
export function randomIdentity(words: NameWords, random: () => number = Math.random): Identity {
  const pick = <T>(items: readonly T[], fallback: T): T => items[Math.floor(random() * items.length)] ?? fallback;
  const adjective = pick(words.adjectives, '');
  const animal = pick(words.animals, '');
  const composed = validateName(words.compose(adjective, animal));
  const color = pick(
    PALETTE.map((p) => p.color),
    PALETTE[0].color,
  );
  return { name: composed.ok ? composed.name : 'Participant', color };
}

/** Reads a stored identity; null when there is none or it is not usable. */
export function parseIdentity(raw: string | null): Identity | null {
  if (raw === null) return null;
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const { name, color } = value as Record<string, unknown>;
  if (typeof name !== 'string' || typeof color !== 'string') return null;
  const valid = validateName(name);
  if (!valid.ok || !isPaletteColor(color)) return null;
  return { name: valid.name, color };
}

export type IdentityStorage = Pick<Storage, 'getItem' | 'setItem'>;

/**
 * The stored identity, or a new random one that is stored at once so it stays
 * the same across reloads. Storage errors (private mode, quota) are tolerated:
 * the identity then lasts for this page only.
 */
export function loadIdentity(storage: IdentityStorage | null, words: NameWords, random?: () => number): Identity {
  let stored: Identity | null;
  try {
    stored = parseIdentity(storage?.getItem(IDENTITY_STORAGE_KEY) ?? null);
  } catch {
    stored = null;
  }
  if (stored) return stored;
  const fresh = randomIdentity(words, random);
  saveIdentity(storage, fresh);
  return fresh;
}

export function saveIdentity(storage: IdentityStorage | null, identity: Identity): void {
  try {
    storage?.setItem(IDENTITY_STORAGE_KEY, JSON.stringify({ name: identity.name, color: identity.color }));
  } catch {
    // See loadIdentity.
  }
}

/** WCAG relative luminance contrast ratio of two `#rrggbb` colours. */
export function contrastRatio(a: string, b: string): number {
  const l1 = luminance(a);
  const l2 = luminance(b);
  return (Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05);
}

function luminance(hex: string): number {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!m) throw new RangeError(`Not a #rrggbb colour: ${hex}`);
  const [r, g, b] = [m[1], m[2], m[3]].map((h) => {
    const c = parseInt(h ?? '0', 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}
