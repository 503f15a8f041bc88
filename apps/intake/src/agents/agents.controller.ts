import { Body, Controller, Get, HttpCode, Param, Post, Req, UseGuards } from '@nestjs/common';
import { AdminTokenGuard, Operator, RequireRole } from '@pt/platform';
import type { Request } from 'express';
import { AgentAuthGuard, agentOf } from './agent-auth.guard.js';
import { AgentsService, type AgentAccessView, type SignedIn } from './agents.service.js';
import { ChangeOwnPasswordDto, CreateAgentDto, SetPasswordDto, SetRoleDto, SignInDto } from './dto/sign-in.dto.js';

@Controller('v1/auth')
export class AuthController {
  constructor(private readonly agents: AgentsService) {}

  /**
   * Exchanges a username and password for a bearer token (valid AGENT_SESSION_HOURS). The
   * client address is the connection's (req.ip): intake does not trust forwarding headers.
   */
  @Post('sign-in')
  @HttpCode(200)
  signIn(@Body() dto: SignInDto, @Req() req: Request): Promise<SignedIn> {
    return this.agents.signIn(dto.username, dto.password, req.ip ?? req.socket.remoteAddress ?? 'unknown');
  }

  @Post('sign-out')
  @HttpCode(204)
  @UseGuards(AgentAuthGuard)
  @RequireRole('agent')
  async signOut(@Req() req: Request): Promise<void> {
    await this.agents.signOut(agentOf(req).sid);
  }

  /** The signed-in agent changes their own password; their other sessions end, this one goes on. */
  @Post('password')
  @HttpCode(200)
  @UseGuards(AgentAuthGuard)
  @RequireRole('agent')
  changePassword(@Req() req: Request, @Body() dto: ChangeOwnPasswordDto): Promise<{ otherSessionsEnded: number }> {
    return this.agents.changeOwnPassword(agentOf(req), dto.currentPassword, dto.newPassword);
  }

  @Get('me')
  @UseGuards(AgentAuthGuard)
  @RequireRole('agent')
  me(@Req() req: Request) {
    const { sub, username, role, exp } = agentOf(req);
    return { id: sub, username, role, expiresAt: new Date(exp * 1000).toISOString() };
  }
}

@Controller('v1/admin/agents')
@UseGuards(AdminTokenGuard)
export class AgentsAdminController {
  constructor(private readonly agents: AgentsService) {}

  @Post()
  create(@Operator() operator: string, @Body() dto: CreateAgentDto) {
    return this.agents.create(operator, dto);
  }

  @Get()
  list() {
    return this.agents.list();
  }

  /** Sets an agent's password and ends all of their sessions. */
  @Post(':username/password')
  @HttpCode(204)
  async setPassword(@Operator() operator: string, @Param('username') username: string, @Body() dto: SetPasswordDto): Promise<void> {
    await this.agents.resetPassword(operator, username, dto.password);
  }

  /** The agent can no longer sign in, and every session of theirs ends. */
  @Post(':username/disable')
  @HttpCode(200)
  disable(@Operator() operator: string, @Param('username') username: string): Promise<AgentAccessView> {
    return this.agents.setDisabled(operator, username, true);
  }

  @Post(':username/enable')
  @HttpCode(200)
  enable(@Operator() operator: string, @Param('username') username: string): Promise<AgentAccessView> {
    return this.agents.setDisabled(operator, username, false);
  }

  /** Applies to the agent's open sessions at once. */
  @Post(':username/role')
  @HttpCode(200)
  setRole(@Operator() operator: string, @Param('username') username: string, @Body() dto: SetRoleDto): Promise<AgentAccessView> {
    return this.agents.setRole(operator, username, dto.role);
  }
}
