// The facts of one case the scenario drives through the agencies: where the tip came from, who
// the victim is, where she was exploited and through which border gate she came home. The demo
// tells one fixed story; `nrm simulate` draws many from a seeded generator (case-stories.ts).
export type CaseStory = {
  tip: { channel: 'hotline-111' | 'police' | 'border-guard' | 'ngo' | 'citizen'; province: string; statement: string; reporter?: { fullName: string; phone: string } };
  victim: { fullName: string; dateOfBirth: string; sex: 'female' | 'male'; ageGroup: string; child: boolean; phone?: string };
  exploitation: { country: 'KH' | 'LA' | 'CN'; forms: string[] };
  /** The gate she was received at, facing `exploitation.country`. */
  borderGate: string;
  /** Her home province: where protection and reintegration work. */
  homeProvince: string;
};

export const DEMO_STORY: CaseStory = {
  tip: {
    channel: 'hotline-111',
    province: 'Tây Ninh',
    statement: 'My daughter went to Cambodia for a job in a casino in Bavet; she says she is locked in and forced to scam people online.',
    reporter: { fullName: 'Trần Thị Mai', phone: '0903 112 233' },
  },
  victim: { fullName: 'Nguyễn Thị Thu', dateOfBirth: '2009-03-14', sex: 'female', ageGroup: '16-17', child: true, phone: '0987 654 321' },
  exploitation: { country: 'KH', forms: ['forced-labour', 'forced-criminality'] },
  borderGate: 'Mộc Bài',
  homeProvince: 'Tây Ninh',
};
