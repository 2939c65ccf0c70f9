// The intake case as intake sees it: the tip (tin báo, tố giác) it received, how it was
// classified (phân loại) and how it was closed. Folded from intake's own case stream.
import type { TipClassified, TipClosed, TipReceived } from '@nrm/contracts';
import type { DomainEvent } from '@nrm/service-kit';

export type Tip =
  | { status: 'none' }
  | { status: 'received'; received: TipReceived }
  | { status: 'classified'; received: TipReceived; classified: TipClassified }
  | { status: 'closed'; received: TipReceived; classified: TipClassified | null; closed: TipClosed };

export const initialTip = (): Tip => ({ status: 'none' });

export function evolveTip(tip: Tip, event: DomainEvent): Tip {
  switch (event.type) {
    case 'intake.TipReceived':
      return { status: 'received', received: event.data as TipReceived };
    case 'intake.TipClassified':
      if (tip.status === 'received' || tip.status === 'classified') return { status: 'classified', received: tip.received, classified: event.data as TipClassified };
      return tip;
    case 'intake.TipClosed':
      if (tip.status === 'received' || tip.status === 'classified') {
        return { status: 'closed', received: tip.received, classified: tip.status === 'classified' ? tip.classified : null, closed: event.data as TipClosed };
      }
      return tip;
    default:
      return tip;
  }
}
