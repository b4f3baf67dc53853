import type { ApiClient } from '@rapporteur/client/http';
import type { HistoryAuthor, StakeholderGroup } from '@rapporteur/protocol';
import { useCallback, useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../api/ApiContext';
import { stakeholderLabelKeys } from '../stakeholder/stakeholder';
import type { AuthorshipController } from './AuthorshipController';
import { authorText } from './history';

/** Asking the server again for newly seen writers: at most this often. */
const REFRESH_MS = 5_000;

/**
 * The "Who wrote this" toggle: on, it asks the server who stands behind each
 * Yjs client id (`GET …/authors`; this browser's own id is the signed-in
 * person) and tints the live text by author; the author of the passage at
 * the caret is said in a status line, for keyboard and screen-reader users.
 */
export function WhoWroteThis({
  api,
  documentId,
  controller,
  self,
  clientId,
}: {
  api: ApiClient;
  documentId: string;
  controller: AuthorshipController;
  self: HistoryAuthor | null;
  clientId: number | null;
}) {
  const { t } = useTranslation();
  const [state, setState] = useState<'off' | 'loading' | 'on'>('off');
  const [problem, setProblem] = useState<string | null>(null);
  const caret = useSyncExternalStore(controller.subscribe, controller.getCaret);
  const lastLoad = useRef(0);

  const groupName = useCallback((group: StakeholderGroup): string => t(stakeholderLabelKeys(group).name), [t]);
  const who = useCallback((author: HistoryAuthor | null): string => authorText(author, groupName, t('history.unknownAuthor')), [groupName, t]);
  useEffect(() => controller.setLabel((author) => t('history.writtenBy', { author: who(author) })), [controller, t, who]);

  const load = useCallback(async (): Promise<void> => {
    lastLoad.current = Date.now();
    const clients = await api.authors(documentId);
    const authors = new Map(Object.entries(clients).map(([id, author]) => [Number(id), author] as const));
    if (self && clientId !== null && !authors.has(clientId)) authors.set(clientId, self);
    controller.show(authors);
  }, [api, documentId, controller, self, clientId]);

  useEffect(() => {
    if (state !== 'on') return;
    controller.onUnknown(() => {
      if (Date.now() - lastLoad.current >= REFRESH_MS) void load().catch(() => undefined);
    });
    return () => controller.onUnknown(null);
  }, [controller, state, load]);

  // Off when the page goes.
  useEffect(() => () => controller.show(null), [controller]);

  const toggle = (): void => {
    if (state !== 'off') {
      controller.show(null);
      setState('off');
      return;
    }
    setProblem(null);
    setState('loading');
    load().then(
      () => setState('on'),
      (error: unknown) => {
        setState('off');
        setProblem(t('history.authorsError', { message: errorMessage(error) }));
      },
    );
  };

  return (
    <>
      <button type="button" className="button button--small" aria-pressed={state === 'on'} disabled={state === 'loading'} onClick={toggle} data-testid="authorship-toggle">
        {t('history.whoWroteThis')}
      </button>
      {state === 'on' && (
        <p className="authorship-status" role="status" data-testid="authorship-caret">
          {caret === undefined ? t('history.authorshipHint') : t('history.writtenBy', { author: who(caret) })}
        </p>
      )}
      {problem && (
        <p className="field__error" role="alert">
          {problem}
        </p>
      )}
    </>
  );
}
