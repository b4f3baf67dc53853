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
