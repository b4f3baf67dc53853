import type { Editor } from '@tiptap/react';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type FootnoteAtSelection, footnoteAtSelection } from './footnotes';

const same = (a: FootnoteAtSelection | null, b: FootnoteAtSelection | null): boolean =>
  a === b || (a !== null && b !== null && a.number === b.number && a.editing === b.editing);

/**
 * Says which footnote the caret is in or on, and how to get back to the
 * text: a polite live region under the toolbar, updated only when the caret
 * enters, selects or leaves a footnote (not on every keystroke in it). This
 * is how screen-reader users learn they are in a note's text, which sighted
 * people see as a box opened after the number.
 */
export function FootnoteHint({ editor }: { editor: Editor }) {
  const { t } = useTranslation();
  const [at, setAt] = useState<FootnoteAtSelection | null>(() => footnoteAtSelection(editor.state));

  useEffect(() => {
    const update = (): void => {
      const next = footnoteAtSelection(editor.state);
      setAt((previous) => (same(previous, next) ? previous : next));
    };
    update();
    editor.on('selectionUpdate', update);
    editor.on('update', update);
    return () => {
      editor.off('selectionUpdate', update);
      editor.off('update', update);
    };
  }, [editor]);

  return (
    <div className="footnote-hint" aria-live="polite" data-testid="footnote-hint" data-number={at?.number ?? undefined}>
      {at && (at.editing ? t('footnotes.editing', { number: at.number }) : t('footnotes.selected', { number: at.number }))}
    </div>
  );
}
