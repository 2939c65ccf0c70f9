// The reintegration case as reintegration shows it: the person by id, the plan in force, the
// support delivered, how the follow-ups found them and how the case closed, in clear; and the
// names of the sealed fields it holds (visit and closing notes), never their content.
import { z } from 'zod';
import { planInForce } from './reintegration-case.ts';
import type { ReintegrationCase } from './reintegration-case.ts';

export const ReintegrationCaseViewSchema = z.object({
  personId: z.string(),
  referralId: z.string().describe('the accepted referral the case started from'),
  status: z.enum(['open', 'closed']),
  plan: z.object({ province: z.string(), supports: z.array(z.string()), agreedWith: z.string(), reviewBy: z.string().optional() }).nullable().describe('the plan in force'),
  plansAgreed: z.int().describe('how many times a plan was agreed; more than one means it was revised'),
  supportDelivered: z.array(z.object({ kind: z.string(), provider: z.string(), amountVnd: z.int().optional(), province: z.string() })),
  followUps: z.array(z.object({ mode: z.string(), wellbeing: z.string() })),
  closure: z.object({ outcome: z.string() }).optional(),
  personalFields: z.array(z.string()).describe('sealed fields this case holds, as paths into this view; never returned here'),
});

export function renderReintegrationCase(state: ReintegrationCase): z.infer<typeof ReintegrationCaseViewSchema> | null {
  if (state.status === 'none') return null;
  const plan = planInForce(state);
  const closed = state.status === 'closed' ? state.closed : null;
  return {
    personId: state.personId,
    referralId: state.referralId,
    status: state.status,
    plan: plan ? { province: plan.province, supports: plan.supports, agreedWith: plan.agreedWith, ...(plan.reviewBy ? { reviewBy: plan.reviewBy } : {}) } : null,
    plansAgreed: state.plans.length,
    supportDelivered: state.deliveries.map(({ kind, provider, amountVnd, province }) => ({ kind, provider, ...(amountVnd === undefined ? {} : { amountVnd }), province })),
    followUps: state.followUps.map(({ mode, wellbeing }) => ({ mode, wellbeing })),
    ...(closed ? { closure: { outcome: closed.outcome } } : {}),
    personalFields: [...state.followUps.flatMap((visit, index) => (visit.note ? [`followUps.${index}.note`] : [])), ...(closed?.note ? ['closure.note'] : [])],
  };
}
