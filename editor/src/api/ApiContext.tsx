import { type ApiClient, ApiError, createApiClient } from '@rapporteur/client/http';
import { createContext, type ReactNode, useContext, useState } from 'react';

const ApiContext = createContext<ApiClient | null>(null);

/** Provides the HTTP API client; by default one that talks to the page's own origin. */
export function ApiProvider({ client, children }: { client?: ApiClient; children: ReactNode }) {
  const [value] = useState(() => client ?? createApiClient());
  return <ApiContext.Provider value={value}>{children}</ApiContext.Provider>;
}

export function useApi(): ApiClient {
  const value = useContext(ApiContext);
  if (!value) throw new Error('useApi must be used inside <ApiProvider>');
  return value;
}

/** The message to show for a failed API call (ApiError carries the server's own wording). */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof Error) return error.message;
  return String(error);
}

export function isNotFound(error: unknown): boolean {
  return error instanceof ApiError && error.status === 404;
}
