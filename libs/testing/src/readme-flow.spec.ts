import { holds, promisedFields, readmeBlock, readmeSteps } from './readme-flow.js';

describe('reading the README as a reader runs it', () => {
  const readme = [
    '### Try it',
    '',
    'Some prose.',
    '',
    '```bash',
    'A=$(echo one)   # a comment after the command',
    '',
    '# What the next command does.',
    "curl -s -X POST http://127.0.0.1:3000/v1/x -H 'content-type: application/json' \\",
    '  -d \'{"a":1}\'',
    '# → 201 {"id":"…","ticketNumber":"PT-20261202-000001","verified":true,',
    '#        "status":"RECEIVED","count":3,"cursor":null}',
    '#   (a remark that continues it)',
    '# The next step, not an expectation: "status":"NOPE"',
    'curl -s http://127.0.0.1:3000/v1/y/<id>',
    '```',
  ].join('\n');

  it('joins continued lines and keeps each command with what it answers', () => {
    const steps = readmeSteps(readmeBlock(readme, '### Try it'));
    expect(steps.map((s) => s.command)).toEqual([
      'A=$(echo one)   # a comment after the command',
      "curl -s -X POST http://127.0.0.1:3000/v1/x -H 'content-type: application/json' -d '{\"a\":1}'",
      'curl -s http://127.0.0.1:3000/v1/y/<id>',
    ]);
    expect(steps[0].expected).toBe('');
    expect(steps[1].expected).toContain('"status":"RECEIVED"');
    expect(steps[1].expected).toContain('(a remark');
    expect(steps[1].expected).not.toContain('NOPE');
  });

  it('promises the shown values, not the elided ones, with digits standing for any digits', () => {
    const promised = promisedFields('{"id":"…","ticketNumber":"PT-20261202-000001","verified":true,"status":"RECEIVED","count":3,"cursor":null}');
    expect(promised).toEqual([
      ['ticketNumber', 'PT-20261202-000001'],
      ['verified', true],
      ['status', 'RECEIVED'],
      ['count', 3],
      ['cursor', null],
    ]);
    const answer = { ticketNumber: 'PT-20261203-000017', verified: true, data: [{ status: 'X' }, { status: 'RECEIVED' }], count: 3, cursor: null };
    for (const p of promised) expect(holds(answer, p)).toBe(true);
    expect(holds(answer, ['ticketNumber', 'PT-20261202-000001X'])).toBe(false);
    expect(holds(answer, ['status', 'AUTO_RESOLVED'])).toBe(false);
    expect(holds(answer, ['count', '3'])).toBe(false);
  });

  it('says which marker is missing', () => {
    expect(() => readmeBlock('# nothing here', '### Try it')).toThrow('the README has no "### Try it"');
  });
});
