// The owners of event streams: the five agencies of the referral chain, plus the audit service
// (access records, archive) and the liaison service (foreign desks, handover packets).
import { z } from 'zod';

export const REFERRAL_AGENCIES = ['intake', 'identification', 'rescue', 'protection', 'reintegration'] as const;
export const SERVICES = [...REFERRAL_AGENCIES, 'audit', 'liaison'] as const;

export const ReferralAgencySchema = z.enum(REFERRAL_AGENCIES);
export type ReferralAgency = z.infer<typeof ReferralAgencySchema>;

export const AgencySchema = z.enum(SERVICES);
export type Agency = z.infer<typeof AgencySchema>;

/** Human names of each service, for documents and logs. */
export const AGENCY_TITLES: Record<Agency, { en: string; vi: string }> = {
  intake: { en: 'Intake of tips and the 111 hotline', vi: 'Tiếp nhận tin báo, tố giác (Tổng đài 111)' },
  identification: { en: 'Victim identification', vi: 'Xác định nạn nhân' },
  rescue: { en: 'Rescue and cross-border return', vi: 'Giải cứu, trao trả và tiếp nhận trở về' },
  protection: { en: 'Protection and initial support', vi: 'Bảo vệ và hỗ trợ ban đầu' },
  reintegration: { en: 'Community reintegration', vi: 'Tái hòa nhập cộng đồng' },
  audit: { en: 'Audit and statistics (standing office)', vi: 'Kiểm tra, thống kê (Cơ quan thường trực BCĐ 138)' },
  liaison: { en: 'Cross-border liaison', vi: 'Liên lạc biên giới' },
};
