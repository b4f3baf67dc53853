import { createHash } from 'node:crypto';
import type { Store } from 'express-rate-limit';
import type { Redis } from 'ioredis';
import { type RedisReply, RedisStore } from 'rate-limit-redis';

/**
 * Rate-limit counters every instance shares (issue 15): express-rate-limit's
 * Redis store, one key prefix per limiter and per deployment (`deployment`:
 * which database the instances share), so a client gets AUTH_RATE_LIMIT
 * attempts across the instances of one installation, and two installations
 * on one Redis (staging and production) do not count each other's.
 */
export function redisRateLimitStores(redis: Redis, deployment: string): (limiter: string) => Store {
  const key = createHash('sha256').update(deployment).digest('hex').slice(0, 16);
  return (limiter) =>
    new RedisStore({
      sendCommand: (command: string, ...args: string[]) => redis.call(command, ...args) as Promise<RedisReply>,
      prefix: `rapporteur:rate:${key}:${limiter}:`,
    });
}
