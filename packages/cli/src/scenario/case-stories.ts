// Realistic, reproducible case stories for `nrm simulate`: a seeded generator (the same seed
// gives the same cases) drawing provinces of the 2025 reorganisation, the real border gates
// with Cambodia, Laos and China, and Vietnamese names.
import { BORDER_GATES, CURRENT_PROVINCE_NAMES, seededRandom } from '@nrm/contracts';
import type { CaseStory } from './case-story.ts';

const FAMILY = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Huỳnh', 'Phan', 'Vũ', 'Võ', 'Đặng', 'Bùi', 'Đỗ', 'Hồ', 'Ngô', 'Dương', 'Lý', 'Lò', 'Hà'];
const FEMALE = ['Thị Lan', 'Thị Hoa', 'Thị Mai', 'Ngọc Anh', 'Thu Trang', 'Thị Hằng', 'Hồng Nhung', 'Thị Thảo', 'Minh Thư', 'Thị Dung'];
const MALE = ['Văn Nam', 'Văn Hùng', 'Minh Tuấn', 'Văn Sáng', 'Đức Anh', 'Quốc Bảo', 'Văn Long', 'Thành Đạt'];
const FORMS: Record<'KH' | 'LA' | 'CN', string[][]> = {
  KH: [['forced-labour', 'forced-criminality'], ['forced-labour'], ['sexual-exploitation']],
  LA: [['sexual-exploitation'], ['forced-labour']],
  CN: [['forced-marriage'], ['sexual-exploitation'], ['forced-labour'], ['commercial-surrogacy']],
};
const CHANNELS = ['hotline-111', 'police', 'border-guard', 'ngo', 'citizen'] as const;

export function caseStories(seed: number): () => CaseStory {
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  return () => {
    const gate = pick(BORDER_GATES);
    const country = gate.country as 'KH' | 'LA' | 'CN';
    const sex = random() < 0.8 ? 'female' : 'male';
    const child = random() < 0.3;
    const birthYear = child ? 2009 + Math.floor(random() * 3) : 1980 + Math.floor(random() * 25);
    const ageGroup = child ? '16-17' : birthYear >= 2002 ? '18-24' : birthYear >= 1992 ? '25-34' : '35-49';
    const fullName = `${pick(FAMILY)} ${pick(sex === 'female' ? FEMALE : MALE)}`;
    const homeProvince = random() < 0.5 ? gate.province : pick(CURRENT_PROVINCE_NAMES);
    return {
      tip: {
        channel: pick(CHANNELS),
        province: homeProvince,
        statement: `${fullName} left for work across the border near ${gate.facing} and has not come back; the family received a ransom demand.`,
        ...(random() < 0.6 ? { reporter: { fullName: `${pick(FAMILY)} ${pick(FEMALE)}`, phone: `09${Math.floor(10_000_000 + random() * 89_999_999)}` } } : {}),
      },
      victim: { fullName, dateOfBirth: `${birthYear}-0${1 + Math.floor(random() * 9)}-1${Math.floor(random() * 9)}`, sex, ageGroup, child },
      exploitation: { country, forms: pick(FORMS[country]) },
      borderGate: gate.gate,
      homeProvince,
    };
  };
}
