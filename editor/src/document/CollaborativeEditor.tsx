import type { Connection } from '@rapporteur/client';
import { BODY_FIELD, schemaExtensions } from '@rapporteur/schema';
import Collaboration from '@tiptap/extension-collaboration';
import CollaborationCaret from '@tiptap/extension-collaboration-caret';
import { EditorContent, useEditor } from '@tiptap/react';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useIdentity } from '../identity/IdentityContext';
import { Toolbar } from './Toolbar';

/**
 * The toolbar and the text of one document, bound to the connection's Y.Doc.
 * Mount it once per connection (key it by the connection): the Collaboration
 * binding cannot move to another Y.Doc. Only the toolbar re-renders as the
 * selection changes; this component renders once per editor.
 */
export function CollaborativeEditor({ connection }: { connection: Connection }) {
  const { t } = useTranslation();
  const { identity } = useIdentity();
  // The caret needs a user when it is created; later changes go through updateUser below.
  const [initialUser] = useState(() => ({ name: identity.name, color: identity.color }));
  const contentLabel = t('editor.contentLabel');

  const editor = useEditor(
    {
      extensions: [
        ...schemaExtensions({ uniqueIds: true }),
        Collaboration.configure({ document: connection.doc, field: BODY_FIELD }),
        CollaborationCaret.configure({ provider: connection.provider, user: initialUser }),
      ],
      editorProps: {
        attributes: {
          id: 'document-content',
          'aria-label': contentLabel,
          'aria-multiline': 'true',
          role: 'textbox',
          class: 'document-content',
          spellcheck: 'true',
        },
      },
      immediatelyRender: true,
      shouldRerenderOnTransaction: false,
    },
    [connection],
  );

  // A new name or colour reaches the others through awareness, which also redraws our caret on their screens.
  useEffect(() => {
    connection.awareness.setLocalStateField('user', { name: identity.name, color: identity.color });
  }, [connection, identity.name, identity.color]);

  // Editing stops when the server refused the connection: nothing typed could be saved.
  const [refused, setRefused] = useState(false);
  useEffect(() => {
    const apply = (isRefused: boolean): void => {
      if (editor.isEditable === isRefused) editor.setEditable(!isRefused);
      setRefused(isRefused);
    };
    apply(connection.status.connection === 'refused');
    return connection.subscribe((s) => apply(s.connection === 'refused'));
  }, [connection, editor]);

  return (
    <div className="editor">
      <Toolbar editor={editor} disabled={refused} />
      {refused && (
        <p className="notice notice--error" data-testid="read-only">
          {t('editor.readOnly')}
        </p>
      )}
      <EditorContent editor={editor} className="editor__content" />
    </div>
  );
}
