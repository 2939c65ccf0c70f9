// The human-readable line at the top of a packet, in the desk's language: an officer at the gate
// reads it before any system does. Built only from the handover's clear facts (never personal
// data), so it can be shown before the personal data is decrypted.
import { BORDER_GATES } from '@nrm/contracts';
import type { DeskLanguage, HandoverStage } from '@nrm/contracts';

export type SummaryFacts = {
  stage: HandoverStage;
  toCountry: string;
  borderGate?: string;
  date: string;
  personCount: number;
  childCount: number;
  needs: readonly string[];
};

type Phrases = {
  stage: Record<HandoverStage, string>;
  country: Record<string, string>;
  need: Record<string, string>;
  none: string;
  sentence(parts: { stage: string; persons: number; children: number; country: string; gate: string | null; facing: string | null; date: string; needs: string }): string;
};

const PHRASES: Record<DeskLanguage, Phrases> = {
  vi: {
    stage: { planned: 'Kế hoạch trao trả', scheduled: 'Lịch trao trả đã thống nhất', completed: 'Đã trao trả' },
    country: { KH: 'Campuchia', LA: 'Lào', CN: 'Trung Quốc' },
    need: { 'medical-care': 'chăm sóc y tế', escort: 'hộ tống', interpreter: 'phiên dịch', 'psychological-support': 'hỗ trợ tâm lý', 'child-protection-officer': 'cán bộ bảo vệ trẻ em', 'travel-documents': 'giấy tờ đi lại' },
    none: 'không có',
    sentence: (p) => `${p.stage}: ${p.persons} người (trong đó ${p.children} trẻ em) được trao trả cho ${p.country}${p.gate ? ` qua cửa khẩu ${p.gate} (đối diện ${p.facing})` : ''} ngày ${p.date}. Nhu cầu: ${p.needs}.`,
  },
  en: {
    stage: { planned: 'Planned handover', scheduled: 'Scheduled handover', completed: 'Completed handover' },
    country: { KH: 'Cambodia', LA: 'Laos', CN: 'China' },
    need: { 'medical-care': 'medical care', escort: 'escort', interpreter: 'interpreter', 'psychological-support': 'psychological support', 'child-protection-officer': 'child protection officer', 'travel-documents': 'travel documents' },
    none: 'none stated',
    sentence: (p) => `${p.stage}: ${p.persons} person(s), of whom ${p.children} child(ren), returned to ${p.country}${p.gate ? ` through the ${p.gate} border gate (facing ${p.facing})` : ''} on ${p.date}. Needs: ${p.needs}.`,
  },
  km: {
    stage: { planned: 'ការប្រគល់តាមគម្រោង', scheduled: 'ការប្រគល់ដែលបានកំណត់កាលបរិច្ឆេទ', completed: 'ការប្រគល់បានបញ្ចប់' },
    country: { KH: 'កម្ពុជា', LA: 'ឡាវ', CN: 'ចិន' },
    need: { 'medical-care': 'ការថែទាំវេជ្ជសាស្ត្រ', escort: 'ការអមដំណើរ', interpreter: 'អ្នកបកប្រែ', 'psychological-support': 'ការគាំទ្រផ្លូវចិត្ត', 'child-protection-officer': 'មន្ត្រីការពារកុមារ', 'travel-documents': 'ឯកសារធ្វើដំណើរ' },
    none: 'គ្មាន',
    sentence: (p) => `${p.stage}៖ មនុស្ស ${p.persons} នាក់ (កុមារ ${p.children} នាក់) ប្រគល់ទៅ${p.country}${p.gate ? ` តាមច្រកព្រំដែន ${p.gate} (ទល់មុខ ${p.facing})` : ''} នៅថ្ងៃ ${p.date}។ តម្រូវការ៖ ${p.needs}។`,
  },
  lo: {
    stage: { planned: 'ແຜນການສົ່ງມອບ', scheduled: 'ກຳນົດການສົ່ງມອບ', completed: 'ການສົ່ງມອບສຳເລັດ' },
    country: { KH: 'ກຳປູເຈຍ', LA: 'ລາວ', CN: 'ຈີນ' },
    need: { 'medical-care': 'ການດູແລທາງການແພດ', escort: 'ການຄຸ້ມກັນ', interpreter: 'ນາຍພາສາ', 'psychological-support': 'ການຊ່ວຍເຫຼືອທາງຈິດໃຈ', 'child-protection-officer': 'ເຈົ້າໜ້າທີ່ປົກປ້ອງເດັກ', 'travel-documents': 'ເອກະສານເດີນທາງ' },
    none: 'ບໍ່ມີ',
    sentence: (p) => `${p.stage}: ${p.persons} ຄົນ (ເດັກນ້ອຍ ${p.children} ຄົນ) ສົ່ງຄືນໃຫ້${p.country}${p.gate ? ` ຜ່ານດ່ານ ${p.gate} (ກົງກັນຂ້າມ ${p.facing})` : ''} ວັນທີ ${p.date}. ຄວາມຕ້ອງການ: ${p.needs}.`,
  },
  zh: {
    stage: { planned: '移交计划', scheduled: '已商定的移交', completed: '移交已完成' },
    country: { KH: '柬埔寨', LA: '老挝', CN: '中国' },
    need: { 'medical-care': '医疗护理', escort: '护送', interpreter: '翻译', 'psychological-support': '心理支持', 'child-protection-officer': '儿童保护官员', 'travel-documents': '旅行证件' },
    none: '无',
    sentence: (p) => `${p.stage}：${p.persons}人（其中儿童${p.children}人）${p.gate ? `经${p.gate}口岸（对面为${p.facing}）` : ''}于${p.date}移交${p.country}。需求：${p.needs}。`,
  },
};

export function handoverSummary(language: DeskLanguage, facts: SummaryFacts): { lang: DeskLanguage; text: string } {
  const phrases = PHRASES[language];
  const gate = facts.borderGate === undefined ? undefined : BORDER_GATES.find((entry) => entry.gate === facts.borderGate);
  const needs = facts.needs.map((need) => phrases.need[need] ?? need);
  const text = phrases.sentence({
    stage: phrases.stage[facts.stage],
    persons: facts.personCount,
    children: facts.childCount,
    country: phrases.country[facts.toCountry] ?? facts.toCountry,
    gate: facts.borderGate ?? null,
    facing: gate?.facing ?? null,
    date: facts.date,
    needs: needs.length > 0 ? needs.join(language === 'zh' ? '、' : ', ') : phrases.none,
  });
  return { lang: language, text };
}
