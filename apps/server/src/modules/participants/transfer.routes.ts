import { languageSchema } from '@eventmanager/domain/common/schema';
import {
  type ImportRowResult,
  importResultSchema,
} from '@eventmanager/domain/participants/participant.schema';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ModuleDeps } from '../../platform/module.ts';
import { authOf } from '../accounts/auth.guard.ts';
import { requireEventAccess } from '../events/events.access.ts';
import type { ParticipantsDeps } from './participants.deps.ts';
import { exportTable, toCsv, toXlsx } from './participants.export.ts';
import { type ColumnTarget, parseImport } from './participants.import.ts';
import { participantsRepository as repo } from './participants.repository.ts';
import type { RegistrationService } from './registration.service.ts';

export interface TransferRoutesOptions {
  deps: ParticipantsDeps;
  authenticate: ModuleDeps['authenticate'];
  registration: RegistrationService;
}

const secured = [{ bearerAuth: [] }];
const columnTargetSchema = z.union([
  z.enum(['name', 'email', 'phone', 'ignore']),
  z.templateLiteral(['custom:', z.string().min(1).max(64)]),
]);
const importBodySchema = z.union([
  z.string().min(1),
  z.strictObject({
    csv: z.string().min(1),
    /** Header → target; unmapped headers are matched by name/이름, email/이메일, field id or label. */
    mapping: z.record(z.string().max(200), columnTargetSchema).optional(),
  }),
]);

/** CSV import and CSV/XLSX export: organizer-only; every export is written to the access log. */
export const participantsTransferRoutes: FastifyPluginAsyncZod<TransferRoutesOptions> = async (
  app,
  { deps, authenticate, registration },
) => {
  // Scoped to this plugin: a raw CSV body arrives as a string.
  app.addContentTypeParser(['text/csv', 'text/plain'], { parseAs: 'string' }, (_request, body, done) => {
    done(null, body);
  });

  app.post(
    '/api/events/:id/participants/import',
    {
      preHandler: authenticate,
      config: { limits: ['email_send_user'] },
      schema: {
        tags: ['participants'],
        summary: 'Import participants from CSV (text/csv body, or JSON {csv, mapping})',
        security: secured,
        params: z.object({ id: z.string().max(64) }),
        /** `notify=false`: the imported people get no confirmation e-mail. */
        querystring: z.object({ notify: z.enum(['true', 'false']).default('true') }),
        body: importBodySchema,
        response: { 200: importResultSchema.extend({ ignored_columns: z.array(z.string()) }) },
      },
    },
    async (request) => {
      const userId = authOf(request).userId;
      const { event } = await requireEventAccess(deps.db, request.params.id, userId, 'manage');
      const body = request.body;
      const csv = typeof body === 'string' ? body : body.csv;
      const mapping = (typeof body === 'string' ? {} : (body.mapping ?? {})) as Record<string, ColumnTarget>;
      const parsed = parseImport(csv, event, userId, deps.clock.now(), mapping);
      const valid = parsed.rows.flatMap((r) => ('candidate' in r ? [r] : []));
      const notify = request.query.notify === 'true';
      const outcomes = await registration.registerMany(
        event.id,
        valid.map((r) => (notify ? r.candidate : { ...r.candidate, notify: false })),
      );
      const byRow = new Map<number, ImportRowResult>();
      valid.forEach((r, i) => {
        const o = outcomes[i]!;
        byRow.set(
          r.row,
          o.kind === 'created'
            ? {
                row: r.row,
                outcome: 'created',
                participant_id: o.row.id,
                registration_number: o.row.registrationNumber,
                status: o.row.registrationStatus,
              }
            : o.kind === 'duplicate'
              ? { row: r.row, outcome: 'duplicate', reason: 'already_registered' }
              : o.kind === 'invalid'
                ? { row: r.row, outcome: 'invalid', reason: 'invalid_row', errors: o.errors }
                : { row: r.row, outcome: 'refused', reason: o.code },
        );
      });
      const rows = parsed.rows.map((r) => ('invalid' in r ? r.invalid : byRow.get(r.row)!));
      const count = (outcome: ImportRowResult['outcome']) => rows.filter((r) => r.outcome === outcome).length;
      return {
        created: count('created'),
        duplicates: count('duplicate'),
        invalid: count('invalid'),
        refused: count('refused'),
        rows,
        ignored_columns: parsed.ignoredColumns,
      };
    },
  );

  app.get(
    '/api/events/:id/participants/export',
    {
      preHandler: authenticate,
      schema: {
        tags: ['participants'],
        summary: 'Export participants as CSV (UTF-8 with BOM) or XLSX',
        security: secured,
        params: z.object({ id: z.string().max(64) }),
        querystring: z.object({
          format: z.enum(['csv', 'xlsx']).default('csv'),
          lang: languageSchema.optional(),
        }),
      },
    },
    async (request, reply) => {
      const userId = authOf(request).userId;
      const { event } = await requireEventAccess(deps.db, request.params.id, userId, 'manage');
      const rows = await repo.listAll(deps.db, event.id);
      const table = exportTable(event, rows, deps.context.cipher, request.query.lang ?? event.language);
      const format = request.query.format;
      await repo.logAccess(deps.db, {
        userId,
        eventId: event.id,
        action: `export_${format}`,
        detail: { rows: rows.length },
      });
      const filename = `participants-${event.id}.${format}`;
      reply.header('content-disposition', `attachment; filename="${filename}"`);
      reply.header('cache-control', 'no-store');
      if (format === 'csv') return reply.type('text/csv; charset=utf-8').send(toCsv(table));
      return reply
        .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .send(await toXlsx(table, event.name));
    },
  );
};
