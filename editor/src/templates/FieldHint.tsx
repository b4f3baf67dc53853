import type { Editor } from '@tiptap/react';
import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type FieldAtCaret, fieldAtSelection, sameField } from './guidance';

/**
 * The guidance of the template field at the caret, in words, under the
 * toolbar: "Key takeaways: Up to three key takeaways … Required. At most 3
 * items." It is a polite live region, so moving into a field announces its
 * guidance once (not on every keystroke), and the text box names it with
 * aria-describedby, so it is also read when the text box takes focus. This
 * is how screen-reader users get the guidance that others see as
 * placeholder text in the empty field (see guidance.ts).
 */
export function FieldHint({ editor }: { editor: Editor }) {
  const { t } = useTranslation();
  const id = useId();
  const [field, setField] = useState<FieldAtCaret | null>(() => fieldAtSelection(editor.state));

  useEffect(() => {
    const update = (): void => {
      const next = fieldAtSelection(editor.state);
      setField((previous) => (sameField(previous, next) ? previous : next));
    };
    update();
    editor.on('selectionUpdate', update);
    editor.on('update', update);
    return () => {
      editor.off('selectionUpdate', update);
      editor.off('update', update);
    };
  }, [editor]);

  useEffect(() => {
    if (editor.isDestroyed) return;
    const dom = editor.view.dom;
    dom.setAttribute('aria-describedby', id);
    return () => dom.removeAttribute('aria-describedby');
  }, [editor, id]);

  return (
    <div id={id} className="field-hint" aria-live="polite" data-testid="field-hint" data-field={field?.key ?? undefined}>
      {field && (
        <>
          {field.label !== '' && <strong className="field-hint__label">{t('templates.hint.label', { label: field.label })}</strong>}{' '}
          {field.guidance && <span className="field-hint__guidance">{field.guidance}</span>}{' '}
          {field.required && <span className="field-hint__rule">{t('templates.hint.required')}</span>}{' '}
          {field.maxItems !== null && <span className="field-hint__rule">{t('templates.hint.maxItems', { count: field.maxItems })}</span>}{' '}
          {field.notStated && <span className="field-hint__rule">{t('templates.hint.notStated')}</span>}
        </>
      )}
    </div>
  );
}
