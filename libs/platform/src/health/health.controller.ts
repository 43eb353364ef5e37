import { Controller, Get, Inject, Req, Res } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Public } from '../auth/decorators';
import { PROBLEM_CONTENT_TYPE, problemDetails } from '../http/problem-details';
import { requestPathOf } from '../http/problem-details.filter';
import { HealthRegistry } from './health.registry';

@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  constructor(@Inject(HealthRegistry) private readonly registry: HealthRegistry) {}

  /** Liveness: the process is up and serving HTTP. */
  @Get('live')
  @ApiOkResponse({ description: 'The process is alive.', schema: { example: { status: 'ok' } } })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** Readiness: every registered check passes (200), or 503 problem+json naming the failing ones. */
  @Get('ready')
  @ApiOkResponse({ description: 'Ready to serve traffic.', schema: { example: { status: 'ok', checks: { store: { ok: true } } } } })
  @ApiServiceUnavailableResponse({ description: 'At least one readiness check failed (problem+json with `checks`).' })
  async ready(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const report = await this.registry.run();
    reply.header('cache-control', 'no-store');
    if (report.ok) {
      await reply.code(200).send({ status: 'ok', checks: report.checks });
      return;
    }
    const failing = Object.entries(report.checks)
      .filter(([, r]) => !r.ok)
      .map(([name]) => name);
    const body = {
      ...problemDetails({
        status: 503,
        code: 'not-ready',
        detail: `Not ready: ${failing.join(', ')} failed.`,
        instance: requestPathOf(request),
      }),
      checks: report.checks,
    };
    await reply.code(503).header('content-type', PROBLEM_CONTENT_TYPE).send(Buffer.from(JSON.stringify(body), 'utf8'));
  }
}
