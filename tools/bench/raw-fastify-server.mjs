// The raw HTTP baseline: bare Fastify that parses the JSON body and answers 201 with a new id.
import Fastify from 'fastify';
import { randomUUID } from 'node:crypto';

const app = Fastify({ logger: false });
app.get('/health/ready', async () => ({ status: 'ok' }));
app.post('/v1/leads', async (request, reply) => {
  if (!request.body || typeof request.body !== 'object') return reply.code(400).send();
  return reply.code(201).send({ id: randomUUID() });
});
await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
process.on('SIGTERM', () => app.close().then(() => process.exit(0)));
