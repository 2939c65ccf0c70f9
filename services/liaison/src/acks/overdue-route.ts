// GET /overdue: the packets no desk has answered by their deadline — the standing office's list
// of handovers to chase through other channels.
import { z } from 'zod';
import { NotReadyError, requireRole } from '@nrm/service-kit';
import type { NrmApp } from '@nrm/service-kit';
import type { OverdueWatch } from './overdue-watch.ts';

export function registerOverdueRoute(app: NrmApp, watchOf: () => OverdueWatch | undefined): void {
  app.get(
    '/overdue',
    {
      preHandler: requireRole('standing-office-admin', 'auditor'),
      schema: {
        summary: 'Packets not acknowledged by their deadline, oldest deadline first',
        tags: ['liaison'],
        response: {
          200: z.object({
            overdue: z.array(z.object({ packetId: z.string(), deskId: z.string(), handoverId: z.string(), caseId: z.string().nullable(), stage: z.string(), acknowledgeBy: z.string() })),
          }),
        },
      },
    },
    async () => {
      const watch = watchOf();
      if (!watch) throw new NotReadyError(['liaison.overdue worker running in this process']);
      return { overdue: watch.overdue().map(({ issuedEventId: _issued, ...packet }) => packet) };
    },
  );
}
