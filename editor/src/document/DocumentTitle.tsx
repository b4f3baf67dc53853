import type { DocumentView } from '@rapporteur/client/http';
import { type KeyboardEvent, useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage, useApi } from '../api/ApiContext';

/**
 * The document's title as a one-line field that wraps (a textarea sized to
 * its content, so a long title stays whole on a phone): renamed through the API on blur or
 * Enter, Escape puts back the saved title. Errors are announced and the
 * typed title is kept so it can be corrected. `readOnly` (commenters and
 * viewers) shows the title without letting it change.
 */
export function DocumentTitle({
  summary,
  onRenamed,
  readOnly = false,
}: {
  summary: DocumentView;
  onRenamed: (summary: DocumentView) => void;
  readOnly?: boolean;
}) {
  const { t } = useTranslation();
  const api = useApi();
  const [draft, setDraft] = useState(summary.title);
  const [error, setError] = useState<string | null>(null);
  const saving = useRef(false);
  const errorId = useId();

  // Adopt a title that changed elsewhere, unless the person is typing one.
  const lastSaved = useRef(summary.title);
  useEffect(() => {
    setDraft((current) => (current === lastSaved.current ? summary.title : current));
    lastSaved.current = summary.title;
  }, [summary.title]);

  const commit = async (): Promise<void> => {
    const title = draft.trim();
    if (readOnly || title === summary.title || saving.current) return;
    if (title === '') {
      setError(t('editor.emptyTitle'));
      return;
    }
    saving.current = true;
    try {
      const renamed = await api.renameDocument(summary.id, title);
      setError(null);
      setDraft(renamed.title);
      lastSaved.current = renamed.title;
      onRenamed(renamed);
    } catch (e) {
      setError(t('editor.renameError', { message: errorMessage(e) }));
    } finally {
      saving.current = false;
    }
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>): void => {
    if (event.key === 'Enter') {
      event.preventDefault();
      void commit();
    } else if (event.key === 'Escape') {
      setDraft(summary.title);
      setError(null);
    }
  };

  return (
    <div className="document-title">
      <textarea
        className="document-title__input"
        data-testid="document-title"
        rows={1}
        aria-multiline="false"
        value={draft}
        maxLength={200}
        readOnly={readOnly}
        aria-label={t('editor.titleLabel')}
        aria-invalid={error !== null}
        aria-describedby={error ? errorId : undefined}
        // A title is one line: a pasted line break becomes a space.
        onChange={(e) => setDraft(e.target.value.replace(/[\r\n]+/g, ' '))}
        onBlur={() => void commit()}
        onKeyDown={onKeyDown}
      />
      {error && (
        <p id={errorId} className="field__error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
