import type { ImportNotice } from '@rapporteur/protocol';
import { useTranslation } from 'react-i18next';

/**
 * What a paste or an import could not keep, one line each (images with the
 * descriptions they had, colours, embedded objects, footnotes kept as text).
 * The caller puts it in a live region (`role="status"`).
 */
export function ImportNoticeList({ notices }: { notices: readonly ImportNotice[] }) {
  const { t } = useTranslation();
  return (
    <ul className="import-notices" data-testid="import-notices">
      {notices.map((n) => (
        <li key={n.code} data-notice={n.code}>
          {t(NOTICE_KEYS[n.code], { count: n.count })}
          {n.items && n.items.length > 0 && (
            <>
              {' '}
              {t('imports.notice.descriptions')}
              <ul>
                {n.items.map((item, i) => (
                  <li key={i}>
                    “{item}”
                  </li>
                ))}
              </ul>
            </>
          )}
        </li>
      ))}
    </ul>
  );
}

const NOTICE_KEYS = {
  images: 'imports.notice.images',
  colours: 'imports.notice.colours',
  embedded: 'imports.notice.embedded',
  'footnotes-as-text': 'imports.notice.footnotesAsText',
} as const satisfies Record<ImportNotice['code'], string>;
