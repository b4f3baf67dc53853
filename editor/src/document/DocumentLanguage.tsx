import type { DocumentView } from '@rapporteur/client/http';
import { LANGUAGES } from '@rapporteur/i18n/languages';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage, useApi } from '../api/ApiContext';
import { type Language, LANGUAGE_NAMES } from '../i18n';

/**
 * The language the document is written in (SPEC L8), apart from the
 * interface's: editors change it, everyone else reads it. Each language is
 * named in itself.
 */
export function DocumentLanguage({ document, canEdit, onChanged }: { document: DocumentView; canEdit: boolean; onChanged: (summary: DocumentView) => void }) {
  const { t } = useTranslation();
  const api = useApi();
  const id = useId();
  const [status, setStatus] = useState<{ kind: 'idle' } | { kind: 'saved' } | { kind: 'error'; message: string }>({ kind: 'idle' });
  const language = document.language;

  if (!canEdit) {
    return (
      <p className="document-language" data-testid="document-language">
        {t('editor.documentLanguage')}: <span lang={language}>{LANGUAGE_NAMES[language]}</span>
      </p>
    );
  }

  const change = async (next: Language): Promise<void> => {
    setStatus({ kind: 'idle' });
    try {
      onChanged(await api.updateDocument(document.id, { language: next }));
      setStatus({ kind: 'saved' });
    } catch (error) {
      setStatus({ kind: 'error', message: errorMessage(error) });
    }
  };

  return (
    <div className="document-language">
      <label htmlFor={id}>{t('editor.documentLanguage')}</label>{' '}
      <select id={id} value={language} onChange={(e) => void change(e.target.value as Language)} data-testid="document-language">
        {LANGUAGES.map((l) => (
          <option key={l} value={l} lang={l}>
            {LANGUAGE_NAMES[l]}
          </option>
        ))}
      </select>
      <span role="status" className="document-language__status">
        {status.kind === 'saved' && t('editor.documentLanguageSaved', { language: LANGUAGE_NAMES[language] })}
      </span>
      {status.kind === 'error' && (
        <span role="alert" className="notice--error">
          {t('editor.documentLanguageError', { message: status.message })}
        </span>
      )}
    </div>
  );
}
