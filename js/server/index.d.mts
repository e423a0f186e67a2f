// Types of fn-calls/server: talking to an Fn server's call API (v1, v2, or none since 0.3.689).

/** What the client needs of the fn-calls package: it writes the listing URLs. */
export interface UrlWriter {
  listCallsUrl(base: string, app: string, filter?: object | null, options?: { api?: 'v1' | 'v2' }): string;
  filterToQuery(filter?: object | null, options?: { api?: 'v1' | 'v2' }): string;
}

export type FnServerErrorKind = 'network' | 'timeout' | 'http' | 'protocol' | 'not-found' | 'gone' | 'no-api';

/** Why a request or a listing failed; `transient` failures are worth another try. */
export class FnServerError extends Error {
  constructor(
    message: string,
    options?: { kind?: FnServerErrorKind; status?: number; transient?: boolean; retryAfterMs?: number | null; url?: string },
  );
  readonly name: 'FnServerError';
  kind: FnServerErrorKind;
  /** The HTTP status, 0 when there was no answer. */
  status: number;
  transient: boolean;
  retryAfterMs: number | null;
  url: string;
}

/** Why a server since 0.3.689 answers 410 Gone for calls, and what to do instead. */
export const GONE_EXPLANATION: string;

export interface Connection {
  readonly base: string;
  /** `base` without a trailing slash, `/v1` or `/v2`. */
  readonly root: string;
  readonly pkg: UrlWriter;
  readonly fetch: typeof globalThis.fetch;
  readonly headers: Record<string, string>;
  readonly timeoutMs: number;
  readonly retries: number;
  readonly retryDelayMs: number;
  readonly onRetry: (message: string) => void;
  readonly maxAnswerBytes: number;
  readonly followRedirects: boolean;
}

/** The largest answer read by default (64 MiB, after decompression). */
export const DEFAULT_MAX_ANSWER_BYTES: number;

export function connection(
  base: string,
  options: {
    pkg: UrlWriter;
    fetch?: typeof globalThis.fetch;
    headers?: Record<string, string>;
    timeoutMs?: number;
    retries?: number;
    retryDelayMs?: number;
    onRetry?: (message: string) => void;
    /** The largest answer read, after decompression; larger answers are a 'protocol' error. */
    maxAnswerBytes?: number;
    /** Node: follow a redirect to another origin (without the caller's headers). Browsers follow per CORS. */
    followRedirects?: boolean;
  },
): Connection;

export interface Answer {
  status: number;
  body: Uint8Array;
  text: string;
  contentType: string;
}

export function serverMessage(text: string): string;
export function request(conn: Connection, url: string, options?: { accept?: string }): Promise<Answer>;
export function requestWithRetries<T = Answer>(
  conn: Connection,
  url: string,
  what: string,
  options?: { accept?: string; check?: (answer: Answer) => T },
): Promise<T>;
export function jsonOf(answer: Answer): unknown;
/** A 404/405 about the route itself (the server has another API), not about an app, fn or call. */
export function isRouteMissing(e: unknown): boolean;
export function toBase64Url(text: string): string;
/** The text of a base64url string, or `null` when it is not base64url of UTF-8. */
export function fromBase64Url(s: string): string | null;

export interface ListFilter {
  cursor?: string;
  per_page?: number;
  from_time?: number;
  to_time?: number;
  path?: string;
}
export function v1ListUrl(conn: Connection, app: string, filter?: ListFilter): string;
export function v2ListUrl(conn: Connection, fnId: string, filter?: ListFilter): string;
export type Target = { api: 'v1'; app: string } | { api: 'v2'; fnId: string };
export function callUrl(conn: Connection, target: Target, id: string): string;
export function logUrl(conn: Connection, target: Target, id: string): string;
export function resolveV2Fns(conn: Connection, app: string, fnName?: string): Promise<{ appId: string; fns: { id: string; name: string }[] }>;
export function serverVersion(conn: Connection): Promise<string>;
export function goneError(conn: Connection): Promise<FnServerError>;
export function mergeNewestFirst<T extends { id: string }>(sources: Iterable<AsyncIterator<T[]>>): AsyncGenerator<T, void, undefined>;
