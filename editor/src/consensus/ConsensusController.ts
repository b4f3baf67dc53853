import { translateConsensusEn, type ConsensusTranslate } from '@rapporteur/schema';
import { Extension } from '@tiptap/core';
import { Plugin, PluginKey, TextSelection } from '@tiptap/pm/state';
import type { EditorState, Transaction } from '@tiptap/pm/state';
import { ReplaceStep } from '@tiptap/pm/transform';
import { Decoration, DecorationSet } from '@tiptap/pm/view';
import type { Editor } from '@tiptap/react';
import { changeMapping, isTextOnlyChangeFromYjs } from '../document/remoteChange';
import { findBlock, MARK_CONSENSUS_SHORTCUT, markerBadges, type MarkerBadge } from './consensus';

const badgesKey = new PluginKey<DecorationSet>('consensusBadges');

function badgeElement(badge: MarkerBadge, markerName: string): HTMLElement {
  const el = document.createElement('div');
  el.className = 'consensus-badge';
  el.contentEditable = 'false';
  el.dataset['level'] = badge.level;
  el.dataset['testid'] = 'consensus-badge';
  // A note that names the level in words (never colour alone); read in the text's flow.
  el.setAttribute('role', 'note');
  el.setAttribute('aria-label', `${markerName}: ${badge.label}. ${badge.basis}`);
  el.title = markerName;
  const label = document.createElement('span');
  label.className = 'consensus-badge__label';
  label.textContent = badge.label;
  const basis = document.createElement('span');
  basis.className = 'consensus-badge__basis';
  basis.textContent = badge.basis;
  el.append(label, ' ', basis);
  return el;
}

/**
 * Whether `tr` only typed or deleted text inside textblocks: then no block's
 * marker changed and none came or went, so the labels just move with the text
 * (`map`). Walking a 100-page document for markers on every keystroke cost
 * about 0.25 ms a key (issue 14, `pnpm bench:typing`), and so does a
 * co-author's typing (`isTextOnlyChangeFromYjs`); anything else — a marker
 * set or cleared, blocks split, joined, pasted or replaced — is computed
 * afresh.
 */
function onlyTextInsideBlocks(tr: Transaction): boolean {
  return tr.steps.every((step, i) => {
    if (!(step instanceof ReplaceStep)) return false;
    const before = tr.docs[i]!;
    const $from = before.resolve(step.from);
    const $to = before.resolve(step.to);
    if (!$from.sameParent($to) || !$from.parent.isTextblock) return false;
    const { content, openStart, openEnd } = step.slice;
    if (openStart !== 0 || openEnd !== 0) return false;
    let inline = true;
    content.forEach((node) => (inline &&= node.isInline));
    return inline;
  });
}

/** The labels after `tr`: moved with the text when it only typed inside blocks, else found afresh. */
export function nextBadgeDecorations(tr: Transaction, old: DecorationSet, state: EditorState, t: ConsensusTranslate, refresh = false): DecorationSet {
  if (!tr.docChanged && !refresh) return old;
  if (!refresh && onlyTextInsideBlocks(tr)) return old.map(tr.mapping, tr.doc);
  // A co-author's typing arrives as a replacement of the whole document: compared, it is text inside one block too.
  if (!refresh && isTextOnlyChangeFromYjs(tr)) return old.map(changeMapping(tr), tr.doc);
  return decorations(state, t);
}

export function decorations(state: EditorState, t: ConsensusTranslate): DecorationSet {
  const markerName = t('markerName');
  const list = markerBadges(state.doc, t).flatMap((badge) => [
    Decoration.widget(badge.at, () => badgeElement(badge, markerName), { side: -1, key: badge.key, ignoreSelection: true }),
    Decoration.node(badge.from, badge.to, { class: 'has-consensus', 'data-consensus-level': badge.level }),
  ]);
  return DecorationSet.create(state.doc, list);
}

/**
 * Consensus markers in the editor: a label beside every marked block (a
 * decoration, so the document is untouched), the keyboard shortcut that asks
 * for the "Mark consensus" dialog, and moving the caret to a marked block.
 */
export class ConsensusController {
  readonly extension: Extension;
  private editor: Editor | null = null;
  private translate: ConsensusTranslate = translateConsensusEn;
  private readonly requestListeners = new Set<() => void>();

  constructor() {
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const controller = this;
    this.extension = Extension.create({
      name: 'consensusBadges',
      addProseMirrorPlugins() {
        return [
          new Plugin<DecorationSet>({
            key: badgesKey,
            state: {
              init: (_, state) => decorations(state, controller.translate),
              apply: (tr, old, _oldState, newState) => nextBadgeDecorations(tr, old, newState, controller.translate, Boolean(tr.getMeta(badgesKey))),
            },
            props: {
              decorations: (state) => badgesKey.getState(state),
              handleDOMEvents: {
                // A click on a label puts the caret in its block and offers to change the marker (editors).
                mousedown: (view, event) => {
                  const badge = event.target instanceof Element ? event.target.closest('.consensus-badge') : null;
                  if (!badge || !view.editable) return false;
                  event.preventDefault();
                  const at = view.posAtDOM(badge, 0);
                  const selection = TextSelection.near(view.state.doc.resolve(Math.min(at + 1, view.state.doc.content.size)));
                  view.dispatch(view.state.tr.setSelection(selection));
                  view.focus();
                  controller.requestMark();
                  return true;
                },
              },
            },
          }),
        ];
      },
      addKeyboardShortcuts() {
        return {
          [MARK_CONSENSUS_SHORTCUT]: () => controller.requestMark(),
        };
      },
    });
  }

  attach(editor: Editor): void {
    this.editor = editor;
  }

  detach(editor: Editor): void {
    if (this.editor === editor) this.editor = null;
  }

  /** The words of the labels (the i18n language); redraws them when it changes. */
  setTranslate(t: ConsensusTranslate): void {
    this.translate = t;
    const editor = this.editor;
    if (editor && !editor.isDestroyed) editor.view.dispatch(editor.state.tr.setMeta(badgesKey, true));
  }

  /** Asks whoever shows the dialog to open it (toolbar, shortcut). False when nobody may. */
  requestMark(): boolean {
    if (this.requestListeners.size === 0) return false;
    for (const listener of this.requestListeners) listener();
    return true;
  }

  onRequestMark(listener: () => void): () => void {
    this.requestListeners.add(listener);
    return () => this.requestListeners.delete(listener);
  }

  /** Puts the caret at the start of the marked block and brings it into view; false when the block is gone. */
  jumpTo(blockId: string): boolean {
    const editor = this.editor;
    if (!editor || editor.isDestroyed) return false;
    const pos = findBlock(editor.state.doc, blockId);
    if (pos === null) return false;
    const selection = TextSelection.near(editor.state.doc.resolve(pos + 1));
    editor.view.dispatch(editor.state.tr.setSelection(selection).scrollIntoView());
    editor.view.focus();
    return true;
  }
}
