import type { Language } from '@rapporteur/i18n/languages';
import { useConnection } from '../document/useConnection';
import { type SourceAccess, SourcePane } from './SourcePane';
import type { TranslationController } from './TranslationController';

/**
 * The original of a translation, opened on a sync connection of its own
 * (read only: the pane never edits) for as long as it is shown beside the
 * translation.
 */
export function SourceColumn({
  sourceId,
  language,
  title,
  controller,
  access,
}: {
  sourceId: string;
  language: Language;
  title: string;
  controller: TranslationController;
  access: { current: SourceAccess | null };
}) {
  const connection = useConnection(sourceId);
  if (!connection) return null;
  return <SourcePane key={connection.doc.guid} connection={connection} language={language} title={title} controller={controller} access={access} />;
}
