import type { StakeholderGroup } from '@rapporteur/protocol';
import { useTranslation } from 'react-i18next';
import { STAKEHOLDER_COLORS, stakeholderLabelKeys } from './stakeholder';

/**
 * A person's stakeholder group: a short label (GOV, CSO, …) on the group's
 * colour, so it never relies on colour alone; the full name is its title and
 * what screen readers say. The short label is drawn from `data-label` by CSS,
 * so the text of a name next to it (presence list, header) stays the name.
 */
export function StakeholderBadge({ group }: { group: StakeholderGroup }) {
  const { t } = useTranslation();
  const keys = stakeholderLabelKeys(group);
  const name = t(keys.name);
  return (
    <span
      className="stakeholder-badge"
      style={{ backgroundColor: STAKEHOLDER_COLORS[group] }}
      title={name}
      role="img"
      aria-label={t('stakeholder.badgeLabel', { name })}
      data-testid="stakeholder-badge"
      data-group={group}
      data-label={t(keys.short)}
    />
  );
}
