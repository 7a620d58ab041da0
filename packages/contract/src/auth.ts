import { Type } from 'typebox';
import { Uuid } from './common';

export const DevLoginBody = Type.Object({ userId: Uuid }, { additionalProperties: false });
export const WecomLoginBody = Type.Object({ code: Type.String({ minLength: 1, maxLength: 512 }) });
export const DingtalkLoginBody = Type.Object({ authCode: Type.String({ minLength: 1, maxLength: 512 }) });
