import type { DocumentView } from '@rapporteur/client/http';
import type { ImportNotice } from '@rapporteur/protocol';
import { type FormEvent, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { useModalDialog } from '../a11y/useModalDialog';

/** The largest file the server takes (server/SPEC.md IM7). */
const MAX_MB = 20;
const ACCEPT = '.docx,.odt,.md,.markdown,.html,.htm,application/vnd.openxmlformats-officedocument.wordprocessingml.document,application/vnd.oasis.opendocument.text,text/markdown,text/html';

/** What the editor page shows once the new document opens: what the import could not keep. */
export interface ImportedState {
  readonly importedFile: string;
  readonly importNotices: readonly ImportNotice[];
}

type Phase = { kind: 'idle' } | { kind: 'uploading'; percent: number } | { kind: 'converting' } | { kind: 'error'; message: string };

interface ImportAnswer {
  readonly id?: string;
  readonly document?: DocumentView;
  readonly notices?: ImportNotice[];
  readonly error?: { readonly message?: string };
}

/**
 * "Import a file" (issue 14, SPEC IM7): a DOCX, ODT, Markdown or HTML file
 * becomes a new document of one's own. The upload's progress is shown as a
 * progress bar, then "Converting…" while the server reads it (both in a live
 * region); a refusal is said with the server's reason and the file stays
 * chosen, to try again. Loaded on first use.
 */
export function ImportFileDialog({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const ids = { title: useId(), intro: useId(), file: useId(), name: useId(), nameHint: useId() };
  const [phase, setPhase] = useState<Phase>({ kind: 'idle' });
  const [title, setTitle] = useState('');
  const fileInput = useRef<HTMLInputElement>(null);
  const busy = phase.kind === 'uploading' || phase.kind === 'converting';
  const modal = useModalDialog(() => {
    if (!busy) onClose();
  });

  const submit = (event: FormEvent): void => {
    event.preventDefault();
    if (busy) return;
    const file = fileInput.current?.files?.[0];
    if (!file) {
      setPhase({ kind: 'error', message: t('imports.dialog.noFile') });
      fileInput.current?.focus();
      return;
    }
    const form = new FormData();
    form.append('file', file, file.name);
    if (title.trim() !== '') form.append('title', title.trim());
    // XMLHttpRequest, not fetch: only it reports the upload's progress.
    const xhr = new XMLHttpRequest();
    xhr.open('POST', '/api/documents/import');
    xhr.responseType = 'json';
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) setPhase({ kind: 'uploading', percent: Math.round((e.loaded / e.total) * 100) });
    };
    xhr.upload.onload = () => setPhase({ kind: 'converting' });
    xhr.onload = () => {
      const answer = (xhr.response ?? {}) as ImportAnswer;
      if (xhr.status === 201 && answer.id) {
        const state: ImportedState = { importedFile: file.name, importNotices: answer.notices ?? [] };
        onClose();
        void navigate(`/d/${encodeURIComponent(answer.id)}`, { state });
      } else {
        setPhase({ kind: 'error', message: answer.error?.message ?? `HTTP ${xhr.status}` });
      }
    };
    xhr.onerror = () => setPhase({ kind: 'error', message: t('imports.dialog.network') });
    setPhase({ kind: 'uploading', percent: 0 });
    xhr.send(form);
  };

  const percent = phase.kind === 'uploading' ? phase.percent : phase.kind === 'converting' ? 100 : 0;
  return (
    <dialog {...modal} className="dialog import-dialog" aria-labelledby={ids.title} aria-describedby={ids.intro} data-testid="import-dialog">
      <form onSubmit={submit} noValidate aria-busy={busy}>
        <h2 id={ids.title} className="dialog__title">
          {t('imports.dialog.title')}
        </h2>
        <p id={ids.intro} className="dialog__intro">
          {t('imports.dialog.intro', { size: MAX_MB })}
        </p>
        <div className="field">
          <label htmlFor={ids.file}>{t('imports.dialog.fileLabel')}</label>
          <input id={ids.file} ref={fileInput} type="file" accept={ACCEPT} disabled={busy} data-testid="import-file" autoFocus />
        </div>
        <div className="field">
          <label htmlFor={ids.name}>{t('imports.dialog.titleLabel')}</label>
          <input id={ids.name} type="text" value={title} maxLength={200} disabled={busy} onChange={(e) => setTitle(e.target.value)} aria-describedby={ids.nameHint} data-testid="import-title" />
          <p id={ids.nameHint} className="field__hint">
            {t('imports.dialog.titleHint')}
          </p>
        </div>
        <div role="status" className="import-dialog__status" data-testid="import-status" data-phase={phase.kind}>
          {busy && (
            <>
              <progress max={100} value={percent} aria-label={t('imports.dialog.progressLabel')} />{' '}
              {phase.kind === 'uploading' ? t('imports.dialog.uploading', { percent: `${percent}%` }) : t('imports.dialog.converting')}
            </>
          )}
        </div>
        {phase.kind === 'error' && (
          <p className="notice notice--error" role="alert" data-testid="import-error">
            {t('imports.dialog.error', { message: phase.message })}
          </p>
        )}
        <div className="dialog__actions">
          <button type="button" className="button" onClick={onClose} disabled={busy}>
            {t('imports.dialog.cancel')}
          </button>
          <button type="submit" className="button button--primary" disabled={busy} data-testid="import-submit">
            {t('imports.dialog.import')}
          </button>
        </div>
      </form>
    </dialog>
  );
}
