import { corpusCase, type CorpusCase } from './corpus-case.js';

// Friday 12 June 2026: 21:00 in Shanghai, 09:00 in Los Angeles (PDT), 14:00 in London (BST).
const SHANGHAI = '2026-06-12T21:00:00+08:00';
const LA = '2026-06-12T09:00:00-07:00';
const LONDON = '2026-06-12T14:00:00+01:00';
const en = { language: 'en' as const };
const c = (text: string, expect: Omit<CorpusCase['expect'], 'language'>) => corpusCase(SHANGHAI, text, { ...en, ...expect });
const la = (text: string, expect: Omit<CorpusCase['expect'], 'language'>) =>
  corpusCase(LA, text, { ...en, ...expect }, { timeZone: 'America/Los_Angeles', defaultCurrency: 'USD' });
const london = (text: string, expect: Omit<CorpusCase['expect'], 'language'>) =>
  corpusCase(LONDON, text, { ...en, ...expect }, { timeZone: 'Europe/London', defaultCurrency: 'USD' });
const P = 'PAID_NOT_CREDITED' as const;
const K = 'CARD_KEY_INVALID' as const;

export const ENGLISH: CorpusCase[] = [
  c('I paid 100 yuan via Alipay yesterday at 3pm, order number 2026061115000100, but my balance did not increase.', {
    orderNumber: '2026061115000100',
    paidAt: '2026-06-11T15:00+08:00',
    amount: '10000 CNY',
    channel: 'alipay',
    problemType: P,
  }),
  c('Hi, order #2026061220150050, paid RMB 50 with WeChat Pay at 8:15 pm today, still no card key.', {
    orderNumber: '2026061220150050',
    paidAt: '2026-06-12T20:15+08:00',
    amount: '5000 CNY',
    channel: 'wechat',
    problemType: P,
  }),
  c('Paid ¥99.90 two hours ago, order no. 2026061219000999, nothing was delivered', {
    orderNumber: '2026061219000999',
    paidAt: '2026-06-12T19:00+08:00',
    amount: '9990 CNY',
    problemType: P,
  }),
  c('The key you sent me is invalid. Order ID KM20260610123, bought on June 10 at 10:30 am for 30 yuan with UnionPay.', {
    orderNumber: 'KM20260610123',
    paidAt: '2026-06-10T10:30+08:00',
    amount: '3000 CNY',
    channel: 'unionpay',
    problemType: K,
  }),
  c('I was charged twice for order 2026061118000200! 200 yuan each time, yesterday 6pm, Alipay.', {
    orderNumber: '2026061118000200',
    paidAt: '2026-06-11T18:00+08:00',
    amount: '20000 CNY',
    channel: 'alipay',
    problemType: 'CHARGED_TWICE',
  }),
  c('My account was taken over and someone used my balance. Phone ending 4321.', { phoneLast4: '4321', problemType: 'ACCOUNT_PROBLEM' }),
  c("I can't log in to my account since this morning", { problemType: 'ACCOUNT_PROBLEM' }),
  c('Do you sell Xbox gift cards?', { problemType: 'OTHER' }),
  la('Paid $25 with my credit card 30 minutes ago, order 7781234567890123, no code received.', {
    orderNumber: '7781234567890123',
    paidAt: '2026-06-12T08:30-07:00',
    amount: '2500 USD',
    channel: 'bank_card',
    problemType: P,
  }),
  la('Order number: US2026061100042. I bought a $50 card yesterday at 7:45 pm and the code says already redeemed.', {
    orderNumber: 'US2026061100042',
    paidAt: '2026-06-11T19:45-07:00',
    amount: '5000 USD',
    problemType: K,
  }),
  la('Hello, I paid 19.99 dollars on June 1 at 11 am, order #US2026060100019, but the code does not work', {
    orderNumber: 'US2026060100019',
    paidAt: '2026-06-01T11:00-07:00',
    amount: '1999 USD',
    problemType: K,
  }),
  la('double charged!! order 2026061208000010, paid 10 bucks this morning at 8', {
    orderNumber: '2026061208000010',
    paidAt: '2026-06-12T08:00-07:00',
    amount: '1000 USD',
    problemType: 'CHARGED_TWICE',
  }),
  london('I topped up USD 40 at 1:15 pm today, order 2026061213150040, and it has not been credited.', {
    orderNumber: '2026061213150040',
    paidAt: '2026-06-12T13:15+01:00',
    amount: '4000 USD',
    problemType: P,
  }),
  london('Bought a card key on 11 June at 9:30, paid 15 dollars by bank card, order no 2026061109300015, key is invalid', {
    orderNumber: '2026061109300015',
    paidAt: '2026-06-11T09:30+01:00',
    amount: '1500 USD',
    channel: 'bank_card',
    problemType: K,
  }),
  c('order 2026061014000088 / paid 88 yuan / June 10 2pm / wechat / not received', {
    orderNumber: '2026061014000088',
    paidAt: '2026-06-10T14:00+08:00',
    amount: '8800 CNY',
    channel: 'wechat',
    problemType: P,
  }),
  c('Transaction ID 4200001234202606121234567890, order number 2026061210100066, paid 66 RMB at 10:10 this morning, key never arrived', {
    orderNumber: '2026061210100066',
    paidAt: '2026-06-12T10:10+08:00',
    amount: '6600 CNY',
    paymentReference: '4200001234202606121234567890',
    problemType: P,
  }),
  c('Hi support, I made a payment of 300 yuan through ICBC on 2026-06-09 16:20 for order 2026060916200300, the balance has not changed.', {
    orderNumber: '2026060916200300',
    paidAt: '2026-06-09T16:20+08:00',
    amount: '30000 CNY',
    channel: 'bank_card:ICBC',
    problemType: P,
  }),
  c('the code i got is wrong, order 2026061121000045 paid 45 yuan alipay last night 9pm', {
    orderNumber: '2026061121000045',
    paidAt: '2026-06-11T21:00+08:00',
    amount: '4500 CNY',
    channel: 'alipay',
    problemType: K,
  }),
  c('I paid an hour ago, 120 yuan, order 2026061220001200, WeChat, nothing arrived. My phone number ends in 7788.', {
    orderNumber: '2026061220001200',
    paidAt: '2026-06-12T20:00+08:00',
    amount: '12000 CNY',
    channel: 'wechat',
    phoneLast4: '7788',
    problemType: P,
  }),
  c('How long does a refund take?', { problemType: 'OTHER' }),
  la('I paid $9.99 on 6/10 at 2:30 pm, order DD20260610001, card key invalid', {
    orderNumber: 'DD20260610001',
    paidAt: '2026-06-10T14:30-07:00',
    amount: '999 USD',
    problemType: K,
  }),
  la('I have not received my gift card. Order 2026061106060060, paid 60 USD via UnionPay yesterday at 6:06 am.', {
    orderNumber: '2026061106060060',
    paidAt: '2026-06-11T06:06-07:00',
    amount: '6000 USD',
    channel: 'unionpay',
    problemType: P,
  }),
  c('Someone changed my password and my account was stolen, please freeze it', { problemType: 'ACCOUNT_PROBLEM' }),
  c('Paid 520 RMB on May 20 at 13:14 with Alipay, order number 2026052013140520, the key shows as already used', {
    orderNumber: '2026052013140520',
    paidAt: '2026-05-20T13:14+08:00',
    amount: '52000 CNY',
    channel: 'alipay',
    problemType: K,
  }),
  c('Order no: 2026061207300030. Paid 30 yuan by WeChat at 7:30 am today. Still not credited after 12 hours.', {
    orderNumber: '2026061207300030',
    paidAt: '2026-06-12T07:30+08:00',
    amount: '3000 CNY',
    channel: 'wechat',
    problemType: P,
  }),
  london('My card was charged twice for order UK2026061000077, 7 dollars each, on June 10 at 5 pm.', {
    orderNumber: 'UK2026061000077',
    paidAt: '2026-06-10T17:00+01:00',
    amount: '700 USD',
    channel: 'bank_card',
    problemType: 'CHARGED_TWICE',
  }),
  c('paid 200 yuan alipay 3 hours ago order 2026061218000201 didnt get anything', {
    orderNumber: '2026061218000201',
    paidAt: '2026-06-12T18:00+08:00',
    amount: '20000 CNY',
    channel: 'alipay',
    problemType: P,
  }),
  c('Order 2026060808080808: bought on June 8 at 8:08 am, paid CNY 88, key was already redeemed when I tried it.', {
    orderNumber: '2026060808080808',
    paidAt: '2026-06-08T08:08+08:00',
    amount: '8800 CNY',
    problemType: K,
  }),
  la('Hi, I paid 35 dollars for order 2026061200350035 about 45 minutes ago and have not received the code', {
    orderNumber: '2026061200350035',
    paidAt: '2026-06-12T08:15-07:00',
    amount: '3500 USD',
    problemType: P,
  }),
  c('Please help, paid with QQ Wallet 16 yuan at 4pm today, order 2026061216000016, balance still the same', {
    orderNumber: '2026061216000016',
    paidAt: '2026-06-12T16:00+08:00',
    amount: '1600 CNY',
    channel: 'qq_wallet',
    problemType: P,
  }),
  la('can you tell me if you ship physical cards?', { problemType: 'OTHER' }),
  c('Invalid card key!!! order 2026061100100010, yesterday 10am, 10 yuan', {
    orderNumber: '2026061100100010',
    paidAt: '2026-06-11T10:00+08:00',
    amount: '1000 CNY',
    problemType: K,
  }),
  c('I paid 1,000 yuan via China Merchants Bank on June 5 at 9:45 pm, order number 2026060521451000, not credited yet', {
    orderNumber: '2026060521451000',
    paidAt: '2026-06-05T21:45+08:00',
    amount: '100000 CNY',
    channel: 'bank_card:CMB',
    problemType: P,
  }),
  la('Order US2026061207070077 - paid $77.00 at 7:07 this morning - key has already been used', {
    orderNumber: 'US2026061207070077',
    paidAt: '2026-06-12T07:07-07:00',
    amount: '7700 USD',
    problemType: K,
  }),
  london('Paid 12.50 dollars with a debit card yesterday at 3:30 pm, order 2026061115301250, card key not delivered', {
    orderNumber: '2026061115301250',
    paidAt: '2026-06-11T15:30+01:00',
    amount: '1250 USD',
    channel: 'bank_card',
    problemType: P,
  }),
  c('Transaction no 2026061222001455501499990000, paid 59 yuan by Alipay today at 6:30 pm, my order has not arrived', {
    paymentReference: '2026061222001455501499990000',
    paidAt: '2026-06-12T18:30+08:00',
    amount: '5900 CNY',
    channel: 'alipay',
    problemType: P,
  }),
  c('I am unable to log in, it says my account is locked. Last 4 digits of my phone: 9090', { phoneLast4: '9090', problemType: 'ACCOUNT_PROBLEM' }),
  c('order 2026061020200020 was paid on 10 June at 20:20, amount 20 yuan, wechat pay, the key is not valid', {
    orderNumber: '2026061020200020',
    paidAt: '2026-06-10T20:20+08:00',
    amount: '2000 CNY',
    channel: 'wechat',
    problemType: K,
  }),
  la('paid twice by mistake? I see two charges of $15 for order 2026061109000015 yesterday 9am', {
    orderNumber: '2026061109000015',
    paidAt: '2026-06-11T09:00-07:00',
    amount: '1500 USD',
    problemType: 'CHARGED_TWICE',
  }),
  c('Where is my card? Paid 150 yuan on Alipay at 11:20 am today. Order 2026061211200150.', {
    orderNumber: '2026061211200150',
    paidAt: '2026-06-12T11:20+08:00',
    amount: '15000 CNY',
    channel: 'alipay',
    problemType: 'OTHER',
  }),
  c('paid 66 yuan, order 2026061119190066, wechat, key never arrived', {
    orderNumber: '2026061119190066',
    amount: '6600 CNY',
    channel: 'wechat',
    problemType: P,
  }),
  c('I paid yesterday at 7pm but the card key has not been delivered. Alipay.', {
    paidAt: '2026-06-11T19:00+08:00',
    channel: 'alipay',
    problemType: P,
  }),
];
