// How long a receiving agency has to accept a referral. Defaults follow the practice the source
// documents describe (a working day; much faster when a child is involved or lives are at risk)
// and can be replaced per deployment with NRM_REFERRAL_DEADLINES (JSON of this shape).
import { z } from 'zod';
import type { ReferralKind } from '@nrm/contracts';
import { REFERRAL_KINDS } from '@nrm/contracts';

const Hours = z.number().positive().max(24 * 30);
const KindDeadlines = z.strictObject({ normalHours: Hours, urgentHours: Hours });

export const DeadlinePolicySchema = z.strictObject({
  normalHours: Hours,
  urgentHours: Hours,
  /** Any referral involving a child: at most this long, whatever its kind or priority. */
  childHours: Hours,
  byKind: z.partialRecord(z.enum(REFERRAL_KINDS), KindDeadlines).default({}),
});
export type DeadlinePolicy = z.infer<typeof DeadlinePolicySchema>;

export const DEFAULT_DEADLINE_POLICY: DeadlinePolicy = {
  normalHours: 24,
  urgentHours: 6,
  childHours: 4,
  byKind: { rescue: { normalHours: 12, urgentHours: 2 } },
};

export function deadlinePolicyFromEnv(env: NodeJS.ProcessEnv = process.env): DeadlinePolicy {
  const text = env.NRM_REFERRAL_DEADLINES;
  if (!text) return DEFAULT_DEADLINE_POLICY;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error('NRM_REFERRAL_DEADLINES is not JSON');
  }
  const parsed = DeadlinePolicySchema.safeParse(json);
  if (!parsed.success) throw new Error(`NRM_REFERRAL_DEADLINES: ${parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`);
  return parsed.data;
}

export function acceptanceDeadline(issuedAt: string, referral: { kind: ReferralKind; priority: 'normal' | 'urgent'; involvesChild: boolean }, policy: DeadlinePolicy = DEFAULT_DEADLINE_POLICY): string {
  const forKind = policy.byKind[referral.kind] ?? { normalHours: policy.normalHours, urgentHours: policy.urgentHours };
  let hours = referral.priority === 'urgent' ? forKind.urgentHours : forKind.normalHours;
  if (referral.involvesChild) hours = Math.min(hours, policy.childHours);
  return new Date(Date.parse(issuedAt) + hours * 3_600_000).toISOString();
}
