/**
 * The public pages a "not satisfied?" link opens (src/app/next-stage-service.ts): one
 * question — what are you still unhappy about — then a confirmation. Works without
 * JavaScript; CSRF on the post; rate-limited per address. A wrong or expired link gets the
 * same page (404) and a used one says the request has been sent (410); none shows anyone's data.
 */
import type { FastifyPluginCallback, FastifyReply, FastifyRequest } from 'fastify';
import type { Container } from '../../container.ts';
import { SECURE_LINK_RATE_LIMIT, type SecureLinkRefusal } from '../../domain/links/secure-link.ts';
import { DomainError } from '../../domain/errors.ts';
import { REASON_MAX, type NextStagePurpose } from '../../app/next-stage-service.ts';
import { paths } from '../paths.ts';
import { renderPage } from '../render.ts';
import { formErrors, formText, type FormBody, type FormErrors } from '../forms.ts';
import { actorOf } from '../actor.ts';
import { renderLinkRefusal, secureLinkHeaders } from '../links/secure-link-pages.ts';

const USED = { title: 'You have already asked', message: 'We have your request, so this link no longer works. The complaints team will be in touch.' };

const ROUTES: readonly { purpose: NextStagePurpose; pattern: string }[] = [
  { purpose: 'stage2_request', pattern: paths.askForStage2.pattern },
  { purpose: 'stage3_request', pattern: paths.askForStage3.pattern },
];

export function nextStageRoutes(container: Container): FastifyPluginCallback {
  const service = container.nextStages;
  const limits = { access: 'public', rateLimit: SECURE_LINK_RATE_LIMIT } as const;

  const refuse = (request: FastifyRequest, reply: FastifyReply, refusal: SecureLinkRefusal): Promise<FastifyReply> => renderLinkRefusal(request, reply, refusal, USED);

  function form(request: FastifyRequest, reply: FastifyReply, opened: { stage: string }, reason: string, errors?: FormErrors): Promise<FastifyReply> {
    secureLinkHeaders(reply);
    return renderPage(request, reply, 'pages/links/next-stage.njk', {
      title: 'Ask for your complaint to be looked at again',
      errors,
      action: request.url.split('?')[0] ?? '',
      stage: opened.stage,
      reason,
      maxLength: REASON_MAX,
    });
  }

  return (app, _options, done) => {
    for (const { purpose, pattern } of ROUTES) {
      app.get<{ Params: { token: string } }>(pattern, { config: limits }, async (request, reply) => {
        const opened = await service.open(request.params.token, purpose);
        if (!opened.ok) return refuse(request, reply, opened.refusal);
        return form(request, reply, opened, '');
      });

      app.post<{ Params: { token: string } }>(pattern, { config: limits }, async (request, reply) => {
        const { token } = request.params;
        const reason = formText((request.body ?? {}) as FormBody, 'reason');
        try {
          const outcome = await service.request(token, purpose, reason, actorOf(request));
          if (!outcome.ok) return await refuse(request, reply, outcome.refusal);
          return await reply.redirect(paths.nextStageSent.url(), 303);
        } catch (error) {
          if (!(error instanceof DomainError)) throw error;
          const opened = await service.open(token, purpose);
          if (!opened.ok) return refuse(request, reply, opened.refusal);
          return form(request, reply, opened, reason, formErrors([{ field: 'reason', message: error.message }]));
        }
      });
    }

    app.get(paths.nextStageSent.pattern, { config: { access: 'public' } }, (request, reply) => {
      secureLinkHeaders(reply);
      return renderPage(request, reply, 'pages/links/next-stage-sent.njk', { title: 'We have your request' });
    });
    done();
  };
}
