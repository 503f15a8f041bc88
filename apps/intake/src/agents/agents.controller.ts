import { Body, Controller, Get, HttpCode, Param, Post, Req, UseGuards } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { AdminTokenGuard, ApiAdminAuth, ApiAgentAuth, ApiErrorResponse, ApiNotFound, ApiValidationFailed, Operator, RequireRole } from '@pt/platform';
import type { Request } from 'express';
import { AgentAuthGuard, agentOf } from './agent-auth.guard.js';
import { AgentsService, type AgentAccessView, type SignedIn } from './agents.service.js';
import { AgentAccessResponse, AgentResponse, CreatedAgentResponse, MeResponse, OtherSessionsEndedResponse, SignedInResponse } from '../api-responses.js';
import { ChangeOwnPasswordDto, CreateAgentDto, SetPasswordDto, SetRoleDto, SignInDto } from './dto/sign-in.dto.js';

@Controller('v1/auth')
@ApiTags('auth')
export class AuthController {
  constructor(private readonly agents: AgentsService) {}

  /**
   * Exchanges a username and password for a bearer token (valid AGENT_SESSION_HOURS). The
   * client address is the connection's (req.ip): intake does not trust forwarding headers.
   */
  @Post('sign-in')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Exchange a username and password for an agent token',
    description:
      'The token is valid AGENT_SESSION_HOURS, until sign-out, or until an operator disables the agent or resets their password. Repeated failures from one address or for one username are slowed down (429).',
  })
  @ApiOkResponse({ type: SignedInResponse, description: 'signed in' })
  @ApiValidationFailed()
  @ApiErrorResponse(401, 'unknown username, wrong password, or a disabled agent (SIGN_IN_FAILED); the answer does not say which')
  @ApiErrorResponse(429, 'too many failed password attempts for this username or from this address (SIGN_IN_THROTTLED)', {
    'Retry-After': { description: 'seconds until the next attempt is allowed', schema: { type: 'integer' } },
  })
  signIn(@Body() dto: SignInDto, @Req() req: Request): Promise<SignedIn> {
    return this.agents.signIn(dto.username, dto.password, req.ip ?? req.socket.remoteAddress ?? 'unknown');
  }

  @Post('sign-out')
  @HttpCode(204)
  @UseGuards(AgentAuthGuard)
  @RequireRole('agent')
  @ApiOperation({ summary: 'End this session; its token is refused from the next request on' })
  @ApiNoContentResponse({ description: 'signed out' })
  @ApiAgentAuth('agent')
  async signOut(@Req() req: Request): Promise<void> {
    await this.agents.signOut(agentOf(req).sid);
  }

  /** The signed-in agent changes their own password; their other sessions end, this one goes on. */
  @Post('password')
  @HttpCode(200)
  @UseGuards(AgentAuthGuard)
  @RequireRole('agent')
  @ApiOperation({ summary: 'Change your own password; your other sessions end, this one goes on' })
  @ApiOkResponse({ type: OtherSessionsEndedResponse, description: 'changed' })
  @ApiValidationFailed('a field is invalid (VALIDATION_FAILED), or currentPassword is wrong (WRONG_PASSWORD)')
  @ApiAgentAuth('agent')
  changePassword(@Req() req: Request, @Body() dto: ChangeOwnPasswordDto): Promise<{ otherSessionsEnded: number }> {
    return this.agents.changeOwnPassword(agentOf(req), dto.currentPassword, dto.newPassword);
  }

  @Get('me')
  @UseGuards(AgentAuthGuard)
  @RequireRole('agent')
  @ApiOperation({ summary: 'The signed-in agent' })
  @ApiOkResponse({ type: MeResponse, description: 'the agent behind the token' })
  @ApiAgentAuth('agent')
  me(@Req() req: Request) {
    const { sub, username, role, exp } = agentOf(req);
    return { id: sub, username, role, expiresAt: new Date(exp * 1000).toISOString() };
  }
}

@Controller('v1/admin/agents')
@UseGuards(AdminTokenGuard)
@ApiTags('admin')
@ApiAdminAuth()
export class AgentsAdminController {
  constructor(private readonly agents: AgentsService) {}

  @Post()
  @ApiOperation({ summary: 'Create an agent' })
  @ApiCreatedResponse({ type: CreatedAgentResponse, description: 'created' })
  @ApiValidationFailed()
  @ApiErrorResponse(409, 'the username is taken (AGENT_EXISTS)')
  create(@Operator() operator: string, @Body() dto: CreateAgentDto) {
    return this.agents.create(operator, dto);
  }

  @Get()
  @ApiOperation({ summary: 'List agents' })
  @ApiOkResponse({ type: [AgentResponse], description: 'every agent, by username' })
  list() {
    return this.agents.list();
  }

  /** Sets an agent's password and ends all of their sessions. */
  @Post(':username/password')
  @HttpCode(204)
  @ApiOperation({ summary: "Set an agent's password; all of their sessions end" })
  @ApiParam({ name: 'username' })
  @ApiNoContentResponse({ description: 'set' })
  @ApiValidationFailed()
  @ApiNotFound('no agent of that username')
  async setPassword(@Operator() operator: string, @Param('username') username: string, @Body() dto: SetPasswordDto): Promise<void> {
    await this.agents.resetPassword(operator, username, dto.password);
  }

  /** The agent can no longer sign in, and every session of theirs ends. */
  @Post(':username/disable')
  @HttpCode(200)
  @ApiOperation({ summary: 'Disable an agent: no more sign-ins, and every session of theirs ends' })
  @ApiParam({ name: 'username' })
  @ApiOkResponse({ type: AgentAccessResponse, description: 'disabled' })
  @ApiNotFound('no agent of that username')
  disable(@Operator() operator: string, @Param('username') username: string): Promise<AgentAccessView> {
    return this.agents.setDisabled(operator, username, true);
  }

  @Post(':username/enable')
  @HttpCode(200)
  @ApiOperation({ summary: 'Enable a disabled agent' })
  @ApiParam({ name: 'username' })
  @ApiOkResponse({ type: AgentAccessResponse, description: 'enabled' })
  @ApiNotFound('no agent of that username')
  enable(@Operator() operator: string, @Param('username') username: string): Promise<AgentAccessView> {
    return this.agents.setDisabled(operator, username, false);
  }

  /** Applies to the agent's open sessions at once. */
  @Post(':username/role')
  @HttpCode(200)
  @ApiOperation({ summary: "Change an agent's role; it applies to their open sessions at once" })
  @ApiParam({ name: 'username' })
  @ApiOkResponse({ type: AgentAccessResponse, description: 'changed' })
  @ApiValidationFailed()
  @ApiNotFound('no agent of that username')
  setRole(@Operator() operator: string, @Param('username') username: string, @Body() dto: SetRoleDto): Promise<AgentAccessView> {
    return this.agents.setRole(operator, username, dto.role);
  }
}
