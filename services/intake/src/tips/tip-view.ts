// The tip as intake shows it: what it is about in clear, and which personal fields exist
// (sealed; read through the vault by whoever may, and recorded when they do).
import { z } from 'zod';
import type { Tip } from './tip.ts';

export const TipViewSchema = z.object({
  tipId: z.string(),
  status: z.enum(['received', 'classified', 'closed']),
  channel: z.string(),
  sourceCountry: z.string().optional(),
  province: z.string(),
  allegedPlace: z.object({ country: z.string(), province: z.string().optional() }),
  peopleCount: z.int().optional(),
  minorCount: z.int().optional(),
  classification: z.string().optional(),
  riskLevel: z.string().optional(),
  suspectedForms: z.array(z.string()).optional(),
  outcome: z.string().optional(),
  personalFields: z.array(z.string()).describe('sealed fields this tip holds; never returned here'),
});

export function renderTip(tip: Tip): z.infer<typeof TipViewSchema> | null {
  if (tip.status === 'none') return null;
  const { received } = tip;
  const classified = tip.status === 'classified' ? tip.classified : tip.status === 'closed' ? tip.classified : null;
  const personalFields = ['statement', ...(received.allegedPlace.locality ? ['allegedPlace.locality'] : []), ...Object.keys(received.reporter ?? {}).map((name) => `reporter.${name}`)];
  return {
    tipId: received.tipId,
    status: tip.status,
    channel: received.channel,
    ...(received.sourceCountry ? { sourceCountry: received.sourceCountry } : {}),
    province: received.province,
    allegedPlace: { country: received.allegedPlace.country, ...(received.allegedPlace.province ? { province: received.allegedPlace.province } : {}) },
    ...(received.peopleCount === undefined ? {} : { peopleCount: received.peopleCount }),
    ...(received.minorCount === undefined ? {} : { minorCount: received.minorCount }),
    ...(classified ? { classification: classified.classification, riskLevel: classified.riskLevel, ...(classified.suspectedForms ? { suspectedForms: classified.suspectedForms } : {}) } : {}),
    ...(tip.status === 'closed' ? { outcome: tip.closed.outcome } : {}),
    personalFields,
  };
}
