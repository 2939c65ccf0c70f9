// The desk registry's rules as a specification: registered once, in its own country and at its
// own border; profile changes and key rotations only for a registered desk; a kid names one key.
import { describe, it } from 'vitest';
import { DomainRuleError, IllegalStateError } from '@nrm/service-kit';
import { DeciderSpecification } from '@nrm/service-kit/testing';
import { deskDecider, DeskNotRegisteredError } from './desk-decider.ts';
import type { DeskCommand, DeskEvent } from './desk-decider.ts';
import { bavetDesk, firstKeys, keySet, metadata, overlapKeys, publicKey, secondKeys } from './testing/desk-fixtures.ts';

const spec = DeciderSpecification.for(deskDecider);
const registered: DeskEvent = { type: 'liaison.DeskRegistered', data: bavetDesk };
const { keys: _keys, ...profile } = bavetDesk;
const register = (data = bavetDesk): DeskCommand => ({ type: 'RegisterDesk', data, metadata });
const changeProfile = (change: Partial<typeof profile> = {}): DeskCommand => ({ type: 'ChangeDeskProfile', data: { ...profile, ...change }, metadata });
const rotate = (keys = overlapKeys): DeskCommand => ({ type: 'RotateDeskKeys', data: { deskId: 'kh-bavet', keys }, metadata });
const rotated = (keys: typeof overlapKeys, retiredKids: string[]): DeskEvent => ({ type: 'liaison.DeskKeysRotated', data: { deskId: 'kh-bavet', keys, retiredKids } });

describe('liaison: the desk registry', () => {
  it('registers a desk once', () => {
    spec.given([]).when(register()).then([registered]);
    spec.given([registered]).when(register()).thenThrows(IllegalStateError, 'desk-already-registered');
  });

  it('registers a desk in the country its id names', () => {
    spec.given([]).when(register({ ...bavetDesk, country: 'LA', borderGates: [] })).thenThrows(DomainRuleError, 'desk-id-country-mismatch');
  });

  it('registers a desk at gates on the border with its country only', () => {
    spec.given([]).when(register({ ...bavetDesk, borderGates: ['Mộc Bài', 'Lao Bảo'] })).thenThrows(DomainRuleError, 'gate-not-on-border');
    spec.given([]).when(register({ ...bavetDesk, borderGates: [] })).then([{ type: 'liaison.DeskRegistered', data: { ...bavetDesk, borderGates: [] } }]);
  });

  it('changes the profile of a registered desk, and writes nothing when nothing changes', () => {
    spec.given([registered]).when(changeProfile({ borderGates: ['Mộc Bài', 'Xa Mát'], language: 'en' })).then([
      { type: 'liaison.DeskProfileChanged', data: { ...profile, borderGates: ['Mộc Bài', 'Xa Mát'], language: 'en' } },
    ]);
    spec.given([registered]).when(changeProfile({ fieldProfile: ['dateOfBirth', 'fullName'] })).then([]);
    spec.given([registered]).when(changeProfile({ borderGates: ['Hữu Nghị'] })).thenThrows(DomainRuleError, 'gate-not-on-border');
    spec.given([registered]).when(changeProfile({ country: 'CN' })).thenThrows(DomainRuleError, 'desk-id-country-mismatch');
  });

  it('changes nothing of a desk nobody registered: not found, with the rule named', () => {
    spec.given([]).when(changeProfile()).thenThrows(DeskNotRegisteredError, 'desk-not-registered');
    spec.given([]).when(rotate()).thenThrows(DeskNotRegisteredError, 'desk-not-registered');
  });

  it('rotates keys without downtime: first to old and new, then to the new only, retiring the old kids', () => {
    spec.given([registered]).when(rotate(overlapKeys)).then([rotated(overlapKeys, [])]);
    spec.given([registered, rotated(overlapKeys, [])]).when(rotate(secondKeys)).then([rotated(secondKeys, ['bavet-sig-1', 'bavet-enc-1'])]);
  });

  it('refuses a rotation that changes nothing', () => {
    spec.given([registered]).when(rotate(firstKeys)).thenThrows(DomainRuleError, 'key-set-unchanged');
    spec.given([registered]).when(rotate(keySet(...[...firstKeys.keys].reverse()))).thenThrows(DomainRuleError, 'key-set-unchanged');
  });

  it('never gives a kid to another key, even a retired kid', () => {
    const retiredAll = [registered, rotated(secondKeys, ['bavet-sig-1', 'bavet-enc-1'])];
    spec.given([registered]).when(rotate(keySet(publicKey('bavet-sig-1', 'sig', 'fresh material'), publicKey('bavet-enc-2', 'enc')))).thenThrows(DomainRuleError, 'kid-reused');
    spec.given(retiredAll).when(rotate(keySet(publicKey('bavet-sig-1', 'sig', 'fresh material'), ...secondKeys.keys))).thenThrows(DomainRuleError, 'kid-reused');
    // Bringing a retired key back under its own kid is a key the desk still holds, not a reuse.
    spec.given(retiredAll).when(rotate(overlapKeys)).then([rotated(overlapKeys, [])]);
  });
});
