import type { AgentClaims } from '@pt/platform';
import type { AgentAccessRepository, MirroredAccess } from './agent-access.repository.js';
import { AgentAccessService } from './agent-access.service.js';

const token: AgentClaims = { sid: 's-1', sub: 'a-1', username: 'sam', role: 'supervisor', accessVersion: 3, exp: 2_000_000_000 };

const serviceWith = (access: MirroredAccess) => new AgentAccessService({ lookup: async () => access } as unknown as AgentAccessRepository);

describe('AgentAccessService.current', () => {
  it.each<[string, MirroredAccess, 'refused' | AgentClaims['role']]>([
    ['nothing heard of the agent: the token stands', { sessionRevoked: false, role: null, disabled: false, accessVersion: null }, 'supervisor'],
    ['session ended', { sessionRevoked: true, role: null, disabled: false, accessVersion: null }, 'refused'],
    ['session ended, whatever the access', { sessionRevoked: true, role: 'supervisor', disabled: false, accessVersion: 9 }, 'refused'],
    ['disabled since sign-in', { sessionRevoked: false, role: 'supervisor', disabled: true, accessVersion: 4 }, 'refused'],
    ['demoted since sign-in', { sessionRevoked: false, role: 'agent', disabled: false, accessVersion: 4 }, 'agent'],
    ['the state the token was signed with', { sessionRevoked: false, role: 'supervisor', disabled: false, accessVersion: 3 }, 'supervisor'],
    [
      'an older state than the token (re-enabled and promoted, events still on their way)',
      { sessionRevoked: false, role: 'agent', disabled: true, accessVersion: 2 },
      'supervisor',
    ],
  ])('%s', async (_name, access, expected) => {
    const agent = await serviceWith(access).current(token);
    if (expected === 'refused') expect(agent).toBeNull();
    else expect(agent).toEqual({ ...token, role: expected });
  });
});
