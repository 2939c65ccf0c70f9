// The referral slice of every agency's case decider (pure): issue and withdraw as the issuer;
// receive, accept, decline, complete, mark overdue and receive a withdrawal as the receiver.
// Event types carry the deciding agency's prefix (`rescue.ReferralAccepted`). Reactions
// (receive, withdrawal received, overdue) decide nothing twice: repeating them emits nothing.
import { DomainRuleError, IllegalStateError, NotFoundError } from '@nrm/service-kit';
import type { Command, DomainEvent } from '@nrm/service-kit';
import type { ReferralAgency, ReferralKind } from '@nrm/contracts';
import type { DECLINE_REASONS } from '@nrm/contracts';
import { SETTLED } from './referral-book.ts';
import type { ReferralBook, ReferralRecord } from './referral-book.ts';

type DeclineReason = (typeof DECLINE_REASONS)[number];

export type ReferralCommand =
  | Command<'IssueReferral', { referralId: string; to: ReferralAgency; kind: ReferralKind; priority: 'normal' | 'urgent'; involvesChild: boolean; personId?: string; summary: string; acceptBy: string }>
  | Command<'WithdrawReferral', { referralId: string; reason: string }>
  | Command<'ReceiveReferral', { referralId: string; issuedEventId: string; from: ReferralAgency; kind: ReferralKind; priority: 'normal' | 'urgent'; involvesChild: boolean; personId?: string; summary: string; acceptBy: string }>
  | Command<'AcceptReferral', { referralId: string; note?: string }>
  | Command<'DeclineReferral', { referralId: string; reason: DeclineReason; note?: string }>
  | Command<'CompleteReferral', { referralId: string; outcome: string }>
  | Command<'MarkReferralOverdue', { referralId: string }>
  | Command<'ReceiveReferralWithdrawal', { referralId: string; from: ReferralAgency; reason: string }>;

/** What an IssueReferral command carries: what an agency's guardReferral checks. */
export type ReferralToIssue = Extract<ReferralCommand, { type: 'IssueReferral' }>['data'];

export const REFERRAL_COMMANDS: ReadonlySet<string> = new Set<ReferralCommand['type']>([
  'IssueReferral',
  'WithdrawReferral',
  'ReceiveReferral',
  'AcceptReferral',
  'DeclineReferral',
  'CompleteReferral',
  'MarkReferralOverdue',
  'ReceiveReferralWithdrawal',
]);

export function isReferralCommand(command: { type: string }): command is ReferralCommand {
  return REFERRAL_COMMANDS.has(command.type);
}

const REFERRAL_EVENT = /^[a-z]+\.Referral(Issued|Received|Accepted|Declined|Completed|Overdue|Withdrawn|WithdrawalReceived)$/;

export function isReferralEvent(event: { type: string }): boolean {
  return REFERRAL_EVENT.test(event.type);
}

function incoming(book: ReferralBook, referralId: string): ReferralRecord {
  const record = book[referralId];
  if (!record || record.direction !== 'incoming') throw new NotFoundError(`referral ${referralId} was not received by this agency in this case`);
  return record;
}

function assertAnswerable(record: ReferralRecord): void {
  if (record.status === 'withdrawn') throw new IllegalStateError('referral-withdrawn', `referral ${record.referralId} was withdrawn by ${record.counterpart}`);
  if (record.status !== 'received') throw new IllegalStateError('referral-already-answered', `referral ${record.referralId} is already ${record.status}`);
}

export function decideReferral(agency: ReferralAgency, command: ReferralCommand, book: ReferralBook): DomainEvent[] {
  const event = (name: string, data: Record<string, unknown>, causationId?: string | null): DomainEvent => ({ type: `${agency}.${name}`, data, ...(causationId ? { causationId } : {}) });
  switch (command.type) {
    case 'IssueReferral': {
      const { to, referralId } = command.data;
      if (to === agency) throw new DomainRuleError('referral-to-self', `${agency} cannot refer a case to itself`);
      if (book[referralId]) throw new IllegalStateError('referral-id-taken', `referral ${referralId} already exists in this case`);
      // One open referral per agency, kind and person: a case holds several persons, each referred on their own.
      const personId = command.data.personId ?? null;
      const open = Object.values(book).find((record) => record.direction === 'outgoing' && record.counterpart === to && record.kind === command.data.kind && record.personId === personId && !SETTLED.has(record.status));
      if (open) throw new IllegalStateError('referral-already-open', `referral ${open.referralId} to ${to} for ${open.kind}${personId ? ` about person ${personId}` : ''} is still open`);
      return [event('ReferralIssued', { ...command.data })];
    }
    case 'WithdrawReferral': {
      const record = book[command.data.referralId];
      if (!record || record.direction !== 'outgoing') throw new NotFoundError(`referral ${command.data.referralId} was not issued by this agency in this case`);
      if (record.status === 'withdrawn') throw new IllegalStateError('referral-withdrawn', `referral ${record.referralId} is already withdrawn`);
      return [event('ReferralWithdrawn', { referralId: record.referralId, to: record.counterpart, reason: command.data.reason })];
    }
    case 'ReceiveReferral': {
      if (book[command.data.referralId]) return [];
      return [event('ReferralReceived', { ...command.data })];
    }
    case 'AcceptReferral': {
      const record = incoming(book, command.data.referralId);
      assertAnswerable(record);
      return [event('ReferralAccepted', { referralId: record.referralId, from: record.counterpart, ...(command.data.note ? { note: command.data.note } : {}) }, record.issuedEventId)];
    }
    case 'DeclineReferral': {
      const record = incoming(book, command.data.referralId);
      assertAnswerable(record);
      return [event('ReferralDeclined', { referralId: record.referralId, from: record.counterpart, reason: command.data.reason, ...(command.data.note ? { note: command.data.note } : {}) }, record.issuedEventId)];
    }
    case 'CompleteReferral': {
      const record = incoming(book, command.data.referralId);
      if (record.status !== 'accepted') throw new IllegalStateError('referral-not-accepted', `referral ${record.referralId} is ${record.status}; only an accepted referral can be completed`);
      return [event('ReferralCompleted', { referralId: record.referralId, from: record.counterpart, outcome: command.data.outcome }, record.issuedEventId)];
    }
    case 'MarkReferralOverdue': {
      const record = book[command.data.referralId];
      if (!record || record.direction !== 'incoming' || record.status !== 'received' || record.overdue) return [];
      if (command.metadata.now < record.acceptBy) return [];
      return [event('ReferralOverdue', { referralId: record.referralId, from: record.counterpart, acceptBy: record.acceptBy }, record.issuedEventId)];
    }
    case 'ReceiveReferralWithdrawal': {
      const record = book[command.data.referralId];
      if (!record || record.direction !== 'incoming' || SETTLED.has(record.status)) return [];
      return [event('ReferralWithdrawalReceived', { ...command.data })];
    }
    default: {
      const unknown: never = command;
      throw new Error(`unhandled referral command ${(unknown as { type: string }).type}`);
    }
  }
}

export function evolveReferrals(book: ReferralBook, event: DomainEvent): ReferralBook {
  const name = event.type.slice(event.type.indexOf('.') + 1);
  const data = event.data as Record<string, unknown> & { referralId: string };
  const current = book[data.referralId];
  const update = (changes: Partial<ReferralRecord>): ReferralBook => (current ? { ...book, [data.referralId]: { ...current, ...changes } } : book);
  switch (name) {
    case 'ReferralIssued':
      return {
        ...book,
        [data.referralId]: { referralId: data.referralId, direction: 'outgoing', counterpart: data.to as ReferralAgency, kind: data.kind as ReferralKind, priority: data.priority as 'normal' | 'urgent', involvesChild: Boolean(data.involvesChild), acceptBy: String(data.acceptBy), personId: typeof data.personId === 'string' ? data.personId : null, status: 'issued', overdue: false, issuedEventId: null },
      };
    case 'ReferralReceived':
      return {
        ...book,
        [data.referralId]: { referralId: data.referralId, direction: 'incoming', counterpart: data.from as ReferralAgency, kind: data.kind as ReferralKind, priority: data.priority as 'normal' | 'urgent', involvesChild: Boolean(data.involvesChild), acceptBy: String(data.acceptBy), personId: typeof data.personId === 'string' ? data.personId : null, status: 'received', overdue: false, issuedEventId: String(data.issuedEventId) },
      };
    case 'ReferralAccepted':
      return update({ status: 'accepted' });
    case 'ReferralDeclined':
      return update({ status: 'declined' });
    case 'ReferralCompleted':
      return update({ status: 'completed' });
    case 'ReferralOverdue':
      return update({ overdue: true });
    case 'ReferralWithdrawn':
    case 'ReferralWithdrawalReceived':
      return update({ status: 'withdrawn' });
    default:
      return book;
  }
}
