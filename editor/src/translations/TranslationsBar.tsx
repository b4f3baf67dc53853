import type { ApiClient, DocumentView } from '@rapporteur/client/http';
import { LANGUAGE_NAMES, LANGUAGES, type Language } from '@rapporteur/i18n/languages';
import type { TranslationRef, TranslationsView } from '@rapporteur/protocol';
import { type FormEvent, useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { errorMessage } from '../api/ApiContext';
import { languagesToOffer } from './translations';

/**
 * The document's translation family under its title (SPEC LT1, LT6): an
 * original lists its translations (and its editors make a new one: the
 * languages the family lacks, each named in itself); a translation names its
 * original and the other translations, and switches the side-by-side view.
 * Each link says the language of the title it shows.
 */
export function TranslationsBar({
  api,
  document: doc,
  canTranslate,
  family,
  sideBySide,
  onSideBySide,
  onError,
}: {
  api: ApiClient;
  document: DocumentView;
  /** Editors and owners of an original may make a translation of it. */
  canTranslate: boolean;
  family: TranslationsView | null;
  /** For a translation: whether the original is shown beside it, and how to change that. */
  sideBySide: boolean;
  onSideBySide: (on: boolean) => void;
  onError: (error: unknown) => boolean;
}) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const ids = { label: useId(), select: useId() };
  const isTranslation = doc.translationOf !== null && doc.translationOf !== undefined;
  const taken = [doc.language, ...(family?.source ? [family.source.language] : []), ...(family?.translations ?? []).map((f) => f.language)];
  const offer = languagesToOffer(LANGUAGES, taken);
  const [language, setLanguage] = useState<Language | ''>(offer[0] ?? '');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  useEffect(() => {
    if (language === '' || !offer.includes(language)) setLanguage(offer[0] ?? '');
  }, [offer, language]);

  const create = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    if (language === '') return;
    setBusy(true);
    setFailure(null);
    try {
      const created = await api.createTranslation(doc.id, language);
      void navigate(`/d/${created.id}`);
    } catch (e) {
      if (!onError(e)) setFailure(t('translations.createError', { message: errorMessage(e) }));
    } finally {
      setBusy(false);
    }
  };

  const link = (ref: TranslationRef) => (
    <Link to={`/d/${ref.id}`} lang={ref.language} data-testid="translation-link" data-language={ref.language}>
      {LANGUAGE_NAMES[ref.language]}
    </Link>
  );

  if (isTranslation) {
    return (
      <div className="translations-bar" role="group" aria-labelledby={ids.label} data-testid="translations-bar">
        <span id={ids.label} className="translations-bar__label">
          {t('translations.translationLabel', { language: LANGUAGE_NAMES[doc.language] })}
        </span>
        {family?.source ? (
          <span className="translations-bar__source">
            {t('translations.original')}{' '}
            <Link to={`/d/${family.source.id}`} lang={family.source.language} dir="auto" data-testid="translation-source-link">
              {family.source.title}
            </Link>{' '}
            <span>({LANGUAGE_NAMES[family.source.language]})</span>
          </span>
        ) : (
          family?.sourceHidden && <span className="translations-bar__source">{t('translations.sourceHidden')}</span>
        )}
        {family && family.translations.length > 0 && (
          <span className="translations-bar__others">
            {t('translations.otherLanguages')}{' '}
            {family.translations.map((f, i) => (
              <span key={f.id}>
                {i > 0 && ' · '}
                {link(f)}
              </span>
            ))}
          </span>
        )}
        {family?.source && (
          <button
            type="button"
            className="button button--small"
            aria-pressed={sideBySide}
            onClick={() => onSideBySide(!sideBySide)}
            data-testid="side-by-side-toggle"
          >
            {t('translations.sideBySide')}
          </button>
        )}
      </div>
    );
  }

  const translations = family?.translations ?? [];
  if (translations.length === 0 && !canTranslate) return null;
  return (
    <div className="translations-bar" role="group" aria-labelledby={ids.label} data-testid="translations-bar">
      <span id={ids.label} className="translations-bar__label">
        {t('translations.heading')}
      </span>
      {translations.length === 0 ? (
        <span className="translations-bar__none">{t('translations.none')}</span>
      ) : (
        <span className="translations-bar__list">
          {translations.map((f, i) => (
            <span key={f.id}>
              {i > 0 && ' · '}
              {link(f)}
            </span>
          ))}
        </span>
      )}
      {canTranslate && offer.length > 0 && (
        <form className="translations-bar__create" onSubmit={(e) => void create(e)}>
          <label htmlFor={ids.select}>{t('translations.translateInto')}</label>{' '}
          <select id={ids.select} value={language} onChange={(e) => setLanguage(e.target.value as Language)} data-testid="translate-language">
            {offer.map((l) => (
              <option key={l} value={l} lang={l}>
                {LANGUAGE_NAMES[l]}
              </option>
            ))}
          </select>{' '}
          <button type="submit" className="button button--small" aria-busy={busy} disabled={busy} data-testid="translate-create">
            {busy ? t('translations.creating') : t('translations.create')}
          </button>
        </form>
      )}
      {failure && (
        <p className="notice notice--error" role="alert">
          {failure}
        </p>
      )}
    </div>
  );
}
