// Viet Nam's provincial units, copied from shared/reference/vn-provinces-2025.json so the
// backbone needs no file outside the repo at run time. Since 1 July 2025 there are 34 units;
// records dated earlier name one of the 63 former units, so a `province` field accepts both and
// statistics fold former names into the unit that absorbed them.
import { z } from 'zod';

type ProvincialUnit = { name: string; kind: 'province' | 'city'; formerly: readonly string[] };

/** The date the 34 units took effect. */
export const PROVINCES_EFFECTIVE = '2025-07-01';

/** The 34 current units, each with the former units it was formed from (often including itself). */
export const PROVINCES = [
  { name: 'An Giang', kind: 'province', formerly: ['Kiên Giang', 'An Giang'] },
  { name: 'Bắc Ninh', kind: 'province', formerly: ['Bắc Giang', 'Bắc Ninh'] },
  { name: 'Cao Bằng', kind: 'province', formerly: ['Cao Bằng'] },
  { name: 'Cà Mau', kind: 'province', formerly: ['Bạc Liêu', 'Cà Mau'] },
  { name: 'Cần Thơ', kind: 'city', formerly: ['Cần Thơ', 'Sóc Trăng', 'Hậu Giang'] },
  { name: 'Gia Lai', kind: 'province', formerly: ['Gia Lai', 'Bình Định'] },
  { name: 'Huế', kind: 'city', formerly: ['Huế'] },
  { name: 'Hà Nội', kind: 'city', formerly: ['Hà Nội'] },
  { name: 'Hà Tĩnh', kind: 'province', formerly: ['Hà Tĩnh'] },
  { name: 'Hưng Yên', kind: 'province', formerly: ['Thái Bình', 'Hưng Yên'] },
  { name: 'Hải Phòng', kind: 'city', formerly: ['Hải Dương', 'Hải Phòng'] },
  { name: 'Hồ Chí Minh', kind: 'city', formerly: ['Bà Rịa - Vũng Tàu', 'Bình Dương', 'Hồ Chí Minh'] },
  { name: 'Khánh Hòa', kind: 'province', formerly: ['Ninh Thuận', 'Khánh Hòa'] },
  { name: 'Lai Châu', kind: 'province', formerly: ['Lai Châu'] },
  { name: 'Lào Cai', kind: 'province', formerly: ['Lào Cai', 'Yên Bái'] },
  { name: 'Lâm Đồng', kind: 'province', formerly: ['Lâm Đồng', 'Đắk Nông', 'Bình Thuận'] },
  { name: 'Lạng Sơn', kind: 'province', formerly: ['Lạng Sơn'] },
  { name: 'Nghệ An', kind: 'province', formerly: ['Nghệ An'] },
  { name: 'Ninh Bình', kind: 'province', formerly: ['Hà Nam', 'Ninh Bình', 'Nam Định'] },
  { name: 'Phú Thọ', kind: 'province', formerly: ['Vĩnh Phúc', 'Phú Thọ', 'Hòa Bình'] },
  { name: 'Quảng Ngãi', kind: 'province', formerly: ['Kon Tum', 'Quảng Ngãi'] },
  { name: 'Quảng Ninh', kind: 'province', formerly: ['Quảng Ninh'] },
  { name: 'Quảng Trị', kind: 'province', formerly: ['Quảng Bình', 'Quảng Trị'] },
  { name: 'Sơn La', kind: 'province', formerly: ['Sơn La'] },
  { name: 'Thanh Hóa', kind: 'province', formerly: ['Thanh Hóa'] },
  { name: 'Thái Nguyên', kind: 'province', formerly: ['Bắc Kạn', 'Thái Nguyên'] },
  { name: 'Tuyên Quang', kind: 'province', formerly: ['Hà Giang', 'Tuyên Quang'] },
  { name: 'Tây Ninh', kind: 'province', formerly: ['Tây Ninh', 'Long An'] },
  { name: 'Vĩnh Long', kind: 'province', formerly: ['Bến Tre', 'Vĩnh Long', 'Trà Vinh'] },
  { name: 'Điện Biên', kind: 'province', formerly: ['Điện Biên'] },
  { name: 'Đà Nẵng', kind: 'city', formerly: ['Quảng Nam', 'Đà Nẵng'] },
  { name: 'Đắk Lắk', kind: 'province', formerly: ['Đắk Lắk', 'Phú Yên'] },
  { name: 'Đồng Nai', kind: 'province', formerly: ['Đồng Nai', 'Bình Phước'] },
  { name: 'Đồng Tháp', kind: 'province', formerly: ['Tiền Giang', 'Đồng Tháp'] },
] as const satisfies readonly ProvincialUnit[];

export type CurrentProvince = (typeof PROVINCES)[number]['name'];
export type Province = CurrentProvince | (typeof PROVINCES)[number]['formerly'][number];

export const CURRENT_PROVINCE_NAMES: readonly CurrentProvince[] = PROVINCES.map((unit) => unit.name);

/** Every name a record may carry: the current units and the former ones, each once. */
export const PROVINCE_NAMES: readonly Province[] = [...new Set<Province>([...CURRENT_PROVINCE_NAMES, ...PROVINCES.flatMap((unit) => unit.formerly)])];

export const CurrentProvinceSchema = z.enum(CURRENT_PROVINCE_NAMES as [CurrentProvince, ...CurrentProvince[]]).meta({ title: 'CurrentProvince' });

export const ProvinceSchema = z
  .enum(PROVINCE_NAMES as [Province, ...Province[]])
  .meta({ title: 'Province', description: 'a provincial unit: one of the 34 current ones, or one of the 63 former ones for what happened before July 2025' });

const currentByName = new Map<Province, CurrentProvince>();
for (const unit of PROVINCES) {
  for (const former of unit.formerly) currentByName.set(former, unit.name);
  currentByName.set(unit.name, unit.name);
}

/** The current unit a province name belongs to: itself if current, else the unit that absorbed it. */
export function currentProvinceOf(name: Province): CurrentProvince {
  return currentByName.get(name)!;
}
