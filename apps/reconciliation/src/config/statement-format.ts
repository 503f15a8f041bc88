import { CLEARING_STATUSES, type ClearingStatus } from '@pt/contracts';
import { ValidatorConstraint, type ValidatorConstraintInterface } from 'class-validator';

/** The columns of a channel's statement that reconciliation reads, named as in its header line. */
export interface StatementColumns {
  paymentReference: string;
  orderNumber: string;
  amount: string;
  status: string;
  time: string;
  /** Optional: without it every row is in the format's `currency`. */
  currency?: string;
}

/**
 * How one channel writes its clearing statement (CSV with a header line). A statement
 * may have more columns than these; only the mapped ones are read.
 */
export interface StatementFormat {
  name: string;
  channel: string;
  delimiter: string;
  columns: StatementColumns;
  /** `minor`: integer minor units (fen); `major`: a decimal amount (yuan) with up to `amountScale` decimals. */
  amountUnit: 'minor' | 'major';
  amountScale: number;
  /** The channel's status words and what each means for the money. Unlisted words reject the row. */
  statusMap: Record<string, ClearingStatus>;
  /** Currency of rows without a currency column (or with it empty). */
  currency: string;
  /** UTC offset of times written without one, and of the statement day: `+08:00`, `Z`. */
  timeZone: string;
}

/** The formats the suite knows out of the box, one per channel; STATEMENT_FORMATS adds or replaces. */
export const BUILT_IN_STATEMENT_FORMATS: StatementFormat[] = [
  {
    name: 'wechat-v1',
    channel: 'wechat',
    delimiter: ',',
    columns: {
      paymentReference: 'transaction_id',
      orderNumber: 'out_trade_no',
      amount: 'total_fee',
      status: 'trade_state',
      time: 'success_time',
      currency: 'fee_type',
    },
    amountUnit: 'minor',
    amountScale: 0,
    statusMap: { SUCCESS: 'CLEARED', REFUND: 'REVERSED', PAYERROR: 'FAILED', CLOSED: 'FAILED', REVOKED: 'FAILED', USERPAYING: 'CLEARING' },
    currency: 'CNY',
    timeZone: '+08:00',
  },
  {
    name: 'alipay-v1',
    channel: 'alipay',
    delimiter: ',',
    columns: { paymentReference: '支付宝交易号', orderNumber: '商户订单号', amount: '订单金额（元）', status: '交易状态', time: '完成时间' },
    amountUnit: 'major',
    amountScale: 2,
    statusMap: {
      TRADE_SUCCESS: 'CLEARED',
      TRADE_FINISHED: 'CLEARED',
      TRADE_CLOSED: 'REVERSED',
      WAIT_BUYER_PAY: 'CLEARING',
      交易成功: 'CLEARED',
      交易关闭: 'REVERSED',
    },
    currency: 'CNY',
    timeZone: '+08:00',
  },
  {
    name: 'unionpay-v1',
    channel: 'unionpay',
    delimiter: ',',
    columns: { paymentReference: 'query_id', orderNumber: 'order_id', amount: 'txn_amt', status: 'status', time: 'txn_time', currency: 'currency' },
    amountUnit: 'minor',
    amountScale: 0,
    statusMap: { SUCCESS: 'CLEARED', FAILED: 'FAILED', REVERSED: 'REVERSED', PROCESSING: 'CLEARING' },
    currency: 'CNY',
    timeZone: '+08:00',
  },
];

const OFFSET = /^(Z|[+-](0\d|1[0-4]):[0-5]\d)$/;
const CHANNEL = /^[A-Za-z0-9_.-]{1,32}$/;

/** Problems with a list of formats, each naming the format and the field; empty when all is well. */
export function formatProblems(value: unknown): string[] {
  if (!Array.isArray(value)) return ['must be a JSON array of statement formats'];
  const problems: string[] = [];
  const channels = new Set<string>();
  value.forEach((raw, index) => {
    const f = (raw ?? {}) as Partial<StatementFormat>;
    const at = `format ${typeof f.name === 'string' ? `"${f.name}"` : `#${index + 1}`}`;
    if (typeof f.name !== 'string' || f.name.trim() === '') problems.push(`${at}: name is required`);
    if (typeof f.channel !== 'string' || !CHANNEL.test(f.channel)) problems.push(`${at}: channel must be 1-32 letters, digits, _ . -`);
    else if (channels.has(f.channel)) problems.push(`${at}: channel ${f.channel} has more than one format`);
    else channels.add(f.channel);
    if (f.delimiter !== undefined && (typeof f.delimiter !== 'string' || f.delimiter.length !== 1 || f.delimiter === '"'))
      problems.push(`${at}: delimiter must be one character other than "`);
    const columns = (f.columns ?? {}) as Partial<StatementColumns>;
    for (const key of ['paymentReference', 'orderNumber', 'amount', 'status', 'time'] as const) {
      if (typeof columns[key] !== 'string' || columns[key].trim() === '') problems.push(`${at}: columns.${key} must name a header column`);
    }
    if (columns.currency !== undefined && typeof columns.currency !== 'string') problems.push(`${at}: columns.currency must name a header column`);
    if (f.amountUnit !== undefined && f.amountUnit !== 'minor' && f.amountUnit !== 'major') problems.push(`${at}: amountUnit must be minor or major`);
    if (f.amountScale !== undefined && (!Number.isInteger(f.amountScale) || f.amountScale < 0 || f.amountScale > 4))
      problems.push(`${at}: amountScale must be an integer from 0 to 4`);
    const map = f.statusMap as Record<string, unknown> | undefined;
    if (!map || typeof map !== 'object' || Object.keys(map).length === 0) problems.push(`${at}: statusMap must map at least one status word`);
    else {
      for (const [word, status] of Object.entries(map)) {
        if (!CLEARING_STATUSES.includes(status as ClearingStatus)) problems.push(`${at}: statusMap.${word} must be one of ${CLEARING_STATUSES.join(', ')}`);
      }
    }
    if (f.currency !== undefined && (typeof f.currency !== 'string' || !/^[A-Z]{3}$/.test(f.currency)))
      problems.push(`${at}: currency must be an ISO 4217 code such as CNY`);
    if (f.timeZone !== undefined && (typeof f.timeZone !== 'string' || !OFFSET.test(f.timeZone)))
      problems.push(`${at}: timeZone must be a UTC offset such as +08:00 or Z`);
  });
  return problems;
}

/** Fills the defaults of a format read from configuration (assumed to have passed formatProblems). */
function withDefaults(f: Partial<StatementFormat>): StatementFormat {
  return {
    name: f.name!,
    channel: f.channel!,
    delimiter: f.delimiter ?? ',',
    columns: f.columns!,
    amountUnit: f.amountUnit ?? 'minor',
    amountScale: f.amountScale ?? (f.amountUnit === 'major' ? 2 : 0),
    statusMap: f.statusMap!,
    currency: f.currency ?? 'CNY',
    timeZone: f.timeZone ?? '+08:00',
  };
}

/** Validates STATEMENT_FORMATS (a JSON array) as part of the configuration. */
@ValidatorConstraint({ name: 'statementFormats' })
export class ValidStatementFormats implements ValidatorConstraintInterface {
  private problems: string[] = [];

  validate(value: unknown): boolean {
    if (value === undefined) return true;
    if (typeof value !== 'string') {
      this.problems = ['must be JSON text'];
      return false;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(value);
    } catch (error) {
      this.problems = [`is not valid JSON (${(error as Error).message})`];
      return false;
    }
    this.problems = formatProblems(parsed);
    return this.problems.length === 0;
  }

  defaultMessage(): string {
    return `STATEMENT_FORMATS ${this.problems.join('; ')}`;
  }
}

/** The statement format of every channel: the built-in ones, with STATEMENT_FORMATS added on top. */
export class StatementFormats {
  private readonly byChannel = new Map<string, StatementFormat>();

  constructor(configured: string | undefined) {
    for (const f of BUILT_IN_STATEMENT_FORMATS) this.byChannel.set(f.channel, f);
    if (configured) {
      for (const f of JSON.parse(configured) as Partial<StatementFormat>[]) this.byChannel.set(f.channel!, withDefaults(f));
    }
  }

  forChannel(channel: string): StatementFormat | undefined {
    return this.byChannel.get(channel);
  }

  all(): StatementFormat[] {
    return [...this.byChannel.values()].sort((a, b) => a.channel.localeCompare(b.channel));
  }
}
