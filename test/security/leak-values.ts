// The plaintext personal values the demo and the seeded simulation send to the backbone, for the
// leak scan (test/e2e/leak-scan.e2e.spec.ts): every name, phone, birth date, statement, note and
// sealed locality, taken from the very story objects and seeded generator the CLI drives, so the
// list cannot drift from what was sent. What is deliberately not searched is listed with why.
import { DEMO_STORY } from '@nrm/cli';
import type { CaseStory } from '../../packages/cli/src/scenario/case-story.ts';
import { caseStories } from '../../packages/cli/src/scenario/case-stories.ts';
import { HANDOVER_STORY } from '../../packages/cli/src/scenario/outgoing-handover.ts';

/** One plaintext value and where it came from (`demo victim.fullName`, `simulated #3 reporter.phone`). */
export type PlainValue = { value: string; what: string };

/** The shortest value searched: shorter ones would match ordinary text by chance. */
export const MIN_VALUE_LENGTH = 4;

/** Sent in the clear by design (countable profile, places, operational facts): not personal identifiers. */
export const NOT_SEARCHED: readonly { field: string; why: string }[] = [
  { field: 'tip.province, homeProvince, foundIn.province', why: 'province names: clear by design (statistics per province) and common words of every event' },
  { field: 'borderGate, exploitation.country, countryName', why: 'border gates and countries: clear facts of every return and handover' },
  { field: 'victim.sex, ageGroup, child, nationality', why: 'the countable profile the statistics and packets carry in the clear by design' },
  { field: 'tip.channel, exploitation.forms', why: 'closed vocabularies (hotline-111, forced-labour): appear in every case' },
  { field: 'HANDOVER_STORY.counterpartReference, receivedBy', why: 'the receiving authority and its file number: operational, not about the girl, sent in the clear in every packet' },
  { field: 'the referral summaries and outcomes the chain posts', why: 'fixed scenario phrases ("Returned from abroad; needs shelter and care") with no personal data, clear by design' },
];

/** The demo's two stories: the Vietnamese victim and her mother (the reporter), and the Cambodian girl. */
export function demoValues(): PlainValue[] {
  const { victim } = DEMO_STORY;
  return [
    ...storyValues(DEMO_STORY, 'demo'),
    // The verification step's note names the victim (referral-chain.ts); sealed for her.
    { value: `Interview with the family of ${victim.fullName}`, what: 'demo verification note' },
    { value: HANDOVER_STORY.victim.fullName, what: 'handover victim.fullName' },
    { value: HANDOVER_STORY.victim.dateOfBirth, what: 'handover victim.dateOfBirth' },
    // The exact place she was found is sealed for the rescue (rescue operation-routes.ts).
    { value: HANDOVER_STORY.foundIn.locality, what: 'handover foundIn.locality' },
  ];
}

/** The stories `nrm simulate --seed <seed> --cases <cases>` drives, generated again from the same seed. */
export function simulatedValues(seed: number, cases: number): PlainValue[] {
  const next = caseStories(seed);
  return Array.from({ length: cases }, (_, index) => storyValues(next(), `simulated #${index}`)).flat();
}

function storyValues(story: CaseStory, label: string): PlainValue[] {
  const { victim, tip } = story;
  const values: PlainValue[] = [
    { value: victim.fullName, what: `${label} victim.fullName` },
    { value: victim.dateOfBirth, what: `${label} victim.dateOfBirth` },
    { value: tip.statement, what: `${label} tip.statement` },
  ];
  if (victim.phone) values.push({ value: victim.phone, what: `${label} victim.phone` });
  if (tip.reporter) values.push({ value: tip.reporter.fullName, what: `${label} reporter.fullName` }, { value: tip.reporter.phone, what: `${label} reporter.phone` });
  return values;
}

/** Distinct values of at least MIN_VALUE_LENGTH characters; the same name drawn twice is one value. */
export function distinctValues(values: readonly PlainValue[]): { searched: PlainValue[]; tooShort: PlainValue[] } {
  const seen = new Map<string, PlainValue>();
  const tooShort: PlainValue[] = [];
  for (const value of values) {
    if (value.value.trim().length < MIN_VALUE_LENGTH) tooShort.push(value);
    else if (!seen.has(value.value)) seen.set(value.value, value);
  }
  return { searched: [...seen.values()], tooShort };
}
