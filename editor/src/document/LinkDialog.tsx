import type { Editor } from '@tiptap/react';
import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useModalDialog } from '../a11y/useModalDialog';
import { parseLinkInput } from './link';

/**
 * Modal dialog asking for a link address for the selection (or the link
 * around the cursor). Only http, https and mailto addresses are accepted;
 * an empty address removes the link. Focus returns to the editor.
 */
export function LinkDialog({ editor, onClose }: { editor: Editor; onClose: () => void }) {
  const { t } = useTranslation();
  const modal = useModalDialog(() => finish());
  const [initial] = useState(() => {
    const href: unknown = editor.getAttributes('link')['href'];
    return typeof href === 'string' ? href : '';
  });
  const [value, setValue] = useState(initial);
  const [invalid, setInvalid] = useState(false);
  const ids = { title: useId(), input: useId(), hint: useId(), error: useId() };


  const finish = (apply?: (chain: ReturnType<Editor['chain']>) => ReturnType<Editor['chain']>): void => {
    const chain = editor.chain().focus();
    (apply ? apply(chain) : chain).run();
    onClose();
  };

  const submit = (event: FormEvent): void => {
    event.preventDefault();
    const parsed = parseLinkInput(value);
    switch (parsed.kind) {
      case 'invalid':
        setInvalid(true);
        return;
      case 'empty':
        finish((c) => c.extendMarkRange('link').unsetLink());
        return;
      case 'link': {
        const { href } = parsed;
        // With nothing selected and no link around the cursor, the address itself becomes the linked text.
        if (editor.state.selection.empty && !editor.isActive('link')) {
          finish((c) => c.insertContent({ type: 'text', text: href, marks: [{ type: 'link', attrs: { href } }] }));
        } else {
          finish((c) => c.extendMarkRange('link').setLink({ href }));
        }
        return;
      }
    }
  };

  return (
    <dialog
      {...modal}
      className="dialog dialog--small"
      aria-labelledby={ids.title}
      data-testid="link-dialog"
    >
      <form onSubmit={submit} noValidate>
        <h2 id={ids.title} className="dialog__title">
          {t('link.dialogLabel')}
        </h2>
        <div className="field">
          <label htmlFor={ids.input}>{t('link.urlLabel')}</label>
          <input
            id={ids.input}
            type="url"
            inputMode="url"
            autoComplete="url"
            data-testid="link-url"
            value={value}
            autoFocus
            aria-invalid={invalid}
            aria-describedby={invalid ? `${ids.error} ${ids.hint}` : ids.hint}
            onChange={(e) => {
              setValue(e.target.value);
              setInvalid(false);
            }}
          />
          <p id={ids.hint} className="field__hint">
            {t('link.urlHint')}
          </p>
          {invalid && (
            <p id={ids.error} className="field__error" role="alert">
              {t('link.invalid')}
            </p>
          )}
        </div>
        <div className="dialog__actions">
          {initial !== '' && (
            <button type="button" className="button" onClick={() => finish((c) => c.extendMarkRange('link').unsetLink())}>
              {t('link.remove')}
            </button>
          )}
          <button type="button" className="button" onClick={() => finish()}>
            {t('link.cancel')}
          </button>
          <button type="submit" className="button button--primary">
            {t('link.apply')}
          </button>
        </div>
      </form>
    </dialog>
  );
}
