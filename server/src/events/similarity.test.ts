import { describe, expect, it } from 'vitest';
import { groupSimilar, SIMILARITY_THRESHOLD, similarity } from './similarity';

// SPEC EV8: the fixture the threshold was set on. Paraphrases say the same
// thing in other words (as two sessions' takeaways on one point do); the
// non-paraphrases share a topic and often words, but say something else.
const PARAPHRASES: [string, string][] = [
  ['Governments should invest in affordable broadband for rural communities.', 'Affordable broadband in rural communities needs investment by governments.'],
  ['Meaningful connectivity requires affordable devices as well as access.', 'Access alone is not enough: meaningful connectivity also requires affordable devices.'],
  ['AI governance frameworks must include the Global South.', 'The Global South must be included in frameworks for the governance of AI.'],
  ['Multistakeholder participation strengthens the legitimacy of Internet governance.', 'Internet governance is more legitimate when participation is multistakeholder.'],
  ['Digital literacy programmes should target women and girls.', 'Programmes on digital literacy should be targeted at girls and women.'],
  ['Data protection laws should be harmonised across regions.', 'Regions should harmonise their data protection laws.'],
  ['Community networks can connect the unconnected where operators do not invest.', 'Where operators do not invest, community networks can connect the unconnected.'],
  ['Platforms need to be more transparent about content moderation decisions.', 'More transparency is needed from platforms on their content moderation decisions.'],
  ['Les gouvernements doivent investir dans le haut débit abordable pour les zones rurales.', 'Le haut débit abordable dans les zones rurales exige que les gouvernements investissent.'],
  ['人工智能治理框架必须包括全球南方。', '全球南方必须被纳入人工智能治理框架。'],
];

const NON_PARAPHRASES: [string, string][] = [
  ['Governments should invest in affordable broadband for rural communities.', 'Governments should invest in cybersecurity skills for public servants.'],
  ['Meaningful connectivity requires affordable devices as well as access.', 'Satellite constellations raise questions of spectrum allocation.'],
  ['AI governance frameworks must include the Global South.', 'AI systems used in hiring should be audited for bias.'],
  ['Multistakeholder participation strengthens the legitimacy of Internet governance.', 'The IGF mandate should be renewed for a longer period.'],
  ['Digital literacy programmes should target women and girls.', 'Online gender-based violence must be reported and prosecuted.'],
  ['Data protection laws should be harmonised across regions.', 'Cross-border data flows support trade and development.'],
  ['Community networks can connect the unconnected where operators do not invest.', 'Operators should share infrastructure to lower the cost of networks.'],
  ['Platforms need to be more transparent about content moderation decisions.', 'Platforms should pay news publishers for the content they distribute.'],
  ['Les gouvernements doivent investir dans le haut débit abordable pour les zones rurales.', 'Les gouvernements doivent protéger les données personnelles des citoyens.'],
  ['人工智能治理框架必须包括全球南方。', '数据保护法律应在各区域之间协调一致。'],
];

// The background every pair is measured in: the whole fixture, as a track's takeaways would be.
const CORPUS = [...PARAPHRASES.flat(), ...NON_PARAPHRASES.flat()];

describe('similarity of takeaways (SPEC EV8)', () => {
  it('scores every paraphrase at or above the threshold', () => {
    const low = PARAPHRASES.map(([a, b]) => ({ a, score: similarity(a, b, CORPUS) })).filter((p) => p.score < SIMILARITY_THRESHOLD);
    expect(low).toEqual([]);
  });

  it('scores every non-paraphrase below the threshold', () => {
    const high = NON_PARAPHRASES.map(([a, b]) => ({ b, score: similarity(a, b, CORPUS) })).filter((p) => p.score >= SIMILARITY_THRESHOLD);
    expect(high).toEqual([]);
  });

  it('groups paraphrases together and keeps the rest apart', () => {
    const texts = [PARAPHRASES[0]![0], NON_PARAPHRASES[0]![1], PARAPHRASES[0]![1], PARAPHRASES[2]![0], NON_PARAPHRASES[2]![1], PARAPHRASES[2]![1]];
    expect(groupSimilar(texts)).toEqual([0, 1, 0, 2, 3, 2]);
  });
});
