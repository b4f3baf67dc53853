/** Why the server should not be sent traffic now (SPEC O3). */
export type NotReadyReason = 'starting' | 'shutting_down' | 'storage_failing' | 'database_unreachable';

export type ReadinessReport =
  | { readonly ready: true }
  | { readonly ready: false; readonly reason: NotReadyReason; readonly message: string };

/** Reasons for which writes are refused with 503 `storage_unavailable`. */
export function isStorageReason(reason: NotReadyReason): boolean {
  return reason === 'storage_failing' || reason === 'database_unreachable';
}
