import { REGIONS, STAKEHOLDER_GROUPS } from '@rapporteur/protocol';
import { useTranslation } from 'react-i18next';
import { Field, useProblemText } from './fields';
import type { ProfileValues, Problems } from './forms';

/**
 * The profile fields shared by sign-up and the profile page: display name,
 * organisation, country, stakeholder group and region. `testIds` prefixes
 * the test hooks (`signup-name`, …) when given.
 */
export function ProfileFields({
  values,
  onChange,
  problems,
  serverProblems,
  testIdPrefix,
}: {
  values: ProfileValues;
  onChange: (key: keyof ProfileValues, value: string) => void;
  problems: Problems<keyof ProfileValues>;
  serverProblems: Readonly<Record<string, string>>;
  testIdPrefix?: string;
}) {
  const { t } = useTranslation();
  const problemText = useProblemText();
  const error = (key: keyof ProfileValues): string | undefined => problemText(problems[key] ?? serverProblems[key]);
  const testId = (name: string): string | undefined => (testIdPrefix ? `${testIdPrefix}-${name}` : undefined);
  return (
    <>
      <Field label={t('signup.name')} hint={t('signup.nameHint')} error={error('name')}>
        {(props) => (
          <input
            {...props}
            type="text"
            autoComplete="name"
            required
            maxLength={120}
            data-testid={testId('name')}
            value={values.name}
            onChange={(e) => onChange('name', e.target.value)}
          />
        )}
      </Field>
      <Field label={t('signup.organisation')} optional error={error('organisation')}>
        {(props) => (
          <input
            {...props}
            type="text"
            autoComplete="organization"
            maxLength={200}
            data-testid={testId('organisation')}
            value={values.organisation}
            onChange={(e) => onChange('organisation', e.target.value)}
          />
        )}
      </Field>
      <Field label={t('signup.country')} optional error={error('country')}>
        {(props) => (
          <input
            {...props}
            type="text"
            autoComplete="country-name"
            maxLength={200}
            data-testid={testId('country')}
            value={values.country}
            onChange={(e) => onChange('country', e.target.value)}
          />
        )}
      </Field>
      <Field label={t('signup.stakeholderGroup')} hint={t('signup.stakeholderGroupHint')} error={error('stakeholderGroup')}>
        {(props) => (
          <select
            {...props}
            required
            data-testid={testId('stakeholder-group')}
            value={values.stakeholderGroup}
            onChange={(e) => onChange('stakeholderGroup', e.target.value)}
          >
            <option value="" disabled>
              {t('signup.choose')}
            </option>
            {STAKEHOLDER_GROUPS.map((group) => (
              <option key={group} value={group}>
                {t(`stakeholder.name.${group}`)}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label={t('signup.region')} hint={t('signup.regionHint')} error={error('region')}>
        {(props) => (
          <select {...props} required data-testid={testId('region')} value={values.region} onChange={(e) => onChange('region', e.target.value)}>
            <option value="" disabled>
              {t('signup.choose')}
            </option>
            {REGIONS.map((region) => (
              <option key={region} value={region}>
                {t(`region.${region}`)}
              </option>
            ))}
          </select>
        )}
      </Field>
    </>
  );
}
