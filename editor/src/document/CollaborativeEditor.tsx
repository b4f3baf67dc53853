import type { Connection } from '@rapporteur/client/connect';
import { BODY_FIELD, schemaExtensions } from '@rapporteur/schema';
import Collaboration from '@tiptap/extension-collaboration';
import CollaborationCaret from '@tiptap/extension-collaboration-caret';
import { EditorContent, useEditor } from '@tiptap/react';
import { type ReactNode, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CommentsController } from '../comments/controller';
import type { CitationsController } from '../consolidation/CitationsController';
import type { FindController } from '../find/FindController';
import { FindSlot } from '../find/FindSlot';
import { consensusTranslate, type MarkTarget, targetAtSelection } from '../consensus/consensus';
import type { ConsensusController } from '../consensus/ConsensusController';
import { ConsensusDialog } from '../consensus/ConsensusDialog';
import type { AuthorshipController } from '../history/AuthorshipController';
import { useIdentity } from '../identity/IdentityContext';
import type { OutlineController } from '../outline/OutlineController';
import { useCurrentUser } from '../session/SessionContext';
import { FieldHint } from '../templates/FieldHint';
import { FootnoteHint } from '../footnotes/FootnoteHint';
import { footnotesExtension } from '../footnotes/footnotes';
import { templateGuidance } from '../templates/guidance';
import type { TranslationController } from '../translations/TranslationController';
import type { WorkflowController } from '../workflow/WorkflowController';
import type { ImportNotice } from '@rapporteur/protocol';
import { foreignPaste } from '../imports/foreignPaste';
import { ImportNoticeList } from '../imports/ImportNotices';
import { readOnlyGuard } from './readOnlyGuard';
import { Toolbar } from './Toolbar';
import { isLongDocument, typingContainment } from './typingContainment';

/**
 * The toolbar and the text of one document, bound to the connection's Y.Doc.
 * `readOnly` (a commenter or viewer) turns editing off: the server would
 * refuse their changes anyway.
 * Mount it once per connection (key it by the connection): the Collaboration
 * binding cannot move to another Y.Doc. Only the toolbar re-renders as the
 * selection changes; this component renders once per editor.
 */
export function CollaborativeEditor({
  connection,
  readOnly = false,
  comments,
  authorship,
  consensus,
  outline,
  workflow,
  translation,
  citations,
  find,
  chrome,
  language,
}: {
  connection: Connection;
  readOnly?: boolean;
  /** Highlights commented passages and lets the comments panel anchor new comments to the selection. */
  comments?: CommentsController;
  /** "Who wrote this": tints passages by author when turned on. */
  authorship?: AuthorshipController;
  /** Consensus markers: labels beside marked blocks, and "Mark consensus" for editors. */
  consensus?: ConsensusController;
  /** The outline of headings and the word count. */
  outline?: OutlineController;
  /** Asks before the first edit of a final text (it moves it back to revising), and jumps to passages. */
  workflow?: WorkflowController;
  /** A linked translation's paragraphs: each one's status drawn on it, the paragraph at the caret (SPEC LT3–LT5). */
  translation?: TranslationController | undefined;
  /** Citations of other documents drawn with their status for this reader (SPEC EV9, EV10), and inserted from the consolidation panel. */
  citations?: CitationsController | undefined;
  /** Find and replace: the matches drawn in the text, Ctrl+F and Ctrl+H, the bar above the text. */
  find?: FindController | undefined;
  /** More to keep in view above the text with the toolbar (a translation's paragraph bar). */
  chrome?: ReactNode;
  /** The document's own language (SPEC L8), for the text's `lang`: how screen readers and spelling read it. */
  language?: string | undefined;
}) {
  const { t } = useTranslation();
  const { identity } = useIdentity();
  const account = useCurrentUser();
  // Signed in, others see the account's name and stakeholder group; the colour is always the local choice.
  const name = account?.name ?? identity.name;
  const stakeholderGroup = account?.stakeholderGroup;
  // The caret needs a user when it is created; later changes go through the awareness update below.
  const [initialUser] = useState(() => ({ name, color: identity.color, ...(stakeholderGroup ? { stakeholderGroup } : {}) }));
  const contentLabel = t('editor.contentLabel');
  // Read by the guard on every transaction; set before the editor exists, so nothing slips through at creation.
  const readOnlyRef = useRef(readOnly);
  // Read by the guidance placeholders each time they are drawn (the language may change).
  const tRef = useRef(t);
  tRef.current = t;
  readOnlyRef.current = readOnly;
  const languageRef = useRef(language);
  languageRef.current = language;
  // What the last paste could not keep (images, colours, …), said instead of dropped (issue 14).
  const [pasteNotices, setPasteNotices] = useState<readonly ImportNotice[]>([]);

  const editor = useEditor(
    {
      extensions: [
        ...schemaExtensions({ uniqueIds: true, resizableTables: true }),
        Collaboration.configure({ document: connection.doc, field: BODY_FIELD }),
        CollaborationCaret.configure({ provider: connection.provider, user: initialUser }),
        readOnlyGuard(() => readOnlyRef.current),
        typingContainment(),
        foreignPaste(setPasteNotices),
        templateGuidance(() => tRef.current('templates.notStated')),
        footnotesExtension(() => ({ reference: (number) => tRef.current('footnotes.reference', { number }) })),
        ...(comments ? [comments.extension] : []),
        ...(authorship ? [authorship.extension] : []),
        ...(consensus ? [consensus.extension] : []),
        ...(outline ? [outline.extension] : []),
        ...(workflow ? [workflow.extension] : []),
        ...(translation ? [translation.extension] : []),
        ...(citations ? [citations.extension] : []),
        ...(find ? [find.extension] : []),
      ],
      editorProps: { attributes: contentAttributes(contentLabel, languageRef.current) },
      immediatelyRender: true,
      shouldRerenderOnTransaction: false,
    },
    [connection],
  );

  // The text says its language; it changes when the document's does.
  useEffect(() => {
    if (editor.isDestroyed) return;
    editor.setOptions({ editorProps: { ...editor.options.editorProps, attributes: contentAttributes(contentLabel, language) } });
  }, [editor, contentLabel, language]);

  useEffect(() => {
    if (!comments) return;
    comments.attach(editor);
    return () => comments.detach(editor);
  }, [comments, editor]);

  useEffect(() => {
    if (!authorship) return;
    authorship.attach(editor);
    return () => authorship.detach(editor);
  }, [authorship, editor]);

  useEffect(() => {
    if (!consensus) return;
    consensus.attach(editor);
    return () => consensus.detach(editor);
  }, [consensus, editor]);

  useEffect(() => {
    if (!outline) return;
    outline.attach(editor);
    return () => outline.detach(editor);
  }, [outline, editor]);

  useEffect(() => {
    if (!workflow) return;
    workflow.attach(editor);
    return () => workflow.detach(editor);
  }, [workflow, editor]);

  useEffect(() => {
    if (!translation) return;
    translation.attach(editor);
    return () => translation.detach(editor);
  }, [translation, editor]);

  useEffect(() => {
    if (!find) return;
    find.attach(editor);
    return () => find.detach(editor);
  }, [find, editor]);

  useEffect(() => {
    if (!citations) return;
    citations.attach(editor);
    return () => citations.detach(editor);
  }, [citations, editor]);

  useEffect(() => {
    citations?.setWords({
      changed: t('consolidation.citation.changed'),
      gone: t('consolidation.citation.gone'),
      notPublic: t('consolidation.citation.notPublic'),
      showChange: (label) => t('consolidation.citation.showChange', { label }),
      open: (title) => t('consolidation.citation.open', { title }),
    });
  }, [citations, t]);

  useEffect(() => {
    consensus?.setTranslate(consensusTranslate(t));
  }, [consensus, t]);

  // "Mark consensus" (toolbar, Ctrl+Alt+K): for those who may edit, on the block at the caret.
  const [markTarget, setMarkTarget] = useState<MarkTarget | null>(null);
  const [noTarget, setNoTarget] = useState(false);
  const mayMark = consensus !== undefined && !readOnly;
  const [refusedForMark, setRefusedForMark] = useState(false);
  const openMark = (): void => {
    if (!mayMark || refusedForMark || !editor.isEditable) return;
    const target = targetAtSelection(editor.state);
    setNoTarget(target === null);
    setMarkTarget(target);
  };
  useEffect(() => {
    if (!noTarget) return;
    const clear = (): void => setNoTarget(false);
    editor.on('selectionUpdate', clear);
    return () => {
      editor.off('selectionUpdate', clear);
    };
  }, [editor, noTarget]);
  const openMarkRef = useRef(openMark);
  openMarkRef.current = openMark;
  useEffect(() => {
    if (!consensus || readOnly) return;
    return consensus.onRequestMark(() => openMarkRef.current());
  }, [consensus, readOnly]);

  // A new name or colour reaches the others through awareness, which also redraws our caret on their screens.
  useEffect(() => {
    connection.awareness.setLocalStateField('user', { name, color: identity.color, ...(stakeholderGroup ? { stakeholderGroup } : {}) });
  }, [connection, name, identity.color, stakeholderGroup]);

  // Editing stops when the server refused the connection (nothing typed could
  // be saved; the page says why) or the role does not allow it.
  const [refused, setRefused] = useState(false);
  useEffect(() => {
    const apply = (isRefused: boolean): void => {
      // A reader keeps a caret to move and select with (readOnlyGuard refuses
      // their input); only a refused connection makes the text inert.
      const editable = !isRefused;
      if (editor.isEditable !== editable) editor.setEditable(editable);
      if (!editor.isDestroyed) editor.view.dom.setAttribute('aria-readonly', String(isRefused || readOnly));
      setRefused(isRefused);
      setRefusedForMark(isRefused);
    };
    apply(connection.status.connection === 'refused');
    return connection.subscribe((s) => apply(s.connection === 'refused'));
  }, [connection, editor, readOnly]);

  // A long document (a 100-page paper is a few thousand blocks) lets the
  // browser skip laying out and painting the blocks far from the screen
  // (editor.css, issue 14); a short one does without the containment. In two
  // steps: first every block's size is measured and remembered
  // (`contain-intrinsic-size: auto`), a frame later offscreen blocks are
  // skipped at that remembered size — so the page is as tall as when fully
  // laid out, and scrolling to a passage (outline, reading position, a
  // comment) lands where it would without the skipping. The block being typed
  // into is laid out on its own (typingContainment).
  const [long, setLong] = useState<'measuring' | 'skipping' | null>(null);
  useEffect(() => {
    let frame = 0;
    let stage: 'measuring' | 'skipping' | null = null;
    const check = (): void => {
      const isLong = isLongDocument(editor.state.doc);
      if (isLong === (stage !== null)) return;
      cancelAnimationFrame(frame);
      stage = isLong ? 'measuring' : null;
      setLong(stage);
      if (!isLong) return;
      frame = requestAnimationFrame(() => {
        frame = requestAnimationFrame(() => {
          stage = 'skipping';
          setLong(stage);
        });
      });
    };
    check();
    editor.on('update', check);
    return () => {
      cancelAnimationFrame(frame);
      editor.off('update', check);
    };
  }, [editor]);

  return (
    <div className="editor" data-readonly={readOnly || refused || undefined} data-long={long ?? undefined}>
      {/* Readers (commenters, viewers) get no toolbar at all rather than rows of
          disabled buttons; it stays, disabled, while a refused connection is
          sorted out, so the page does not jump. */}
      {/* The toolbar and the hint of the field at the caret stay in view together while the text scrolls. */}
      <div className="editor__chrome">
        {!readOnly && <Toolbar editor={editor} disabled={refused} {...(mayMark ? { onMarkConsensus: openMark } : {})} />}
        <FieldHint editor={editor} />
        <FootnoteHint editor={editor} />
        {find && <FindSlot controller={find} canReplace={!readOnly && !refused} />}
        {chrome}
      </div>
      {noTarget && (
        <p className="notice" role="status" data-testid="consensus-no-target">
          {t('markers.noTarget')}
        </p>
      )}
      {/* A live region present from the start, so what a paste could not keep is announced. */}
      <div role="status" className="paste-notice" data-testid="paste-notice-region">
        {pasteNotices.length > 0 && (
          <div className="notice" data-testid="paste-notice">
            <p>{t('imports.paste.notKept')}</p>
            <ImportNoticeList notices={pasteNotices} />
            <button type="button" className="button button--small" onClick={() => setPasteNotices([])} data-testid="paste-notice-dismiss">
              {t('imports.dismiss')}
            </button>
          </div>
        )}
      </div>
      <EditorContent editor={editor} className="editor__content" />
      {markTarget && <ConsensusDialog editor={editor} target={markTarget} onClose={() => setMarkTarget(null)} />}
    </div>
  );
}

function contentAttributes(label: string, language: string | undefined): Record<string, string> {
  return {
    id: 'document-content',
    'aria-label': label,
    'aria-multiline': 'true',
    role: 'textbox',
    class: 'document-content',
    spellcheck: 'true',
    ...(language ? { lang: language } : {}),
  };
}
