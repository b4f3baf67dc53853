import type { SyncStatus } from '@rapporteur/client/connect';
import { describe, expect, it } from 'vitest';
import { createI18n } from '../i18n';
import { saveStatusLabel } from './saveStatus';

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
