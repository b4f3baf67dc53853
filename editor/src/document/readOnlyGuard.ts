import { Extension } from '@tiptap/core';
import { Plugin, PluginKey, type Transaction } from '@tiptap/pm/state';
import { ySyncPluginKey } from '@tiptap/y-tiptap';

/**
 * Whether a transaction would change the shared text from this client.
 * y-sync's own transactions (carrying its meta) bring the Y.Doc into the
 * editor: a reader must still receive those. Everything else that changes
 * the document (typing, paste, commands, and plugins such as block ids
 * adding attributes on their own) would become a Yjs update the server
 * refuses for a commenter or viewer.
 */
export function isLocalEdit(tr: Transaction): boolean {
  return tr.docChanged && tr.getMeta(ySyncPluginKey) === undefined;
}

/**
 * Drops local edits while `isReadOnly()` is true, so a commenter's or
 * viewer's client never writes to the Y.Doc (which would otherwise wait
 * forever for the server to accept it, and keep the refused change in the
 * offline copy). `setEditable(false)` alone stops typing, not commands or
 * plugins.
 *
 * A reader's text stays focusable with a caret (the editor is not set
 * non-editable for a role): a keyboard-only or screen-reader user must be
 * able to move through the text and select a passage to comment on. So
 * input is also refused before the browser changes the page: `beforeinput`
 * (typing, deleting, pasting, dropping) is cancelled, and paste and drop are
 * handled as nothing.
 */
export function readOnlyGuard(isReadOnly: () => boolean): Extension {
  return Extension.create({
    name: 'readOnlyGuard',
    addProseMirrorPlugins() {
      return [
        new Plugin({
          key: new PluginKey('readOnlyGuard'),
          filterTransaction: (tr) => !(isReadOnly() && isLocalEdit(tr)),
          props: {
            handleDOMEvents: {
              beforeinput: (_view, event) => {
                if (!isReadOnly()) return false;
                event.preventDefault();
                return true;
              },
            },
            handlePaste: () => isReadOnly(),
            handleDrop: () => isReadOnly(),
          },
        }),
      ];
    },
  });
}
