import { Type } from 'typebox';

export const Stage = Type.Union([
  Type.Literal('password_change'),
  Type.Literal('mfa_enrol'),
  Type.Literal('mfa_verify'),
  Type.Literal('ok'),
]);

export const Me = Type.Object({
  id: Type.String(),
  login: Type.String(),
  name: Type.String(),
  nameKana: Type.String(),
  unit: Type.Object({ id: Type.String(), name: Type.String() }),
  position: Type.Union([Type.Object({ id: Type.String(), name: Type.String() }), Type.Null()]),
  roles: Type.Array(Type.String()),
  clearance: Type.Integer(),
});

export const Abilities = Type.Object({
  manageOrganisation: Type.Boolean(),
  manageUsers: Type.Boolean(),
  manageTokens: Type.Boolean(),
  readAudit: Type.Boolean(),
  readIntel: Type.Boolean(),
  writeIntel: Type.Boolean(),
  importIntel: Type.Boolean(),
  readDetection: Type.Boolean(),
  huntDetection: Type.Boolean(),
  manageDetection: Type.Boolean(),
  readSharing: Type.Boolean(),
  manageTaxii: Type.Boolean(),
  readOutbox: Type.Boolean(),
  readRequests: Type.Boolean(),
  writeRequests: Type.Boolean(),
});

export const LoginBody = Type.Object(
  {
    login: Type.String({ minLength: 1, maxLength: 64 }),
    password: Type.String({ minLength: 1, maxLength: 256 }),
  },
  { additionalProperties: false },
);

export const LoginReply = Type.Object({ stage: Stage, csrfToken: Type.String(), user: Me });
export const MeReply = Type.Object({ stage: Stage, csrfToken: Type.String(), user: Me, abilities: Abilities });

export const PasswordBody = Type.Object(
  {
    currentPassword: Type.String({ minLength: 1, maxLength: 256 }),
    newPassword: Type.String({ minLength: 1, maxLength: 256 }),
  },
  { additionalProperties: false },
);

export const StageReply = Type.Object({ stage: Stage });

export const EnrolStartReply = Type.Object({
  secret: Type.String(),
  otpauthUrl: Type.String(),
  qrDataUrl: Type.String(),
});
export const CodeBody = Type.Object(
  { code: Type.String({ minLength: 1, maxLength: 16 }) },
  { additionalProperties: false },
);
export const EnrolFinishReply = Type.Object({ stage: Stage, recoveryCodes: Type.Array(Type.String()) });
export const VerifyBody = Type.Object(
  {
    code: Type.Optional(Type.String({ minLength: 1, maxLength: 16 })),
    recoveryCode: Type.Optional(Type.String({ minLength: 1, maxLength: 32 })),
  },
  { additionalProperties: false },
);
