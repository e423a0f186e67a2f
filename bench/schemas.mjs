// The call model as a JSON Schema (for ajv) and a zod schema: what a careful hand-written validator checks, so the
// benchmark compares like with like. Both check JSON types, enums, integer ranges and the date-time shape.
// Neither can see what JSON.parse already lost: integers above 2^53, duplicate keys, `1e3` vs `1000`.
import { z } from 'zod';

const dateTime = '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?(Z|[+-]\\d{2}:\\d{2})$';
const int32 = { type: 'integer', minimum: -2147483648, maximum: 2147483647 };
const uint64 = { type: 'integer', minimum: 0 };
const strMap = { type: ['object', 'null'], additionalProperties: { type: 'string' } };

export const callJsonSchema = {
  type: 'object',
  required: ['id', 'status', 'app_name', 'completed_at', 'created_at', 'started_at'],
  properties: {
    id: { type: 'string' },
    status: { enum: ['', 'delayed', 'queued', 'running', 'success', 'error', 'cancelled', 'timeout'] },
    app_name: { type: 'string' },
    path: { type: 'string' },
    image: { type: 'string' },
    delay: int32,
    type: { enum: ['', 'sync', 'async'] },
    format: { enum: ['', 'default', 'http', 'json'] },
    payload: { type: 'string' },
    url: { type: 'string' },
    method: { type: 'string' },
    priority: { type: ['integer', 'null'], minimum: 0, maximum: 2 },
    timeout: int32,
    idle_timeout: int32,
    memory: uint64,
    base_env: strMap,
    env_vars: strMap,
    completed_at: { type: 'string', pattern: dateTime },
    created_at: { type: 'string', pattern: dateTime },
    started_at: { type: 'string', pattern: dateTime },
    stats: {
      type: ['array', 'null'],
      items: {
        type: 'object',
        properties: {
          timestamp: { type: 'string', pattern: dateTime },
          metrics: { type: ['object', 'null'], additionalProperties: uint64 },
        },
      },
    },
    error: { type: 'string' },
    app_id: { type: 'string' },
    fn_id: { type: 'string' },
    trigger_id: { type: 'string' },
  },
};

const zDate = z.string().regex(new RegExp(dateTime));
const zInt32 = z.number().int().min(-2147483648).max(2147483647);
const zUint = z.number().int().min(0);
export const callZod = z.object({
  id: z.string(),
  status: z.enum(['', 'delayed', 'queued', 'running', 'success', 'error', 'cancelled', 'timeout']),
  app_name: z.string(),
  path: z.string().optional(),
  image: z.string().optional(),
  delay: zInt32.optional(),
  type: z.enum(['', 'sync', 'async']).optional(),
  format: z.enum(['', 'default', 'http', 'json']).optional(),
  payload: z.string().optional(),
  url: z.string().optional(),
  method: z.string().optional(),
  priority: z.number().int().min(0).max(2).nullable().optional(),
  timeout: zInt32.optional(),
  idle_timeout: zInt32.optional(),
  memory: zUint.optional(),
  base_env: z.record(z.string(), z.string()).nullable().optional(),
  env_vars: z.record(z.string(), z.string()).nullable().optional(),
  completed_at: zDate,
  created_at: zDate,
  started_at: zDate,
  stats: z.array(z.object({ timestamp: zDate, metrics: z.record(z.string(), zUint).nullable() })).nullable().optional(),
  error: z.string().optional(),
  app_id: z.string().optional(),
  fn_id: z.string().optional(),
  trigger_id: z.string().optional(),
});
