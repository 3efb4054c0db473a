/** Display labels of statuses, outcomes and channels (Japanese; the web UI translates its own). */
export const STATUS_LABELS: Record<string, { ja: string; en: string }> = {
  received: { ja: '受付済み', en: 'Received' },
  assigned: { ja: '担当者決定', en: 'Assigned' },
  in_progress: { ja: '対応中', en: 'In progress' },
  closed: { ja: '対応終了', en: 'Closed' },
};

export const OUTCOME_LABELS: Record<string, string> = {
  advice: '助言・指導',
  referred_ipa: 'IPAへ紹介',
  referred_consumer_center: '消費生活センターへ紹介',
  referred_legal_affairs: '法務局へ紹介',
  referred_ihaho: '違法・有害情報相談センターへ紹介',
  case_opened: '事件化',
  no_further_action: '措置なし',
};

export const CHANNEL_LABELS: Record<string, string> = {
  web: 'ウェブ通報フォーム',
  phone: '電話',
  counter: '来署・来庁',
  mail: '郵便・メール',
  npa_online: '警察庁オンライン受付窓口',
  ihc: 'インターネット・ホットラインセンター',
  patrol: 'サイバーパトロール',
  partner: '関係機関',
};

/* ───────────────────────── public: status and additions ───────────────────────── */
