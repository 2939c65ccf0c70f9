// Rules between fields of one payload that JSON Schema cannot state. Events and the commands
// that lead to them apply the same rule with `.superRefine`, so a command that would produce an
// invalid event is refused at the edge; field descriptions repeat each rule for the catalog.
import type { z } from 'zod';
import { HOME_COUNTRY } from '../reference/countries.ts';
import { BORDER_GATES } from '../reference/border-gates.ts';
import { isSealedField } from '../sealed-field.ts';
import { ADULT_AGE_GROUPS, CHILD_AGE_GROUPS } from './vocabulary.ts';

type Payload = Record<string, unknown>;
export type PayloadRule = (value: Payload, ctx: z.RefinementCtx) => void;

/**
 * Every sealed envelope under `fields` is sealed for the subject that `subjectKey` names. An
 * envelope sealed under another person's key would survive this person's erasure, or vanish
 * with someone else's.
 */
export function sealedFor(subjectKey: string, fields: readonly string[]): PayloadRule {
  return (value, ctx) => {
    const subject = value[subjectKey];
    const visit = (node: unknown, path: (string | number)[]): void => {
      if (typeof node !== 'object' || node === null) return;
      if (isSealedField(node)) {
        if (node.subject !== subject) ctx.addIssue({ code: 'custom', path, message: `must be sealed for the ${subjectKey} of this payload` });
        return;
      }
      for (const [key, child] of Object.entries(node)) visit(child, [...path, Array.isArray(node) ? Number(key) : key]);
    };
    for (const field of fields) visit(value[field], [field]);
  };
}

/** A part (minors) never exceeds its whole (people), when both are known. */
export function noMoreThan(partKey: string, wholeKey: string): PayloadRule {
  return (value, ctx) => {
    const part = value[partKey];
    const whole = value[wholeKey];
    if (typeof part === 'number' && typeof whole === 'number' && part > whole) {
      ctx.addIssue({ code: 'custom', path: [partKey], message: `must not exceed ${wholeKey} (${whole})` });
    }
  };
}

/** No item twice in a list that is a set (forms, scopes, needs, persons by id). */
export function distinctItems(key: string, identify: (item: unknown) => unknown = (item) => item): PayloadRule {
  return (value, ctx) => {
    const items = value[key];
    if (!Array.isArray(items)) return;
    const seen = new Set<unknown>();
    items.forEach((item, index) => {
      const identity = identify(item);
      if (seen.has(identity)) ctx.addIssue({ code: 'custom', path: [key, index], message: 'appears twice' });
      seen.add(identity);
    });
  };
}

/** `child` (under 18) agrees with the age group whenever the age group is known. */
export const childMatchesAgeGroup: PayloadRule = (value, ctx) => {
  const { ageGroup, child } = value;
  if ((CHILD_AGE_GROUPS as readonly unknown[]).includes(ageGroup) && child !== true) {
    ctx.addIssue({ code: 'custom', path: ['child'], message: `must be true for age group ${String(ageGroup)}` });
  }
  if ((ADULT_AGE_GROUPS as readonly unknown[]).includes(ageGroup) && child !== false) {
    ctx.addIssue({ code: 'custom', path: ['child'], message: `must be false for age group ${String(ageGroup)}` });
  }
};

/** A province is only given for a place in Viet Nam. */
export const provinceOnlyInVietNam: PayloadRule = (value, ctx) => {
  if (value.province !== undefined && value.country !== HOME_COUNTRY) {
    ctx.addIssue({ code: 'custom', path: ['province'], message: `is given only for a place in Viet Nam (country ${HOME_COUNTRY})` });
  }
};

/** The country a person crosses to or from is a foreign one. */
export function foreignCountry(countryKey: string): PayloadRule {
  return (value, ctx) => {
    if (value[countryKey] === HOME_COUNTRY) ctx.addIssue({ code: 'custom', path: [countryKey], message: `must be a country other than ${HOME_COUNTRY}` });
  };
}

/** A border gate named together with a country lies on the border with that country. */
export function gateOnBorderWith(countryKey: string): PayloadRule {
  return (value, ctx) => {
    // An unknown gate is already refused by the gate's own schema.
    const country = BORDER_GATES.find((entry) => entry.gate === value.borderGate)?.country;
    if (country !== undefined && country !== value[countryKey]) ctx.addIssue({ code: 'custom', path: ['borderGate'], message: `is on the border with ${country}, not ${String(value[countryKey])}` });
  };
}
