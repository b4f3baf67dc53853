import type { Store } from 'express-rate-limit';
import type { Redis } from 'ioredis';
import { type RedisReply, RedisStore } from 'rate-limit-redis';

/**
 * Rate-limit counters every instance shares (issue 15): express-rate-limit's
 * Redis store, one key prefix per limiter. A client then gets AUTH_RATE_LIMIT
 * attempts in all, not that many per instance.
 */
export function redisRateLimitStores(redis: Redis): (limiter: string) => Store {
  return (limiter) =>
    new RedisStore({
      sendCommand: (command: string, ...args: string[]) => redis.call(command, ...args) as Promise<RedisReply>,
      prefix: `rapporteur:rate:${limiter}:`,
    });
}
