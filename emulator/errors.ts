/**
 * Domain errors of the emulated Chat API, in the shape Google returns them:
 * `{"error":{"code","message","status","details"}}` (google.rpc.Status, AIP-193).
 * The store throws these; the routes turn them into HTTP answers.
 */

/** google.rpc.Code names used by the Chat API, with their HTTP status (google/rpc/code.proto). */
export const HTTP_STATUS_OF = {
  INVALID_ARGUMENT: 400,
  FAILED_PRECONDITION: 400,
  OUT_OF_RANGE: 400,
  UNAUTHENTICATED: 401,
  PERMISSION_DENIED: 403,
  NOT_FOUND: 404,
  ALREADY_EXISTS: 409,
  ABORTED: 409,
  RESOURCE_EXHAUSTED: 429,
  INTERNAL: 500,
  UNAVAILABLE: 503,
  DEADLINE_EXCEEDED: 504,
} as const;

export type RpcStatus = keyof typeof HTTP_STATUS_OF;

/** A `google.rpc.ErrorInfo` detail. */
export interface ErrorInfo {
  "@type": "type.googleapis.com/google.rpc.ErrorInfo";
  reason: string;
  domain: string;
  metadata?: Record<string, string>;
}

/** A `google.rpc.Help` detail: links to documentation or a console page that fixes the error. */
export interface HelpDetail {
  "@type": "type.googleapis.com/google.rpc.Help";
  links: { description: string; url: string }[];
}

export type ErrorDetail = ErrorInfo | HelpDetail;

export interface ErrorBody {
  error: { code: number; message: string; status: RpcStatus; details?: ErrorDetail[] };
}

export class ApiError extends Error {
  constructor(
    readonly status: RpcStatus,
    message: string,
    readonly details: ErrorDetail[] = [],
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  get httpStatus(): number {
    return HTTP_STATUS_OF[this.status];
  }

  toBody(): ErrorBody {
    const error: ErrorBody["error"] = { code: this.httpStatus, message: this.message, status: this.status };
    // proto3 JSON omits an empty repeated field
    if (this.details.length > 0) error.details = this.details;
    return { error };
  }
}

export function errorInfo(reason: string, domain = "chat.googleapis.com", metadata?: Record<string, string>): ErrorInfo {
  return { "@type": "type.googleapis.com/google.rpc.ErrorInfo", reason, domain, ...(metadata ? { metadata } : {}) };
}

export const invalidArgument = (message: string) => new ApiError("INVALID_ARGUMENT", message);
export const failedPrecondition = (message: string) => new ApiError("FAILED_PRECONDITION", message);
export const permissionDenied = (message = "The caller does not have permission") => new ApiError("PERMISSION_DENIED", message);
export const notFound = (message = "Requested entity was not found.") => new ApiError("NOT_FOUND", message);
export const alreadyExists = (message: string) => new ApiError("ALREADY_EXISTS", message);
