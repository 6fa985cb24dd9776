// The one reader of the cloud's error answers (`{ error: { code, message } }`, shared/cloud/errors.ts):
// the sync, the activation and the marketplace all name the cloud's reason with it.

/** The cloud's code and sentence from an error answer; `http_<status>` and the body text (or `HTTP <status>`) when it gave none. */
export function cloudErrorOf(response: { status: number; body: unknown }): { code: string; message: string } {
  const { status, body } = response;
  const error = typeof body === 'object' && body !== null ? (body as { error?: { code?: unknown; message?: unknown } }).error : undefined;
  return {
    code: typeof error?.code === 'string' ? error.code : `http_${status}`,
    message: typeof error?.message === 'string' ? error.message : typeof body === 'string' && body.trim().length > 0 ? body.trim().slice(0, 300) : `HTTP ${status}`,
  };
}
