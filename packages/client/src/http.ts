import type { ApiErrorBody, DocumentSummary, ExportFormat } from '@rapporteur/protocol';

/** An error answered by the API, with the stable code and the message the UI can show. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface ApiClientOptions {
  /** Origin of the server, e.g. `http://127.0.0.1:8080`; '' means the page's own origin. */
  readonly baseUrl?: string;
  readonly fetch?: typeof fetch;
}

/** Typed client for the HTTP API. Every method rejects with `ApiError` on a non-2xx answer. */
export interface ApiClient {
  listDocuments(): Promise<DocumentSummary[]>;
  createDocument(input?: { title?: string }): Promise<DocumentSummary>;
  getDocument(id: string): Promise<DocumentSummary>;
  renameDocument(id: string, title: string): Promise<DocumentSummary>;
  exportDocument(id: string, format: ExportFormat): Promise<string>;
  health(): Promise<boolean>;
}

export function createApiClient(options: ApiClientOptions = {}): ApiClient {
  const base = (options.baseUrl ?? '').replace(/\/$/, '');
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);

  async function request(path: string, init: RequestInit = {}): Promise<Response> {
    let res: Response;
    try {
      res = await doFetch(base + path, {
        ...init,
        headers: { Accept: 'application/json', ...(init.body ? { 'Content-Type': 'application/json' } : {}), ...init.headers },
      });
    } catch (cause) {
      throw new ApiError(0, 'network', cause instanceof Error ? cause.message : 'Network error');
    }
    if (!res.ok) {
      let code = 'http_' + res.status;
      let message = res.statusText || 'Request failed';
      try {
        const body = (await res.json()) as Partial<ApiErrorBody>;
        if (body.error) ({ code, message } = body.error);
      } catch {
        // Not JSON (a proxy's error page, say): keep the status text.
      }
      throw new ApiError(res.status, code, message);
    }
    return res;
  }
  const json = async <T>(path: string, init?: RequestInit): Promise<T> => (await request(path, init)).json() as Promise<T>;
  const enc = encodeURIComponent;

  return {
    listDocuments: async () => (await json<{ documents: DocumentSummary[] }>('/api/documents')).documents,
    createDocument: (input = {}) => json('/api/documents', { method: 'POST', body: JSON.stringify(input) }),
    getDocument: (id) => json(`/api/documents/${enc(id)}`),
    renameDocument: (id, title) => json(`/api/documents/${enc(id)}`, { method: 'PATCH', body: JSON.stringify({ title }) }),
    exportDocument: async (id, format) => (await request(`/api/documents/${enc(id)}/export?format=${format}`)).text(),
    health: async () => {
      try {
        return (await doFetch(base + '/healthz')).ok;
      } catch {
        return false;
      }
    },
  };
}
