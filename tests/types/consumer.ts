// Compiled with `tsc --strict` against the package's generated declarations: if a type lies about what the
// runtime returns (bigint vs number, optional vs null, Record vs Map), this file stops compiling or the runtime
// assertions in tests/js/types.test.mjs fail.
import {
  parseCall,
  safeParseCall,
  validateCall,
  stringifyCall,
  parseCalls,
  parseCallLog,
  type Call,
  type CallStatus,
  type Issue,
  type CallValidationError,
  type SafeParseResult,
  type CallBatch,
  scanCalls,
  CallStream,
  CallIndex,
  type ScanResult,
  type IndexPage,
  type CallRow,
  type StreamMatches,
  type CallSummary,
  type InputForm,
  filterCalls,
  summarizeCalls,
  canTransition,
  STATUSES,
} from 'fn-calls';

const text = '{"id":"01C01TC09K47WGE00000000000","status":"success","app_name":"a","path":"/p"}';
const call: Call = parseCall(text, { mode: 'strict' });
const memory: bigint | undefined = call.memory;
const status: CallStatus | '' = call.status;
const env: Record<string, string> | undefined = call.env_vars;
const firstMetric: bigint | undefined = call.stats?.[0]?.metrics?.['mem_usage'];
const metrics: Record<string, bigint> | null | undefined = call.stats?.[0]?.metrics;
const priority: number | undefined = call.priority;
const created: string = call.created_at;

const result: SafeParseResult = safeParseCall(new TextEncoder().encode(text));
if (result.success) {
  const data: Call = result.data;
  const warnings: Issue[] = result.warnings;
  void data, warnings;
} else {
  const issues: Issue[] = result.issues;
  const offset: number | undefined = issues[0]?.offset;
  void offset;
}

const issues: Issue[] = validateCall({ id: 'x' });
const severity: 'error' | 'warning' | undefined = issues[0]?.severity;
const out: string = stringifyCall(call);
const batch: CallBatch = parseCalls(text);
const cursor: string = batch.next_cursor;
const logText: string = parseCallLog('{"call_id":"x","log":"y","app_name":"z"}').log;

try {
  parseCall('{}');
} catch (e) {
  const err = e as CallValidationError;
  const codes: string[] = err.issues.map((i) => i.code);
  void codes;
}

const scan: ScanResult = scanCalls(new Uint8Array(), { status: ['error', 'timeout'] }, { validate: 'matches' });
const indices: Uint32Array = scan.indices;
const offsets: Float64Array = scan.offsets;
{
  using stream = new CallStream({ app_name: 'a' }, { records: true });
  stream.push(new Uint8Array());
  const records: string[] = stream.takeRecords();
  const seen: number = stream.bytesSeen;
  const taken: StreamMatches = stream.takeMatches();
  const takenAt: Uint32Array = taken.indices;
  const one: ScanResult = stream.finishInput();
  const oneForm: InputForm | null = one.form;
  void records, seen, takenAt, oneForm;
}
{
  using summing = new CallStream(null, { summary: { group_by: 'path' }, ranges: true });
  const done = summing.finish();
  const streamed: CallSummary | undefined = done.summary;
  const everyRange: Float64Array | undefined = done.ranges;
  void streamed, everyRange;
}
const index = new CallIndex(new Uint8Array(), null);
const page: IndexPage = index.filter({ all: true });
const positions: Uint32Array = page.positions;
const fromIndex: Call = index.get(0);
const summary: CallSummary = index.summarize({ group_by: 'path' }, page.positions);
const rows: CallRow[] = index.rows(0, 30);
const inputForm: InputForm | null = index.form;
const recordCount: number = index.records;
const recordAt: Float64Array | number[] = index.recordRange(0);
const recordOfRow: number = index.recordOf(0);
void inputForm, recordCount, recordAt, recordOfRow;
// bytes may also be an ArrayBuffer or a DataView; positions and the limit are optional
const fromBuffer = new CallIndex(new ArrayBuffer(0), { max_record_bytes: 1 << 20 });
const allRows: CallRow[] = fromBuffer.rows();
const allSummary: CallSummary = fromBuffer.summarize();
const groups = fromBuffer.errorGroups();
const sliced: Call[] = fromBuffer.slice(0);
scanCalls(new DataView(new ArrayBuffer(0)), null, { max_record_bytes: 1024 });
new CallStream().push(new ArrayBuffer(0));
// @ts-expect-error text is not bytes
new CallStream().push('{"id":"x"}');
// @ts-expect-error a position is a number
index.get('0');
void allRows, allSummary, groups, sliced;
const memPeak: bigint | null = rows[0]?.mem_peak ?? null;
const took: number | null = rows[0]?.duration_ms ?? null;
const rowStatus: CallStatus | '' = rows[0]?.status ?? '';
const peak: bigint | undefined = summarizeCalls([call]).total.mem_usage?.peak;
const listed: Call[] = filterCalls([call], { per_page: 10 }).calls;
const ok: boolean = canTransition('running', 'timeout');
const statuses: readonly CallStatus[] = STATUSES;
index.free();
void indices, offsets, positions, fromIndex, summary, memPeak, took, rowStatus, peak, listed, ok, statuses;

// @ts-expect-error memory is a bigint, not a number
const wrong: number | undefined = call.memory;
// @ts-expect-error the mode is a closed set
parseCall(text, { mode: 'lenient' });

void memory, status, env, firstMetric, metrics, priority, created, severity, out, cursor, logText, wrong;

// fn-calls/server: the Fn server client the command and the dashboard use.
import { connection, FnServerError, mergeNewestFirst, fromBase64Url, GONE_EXPLANATION } from 'fn-calls/server';
import * as pkgForServer from 'fn-calls';
const conn = connection('http://127.0.0.1:8080', { pkg: pkgForServer, retries: 2 });
const serverError = new FnServerError('gone', { kind: 'gone', status: 410 });
const errorKind: 'network' | 'timeout' | 'http' | 'protocol' | 'not-found' | 'gone' | 'no-api' = serverError.kind;
const decoded: string | null = fromBase64Url('MDFD');
async function mergedIds(): Promise<string[]> {
  const ids: string[] = [];
  for await (const x of mergeNewestFirst([(async function* () { yield [{ id: 'b' }, { id: 'a' }]; })()])) ids.push(x.id);
  return ids;
}
void conn, errorKind, decoded, mergedIds, GONE_EXPLANATION;

// Standard Schema: the objects are StandardSchemaV1 as the spec's own types declare it.
import type { StandardSchemaV1 as Spec } from '@standard-schema/spec';
import { callSchema, filterSchema, CallValidationError as CVE, CallFilterError as CFE } from 'fn-calls';
// init is the default export in every build: Node's resolves at once, the browser's loads the wasm.
import initAny from 'fn-calls';
const asSpec: Spec<unknown, Call> = callSchema as Spec<unknown, Call>;
const filterSpec: Spec = filterSchema;
async function standard(text: string): Promise<Call | undefined> {
  const r = await callSchema['~standard'].validate(text);
  if (r.issues) return undefined;
  const id: string = r.value.id;
  void id;
  return r.value;
}
function classify(e: unknown): string {
  if (e instanceof CVE) return e.issues.map((i) => i.code).join();
  if (e instanceof CFE) return e.issues.length.toString();
  return 'other';
}
const initDone: Promise<unknown> = initAny();
void asSpec, filterSpec, standard, classify, initDone;
