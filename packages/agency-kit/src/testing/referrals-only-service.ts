// An agency with no commands of its own, only the shared referral lifecycle: the other side of a
// referral in a service's tests (it refers cases to the service, or receives its referrals).
import { z } from 'zod';
import type { ReferralAgency } from '@nrm/contracts';
import type { BackboneService } from '@nrm/service-kit';
import { defineAgencyService } from '../agency-service.ts';

export function referralsOnlyService(agency: ReferralAgency): BackboneService {
  return defineAgencyService({
    agency,
    description: `${agency} (referrals only)`,
    decider: { initialState: () => ({ events: 0 }), evolve: (state: { events: number }) => ({ events: state.events + 1 }), decide: () => [] },
    routes: () => undefined,
    facts: () => ({}),
    view: { schema: z.object({ events: z.int() }), render: (state: { events: number }) => state },
  });
}
