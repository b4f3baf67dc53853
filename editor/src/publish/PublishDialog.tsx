import type { DocumentView } from '@rapporteur/client/http';
import type { PublicationView } from '@rapporteur/protocol';
import { type FormEvent, useCallback, useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useModalDialog } from '../a11y/useModalDialog';
import { errorMessage, useApi } from '../api/ApiContext';
import { formatDate } from '../formatDate';
import { useAuthGate } from '../session/useAuthGate';

/**
 * Publishing (SPEC P1–P6): the audience, the disposition table, whether it
 * corrects an earlier publication, a note; progress while every format is
 * rendered; then the new publication's address. Below, every publication
 * with its address and state, and withdrawal with a reason.
 */
export function PublishDialog({ document: doc, onClose, onPublished }: { document: DocumentView; onClose: () => void; onPublished?: () => void }) {
  const { t, i18n } = useTranslation();
  const api = useApi();
  const gate = useAuthGate();
  const modal = useModalDialog(() => onClose());
  const ids = { title: useId(), intro: useId(), note: useId(), corrects: useId() };
  const [publications, setPublications] = useState<PublicationView[] | null>(null);
  const [isPublic, setPublic] = useState(doc.visibility === 'public');
  const [dispositions, setDispositions] = useState(false);
  const [corrects, setCorrects] = useState('');
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<PublicationView | null>(null);


  const load = useCallback(() => {
    api.listPublications(doc.id).then(setPublications, (e: unknown) => !gate(e) && setError(t('publish.error', { message: errorMessage(e) })));
  }, [api, doc.id, gate, t]);
  useEffect(load, [load]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(null);
    setDone(null);
    api
      .publish(doc.id, {
        public: isPublic,
        includeDispositions: dispositions,
        ...(note.trim() ? { note: note.trim() } : {}),
        ...(corrects ? { corrects: Number(corrects) } : {}),
      })
      .then(
        (publication) => {
          setDone(publication);
          setNote('');
          setCorrects('');
          load();
          onPublished?.();
        },
        (e: unknown) => !gate(e) && setError(t('publish.error', { message: errorMessage(e) })),
      )
      .finally(() => setBusy(false));
  };

  return (
    <dialog
      {...modal}
      className="dialog dialog--wide"
      aria-labelledby={ids.title}
      aria-describedby={ids.intro}
      data-testid="publish-dialog"
    >
      <div className="dialog__header">
        <h2 id={ids.title} className="dialog__title">
          {t('publish.title', { title: doc.title })}
        </h2>
        <button type="button" className="button button--small" onClick={onClose} data-testid="publish-close">
          {t('publish.close')}
        </button>
      </div>
      <p id={ids.intro} className="dialog__intro">
        {t('publish.intro')}
      </p>
      <form onSubmit={submit} aria-busy={busy}>
        <fieldset className="field">
          <legend>{t('publish.audience')}</legend>
          <label>
            <input type="radio" name="audience" checked={isPublic} onChange={() => setPublic(true)} data-testid="publish-public" /> {t('publish.public')}
          </label>
          <label>
            <input type="radio" name="audience" checked={!isPublic} onChange={() => setPublic(false)} data-testid="publish-members" /> {t('publish.membersOnly')}
          </label>
        </fieldset>
        <label className="field">
          <span>
            <input type="checkbox" checked={dispositions} onChange={(e) => setDispositions(e.target.checked)} /> {t('publish.includeDispositions')}
          </span>
        </label>
        <div className="field">
          <label htmlFor={ids.corrects}>{t('publish.corrects')}</label>
          <select id={ids.corrects} value={corrects} onChange={(e) => setCorrects(e.target.value)} data-testid="publish-corrects">
            <option value="">{t('publish.correctsNone')}</option>
            {(publications ?? []).map((p) => (
              <option key={p.number} value={String(p.number)}>
                {t('publish.item', { number: p.number, date: formatDate(i18n.language, p.publishedAt) })}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={ids.note}>{t('publish.noteLabel')}</label>
          <textarea id={ids.note} value={note} maxLength={2000} rows={2} onChange={(e) => setNote(e.target.value)} data-testid="publish-note" />
        </div>
        <button type="submit" className="button" disabled={busy} data-testid="publish-submit">
          {t('publish.submit')}
        </button>
        <p role="status" className="dialog__status" data-testid="publish-status">
          {busy ? t('publish.publishing') : done ? t('publish.published', { number: done.number }) : ''}
        </p>
        {done && (
          <p>
            <a href={done.url} target="_blank" rel="noopener" data-testid="publish-link">
              {t('publish.open', { number: done.number })}
            </a>
          </p>
        )}
        {error && (
          <p className="field__error" role="alert">
            {error}
          </p>
        )}
      </form>
      <PublicationList documentId={doc.id} publications={publications} onChanged={load} />
    </dialog>
  );
}

function PublicationList({ documentId, publications, onChanged }: { documentId: string; publications: PublicationView[] | null; onChanged: () => void }) {
  const { t, i18n } = useTranslation();
  if (publications === null) return null;
  return (
    <section aria-labelledby={`${documentId}-publications`}>
      <h3 id={`${documentId}-publications`}>{t('publish.listHeading')}</h3>
      {publications.length === 0 ? (
        <p>{t('publish.empty')}</p>
      ) : (
        <ul className="publication-list" data-testid="publication-list">
          {publications.map((p) => (
            <li key={p.number}>
              <a href={p.url} target="_blank" rel="noopener">
                {t('publish.item', { number: p.number, date: formatDate(i18n.language, p.publishedAt) })}
              </a>{' '}
              ({p.public ? t('publish.itemPublic') : t('publish.itemMembers')}
              {p.corrects !== null ? `; ${t('publish.itemCorrects', { number: p.corrects })}` : ''}
              {p.withdrawn ? `; ${t('publish.itemWithdrawn', { reason: p.withdrawn.reason })}` : ''})
              {!p.withdrawn && <Withdraw documentId={documentId} number={p.number} onDone={onChanged} />}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function Withdraw({ documentId, number, onDone }: { documentId: string; number: number; onDone: () => void }) {
  const { t } = useTranslation();
  const api = useApi();
  const gate = useAuthGate();
  const id = useId();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  if (!open) {
    return (
      <button type="button" className="button button--small" aria-label={t('publish.withdrawLabel', { number })} onClick={() => setOpen(true)}>
        {t('publish.withdraw')}
      </button>
    );
  }
  return (
    <form
      className="inline-form"
      onSubmit={(e) => {
        e.preventDefault();
        if (!reason.trim()) return;
        api.withdrawPublication(documentId, number, reason.trim()).then(
          () => {
            setOpen(false);
            onDone();
          },
          (err: unknown) => !gate(err) && setError(t('publish.withdrawError', { message: errorMessage(err) })),
        );
      }}
    >
      <label htmlFor={id}>{t('publish.reasonLabel', { number })}</label>
      <input id={id} value={reason} required maxLength={500} onChange={(e) => setReason(e.target.value)} />
      <button type="submit" className="button button--small">
        {t('publish.confirmWithdraw')}
      </button>
      <button type="button" className="button button--small" onClick={() => setOpen(false)}>
        {t('publish.cancel')}
      </button>
      {error && (
        <p className="field__error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}
