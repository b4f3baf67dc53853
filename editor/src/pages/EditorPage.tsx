import { ApiError, type DocumentView } from '@rapporteur/client/http';
import { isLanguage } from '@rapporteur/i18n/languages';
import { type ImportNotice, parseDocumentId, type TranslationsView } from '@rapporteur/protocol';
import { lazy, type ReactNode, Suspense, useCallback, useEffect, useId, useRef, useState, useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useParams, useSearchParams } from 'react-router';
import { ImportNoticeList } from '../imports/ImportNotices';
import { ActivityAnnouncer } from '../a11y/ActivityAnnouncer';
import { errorMessage, isNotFound, useApi } from '../api/ApiContext';
import { CommentsController } from '../comments/controller';
import { CommentsPanel } from '../comments/CommentsPanel';
import { ConsensusController } from '../consensus/ConsensusController';
import { ConsensusPanel } from '../consensus/ConsensusPanel';
import { CitationsController } from '../consolidation/CitationsController';
import { FindController, protectedByComments } from '../find/FindController';
import { CollaborativeEditor } from '../document/CollaborativeEditor';
import { DocumentLanguage } from '../document/DocumentLanguage';
import { DocumentTitle } from '../document/DocumentTitle';
import { ExportLinks } from '../document/ExportLinks';
import { Presence } from '../document/Presence';
import { refusalKind, refusalNoticeKey } from '../document/refusal';
import { abilities } from '../document/role';
import { RoleNotice } from '../document/RoleNotice';
import { SaveStatus } from '../document/SaveStatus';
import { useReadingPosition } from '../document/readingPosition';
import { useConnection } from '../document/useConnection';
import { historyAbilities } from '../history/history';
import { AuthorshipController } from '../history/AuthorshipController';
import { WhoWroteThis } from '../history/WhoWroteThis';
import { useSession } from '../session/SessionContext';
import { useAuthGate, useSignInRedirect } from '../session/useAuthGate';
import { ShareButton } from '../share/ShareButton';
import { PublishButton } from '../publish/PublishButton';
import { useDocumentTitle } from '../useDocumentTitle';
import { OutlineController } from '../outline/OutlineController';
import { WorkflowBar } from '../workflow/WorkflowBar';
import { WorkflowController } from '../workflow/WorkflowController';
import { OutlinePanel } from '../outline/OutlinePanel';
import type { SourceAccess } from '../translations/SourcePane';
import { TranslationController } from '../translations/TranslationController';
import { SegmentBar } from '../translations/SegmentBar';
import { SourceColumn } from '../translations/SourceColumn';
import { TranslationsBar } from '../translations/TranslationsBar';
import { NotFoundPage } from './NotFoundPage';

// Loaded when first opened: most visits never look at the history (issue 13's light first load).
const HistoryPanel = lazy(async () => ({ default: (await import('../history/HistoryPanel')).HistoryPanel }));
// Only the writers and readers of a track's messages use it (issue 11). It imports nothing the editor's
// chunk holds (what it needs of the text goes through CitationsController): a module both import would
// become a chunk of its own on the first load.
const ConsolidationPanel = lazy(async () => ({ default: (await import('../consolidation/ConsolidationPanel')).ConsolidationPanel }));


/** Whether this browser shows a translation's original beside it (on unless turned off). */
const SIDE_BY_SIDE_KEY = 'rapporteur:side-by-side';
function storedSideBySide(): boolean {
  try {
    return window.localStorage.getItem(SIDE_BY_SIDE_KEY) !== 'off';
  } catch {
    return true;
  }
}

export function EditorPage() {
  const { documentId: raw = '' } = useParams();
  const documentId = parseDocumentId(raw);
  if (documentId === null) return <NotFoundPage kind="document" />;
  // A new session (connection, editor, title) for every document.
  return <DocumentSession key={documentId} documentId={documentId} />;
}

type Refusal = { readonly code: number; readonly reason: string };

type MetaState =
  | { kind: 'loading' }
  | { kind: 'loaded'; summary: DocumentView }
  | { kind: 'notFound' }
  | { kind: 'forbidden' }
  | { kind: 'error'; message: string };

/**
 * One open document. The text is available as soon as the connection exists,
 * even when the title cannot be fetched (offline, the IndexedDB copy is
 * editable); only a document the server does not know leads to "not found".
 * On a server with accounts, the caller's role decides what the page offers,
 * and "not signed in" (HTTP 401, socket 4401) leads to the sign-in page.
 */
function DocumentSession({ documentId }: { documentId: string }) {
  const { t, i18n } = useTranslation();
  const api = useApi();
  const connection = useConnection(documentId);
  const [meta, setMeta] = useState<MetaState>({ kind: 'loading' });
  const [attempt, setAttempt] = useState(0);
  const gate = useAuthGate();
  const signIn = useSignInRedirect();
  const { session } = useSession();
  useDocumentTitle(meta.kind === 'loaded' ? meta.summary.title : null);
  // Comments of this document, outside React state: the editor never re-renders for them.
  const [comments] = useState(() => new CommentsController(api, documentId));
  const [searchParams] = useSearchParams();
  const linkedComment = searchParams.get('comment');
  const [historyOpen, setHistoryOpen] = useState(false);
  const historyButton = useRef<HTMLButtonElement | null>(null);
  const historyPanelId = useId();
  const [authorship] = useState(() => new AuthorshipController());
  const [consensus] = useState(() => new ConsensusController());
  const [outline] = useState(() => new OutlineController(() => i18n.language));
  const [workflow] = useState(() => new WorkflowController());
  const [outlineOpen, setOutlineOpen] = useState(false);
  const [sheetOpen, setSheetOpen] = useState(true);
  const outlineButton = useRef<HTMLButtonElement | null>(null);
  const outlinePanelId = useId();
  const [consensusOpen, setConsensusOpen] = useState(false);
  const consensusButton = useRef<HTMLButtonElement | null>(null);
  const consensusPanelId = useId();
  // Citations of session reports (SPEC EV9, EV10): their status drawn in the text, the consolidation panel.
  const [citations] = useState(() => new CitationsController());
  const citationCount = useSyncExternalStore(citations.subscribe, () => citations.getSnapshot().local.length);
  const [consolidationOpen, setConsolidationOpen] = useState(false);
  const consolidationButton = useRef<HTMLButtonElement | null>(null);
  const consolidationPanelId = useId();
  const linkedBlock = searchParams.get('block');
  // Find and replace (SPEC FR1–FR4): replacing leaves alone what open comments and suggestions depend on.
  const [find] = useState(() => new FindController(() => protectedByComments(comments)));
  // A translation's paragraphs (SPEC LT3–LT5); started only on a translation. Kept in the editor's chunk:
  // split off, the shared modules went to a chunk of their own and the first load grew more than by this code.
  const [translation] = useState(() => new TranslationController(api, documentId));
  const [family, setFamily] = useState<TranslationsView | null>(null);
  const [familyAttempt, setFamilyAttempt] = useState(0);
  const [sideBySide, setSideBySide] = useState(storedSideBySide);
  const sourceAccess = useRef<SourceAccess | null>(null);

  useEffect(() => {
    let cancelled = false;
    api.getDocument(documentId).then(
      (summary) => !cancelled && setMeta({ kind: 'loaded', summary }),
      (error: unknown) => {
        if (cancelled || gate(error)) return;
        if (isNotFound(error)) setMeta({ kind: 'notFound' });
        else if (error instanceof ApiError && error.status === 403) setMeta({ kind: 'forbidden' });
        else setMeta({ kind: 'error', message: errorMessage(error) });
      },
    );
    return () => {
      cancelled = true;
    };
  }, [api, documentId, attempt, gate]);

  // A refused socket says why (refusal.ts): "not signed in" (4401) means the
  // session ended — sign in and come back; the others are shown below.
  const [refusal, setRefusal] = useState<Refusal | null>(null);
  useEffect(() => {
    if (!connection) return;
    const check = (next: Refusal | null): void => {
      setRefusal(next);
      if (next && refusalKind(next.code) === 'signIn') signIn();
    };
    check(connection.status.refusal);
    return connection.subscribe((s) => check(s.refusal));
  }, [connection, signIn]);

  // Opened offline: fetch the title again once the server is reachable.
  const failed = meta.kind === 'error';
  useEffect(() => {
    if (!connection || !failed) return;
    return connection.subscribe((s) => {
      if (s.connection === 'connected') setAttempt((n) => n + 1);
    });
  }, [connection, failed]);

  // Until the text has synced once, a passage that is not found may simply not have arrived yet.
  const [textSynced, setTextSynced] = useState(false);
  useEffect(() => {
    if (!connection) return;
    const check = (synced: boolean): void => {
      if (synced) setTextSynced(true);
    };
    check(connection.status.synced);
    return connection.subscribe((s) => check(s.synced));
  }, [connection]);

  // Comments exist on servers with accounts: the document then has a role.
  const commentsEnabled = meta.kind === 'loaded' && meta.summary.role !== undefined;
  const userId = session.kind === 'signed-in' ? session.user.id : null;
  useEffect(() => {
    if (!commentsEnabled) return;
    comments.start();
    return () => comments.stop();
  }, [comments, commentsEnabled]);
  useEffect(() => comments.store.setUser(userId), [comments, userId]);
  useEffect(() => {
    if (!commentsEnabled) return;
    citations.start(api, documentId);
    return () => citations.stop();
  }, [api, citations, commentsEnabled, documentId]);
  // "source changed" in the text opens the panel on that citation.
  useEffect(() => citations.onDetails(() => setConsolidationOpen(true)), [citations]);

  // The document as the server has it now (a move, a deadline, a rename; SPEC WF9).
  const updateSummary = useCallback(
    (summary: DocumentView) => setMeta((current) => (current.kind === 'loaded' ? { kind: 'loaded', summary: { ...current.summary, ...summary } } : current)),
    [],
  );
  useEffect(() => {
    if (!commentsEnabled) return;
    return comments.onDocument((summary) => {
      if (summary) updateSummary(summary);
      else void api.getDocument(documentId).then(updateSummary, () => {});
    });
  }, [api, comments, commentsEnabled, documentId, updateSummary]);

  // The translation family in the header (SPEC LT6), again when the server says the document changed.
  const familyEnabled = meta.kind === 'loaded' && meta.summary.role !== undefined;
  useEffect(() => {
    if (!familyEnabled) return;
    let cancelled = false;
    api.translations(documentId).then(
      (view) => !cancelled && setFamily(view),
      () => undefined,
    );
    return () => {
      cancelled = true;
    };
  }, [api, documentId, familyEnabled, familyAttempt]);
  const isTranslation = meta.kind === 'loaded' && typeof meta.summary.translationOf === 'string';
  useEffect(() => {
    if (!isTranslation || !commentsEnabled) return;
    translation.start();
    const unsubscribe = comments.onDocument(() => void translation.refresh());
    return () => {
      unsubscribe();
      translation.stop();
    };
  }, [comments, commentsEnabled, isTranslation, translation]);
  useEffect(() => {
    if (!commentsEnabled) return;
    return comments.onDocument(() => setFamilyAttempt((n) => n + 1));
  }, [comments, commentsEnabled]);
  const changeSideBySide = (on: boolean): void => {
    setSideBySide(on);
    try {
      window.localStorage.setItem(SIDE_BY_SIDE_KEY, on ? 'on' : 'off');
    } catch {
      // Private windows may refuse storage: the choice lasts for this page.
    }
  };

  // `?comment=<id>` (a notification's link) selects that thread, once it is known.
  useEffect(() => {
    if (!commentsEnabled || !linkedComment) return;
    const store = comments.store;
    const trySelect = (): boolean => {
      const found = store.getSnapshot().byId.get(linkedComment);
      if (!found) return false;
      comments.select(found.parentId ?? found.id, 'link');
      return true;
    };
    if (trySelect()) return;
    const unsubscribe = store.subscribe(() => {
      if (trySelect()) unsubscribe();
    });
    return unsubscribe;
  }, [comments, commentsEnabled, linkedComment]);

  // `?block=<id>` (a citation's link to its source passage) puts the caret there once the text has arrived.
  const jumpedTo = useRef<string | null>(null);
  useEffect(() => {
    if (!linkedBlock || !textSynced || jumpedTo.current === linkedBlock) return;
    // The editor attaches the outline as it mounts, just after the text syncs: try on the next frames.
    let frame = 0;
    let tries = 0;
    const attempt = (): void => {
      if (outline.jumpTo(linkedBlock) || ++tries > 30) jumpedTo.current = linkedBlock;
      else frame = requestAnimationFrame(attempt);
    };
    attempt();
    return () => cancelAnimationFrame(frame);
  }, [linkedBlock, outline, textSynced]);

  const refused = refusal ? refusalKind(refusal.code) : null;
  if (meta.kind === 'notFound' || refused === 'notFound') return <NotFoundPage kind="document" />;
  // Access removed while open; when the page never had access, "access denied" below says it already.
  const accessRemoved = refused === 'accessRemoved';
  const refusalNotice = refused === 'tooLarge' || refused === 'other' || (accessRemoved && meta.kind !== 'forbidden') ? refused : null;

  const title = meta.kind === 'loaded' ? meta.summary.title : '';
  const role = meta.kind === 'loaded' ? meta.summary.role : undefined;
  const can = abilities(role);
  const showHistory = meta.kind === 'loaded' && historyAbilities(role).read && !accessRemoved;
  // Markers are listed for anyone who may read (the server decides; a role means accounts).
  const showConsensus = meta.kind === 'loaded' && role !== undefined && !accessRemoved;
  // The takeaways of a track's sessions beside its messages; on any other text, its citations (when it has some).
  const isMessages = meta.kind === 'loaded' && meta.summary.type === 'igf-messages';
  const showConsolidation = meta.kind === 'loaded' && role !== undefined && !accessRemoved && (isMessages || citationCount > 0);
  // With accounts, the editor waits for the role, so a reader's client never starts out writable.
  // Without (or offline: the session could not be asked), it opens at once, as it always did.
  const editorReady = connection !== null && (session.kind === 'no-accounts' || meta.kind !== 'loading');
  // A reload opens a long document where the person was reading (not when a link points at a comment).
  useReadingPosition(documentId, editorReady && textSynced, linkedComment !== null);
  // A translation shows its original beside it when the reader may read it (SPEC LT2).
  const source = isTranslation && family?.source && isLanguage(family.source.language) ? family.source : null;
  const showSource = source !== null && sideBySide && !accessRemoved;
  return (
    <div className={showSource ? 'editor-page editor-page--side-by-side' : 'editor-page'}>
      <h1 className="visually-hidden">{t('editor.pageHeading', { title: title || t('editor.untitled') })}</h1>
      <div className="editor-page__top">
        <Link to="/" className="back-link">
          <span aria-hidden="true" className="back-link__arrow">
            {t('editor.backArrow')}
          </span>{' '}
          {t('editor.backToList')}
        </Link>
        <div className="editor-page__heading">
          {meta.kind === 'loaded' ? (
            <DocumentTitle
              summary={meta.summary}
              readOnly={!can.rename}
              onRenamed={(summary) => setMeta({ kind: 'loaded', summary: { ...meta.summary, ...summary } })}
            />
          ) : (
            <div className="document-title document-title--placeholder" aria-hidden="true" />
          )}
          {meta.kind === 'loaded' && can.share && !accessRemoved && (
            <ShareButton document={meta.summary} onChanged={(summary) => setMeta({ kind: 'loaded', summary: { ...meta.summary, ...summary } })} />
          )}
          {meta.kind === 'loaded' && can.share && !accessRemoved && (
            <PublishButton
              document={meta.summary}
              onPublished={() => {
                api.getDocument(documentId).then((summary) => setMeta({ kind: 'loaded', summary }), () => undefined);
              }}
            />
          )}
          <ExportLinks documentId={documentId} title={title} />
          {showHistory && (
            <button
              type="button"
              ref={historyButton}
              className="button button--small"
              aria-expanded={historyOpen}
              aria-controls={historyOpen ? historyPanelId : undefined}
              onClick={() => setHistoryOpen(!historyOpen)}
              data-testid="history-toggle"
            >
              {t('history.open')}
            </button>
          )}
          {connection && (
            <button
              type="button"
              ref={outlineButton}
              className="button button--small"
              aria-expanded={outlineOpen}
              aria-controls={outlineOpen ? outlinePanelId : undefined}
              onClick={() => setOutlineOpen(!outlineOpen)}
              data-testid="outline-toggle"
            >
              {t('outline.open')}
            </button>
          )}
          {connection && (
            <button
              type="button"
              className="button button--small"
              aria-keyshortcuts="Control+F"
              onClick={() => find.show(false)}
              data-testid="find-toggle"
            >
              {t('find.open')}
            </button>
          )}
          {showConsensus && (
            <button
              type="button"
              ref={consensusButton}
              className="button button--small"
              aria-expanded={consensusOpen}
              aria-controls={consensusOpen ? consensusPanelId : undefined}
              onClick={() => setConsensusOpen(!consensusOpen)}
              data-testid="consensus-toggle"
            >
              {t('markers.open')}
            </button>
          )}
          {showConsolidation && (
            <button
              type="button"
              ref={consolidationButton}
              className="button button--small"
              aria-expanded={consolidationOpen}
              aria-controls={consolidationOpen ? consolidationPanelId : undefined}
              onClick={() => setConsolidationOpen(!consolidationOpen)}
              data-testid="consolidation-toggle"
            >
              {isMessages ? t('consolidation.open') : t('consolidation.openCitations')}
            </button>
          )}
          {showHistory && connection && (
            <WhoWroteThis
              api={api}
              documentId={documentId}
              controller={authorship}
              self={session.kind === 'signed-in' ? { id: session.user.id, name: session.user.name, stakeholderGroup: session.user.stakeholderGroup } : null}
              clientId={connection.doc.clientID}
            />
          )}
        </div>
        {meta.kind === 'loaded' && meta.summary.type && (meta.summary.type !== 'blank' || meta.summary.template) && (
          <p className="document-type" data-testid="document-type" data-type={meta.summary.type} data-template-version={meta.summary.template?.version}>
            <span className="visually-hidden">{t('templates.header.label')}: </span>
            <span className="document-type__name">{t(`templates.type.${meta.summary.type}.name`)}</span>
            {meta.summary.template && (
              <span className="document-type__template">
                {' · '}
                {t('templates.header.template', { name: meta.summary.template.name, version: meta.summary.template.version })}
              </span>
            )}
          </p>
        )}
        {meta.kind === 'loaded' && (
          <DocumentLanguage
            document={meta.summary}
            canEdit={can.edit && !accessRemoved}
            onChanged={(summary) => setMeta({ kind: 'loaded', summary: { ...meta.summary, ...summary } })}
          />
        )}
        {meta.kind === 'loaded' && role && !accessRemoved && (
          <TranslationsBar
            api={api}
            document={meta.summary}
            canTranslate={can.edit}
            family={family}
            sideBySide={sideBySide}
            onSideBySide={changeSideBySide}
            onError={gate}
          />
        )}
        {role && !accessRemoved && <RoleNotice role={role} />}
        {meta.kind === 'loaded' && meta.summary.status && role && !accessRemoved && (
          <WorkflowBar
            api={api}
            document={meta.summary}
            canEdit={can.edit && refused === null}
            controller={workflow}
            onChanged={updateSummary}
            onError={gate}
          />
        )}
        {meta.kind === 'error' && (
          <p className="notice notice--error" role="alert">
            {t('editor.loadError', { message: meta.message })}
          </p>
        )}
        {meta.kind === 'forbidden' && (
          <p className="notice notice--error" role="alert" data-testid="access-denied">
            {t('editor.accessDenied')}
          </p>
        )}
        {refusalNotice && (
          <p className="notice notice--error" role="alert" data-testid="read-only" data-refusal={refusalNotice}>
            {t(refusalNoticeKey(refusalNotice), { reason: refusal?.reason ?? '' })}
          </p>
        )}
        {connection && <SaveStatus connection={connection} />}
        {connection && <ActivityAnnouncer connection={connection} comments={commentsEnabled ? comments : null} userId={userId} />}
      </div>
      <ImportedNotice />
      <div className="editor-page__body">
        <div className="editor-page__main">
          {/* The same tree with or without the original beside it, so turning it on never remounts the editor. */}
          <div className={showSource ? 'side-by-side side-by-side--on' : 'side-by-side'}>
            {showSource && source && (
              <SourceColumn sourceId={source.id} language={source.language} title={source.title} controller={translation} access={sourceAccess} />
            )}
            <div className="side-by-side__target">
              {editorReady ? (
                <CollaborativeEditor
                  key={connection.doc.guid}
                  connection={connection}
                  readOnly={!can.edit || meta.kind === 'forbidden'}
                  comments={comments}
                  authorship={authorship}
                  consensus={consensus}
                  outline={outline}
                  workflow={workflow}
                  translation={isTranslation ? translation : undefined}
                  citations={citations}
                  find={find}
                  chrome={isTranslation ? <SegmentBar controller={translation} canEdit={can.edit && refused === null} source={sourceAccess} /> : undefined}
                  language={meta.kind === 'loaded' ? meta.summary.language : undefined}
                />
              ) : (
                <p className="notice" role="status">
                  {t('editor.loading')}
                </p>
              )}
            </div>
          </div>
        </div>
        <div className="editor-page__side" data-sheet={sheetOpen ? 'open' : 'closed'} data-testid="side-sheet">
          {/* On a phone the panels are a sheet over the bottom of the text, one tap from any passage; this folds it away. */}
          <button
            type="button"
            className="side-sheet__toggle"
            aria-expanded={sheetOpen}
            onClick={() => setSheetOpen(!sheetOpen)}
            data-testid="side-sheet-toggle"
          >
            {sheetOpen ? t('editor.sheetHide') : t('editor.sheetShow')}
          </button>
          {outlineOpen && connection && (
            <div id={outlinePanelId}>
              <OutlinePanel
                controller={outline}
                onClose={() => {
                  setOutlineOpen(false);
                  outlineButton.current?.focus();
                }}
              />
            </div>
          )}
          {showConsensus && consensusOpen && connection && (
            <div id={consensusPanelId}>
              <ConsensusPanel
                api={api}
                documentId={documentId}
                doc={connection.doc}
                controller={consensus}
                onClose={() => {
                  setConsensusOpen(false);
                  consensusButton.current?.focus();
                }}
              />
            </div>
          )}
          {showConsolidation && consolidationOpen && (
            <LazyPanel id={consolidationPanelId} loading={t('consolidation.loading')}>
              <ConsolidationPanel
                api={api}
                documentId={documentId}
                controller={citations}
                canEdit={can.edit && refused === null}
                onClose={() => {
                  setConsolidationOpen(false);
                  citations.select(null);
                  consolidationButton.current?.focus();
                }}
              />
            </LazyPanel>
          )}
          {showHistory && historyOpen && (
            <LazyPanel id={historyPanelId} loading={t('history.loadingPanel')}>
              <HistoryPanel
                api={api}
                documentId={documentId}
                role={role}
                onClose={() => {
                  setHistoryOpen(false);
                  historyButton.current?.focus();
                }}
              />
            </LazyPanel>
          )}
          {commentsEnabled && !accessRemoved && (
            <CommentsPanel
              controller={comments}
              api={api}
              documentId={documentId}
              title={title}
              role={role}
              user={session.kind === 'signed-in' ? session.user : null}
              period={meta.summary.commentPeriod}
              canEdit={can.edit && refused === null}
              textSynced={textSynced}
            />
          )}
          {connection && <Presence connection={connection} />}
        </div>
      </div>
    </div>
  );
}

/** A side panel loaded on first use: "Loading…" in a live region until its chunk has arrived. */
function LazyPanel({ id, loading, children }: { id: string; loading: string; children: ReactNode }) {
  return (
    <div id={id}>
      <Suspense
        fallback={
          <p className="notice" role="status">
            {loading}
          </p>
        }
      >
        {children}
      </Suspense>
    </div>
  );
}

/**
 * After "Import a file" (SPEC IM7) the new document opens with what the
 * import could not keep, as a paste says it (PA4), until dismissed; the
 * notices travel in the navigation's state, so a reload does not repeat them.
 */
function ImportedNotice() {
  const { t } = useTranslation();
  const location = useLocation();
  const state = location.state as { importedFile?: string; importNotices?: readonly ImportNotice[] } | null;
  const [notices, setNotices] = useState<readonly ImportNotice[]>(() => state?.importNotices ?? []);
  return (
    <div role="status" className="paste-notice" data-testid="import-notice-region">
      {notices.length > 0 && (
        <div className="notice" data-testid="import-notice">
          <p>{t('imports.opened.notKept', { file: state?.importedFile ?? '' })}</p>
          <ImportNoticeList notices={notices} />
          <button type="button" className="button button--small" onClick={() => setNotices([])}>
            {t('imports.dismiss')}
          </button>
        </div>
      )}
    </div>
  );
}
