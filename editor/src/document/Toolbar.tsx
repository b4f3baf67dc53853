import type { Editor } from '@tiptap/react';
import { useEditorState } from '@tiptap/react';
import { columnWidthAtCaret, drawnColumnWidth, setColumnWidth, steppedWidth } from './columnWidths';
import type { EditorState } from '@tiptap/pm/state';
import { type KeyboardEvent, type ReactNode, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { LinkDialog } from './LinkDialog';
import { nextToolbarIndex } from './rovingFocus';

type Direction = 'auto' | 'ltr' | 'rtl';

/** The `dir` of the innermost block around the selection that has one. */
function currentDirection(state: EditorState): Direction | null {
  const { $from } = state.selection;
  for (let depth = $from.depth; depth > 0; depth--) {
    const dir: unknown = $from.node(depth).attrs['dir'];
    if (dir === 'auto' || dir === 'ltr' || dir === 'rtl') return dir;
  }
  return null;
}

/** Whether the table around the selection has a header row (its first row made of header cells). */
function isInHeaderRowTable(state: EditorState): boolean {
  const { $from } = state.selection;
  for (let depth = $from.depth; depth > 0; depth--) {
    const node = $from.node(depth);
    if (node.type.name === 'table') return node.firstChild?.firstChild?.type.name === 'tableHeader';
  }
  return false;
}

/** The slice of editor state the toolbar shows; the toolbar re-renders only when it changes. */
function selectToolbarState({ editor }: { editor: Editor }) {
  return {
    editable: editor.isEditable,
    bold: editor.isActive('bold'),
    italic: editor.isActive('italic'),
    underline: editor.isActive('underline'),
    strike: editor.isActive('strike'),
    code: editor.isActive('code'),
    link: editor.isActive('link'),
    h1: editor.isActive('heading', { level: 1 }),
    h2: editor.isActive('heading', { level: 2 }),
    h3: editor.isActive('heading', { level: 3 }),
    paragraph: editor.isActive('paragraph'),
    bulletList: editor.isActive('bulletList'),
    orderedList: editor.isActive('orderedList'),
    blockquote: editor.isActive('blockquote'),
    codeBlock: editor.isActive('codeBlock'),
    inTable: editor.isActive('table'),
    headerRow: editor.isActive('table') && isInHeaderRowTable(editor.state),
    canMerge: editor.isActive('table') && editor.can().mergeCells(),
    canSplit: editor.isActive('table') && editor.can().splitCell(),
    canFootnote: editor.can().insertFootnote(),
    canUndo: editor.can().undo(),
    canRedo: editor.can().redo(),
    direction: currentDirection(editor.state),
  };
}

/** Tiptap's `Mod` is ⌘ on Apple systems, Ctrl elsewhere. */
function isMac(): boolean {
  return typeof navigator !== 'undefined' && /Mac|iPhone|iPad|iPod/.test(navigator.platform);
}

interface ToolButtonProps {
  label: string;
  /** Omit for buttons that act (insert, undo) rather than toggle. */
  pressed?: boolean;
  disabled?: boolean;
  onPress: () => void;
  children: ReactNode;
  className?: string;
  testId?: string;
  /** The keyboard shortcut, for assistive technologies (`aria-keyshortcuts`) and the tooltip. */
  shortcut?: { aria: string; shown: string };
}

function ToolButton({ label, pressed, disabled = false, onPress, children, className, testId, shortcut }: ToolButtonProps) {
  return (
    <button
      type="button"
      className={`tool${className ? ` ${className}` : ''}`}
      aria-label={label}
      title={shortcut ? `${label} (${shortcut.shown})` : label}
      aria-keyshortcuts={shortcut?.aria}
      aria-pressed={pressed}
      // aria-disabled rather than disabled: the button stays reachable with
      // the arrow keys, as the WAI-ARIA toolbar pattern recommends.
      aria-disabled={disabled || undefined}
      data-testid={testId}
      tabIndex={-1}
      // A mouse click leaves focus (and the selection) in the text, so typing
      // right after it goes to the document, not to this button.
      onMouseDown={(event) => event.preventDefault()}
      onClick={() => {
        if (!disabled) onPress();
      }}
    >
      {children}
    </button>
  );
}

/**
 * The formatting toolbar: one tab stop, arrow keys move between buttons
 * (roving tabindex), toggles report their state with aria-pressed.
 */
export function Toolbar({
  editor,
  disabled = false,
  onMarkConsensus,
}: {
  editor: Editor;
  disabled?: boolean;
  /** Opens "Mark consensus" for the block at the caret (editors; absent where markers are not offered). */
  onMarkConsensus?: () => void;
}) {
  const { t } = useTranslation();
  const s = useEditorState({ editor, selector: selectToolbarState });
  const toolbarRef = useRef<HTMLDivElement>(null);
  const [active, setActive] = useState(0);
  const [linkOpen, setLinkOpen] = useState(false);
  const off = disabled || !s.editable;

  const buttons = (): HTMLButtonElement[] => Array.from(toolbarRef.current?.querySelectorAll<HTMLButtonElement>('button.tool') ?? []);

  // Keep exactly one button in the tab order: the last one focused.
  const syncTabStops = (index: number): void => {
    buttons().forEach((b, i) => (b.tabIndex = i === index ? 0 : -1));
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>): void => {
    const all = buttons();
    const current = all.indexOf(document.activeElement as HTMLButtonElement);
    if (current < 0) return;
    const dir = getComputedStyle(event.currentTarget).direction === 'rtl' ? 'rtl' : 'ltr';
    const next = nextToolbarIndex(current, all.length, event.key, dir);
    if (next === null) return;
    event.preventDefault();
    all[next]?.focus();
  };

  // Wider/Narrower from the width as set, or as drawn when the browser decides it; Equal clears every width.
  const columnWidth = (direction: 1 | -1 | null) => () => {
    const { state, view } = editor;
    const current = columnWidthAtCaret(state) ?? drawnColumnWidth(view.domAtPos(state.selection.from).node);
    setColumnWidth(state, view.dispatch, direction === null ? null : steppedWidth(current, direction));
    view.focus();
  };
  const run = (command: (chain: ReturnType<Editor['chain']>) => ReturnType<Editor['chain']>) => () => {
    command(editor.chain().focus()).run();
  };

  const setDirection = (dir: Direction) => run((c) => (dir === 'auto' ? c.unsetTextDirection() : c.setTextDirection(dir)));

  return (
    <>
      <div
        ref={(el) => {
          toolbarRef.current = el;
          if (el) syncTabStops(active);
        }}
        className="toolbar"
        role="toolbar"
        aria-label={t('toolbar.label')}
        aria-controls="document-content"
        onKeyDown={onKeyDown}
        onFocus={(event) => {
          const index = buttons().indexOf(event.target as unknown as HTMLButtonElement);
          if (index >= 0) {
            setActive(index);
            syncTabStops(index);
          }
        }}
      >
        <div className="toolbar__group" role="group" aria-label={t('toolbar.groupHistory')}>
          <ToolButton label={t('toolbar.undo')} disabled={off || !s.canUndo} onPress={run((c) => c.undo())} testId="tool-undo">
            {t('toolbar.undoGlyph')}
          </ToolButton>
          <ToolButton label={t('toolbar.redo')} disabled={off || !s.canRedo} onPress={run((c) => c.redo())} testId="tool-redo">
            {t('toolbar.redoGlyph')}
          </ToolButton>
        </div>
        <div className="toolbar__group" role="group" aria-label={t('toolbar.groupText')}>
          <ToolButton label={t('toolbar.bold')} pressed={s.bold} disabled={off} onPress={run((c) => c.toggleBold())} className="tool--bold" testId="tool-bold">
            {t('toolbar.boldGlyph')}
          </ToolButton>
          <ToolButton label={t('toolbar.italic')} pressed={s.italic} disabled={off} onPress={run((c) => c.toggleItalic())} className="tool--italic" testId="tool-italic">
            {t('toolbar.italicGlyph')}
          </ToolButton>
          <ToolButton label={t('toolbar.underline')} pressed={s.underline} disabled={off} onPress={run((c) => c.toggleUnderline())} className="tool--underline" testId="tool-underline">
            {t('toolbar.underlineGlyph')}
          </ToolButton>
          <ToolButton label={t('toolbar.strike')} pressed={s.strike} disabled={off} onPress={run((c) => c.toggleStrike())} className="tool--strike" testId="tool-strike">
            {t('toolbar.strikeGlyph')}
          </ToolButton>
          <ToolButton label={t('toolbar.code')} pressed={s.code} disabled={off} onPress={run((c) => c.toggleCode())} className="tool--code" testId="tool-code">
            {t('toolbar.codeGlyph')}
          </ToolButton>
          <ToolButton label={t('toolbar.link')} pressed={s.link} disabled={off} onPress={() => setLinkOpen(true)} testId="tool-link">
            {t('toolbar.linkGlyph')}
          </ToolButton>
        </div>
        <div className="toolbar__group" role="group" aria-label={t('toolbar.groupBlocks')}>
          <ToolButton label={t('toolbar.paragraph')} pressed={s.paragraph} disabled={off} onPress={run((c) => c.setParagraph())} testId="tool-paragraph">
            {t('toolbar.paragraphGlyph')}
          </ToolButton>
          {([1, 2, 3] as const).map((level) => (
            <ToolButton
              key={level}
              label={t('toolbar.heading', { level })}
              pressed={s[`h${level}`]}
              disabled={off}
              onPress={run((c) => c.toggleHeading({ level }))}
              testId={`tool-h${level}`}
            >
              {t('toolbar.headingGlyph', { level })}
            </ToolButton>
          ))}
          <ToolButton label={t('toolbar.bulletList')} pressed={s.bulletList} disabled={off} onPress={run((c) => c.toggleBulletList())} testId="tool-bullet-list">
            {t('toolbar.bulletListGlyph')}
          </ToolButton>
          <ToolButton label={t('toolbar.orderedList')} pressed={s.orderedList} disabled={off} onPress={run((c) => c.toggleOrderedList())} testId="tool-ordered-list">
            {t('toolbar.orderedListGlyph')}
          </ToolButton>
          <ToolButton label={t('toolbar.blockquote')} pressed={s.blockquote} disabled={off} onPress={run((c) => c.toggleBlockquote())} testId="tool-blockquote">
            {t('toolbar.blockquoteGlyph')}
          </ToolButton>
          <ToolButton label={t('toolbar.codeBlock')} pressed={s.codeBlock} disabled={off} onPress={run((c) => c.toggleCodeBlock())} testId="tool-code-block">
            {t('toolbar.codeBlockGlyph')}
          </ToolButton>
        </div>
        <div className="toolbar__group" role="group" aria-label={t('toolbar.groupInsert')}>
          <ToolButton label={t('toolbar.horizontalRule')} disabled={off} onPress={run((c) => c.setHorizontalRule())} testId="tool-hr">
            {t('toolbar.horizontalRuleGlyph')}
          </ToolButton>
          <ToolButton
            label={t('toolbar.table')}
            disabled={off}
            onPress={run((c) => c.insertTable({ rows: 3, cols: 3, withHeaderRow: true }))}
            testId="tool-table"
          >
            {t('toolbar.tableGlyph')}
          </ToolButton>
          <ToolButton
            label={t('toolbar.footnote')}
            disabled={off || !s.canFootnote}
            onPress={run((c) => c.insertFootnote())}
            testId="tool-footnote"
            shortcut={isMac() ? { aria: 'Meta+Alt+F', shown: t('footnotes.shortcutMac') } : { aria: 'Control+Alt+F', shown: t('footnotes.shortcut') }}
          >
            {t('toolbar.footnoteGlyph')}
          </ToolButton>
        </div>
        {s.inTable && (
          // Shown while the caret is in a table: rows, columns, header row, merging (issue 14).
          <div className="toolbar__group toolbar__group--table" role="group" aria-label={t('toolbar.groupTable')} data-testid="table-tools">
            <ToolButton label={t('toolbar.rowAbove')} disabled={off} onPress={run((c) => c.addRowBefore())} testId="tool-row-above">
              {t('toolbar.rowAbove')}
            </ToolButton>
            <ToolButton label={t('toolbar.rowBelow')} disabled={off} onPress={run((c) => c.addRowAfter())} testId="tool-row-below">
              {t('toolbar.rowBelow')}
            </ToolButton>
            <ToolButton label={t('toolbar.deleteRow')} disabled={off} onPress={run((c) => c.deleteRow())} testId="tool-delete-row">
              {t('toolbar.deleteRow')}
            </ToolButton>
            <ToolButton label={t('toolbar.columnBefore')} disabled={off} onPress={run((c) => c.addColumnBefore())} testId="tool-column-before">
              {t('toolbar.columnBefore')}
            </ToolButton>
            <ToolButton label={t('toolbar.columnAfter')} disabled={off} onPress={run((c) => c.addColumnAfter())} testId="tool-column-after">
              {t('toolbar.columnAfter')}
            </ToolButton>
            <ToolButton label={t('toolbar.deleteColumn')} disabled={off} onPress={run((c) => c.deleteColumn())} testId="tool-delete-column">
              {t('toolbar.deleteColumn')}
            </ToolButton>
            <ToolButton label={t('toolbar.headerRow')} pressed={s.headerRow} disabled={off} onPress={run((c) => c.toggleHeaderRow())} testId="tool-header-row">
              {t('toolbar.headerRow')}
            </ToolButton>
            <ToolButton label={t('toolbar.mergeCells')} disabled={off || !s.canMerge} onPress={run((c) => c.mergeCells())} testId="tool-merge-cells">
              {t('toolbar.mergeCells')}
            </ToolButton>
            <ToolButton label={t('toolbar.splitCell')} disabled={off || !s.canSplit} onPress={run((c) => c.splitCell())} testId="tool-split-cell">
              {t('toolbar.splitCell')}
            </ToolButton>
            <ToolButton label={t('toolbar.widerColumn')} disabled={off} onPress={columnWidth(1)} testId="tool-wider-column">
              {t('toolbar.widerColumn')}
            </ToolButton>
            <ToolButton label={t('toolbar.narrowerColumn')} disabled={off} onPress={columnWidth(-1)} testId="tool-narrower-column">
              {t('toolbar.narrowerColumn')}
            </ToolButton>
            <ToolButton label={t('toolbar.equalColumns')} disabled={off} onPress={columnWidth(null)} testId="tool-equal-columns">
              {t('toolbar.equalColumns')}
            </ToolButton>
            <ToolButton label={t('toolbar.deleteTable')} disabled={off} onPress={run((c) => c.deleteTable())} testId="tool-delete-table">
              {t('toolbar.deleteTable')}
            </ToolButton>
          </div>
        )}
        <div className="toolbar__group" role="group" aria-label={t('toolbar.groupDirection')}>
          <ToolButton label={t('toolbar.dirAuto')} pressed={s.direction === 'auto'} disabled={off} onPress={setDirection('auto')} testId="tool-dir-auto">
            {t('toolbar.dirAutoGlyph')}
          </ToolButton>
          <ToolButton label={t('toolbar.dirLtr')} pressed={s.direction === 'ltr'} disabled={off} onPress={setDirection('ltr')} testId="tool-dir-ltr">
            {t('toolbar.dirLtrGlyph')}
          </ToolButton>
          <ToolButton label={t('toolbar.dirRtl')} pressed={s.direction === 'rtl'} disabled={off} onPress={setDirection('rtl')} testId="tool-dir-rtl">
            {t('toolbar.dirRtlGlyph')}
          </ToolButton>
        </div>
        {onMarkConsensus && (
          <div className="toolbar__group" role="group" aria-label={t('toolbar.groupOutcome')}>
            <ToolButton
              label={t('toolbar.markConsensus')}
              disabled={off}
              onPress={onMarkConsensus}
              testId="tool-mark-consensus"
              shortcut={isMac() ? { aria: 'Meta+Alt+K', shown: t('markers.shortcutMac') } : { aria: 'Control+Alt+K', shown: t('markers.shortcut') }}
            >
              {t('toolbar.markConsensusGlyph')}
            </ToolButton>
          </div>
        )}
      </div>
      {linkOpen && <LinkDialog editor={editor} onClose={() => setLinkOpen(false)} />}
    </>
  );
}
