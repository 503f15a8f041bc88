import { TOPICS } from '@pt/contracts';
import { createAgent, postReport, reportBody, simOrder, startSuite, waitFor, waitForCaughtUp, waitForDecision, Upstream, type Suite } from '@pt/testing';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

/**
 * The agent console in a real browser: sign in, open an escalated incident, resolve it,
 * see it leave the queue, and find the audit row. Saves screenshots to docs/screenshots.
 */
describe('agent console in Chromium', () => {
  let suite: Suite;
  let browser: Browser;
  let page: Page;
  const shots = path.join(process.cwd(), 'docs', 'screenshots');

  beforeAll(async () => {
    const executablePath = process.env.CHROMIUM_PATH;
    if (!executablePath) throw new Error('CHROMIUM_PATH is not set: run the tests with `npm test`, which installs Chromium where needed');
    suite = await startSuite('console', ['intake', 'reconciliation']);
    browser = await chromium.launch({
      executablePath,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--no-first-run',
        '--disable-sync',
      ],
    });
    page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
  });

  afterAll(async () => {
    await browser?.close();
    await suite?.stop();
  });

  it('sign in, open an escalated incident, resolve it, see it leave the queue, find the audit row', async () => {
    const up = new Upstream(suite.publisher);
    const failed = simOrder('console', { amountMinor: '4999' });
    await up.orderPlaced(failed);
    await up.paymentRecorded(failed, `PAY-${failed.orderNumber}`, 'unionpay', failed.amountMinor);
    await up.clearing(failed, `PAY-${failed.orderNumber}`, 'unionpay', 'FAILED', 1, { failureCode: 'CARD_DECLINED' });
    const mismatch = simOrder('console-b', { amountMinor: '12000' });
    await up.orderPlaced(mismatch);
    await up.clearing(mismatch, `PAY-${mismatch.orderNumber}`, 'wechat', 'CLEARED', 1, { amountMinor: '11000' });
    await waitForCaughtUp(suite, 'reconciliation', [TOPICS.ledgerEvents, TOPICS.clearingEvents]);
    const created = await postReport(suite, reportBody(failed));
    await postReport(suite, reportBody(mismatch, { urgent: true }));
    await postReport(suite, reportBody(simOrder('console-unknown')));
    const escalated = await waitForDecision(suite, created.body.id, 'CLEARING_FAILED');
    await createAgent(suite, 'alice', 'agent', 'alice-password-123');

    await page.goto(`${suite.url('intake')}/console`);
    await page.fill('#username', 'alice');
    await page.fill('#password', 'alice-password-123');
    await page.click('#sign-in-button');
    const row = page.locator(`#queue tbody tr[data-ticket="${escalated.ticketNumber}"]`);
    await row.waitFor({ timeout: 15_000 });
    await waitFor('three rows in the queue', async () => ((await page.locator('#queue tbody tr').count()) >= 3 ? true : undefined));
    expect(await row.innerText()).toContain('CLEARING_FAILED');
    await page.screenshot({ path: path.join(shots, 'console-queue.png'), fullPage: true });

    await row.click();
    await page.locator('#ledger table').first().waitFor({ timeout: 15_000 });
    await page.locator('#clearing table').waitFor();
    expect(await page.locator('#decision').innerText()).toContain('CLEARING_FAILED');
    expect(await page.locator('#clearing').innerText()).toContain('CARD_DECLINED');
    await page.click('#action-claim');
    await page.locator('#incident-status', { hasText: 'IN_PROGRESS' }).waitFor();
    await page.selectOption('#resolution-code', 'REFUNDED');
    await page.fill('#resolution-note', 'Bank declined the card; the buyer was told to pay again.');
    await page.screenshot({ path: path.join(shots, 'console-incident.png'), fullPage: true });
    await page.click('#action-resolve');
    await page.locator('#incident-status', { hasText: 'RESOLVED' }).waitFor();
    await page.locator('#timeline li[data-action="RESOLVE"]').waitFor();

    await page.click('#back');
    await waitFor('the resolved incident to leave the queue', async () => ((await row.count()) === 0 ? true : undefined));
    expect(await page.locator('#queue tbody tr').count()).toBeGreaterThanOrEqual(2);

    const { rows } = await suite.db.query(
      `SELECT actor_name, action, status_before, status_after, reason FROM intake.audit_log WHERE incident_id = $1 AND action = 'RESOLVE'`,
      [created.body.id],
    );
    expect(rows).toEqual([
      {
        actor_name: 'alice',
        action: 'RESOLVE',
        status_before: 'IN_PROGRESS',
        status_after: 'RESOLVED',
        reason: 'Bank declined the card; the buyer was told to pay again.',
      },
    ]);
  });
});
