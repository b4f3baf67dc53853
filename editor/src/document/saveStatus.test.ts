import type { SaveState, SyncStatus } from '@rapporteur/client/connect';
import { describe, expect, it } from 'vitest';
import { createI18n } from '../i18n';
import { holdSaved, SAVED_HOLD_MS, saveStatusLabel } from './saveStatus';

const t = createI18n({ lng: 'en' }).t;

const base: SyncStatus = { connection: 'connected', synced: true, pendingChanges: 0, refusal: null, localLoaded: true };
const label = (patch: Partial<SyncStatus>) => saveStatusLabel(t, { ...base, ...patch });

describe('saveStatusLabel', () => {
  it('says Saved when everything is stored', () => {
    expect(label({})).toEqual({ state: 'saved', label: 'Saved' });
  });

  it('says Saving… while changes are unconfirmed', () => {
    expect(label({ pendingChanges: 2 })).toEqual({ state: 'saving', label: 'Saving…' });
  });

  it('says Connecting… before the first sync', () => {
    expect(label({ connection: 'connecting', synced: false })).toEqual({ state: 'connecting', label: 'Connecting…' });
  });

  it('counts waiting changes when offline, with plurals', () => {
    expect(label({ connection: 'disconnected', synced: false, pendingChanges: 1 })).toEqual({
      state: 'offline',
      label: 'Offline — 1 change waiting',
    });
    expect(label({ connection: 'disconnected', synced: false, pendingChanges: 3 }).label).toBe('Offline — 3 changes waiting');
    expect(label({ connection: 'disconnected', synced: false, pendingChanges: 0 }).label).toBe('Offline');
  });

  it('gives the reason of a refusal', () => {
    expect(label({ connection: 'refused', synced: false, refusal: { code: 4404, reason: 'Document not found' } })).toEqual({
      state: 'refused',
      label: 'Connection refused: Document not found',
    });
  });

  it('says why nothing is saved when access was removed or the document is full', () => {
    expect(label({ connection: 'refused', synced: false, refusal: { code: 4403, reason: 'forbidden' } }).label).toBe('Not saved — no access');
    expect(label({ connection: 'refused', synced: false, refusal: { code: 4414, reason: 'documentTooLarge' } }).label).toBe(
      'Not saved — size limit reached',
    );
  });
});

describe('holdSaved: "Saved" once typing pauses', () => {
  /** Timers on a clock the test moves. */
  function manualTimers() {
    let now = 0;
    let next = 1;
    const due = new Map<number, { at: number; callback: () => void }>();
    return {
      timers: {
        set: (callback: () => void, ms: number) => {
          due.set(next, { at: now + ms, callback });
          return next++;
        },
        clear: (handle: number) => void due.delete(handle),
      },
      advance(ms: number) {
        now += ms;
        for (const [handle, timer] of [...due].sort((a, b) => a[1].at - b[1].at)) {
          if (timer.at > now) continue;
          due.delete(handle);
          timer.callback();
        }
      },
      pending: () => due.size,
    };
  }
  type Shown = { readonly state: SaveState; readonly label: string };
  const saving = { state: 'saving' as const, label: 'Saving…' };
  const saved = { state: 'saved' as const, label: 'Saved' };
  const offline = { state: 'offline' as const, label: 'Offline' };

  it('shows "Saving…" through a burst of keystrokes stored one by one, and "Saved" a moment after the last', () => {
    const clock = manualTimers();
    const shown: string[] = [];
    const held = holdSaved<Shown>((l) => shown.push(l.label), clock.timers, SAVED_HOLD_MS);
    held.update(saved);
    expect(shown).toEqual(['Saved']); // nothing typed yet: said at once
    for (let key = 0; key < 20; key++) {
      held.update(saving);
      clock.advance(5);
      held.update(saved); // stored within milliseconds
      clock.advance(55);
    }
    expect(shown).toEqual(['Saved', ...Array<string>(20).fill('Saving…')]); // never "Saved" in between
    clock.advance(SAVED_HOLD_MS);
    expect(shown.at(-1)).toBe('Saved');
    expect(shown.filter((l) => l === 'Saved')).toHaveLength(2);
    expect(clock.pending()).toBe(0);
  });

  it('shows every other move at once, and forgets a held "Saved" that something else replaced', () => {
    const clock = manualTimers();
    const shown: string[] = [];
    const held = holdSaved<Shown>((l) => shown.push(l.label), clock.timers, SAVED_HOLD_MS);
    held.update(saving);
    held.update(saved);
    held.update(offline); // the link dropped while "Saved" was held
    expect(shown).toEqual(['Saving…', 'Offline']);
    clock.advance(SAVED_HOLD_MS * 2);
    expect(shown).toEqual(['Saving…', 'Offline']);
    held.update(saved); // back, everything stored: not "Saving…" before it, so at once
    expect(shown).toEqual(['Saving…', 'Offline', 'Saved']);
    held.update(saving);
    held.update(saved);
    held.dispose(); // the page closed
    clock.advance(SAVED_HOLD_MS);
    expect(shown).toEqual(['Saving…', 'Offline', 'Saved', 'Saving…']);
  });
});
