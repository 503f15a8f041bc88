import { PgRateLimiter } from '@pt/database';
import { MERCHANT_API_KEYS, SERVICE_CONFIG } from '@pt/platform';
import { startControllerTestApp, type ControllerTestApp } from '@pt/testing';
import { MerchantsRepository, type KeyHolder } from '../merchants/merchants.repository.js';
import { PaymentsController } from './payments.controller.js';
import { PaymentsService } from './payments.service.js';

// The controller tier: PaymentsController over real HTTP with the services' pipe and error
// filter; the repository, rate limiter and service are stand-ins, so every answer here is
// the request edge's own (validation, authentication, status codes), not the database's.
const KEY = MERCHANT_API_KEYS.generate().secret;
const merchant: KeyHolder = { merchantId: '6f1c2d3e-4b5a-4c6d-8e7f-0a1b2c3d4e5f', merchantName: 'Shop', keyId: '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d' };

describe('PaymentsController (controller tier)', () => {
  let app: ControllerTestApp;
  const calls: { method: string; args: unknown[] }[] = [];
  let refuse = false;

  beforeAll(async () => {
    const record =
      (method: string, answer: unknown) =>
      (...args: unknown[]) => {
        calls.push({ method, args });
        return Promise.resolve(answer);
      };
    app = await startControllerTestApp({
      controllers: [PaymentsController],
      providers: [
        { provide: SERVICE_CONFIG, useValue: { SETTLEMENT_RATE_LIMIT_PER_MINUTE: 5 } },
        { provide: MerchantsRepository, useValue: { findKeyHolder: () => Promise.resolve(merchant) } },
        {
          provide: PgRateLimiter,
          useValue: {
            hit: () =>
              Promise.resolve(
                refuse
                  ? { allowed: false, retryAfterSeconds: 17, counts: { [`merchant:${merchant.merchantId}`]: 6 } }
                  : { allowed: true, retryAfterSeconds: 0, counts: { [`merchant:${merchant.merchantId}`]: 1 } },
              ),
          },
        },
        {
          provide: PaymentsService,
          useValue: {
            summary: record('summary', { date: '2026-11-30', currencies: [] }),
            list: record('list', { items: [], nextCursor: null }),
            get: record('get', {}),
          },
        },
      ],
    });
  });
  afterAll(() => app.close());
  beforeEach(() => {
    calls.length = 0;
    refuse = false;
  });

  const get = (path: string, headers: Record<string, string> = { authorization: `Bearer ${KEY}` }) => fetch(`${app.url}${path}`, { headers });

  it.each([['2026-13-01'], ['2026-02-30'], ['yesterday'], ['2026-11-30T00:00:00Z'], ['']])(
    'answers 400 naming date for summary?date=%s, and asks nothing of the service',
    async (date) => {
      const res = await get(`/v1/payments/summary?date=${encodeURIComponent(date)}`);
      expect(res.status).toBe(400);
      const body = (await res.json()) as { error: string; fields: { field: string }[] };
      expect(body.error).toBe('VALIDATION_FAILED');
      expect(body.fields.map((f) => f.field)).toEqual(['date']);
      expect(calls).toEqual([]);
      expect(app.logged).toEqual([]);
    },
  );

  it('passes a calendar date and the caller’s own merchant to the service', async () => {
    const res = await get('/v1/payments/summary?date=2026-11-30');
    expect(res.status).toBe(200);
    expect(calls).toEqual([{ method: 'summary', args: [merchant.merchantId, '2026-11-30'] }]);
    expect(res.headers.get('x-ratelimit-remaining')).toBe('4');
  });

  it.each([
    ['limit=0', 'limit'],
    ['limit=abc', 'limit'],
    ['status=LOST', 'status'],
    ['from=2026-11-31', 'from'],
    ['cursor=not-a-cursor', 'cursor'],
  ])('answers 400 naming the field for ?%s', async (query, field) => {
    const res = await get(`/v1/payments?${query}`);
    expect(res.status).toBe(400);
    const body = (await res.json()) as { fields: { field: string }[] };
    expect(body.fields.map((f) => f.field)).toContain(field);
    expect(calls).toEqual([]);
  });

  it('answers 401 with a challenge, and the same body, without a key or with a key of another kind', async () => {
    const attempts: Record<string, string>[] = [{}, { authorization: 'Bearer pt_chan_xyz' }, { 'x-api-key': 'nonsense' }];
    for (const headers of attempts) {
      const res = await get('/v1/payments/summary?date=2026-11-30', headers);
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Bearer realm="settlement"');
      expect(((await res.json()) as { error: string }).error).toBe('UNAUTHORIZED');
    }
    expect(calls).toEqual([]);
  });

  it('answers 429 with Retry-After when the merchant is over its rate', async () => {
    refuse = true;
    const res = await get('/v1/payments/summary?date=2026-11-30');
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('17');
    expect(res.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(calls).toEqual([]);
  });

  it('refuses an over-long payment reference before looking it up', async () => {
    const res = await get(`/v1/payments/${'P'.repeat(129)}`);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { fields: { field: string }[] }).fields[0].field).toBe('paymentReference');
    expect(calls).toEqual([]);
  });
});
