/** The role vocabulary (issue 2). Codes are what policies refer to; names are shown in the UI. */
export const ROLE_SEED = [
  {
    code: 'admin',
    name_ja: 'システム管理者',
    name_en: 'Administrator',
    description: '所属・職員・語彙の管理。事件等の内容は閲覧できない。',
  },
  {
    code: 'cyber_analyst',
    name_ja: 'サイバー分析官',
    name_en: 'Cyber analyst',
    description: 'サイバー犯罪対策課の分析・情報集約。',
  },
  {
    code: 'investigator',
    name_ja: '捜査員',
    name_en: 'Investigator',
    description: '事件捜査（所属・構成員の範囲で閲覧）。',
  },
  {
    code: 'station_officer',
    name_ja: '警察署員',
    name_en: 'Station officer',
    description: '相談受理・通報対応・支援要請。',
  },
  { code: 'csirt', name_ja: 'CSIRT要員', name_en: 'CSIRT member', description: '庁内インシデント・脆弱性・機器管理。' },
  {
    code: 'hr',
    name_ja: '人材育成担当',
    name_en: 'HR / training officer',
    description: '検定・研修・競技会・訓練の管理。',
  },
  {
    code: 'outreach',
    name_ja: '広報啓発担当',
    name_en: 'Outreach officer',
    description: '注意喚起・協定・ボランティア。',
  },
  { code: 'auditor', name_ja: '監査担当', name_en: 'Auditor', description: '監査ログの閲覧のみ。' },
  { code: 'viewer', name_ja: '閲覧者', name_en: 'Viewer', description: '所属の記録の閲覧のみ。' },
] as const;

/** Positions within a unit; rank 1 is the unit head, smaller numbers are superiors. */
export const POSITION_SEED = [
  { code: 'head', name: '所属長（課長・署長）', name_en: 'Head of unit', rank: 1, is_head: 1 },
  { code: 'deputy', name: '次席（副署長）', name_en: 'Deputy head', rank: 2, is_head: 0 },
  { code: 'assistant_head', name: '課長補佐', name_en: 'Assistant head', rank: 3, is_head: 0 },
  { code: 'chief', name: '係長', name_en: 'Section chief', rank: 4, is_head: 0 },
  { code: 'senior', name: '主任', name_en: 'Senior officer', rank: 5, is_head: 0 },
  { code: 'staff', name: '係員', name_en: 'Officer', rank: 6, is_head: 0 },
] as const;
