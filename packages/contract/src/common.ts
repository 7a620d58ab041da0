import { type Static, Type } from 'typebox';

export const ErrorBody = Type.Object(
  {
    error: Type.Object({
      code: Type.String(),
      message: Type.String(),
      field: Type.Optional(Type.String()),
      requestId: Type.Optional(Type.String()),
    }),
  },
  { $id: 'ErrorBody' },
);
export type ErrorBody = Static<typeof ErrorBody>;

export const Uuid = Type.String({ format: 'uuid', maxLength: 36 });
export const IsoInstant = Type.String({ format: 'date-time', maxLength: 40 });
export const IdParams = Type.Object({ id: Uuid });

export const Role = Type.Union([Type.Literal('rep'), Type.Literal('supervisor'), Type.Literal('admin')]);
export type Role = Static<typeof Role>;

export const PublicUser = Type.Object({
  id: Uuid,
  name: Type.String(),
  role: Role,
  tenantId: Uuid,
});
export type PublicUser = Static<typeof PublicUser>;

export const SessionResponse = Type.Object({ token: Type.String(), user: PublicUser });
export type SessionResponse = Static<typeof SessionResponse>;
