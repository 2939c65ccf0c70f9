// The referral inbox of an agency (read model): every referral addressed to it, with where it
// stands and its acceptance deadline, listed by deadline. Built only from the agency's own
// receiver-side events, so it is the same live or rebuilt, embedded or distributed.
import type { RecordedEvent, ReferralAgency } from '@nrm/contracts';
import type { Projection, ProjectionTx } from '@nrm/projections';

export type InboxEntry = {
  referralId: string;
  caseId: string;
  from: string;
  kind: string;
  priority: string;
  involvesChild: boolean;
  personId: string | null;
  summary: string;
  acceptBy: string;
  receivedAt: string;
  status: 'received' | 'accepted' | 'declined' | 'completed' | 'withdrawn';
  overdue: boolean;
  answeredAt: string | null;
};

const INBOX_EVENTS = ['ReferralReceived', 'ReferralAccepted', 'ReferralDeclined', 'ReferralCompleted', 'ReferralOverdue', 'ReferralWithdrawalReceived'] as const;

export function inboxProjectionName(agency: ReferralAgency): string {
  return `${agency}.referral-inbox`;
}

function place(agency: ReferralAgency, entry: InboxEntry) {
  return { partition: agency, sortKey: `${entry.acceptBy}|${entry.referralId}`, tags: [`status:${entry.status}`, ...(entry.overdue ? ['overdue'] : [])] };
}

export function referralInboxProjection(agency: ReferralAgency): Projection {
  return {
    name: inboxProjectionName(agency),
    version: 1,
    filter: { types: INBOX_EVENTS.map((name) => `${agency}.${name}`) },
    apply(event: RecordedEvent, tx: ProjectionTx) {
      const data = event.data as Record<string, unknown> & { referralId: string };
      const name = event.type.slice(agency.length + 1);
      if (name === 'ReferralReceived') {
        const entry: InboxEntry = {
          referralId: data.referralId,
          caseId: event.caseId ?? '',
          from: String(data.from),
          kind: String(data.kind),
          priority: String(data.priority),
          involvesChild: Boolean(data.involvesChild),
          personId: typeof data.personId === 'string' ? data.personId : null,
          summary: String(data.summary),
          acceptBy: String(data.acceptBy),
          receivedAt: event.occurredAt,
          status: 'received',
          overdue: false,
          answeredAt: null,
        };
        tx.put(entry.referralId, entry, place(agency, entry));
        return;
      }
      const stored = tx.get(data.referralId);
      if (!stored) return;
      const entry = { ...(stored.doc as InboxEntry) };
      if (name === 'ReferralOverdue') entry.overdue = true;
      else if (name === 'ReferralAccepted') Object.assign(entry, { status: 'accepted', answeredAt: event.occurredAt });
      else if (name === 'ReferralDeclined') Object.assign(entry, { status: 'declined', answeredAt: event.occurredAt });
      else if (name === 'ReferralCompleted') entry.status = 'completed';
      else if (name === 'ReferralWithdrawalReceived') entry.status = 'withdrawn';
      tx.put(entry.referralId, entry, place(agency, entry));
    },
  };
}
