import type { Role } from '@rapporteur/protocol';
import { useTranslation } from 'react-i18next';
import { roleNoticeKey } from './role';

/** What the person's role lets them do with this document, next to the title. */
export function RoleNotice({ role }: { role: Role }) {
  const { t } = useTranslation();
  const readOnly = role === 'commenter' || role === 'viewer';
  return (
    <p className={`role-notice${readOnly ? ' role-notice--read-only' : ''}`} data-testid="role-notice" data-role={role}>
      {t(roleNoticeKey(role))}
    </p>
  );
}
