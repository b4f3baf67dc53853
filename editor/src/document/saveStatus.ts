import { describeSaveState, type SaveState, type SyncStatus } from '@rapporteur/client/connect';
import type { TFunction } from 'i18next';
import { refusalKind } from './refusal';

/** The save state (also the `data-state` test hook) and the sentence the status line shows. */
export function saveStatusLabel(t: TFunction, status: SyncStatus): { state: SaveState; label: string } {
  const state = describeSaveState(status);
  switch (state) {
    case 'saved':
      return { state, label: t('status.saved') };
    case 'saving':
      return { state, label: t('status.saving') };
    case 'connecting':
      return { state, label: t('status.connecting') };
    case 'offline':
      return {
        state,
        label: status.pendingChanges > 0 ? t('status.offline', { count: status.pendingChanges }) : t('status.offlineIdle'),
      };
    case 'refused':
      switch (status.refusal ? refusalKind(status.refusal.code) : 'other') {
        case 'accessRemoved':
          return { state, label: t('status.refusedAccess') };
        case 'tooLarge':
          return { state, label: t('status.refusedTooLarge') };
        default:
          return { state, label: t('status.refused', { reason: status.refusal?.reason ?? '' }) };
      }
  }
}

/**
 * How long "Saving…" stays after the last change was stored before the line says "Saved" (ms).
 *
 * Each keystroke is stored within milliseconds, so the line would flip to "Saving…" and back on every key: a screen
 * reader announced both each time (the line is a polite live region), and in a 100-page paper the flip back cost the
 * browser a frame of its own per key — layout and the off-screen blocks' visibility checks, about 5 ms (issue 14,
 * `pnpm bench:typing`). Held, a burst of typing reads "Saving…" once and "Saved" once it pauses; a slow link still
 * shows "Saving…" for as long as changes wait.
 */
export const SAVED_HOLD_MS = 800;

/** Timers as the line needs them (the window's, or a test's). */
export interface HoldTimers {
  set(callback: () => void, ms: number): number;
  clear(handle: number): void;
}

/**
 * Feeds `render` the labels to show as the save state changes (`update`), holding "Saving…" for `holdMs` after the
 * state turns "saved" — any change in that time keeps it; every other move is shown at once.
 */
export function holdSaved<L extends { readonly state: SaveState }>(
  render: (label: L) => void,
  timers: HoldTimers,
  holdMs = SAVED_HOLD_MS,
): { update(next: L): void; dispose(): void } {
  let shown: SaveState | null = null;
  let waiting: { handle: number; label: L } | null = null;
  const show = (label: L): void => {
    shown = label.state;
    render(label);
  };
  const cancel = (): void => {
    if (waiting) timers.clear(waiting.handle);
    waiting = null;
  };
  return {
    update(next) {
      if (next.state === 'saved' && shown === 'saving') {
        if (waiting) waiting.label = next;
        else {
          const entry: { handle: number; label: L } = { handle: 0, label: next };
          entry.handle = timers.set(() => {
            waiting = null;
            show(entry.label);
          }, holdMs);
          waiting = entry;
        }
        return;
      }
      cancel();
      show(next);
    },
    dispose: cancel,
  };
}
