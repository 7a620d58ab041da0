// Domain code throws AppError with a code; one handler maps codes to HTTP.
// Domain code never speaks HTTP.

export const errorStatus = {
  VALIDATION_FAILED: 422,
  BAD_REQUEST: 400,
  INVALID_JSON: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  USER_NOT_PROVISIONED: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  DUPLICATE_IDENTITY: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  UNREADABLE_CARD: 422,
  UNKNOWN_CUSTOMER: 422,
  RATE_LIMITED: 429,
  PLATFORM_UNAVAILABLE: 502,
  INTERNAL: 500,
} as const;

export type ErrorCode = keyof typeof errorStatus;

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: { field?: string; [k: string]: unknown } = {},
  ) {
    super(message);
    this.name = 'AppError';
  }
  get status(): number {
    return errorStatus[this.code];
  }
}

export const notFound = (what: string) => new AppError('NOT_FOUND', `${what} not found`);
export const invalid = (field: string, message: string) => new AppError('VALIDATION_FAILED', message, { field });
