import { REGIONS, STAKEHOLDER_GROUPS } from '@rapporteur/protocol';
import { describe, expect, it } from 'vitest';
import { createI18n } from '../i18n';
import { contrastRatio } from '../identity/identity';
import { parseStakeholderGroup, STAKEHOLDER_COLORS, stakeholderLabelKeys } from './stakeholder';

const { t } = createI18n({ lng: 'en' });

describe('stakeholder badges', () => {
  it('give every group a short label, a full name and a colour white text can sit on', () => {
    const shorts = new Set<string>();
    for (const group of STAKEHOLDER_GROUPS) {
      const keys = stakeholderLabelKeys(group);
      const short = t(keys.short);
      const name = t(keys.name);
      expect(short, group).not.toBe(keys.short);
      expect(name, group).not.toBe(keys.name);
      expect(short.length, group).toBeLessThanOrEqual(6);
      shorts.add(short);
      expect(contrastRatio(STAKEHOLDER_COLORS[group], '#ffffff'), group).toBeGreaterThanOrEqual(4.5);
    }
    expect(shorts.size).toBe(STAKEHOLDER_GROUPS.length);
  });

  it('uses the agreed abbreviations', () => {
    expect(STAKEHOLDER_GROUPS.map((g) => t(stakeholderLabelKeys(g).short))).toEqual(['GOV', 'IGO', 'PRIV', 'CSO', 'TECH', 'ACAD', 'MEDIA', 'OTHER']);
  });

  it('knows exactly the groups of the protocol', () => {
    expect(Object.keys(STAKEHOLDER_COLORS).sort()).toEqual([...STAKEHOLDER_GROUPS].sort());
  });

  it('has distinct colours', () => {
    expect(new Set(Object.values(STAKEHOLDER_COLORS)).size).toBe(STAKEHOLDER_GROUPS.length);
  });

  it('has a name for every region', () => {
    for (const region of REGIONS) expect(t(`region.${region}`)).not.toBe(`region.${region}`);
  });
});

describe('parseStakeholderGroup', () => {
  it('accepts known groups only', () => {
    expect(parseStakeholderGroup('academia')).toBe('academia');
    expect(parseStakeholderGroup('Academia')).toBeNull();
    expect(parseStakeholderGroup('<script>')).toBeNull();
    expect(parseStakeholderGroup(3)).toBeNull();
    expect(parseStakeholderGroup('toString')).toBeNull();
  });
});
