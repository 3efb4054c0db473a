/**
 * The one catalogue of stable error codes. Clients (the web UI, partners' scripts) switch on `code`;
 * `message` is for people, in Japanese first and English when the client asks for it.
 */
export const ERRORS = {
  VALIDATION_FAILED: { status: 400, ja: '入力内容に誤りがあります。', en: 'The request is not valid.' },
  MALFORMED_JSON: { status: 400, ja: 'JSON の形式が正しくありません。', en: 'The request body is not valid JSON.' },
  STIX_BUNDLE_INVALID: {
    status: 400,
    ja: 'STIX バンドルが仕様に適合しないため取り込みません。',
    en: 'The STIX bundle is not valid and was not imported.',
  },
  MISP_EVENT_INVALID: {
    status: 400,
    ja: 'MISP イベントの形式が正しくないため取り込みません。',
    en: 'The MISP event is not valid and was not imported.',
  },
  UNKNOWN_FIELD: { status: 400, ja: '不明な項目が含まれています。', en: 'The request contains an unknown field.' },
  REQUEST_BANK_UNKNOWN: {
    status: 400,
    ja: '金融機関コードが全銀コードにありません。',
    en: 'No bank has that code.',
  },
  REQUEST_BRANCH_UNKNOWN: {
    status: 400,
    ja: 'その金融機関に該当する支店コードがありません。',
    en: 'The bank has no branch with that code.',
  },
  REQUEST_ACCOUNT_NUMBER_INVALID: {
    status: 400,
    ja: '口座番号は7桁の数字で入力してください。',
    en: 'The account number must be 7 digits.',
  },
  REQUEST_KANA_INVALID: {
    status: 400,
    ja: '口座名義人のカナに全銀で使えない文字があります。',
    en: 'The holder name has a character outside the Zengin set.',
  },
  REQUEST_FIELD_MISSING: { status: 400, ja: '依頼種別の必須項目が未入力です。', en: 'A required field is missing.' },
  REQUEST_RECIPIENT_KIND: {
    status: 400,
    ja: 'この依頼種別はその宛先に送れません。',
    en: 'This request type cannot go to that recipient.',
  },
  REQUEST_PRESERVATION_LIMIT: {
    status: 409,
    ja: '通信履歴の保全期間は延長を含め通じて60日を超えられません。',
    en: 'A preservation period cannot exceed 60 days in total, extensions included.',
  },
  REQUEST_SELF_APPROVAL: { status: 403, ja: '起案者は自らの依頼を決裁できません。', en: 'The drafter cannot approve.' },
  REQUEST_NOT_UNIT_HEAD: {
    status: 403,
    ja: '依頼の決裁は起案所属の所属長が行います。',
    en: 'Only the head of the drafting unit approves.',
  },
  REQUEST_BAD_TRANSITION: {
    status: 409,
    ja: '現在の状態ではその操作はできません。',
    en: 'The request is not in a state that allows this.',
  },
  REQUEST_NO_ADDRESS: {
    status: 409,
    ja: '宛先にメールアドレスが登録されていません（FAX送付は印刷してください）。',
    en: 'The recipient has no e-mail address (print the letter for FAX).',
  },
  PASSWORD_TOO_WEAK: {
    status: 400,
    ja: 'パスワードは12文字以上で、ログインIDや現在のパスワードと異なるものにしてください。',
    en: 'Passwords need at least 12 characters and must differ from the login and the current password.',
  },
  TOTP_INVALID: { status: 400, ja: '確認コードが正しくありません。', en: 'The verification code is not valid.' },
  TOTP_NOT_STARTED: {
    status: 400,
    ja: '二要素認証の登録が開始されていません。',
    en: 'TOTP enrolment has not been started.',
  },
  INVALID_CURSOR: { status: 400, ja: 'ページ指定が正しくありません。', en: 'The page cursor is not valid.' },
  UNAUTHENTICATED: { status: 401, ja: 'ログインしてください。', en: 'Please sign in.' },
  INVALID_CREDENTIALS: {
    status: 401,
    ja: 'ログインIDまたはパスワードが正しくありません。',
    en: 'The login or password is not correct.',
  },
  TOKEN_INVALID: { status: 401, ja: 'APIトークンが無効です。', en: 'The API token is not valid.' },
  FORBIDDEN: { status: 403, ja: 'この操作を行う権限がありません。', en: 'You are not allowed to do this.' },
  CSRF_TOKEN_INVALID: {
    status: 403,
    ja: '画面を再読み込みしてからやり直してください。',
    en: 'Reload the page and try again (CSRF check failed).',
  },
  MFA_REQUIRED: { status: 403, ja: '二要素認証を完了してください。', en: 'Complete two-factor authentication first.' },
  PASSWORD_CHANGE_REQUIRED: {
    status: 403,
    ja: 'パスワードを変更してください。',
    en: 'Change your password first.',
  },
  SELF_ADMINISTRATION: {
    status: 403,
    ja: '自分自身の権限・所属・状態は変更できません。',
    en: 'You cannot change your own roles, unit or status.',
  },
  NOT_FOUND: { status: 404, ja: '見つかりません。', en: 'Not found.' },
  ROUTE_NOT_FOUND: { status: 404, ja: 'そのAPIはありません。', en: 'No such API route.' },
  OBSERVABLE_NOT_FOUND: { status: 404, ja: '該当する指標は登録されていません。', en: 'No such observable.' },
  CASE_SELF_MEMBERSHIP: {
    status: 403,
    ja: '自分自身を事件の構成員に加えることはできません（緊急時は理由を付して緊急参加してください）。',
    en: 'Nobody adds himself to a case (use the emergency override with a reason).',
  },
  CASE_CLEARANCE_TOO_LOW: {
    status: 409,
    ja: 'その職員の取扱資格が事件の格付に達していません。',
    en: "The person's clearance does not reach the case's classification.",
  },
  CASE_LAST_LEAD: { status: 409, ja: '主任者がいなくなるため外せません。', en: 'A case keeps at least one lead.' },
  LOGIN_TAKEN: {
    status: 409,
    ja: 'そのログインIDは使用済みです（無効化されたIDも再利用できません）。',
    en: 'That login is taken (logins of disabled accounts are never reused).',
  },
  UNIT_CODE_TAKEN: { status: 409, ja: 'その所属コードは使用済みです。', en: 'That unit code is taken.' },
  CONFLICT: { status: 409, ja: '他の変更と競合しました。', en: 'The change conflicts with another one.' },
  PAYLOAD_TOO_LARGE: { status: 413, ja: '送信内容が大きすぎます。', en: 'The request body is too large.' },
  UNSUPPORTED_MEDIA_TYPE: {
    status: 415,
    ja: 'この形式のデータは受け付けていません。',
    en: 'This content type is not accepted.',
  },
  NOT_ACCEPTABLE: {
    status: 406,
    ja: '要求された形式（Accept）では応答できません。',
    en: 'The requested media type (Accept) is not supported.',
  },
  UNPROCESSABLE: {
    status: 422,
    ja: '形式は正しいものの、内容を処理できません。',
    en: 'The request is well formed but cannot be processed.',
  },
  ACCOUNT_LOCKED: {
    status: 423,
    ja: 'ログイン失敗が続いたため一時的にロックされています。しばらくしてからお試しください。',
    en: 'Too many failed sign-ins; the account is locked for a while.',
  },
  RATE_LIMITED: { status: 429, ja: 'アクセスが集中しています。時間をおいてお試しください。', en: 'Too many requests.' },
  INTERNAL: {
    status: 500,
    ja: 'システム内部でエラーが発生しました。',
    en: 'An internal error occurred.',
  },
  UNAVAILABLE: { status: 503, ja: '一時的に利用できません。', en: 'Temporarily unavailable.' },
} as const satisfies Record<string, { status: number; ja: string; en: string }>;

export type ErrorCode = keyof typeof ERRORS;

/** An error with a stable code; thrown anywhere, turned into `{error:{code,message}}` by the HTTP layer. */
export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message?: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message ?? ERRORS[code].en);
    this.name = 'AppError';
    this.status = ERRORS[code].status;
  }
}

export function isAppError(e: unknown): e is AppError {
  return e instanceof AppError;
}

/** The people-facing message of a code, in the client's language. */
export function errorMessage(code: ErrorCode, locale: 'ja' | 'en', detail?: string): string {
  const base = ERRORS[code][locale];
  return detail ? `${base} (${detail})` : base;
}
