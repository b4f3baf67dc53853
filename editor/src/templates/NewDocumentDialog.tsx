import type { DocumentView, NewDocumentInput } from '@rapporteur/client/http';
import { DOCUMENT_TYPES, type DocumentType, type TemplateSummary } from '@rapporteur/protocol';
import { type FormEvent, useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useModalDialog } from '../a11y/useModalDialog';
import { errorMessage, useApi } from '../api/ApiContext';

type Templates = { kind: 'loading' } | { kind: 'loaded'; templates: readonly TemplateSummary[] } | { kind: 'error'; message: string };

/**
 * "New document": a modal dialog offering each document type by name and
 * one-line description (radio buttons: arrow keys move between types), the
 * template when a type has more than its standard one, and an optional
 * title. Creating asks the server to fill the body from the template
 * (`POST /api/documents {type, templateId?, title}`).
 */
export function NewDocumentDialog({
  onCreated,
  onClose,
  onError,
}: {
  onCreated: (doc: DocumentView) => void;
  onClose: () => void;
  /** Returns true when it dealt with the error itself (a session that ended). */
  onError: (error: unknown) => boolean;
}) {
  const { t } = useTranslation();
  const api = useApi();
  const modal = useModalDialog(() => {
    if (!creating) onClose();
  });
  const ids = { title: useId(), intro: useId(), template: useId(), name: useId(), nameHint: useId(), error: useId() };
  const [type, setType] = useState<DocumentType>('session-report');
  const [templateId, setTemplateId] = useState<string>('session-report');
  const [title, setTitle] = useState('');
  const [templates, setTemplates] = useState<Templates>({ kind: 'loading' });
  const [creating, setCreating] = useState(false);
  const [error, setError] = useState<string | null>(null);


  useEffect(() => {
    let cancelled = false;
    api.listTemplates().then(
      (list) => !cancelled && setTemplates({ kind: 'loaded', templates: list }),
      (e: unknown) => !cancelled && !onError(e) && setTemplates({ kind: 'error', message: errorMessage(e) }),
    );
    return () => {
      cancelled = true;
    };
  }, [api, onError]);

  // The templates of the chosen type, its standard one (id = type) first.
  const ofType = templates.kind === 'loaded' ? templates.templates.filter((x) => x.type === type).sort((a, b) => (a.id === type ? -1 : b.id === type ? 1 : a.name.localeCompare(b.name))) : [];
  // A document left untitled is called after its type ("Session report"); a blank one "Untitled document".
  const fallbackTitle = type === 'blank' ? t('documents.defaultTitle') : t(`templates.type.${type}.name`);

  const choose = (next: DocumentType): void => {
    setType(next);
    setTemplateId(next);
  };

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    if (creating) return;
    setCreating(true);
    setError(null);
    const input: NewDocumentInput = {
      title: title.trim() === '' ? fallbackTitle : title.trim(),
      type,
      // Only another template than the type's standard one needs naming.
      ...(templateId !== type && ofType.some((x) => x.id === templateId) ? { templateId } : {}),
    };
    try {
      onCreated(await api.createDocument(input));
    } catch (e) {
      setCreating(false);
      if (!onError(e)) setError(errorMessage(e));
    }
  };

  return (
    <dialog
      {...modal}
      className="dialog new-document-dialog"
      aria-labelledby={ids.title}
      aria-describedby={ids.intro}
      data-testid="new-document-dialog"
    >
      <form onSubmit={(e) => void submit(e)} noValidate aria-busy={creating}>
        <h2 id={ids.title} className="dialog__title">
          {t('templates.newDialog.title')}
        </h2>
        <p id={ids.intro} className="dialog__intro">
          {t('templates.newDialog.intro')}
        </p>
        <fieldset className="new-document-dialog__types">
          <legend>{t('templates.newDialog.typeLegend')}</legend>
          {DOCUMENT_TYPES.map((value) => {
            const id = `${ids.title}-${value}`;
            return (
              <div key={value} className="new-document-dialog__type">
                <input
                  type="radio"
                  id={id}
                  name="document-type"
                  value={value}
                  checked={type === value}
                  onChange={() => choose(value)}
                  aria-describedby={`${id}-description`}
                  data-testid={`new-document-type-${value}`}
                  // The chosen type takes the focus when the dialog opens.
                  autoFocus={value === type}
                />
                <label htmlFor={id}>
                  <span className="new-document-dialog__type-name">{t(`templates.type.${value}.name`)}</span>
                  <span id={`${id}-description`} className="new-document-dialog__type-description">
                    {t(`templates.type.${value}.description`)}
                  </span>
                </label>
              </div>
            );
          })}
        </fieldset>
        {templates.kind === 'loading' && (
          <p className="field__hint" role="status">
            {t('templates.newDialog.templatesLoading')}
          </p>
        )}
        {templates.kind === 'error' && (
          <p className="notice" role="status">
            {t('templates.newDialog.templatesError', { message: templates.message })}
          </p>
        )}
        {ofType.length > 1 && (
          <div className="field">
            <label htmlFor={ids.template}>{t('templates.newDialog.templateLabel')}</label>
            <select id={ids.template} value={templateId} onChange={(e) => setTemplateId(e.target.value)} data-testid="new-document-template">
              {ofType.map((x) => (
                <option key={x.id} value={x.id}>
                  {t('templates.newDialog.templateOption', { name: x.name, version: x.version })}
                </option>
              ))}
            </select>
          </div>
        )}
        <div className="field">
          <label htmlFor={ids.name}>{t('templates.newDialog.titleLabel')}</label>
          <input
            id={ids.name}
            type="text"
            value={title}
            maxLength={200}
            onChange={(e) => setTitle(e.target.value)}
            aria-describedby={ids.nameHint}
            data-testid="new-document-title"
          />
          <p id={ids.nameHint} className="field__hint">
            {t('templates.newDialog.titleHint', { fallback: fallbackTitle })}
          </p>
        </div>
        {error && (
          <p id={ids.error} className="notice notice--error" role="alert">
            {t('documents.createError', { message: error })}
          </p>
        )}
        <div className="dialog__actions">
          <button type="button" className="button" onClick={onClose} disabled={creating}>
            {t('templates.newDialog.cancel')}
          </button>
          <button type="submit" className="button button--primary" disabled={creating} data-testid="new-document-create">
            {creating ? t('templates.newDialog.creating') : t('templates.newDialog.create')}
          </button>
        </div>
      </form>
    </dialog>
  );
}
