// The main international land border gates with China, Laos and Cambodia and the gate facing
// each, copied from shared/reference/border-gates.json (not an official or exhaustive list).
// Returns and handovers name the gate, so statistics can count them per gate and country.
import { z } from 'zod';
import type { CurrentProvince } from './provinces.ts';
import type { NeighbourCountry } from './countries.ts';

type BorderGateRecord = { gate: string; province: CurrentProvince; country: NeighbourCountry; facing: string };

export const BORDER_GATES = [
  { gate: 'Móng Cái', province: 'Quảng Ninh', country: 'CN', facing: 'Dongxing' },
  { gate: 'Hữu Nghị', province: 'Lạng Sơn', country: 'CN', facing: 'Youyiguan' },
  { gate: 'Đồng Đăng (railway)', province: 'Lạng Sơn', country: 'CN', facing: 'Pingxiang' },
  { gate: 'Tà Lùng', province: 'Cao Bằng', country: 'CN', facing: 'Shuikou' },
  { gate: 'Lào Cai', province: 'Lào Cai', country: 'CN', facing: 'Hekou' },
  { gate: 'Thanh Thủy', province: 'Tuyên Quang', country: 'CN', facing: 'Tianbao' },
  { gate: 'Ma Lù Thàng', province: 'Lai Châu', country: 'CN', facing: 'Jinshuihe' },
  { gate: 'Tây Trang', province: 'Điện Biên', country: 'LA', facing: 'Sop Hun' },
  { gate: 'Na Mèo', province: 'Thanh Hóa', country: 'LA', facing: 'Nam Soi' },
  { gate: 'Nậm Cắn', province: 'Nghệ An', country: 'LA', facing: 'Nam Khan' },
  { gate: 'Cầu Treo', province: 'Hà Tĩnh', country: 'LA', facing: 'Nam Phao' },
  { gate: 'Cha Lo', province: 'Quảng Trị', country: 'LA', facing: 'Na Phao' },
  { gate: 'Lao Bảo', province: 'Quảng Trị', country: 'LA', facing: 'Densavan' },
  { gate: 'La Lay', province: 'Quảng Trị', country: 'LA', facing: 'La Lay' },
  { gate: 'Nam Giang', province: 'Đà Nẵng', country: 'LA', facing: 'Dac Ta Ooc' },
  { gate: 'Bờ Y', province: 'Quảng Ngãi', country: 'LA', facing: 'Phou Keua' },
  { gate: 'Lệ Thanh', province: 'Gia Lai', country: 'KH', facing: 'O Yadav' },
  { gate: 'Bu Prăng', province: 'Lâm Đồng', country: 'KH', facing: 'Dak Dam' },
  { gate: 'Hoa Lư', province: 'Đồng Nai', country: 'KH', facing: 'Trapeang Sre' },
  { gate: 'Xa Mát', province: 'Tây Ninh', country: 'KH', facing: 'Trapeang Phlong' },
  { gate: 'Mộc Bài', province: 'Tây Ninh', country: 'KH', facing: 'Bavet' },
  { gate: 'Bình Hiệp', province: 'Tây Ninh', country: 'KH', facing: 'Prey Vor' },
  { gate: 'Dinh Bà', province: 'Đồng Tháp', country: 'KH', facing: 'Bontia Chakrey' },
  { gate: 'Thường Phước', province: 'Đồng Tháp', country: 'KH', facing: 'Koh Roka' },
  { gate: 'Vĩnh Xương', province: 'An Giang', country: 'KH', facing: 'Kaam Samnor' },
  { gate: 'Tịnh Biên', province: 'An Giang', country: 'KH', facing: 'Phnom Den' },
  { gate: 'Hà Tiên (Xà Xía)', province: 'An Giang', country: 'KH', facing: 'Prek Chak' },
] as const satisfies readonly BorderGateRecord[];

export type BorderGateEntry = (typeof BORDER_GATES)[number];
export type BorderGate = BorderGateEntry['gate'];

export const BORDER_GATE_NAMES: readonly BorderGate[] = BORDER_GATES.map((record) => record.gate);

export const BorderGateSchema = z
  .enum(BORDER_GATE_NAMES as [BorderGate, ...BorderGate[]])
  .meta({ title: 'BorderGate', description: 'a land border gate of Viet Nam (its Vietnamese name)' });

/** The gates on Viet Nam's border with one neighbour. */
export function gatesOf(country: NeighbourCountry): BorderGateEntry[] {
  return BORDER_GATES.filter((record) => record.country === country);
}

/** The record of a gate: its province, the neighbour it faces and the facing gate. */
export function borderGateOf(gate: BorderGate): BorderGateEntry {
  return BORDER_GATES.find((record) => record.gate === gate)!;
}
